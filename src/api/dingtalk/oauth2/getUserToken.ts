import { Type } from 'typebox';
import { accessTokenFor, ACCESS_TOKEN_TTL_SECONDS } from '../../oauth/access-tokens.js';
import { defineRoute } from '../../route.js';
import { DINGTALK_MESSAGES, DingtalkError } from '../errors.js';

/** DingTalk user refresh tokens last 30 days. */
const REFRESH_TTL = 30 * 86400;

/**
 * oauth2_1_0 `GetUserToken`, `POST /v1.0/oauth2/userAccessToken`:
 * `{clientId, clientSecret, grantType: "authorization_code", code}` or `{…, grantType: "refresh_token", refreshToken}`
 * → `{accessToken, refreshToken, expireIn, corpId}`. Refresh tokens are single use and rotate.
 */
export const getUserToken = defineRoute({
  method: 'POST',
  url: '/oauth2/userAccessToken',
  schema: {
    body: Type.Object({
      clientId: Type.Optional(Type.Unknown()), clientSecret: Type.Optional(Type.Unknown()), grantType: Type.Optional(Type.Unknown()),
      code: Type.Optional(Type.Unknown()), refreshToken: Type.Optional(Type.Unknown()),
    }),
  },
  auth: 'none',
  async handle({ body }, ctx) {
    if (typeof body.clientId !== 'string' || typeof body.clientSecret !== 'string') throw new DingtalkError('invalidClientIdOrSecret');
    const app = await ctx.directory.app('dingtalk', body.clientId);
    if (!app || app.secret !== body.clientSecret) throw new DingtalkError('invalidClientIdOrSecret');
    let issued;
    if (body.grantType === 'authorization_code') {
      if (typeof body.code !== 'string' || body.code === '') throw new DingtalkError('invalidParameter', DINGTALK_MESSAGES.authCodeMissing);
      issued = await ctx.oauth.exchangeCode({
        code: body.code, appId: app.appId, redirectUri: undefined, verifier: undefined, acceptsVerifier: false, flow: 'dingtalk',
        refreshTtl: () => REFRESH_TTL, refreshPrefix: '',
      });
    } else if (body.grantType === 'refresh_token') {
      if (typeof body.refreshToken !== 'string' || body.refreshToken === '') throw new DingtalkError('invalidParameter', DINGTALK_MESSAGES.refreshTokenMissing);
      issued = await ctx.oauth.refresh({ refreshToken: body.refreshToken, appId: app.appId, flow: 'dingtalk', refreshTtl: REFRESH_TTL, refreshPrefix: '' });
    } else {
      throw new DingtalkError('invalidParameter', DINGTALK_MESSAGES.grantTypeInvalid);
    }
    if (!issued.ok) {
      throw new DingtalkError('invalidParameter', issued.reason.startsWith('code') || issued.reason.startsWith('pkce') || issued.reason === 'redirect_mismatch'
        ? DINGTALK_MESSAGES.authCodeInvalid : DINGTALK_MESSAGES.refreshTokenInvalid);
    }
    const { token, expiresIn } = accessTokenFor(ctx, issued.grant, ACCESS_TOKEN_TTL_SECONDS);
    return { accessToken: token, refreshToken: issued.refreshToken, expireIn: expiresIn, corpId: app.tenantKey };
  },
});
