// Reset, snapshots, export and import: the state comes back exactly, on both databases, the change
// sequence never goes back, and sync tokens from before answer expired.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { StoreDump } from '../../../src/core/ports.js';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';
import { feishu } from '../../reliability/lib/http.js';
import { startSandboxServer } from './sandbox-server.js';

const HOUR = 3600;

/** The whole state as the store holds it. */
const dumpOf = (s: TestServer): Promise<StoreDump> => s.server.ctx.store.read((r) => r.snapshots.dump());

/** A dump with the sequence numbers rows were written at left out (a reset writes the seed anew). */
const withoutSeqs = (dump: StoreDump) => Object.fromEntries(Object.entries(dump.tables).map(([name, rows]) =>
  [name, rows.map(({ seq: _seq, ...rest }) => rest)]));

async function admin(s: TestServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}/rili/v1${path}`, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

for (const kind of STORES) {
  describe(`${kind}: reset and snapshots`, () => {
    let s: TestServer;
    let client: lark.Client;
    let as: ReturnType<typeof lark.withUserAccessToken>;
    let token: string;
    before(async () => {
      s = await startServer(kind);
      client = s.lark();
      token = await s.userToken('zhangsan');
      as = lark.withUserAccessToken(token);
    });
    after(() => s.close());

    const createEvent = async (summary: string) => {
      const start = Math.floor(s.clock.now() / 1000) + HOUR;
      const res = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { summary, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + HOUR) } },
      }, as);
      assert.equal(res.code, 0, res.msg);
      const eventId = res.data!.event!.event_id;
      // An attendee too: rows in the attendee table and the event in lisi's calendar.
      const invited = await client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: await primaryId(), event_id: eventId },
        data: { attendees: [{ type: 'user', user_id: 'lisi' }] },
        params: { user_id_type: 'user_id' },
      }, as);
      assert.equal(invited.code, 0, invited.msg);
      return eventId;
    };
    const caller = () => ({ base: s.url, token });
    const primaryId = async () => (await feishu(caller(), 'POST', '/calendar/v4/calendars/primary')).json.data.calendars[0].calendar.calendar_id as string;
    const summaries = async () => {
      const listed = await feishu(caller(), 'GET', `/calendar/v4/calendars/${encodeURIComponent(await primaryId())}/events?page_size=500`);
      assert.equal(listed.json.code, 0, listed.text);
      return ((listed.json.data.items ?? []) as { summary: string; status: string }[]).filter((e) => e.status !== 'cancelled').map((e) => e.summary).sort();
    };
    const calendarList = async () => (await feishu(caller(), 'GET', '/calendar/v4/calendars?page_size=500')).json.data.calendar_list;

    test('reset after Feishu SDK writes gives back exactly the seed\'s state, calendar ids included', async () => {
      const seeded = await dumpOf(s);
      const calendarsBefore = await calendarList();
      await createEvent('added by the test');
      const shared = await client.calendar.v4.calendar.create({ data: { summary: 'team calendar' } }, as);
      assert.equal(shared.code, 0, shared.msg);
      assert.notDeepEqual(await calendarList(), calendarsBefore);

      const reset = await admin(s, 'POST', '/reset');
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.deepEqual(await summaries(), [], 'no event the test added');
      assert.deepEqual(await calendarList(), calendarsBefore, 'the seed\'s calendars, under the same ids; the shared one gone');
      const after = await dumpOf(s);
      assert.deepEqual(withoutSeqs(after), withoutSeqs(seeded), 'every table as the seed left it');
      assert.ok(after.changeSeq > seeded.changeSeq, 'the sequence never goes back');
      assert.equal(reset.body.change_seq, after.changeSeq);
      // The token minted before still works: users and the token secret are as they were.
      assert.equal((await client.calendar.v4.calendar.primary({}, as)).code, 0);
    });

    test('snapshot, change, restore: the snapshot\'s state exactly; the sequence does not go back', async () => {
      await createEvent('kept');
      const saved = await admin(s, 'POST', '/snapshots', { name: 'one' });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.name, 'one');
      assert.equal(saved.body.replaced, false);
      assert.ok(saved.body.bytes > 0);
      const snapped = await dumpOf(s);
      assert.ok(snapped.tables.events.length > 0 && snapped.tables.event_attendees.length > 0);

      await createEvent('added after');
      await client.calendar.v4.calendar.create({ data: { summary: 'another calendar' } }, as);
      assert.deepEqual(await summaries(), ['added after', 'kept']);

      const restored = await admin(s, 'POST', '/snapshots/one/restore');
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
      assert.deepEqual(await summaries(), ['kept']);
      const now = await dumpOf(s);
      assert.deepEqual(now.tables, snapped.tables, 'every row as it was, sequence numbers included');
      assert.ok(now.changeSeq > snapped.changeSeq);
      assert.equal(restored.body.change_seq, now.changeSeq);
      // A write after the restore takes a sequence number above every restored row's.
      await createEvent('after the restore');
      assert.deepEqual(await summaries(), ['after the restore', 'kept']);
    });

    test('list, replace and delete snapshots', async () => {
      assert.equal((await admin(s, 'POST', '/snapshots', { name: 'b-second' })).status, 200);
      assert.equal((await admin(s, 'POST', '/snapshots', { name: 'a-first' })).status, 200);
      const again = await admin(s, 'POST', '/snapshots', { name: 'a-first' });
      assert.equal(again.body.replaced, true);
      const listed = await admin(s, 'GET', '/snapshots');
      assert.equal(listed.status, 200);
      const names = (listed.body.snapshots as { name: string; created_at_ms: number; bytes: number }[]).map((x) => x.name);
      assert.deepEqual(names.filter((n) => n !== 'one'), ['a-first', 'b-second']);
      for (const x of listed.body.snapshots) assert.ok(x.bytes > 0 && x.created_at_ms > 0);

      assert.deepEqual(await admin(s, 'DELETE', '/snapshots/a-first'), { status: 200, body: { deleted: 'a-first' } });
      assert.equal((await admin(s, 'DELETE', '/snapshots/a-first')).body.error.code, 'snapshot_not_found');
      assert.equal((await admin(s, 'POST', '/snapshots/a-first/restore')).status, 404);
      assert.ok(!(await admin(s, 'GET', '/snapshots')).body.snapshots.some((x: { name: string }) => x.name === 'a-first'));
      assert.equal((await admin(s, 'POST', '/snapshots', { name: '../etc' })).status, 400);
    });

    test('a sync token from before a restore or a reset answers expired; a fresh listing syncs', async () => {
      const calendarId = await primaryId();
      const events = (query: string) => feishu(caller(), 'GET', `/calendar/v4/calendars/${encodeURIComponent(calendarId)}/events?${query}`);
      for (const replace of [() => admin(s, 'POST', '/snapshots/one/restore'), () => admin(s, 'POST', '/reset')]) {
        const eventToken = (await events('page_size=50')).json.data.sync_token as string;
        const listToken = (await feishu(caller(), 'GET', '/calendar/v4/calendars')).json.data.sync_token as string;
        assert.equal((await replace()).status, 200);
        for (const answer of [await events(`sync_token=${eventToken}`), await feishu(caller(), 'GET', `/calendar/v4/calendars?sync_token=${listToken}`)]) {
          assert.deepEqual([answer.status, answer.json.code], [400, 190008], answer.text);
        }
        const fresh = (await events('page_size=50')).json.data.sync_token as string;
        const synced = await events(`sync_token=${fresh}`);
        assert.deepEqual([synced.json.code, synced.json.data.items ?? []], [0, []]);
      }
    });

    test('a change-log follower from before a restore is told it expired', async () => {
      const feed = s.server.ctx.changeFeed;
      const from = await feed.position();
      const following = feed.follow(from, () => {});
      assert.equal((await admin(s, 'POST', '/snapshots/one/restore')).status, 200);
      await assert.rejects(following.done, (error: Error & { kind?: string }) => error.kind === 'sync_token_expired');
    });

    test('export, then import into a fresh database: the same state through the API', async () => {
      await createEvent('exported');
      const document = await s.server.ctx.snapshots.exportDocument();
      const parsed = JSON.parse(document);
      assert.deepEqual([parsed.format, parsed.version, typeof parsed.migration], ['rili-snapshot', 1, 'string']);

      const fresh = await startServer(kind, { seed: false });
      try {
        await fresh.server.ctx.snapshots.importDocument(document);
        // The same token secret (TEST_SECRET) on both: one token reads both.
        for (const path of ['/calendar/v4/calendars?page_size=500', `/calendar/v4/calendars/${encodeURIComponent(await primaryId())}/events?page_size=500`]) {
          const here = await feishu(caller(), 'GET', path);
          const there = await feishu({ base: fresh.url, token }, 'GET', path);
          assert.equal(there.json.code, 0, there.text);
          const { sync_token: _a, ...mine } = here.json.data;
          const { sync_token: _b, ...theirs } = there.json.data;
          assert.deepEqual(theirs, mine, path);
        }
        assert.deepEqual((await dumpOf(fresh)).tables, (await dumpOf(s)).tables);
        // A reset there replays the seeds the export carried.
        assert.equal((await admin(fresh, 'POST', '/reset')).status, 200);
        assert.equal((await calendarList()).length, (await feishu({ base: fresh.url, token }, 'GET', '/calendar/v4/calendars?page_size=500')).json.data.calendar_list.length);
      } finally {
        await fresh.close();
      }
    });

    test('a database that remembers no seed refuses reset instead of emptying itself', async () => {
      const bare = await startServer(kind, { seed: false });
      try {
        const res = await admin(bare, 'POST', '/reset');
        assert.deepEqual([res.status, res.body.error.code], [409, 'no_seed_recorded']);
      } finally {
        await bare.close();
      }
    });
  });

  describe(`${kind}: --sandbox off`, () => {
    test('refuses reset, saving, restoring and deleting snapshots; listing stays', async () => {
      const s = await startSandboxServer(kind, { enabled: false });
      try {
        for (const [method, path, body] of [
          ['POST', '/rili/v1/reset', undefined], ['POST', '/rili/v1/snapshots', { name: 'x' }],
          ['POST', '/rili/v1/snapshots/x/restore', undefined], ['DELETE', '/rili/v1/snapshots/x', undefined],
        ] as const) {
          const res = await s.call(method, path, body === undefined ? {} : { body });
          assert.deepEqual([res.status, res.body.error?.code], [403, 'sandbox_off'], `${method} ${path}`);
        }
        const listed = await s.call('GET', '/rili/v1/snapshots');
        assert.deepEqual([listed.status, listed.body], [200, { snapshots: [] }]);
      } finally {
        await s.close();
      }
    });
  });
}
