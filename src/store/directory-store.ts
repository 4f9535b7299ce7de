import type { Kysely, Selectable } from 'kysely';
import type { DirectoryWriter, UserIdType } from '../core/ports.js';
import type { App, Chat, Platform, Room, StoredFile, Tenant, User } from '../core/types.js';
import type { Database } from './schema/index.js';
import type { AppTable, UserTable } from './schema/directory.js';
import { compiledStatement } from './compiled.js';

const toUser = (r: Selectable<UserTable>): User => ({
  id: r.id,
  tenantKey: r.tenant_key,
  userId: r.user_id,
  openId: r.open_id,
  unionId: r.union_id,
  name: r.name,
  email: r.email,
});

const toApp = (r: Selectable<AppTable>): App => ({
  appId: r.app_id, platform: r.platform as Platform, secret: r.secret, tenantKey: r.tenant_key, name: r.name,
  ...(r.redirect_uris === null ? {} : { redirectUris: JSON.parse(r.redirect_uris) as string[] }),
});

const ID_COLUMN: Record<UserIdType, 'open_id' | 'union_id' | 'user_id'> = {
  open_id: 'open_id',
  union_id: 'union_id',
  user_id: 'user_id',
};

/** Bound parameters per `in (…)` list: well below SQLite's and PostgreSQL's limits. */
const CHUNK = 500;

async function inChunks<T>(values: readonly string[], read: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(values)];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await read(unique.slice(i, i + CHUNK))));
  return out;
}

/** The directory port over Kysely; `db` is a transaction when writing. */
// Every event answer names its people: compiled once per list length (compiled.ts).
const usersById = compiledStatement((db, ids: readonly string[]) => db.selectFrom('users').selectAll().where('id', 'in', ids));

export function directoryStore(db: Kysely<Database>): DirectoryWriter {
  return {
    async tenant(key) {
      const r = await db.selectFrom('tenants').selectAll().where('key', '=', key).executeTakeFirst();
      return r && { key: r.key, name: r.name };
    },
    async user(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },
    async users(ids) {
      if (ids.length === 0) return [];
      return (await usersById(db, [...ids])).map(toUser);
    },
    async userByExternalId(tenantKey, type, value) {
      const r = await db.selectFrom('users').selectAll()
        .where('tenant_key', '=', tenantKey).where(ID_COLUMN[type], '=', value).executeTakeFirst();
      return r && toUser(r);
    },
    async usersOfTenant(tenantKey, limit) {
      const rows = await db.selectFrom('users').selectAll().where('tenant_key', '=', tenantKey).orderBy('name').orderBy('id').limit(limit).execute();
      return rows.map(toUser);
    },
    async userByAnyId(tenantKey, value) {
      const r = await db.selectFrom('users').selectAll().where('tenant_key', '=', tenantKey)
        .where((eb) => eb.or([
          eb('id', '=', value), eb('user_id', '=', value), eb('open_id', '=', value), eb('union_id', '=', value),
        ]))
        .executeTakeFirst();
      return r && toUser(r);
    },
    async app(appId) {
      const r = await db.selectFrom('apps').selectAll().where('app_id', '=', appId).executeTakeFirst();
      return r && toApp(r);
    },
    async room(tenantKey, roomId) {
      const r = await db.selectFrom('rooms').selectAll()
        .where('tenant_key', '=', tenantKey).where('room_id', '=', roomId).executeTakeFirst();
      return r && { roomId: r.room_id, tenantKey: r.tenant_key, name: r.name, capacity: r.capacity };
    },
    async chat(tenantKey, chatId) {
      const r = await db.selectFrom('chats').selectAll()
        .where('tenant_key', '=', tenantKey).where('chat_id', '=', chatId).executeTakeFirst();
      return r && {
        chatId: r.chat_id, tenantKey: r.tenant_key, name: r.name, memberIds: JSON.parse(r.member_ids) as string[],
      };
    },
    async file(tenantKey, fileToken) {
      const r = await db.selectFrom('files').selectAll()
        .where('tenant_key', '=', tenantKey).where('file_token', '=', fileToken).executeTakeFirst();
      return r && { fileToken: r.file_token, tenantKey: r.tenant_key, name: r.name, size: r.size };
    },
    async fileInAnyTenant(fileToken) {
      const r = await db.selectFrom('files').selectAll().where('file_token', '=', fileToken).executeTakeFirst();
      return r && { fileToken: r.file_token, tenantKey: r.tenant_key, name: r.name, size: r.size };
    },
    async setting(key) {
      const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return r?.value;
    },
    async directoryRows(ids) {
      const apps = await inChunks(ids.appIds, (part) => db.selectFrom('apps').selectAll().where('app_id', 'in', part).execute());
      const rooms = await inChunks(ids.roomIds, (part) => db.selectFrom('rooms').selectAll().where('room_id', 'in', part).execute());
      const chats = await inChunks(ids.chatIds, (part) => db.selectFrom('chats').selectAll().where('chat_id', 'in', part).execute());
      const files = await inChunks(ids.fileTokens, (part) => db.selectFrom('files').selectAll().where('file_token', 'in', part).execute());
      const byId = await inChunks(ids.userIds, (part) => db.selectFrom('users').selectAll().where('id', 'in', part).execute());
      const byValue = await inChunks(ids.userValues, (part) => db.selectFrom('users').selectAll()
        .where((eb) => eb.or([eb('user_id', 'in', part), eb('open_id', 'in', part), eb('union_id', 'in', part)])).execute());
      const users = new Map([...byId, ...byValue].map((r) => [r.id, toUser(r)]));
      return {
        apps: apps.map((r) => ({ appId: r.app_id, platform: r.platform as Platform, secret: r.secret, tenantKey: r.tenant_key, name: r.name })),
        rooms: rooms.map((r) => ({ roomId: r.room_id, tenantKey: r.tenant_key, name: r.name, capacity: r.capacity })),
        chats: chats.map((r) => ({ chatId: r.chat_id, tenantKey: r.tenant_key, name: r.name, memberIds: JSON.parse(r.member_ids) as string[] })),
        files: files.map((r) => ({ fileToken: r.file_token, tenantKey: r.tenant_key, name: r.name, size: r.size })),
        users: [...users.values()],
      };
    },
    async tenants(limit) {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('key').limit(limit).execute();
      return rows.map((r) => ({ key: r.key, name: r.name }));
    },
    async appsOfTenant(tenantKey, limit) {
      const rows = await db.selectFrom('apps').selectAll().where('tenant_key', '=', tenantKey).orderBy('app_id').limit(limit).execute();
      return rows.map(toApp);
    },
    async roomsOfTenant(tenantKey, limit) {
      const rows = await db.selectFrom('rooms').selectAll().where('tenant_key', '=', tenantKey).orderBy('name').orderBy('room_id').limit(limit).execute();
      return rows.map((r) => ({ roomId: r.room_id, tenantKey: r.tenant_key, name: r.name, capacity: r.capacity }));
    },
    async putTenant(t: Tenant) {
      await db.insertInto('tenants').values({ key: t.key, name: t.name })
        .onConflict((oc) => oc.column('key').doUpdateSet({ name: t.name })).execute();
    },
    async putUser(u: User) {
      const row = {
        id: u.id, tenant_key: u.tenantKey, user_id: u.userId, open_id: u.openId, union_id: u.unionId,
        name: u.name, email: u.email,
      };
      await db.insertInto('users').values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: u.name, email: u.email })).execute();
    },
    async putApp(a: App) {
      const redirectUris = a.redirectUris === undefined ? null : JSON.stringify(a.redirectUris);
      await db.insertInto('apps')
        .values({ app_id: a.appId, platform: a.platform, secret: a.secret, tenant_key: a.tenantKey, name: a.name, redirect_uris: redirectUris })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ secret: a.secret, name: a.name, redirect_uris: redirectUris })).execute();
    },
    async putRoom(r: Room) {
      await db.insertInto('rooms')
        .values({ room_id: r.roomId, tenant_key: r.tenantKey, name: r.name, capacity: r.capacity })
        .onConflict((oc) => oc.column('room_id').doUpdateSet({ name: r.name, capacity: r.capacity })).execute();
    },
    async putChat(c: Chat) {
      const member_ids = JSON.stringify(c.memberIds);
      await db.insertInto('chats').values({ chat_id: c.chatId, tenant_key: c.tenantKey, name: c.name, member_ids })
        .onConflict((oc) => oc.column('chat_id').doUpdateSet({ name: c.name, member_ids })).execute();
    },
    async putFile(f: StoredFile) {
      await db.insertInto('files').values({ file_token: f.fileToken, tenant_key: f.tenantKey, name: f.name, size: f.size })
        .onConflict((oc) => oc.column('file_token').doUpdateSet({ name: f.name, size: f.size })).execute();
    },
    async categories(tenantKey) {
      const rows = await db.selectFrom('categories').selectAll().where('tenant_key', '=', tenantKey).orderBy('position').execute();
      return rows.map((r) => ({ categoryId: r.category_id, displayName: r.display_name }));
    },
    async putCategories(tenantKey, categories) {
      await db.deleteFrom('categories').where('tenant_key', '=', tenantKey).execute();
      if (categories.length === 0) return;
      await db.insertInto('categories')
        .values(categories.map((c, position) => ({ tenant_key: tenantKey, category_id: c.categoryId, display_name: c.displayName, position })))
        .execute();
    },
    async putSettingIfAbsent(key, value) {
      await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
      const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
      return r.value;
    },
  };
}
