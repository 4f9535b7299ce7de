import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import { SeedError } from './core/seed.js';
import type { Seed } from './core/seed.js';
import type { App, User } from './core/types.js';
import type { PushConfig } from './core/push/config.js';

const Id = Type.String({ minLength: 1, maxLength: 255 });

/** The seed file format (README "Seed format"). Ids left out are derived from the tenant and a stable key. */
export const SeedFile = Type.Object({
  tenants: Type.Array(Type.Object({
    tenant_key: Id,
    name: Type.Optional(Type.String()),
    users: Type.Optional(Type.Array(Type.Object({
      user_id: Type.Optional(Id),
      open_id: Type.Optional(Id),
      union_id: Type.Optional(Id),
      name: Type.String({ minLength: 1 }),
      email: Type.Optional(Type.String()),
    }, { additionalProperties: false }))),
    apps: Type.Optional(Type.Array(Type.Object({
      platform: Type.Union([Type.Literal('feishu'), Type.Literal('dingtalk')]),
      app_id: Type.Optional(Id),
      app_key: Type.Optional(Id),
      app_secret: Type.Optional(Id),
      name: Type.Optional(Type.String()),
      /** Registered OAuth redirect URIs; left out, the sign-in page accepts any. */
      redirect_uris: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 100 })),
      /** Where the app receives event pushes (Feishu: request URL, Encrypt Key, Verification Token; DingTalk: request URL, token, aes_key). */
      events: Type.Optional(Type.Object({
        request_url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        encrypt_key: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        verification_token: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        token: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        aes_key: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}$' })),
      }, { additionalProperties: false })),
    }, { additionalProperties: false }))),
    rooms: Type.Optional(Type.Array(Type.Object({
      room_id: Type.Optional(Id),
      name: Type.String({ minLength: 1 }),
      capacity: Type.Optional(Type.Integer({ minimum: 0 })),
    }, { additionalProperties: false }))),
    chats: Type.Optional(Type.Array(Type.Object({
      chat_id: Type.Optional(Id),
      name: Type.String({ minLength: 1 }),
      members: Type.Optional(Type.Array(Id)),
    }, { additionalProperties: false }))),
    files: Type.Optional(Type.Array(Type.Object({
      file_token: Type.Optional(Id),
      name: Type.String({ minLength: 1 }),
      size: Type.Integer({ minimum: 0 }),
    }, { additionalProperties: false }))),
    /** DingTalk's event categories (`ListCategories`), in order; left out, rili's defaults (core/categories.ts). */
    categories: Type.Optional(Type.Array(Type.Object({
      category_id: Type.Optional(Id),
      display_name: Type.String({ minLength: 1, maxLength: 256 }),
    }, { additionalProperties: false }), { maxItems: 100 })),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type SeedFile = Static<typeof SeedFile>;

const hex = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

type SeedEvents = NonNullable<NonNullable<SeedFile['tenants'][number]['apps']>[number]['events']>;

/** An app's receiver from the seed; each platform's fields only (DingTalk's token and aes_key share Feishu's slots). */
function pushConfigOf(platform: 'feishu' | 'dingtalk', e: SeedEvents, where: string): PushConfig {
  const foreign = platform === 'feishu' ? (['token', 'aes_key'] as const) : (['encrypt_key', 'verification_token'] as const);
  for (const field of foreign) if (e[field] !== undefined) throw new Error(`seed: ${where} events.${field} is not a ${platform} setting`);
  if (platform === 'dingtalk' && e.request_url !== undefined && (e.token === undefined || e.aes_key === undefined)) {
    throw new Error(`seed: ${where} events needs token and aes_key with its request_url`);
  }
  const encryptKey = e.encrypt_key ?? e.aes_key;
  const verificationToken = e.verification_token ?? e.token;
  return {
    ...(e.request_url !== undefined ? { requestUrl: e.request_url } : {}),
    ...(encryptKey !== undefined ? { encryptKey } : {}),
    ...(verificationToken !== undefined ? { verificationToken } : {}),
  };
}

/** Checks a parsed JSON seed and gives every object its ids, deterministically. */
export function seedFromJson(json: unknown): Seed {
  const validate = new Ajv({ allErrors: false, strict: false }).compile<SeedFile>(SeedFile);
  if (!validate(json)) {
    const e = validate.errors![0];
    throw new Error(`seed: ${e.instancePath || '/'} ${e.message}`);
  }
  const file = json;
  const seed: Seed = {
    tenants: file.tenants.map((t) => {
      const k = t.tenant_key;
      const users: User[] = (t.users ?? []).map((u) => {
        const stable = u.user_id ?? u.open_id ?? u.union_id ?? u.name;
        return {
          id: `usr_${hex(k, 'user', stable).slice(0, 24)}`,
          tenantKey: k,
          userId: u.user_id ?? hex(k, 'user_id', stable).slice(0, 8),
          openId: u.open_id ?? `ou_${hex(k, 'open_id', stable).slice(0, 32)}`,
          unionId: u.union_id ?? `on_${hex(k, 'union_id', stable).slice(0, 32)}`,
          name: u.name,
          email: u.email ?? null,
        };
      });
      const apps: App[] = (t.apps ?? []).map((a, i) => {
        const given = a.platform === 'feishu' ? a.app_id : (a.app_key ?? a.app_id);
        const appId = given ?? (a.platform === 'feishu' ? `cli_${hex(k, 'app', String(i)).slice(0, 16)}` : `ding${hex(k, 'app', String(i)).slice(0, 16)}`);
        return {
          appId,
          platform: a.platform,
          secret: a.app_secret ?? hex(k, 'secret', appId).slice(0, 32),
          tenantKey: k,
          name: a.name ?? `${t.name ?? k} ${a.platform} app`,
          ...(a.redirect_uris ? { redirectUris: a.redirect_uris } : {}),
        };
      });
      const pushConfigs = (t.apps ?? []).flatMap((a, i) => a.events ? [{ appId: apps[i].appId, config: pushConfigOf(a.platform, a.events, `${k}/${apps[i].appId}`) }] : []);
      return {
        key: k,
        name: t.name ?? k,
        users,
        apps,
        ...(pushConfigs.length > 0 ? { pushConfigs } : {}),
        rooms: (t.rooms ?? []).map((r) => ({
          roomId: r.room_id ?? `omm_${hex(k, 'room', r.name).slice(0, 32)}`, name: r.name, capacity: r.capacity ?? 10,
        })),
        chats: (t.chats ?? []).map((c) => ({
          chatId: c.chat_id ?? `oc_${hex(k, 'chat', c.name).slice(0, 32)}`, name: c.name, memberUserIds: c.members ?? [],
        })),
        files: (t.files ?? []).map((f) => ({
          fileToken: f.file_token ?? `box${hex(k, 'file', f.name).slice(0, 24)}`, name: f.name, size: f.size,
        })),
        ...(t.categories !== undefined ? {
          categories: t.categories.map((c) => ({ categoryId: c.category_id ?? `cat_${hex(k, 'category', c.display_name).slice(0, 16)}`, displayName: c.display_name })),
        } : {}),
      };
    }),
  };
  checkUniqueIds(file, seed);
  return seed;
}

/** Where an id was first seen: a second sighting in the same scope refuses the seed, naming both. */
interface Sighting {
  readonly label: string;
  readonly tenant: string;
  readonly place: string;
  /** Who holds it: one user's own ids may repeat (user_id equal to open_id). */
  readonly holder: string;
}

/**
 * Every id that must be unique is (the database's keys, and what the API looks users up by): tenant
 * keys; app ids, room ids, chat ids, file tokens, open_ids, union_ids and internal user ids in the
 * whole seed; any id of a user within its tenant. Given ids are checked first, so the message quotes
 * what the file says; then the generated ones.
 */
function checkUniqueIds(file: SeedFile, seed: Seed): void {
  const seen = new Map<string, Sighting>();
  const claim = (scope: string, value: string, s: Sighting) => {
    const key = `${scope}\u0000${value}`;
    const first = seen.get(key);
    if (!first) return void seen.set(key, s);
    if (first.holder === s.holder) return;
    throw new SeedError(first.label === s.label
      ? `${s.label} is in tenant "${first.tenant}" (${first.place}) and in tenant "${s.tenant}" (${s.place})`
      : `${first.label} in tenant "${first.tenant}" (${first.place}) is also ${s.label} in tenant "${s.tenant}" (${s.place})`);
  };
  const tenantAt = new Map<string, number>();
  for (const [ti, t] of file.tenants.entries()) {
    const earlier = tenantAt.get(t.tenant_key);
    if (earlier !== undefined) throw new SeedError(`tenant "${t.tenant_key}" is at tenants[${earlier}] and at tenants[${ti}]`);
    tenantAt.set(t.tenant_key, ti);
  }
  const named = (what: string, id: string, given: string | undefined, name: string) =>
    given !== undefined ? `${what} "${id}"` : `${what} named "${name}" without a ${what}_id`;
  for (const pass of ['given', 'generated'] as const) {
    for (const [ti, t] of file.tenants.entries()) {
      const k = t.tenant_key;
      const derived = seed.tenants[ti];
      for (const [i, u] of (t.users ?? []).entries()) {
        const user = derived.users[i];
        const at = (label: string): Sighting => ({ label, tenant: k, place: `tenants[${ti}].users[${i}]`, holder: `user ${ti}.${i}` });
        const ids = [['user_id', u.user_id, user.userId], ['open_id', u.open_id, user.openId], ['union_id', u.union_id, user.unionId]] as const;
        if (pass === 'given') {
          for (const [kind, value] of ids) {
            if (value === undefined) continue;
            claim(`user in ${k}`, value, at(`${kind} "${value}"`));
            if (kind !== 'user_id') claim(kind, value, at(`${kind} "${value}"`));
          }
          // A user without ids is told apart by its name.
          if (ids.every(([, value]) => value === undefined)) claim(`user in ${k}`, u.name, at(`user named "${u.name}" without ids`));
        } else {
          for (const [kind, given, value] of ids) {
            const label = `${kind} "${value}"${given === undefined ? ' (generated)' : ''}`;
            claim(`generated user in ${k}`, value, at(label));
            if (kind !== 'user_id') claim(`generated ${kind}`, value, at(label));
          }
          claim('internal user id', user.id, at(`user "${u.name}"`));
        }
      }
      if (pass === 'generated') continue;
      for (const i of (t.apps ?? []).keys()) {
        claim('app', derived.apps[i].appId, { label: `app "${derived.apps[i].appId}"`, tenant: k, place: `tenants[${ti}].apps[${i}]`, holder: `app ${ti}.${i}` });
      }
      for (const [i, r] of (t.rooms ?? []).entries()) {
        const id = derived.rooms[i].roomId;
        claim('room', id, { label: named('room', id, r.room_id, r.name), tenant: k, place: `tenants[${ti}].rooms[${i}]`, holder: `room ${ti}.${i}` });
      }
      for (const [i, c] of (t.chats ?? []).entries()) {
        const id = derived.chats[i].chatId;
        claim('chat', id, { label: named('chat', id, c.chat_id, c.name), tenant: k, place: `tenants[${ti}].chats[${i}]`, holder: `chat ${ti}.${i}` });
      }
      for (const [i, f] of (t.files ?? []).entries()) {
        const id = derived.files[i].fileToken;
        const label = f.file_token !== undefined ? `file "${id}"` : `file named "${f.name}" without a file_token`;
        claim('file', id, { label, tenant: k, place: `tenants[${ti}].files[${i}]`, holder: `file ${ti}.${i}` });
      }
    }
  }
}

export async function readSeedFile(path: string): Promise<Seed> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`seed ${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return seedFromJson(json);
}
