import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChangeDraft } from '../../src/core/changes.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { STORES, withFreshStore } from '../helpers/stores.js';

const draft = (calendarId: string, objectId: string): ChangeDraft => ({
  tenantKey: 't1', appId: 'cli_a', userId: 'u1', calendarId, object: 'event', objectId, uid: objectId, instanceStart: 0,
  kind: 'created', audience: ['u2', 'u1', 'u2'],
});

for (const kind of STORES) {
  describe(`${kind}: change log store`, () => {
    let store!: OpenedStore;
    withFreshStore(kind, (s) => { store = s; });

    test('append numbers records from the shared change sequence, in order, and reads them back', async () => {
      const rowSeq = await store.transact((w) => w.calendars.nextSeq());
      const appended = await store.transact((w) => w.changes.append([draft('c1', 'e1'), draft('c2', 'e2'), draft('c1', 'e3')], 1000));
      assert.deepEqual(appended.map((r) => r.seq), [rowSeq + 1, rowSeq + 2, rowSeq + 3]);
      assert.equal(await store.read((r) => r.calendars.currentSeq()), rowSeq + 3);
      const all = await store.read((r) => r.changes.since(0, 10));
      assert.deepEqual(all.map((r) => r.objectId), ['e1', 'e2', 'e3']);
      assert.deepEqual(all[0], { ...draft('c1', 'e1'), audience: ['u1', 'u2'], seq: rowSeq + 1, at: 1000 });
      const c1 = await store.read((r) => r.changes.since(rowSeq + 1, 10, 'c1'));
      assert.deepEqual(c1.map((r) => r.objectId), ['e3']);
      assert.equal(await store.read((r) => r.changes.latestSeq()), rowSeq + 3);
    });

    test('a rolled-back write leaves no record', async () => {
      const before = await store.read((r) => r.changes.latestSeq());
      await assert.rejects(store.transact(async (w) => {
        await w.changes.append([draft('c1', 'e9')], 2000);
        throw new Error('boom');
      }), /boom/);
      assert.equal(await store.read((r) => r.changes.latestSeq()), before);
    });

    test('prune by count and by age moves the floor and never moves it back', async () => {
      await store.transact((w) => w.changes.append([draft('c1', 'e4'), draft('c1', 'e5')], 5000));
      const latest = await store.read((r) => r.changes.latestSeq());
      assert.equal(await store.transact((w) => w.changes.prune({ keep: 2 })), 3);
      assert.equal(await store.read((r) => r.changes.prunedThrough()), latest - 2);
      assert.deepEqual((await store.read((r) => r.changes.since(0, 10))).map((r) => r.objectId), ['e4', 'e5']);
      assert.equal(await store.transact((w) => w.changes.prune({ keep: 5 })), 0);
      assert.equal(await store.read((r) => r.changes.prunedThrough()), latest - 2);
      assert.equal(await store.transact((w) => w.changes.prune({ before: 5001 })), 2);
      assert.equal(await store.read((r) => r.changes.prunedThrough()), latest);
      assert.deepEqual(await store.read((r) => r.changes.since(0, 10)), []);
    });

    test('prune by age goes in seq order: it stops at the first record young enough to keep', async () => {
      await store.transact((w) => w.changes.prune({ keep: 0 }));
      // A clock set back: y1 is stamped after a younger record; then two young ones.
      const [o1, o2] = await store.transact((w) => w.changes.append([draft('c1', 'o1'), draft('c1', 'o2')], 10_000));
      await store.transact((w) => w.changes.append([draft('c1', 'y1')], 20_000));
      await store.transact((w) => w.changes.append([draft('c1', 'o3')], 10_000));
      await store.transact((w) => w.changes.append([draft('c1', 'y2')], 20_000));
      assert.equal(await store.transact((w) => w.changes.prune({ before: 15_000 })), 2);
      assert.equal(await store.read((r) => r.changes.prunedThrough()), o2.seq);
      assert.ok(o1.seq < o2.seq);
      assert.deepEqual((await store.read((r) => r.changes.since(0, 10))).map((r) => r.objectId), ['y1', 'o3', 'y2']);
      assert.equal(await store.transact((w) => w.changes.prune({ before: 15_000 })), 0, 'nothing more until y1 ages');
      assert.equal(await store.transact((w) => w.changes.prune({ before: 20_001 })), 3);
      assert.deepEqual(await store.read((r) => r.changes.since(0, 10)), []);
    });

    test('nextSeq(reserve) takes the row number and the records\' numbers in one step; append uses them as given', async () => {
      const before = await store.read((r) => r.calendars.currentSeq());
      const { rowSeq, appended } = await store.transact(async (w) => {
        const seq = await w.calendars.nextSeq(2);
        return { rowSeq: seq, appended: await w.changes.append([draft('c1', 'r1'), draft('c1', 'r2')], 3000, seq + 1) };
      });
      assert.equal(rowSeq, before + 1);
      assert.deepEqual(appended.map((r) => r.seq), [before + 2, before + 3]);
      assert.equal(await store.read((r) => r.calendars.currentSeq()), before + 3, 'nothing taken twice');
      const next = await store.transact((w) => w.changes.append([draft('c1', 'r3')], 3000));
      assert.equal(next[0].seq, before + 4, 'the next writer continues after the reserved numbers');
      const read = await store.read((r) => r.changes.since(before, 10));
      assert.deepEqual(read.map((r) => [r.seq, r.objectId]), [[before + 2, 'r1'], [before + 3, 'r2'], [before + 4, 'r3']]);
    });
  });
}
