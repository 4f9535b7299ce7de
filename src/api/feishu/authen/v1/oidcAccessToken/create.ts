import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { FeishuError, V1_TOKEN_CODE_OF, V1_TOKEN_HTTP_STATUS } from '../../../errors.js';
import { REFRESH_PREFIX, V1_REFRESH_TTL, appOfBearer, v1TokenData } from '../../sign-in.js';

/** Body of the v1 code exchanges: `{grant_type: "authorization_code", code}`. */
export const CodeGrantBody = Type.Object({ grant_type: Type.Optional(Type.Unknown()), code: Type.Optional(Type.Unknown()) });

/** Exchanges a code on a v1 endpoint: the grant and its first refresh token (v1 always gives one). */
export async function exchangeV1(ctx: Parameters<typeof v1TokenData>[0], appId: string, body: { grant_type?: unknown; code?: unknown }) {
  if (body.grant_type !== 'authorization_code' || typeof body.code !== 'string' || body.code === '') {
    throw new FeishuError(V1_TOKEN_CODE_OF.code_invalid, 'grant_type must be "authorization_code" and code a non-empty string', V1_TOKEN_HTTP_STATUS);
  }
  const issued = await ctx.oauth.exchangeCode({
    code: body.code, appId, redirectUri: undefined, verifier: undefined, acceptsVerifier: false, flow: 'v1',
    refreshTtl: () => V1_REFRESH_TTL, refreshPrefix: REFRESH_PREFIX,
  });
  if (!issued.ok) throw new FeishuError(V1_TOKEN_CODE_OF[issued.reason], issued.reason.replace('_', ' '), V1_TOKEN_HTTP_STATUS);
  return issued;
}

/** `client.authen.oidcAccessToken.create` (and `client.userAccessToken.initWithCode`): code → user_access_token. */
export const oidcAccessTokenCreate = defineRoute({
  method: 'POST',
  url: '/authen/v1/oidc/access_token',
  schema: { body: CodeGrantBody },
  auth: 'none',
  async handle({ body, request }, ctx) {
    const app = await appOfBearer(ctx, request);
    const issued = await exchangeV1(ctx, app.appId, body);
    return v1TokenData(ctx, issued.grant, issued.refreshToken);
  },
});
