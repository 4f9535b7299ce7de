import { Type } from 'typebox';
import { defineRoute } from '../../../route.js';
import { answerSignIn, showSignIn } from '../../../oauth/sign-in.js';
import { FEISHU_SIGN_IN } from '../sign-in.js';

const AnyQuery = Type.Record(Type.String(), Type.Unknown());

/**
 * `GET /open-apis/authen/v1/authorize` (accounts.feishu.cn): the consent page; `login_hint` (a user
 * id of the app's tenant) skips it. Parameters are checked in the handler, so every refusal is a page
 * or a redirect, never a JSON envelope.
 */
export const authorizePage = defineRoute({
  method: 'GET',
  url: '/authen/v1/authorize',
  schema: { querystring: AnyQuery },
  auth: 'none',
  async handle({ query, request, reply }, ctx) {
    return showSignIn(ctx, request, reply, FEISHU_SIGN_IN, {
      clientId: query.client_id, redirectUri: query.redirect_uri, scope: query.scope, state: query.state,
      codeChallenge: query.code_challenge, codeChallengeMethod: query.code_challenge_method,
      responseType: query.response_type, loginHint: query.login_hint,
    });
  },
});

/** The consent form's POST (from this page or the legacy /index page): sign in as the chosen user, or deny. */
export const authorizeChoice = defineRoute({
  method: 'POST',
  url: '/authen/v1/authorize',
  schema: {},
  auth: 'none',
  async handle({ body, request, reply }, ctx) {
    return answerSignIn(ctx, request, reply, FEISHU_SIGN_IN, body);
  },
});
