import { bornCalendar } from '../calendars.js';
import { DEFAULT_CATEGORIES } from '../categories.js';
import { DomainError } from '../errors.js';
import { savePushConfig } from './push-service.js';
import type { StoreReader, StoreWriter, UserIdType } from '../ports.js';
import type { App, EventCategory, Platform, PrincipalKey, User } from '../types.js';
import { checkSeedAgainst, seedIds } from '../seed.js';
import type { Seed } from '../seed.js';
import type { CoreDeps } from './calendar-service.js';
import { newCalendarId } from './calendar-service.js';

export type { Seed } from '../seed.js';

/** A seeded principal's calendar as it was: a reset gives it back under the same id. */
export interface BornCalendarId {
  readonly calendarId: string;
  /** Unix seconds. */
  readonly createdAt: number;
}

/** Tenants, users, apps and the calendars every principal is born with. */
export class DirectoryService {
  constructor(private readonly deps: CoreDeps) {}

  /**
   * Applies a seed. Idempotent: what exists is updated in place, nothing is created twice. Checked
   * whole against what the database holds before anything is written (a SeedError otherwise).
   */
  applySeed(seed: Seed): Promise<void> {
    return this.deps.store.transact(async (w) => {
      await this.seedInto(w, seed);
      // Remembered, so that a reset replays it (snapshot-service.ts).
      await w.snapshots.rememberSeed(seed);
    });
  }

  /**
   * Writes a seed in the caller's transaction. `born` gives a principal's calendar, when it is born
   * here, the id and birth time it had before (a reset keeps the seeded calendars' ids).
   */
  async seedInto(w: StoreWriter, seed: Seed, born?: (owner: PrincipalKey) => BornCalendarId | undefined): Promise<void> {
    checkSeedAgainst(seed, await w.directory.directoryRows(seedIds(seed)));
    for (const t of seed.tenants) {
      await w.directory.putTenant({ key: t.key, name: t.name });
      for (const user of t.users) {
        await w.directory.putUser(user);
        await this.ensureCalendar(w, t.key, `u:${user.id}`, user.name, 'primary', born);
      }
      for (const app of t.apps) {
        await w.directory.putApp(app);
        // Feishu apps act as bots with a calendar of their own; DingTalk apps act for users.
        if (app.platform === 'feishu') await this.ensureCalendar(w, t.key, `a:${app.appId}`, app.name, 'primary', born);
      }
      for (const room of t.rooms) {
        await w.directory.putRoom({ ...room, tenantKey: t.key });
        await this.ensureCalendar(w, t.key, `r:${room.roomId}`, room.name, 'resource', born);
      }
      for (const chat of t.chats) {
        const members: string[] = [];
        for (const id of chat.memberUserIds) {
          const u = await w.directory.userByAnyId(t.key, id);
          if (!u) throw new DomainError('user_not_found', `chat ${chat.chatId}: member ${id} is not a user of tenant ${t.key}`);
          members.push(u.id);
        }
        await w.directory.putChat({ chatId: chat.chatId, tenantKey: t.key, name: chat.name, memberIds: members });
      }
      for (const file of t.files) await w.directory.putFile({ ...file, tenantKey: t.key });
      if (t.categories !== undefined) await w.directory.putCategories(t.key, t.categories);
      for (const push of t.pushConfigs ?? []) await savePushConfig(w, push.appId, push.config, this.deps.clock.now());
    }
  }

  private async ensureCalendar(
    w: StoreWriter, tenantKey: string, owner: PrincipalKey, name: string, type: 'primary' | 'resource',
    bornBefore?: (owner: PrincipalKey) => BornCalendarId | undefined,
  ): Promise<void> {
    if (await w.calendars.primaryCalendar(owner)) return;
    if (type === 'resource' && (await this.resourceCalendar(w, owner))) return;
    const before = bornBefore?.(owner);
    const born = bornCalendar(tenantKey, {
      calendarId: before?.calendarId ?? newCalendarId(this.deps.ids), owner, name, type,
      now: before?.createdAt ?? Math.floor(this.deps.clock.now() / 1000), seq: await w.calendars.nextSeq(),
    });
    for (const calendar of born.calendars) await w.calendars.putCalendar(calendar);
    for (const subscription of born.subscriptions) await w.calendars.putSubscription(subscription);
    // Followers of the log from sequence 0 learn of every calendar, seeded ones included.
    await w.changes.append(born.changes, this.deps.clock.now());
  }

  private async resourceCalendar(r: StoreReader, owner: PrincipalKey) {
    return (await r.calendars.calendarsOwnedBy(owner)).find((c) => c.type === 'resource');
  }

  /** Whether a chat (a group conversation) of the tenant exists. */
  chatExists(tenantKey: string, chatId: string): Promise<boolean> {
    return this.deps.store.lookup(async (r) => (await r.directory.chat(tenantKey, chatId)) !== undefined);
  }

  /** A tenant's event categories: the seed's, else rili's defaults. */
  categories(tenantKey: string): Promise<readonly EventCategory[]> {
    return this.deps.store.read(async (r) => {
      const seeded = await r.directory.categories(tenantKey);
      return seeded.length > 0 ? seeded : DEFAULT_CATEGORIES;
    });
  }

  /** A user of the tenant named by a wire id of the given kind, or a user_not_found error naming the field. */
  async resolveUser(r: StoreReader, tenantKey: string, type: UserIdType, value: string, field: string): Promise<User> {
    const user = await r.directory.userByExternalId(tenantKey, type, value);
    if (!user) throw new DomainError('user_not_found', `${field}: no user with ${type} ${value} in this tenant`, field);
    return user;
  }

  /** User ids on the wire, each of the tenant, in one read; an unknown one is user_not_found naming `fieldOf(index)`. */
  resolveUsers(tenantKey: string, type: UserIdType, values: readonly string[], fieldOf: (index: number) => string): Promise<User[]> {
    return this.deps.store.read((r) => Promise.all(values.map((value, i) => this.resolveUser(r, tenantKey, type, value, fieldOf(i)))));
  }

  /** A user by rili's internal id. */
  user(id: string): Promise<User | undefined> {
    return this.deps.store.lookup((r) => r.directory.user(id));
  }

  /** Users by internal id; unknown ids are left out. */
  users(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return Promise.resolve([]);
    // One statement: a lookup (committed data, no snapshot to open and close).
    return this.deps.store.lookup((r) => r.directory.users(ids));
  }

  /** A user of the tenant by a wire id of the given kind, or undefined. */
  userByExternalId(tenantKey: string, type: UserIdType, value: string): Promise<User | undefined> {
    return this.deps.store.lookup((r) => r.directory.userByExternalId(tenantKey, type, value));
  }

  /** A user of the tenant by any of its ids (internal, user_id, open_id, union_id). */
  userByAnyId(tenantKey: string, value: string): Promise<User | undefined> {
    return this.deps.store.lookup((r) => r.directory.userByAnyId(tenantKey, value));
  }

  /** A tenant's users by name, at most `limit`. */
  usersOfTenant(tenantKey: string, limit: number): Promise<User[]> {
    return this.deps.store.lookup((r) => r.directory.usersOfTenant(tenantKey, limit));
  }

  /** An app by id on any platform. */
  appById(appId: string): Promise<App | undefined> {
    return this.deps.store.lookup((r) => r.directory.app(appId));
  }

  /** Apps by the ids asked for (app_id or app_key): id → app; unknown ids are left out. */
  async apps(appIds: readonly string[]): Promise<Map<string, App>> {
    if (appIds.length === 0) return new Map();
    const found = await this.deps.store.read((r) => Promise.all(appIds.map(async (id) => [id, await r.directory.app(id)] as const)));
    return new Map(found.filter((entry): entry is readonly [string, App] => entry[1] !== undefined));
  }

  /** Who owns each of these calendars (users, apps, rooms): calendar id → principal; unknown ids are left out. */
  async calendarOwners(calendarIds: readonly string[]): Promise<Map<string, PrincipalKey>> {
    if (calendarIds.length === 0) return new Map();
    const calendars = await this.deps.store.read((r) => r.calendars.calendars(calendarIds));
    return new Map(calendars.map((c) => [c.calendarId, c.owner]));
  }

  /** Finds an app by id (app_id or app_key) on a platform. */
  async app(platform: Platform, appId: string): Promise<App | undefined> {
    const app = await this.deps.store.lookup((r) => r.directory.app(appId));
    return app?.platform === platform ? app : undefined;
  }
}
