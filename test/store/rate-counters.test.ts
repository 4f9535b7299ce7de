import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { RateWindow } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { STORES, freshLocation } from '../helpers/stores.js';

const T = Date.parse('2030-01-01T00:00:00Z');
const w = (key: string, startMs: number, max: number, windowSeconds = 1): RateWindow => ({ key, windowSeconds, startMs, max });

describe('rate counters', () => {
  test('SQLite has none: it counts per process', async () => {
    const store = await openStore(':memory:');
    try {
      assert.equal(store.rateCounters, undefined);
    } finally {
      await store.close();
    }
  });
});

describe('postgres: rate counters in the database', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, () => {
  let fresh: Awaited<ReturnType<typeof freshLocation>>;
  // Two stores on one schema, each with its own pool: two processes, as far as the database can tell.
  let a: OpenedStore;
  let b: OpenedStore;
  before(async () => {
    fresh = await freshLocation('postgres');
    a = await openStore(fresh.location, { poolSize: 8 });
    b = await openStore(fresh.location, { poolSize: 8 });
  });
  after(async () => {
    await a.close();
    await b.close();
    await fresh.drop();
  });
  const count = (s: OpenedStore, ...windows: RateWindow[]) => s.rateCounters!.count(windows);
  const stored = async (key: string) =>
    (await sql<{ window_seconds: number; window_start: number; count: number }>`select window_seconds, window_start, count from rate_counts where key = ${key} order by window_seconds`.execute(a.db)).rows;

  test('the table is unlogged (counts are not worth a WAL write)', async () => {
    const r = await sql<{ relpersistence: string }>`select relpersistence from pg_class where oid = 'rate_counts'::regclass`.execute(a.db);
    assert.equal(r.rows[0].relpersistence, 'u');
  });

  test('200 concurrent requests from two pools against a limit of 50: exactly 50 counted', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => count(i % 2 ? a : b, w('burst', T, 50))));
    assert.equal(answers.filter(([ok]) => ok).length, 50);
    assert.deepEqual(await stored('burst'), [{ window_seconds: 1, window_start: T, count: 50 }]);
  });

  test('each window of a call is answered in the order given; a full one is left as it is', async () => {
    await count(a, w('k2', T, 1));
    assert.deepEqual(await count(a, w('k3', T, 5), w('k2', T, 1), w('k1', T, 5, 60)), [true, false, true]);
    assert.deepEqual((await stored('k2')).map((r) => r.count), [1]);
  });

  test('a later window starts over at 1; a lagging clock counts in the later window', async () => {
    for (let i = 0; i < 3; i++) await count(a, w('roll', T, 3));
    assert.deepEqual(await count(a, w('roll', T, 3)), [false]);
    assert.deepEqual(await count(b, w('roll', T + 1000, 3)), [true]);
    assert.deepEqual(await stored('roll'), [{ window_seconds: 1, window_start: T + 1000, count: 1 }]);
    assert.deepEqual(await count(a, w('roll', T, 3)), [true]);
    assert.deepEqual(await stored('roll'), [{ window_seconds: 1, window_start: T + 1000, count: 2 }]);
  });

  test('uncount takes back from the same window only', async () => {
    await count(a, w('back', T, 5), w('back', T, 5, 60));
    await a.rateCounters!.uncount([w('back', T, 5), w('back', T, 5, 60)]);
    assert.deepEqual((await stored('back')).map((r) => r.count), [0, 0]);
    await count(a, w('back', T + 1000, 5));
    await a.rateCounters!.uncount([w('back', T, 5)]);
    assert.deepEqual((await stored('back')).map((r) => [r.window_start, r.count]), [[T + 1000, 1], [T, 0]]);
  });

  test('requests sharing counters in different combinations never deadlock', async () => {
    const keys = ['p', 'q', 'r', 's'];
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => {
      // Every request names the same rows in another order; the store sorts them.
      const order = [...keys].sort(() => (Math.sin(i * 7 + keys.length) > 0 ? 1 : -1)).slice(0, 2 + (i % 3));
      return count(i % 2 ? a : b, ...order.flatMap((k) => [w(k, T, 1000), w(k, T, 1000, 60)]));
    }));
    assert.ok(answers.every((x) => x.every(Boolean)));
  });

  test('prune forgets windows that ended before the time given, and only those', async () => {
    await count(a, w('old', T - 120_000, 5), w('old', T - 120_000, 5, 60));
    await count(a, w('recent', T, 5, 60));
    const pruned = await a.rateCounters!.prune(T - 30_000);
    assert.ok(pruned >= 2, `pruned ${pruned}`);
    assert.deepEqual(await stored('old'), []);
    assert.equal((await stored('recent')).length, 1);
  });
});
