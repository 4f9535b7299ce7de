import type { AppContext } from '../../../../context.js';
import { FeishuError } from '../../errors.js';

/** Half an hour: within it, repeated token requests get the same token, as Feishu hands out. */
const BUCKET_SECONDS = 1800;

/**
 * Checks app credentials and issues the app's tenant token. Bad credentials are HTTP 200 with code
 * 10003, as the real service answers.
 */
export async function issueTenantToken(ctx: AppContext, body: { app_id?: unknown; app_secret?: unknown }): Promise<{ token: string; expire: number }> {
  if (typeof body.app_id !== 'string' || typeof body.app_secret !== 'string') throw new FeishuError(10003, 'app_id and app_secret are required strings');
  const app = await ctx.directory.app('feishu', body.app_id);
  if (!app || app.secret !== body.app_secret) throw new FeishuError(10003, 'app_id or app_secret is wrong');
  const now = Math.floor(ctx.clock.now() / 1000);
  const issuedAt = now - (now % BUCKET_SECONDS);
  const { token, exp } = ctx.tokens.issue({ kind: 'tenant', tenantKey: app.tenantKey, appId: app.appId }, issuedAt);
  return { token, expire: exp - now };
}
