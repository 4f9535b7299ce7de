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
 * Apps and users are only ever added (by the seed), never removed or moved to another tenant, so
 * what authentication reads of them holds for the life of the process: kept here, it saves two
 * reads on every request. Only found rows are kept (a user seeded later is still found), per
 * context (each server its own), and at most KEPT of each.
 */
const KEPT = 10_000;
const apps = new WeakMap<AppContext, Map<string, TokenApp>>();
const users = new WeakMap<AppContext, Map<string, TokenUser>>();

function kept<T>(all: WeakMap<AppContext, Map<string, T>>, ctx: AppContext): Map<string, T> {
  let map = all.get(ctx);
  if (!map) {
    map = new Map();
    all.set(ctx, map);
  }
  return map;
}

function keep<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size >= KEPT) map.delete(map.keys().next().value!);
  map.set(key, value);
}

export async function tokenApp(ctx: AppContext, appId: string): Promise<TokenApp | undefined> {
  const map = kept(apps, ctx);
  const known = map.get(appId);
  if (known) return known;
  const app = await ctx.store.read((r) => r.directory.app(appId));
  if (!app) return undefined;
  const facts = { appId: app.appId, platform: app.platform, tenantKey: app.tenantKey };
  keep(map, appId, facts);
  return facts;
}

export async function tokenUser(ctx: AppContext, userId: string): Promise<TokenUser | undefined> {
  const map = kept(users, ctx);
  const known = map.get(userId);
  if (known) return known;
  const user = await ctx.store.read((r) => r.directory.user(userId));
  if (!user) return undefined;
  const facts = { id: user.id, tenantKey: user.tenantKey };
  keep(map, userId, facts);
  return facts;
}
