import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Delivery } from '../../src/core/push/deliveries.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { STORES, withFreshStore } from '../helpers/stores.js';

const delivery = (appId: string, n: number, nextAt: number, status: Delivery['status'] = 'pending'): Delivery => ({
  id: `${appId}-${String(n).padStart(3, '0')}`, appId, tenantKey: 't1', eventId: `${appId}-ev-${n}`, eventType: 'calendar.calendar.event.changed_v4',
  seq: n, body: '{}', status, attempts: 0, nextAt, createdAt: 0,
});

/** More apps than one statement reads (200), so the due reads take two. */
const MANY = 230;
const manyApp = (i: number) => `cli_many_${String(i).padStart(3, '0')}`;

for (const kind of STORES) {
  describe(`${kind}: push store's due reads`, () => {
    let store!: OpenedStore;
    withFreshStore(kind, async (s) => {
      store = s;
      await store.transact(async (w) => {
        for (const appId of ['cli_a', 'cli_b', 'cli_c']) await w.push.putConfig(appId, { requestUrl: `http://127.0.0.1:9/${appId}` }, 0);
        await w.push.addDeliveries([
          delivery('cli_a', 1, 300), delivery('cli_a', 2, 100), delivery('cli_a', 3, 200), delivery('cli_a', 4, 5_000),
          delivery('cli_b', 1, 150), delivery('cli_b', 2, 150), delivery('cli_b', 3, 50, 'delivered'),
          delivery('cli_c', 1, 4_000),
        ]);
      });
    });

    test('at most perApp pending deliveries due now of each app, oldest due first, ties by id', async () => {
      const due = await store.read((r) => r.push.dueDeliveries(1_000, 2));
      assert.deepEqual(due.map((d) => d.id), ['cli_a-002', 'cli_b-001', 'cli_b-002', 'cli_a-003']);
      const one = await store.read((r) => r.push.dueDeliveries(1_000, 1));
      assert.deepEqual(one.map((d) => d.id), ['cli_a-002', 'cli_b-001']);
    });

    test('apps left out are not read; an app with nothing due adds nothing', async () => {
      const due = await store.read((r) => r.push.dueDeliveries(1_000, 10, ['cli_a']));
      assert.deepEqual(due.map((d) => d.id), ['cli_b-001', 'cli_b-002']);
      assert.deepEqual(await store.read((r) => r.push.dueDeliveries(1_000, 10, ['cli_a', 'cli_b', 'cli_c'])), []);
    });

    test('nextDueAt is the earliest pending next_at of the apps not left out', async () => {
      assert.equal(await store.read((r) => r.push.nextDueAt()), 100);
      assert.equal(await store.read((r) => r.push.nextDueAt(['cli_a'])), 150);
      assert.equal(await store.read((r) => r.push.nextDueAt(['cli_a', 'cli_b'])), 4_000);
      assert.equal(await store.read((r) => r.push.nextDueAt(['cli_a', 'cli_b', 'cli_c'])), undefined);
    });

    test(`with ${MANY} apps (more than one statement's worth) every app is read`, async () => {
      await store.transact(async (w) => {
        for (let i = 0; i < MANY; i++) await w.push.putConfig(manyApp(i), { requestUrl: `http://127.0.0.1:9/${i}` }, 0);
        // The last app's deliveries fall in the second statement's chunk and are the earliest due.
        await w.push.addDeliveries(Array.from({ length: MANY }, (_, i) => delivery(manyApp(i), 1, 10_000 + MANY - i)));
        await w.push.addDeliveries([delivery(manyApp(MANY - 1), 2, 10_000)]);
      });
      const due = await store.read((r) => r.push.dueDeliveries(20_000, 1, ['cli_a', 'cli_b', 'cli_c']));
      assert.equal(due.length, MANY);
      assert.deepEqual(new Set(due.map((d) => d.appId)).size, MANY);
      assert.equal(due[0].id, `${manyApp(MANY - 1)}-002`);
      assert.equal(due.at(-1)!.id, `${manyApp(0)}-001`);
      assert.equal(await store.read((r) => r.push.nextDueAt(['cli_a', 'cli_b', 'cli_c'])), 10_000);
    });
  });
}
