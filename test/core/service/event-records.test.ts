// Every event and attendee write appends, in its own transaction, exactly the change records the
// record rules name: one per (calendar, object) affected, with its kind and instance.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeRecord } from '../../../src/core/changes.js';
import type { EventTime } from '../../../src/core/events/types.js';
import type { Actor } from '../../../src/core/types.js';
import { AttendeeService } from '../../../src/core/service/attendee-service.js';
import { CalendarService } from '../../../src/core/service/calendar-service.js';
import { DirectoryService } from '../../../src/core/service/directory-service.js';
import { EventService } from '../../../src/core/service/event-service.js';
import { feishuIds } from '../../../src/api/feishu/platform-ids.js';
import { randomIds } from '../../../src/context.js';
import { seedFromJson } from '../../../src/seed.js';
import { openStore } from '../../../src/store/open-store.js';
import type { OpenedStore } from '../../../src/store/open-store.js';
import { TEST_SEED } from '../../helpers/seed.js';
import { freshLocation, STORES } from '../../helpers/stores.js';

const T0 = 1_798_761_600; // 2027-01-01T00:00:00Z
const DAY = 86_400;
const at = (s: number): EventTime => ({ kind: 'timed', epoch: s, timeZone: 'UTC' });

/** A record in a comparable shape: who it is for and what it says. */
type Seen = [calendar: string, object: string, kind: string, objectId: string, instanceStart: number | undefined];
const seen = (records: readonly ChangeRecord[]): Seen[] =>
  records.map((r) => [r.calendarId ?? '', r.object, r.kind, r.objectId, r.instanceStart] as Seen).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sorted = (list: Seen[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

for (const kind of STORES) {
  describe(`${kind}: change records of event and attendee writes`, () => {
    let store: OpenedStore;
    let drop: () => Promise<void>;
    let events: EventService;
    let attendees: AttendeeService;
    let zhangsan: Actor;
    let lisi: Actor;
    let zs: string; // zhangsan's primary calendar
    let ls: string; // lisi's primary calendar
    let clock = 1_000_000;

    before(async () => {
      const fresh = await freshLocation(kind);
      drop = fresh.drop;
      store = await openStore(fresh.location);
      const deps = { store, clock: { now: () => clock }, ids: feishuIds(randomIds) };
      const calendars = new CalendarService(deps);
      events = new EventService(deps, calendars);
      attendees = new AttendeeService(deps, events);
      await new DirectoryService(deps).applySeed(seedFromJson(TEST_SEED));
      const ids = await store.read(async (r) => {
        const out: Record<string, { user: string; calendar: string }> = {};
        for (const name of ['zhangsan', 'lisi']) {
          const user = (await r.directory.userByExternalId('acme', 'user_id', name))!;
          out[name] = { user: user.id, calendar: (await r.calendars.primaryCalendar(`u:${user.id}`))!.calendarId };
        }
        return out;
      });
      zhangsan = { kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: ids.zhangsan.user };
      lisi = { kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: ids.lisi.user };
      zs = ids.zhangsan.calendar;
      ls = ids.lisi.calendar;
    });
    after(async () => {
      await store.close();
      await drop();
    });

    /** The records one write appends. */
    async function recordsOf(write: () => Promise<unknown>): Promise<ChangeRecord[]> {
      const from = await store.read((r) => r.changes.latestSeq());
      clock += 1000;
      await write();
      return store.read((r) => r.changes.since(from, 1000));
    }

    test('create, attendee add, reply, patch, instance delete, attendee remove, delete: each its records', async () => {
      let id = '';
      const created = await recordsOf(async () => {
        id = `${(await events.create(zhangsan, 'primary', { summary: 'weekly', start: at(T0), end: at(T0 + 3600), recurrence: 'FREQ=DAILY;COUNT=5' })).event.uid}_0`;
      });
      const uid = id.slice(0, -2);
      assert.deepEqual(seen(created), [[zs, 'event', 'created', id, 0]]);
      assert.equal(created[0].tenantKey, 'acme');
      assert.equal(created[0].appId, 'cli_acme');
      assert.equal(created[0].userId, zhangsan.kind === 'user' ? zhangsan.userId : '');
      assert.equal(created[0].at, clock);
      assert.deepEqual(created[0].audience, [created[0].userId]);

      let added: string[] = [];
      const addRecords = await recordsOf(async () => {
        added = (await attendees.add(zhangsan, 'primary', id, [{ type: 'user', userId: lisi.kind === 'user' ? lisi.userId : '' }])).map((a) => a.attendeeId);
      });
      const organizerAttendee = (await store.read((r) => r.events.attendees(uid))).find((a) => a.isOrganizer)!.attendeeId;
      // The event appears in lisi's calendar; the organizer's row is touched; two attendees came (lisi and
      // the organizer), each recorded once, on the organizer's calendar.
      assert.deepEqual(seen(addRecords), sorted([
        [ls, 'event', 'created', id, 0], [zs, 'event', 'updated', id, 0],
        [zs, 'attendee', 'attendee_added', added[0], undefined], [zs, 'attendee', 'attendee_added', organizerAttendee, undefined],
      ]));
      assert.deepEqual(new Set(addRecords[0].audience), new Set([zhangsan, lisi].map((a) => (a.kind === 'user' ? a.userId : ''))));

      const replyRecords = await recordsOf(() => attendees.reply(lisi, 'primary', id, 'accept'));
      assert.deepEqual(seen(replyRecords), sorted([
        [zs, 'event', 'updated', id, 0], [ls, 'event', 'updated', id, 0], [zs, 'attendee', 'replied', added[0], undefined],
      ]));

      const second = `${uid}_${T0 + DAY}`;
      const patchRecords = await recordsOf(() => events.patch(zhangsan, 'primary', second, { summary: 'moved' }));
      assert.deepEqual(seen(patchRecords), sorted([[zs, 'event', 'updated', second, T0 + DAY], [ls, 'event', 'updated', second, T0 + DAY]]));

      // A personal change shows only in the caller's own calendar (a plain instance touches the series).
      const personalRecords = await recordsOf(() => events.patch(lisi, 'primary', `${uid}_${T0 + 2 * DAY}`, { color: 5 }));
      assert.deepEqual(seen(personalRecords), [[ls, 'event', 'updated', id, 0]]);
      assert.deepEqual(personalRecords[0].audience, [lisi.kind === 'user' ? lisi.userId : '']);

      const third = `${uid}_${T0 + 3 * DAY}`;
      const instanceDelete = await recordsOf(() => events.delete(zhangsan, 'primary', third));
      assert.deepEqual(seen(instanceDelete), sorted([[zs, 'event', 'deleted', third, T0 + 3 * DAY], [ls, 'event', 'deleted', third, T0 + 3 * DAY]]));

      const removeRecords = await recordsOf(() => attendees.remove(zhangsan, 'primary', id, { attendeeIds: [added[0]] }));
      // lisi's calendar loses the whole series; what stays in the organizer's calendar is touched.
      assert.deepEqual(seen(removeRecords), sorted([
        [ls, 'event', 'deleted', id, 0], [zs, 'event', 'updated', id, 0], [zs, 'event', 'updated', second, T0 + DAY],
        [zs, 'attendee', 'attendee_removed', added[0], undefined],
      ]));

      const deleteRecords = await recordsOf(() => events.delete(zhangsan, 'primary', id));
      // The series and its live exception leave the organizer's calendar; the cancelled instance was gone already.
      assert.deepEqual(seen(deleteRecords), sorted([[zs, 'event', 'deleted', id, 0], [zs, 'event', 'deleted', second, T0 + DAY]]));
    });

    test('an attendee deleting the event from their calendar: it leaves that calendar only', async () => {
      const view = await events.create(zhangsan, 'primary', { summary: 'one', start: at(T0), end: at(T0 + 3600) });
      const id = `${view.event.uid}_0`;
      await attendees.add(zhangsan, 'primary', id, [{ type: 'user', userId: lisi.kind === 'user' ? lisi.userId : '' }]);
      const records = await recordsOf(() => events.delete(lisi, 'primary', id));
      const events_ = seen(records).filter((r) => r[1] === 'event');
      assert.deepEqual(events_, sorted([[ls, 'event', 'deleted', id, 0], [zs, 'event', 'updated', id, 0]]));
      assert.ok(seen(records).some((r) => r[1] === 'attendee' && r[2] === 'replied' && r[0] === zs));
      assert.ok(!seen(records).some((r) => r[1] === 'attendee' && r[0] === ls));
    });

    test('a refused write appends nothing', async () => {
      const view = await events.create(zhangsan, 'primary', { summary: 'one', start: at(T0), end: at(T0 + 3600) });
      const records = await recordsOf(() => assert.rejects(events.patch(zhangsan, 'primary', `${view.event.uid}_0`, { start: at(T0 + 3600), end: at(T0) })));
      assert.deepEqual(records, []);
    });

    test('rebuilding each calendar from its event records gives exactly what listEvents returns', async () => {
      const all = await store.read((r) => r.changes.since(0, 100_000));
      for (const calendarId of [zs, ls]) {
        const present = new Set<string>();
        for (const r of all) {
          if (r.calendarId !== calendarId || r.object !== 'event') continue;
          if (r.kind === 'deleted' && r.instanceStart === 0) for (const p of [...present]) if (p.startsWith(`${r.uid}_`)) present.delete(p);
          if (r.kind === 'deleted') present.delete(r.objectId);
          else present.add(r.objectId);
        }
        const listed = await store.read((r) => r.events.listEvents(calendarId, { limit: 10_000 }));
        assert.deepEqual([...present].sort(), listed.map((e) => `${e.uid}_${e.originalStart}`).sort(), calendarId);
      }
    });
  });
}
