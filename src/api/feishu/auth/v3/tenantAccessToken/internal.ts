import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { issueTenantToken } from '../issue-app-token.js';

/** `client.auth.v3.tenantAccessToken.internal`: a self-built app's tenant_access_token (flat body). */
export const tenantAccessTokenInternal = defineRoute({
  method: 'POST',
  url: '/auth/v3/tenant_access_token/internal',
  schema: { body: Type.Object({ app_id: Type.Optional(Type.Unknown()), app_secret: Type.Optional(Type.Unknown()) }) },
  auth: 'none',
  envelope: 'raw',
  async handle({ body }, ctx) {
    const { token, expire } = await issueTenantToken(ctx, body);
    return { code: 0, msg: 'ok', tenant_access_token: token, expire };
  },
});
