import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { FeishuError, V1_TOKEN_CODE_OF, V1_TOKEN_HTTP_STATUS } from '../../../errors.js';
import { REFRESH_PREFIX, V1_REFRESH_TTL, appOfBearer, v1TokenData } from '../../sign-in.js';

export const RefreshGrantBody = Type.Object({ grant_type: Type.Optional(Type.Unknown()), refresh_token: Type.Optional(Type.Unknown()) });

/** Spends a v1 refresh token: a new access token and a new refresh token; the old one stops working. */
export async function refreshV1(ctx: Parameters<typeof v1TokenData>[0], appId: string, body: { grant_type?: unknown; refresh_token?: unknown }) {
  if (body.grant_type !== 'refresh_token' || typeof body.refresh_token !== 'string' || body.refresh_token === '') {
    throw new FeishuError(V1_TOKEN_CODE_OF.refresh_invalid, 'grant_type must be "refresh_token" and refresh_token a non-empty string', V1_TOKEN_HTTP_STATUS);
  }
  const issued = await ctx.oauth.refresh({ refreshToken: body.refresh_token, appId, flow: 'v1', refreshTtl: V1_REFRESH_TTL, refreshPrefix: REFRESH_PREFIX });
  if (!issued.ok) throw new FeishuError(V1_TOKEN_CODE_OF[issued.reason], issued.reason.replace('_', ' '), V1_TOKEN_HTTP_STATUS);
  return issued;
}

/** `client.authen.oidcRefreshAccessToken.create` (and `client.userAccessToken.get` once the token is due). */
export const oidcRefreshAccessTokenCreate = defineRoute({
  method: 'POST',
  url: '/authen/v1/oidc/refresh_access_token',
  schema: { body: RefreshGrantBody },
  auth: 'none',
  async handle({ body, request }, ctx) {
    const app = await appOfBearer(ctx, request);
    const issued = await refreshV1(ctx, app.appId, body);
    return v1TokenData(ctx, issued.grant, issued.refreshToken);
  },
});
