// Incremental sync reads the change log: the records a write appends (written here beside the rows,
// by the Record rules) decide what a later sync of each calendar and calendar list answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeDraft } from '../../../src/core/changes.js';
import { DomainError } from '../../../src/core/errors.js';
import type { EventView } from '../../../src/core/service/event-service.js';
import type { Actor } from '../../../src/core/types.js';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';

const HOUR = 3600;
const BASE = 1_893_456_000;
const timed = (epoch: number) => ({ kind: 'timed' as const, epoch, timeZone: 'Asia/Shanghai' });

for (const kind of STORES) {
  describe(`${kind}: sync from the change log`, () => {
    let s: TestServer;
    let zhang: Actor & { kind: 'user' };
    let li: Actor & { kind: 'user' };
    let zhangCal: string;
    let liCal: string;
    const ctx = () => s.server.ctx;

    before(async () => {
      s = await startServer(kind);
      const user = async (id: string) => (await ctx().store.read((r) => r.directory.userByAnyId('acme', id)))!.id;
      zhang = { kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: await user('zhangsan') };
      li = { kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: await user('lisi') };
      zhangCal = (await ctx().calendars.primary(zhang)).calendar.calendarId;
      liCal = (await ctx().calendars.primary(li)).calendar.calendarId;
    });
    after(() => s.close());

    /** Appends one event record per calendar, as the write just made would. */
    const record = (view: { event: EventView['event'] }, kind: ChangeDraft['kind'], calendarIds: string[]) =>
      ctx().store.transact((w) => w.changes.append(calendarIds.map((calendarId) => ({
        tenantKey: 'acme', appId: 'cli_acme', userId: zhang.userId, calendarId, object: 'event' as const,
        objectId: `${view.event.uid}_${view.event.originalStart}`, uid: view.event.uid, instanceStart: view.event.originalStart, kind, audience: [zhang.userId],
      })), Date.now()));

    const create = async (summary: string, hour: number) => {
      const view = await ctx().events.create(zhang, zhangCal, { summary, start: timed(BASE + hour * HOUR), end: timed(BASE + (hour + 1) * HOUR) });
      await record(view, 'created', [zhangCal]);
      return view;
    };

    /** Every page of a sync from a position: the items and the position to sync from next. */
    async function syncAll(actor: Actor, calendarId: string, since: number, pageSize: number) {
      const items: EventView[] = [];
      let pages = 0;
      for (let position = since; ;) {
        const page = await ctx().sync.events(actor, calendarId, position, pageSize);
        items.push(...page.items);
        pages++;
        if (page.syncSeq !== undefined) return { items, next: page.syncSeq, pages };
        assert.ok(page.nextSince! > position);
        position = page.nextSince!;
      }
    }

    test('changes since a listing: created, patched, deleted (cancelled), paged without loss; then nothing', async () => {
      const a = await create('a', 1);
      const b = await create('b', 2);
      const listed = await ctx().events.list(zhang, zhangCal, { mode: 'page', pageSize: 500 });
      const token = listed.syncSeq!;
      const c = await create('c', 3);
      const renamed = await ctx().events.patch(zhang, zhangCal, a.event.uid + '_0', { summary: 'a renamed' });
      await record(renamed, 'updated', [zhangCal]);
      await ctx().events.delete(zhang, zhangCal, `${b.event.uid}_0`);
      await record(b, 'deleted', [zhangCal]);
      // Another calendar's records are not this calendar's changes.
      await record(c, 'updated', [liCal]);

      const { items, next, pages } = await syncAll(zhang, zhangCal, token, 2);
      assert.equal(pages, 2);
      const byUid = new Map(items.map((v) => [v.event.uid, v.event]));
      assert.deepEqual([...byUid.keys()].sort(), [a.event.uid, b.event.uid, c.event.uid].sort());
      assert.equal(byUid.get(a.event.uid)!.summary, 'a renamed');
      assert.equal(byUid.get(b.event.uid)!.status, 'cancelled');
      assert.equal(byUid.get(c.event.uid)!.status, 'confirmed');
      assert.deepEqual((await syncAll(zhang, zhangCal, next, 2)).items, []);
    });

    test('an attendee removed: their calendar reports the event withdrawn, busy time only', async () => {
      const e = await create('invite', 5);
      const token = (await ctx().events.list(li, liCal, { mode: 'page', pageSize: 500 })).syncSeq!;
      await ctx().attendees.add(zhang, zhangCal, `${e.event.uid}_0`, [{ type: 'user', userId: li.userId }]);
      await record(e, 'created', [liCal]);
      const invited = await syncAll(li, liCal, token, 50);
      assert.deepEqual(invited.items.map((v) => [v.event.summary, v.event.status, v.side]), [['invite', 'confirmed', 'attendee']]);

      const [mine] = (await ctx().store.read((r) => r.events.attendees(e.event.uid))).filter((x) => x.userId === li.userId);
      await ctx().attendees.remove(zhang, zhangCal, `${e.event.uid}_0`, { attendeeIds: [mine.attendeeId] });
      await record(e, 'deleted', [liCal]);
      await record(e, 'updated', [zhangCal]);
      const left = await syncAll(li, liCal, invited.next, 50);
      assert.deepEqual(left.items.map((v) => [v.event.uid, v.event.status, v.event.summary, v.detail]), [[e.event.uid, 'cancelled', '', 'busy']]);
      // Still in the organizer's calendar: there it answers as it is.
      const organizer = await syncAll(zhang, zhangCal, invited.next, 50);
      assert.deepEqual(organizer.items.map((v) => [v.event.uid, v.event.status, v.event.summary, v.detail]), [[e.event.uid, 'confirmed', 'invite', 'full']]);
    });

    test('a position ahead of every change is invalid; one behind the pruned log is expired', async () => {
      const current = await ctx().store.read((r) => r.calendars.currentSeq());
      const kindOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof DomainError ? e.kind : String(e)));
      assert.equal(await kindOf(ctx().sync.events(zhang, zhangCal, current + 1, 50)), 'sync_token_invalid');
      assert.equal(await kindOf(ctx().sync.calendarList(zhang, current + 1)), 'sync_token_invalid');
      const old = (await ctx().store.read((r) => r.changes.since(0, 1)))[0].seq - 1;
      await create('after', 9);
      await ctx().store.transact((w) => w.changes.prune({ keep: 1 }));
      const floor = await ctx().store.read((r) => r.changes.prunedThrough());
      assert.ok(floor > old);
      assert.equal(await kindOf(ctx().sync.events(zhang, zhangCal, old, 50)), 'sync_token_expired');
      assert.equal(await kindOf(ctx().sync.calendarList(zhang, old)), 'sync_token_expired');
      assert.equal(await kindOf(ctx().sync.events(zhang, zhangCal, floor, 50)), 'ok');
    });

    test('calendar list: a calendar created, shared or unsubscribed; another user\'s entry is not the caller\'s change', async () => {
      const token = (await ctx().calendars.list(li, { mode: 'page', pageSize: 500 })).syncSeq!;
      const shared = await ctx().calendars.create(li, { summary: 'team' });
      const cid = shared.calendar.calendarId;
      const draft = (object: ChangeDraft['object'], kind: ChangeDraft['kind'], user: string): ChangeDraft => ({
        tenantKey: 'acme', appId: 'cli_acme', userId: user, calendarId: cid, object, objectId: cid, kind, audience: [user],
      });
      await ctx().store.transact((w) => w.changes.append([draft('calendar', 'created', li.userId), draft('subscription', 'calendar_list_changed', li.userId)], Date.now()));
      const first = await ctx().sync.calendarList(li, token);
      assert.deepEqual(first.items.map((v) => [v.calendar.calendarId, v.calendar.isDeleted]), [[cid, false]]);
      assert.deepEqual((await ctx().sync.calendarList(li, first.syncSeq!)).items, []);

      // zhangsan subscribing is a change of zhangsan's list only.
      await ctx().calendars.createAcl(li, cid, 'reader', zhang.userId);
      await ctx().store.transact((w) => w.changes.append([draft('acl', 'acl_created', li.userId)], Date.now()));
      const zToken = (await ctx().calendars.list(zhang, { mode: 'page', pageSize: 500 })).syncSeq!;
      const lToken = (await ctx().sync.calendarList(li, first.syncSeq!)).syncSeq!;
      await ctx().calendars.subscribe(zhang, cid);
      await ctx().store.transact((w) => w.changes.append([draft('subscription', 'calendar_list_changed', zhang.userId)], Date.now()));
      assert.deepEqual((await ctx().sync.calendarList(zhang, zToken)).items.map((v) => v.calendar.calendarId), [cid]);
      assert.deepEqual((await ctx().sync.calendarList(li, lToken)).items, []);

      await ctx().calendars.unsubscribe(zhang, cid);
      await ctx().store.transact((w) => w.changes.append([draft('subscription', 'calendar_list_changed', zhang.userId)], Date.now()));
      const gone = await ctx().sync.calendarList(zhang, zToken);
      assert.deepEqual(gone.items.map((v) => [v.calendar.calendarId, v.calendar.isDeleted]), [[cid, true]]);
    });
  });
}
