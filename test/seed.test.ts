import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { seedFromJson } from '../src/seed.js';
import type { SeedFile } from '../src/seed.js';
import { buildServer } from '../src/server.js';
import type { Server } from '../src/server.js';
import { TEST_SEED } from './helpers/seed.js';
import { STORES, freshLocation } from './helpers/stores.js';

type Tenant = SeedFile['tenants'][number];
const tenant = (key: string, rest: Partial<Tenant> = {}): Tenant => ({ tenant_key: key, ...rest });
const user = (name: string, ids: { user_id?: string; open_id?: string; union_id?: string } = {}) => ({ name, ...ids });

/** A refusal is one line that names every place it quotes. */
function refuses(file: SeedFile, ...expected: RegExp[]) {
  assert.throws(() => seedFromJson(file), (error: Error) => {
    assert.equal(error.message.includes('\n'), false, error.message);
    assert.match(error.message, /^seed: /);
    for (const e of expected) assert.match(error.message, e);
    return true;
  });
}

describe('seed: every id that must be unique is, before anything is written', () => {
  const cases: Array<[string, SeedFile, RegExp[]]> = [
    ['a tenant twice', { tenants: [tenant('t1'), tenant('t2'), tenant('t1')] }, [/tenant "t1"/, /tenants\[0\]/, /tenants\[2\]/]],
    ['one app id in two tenants', {
      tenants: [
        tenant('t1', { apps: [{ platform: 'feishu', app_id: 'cli_x', app_secret: 's1' }] }),
        tenant('t2', { apps: [{ platform: 'feishu', app_id: 'cli_y' }, { platform: 'dingtalk', app_key: 'dingy' }, { platform: 'feishu', app_id: 'cli_x', app_secret: 's2' }] }),
      ],
    }, [/^seed: app "cli_x" is in tenant "t1" \(tenants\[0\]\.apps\[0\]\) and in tenant "t2" \(tenants\[1\]\.apps\[2\]\)$/]],
    ['a DingTalk app_key equal to a Feishu app_id', {
      tenants: [tenant('t1', { apps: [{ platform: 'feishu', app_id: 'same' }, { platform: 'dingtalk', app_key: 'same' }] })],
    }, [/app "same"/, /tenants\[0\]\.apps\[0\]/, /tenants\[0\]\.apps\[1\]/]],
    ['a user_id twice in a tenant', {
      tenants: [tenant('t1', { users: [user('A', { user_id: 'u1' }), user('B', { user_id: 'u1' })] })],
    }, [/user_id "u1"/, /tenants\[0\]\.users\[0\]/, /tenants\[0\]\.users\[1\]/]],
    ['an open_id in two tenants', {
      tenants: [tenant('t1', { users: [user('A', { open_id: 'ou_1' })] }), tenant('t2', { users: [user('B', { user_id: 'b', open_id: 'ou_1' })] })],
    }, [/open_id "ou_1"/, /tenants\[0\]\.users\[0\]/, /tenants\[1\]\.users\[0\]/]],
    ['a union_id in two tenants', {
      tenants: [tenant('t1', { users: [user('A', { user_id: 'a', union_id: 'on_1' })] }), tenant('t2', { users: [user('B', { user_id: 'b', union_id: 'on_1' })] })],
    }, [/union_id "on_1"/, /tenants\[0\]\.users\[0\]/, /tenants\[1\]\.users\[0\]/]],
    ['one user\'s user_id as another\'s open_id in a tenant', {
      tenants: [tenant('t1', { users: [user('A', { user_id: 'x1' }), user('B', { user_id: 'b', open_id: 'x1' })] })],
    }, [/"x1"/, /tenants\[0\]\.users\[0\]/, /tenants\[0\]\.users\[1\]/]],
    ['two users without ids of one name in a tenant', {
      tenants: [tenant('t1', { users: [user('Ann'), user('Bob'), user('Ann')] })],
    }, [/"Ann"/, /tenants\[0\]\.users\[0\]/, /tenants\[0\]\.users\[2\]/]],
    ['a room_id in two tenants', {
      tenants: [tenant('t1', { rooms: [{ room_id: 'omm_1', name: 'A' }] }), tenant('t2', { rooms: [{ room_id: 'omm_1', name: 'B' }] })],
    }, [/room "omm_1"/, /tenants\[0\]\.rooms\[0\]/, /tenants\[1\]\.rooms\[0\]/]],
    ['two rooms without ids of one name in a tenant', {
      tenants: [tenant('t1', { rooms: [{ name: 'Big' }, { name: 'Big' }] })],
    }, [/room/, /"Big"/, /tenants\[0\]\.rooms\[0\]/, /tenants\[0\]\.rooms\[1\]/]],
    ['a chat_id twice', {
      tenants: [tenant('t1', { chats: [{ chat_id: 'oc_1', name: 'A' }] }), tenant('t2', { chats: [{ chat_id: 'oc_1', name: 'B' }] })],
    }, [/chat "oc_1"/, /tenants\[0\]\.chats\[0\]/, /tenants\[1\]\.chats\[0\]/]],
    ['a file_token twice', {
      tenants: [tenant('t1', { files: [{ file_token: 'box1', name: 'a', size: 1 }, { file_token: 'box1', name: 'b', size: 2 }] })],
    }, [/file "box1"/, /tenants\[0\]\.files\[0\]/, /tenants\[0\]\.files\[1\]/]],
  ];
  for (const [name, file, expected] of cases) test(name, () => refuses(file, ...expected));

  test('what may repeat: a user_id in two tenants, one user\'s own ids equal, names of rooms in two tenants', () => {
    const seed = seedFromJson({
      tenants: [
        tenant('t1', { users: [user('A', { user_id: 'same', open_id: 'same' })], rooms: [{ name: 'Big' }] }),
        tenant('t2', { users: [user('B', { user_id: 'same' })], rooms: [{ name: 'Big' }] }),
      ],
    });
    assert.equal(seed.tenants.length, 2);
  });
});

/** A server on a database that outlives it (an SQLite file, or a PostgreSQL schema), seeded with TEST_SEED. */
async function seededDatabase(kind: (typeof STORES)[number]) {
  const dir = mkdtempSync(join(tmpdir(), 'rili-reseed-'));
  const fresh = kind === 'sqlite' ? { location: join(dir, 'rili.db'), drop: async () => {} } : await freshLocation(kind);
  const open = async () => {
    const server = await buildServer({ db: fresh.location, secret: 'reseed-secret', logLevel: 'silent' });
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    return { server, url };
  };
  const first = await open();
  await first.server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
  return {
    ...first,
    open,
    async cleanup(...servers: Server[]) {
      for (const s of servers) await s.close();
      await fresh.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const post = async (url: string, path: string, body: unknown, token?: string) => {
  const res = await fetch(`${url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  });
  return await res.json();
};
const tenantToken = async (url: string, appId: string, secret: string) =>
  post(url, '/open-apis/auth/v3/tenant_access_token/internal', { app_id: appId, app_secret: secret });
const primary = (url: string, token: string) => post(url, '/open-apis/calendar/v4/calendars/primary', {}, token);

/** TEST_SEED with a change made to a deep copy. */
const changed = (edit: (file: SeedFile) => void): SeedFile => {
  const file = structuredClone<SeedFile>(TEST_SEED);
  edit(file);
  return file;
};

for (const kind of STORES) {
  describe(`${kind}: re-seeding an existing database`, () => {
    const refusals: Array<[string, SeedFile, RegExp[]]> = [
      ['an app moving to another tenant', changed((f) => {
        const [acmeApp] = f.tenants[0].apps!.splice(0, 1);
        f.tenants[1].apps!.push({ ...acmeApp, app_secret: 'globex-chosen-secret' });
      }), [/app "cli_acme"/, /tenant "acme"/, /tenant "globex" \(tenants\[1\]\.apps\[2\]\)/]],
      ['an app changing platform', changed((f) => { f.tenants[1].apps![1] = { platform: 'feishu', app_id: 'dingglobex', app_secret: 'x' }; }),
        [/app "dingglobex"/, /dingtalk/, /feishu/, /tenants\[1\]\.apps\[1\]/]],
      ['a user\'s open_id changing', changed((f) => { f.tenants[0].users![0].open_id = 'ou_other'; }),
        [/open_id/, /"ou_other"/, /"ou_zhangsan"/, /tenants\[0\]\.users\[0\]/]],
      ['an open_id another user of the database holds', changed((f) => {
        f.tenants[0].users!.splice(1, 1);
        f.tenants[1].users!.push({ user_id: 'newbie', open_id: 'ou_lisi', name: 'New' });
      }),
        [/open_id "ou_lisi"/, /tenant "acme"/, /tenants\[1\]\.users\[1\]/]],
      ['a room moving to another tenant', changed((f) => {
        f.tenants[0].rooms!.splice(0, 1);
        f.tenants[1].rooms = [{ room_id: 'omm_room1', name: 'Moved' }];
      }),
        [/room "omm_room1"/, /tenant "acme"/, /tenants\[1\]\.rooms\[0\]/]],
      ['a file moving to another tenant', changed((f) => {
        f.tenants[1].files = [];
        f.tenants[0].files!.push({ file_token: 'boxglobex_file', name: 'x', size: 1 });
      }),
        [/file "boxglobex_file"/, /tenant "globex"/, /tenants\[0\]\.files\[3\]/]],
      ['a chat member who is no user of the tenant', changed((f) => { f.tenants[0].chats![0].members!.push('hank'); }),
        [/chat "oc_team"/, /"hank"/, /tenants\[0\]\.chats\[0\]/]],
    ];
    for (const [name, file, expected] of refusals) {
      test(`refused, whole, naming both places: ${name}`, async () => {
        const db = await seededDatabase(kind);
        try {
          const before = await db.server.ctx.store.db.selectFrom('tenants').selectAll().orderBy('key').execute();
          // The same seed also renames a tenant: nothing of it may land.
          file.tenants[0].name = 'Renamed';
          await assert.rejects(db.server.ctx.directory.applySeed(seedFromJson(file)), (error: Error) => {
            assert.match(error.message, /^seed: /);
            assert.equal(error.message.includes('\n'), false);
            for (const e of expected) assert.match(error.message, e);
            return true;
          });
          assert.deepEqual(await db.server.ctx.store.db.selectFrom('tenants').selectAll().orderBy('key').execute(), before);
        } finally {
          await db.cleanup(db.server);
        }
      });
    }

    test('an app moved to another tenant: the new secret yields no token, and no token acts in a tenant the app is not in', async () => {
      const db = await seededDatabase(kind);
      let second: Server | undefined;
      try {
        const old = (await tenantToken(db.url, 'cli_acme', 'acme-secret')).tenant_access_token as string;
        const moved = changed((f) => {
          const [acmeApp] = f.tenants[0].apps!.splice(0, 1);
          f.tenants[1].apps!.push({ ...acmeApp, app_secret: 'globex-chosen-secret' });
        });
        await assert.rejects(db.server.ctx.directory.applySeed(seedFromJson(moved)), /app "cli_acme"/);
        assert.notEqual((await tenantToken(db.url, 'cli_acme', 'globex-chosen-secret')).code, 0);
        const bot = await primary(db.url, old);
        assert.equal(bot.code, 0);
        assert.equal(bot.data.calendars[0].calendar.summary, 'Acme Bot');
        // Were the app's row moved all the same (by hand, or by an older rili), a token issued for
        // its old tenant is refused, never served in either tenant.
        await db.server.close();
        const opened = await db.open();
        second = opened.server;
        await second.ctx.store.db.updateTable('apps').set({ tenant_key: 'globex' }).where('app_id', '=', 'cli_acme').execute();
        assert.equal((await primary(opened.url, old)).code, 99991663);
      } finally {
        await db.cleanup(...(second ? [second] : []));
      }
    });

    test('what a re-seed may change: names, emails, secrets, capacities, members; old tokens still hold', async () => {
      const db = await seededDatabase(kind);
      try {
        const old = (await tenantToken(db.url, 'cli_acme', 'acme-secret')).tenant_access_token as string;
        await db.server.ctx.directory.applySeed(seedFromJson(changed((f) => {
          f.tenants[0].name = 'Acme Renamed';
          f.tenants[0].users![1].name = 'Li Si';
          f.tenants[0].users![1].email = 'lisi@acme.example';
          f.tenants[0].apps![0].app_secret = 'rotated';
          f.tenants[0].apps![0].name = 'Acme Bot 2';
          f.tenants[0].rooms![0].capacity = 99;
          f.tenants[0].chats![0].members = ['zhangsan'];
        })));
        const d = db.server.ctx.store.db;
        assert.equal((await d.selectFrom('tenants').select('name').where('key', '=', 'acme').executeTakeFirstOrThrow()).name, 'Acme Renamed');
        assert.deepEqual(await d.selectFrom('users').select(['name', 'email']).where('user_id', '=', 'lisi').executeTakeFirstOrThrow(), { name: 'Li Si', email: 'lisi@acme.example' });
        assert.equal((await d.selectFrom('rooms').select('capacity').where('room_id', '=', 'omm_room1').executeTakeFirstOrThrow()).capacity, 99);
        assert.notEqual((await tenantToken(db.url, 'cli_acme', 'acme-secret')).code, 0);
        assert.equal((await tenantToken(db.url, 'cli_acme', 'rotated')).code, 0);
        assert.equal((await primary(db.url, old)).code, 0);
      } finally {
        await db.cleanup(db.server);
      }
    });
  });
}
