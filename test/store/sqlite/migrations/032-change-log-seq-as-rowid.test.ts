// SQLite's own migration 032 rebuilds change_log with seq as its rowid. It must keep every record as
// it was, leave no separate primary-key index, and leave the log appending where it left off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { up } from '../../../../src/store/sqlite/migrations/032-change-log-seq-as-rowid.js';
import { openStore } from '../../../../src/store/open-store.js';
import type { OpenedStore } from '../../../../src/store/open-store.js';

describe('sqlite: migration 032 makes change_log.seq the rowid', () => {
  let store: OpenedStore;
  before(async () => {
    store = await openStore(':memory:');
  });
  after(async () => {
    await store?.close();
  });

  const indexes = async () => (await sql<{ name: string }>`select name from pragma_index_list('change_log') order by name`.execute(store.db)).rows.map((r) => r.name);

  test('a fresh database has no index for the primary key (nor, after 033, on at), and seq is the rowid', async () => {
    assert.deepEqual(await indexes(), ['change_log_calendar_seq']);
    // Only a column declared exactly `integer primary key` is the rowid.
    const { rows } = await sql<{ name: string; type: string }>`select name, type from pragma_table_info('change_log') where pk = 1`.execute(store.db);
    assert.deepEqual(rows, [{ name: 'seq', type: 'INTEGER' }]);
  });

  test('a log as 013 and 029 made it keeps every record, with the same numbers, and appends after them', async () => {
    // The table as 013 made it (seq bigint primary key) plus 029's column, holding records.
    await sql`drop table change_log`.execute(store.db);
    await sql`create table change_log (seq bigint primary key, at bigint not null, tenant_key text not null, app_id text, user_id text,
      calendar_id text, object text not null, object_id text not null, uid text, instance_start bigint, kind text not null, audience text not null, detail text)`.execute(store.db);
    await sql`create index change_log_calendar_seq on change_log (calendar_id, seq)`.execute(store.db);
    await sql`create index change_log_at on change_log (at)`.execute(store.db);
    assert.ok((await indexes()).includes('sqlite_autoindex_change_log_1'), 'the old shape has the separate index');
    const drafts = ['a', 'b', 'c'].map((id, i) => ({
      tenantKey: 't', appId: 'cli_x', userId: `u${i}`, calendarId: i === 1 ? 'c2' : 'c1', object: 'acl' as const, objectId: id, uid: id,
      instanceStart: 100 * i, kind: 'acl_deleted' as const, audience: ['u1', 'u2'], detail: { role: 'reader', scope: { type: 'user', userId: 'u9' } },
    }));
    await store.transact((w) => w.changes.append(drafts, 2000));
    const before = await store.read((r) => r.changes.since(0, 10));
    assert.equal(before.length, 3);

    await store.db.transaction().execute((t) => up(t));

    assert.deepEqual(await store.read((r) => r.changes.since(0, 10)), before);
    assert.deepEqual(await store.read((r) => r.changes.since(0, 10, 'c2')), before.filter((r) => r.calendarId === 'c2'));
    assert.deepEqual(await indexes(), ['change_log_at', 'change_log_calendar_seq']);
    const [next] = await store.transact((w) => w.changes.append([drafts[0]], 3000));
    assert.equal(next.seq, before[2].seq + 1);
    assert.equal(await store.read((r) => r.changes.latestSeq()), next.seq);
  });
});
