import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { seedFromJson } from '../src/seed.js';
import { buildServer } from '../src/server.js';
import { TEST_SEED } from './helpers/seed.js';
import { STORES, freshLocation } from './helpers/stores.js';

const noop = () => {};
const SILENT = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

for (const kind of STORES) {
  describe(`${kind}: restart`, () => {
    test('a restart keeps data, the generated token secret, and so every issued token', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rili-restart-'));
      const fresh = kind === 'sqlite' ? { location: join(dir, 'rili.db'), drop: async () => {} } : await freshLocation(kind);
      try {
        // No secret given: one is generated and kept in the database.
        const first = await buildServer({ db: fresh.location, logLevel: 'silent' });
        await first.ctx.directory.applySeed(seedFromJson(TEST_SEED));
        const url1 = await first.app.listen({ port: 0, host: '127.0.0.1' });
        const client1 = new lark.Client({ appId: 'cli_acme', appSecret: 'acme-secret', domain: url1, logger: SILENT, disableTokenCache: true });
        const tenant = ((await client1.auth.v3.tenantAccessToken.internal({ data: { app_id: 'cli_acme', app_secret: 'acme-secret' } })) as any).tenant_access_token as string;
        const user = (await (await fetch(`${url1}/rili/v1/user-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"app":"cli_acme","user":"lisi"}' })).json()).access_token as string;
        const created = await client1.calendar.v4.calendar.create({ data: { summary: 'survives' } }, lark.withUserAccessToken(user));
        const id = created.data!.calendar!.calendar_id;
        await first.close();

        const second = await buildServer({ db: fresh.location, logLevel: 'silent' });
        const url2 = await second.app.listen({ port: 0, host: '127.0.0.1' });
        const client2 = new lark.Client({ appId: 'cli_acme', appSecret: 'acme-secret', domain: url2, logger: SILENT, disableTokenCache: true });
        const got = await client2.calendar.v4.calendar.get({ path: { calendar_id: id } }, lark.withUserAccessToken(user));
        assert.equal((got.data as any).summary, 'survives');
        const bot = await client2.calendar.v4.calendar.primary({}, lark.withTenantToken(tenant));
        assert.equal(bot.data!.calendars![0].calendar!.summary, 'Acme Bot');
        await second.close();
      } finally {
        await fresh.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe(`${kind}: seed`, () => {
    test('applying a seed twice changes nothing', async () => {
      const fresh = await freshLocation(kind);
      const server = await buildServer({ db: fresh.location, secret: 's', logLevel: 'silent' });
      try {
        const snapshot = async () => {
          const db = server.ctx.store.db;
          return {
            users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
            apps: await db.selectFrom('apps').selectAll().orderBy('app_id').execute(),
            calendars: await db.selectFrom('calendars').selectAll().orderBy('calendar_id').execute(),
            subscriptions: await db.selectFrom('subscriptions').selectAll().orderBy('calendar_id').execute(),
            rooms: await db.selectFrom('rooms').selectAll().orderBy('room_id').execute(),
            chats: await db.selectFrom('chats').selectAll().orderBy('chat_id').execute(),
            files: await db.selectFrom('files').selectAll().orderBy('file_token').execute(),
          };
        };
        await server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
        const once = await snapshot();
        await server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
        assert.deepEqual(await snapshot(), once);
        // Every user and every Feishu app has a primary calendar; rooms have resource calendars.
        assert.equal(once.calendars.filter((c) => c.type === 'primary').length, 7 + 3);
        assert.equal(once.calendars.filter((c) => c.type === 'resource').length, 2);
      } finally {
        await server.close();
        await fresh.drop();
      }
    });
  });
}

describe('seed format', () => {
  test('ids left out are generated in the platform\'s style, the same on every run', () => {
    const seed = { tenants: [{ tenant_key: 't', users: [{ name: 'Ann' }], apps: [{ platform: 'feishu' as const }, { platform: 'dingtalk' as const }], rooms: [{ name: 'R' }], chats: [{ name: 'C' }] }] };
    const a = seedFromJson(seed);
    const b = seedFromJson(structuredClone(seed));
    assert.deepEqual(a, b);
    const t = a.tenants[0];
    assert.match(t.users[0].openId, /^ou_[0-9a-f]{32}$/);
    assert.match(t.users[0].unionId, /^on_[0-9a-f]{32}$/);
    assert.match(t.apps[0].appId, /^cli_[0-9a-f]{16}$/);
    assert.match(t.apps[1].appId, /^ding[0-9a-f]{16}$/);
    assert.match(t.rooms[0].roomId, /^omm_[0-9a-f]{32}$/);
    assert.match(t.chats[0].chatId, /^oc_[0-9a-f]{32}$/);
  });

  test('a malformed seed names the problem', () => {
    assert.throws(() => seedFromJson({ tenants: [{ tenant_key: 't', users: [{ user_id: 'x' }] }] }), /name/);
    assert.throws(() => seedFromJson({ tenants: [{ tenant_key: 't', apps: [{ platform: 'wechat' }] }] }), /seed/);
  });
});
