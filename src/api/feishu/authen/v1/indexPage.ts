import { Type } from 'typebox';
import { defineRoute } from '../../../route.js';
import { showSignIn } from '../../../oauth/sign-in.js';
import { FEISHU_SIGN_IN } from '../sign-in.js';

/**
 * The legacy login page, `GET /open-apis/authen/v1/index?app_id&redirect_uri&state`: the same
 * consent page, without scopes (the grant holds every scope) or PKCE.
 */
export const indexPage = defineRoute({
  method: 'GET',
  url: '/authen/v1/index',
  schema: { querystring: Type.Record(Type.String(), Type.Unknown()) },
  auth: 'none',
  async handle({ query, request, reply }, ctx) {
    return showSignIn(ctx, request, reply, FEISHU_SIGN_IN, {
      clientId: query.app_id, redirectUri: query.redirect_uri, state: query.state, loginHint: query.login_hint,
    });
  },
});
