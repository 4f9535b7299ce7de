// The snapshot document and the store's dump/load: every table accounted for, a later rili reads an
// older document, a newer one is refused with a reason, and a refused load changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { decodeSnapshot, encodeSnapshot, SnapshotFormatError } from '../../src/core/snapshot-format.js';
import { seedFromJson } from '../../src/seed.js';
import { DUMPED_TABLES, KNOWN_TABLES } from '../../src/store/snapshot-store.js';
import { TEST_SEED } from '../helpers/seed.js';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { STORES } from '../helpers/stores.js';

test('a document of a newer envelope version, or not a snapshot at all, is refused with the reason', () => {
  const document = encodeSnapshot({ migration: '015-snapshots', changeSeq: 3, tables: { tenants: [] } }, 1000);
  assert.deepEqual(decodeSnapshot(document), { migration: '015-snapshots', changeSeq: 3, createdAtMs: 1000, tables: { tenants: [] } });
  const newer = JSON.stringify({ ...JSON.parse(document), version: 2 });
  assert.throws(() => decodeSnapshot(newer), (e: Error) => e instanceof SnapshotFormatError && /version 2 is newer/.test(e.message));
  assert.throws(() => decodeSnapshot('{"tenants": []}'), /not a rili snapshot/);
  assert.throws(() => decodeSnapshot('not json'), /not JSON/);
  assert.throws(() => decodeSnapshot(JSON.stringify({ ...JSON.parse(document), tables: { tenants: {} } })), /table "tenants" is not a list of rows/);
});

for (const kind of STORES) {
  describe(`${kind}: dump and load`, () => {
    let s: TestServer;
    before(async () => { s = await startServer(kind); });
    after(() => s.close());

    test('seeds are remembered in the order given, once per run of the same seed; reset replays them all', async () => {
      const { ctx } = s.server;
      const seeds = () => ctx.store.read((r) => r.snapshots.appliedSeeds());
      assert.deepEqual(await seeds(), [seedFromJson(TEST_SEED)]);
      await ctx.directory.applySeed(seedFromJson(TEST_SEED));
      assert.equal((await seeds()).length, 1, 'a restart with the same seed adds nothing');
      // A later seed may build on an earlier one: its chat names users the first seed made.
      const more = seedFromJson({ tenants: [{ tenant_key: 'acme', name: 'Acme', rooms: [{ room_id: 'omm_room9', name: 'Room 9' }], chats: [{ chat_id: 'oc_later', name: 'Later', members: ['zhangsan'] }] }] });
      await ctx.directory.applySeed(more);
      await ctx.directory.applySeed(seedFromJson(TEST_SEED));
      assert.equal((await seeds()).length, 3);
      // Written anew by the reset: the same calendar but for the sequence number it was written at.
      const roomCalendar = async () => (await ctx.store.read((r) => r.calendars.calendarsOwnedBy('r:omm_room9'))).map(({ seq: _seq, ...c }) => c);
      const before = await roomCalendar();
      assert.equal(before.length, 1);
      assert.ok(await ctx.snapshots.reset());
      assert.deepEqual(await roomCalendar(), before, 'the later seed\'s room and its calendar, under the same id');
      assert.ok(await ctx.store.read((r) => r.directory.chat('acme', 'oc_later')));
      assert.equal((await seeds()).length, 3, 'reset keeps the history');
    });

    test('every table the database has is either in a snapshot or named as outside it', async () => {
      const db = s.server.ctx.store.db;
      const rows = kind === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(db)).rows;
      const tables = rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_migration')).sort();
      assert.deepEqual(tables, [...KNOWN_TABLES].filter((t) => kind === 'postgres' || t !== 'rate_counts').sort());
      assert.ok(DUMPED_TABLES.includes('events') && !DUMPED_TABLES.includes('settings') && !DUMPED_TABLES.includes('change_log'));
    });

    test('a document from an older migration loads (a table it lacks is empty); one from a newer rili is refused and changes nothing', async () => {
      const { ctx } = s.server;
      const current = JSON.parse(await ctx.snapshots.exportDocument());
      const before = await ctx.store.read((r) => r.snapshots.dump());

      const future = JSON.stringify({ ...current, migration: '999-from-the-future' });
      await assert.rejects(ctx.snapshots.importDocument(future), /migration "999-from-the-future", which this rili does not know/);
      assert.deepEqual((await ctx.store.read((r) => r.snapshots.dump())).tables, before.tables, 'nothing changed');
      const unknownTable = JSON.stringify({ ...current, tables: { ...current.tables, gadgets: [] } });
      await assert.rejects(ctx.snapshots.importDocument(unknownTable), /table "gadgets"/);

      // Written before migration 015 existed: no applied_seeds table.
      const { applied_seeds: _seeds, ...older } = current.tables;
      await ctx.snapshots.importDocument(JSON.stringify({ ...current, migration: '014-sync-from-change-log', tables: older }));
      const loaded = await ctx.store.read((r) => r.snapshots.dump());
      assert.deepEqual(loaded.tables.applied_seeds, []);
      assert.deepEqual(loaded.tables.users, before.tables.users);
      assert.ok(loaded.changeSeq > before.changeSeq);
    });

    test('the change sequence never goes back: loading a dump with a higher sequence raises it, a lower one keeps it', async () => {
      const { ctx } = s.server;
      const document = JSON.parse(await ctx.snapshots.exportDocument());
      const seqNow = () => ctx.store.read((r) => r.calendars.currentSeq());
      const base = await seqNow();
      await ctx.snapshots.importDocument(JSON.stringify({ ...document, change_seq: base + 1000 }));
      assert.equal(await seqNow(), base + 1001);
      await ctx.snapshots.importDocument(JSON.stringify({ ...document, change_seq: 0 }));
      assert.equal(await seqNow(), base + 1002);
      assert.equal(await ctx.store.read((r) => r.changes.prunedThrough()), base + 1002);
      assert.deepEqual(await ctx.store.read((r) => r.changes.since(0, 10)), []);
    });
  });
}
