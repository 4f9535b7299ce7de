import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import type { OAuthGrant } from '../../../core/oauth.js';
import type { App, User } from '../../../core/types.js';
import { accessTokenFor } from '../../oauth/access-tokens.js';
import type { SignInDialect } from '../../oauth/sign-in.js';
import { FeishuError, V1_BAD_APP_TOKEN, V1_TOKEN_HTTP_STATUS } from '../errors.js';

/** Feishu's sign-in page: codes come back as `code`; both pages post their choice to /authorize. */
export const FEISHU_SIGN_IN: SignInDialect = { platform: 'feishu', platformName: 'Feishu', codeParam: 'code', action: '/open-apis/authen/v1/authorize' };

/** Lifetimes Feishu gives (seconds): v1 OIDC answers 7199 and 2591999; v2 7200 and 604800 (7 days). */
export const V1_ACCESS_TTL = 7199;
export const V1_REFRESH_TTL = 2_591_999;
export const V2_ACCESS_TTL = 7200;
export const V2_REFRESH_TTL = 604_800;
/** Refresh tokens start `ur-` (access tokens `u-`). */
export const REFRESH_PREFIX = 'ur-';

/**
 * The v1 token endpoints take the app's token as Bearer: the SDK sends its tenant_access_token, the
 * documents name app_access_token, so either is accepted. Refusals are HTTP 200 with 20014.
 */
export async function appOfBearer(ctx: AppContext, request: FastifyRequest): Promise<App> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const check = ctx.tokens.verify(token, Math.floor(ctx.clock.now() / 1000));
  if (!check.ok || (check.claims.kind !== 'tenant' && check.claims.kind !== 'app')) {
    throw new FeishuError(V1_BAD_APP_TOKEN, 'Authorization must be "Bearer <app_access_token or tenant_access_token>"', V1_TOKEN_HTTP_STATUS);
  }
  const app = await ctx.directory.app('feishu', check.claims.appId);
  if (!app) throw new FeishuError(V1_BAD_APP_TOKEN, 'the token\'s app is unknown', V1_TOKEN_HTTP_STATUS);
  return app;
}

/** A user's profile as Feishu's user_info and the older v1 token endpoint give it. */
export function profileOf(user: User): Record<string, string> {
  return {
    name: user.name,
    en_name: user.name,
    avatar_url: '',
    avatar_thumb: '',
    avatar_middle: '',
    avatar_big: '',
    open_id: user.openId,
    union_id: user.unionId,
    email: user.email ?? '',
    enterprise_email: '',
    user_id: user.userId,
    mobile: '',
    tenant_key: user.tenantKey,
    employee_no: '',
  };
}

/** The scope string a token response carries; a grant of every scope reports none by name (docs/compatibility.md). */
export const scopeText = (grant: OAuthGrant): string => (grant.scopes ?? []).join(' ');

/** The v1 OIDC `data` of a grant just issued or refreshed. */
/** The older v1 endpoints' `data`: the token data with the user's profile and the sign-in id. */
export async function v1TokenDataWithProfile(ctx: AppContext, grant: OAuthGrant, refreshToken: string | undefined): Promise<Record<string, unknown>> {
  const user = await ctx.directory.user(grant.userId);
  return { ...v1TokenData(ctx, grant, refreshToken), ...(user ? profileOf(user) : {}), sid: grant.id };
}

export function v1TokenData(ctx: AppContext, grant: OAuthGrant, refreshToken: string | undefined): Record<string, unknown> {
  const { token, expiresIn } = accessTokenFor(ctx, grant, V1_ACCESS_TTL);
  const now = Math.floor(ctx.clock.now() / 1000);
  return {
    access_token: token,
    refresh_token: refreshToken ?? '',
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_expires_in: grant.refreshExpiresAt === undefined ? 0 : grant.refreshExpiresAt - now,
    scope: scopeText(grant),
  };
}
