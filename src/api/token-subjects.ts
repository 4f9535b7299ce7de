import type { AppContext } from '../context.js';
import type { Platform } from '../core/types.js';

/** What authentication needs to know of a token's app. */
export interface TokenApp {
  readonly appId: string;
  readonly platform: Platform;
  readonly tenantKey: string;
}

/** What authentication needs to know of a token's user. */
export interface TokenUser {
  readonly id: string;
  readonly tenantKey: string;
}

/**
 * Apps and users are only ever added (by the seed), never removed or moved to another tenant (a seed
 * that would move one is refused: src/core/seed.ts), so
 * what authentication reads of them holds for the life of the process: kept here, it saves two
 * reads on every request. Only found rows are kept (a user seeded later is still found), per
 * context (each server its own), and at most KEPT of each.
 */
const KEPT = 10_000;
const apps = new WeakMap<AppContext, Map<string, TokenApp>>();
const users = new WeakMap<AppContext, Map<string, TokenUser>>();

/** The value kept for `key`, or the one `load` finds (kept when found). */
async function remembered<T>(all: WeakMap<AppContext, Map<string, T>>, ctx: AppContext, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
  let map = all.get(ctx);
  if (!map) {
    map = new Map();
    all.set(ctx, map);
  }
  const known = map.get(key);
  if (known) return known;
  const found = await load();
  if (found === undefined) return undefined;
  if (map.size >= KEPT) map.delete(map.keys().next().value!);
  map.set(key, found);
  return found;
}

export const tokenApp = (ctx: AppContext, appId: string): Promise<TokenApp | undefined> => remembered(apps, ctx, appId, async () => {
  const app = await ctx.directory.appById(appId);
  return app && { appId: app.appId, platform: app.platform, tenantKey: app.tenantKey };
});

export const tokenUser = (ctx: AppContext, userId: string): Promise<TokenUser | undefined> => remembered(users, ctx, userId, async () => {
  const user = await ctx.directory.user(userId);
  return user && { id: user.id, tenantKey: user.tenantKey };
});
