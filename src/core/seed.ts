/**
 * What a seed may not do to a database that already holds a directory (README "Re-seeding"): move an
 * app, room, chat or file to another tenant, change an app's platform or a user's ids, take an id
 * another user holds, or name a chat member who is no user of the chat's tenant. Pure: the service
 * loads the rows the seed's ids name (`DirectoryReader.directoryRows`) and asks here before writing.
 */
import type { DirectoryIds, DirectoryRows } from './ports.js';
import type { PushConfig } from './push/config.js';
import type { App, User } from './types.js';

/** A seed, already parsed and given every id (see src/seed.ts for the JSON format). */
export interface Seed {
  readonly tenants: ReadonlyArray<{
    readonly key: string;
    readonly name: string;
    readonly users: readonly User[];
    readonly apps: readonly App[];
    readonly rooms: ReadonlyArray<{ roomId: string; name: string; capacity: number }>;
    readonly chats: ReadonlyArray<{ chatId: string; name: string; memberUserIds: readonly string[] }>;
    readonly files: ReadonlyArray<{ fileToken: string; name: string; size: number }>;
    /** DingTalk's event categories, when the seed gives them (`categories[]`). */
    readonly categories?: ReadonlyArray<{ categoryId: string; displayName: string }>;
    /** Apps' push receivers (`apps[].events`). */
    readonly pushConfigs?: ReadonlyArray<{ appId: string; config: PushConfig }>;
  }>;
}

/** A seed refused as a whole: one line, naming both places of the conflict. */
export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(message: string) {
    super(`seed: ${message}`);
  }
}

const USER_ID_KINDS = ['user_id', 'open_id', 'union_id'] as const;
type UserIdKind = (typeof USER_ID_KINDS)[number];
const idOf = (u: User, kind: UserIdKind): string => (kind === 'user_id' ? u.userId : kind === 'open_id' ? u.openId : u.unionId);

/** Every id of the seed, to look up what the database holds under them (in any tenant). */
export function seedIds(seed: Seed): DirectoryIds {
  const users = seed.tenants.flatMap((t) => t.users);
  return {
    appIds: seed.tenants.flatMap((t) => t.apps.map((a) => a.appId)),
    roomIds: seed.tenants.flatMap((t) => t.rooms.map((r) => r.roomId)),
    chatIds: seed.tenants.flatMap((t) => t.chats.map((c) => c.chatId)),
    fileTokens: seed.tenants.flatMap((t) => t.files.map((f) => f.fileToken)),
    userIds: users.map((u) => u.id),
    // Chat members may name users seeded earlier, by any of their ids.
    userValues: [...new Set([...users.flatMap((u) => USER_ID_KINDS.map((k) => idOf(u, k))), ...seed.tenants.flatMap((t) => t.chats.flatMap((c) => c.memberUserIds))])],
  };
}

/** Throws a SeedError for the first thing the seed would change that it may not; the database is untouched. */
export function checkSeedAgainst(seed: Seed, held: DirectoryRows): void {
  const apps = new Map(held.apps.map((a) => [a.appId, a]));
  const placed = <T extends { tenantKey: string }>(what: string, rows: readonly T[], idOf: (row: T) => string) => {
    const byId = new Map(rows.map((r) => [idOf(r), r]));
    return (id: string, tenantKey: string, place: string) => {
      const row = byId.get(id);
      if (row && row.tenantKey !== tenantKey) {
        throw new SeedError(`${what} "${id}" is in tenant "${row.tenantKey}" in the database and in tenant "${tenantKey}" (${place}); a ${what} never moves to another tenant`);
      }
    };
  };
  const checkApp = placed('app', held.apps, (a) => a.appId);
  const checkRoom = placed('room', held.rooms, (r) => r.roomId);
  const checkChat = placed('chat', held.chats, (c) => c.chatId);
  const checkFile = placed('file', held.files, (f) => f.fileToken);
  const usersById = new Map(held.users.map((u) => [u.id, u]));

  for (const [ti, t] of seed.tenants.entries()) {
    for (const [i, app] of t.apps.entries()) {
      const place = `tenants[${ti}].apps[${i}]`;
      checkApp(app.appId, t.key, place);
      const was = apps.get(app.appId);
      if (was && was.platform !== app.platform) {
        throw new SeedError(`app "${app.appId}" is a ${was.platform} app in the database and a ${app.platform} app in the seed (${place}); an app's platform never changes`);
      }
    }
    for (const [i, user] of t.users.entries()) checkUser(user, `tenants[${ti}].users[${i}]`, usersById.get(user.id), held.users);
    for (const [i, room] of t.rooms.entries()) checkRoom(room.roomId, t.key, `tenants[${ti}].rooms[${i}]`);
    for (const [i, chat] of t.chats.entries()) {
      const place = `tenants[${ti}].chats[${i}]`;
      checkChat(chat.chatId, t.key, place);
      const users = [...t.users, ...held.users.filter((u) => u.tenantKey === t.key)];
      for (const member of chat.memberUserIds) {
        if (!users.some((u) => u.id === member || USER_ID_KINDS.some((k) => idOf(u, k) === member))) {
          throw new SeedError(`chat "${chat.chatId}" (${place}) has member "${member}", who is no user of tenant "${t.key}"`);
        }
      }
    }
    for (const [i, file] of t.files.entries()) checkFile(file.fileToken, t.key, `tenants[${ti}].files[${i}]`);
  }
}

/**
 * A seeded user already in the database keeps its ids (events and ACLs name users by them); no other
 * user may hold one of them: an open_id or union_id in any tenant, any id of a user in the same tenant
 * (a chat member or an API call names a user by any of its ids).
 */
function checkUser(user: User, place: string, same: User | undefined, held: readonly User[]): void {
  if (same) {
    for (const kind of USER_ID_KINDS) {
      if (idOf(same, kind) !== idOf(user, kind)) {
        throw new SeedError(`user "${user.name}" (${place}) has ${kind} "${idOf(user, kind)}" where the database holds "${idOf(same, kind)}"; a user's ids never change`);
      }
    }
  }
  for (const other of held) {
    if (other.id === user.id) continue;
    for (const kind of USER_ID_KINDS) {
      const value = idOf(user, kind);
      const globalClash = kind !== 'user_id' && idOf(other, kind) === value;
      const tenantClash = other.tenantKey === user.tenantKey && USER_ID_KINDS.find((k) => idOf(other, k) === value);
      if (!globalClash && !tenantClash) continue;
      const theirs = globalClash ? kind : tenantClash as UserIdKind;
      throw new SeedError(theirs === kind
        ? `${kind} "${value}" is user "${other.name}" of tenant "${other.tenantKey}" in the database and user "${user.name}" of tenant "${user.tenantKey}" (${place})`
        : `${kind} "${value}" of user "${user.name}" of tenant "${user.tenantKey}" (${place}) is the ${theirs} of user "${other.name}" in the database`);
    }
  }
}
