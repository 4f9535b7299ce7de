import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { up as removals } from '../../../src/store/migrations/005-event-removals.js';
import { up } from '../../../src/store/migrations/014-sync-from-change-log.js';
import type { OpenedStore } from '../../../src/store/open-store.js';
import { STORES, withFreshStore } from '../../helpers/stores.js';

for (const kind of STORES) {
  describe(`${kind}: migration 014 hands sync to the change log`, () => {
    let store!: OpenedStore;
    withFreshStore(kind, (s) => { store = s; });

    const floor = () => store.read((r) => r.changes.prunedThrough());
    /** The database as 013 left it: event_removals still there. */
    const asBefore = () => removals(store.db);

    test('drops event_removals; with the log empty, every position so far is behind it', async () => {
      await asBefore();
      for (let i = 0; i < 5; i++) await store.transact((w) => w.calendars.nextSeq());
      const counter = await store.read((r) => r.calendars.currentSeq());
      await up(store.db);
      assert.equal(await floor(), counter);
      await assert.rejects(store.db.selectFrom('event_removals' as never).selectAll().execute());
    });

    test('with records, the log counts as beginning at its first; the floor never moves back', async () => {
      const draft = { tenantKey: 't', calendarId: 'c', object: 'event' as const, objectId: 'e', uid: 'e', instanceStart: 0, kind: 'created' as const, audience: [] };
      const before = await floor();
      await store.transact((w) => w.calendars.nextSeq());
      const [first] = await store.transact((w) => w.changes.append([draft, draft], 0));
      await asBefore();
      await up(store.db);
      assert.equal(await floor(), first.seq - 1);
      assert.ok(first.seq - 1 > before);
      await store.transact((w) => w.changes.prune({ keep: 1 }));
      const pruned = await floor();
      await asBefore();
      await up(store.db);
      assert.equal(await floor(), pruned);
    });
  });
}
