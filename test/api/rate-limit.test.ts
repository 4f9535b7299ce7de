import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { localLimiter, sharedLimiter } from '../../src/api/rate-limit.js';
import type { RateCheck, RateLimiter, Verdict } from '../../src/api/rate-limit.js';
import type { RateCounters, RateWindow } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';
import { TestClock, startServer } from '../helpers/server.js';
import { STORES, freshLocation } from '../helpers/stores.js';

/** RateCounters in memory, as the port promises them (the PostgreSQL ones are tested in test/store). */
function memoryCounters(): RateCounters & { rows: Map<string, { start: number; count: number }>; failing: boolean; calls: string[] } {
  const rows = new Map<string, { start: number; count: number }>();
  const self = {
    rows,
    failing: false,
    calls: [] as string[],
    async count(windows: readonly RateWindow[]) {
      self.calls.push('count');
      if (self.failing) throw new Error('connection refused');
      return windows.map((w) => {
        const id = `${w.windowSeconds} ${w.key}`;
        const row = rows.get(id);
        if (!row || w.startMs > row.start) rows.set(id, { start: w.startMs, count: 1 });
        else if (row.count < w.max) row.count++;
        else return false;
        return true;
      });
    },
    async uncount(windows: readonly RateWindow[]) {
      self.calls.push(`uncount ${windows.map((w) => `${w.key}/${w.windowSeconds}`).join(',')}`);
      if (self.failing) throw new Error('connection refused');
      for (const w of windows) {
        const row = rows.get(`${w.windowSeconds} ${w.key}`);
        if (row && row.start === w.startMs && row.count > 0) row.count--;
      }
    },
    async prune() {
      return 0;
    },
  };
  return self;
}

const T0 = Date.parse('2030-01-01T00:00:00.200Z');
const A: RateCheck = { key: 'a', limits: [{ max: 2, windowSeconds: 1 }, { max: 3, windowSeconds: 60 }] };
const B: RateCheck = { key: 'b', limits: [{ max: 3, windowSeconds: 1 }] };
const C: RateCheck = { key: 'c', limits: [{ max: 1, windowSeconds: 1 }] };
const A_SECOND_ONLY: RateCheck = { key: 'a', limits: [{ max: 1, windowSeconds: 1 }] };
const D1: RateCheck = { key: 'd', limits: [{ max: 1, windowSeconds: 1 }] };
const D5: RateCheck = { key: 'd', limits: [{ max: 5, windowSeconds: 1 }] };

const allowed = (limit: number, resetSeconds: number): Verdict => ({ allowed: true, limit, resetSeconds });
const refused = (refusedBy: number, limit: number, resetSeconds: number): Verdict => ({ allowed: false, refusedBy, limit, resetSeconds });

/**
 * What each check counts when a later or an earlier one refuses: every step's verdict depends on the
 * counts the steps before it left, so a limiter that counted too much or too little answers differently.
 */
const SCENARIO: Array<[checks: RateCheck[], atMs: number, expected: Verdict]> = [
  [[A, B, C], T0, allowed(2, 1)],
  [[A, B, C], T0, refused(2, 1, 1)], // C is full; A and B counted
  [[A, B, C], T0, refused(0, 2, 1)], // A's second is full; B and C not counted
  [[B], T0, allowed(3, 1)], // B's third: the refusal above did not count it
  [[B], T0, refused(0, 3, 1)],
  [[A, B, C], T0 + 1000, allowed(2, 1)], // a new second; A's minute at 3
  [[A, B, C], T0 + 2000, refused(0, 3, 58)], // A's minute is full
  [[B, A], T0 + 2000, refused(1, 3, 58)], // B counted, A refuses
  [[B], T0 + 2000, allowed(3, 1)],
  [[B], T0 + 2000, allowed(3, 1)],
  [[B], T0 + 2000, refused(0, 3, 1)], // 1 + 2: the two refusals by A took nothing from B's second beyond one count
  [[A_SECOND_ONLY], T0 + 2000, allowed(1, 1)], // A's refused requests left its second untouched
  [[D1, D5], T0, allowed(1, 1)], // two checks on one counter: each counts
  [[D1, D5], T0, refused(0, 1, 1)],
  [[D5], T0, allowed(5, 1)], // d at 3: D1 and D5 counted the first, nothing the second
  // Stamped a second earlier than B's full window (a worker's message overtaken at the turn of the
  // second): it counts in the later window, which is full, and does not start the earlier one over.
  [[B], T0 + 1000, refused(0, 3, 1)],
  [[B], T0 + 2000, refused(0, 3, 1)],
];

async function play(limiter: RateLimiter, prefix: string): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const [checks, atMs] of SCENARIO) out.push(await limiter.take(checks.map((c) => ({ ...c, key: `${prefix}${c.key}` })), atMs));
  return out;
}

const expected = SCENARIO.map(([, , v]) => v);

describe('rate limiter semantics', () => {
  test('per process', async () => {
    assert.deepEqual(await play(localLimiter(), ''), expected);
  });

  test('shared counters: the same verdicts, one count call per request, taken back past a refusal', async () => {
    const counters = memoryCounters();
    assert.deepEqual(await play(sharedLimiter(counters, localLimiter(), () => assert.fail('no fault here')), ''), expected);
    // Step 3: A's second refused, so what A's minute and B counted is taken back (C was full).
    assert.equal(counters.calls.filter((c) => c === 'count').length, SCENARIO.length + 1); // the two checks on one counter: one call each
    assert.equal(counters.calls.find((c) => c.startsWith('uncount')), 'uncount a/60,b/1', counters.calls.join('; '));
  });

  test('postgres: the same verdicts over the database\'s counters', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, async () => {
    const fresh = await freshLocation('postgres');
    const store = await openStore(fresh.location, { poolSize: 2 });
    try {
      assert.deepEqual(await play(sharedLimiter(store.rateCounters!, localLimiter(), () => assert.fail('no fault here')), ''), expected);
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
});

describe('rate limits when the database fails to count', () => {
  test('each request is held to this process\'s counters meanwhile, with a warning at most once a minute; then the database again', async () => {
    const counters = memoryCounters();
    const warnings: string[] = [];
    const limiter = sharedLimiter(counters, localLimiter(), (error, doing) => warnings.push(`${doing}: ${(error as Error).message}`));
    counters.failing = true;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await limiter.take([B], T0)).allowed);
    assert.deepEqual(answers, [true, true, true, false]);
    assert.deepEqual(warnings, ['counting: connection refused']);
    await limiter.take([B], T0 + 30_000);
    assert.equal(warnings.length, 1);
    await limiter.take([B], T0 + 61_000);
    assert.equal(warnings.length, 2);
    counters.failing = false;
    assert.equal((await limiter.take([C], T0 + 62_000)).allowed, true);
    assert.equal((await limiter.take([C], T0 + 62_000)).allowed, false);
    assert.equal(counters.rows.get('1 c')?.count, 1);
  });

  test('a failed take-back still refuses (the window keeps one count too many: stricter, not looser)', async () => {
    const counters = memoryCounters();
    const warnings: string[] = [];
    const limiter = sharedLimiter(counters, localLimiter(), (_e, doing) => warnings.push(doing));
    assert.equal((await limiter.take([C, B], T0)).allowed, true);
    const count = counters.count.bind(counters);
    counters.count = async (w) => {
      const r = await count(w);
      counters.failing = true;
      return r;
    };
    assert.deepEqual(await limiter.take([C, B], T0), refused(0, 1, 1));
    assert.deepEqual(warnings, ['taking back a count']);
    assert.equal(counters.rows.get('1 b')?.count, 2);
  });

  test('postgres: with the counter table gone, rili serve answers 200 then 429 from its own counters, never 500', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, async () => {
    const s = await startServer('postgres', { clock: new TestClock(T0), rateLimit: 'on' });
    try {
      const token = await s.userToken('zhangsan');
      await sql`drop table rate_counts`.execute(s.server.ctx.store.db);
      const call = () => fetch(`${s.url}/open-apis/calendar/v4/calendars/primary`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 50; i++) assert.equal((await call()).status, 200, `call ${i}`);
      const past = await call();
      assert.equal(past.status, 429);
      assert.equal(((await past.json()) as { code: number }).code, 99991400);
    } finally {
      await s.close();
    }
  });
});
