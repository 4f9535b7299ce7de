import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { issueTenantToken } from '../issue-app-token.js';

/**
 * `client.auth.v3.appAccessToken.internal`. For a self-built app Feishu's app_access_token and
 * tenant_access_token are the same `t-` token, and both come back (docs/compatibility.md).
 */
export const appAccessTokenInternal = defineRoute({
  method: 'POST',
  url: '/auth/v3/app_access_token/internal',
  schema: { body: Type.Object({ app_id: Type.Optional(Type.Unknown()), app_secret: Type.Optional(Type.Unknown()) }) },
  auth: 'none',
  envelope: 'raw',
  async handle({ body }, ctx) {
    const { token, expire } = await issueTenantToken(ctx, body);
    return { code: 0, msg: 'ok', app_access_token: token, tenant_access_token: token, expire };
  },
});
