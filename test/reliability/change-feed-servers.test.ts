// Two servers on one database: a subscriber on one sees every change appended through the other, in
// order, each within a second (issue 14's integration guarantee). On PostgreSQL the wake-up is
// LISTEN/NOTIFY; on an SQLite file two processes share, a poll of the log. Each server here is its
// own openStore (its own pool and signal), as two `rili serve` processes would have.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { ChangeDraft } from '../../src/core/changes.js';
import { ChangeFeed } from '../../src/core/service/change-feed.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { changeChannel } from '../../src/store/postgres/change-notify.js';
import { freshLocation, PG_URL, STORES } from '../helpers/stores.js';

const PROMPT_MS = 1_000;
const CHANGES = 30;

const draft = (objectId: string): ChangeDraft => ({
  tenantKey: 't1', calendarId: 'c1', object: 'event', objectId, uid: objectId, instanceStart: 0, kind: 'updated', audience: ['u1'],
});

/** Two stores on one database location, and how to clean them away. */
async function twoServers(kind: 'sqlite' | 'postgres'): Promise<{ a: OpenedStore; b: OpenedStore; location: string; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const fresh = await freshLocation('postgres');
    const a = await openStore(fresh.location, { poolSize: 2 });
    const b = await openStore(fresh.location, { poolSize: 2 });
    return { a, b, location: fresh.location, drop: fresh.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rili-feed-'));
  const location = join(dir, 'rili.db');
  const a = await openStore(location);
  const b = await openStore(location);
  return { a, b, location, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Waits until `done()` holds, failing with `what()` after `ms`. */
async function within(ms: number, done: () => boolean, what: () => string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > ms) assert.fail(what());
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const kind of STORES) {
  describe(`${kind}: a subscriber on one server follows changes made through another`, () => {
    let servers: Awaited<ReturnType<typeof twoServers>>;
    before(async () => { servers = await twoServers(kind); });
    after(async () => {
      await servers.a.close();
      await servers.b.close();
      await servers.drop();
    });

    test(`every change, in order, each within ${PROMPT_MS} ms`, async () => {
      const { a, b } = servers;
      // recheckMs 0: no safety-net reads, so only the cross-process wake-up can deliver in time.
      const feed = new ChangeFeed({ store: a, signal: a.changeSignal }, { recheckMs: 0 });
      const from = await feed.position();
      const got: Array<{ seq: number; objectId: string }> = [];
      let arrived: () => void = () => {};
      const following = feed.follow(from, (page) => {
        got.push(...page.map((r) => ({ seq: r.seq, objectId: r.objectId })));
        arrived();
      });
      try {
        // Let the subscriber's first read and its LISTEN connection (or first poll) start, as a subscriber
        // that has been following a while would have them; what is measured is the wake-up, not start-up.
        await new Promise((r) => setTimeout(r, 300));
        const want: Array<{ seq: number; objectId: string }> = [];
        for (let i = 0; i < CHANGES; i++) {
          const ids = i % 3 === 0 ? [`e${i}a`, `e${i}b`] : [`e${i}`];
          const records = await b.transact((w) => w.changes.append(ids.map(draft), 1_000 + i));
          want.push(...records.map((r) => ({ seq: r.seq, objectId: r.objectId })));
          const last = records[records.length - 1].seq;
          const start = performance.now();
          while (!got.some((g) => g.seq === last)) {
            const left = PROMPT_MS - (performance.now() - start);
            if (left <= 0) {
              assert.fail(`change ${i + 1} of ${CHANGES} (seq ${last}), committed through the other server, had not reached the subscriber ` +
                `after ${PROMPT_MS} ms; it has seqs ${JSON.stringify(got.map((g) => g.seq))}`);
            }
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, left);
              arrived = () => { clearTimeout(timer); resolve(); };
            });
          }
        }
        assert.deepEqual(got, want, 'every change exactly once, in commit order');
      } finally {
        await following.stop();
      }
    });

    test('postgres: the listening connection is terminated; it reconnects and nothing is lost', { skip: kind !== 'postgres' && 'LISTEN/NOTIFY is PostgreSQL\'s' }, async () => {
      const { a, b, location } = servers;
      const feed = new ChangeFeed({ store: a, signal: a.changeSignal }, { recheckMs: 0 });
      const got: string[] = [];
      const following = feed.follow(await feed.position(), (page) => { got.push(...page.map((r) => r.objectId)); });
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        const channel = changeChannel(new URL(location).searchParams.get('schema') ?? undefined);
        // Only this test's listener: other tests may be listening on the same database.
        const listener = async () => (await admin.query<{ pid: number }>(
          `select pid from pg_stat_activity where application_name = 'rili-listen' and query = $1`, [`listen "${channel}"`])).rows;
        let pids: Array<{ pid: number }> = [];
        const start = performance.now();
        while (pids.length === 0 && performance.now() - start < 5_000) {
          pids = await listener();
          if (pids.length === 0) await new Promise((r) => setTimeout(r, 20));
        }
        assert.equal(pids.length, 1, 'one listening connection for the subscriber\'s process');
        await admin.query('select pg_terminate_backend($1)', [pids[0].pid]);
        // Committed while nobody listens: the wake-up on reconnection must bring it.
        await b.transact((w) => w.changes.append([draft('while-away')], 1));
        await within(5_000, () => got.includes('while-away'), () => `a change made while the listener was away never arrived: ${JSON.stringify(got)}`);
        await b.transact((w) => w.changes.append([draft('after')], 2));
        await within(PROMPT_MS, () => got.includes('after'), () => `a change after the reconnection did not arrive within ${PROMPT_MS} ms: ${JSON.stringify(got)}`);
        assert.deepEqual(got, ['while-away', 'after']);
        const again = await listener();
        assert.equal(again.length, 1);
        assert.notEqual(again[0].pid, pids[0].pid, 'a new connection');
      } finally {
        await admin.end();
        await following.stop();
      }
    });
  });
}
