// The feed reads the log, not the wake-ups: every record once, in order, whatever happens to the
// signals; a slow subscriber holds one page; a position behind the pruned floor is refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChangeRecord } from '../../../src/core/changes.js';
import { DomainError, storeUnavailable } from '../../../src/core/errors.js';
import type { ChangeSignal, StoreReader } from '../../../src/core/ports.js';
import { ChangeFeed } from '../../../src/core/service/change-feed.js';

/** A deterministic generator, so a failing mix of signals can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const record = (seq: number): ChangeRecord => ({
  seq, at: seq, tenantKey: 't', calendarId: 'c', object: 'event', objectId: `e${seq}`, uid: `e${seq}`, instanceStart: 0, kind: 'created', audience: [],
});

/** The log in memory, read as the store port does; it counts the reads and the sizes asked for. */
function memoryLog() {
  const records: ChangeRecord[] = [];
  let prunedThrough = 0;
  let nextSeq = 1;
  let failNextReads = 0;
  const reads: Array<{ after: number; limit: number; returned: number }> = [];
  const changes = {
    since(after: number, limit: number) {
      const page = records.filter((r) => r.seq > after).slice(0, limit);
      reads.push({ after, limit, returned: page.length });
      return Promise.resolve(page);
    },
    prunedThrough: () => Promise.resolve(prunedThrough),
    latestSeq: () => Promise.resolve(records.length ? records[records.length - 1].seq : 0),
  };
  return {
    reads,
    store: {
      read<T>(fn: (r: StoreReader) => Promise<T>): Promise<T> {
        if (failNextReads > 0) {
          failNextReads--;
          return Promise.reject(storeUnavailable('connection lost', new Error('test')));
        }
        return fn({ changes } as unknown as StoreReader);
      },
    },
    /** Appends `n` records, leaving a gap before them now and then (row changes share the counter). */
    append(n: number, gap = 0): number {
      nextSeq += gap;
      for (let i = 0; i < n; i++) records.push(record(nextSeq++));
      return nextSeq - 1;
    },
    prune(through: number) {
      prunedThrough = through;
      while (records.length && records[0].seq <= through) records.shift();
    },
    failReads(n: number) { failNextReads = n; },
    all: () => records.map((r) => r.seq),
  };
}

/** A signal the test delivers by hand. */
function manualSignal() {
  const listeners = new Set<(seq: number) => void>();
  const signal: ChangeSignal = {
    onCommitted(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    committed(seq) { for (const l of [...listeners]) l(seq); },
  };
  return { signal, listeners };
}

/** Lets the feed's pending reads and callbacks run. */
const settle = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

/** Waits until `done()` holds, failing with `what` after a generous bound (not a timing assertion). */
async function until(done: () => boolean, what: string, boundMs = 10_000) {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > boundMs) assert.fail(`${what} (gave up after ${boundMs} ms)`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('change feed', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    test(`every record once, in order, with signals dropped, doubled and coalesced (seed ${seed})`, async () => {
      const rng = prng(seed);
      const log = memoryLog();
      const { signal } = manualSignal();
      const feed = new ChangeFeed({ store: log.store, signal }, { pageSize: 7, recheckMs: 0 });
      const got: number[] = [];
      const following = feed.follow(0, (page) => { got.push(...page.map((r) => r.seq)); });
      let held: number | undefined;
      for (let round = 0; round < 60; round++) {
        const seq = log.append(1 + Math.floor(rng() * 12), rng() < 0.3 ? 1 + Math.floor(rng() * 3) : 0);
        const fate = rng();
        if (fate < 0.3) {
          // dropped
        } else if (fate < 0.5) {
          signal.committed(seq);
          signal.committed(seq);
        } else if (fate < 0.7) {
          held = seq; // coalesced into a later one
        } else {
          signal.committed(held ?? seq);
          if (held !== undefined) signal.committed(seq);
          held = undefined;
        }
        if (rng() < 0.5) await settle(Math.floor(rng() * 5));
      }
      // The last commit's wake-up arrives; every earlier dropped one is covered by it.
      signal.committed(log.all().at(-1)!);
      await until(() => got.length >= log.all().length, `the feed delivered ${got.length} of ${log.all().length} records`);
      await settle();
      await following.stop();
      assert.deepEqual(got, log.all());
      assert.equal(following.seq, log.all().at(-1));
    });
  }

  test('with every wake-up lost, the recheck still delivers everything', async () => {
    const log = memoryLog();
    const { signal } = manualSignal();
    const feed = new ChangeFeed({ store: log.store, signal }, { pageSize: 5, recheckMs: 5 });
    const got: number[] = [];
    const following = feed.follow(0, (page) => { got.push(...page.map((r) => r.seq)); });
    for (let i = 0; i < 10; i++) {
      log.append(3, i % 2);
      await settle(2);
    }
    await until(() => got.length >= 30, `the feed delivered ${got.length} of 30 records`);
    await following.stop();
    assert.deepEqual(got, log.all());
  });

  test('a slow subscriber holds one page: nothing is read until it asks for the next', async () => {
    const log = memoryLog();
    const { signal } = manualSignal();
    const feed = new ChangeFeed({ store: log.store, signal }, { pageSize: 4, recheckMs: 0 });
    log.append(50);
    let release: () => void = () => {};
    const pages: number[][] = [];
    const following = feed.follow(0, async (page) => {
      pages.push(page.map((r) => r.seq));
      await new Promise<void>((r) => { release = r; });
    });
    for (let step = 1; step <= 13; step++) {
      await until(() => pages.length === step, `page ${step} handed over`);
      // Wake-ups pour in while the subscriber sits on its page: they only mark the log as worth reading.
      for (let i = 0; i < 20; i++) signal.committed(log.append(1));
      await settle();
      assert.equal(log.reads.length, step, 'one read per page handed over, none ahead of the subscriber');
      release();
    }
    await following.stop();
    assert.ok(log.reads.every((r) => r.limit === 4 && r.returned <= 4), JSON.stringify(log.reads));
    assert.ok(pages.every((p) => p.length <= 4));
    assert.deepEqual(pages.flat(), log.all().slice(0, pages.flat().length));
  });

  test('a position behind the pruned floor is refused as sync_token_expired; at the floor it is fine', async () => {
    const log = memoryLog();
    const { signal } = manualSignal();
    const feed = new ChangeFeed({ store: log.store, signal }, { pageSize: 10, recheckMs: 0 });
    log.append(20);
    log.prune(8);
    await assert.rejects(feed.pages(3).next(), (e: unknown) => e instanceof DomainError && e.kind === 'sync_token_expired');
    const following = feed.follow(0, () => {});
    await assert.rejects(following.done, (e: unknown) => e instanceof DomainError && e.kind === 'sync_token_expired');
    const first = await feed.pages(8).next();
    assert.deepEqual(first.value?.map((r) => r.seq), [9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    assert.equal(await feed.position(), 20);
    log.prune(20);
    assert.equal(await feed.position(), 20, 'an emptied log still knows where now is');
  });

  test('a subscriber that falls behind a prune while following is told, not silently skipped', async () => {
    const log = memoryLog();
    const { signal } = manualSignal();
    const feed = new ChangeFeed({ store: log.store, signal }, { pageSize: 2, recheckMs: 0 });
    log.append(6);
    let release: () => void = () => {};
    const got: number[] = [];
    const following = feed.follow(0, async (page) => {
      got.push(...page.map((r) => r.seq));
      await new Promise<void>((r) => { release = r; });
    });
    await until(() => got.length === 2, 'first page');
    log.prune(4);
    release();
    await assert.rejects(following.done, (e: unknown) => e instanceof DomainError && e.kind === 'sync_token_expired');
    assert.deepEqual(got, [1, 2]);
  });

  test('a passing store failure is waited out and the same position read again', async () => {
    const log = memoryLog();
    const { signal } = manualSignal();
    const feed = new ChangeFeed({ store: log.store, signal }, { pageSize: 10, recheckMs: 0, maxRetryMs: 5 });
    log.append(3);
    log.failReads(3);
    const got: number[] = [];
    const following = feed.follow(0, (page) => { got.push(...page.map((r) => r.seq)); });
    await until(() => got.length === 3, 'records after the failures');
    await following.stop();
    assert.deepEqual(got, [1, 2, 3]);
  });

  test('stopping or aborting ends the following and lets go of the signal', async () => {
    const log = memoryLog();
    const { signal, listeners } = manualSignal();
    const feed = new ChangeFeed({ store: log.store, signal }, { recheckMs: 0 });
    const following = feed.follow(0, () => {});
    await settle();
    assert.equal(listeners.size, 1);
    await following.stop();
    await following.done;
    assert.equal(listeners.size, 0);

    const controller = new AbortController();
    log.append(2);
    const seen: number[] = [];
    const iterating = (async () => {
      for await (const r of feed.records(0, { signal: controller.signal })) seen.push(r.seq);
    })();
    await until(() => seen.length === 2, 'records before the abort');
    controller.abort();
    await iterating;
    assert.equal(listeners.size, 0);
    assert.deepEqual(seen, [1, 2]);
  });
});
