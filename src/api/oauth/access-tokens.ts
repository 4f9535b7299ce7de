import type { TokenClaims } from '../../auth/tokens.js';
import type { AppContext } from '../../context.js';
import { accessTokenLive } from '../../core/oauth.js';
import type { OAuthGrant } from '../../core/oauth.js';

/** Both platforms give user access tokens two hours. */
export const ACCESS_TOKEN_TTL_SECONDS = 7200;

/**
 * An access token for a grant's current generation. It is signed like every rili token (any worker
 * checks it) and names its grant, so revoking or rotating the grant ends it (see grantLive).
 * Feishu tokens carry the granted scopes; DingTalk's user permissions are the app's, so theirs do not.
 */
export function accessTokenFor(ctx: AppContext, grant: OAuthGrant, ttlSeconds: number): { token: string; expiresIn: number } {
  const now = Math.floor(ctx.clock.now() / 1000);
  const { token, exp } = ctx.tokens.issue({
    kind: grant.platform === 'feishu' ? 'user' : 'dingtalk_user',
    tenantKey: grant.tenantKey,
    appId: grant.appId,
    userId: grant.userId,
    ...(grant.platform === 'feishu' && grant.scopes !== undefined ? { scopes: grant.scopes } : {}),
    grant: { id: grant.id, generation: grant.generation },
  }, now, ttlSeconds);
  return { token, expiresIn: exp - now };
}

/** Whether a token's grant (if it came from one) still stands: one read of the grant, on any worker. */
export async function grantLive(ctx: AppContext, claims: TokenClaims): Promise<boolean> {
  if (!claims.grant) return true;
  const grant = await ctx.oauth.grant(claims.grant.id);
  return accessTokenLive(grant, claims.grant.generation, Math.floor(ctx.clock.now() / 1000));
}
