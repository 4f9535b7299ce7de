import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { Seed } from './core/service/directory-service.js';
import type { App, User } from './core/types.js';

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
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export type SeedFile = Static<typeof SeedFile>;

const hex = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** Checks a parsed JSON seed and gives every object its ids, deterministically. */
export function seedFromJson(json: unknown): Seed {
  const validate = new Ajv({ allErrors: false, strict: false }).compile(SeedFile);
  if (!validate(json)) {
    const e = validate.errors![0];
    throw new Error(`seed: ${e.instancePath || '/'} ${e.message}`);
  }
  const file = json as SeedFile;
  return {
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
      return {
        key: k,
        name: t.name ?? k,
        users,
        apps,
        rooms: (t.rooms ?? []).map((r) => ({
          roomId: r.room_id ?? `omm_${hex(k, 'room', r.name).slice(0, 32)}`, name: r.name, capacity: r.capacity ?? 10,
        })),
        chats: (t.chats ?? []).map((c) => ({
          chatId: c.chat_id ?? `oc_${hex(k, 'chat', c.name).slice(0, 32)}`, name: c.name, memberUserIds: c.members ?? [],
        })),
        files: (t.files ?? []).map((f) => ({
          fileToken: f.file_token ?? `box${hex(k, 'file', f.name).slice(0, 24)}`, name: f.name, size: f.size,
        })),
      };
    }),
  };
}

export async function readSeedFile(path: string): Promise<Seed> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`seed ${path}: not valid JSON (${(error as Error).message})`);
  }
  return seedFromJson(json);
}
