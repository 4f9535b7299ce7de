// The store's transaction hook: a committed transaction that appended records wakes this process's
// followers with its last seq; one that appended nothing, or rolled back, wakes nobody. And retention:
// by age, by count, the floor moving, a sync position behind it refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RETENTION, assertSyncable } from '../../src/core/change-retention.js';
import type { ChangeDraft } from '../../src/core/changes.js';
import { DomainError } from '../../src/core/errors.js';
import { ChangeFeed } from '../../src/core/service/change-feed.js';
import { ChangeRetention } from '../../src/core/service/change-retention.js';
import { FEISHU_CODE_OF } from '../../src/api/feishu/errors.js';
import { DINGTALK_CODE_OF } from '../../src/api/dingtalk/errors.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { STORES, withFreshStore } from '../helpers/stores.js';

const draft = (objectId: string): ChangeDraft => ({
  tenantKey: 't1', calendarId: 'c1', object: 'event', objectId, uid: objectId, instanceStart: 0, kind: 'created', audience: [],
});

const DAY = 86_400_000;

test('assertSyncable: a position at or past the pruned floor reads whole; one before it is sync_token_expired (190008, invalidParameter)', () => {
  assertSyncable(10, 10);
  assertSyncable(11, 10);
  assertSyncable(0, 0);
  assert.throws(() => assertSyncable(9, 10), (e: unknown) => e instanceof DomainError && e.kind === 'sync_token_expired' && e.field === 'sync_token');
  assert.equal(FEISHU_CODE_OF.sync_token_expired, 190008);
  assert.equal(DINGTALK_CODE_OF.sync_token_expired, 'invalidParameter');
  assert.deepEqual(DEFAULT_RETENTION, { days: 7, maxRecords: 1_000_000 });
});

for (const kind of STORES) {
  describe(`${kind}: change signal and retention`, () => {
    let store!: OpenedStore;
    withFreshStore(kind, (s) => { store = s; });

    test('a committed append wakes with its last seq; no append or a rollback wakes nobody', async () => {
      const heard: number[] = [];
      const unsubscribe = store.changeSignal.onCommitted((seq) => heard.push(seq));
      try {
        const records = await store.transact((w) => w.changes.append([draft('a'), draft('b')], 1000));
        assert.ok(heard.includes(records[1].seq), `heard ${JSON.stringify(heard)}, appended through ${records[1].seq}`);
        const afterAppend = heard.length;
        await store.transact((w) => w.calendars.nextSeq());
        await assert.rejects(store.transact(async (w) => {
          await w.changes.append([draft('c')], 1000);
          throw new Error('boom');
        }), /boom/);
        const latest = await store.read((r) => r.changes.latestSeq());
        assert.equal(latest, records[1].seq, 'the rolled-back record is not in the log');
        // Only this process's direct wake-ups are counted: other sources may only repeat a committed seq,
        // or say "read the log now" (MAX_SAFE_INTEGER) when PostgreSQL's LISTEN connection (re)connects.
        const named = heard.slice(afterAppend).filter((seq) => seq !== Number.MAX_SAFE_INTEGER);
        assert.ok(named.every((seq) => seq <= latest), `no wake-up past the log: ${JSON.stringify(heard)}`);
      } finally {
        unsubscribe();
      }
    });

    test('a listener that throws does not make a committed write look failed', async () => {
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      const unsubscribe = store.changeSignal.onCommitted(() => { throw new Error('listener bug'); });
      try {
        const records = await store.transact((w) => w.changes.append([draft('survives')], 1500));
        assert.equal(await store.read((r) => r.changes.latestSeq()), records[0].seq);
        await new Promise((r) => setImmediate(r));
        assert.ok(warnings.some((m) => m.includes('listener bug')), JSON.stringify(warnings));
      } finally {
        unsubscribe();
        process.off('warning', onWarning);
      }
    });

    test('a feed over the store gets what transactions append, in order', async () => {
      const feed = new ChangeFeed({ store, signal: store.changeSignal }, { pageSize: 3, recheckMs: 0 });
      const from = await feed.position();
      const got: string[] = [];
      const following = feed.follow(from, (page) => { got.push(...page.map((r) => r.objectId)); });
      const want: string[] = [];
      for (let i = 0; i < 10; i++) {
        const ids = [`f${i}a`, `f${i}b`];
        want.push(...ids);
        await store.transact((w) => w.changes.append(ids.map(draft), 2000));
      }
      const start = performance.now();
      while (got.length < want.length && performance.now() - start < 10_000) await new Promise((r) => setTimeout(r, 5));
      await following.stop();
      assert.deepEqual(got, want);
    });

    test('retention prunes by age and by count and moves the floor; a position behind it is refused', async () => {
      let now = 100 * DAY;
      const clock = { now: () => now };
      const old = await store.transact((w) => w.changes.append([draft('old1'), draft('old2')], now - 10 * DAY));
      const recent = await store.transact((w) => w.changes.append([draft('new1'), draft('new2'), draft('new3')], now - DAY));
      const byAge = new ChangeRetention({ store, clock }, { days: 7, maxRecords: 1_000_000 });
      assert.ok(await byAge.prune() >= 2);
      const floor = await store.read((r) => r.changes.prunedThrough());
      assert.ok(floor >= old[1].seq && floor < recent[0].seq, `floor ${floor} between ${old[1].seq} and ${recent[0].seq}`);
      assert.deepEqual((await store.read((r) => r.changes.since(floor, 10))).map((r) => r.objectId), ['new1', 'new2', 'new3']);
      assert.equal(await byAge.prune(), 0, 'a second run finds nothing');

      const byCount = new ChangeRetention({ store, clock }, { days: 7, maxRecords: 1 });
      // Two processes' timers at once: they queue, and the second finds nothing left to do.
      const [a, b] = await Promise.all([byCount.prune(), byCount.prune()]);
      assert.equal(a + b, 2);
      assert.equal(await store.read((r) => r.changes.prunedThrough()), recent[1].seq);
      assert.deepEqual((await store.read((r) => r.changes.since(0, 10))).map((r) => r.objectId), ['new3']);

      const prunedThrough = await store.read((r) => r.changes.prunedThrough());
      assert.throws(() => assertSyncable(recent[0].seq, prunedThrough), (e: unknown) => e instanceof DomainError && e.kind === 'sync_token_expired');
      assertSyncable(recent[1].seq, prunedThrough);

      now += 30 * DAY;
      assert.equal(await byAge.prune(), 1, 'everything aged out');
      assert.equal(await store.read((r) => r.changes.prunedThrough()), recent[2].seq);
    });
  });
}
