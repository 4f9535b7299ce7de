// GET of one event is answered by one statement (EventReader.eventRead) when it can be, and by the
// same load in a snapshot otherwise. Both must give the same view: the organizer's and an attendee's
// calendar, a plain occurrence and an exception of a series, a personal view, a bot, a missing event
// or calendar, and a caller without access.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventTime } from '../../../src/core/events/types.js';
import type { EventReadQuery } from '../../../src/core/ports.js';
import type { Actor } from '../../../src/core/types.js';
import { principalOf } from '../../../src/core/types.js';
import { AttendeeService } from '../../../src/core/service/attendee-service.js';
import { CalendarService } from '../../../src/core/service/calendar-service.js';
import { DirectoryService } from '../../../src/core/service/directory-service.js';
import { EventService } from '../../../src/core/service/event-service.js';
import type { EventView } from '../../../src/core/service/event-reads.js';
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

for (const kind of STORES) {
  describe(`${kind}: one-statement event reads`, () => {
    let store: OpenedStore;
    let drop: () => Promise<void>;
    let events: EventService;
    let zhangsan: Actor;
    let lisi: Actor;
    let wangwu: Actor;
    const bot: Actor = { kind: 'app', tenantKey: 'acme', appId: 'cli_acme' };
    let zs = '';
    let ls = '';
    let single = '';
    let series = '';

    before(async () => {
      const fresh = await freshLocation(kind);
      drop = fresh.drop;
      store = await openStore(fresh.location);
      const deps = { store, clock: { now: () => 1_000_000 }, ids: feishuIds(randomIds) };
      const calendars = new CalendarService(deps);
      events = new EventService(deps, calendars);
      const attendees = new AttendeeService(deps, events);
      await new DirectoryService(deps).applySeed(seedFromJson(TEST_SEED));
      const ids = await store.read(async (r) => {
        const out: Record<string, { user: string; calendar: string }> = {};
        for (const name of ['zhangsan', 'lisi', 'wangwu']) {
          const user = (await r.directory.userByExternalId('acme', 'user_id', name))!;
          out[name] = { user: user.id, calendar: (await r.calendars.primaryCalendar(`u:${user.id}`))!.calendarId };
        }
        return out;
      });
      const user = (id: string): Actor => ({ kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: id });
      zhangsan = user(ids.zhangsan.user);
      lisi = user(ids.lisi.user);
      wangwu = user(ids.wangwu.user);
      zs = ids.zhangsan.calendar;
      ls = ids.lisi.calendar;
      single = (await events.create(zhangsan, zs, { summary: 'one', start: at(T0), end: at(T0 + 3600) })).event.uid + '_0';
      series = (await events.create(zhangsan, zs, { summary: 'daily', start: at(T0), end: at(T0 + 3600), recurrence: 'FREQ=DAILY;COUNT=5' })).event.uid + '_0';
      for (const id of [single, series]) await attendees.add(zhangsan, zs, id, [{ type: 'user', userId: ids.lisi.user }]);
      await attendees.reply(lisi, ls, single, 'accept');
      // An exception of the series, and lisi's personal view of the single event (a colour of her own).
      await events.patch(zhangsan, zs, `${series.slice(0, -2)}_${T0 + DAY}`, { summary: 'moved' });
      await events.patch(lisi, ls, single, { color: 5 });
    });
    after(async () => {
      await store.close();
      await drop();
    });

    /** The view `get` answers, or the error's kind; and the same load in a snapshot. */
    async function both(actor: Actor, calendarId: string, eventId: string): Promise<[unknown, unknown]> {
      const outcome = (p: Promise<EventView>) => p.then((v) => v, (e: unknown) => ({ error: (e as { kind?: string }).kind ?? String(e) }));
      const fast = await outcome(events.get(actor, calendarId, eventId));
      const slow = await outcome(store.read((r) => events.reads.load(r, actor, calendarId, eventId, 'free_busy_reader')));
      return [fast, slow];
    }

    test('get answers what the snapshot load answers, in every case', async () => {
      const uid = series.slice(0, -2);
      const cases: Array<[string, Actor, () => string, () => string]> = [
        ['organizer, single event', zhangsan, () => zs, () => single],
        ['attendee\'s calendar, with a personal view', lisi, () => ls, () => single],
        ['organizer, series master', zhangsan, () => zs, () => series],
        ['organizer, plain occurrence (no row)', zhangsan, () => zs, () => `${uid}_${T0 + 2 * DAY}`],
        ['attendee, exception', lisi, () => ls, () => `${uid}_${T0 + DAY}`],
        ['bot on a user\'s calendar', bot, () => zs, () => single],
        ['no such event', zhangsan, () => zs, () => `${uid.slice(0, -1)}0_0`],
        ['not an occurrence', zhangsan, () => zs, () => `${uid}_${T0 + 7}`],
        ['a calendar the caller has no role on', wangwu, () => ls, () => single],
        ['no such calendar', zhangsan, () => 'feishu.cn_nosuchcalendar@group.calendar.feishu.cn', () => single],
        ['the primary alias, an attendee', lisi, () => 'primary', () => single],
        ['the primary alias, the organizer', zhangsan, () => 'primary', () => single],
        ['the primary alias, a bot (its own calendar holds no such event)', bot, () => 'primary', () => single],
      ];
      const kinds = new Set<string>();
      for (const [label, actor, calendarId, eventId] of cases) {
        const [fast, slow] = await both(actor, calendarId(), eventId());
        assert.deepEqual(fast, slow, label);
        kinds.add(typeof fast === 'object' && fast !== null && 'error' in fast ? String((fast).error) : 'view');
      }
      // The cases reach both outcomes: views and the refusals.
      assert.ok(kinds.has('view') && kinds.has('event_not_found'), [...kinds].join(', '));
    });

    test('the usual read takes no snapshot; an attendee\'s calendar and a plain occurrence go round again in one', async () => {
      const realRead = store.read.bind(store);
      let snapshots = 0;
      store.read = (fn) => {
        snapshots++;
        return realRead(fn);
      };
      try {
        const uid = series.slice(0, -2);
        await events.get(zhangsan, zs, single);
        await events.get(zhangsan, zs, series);
        await events.get(bot, zs, single);
        await events.get(zhangsan, 'primary', single);
        assert.equal(snapshots, 0, 'the organizer\'s calendar (by id or as `primary`) and a bot: one statement each');
        await events.get(lisi, ls, single);
        assert.equal(snapshots, 1, 'an attendee\'s calendar needs the membership read');
        await events.get(zhangsan, zs, `${uid}_${T0 + 2 * DAY}`);
        assert.equal(snapshots, 2, 'an occurrence without a row needs its master');
      } finally {
        store.read = realRead;
      }
    });

    test('a patch loads the event in one statement after its lock, and falls back inside its transaction', async () => {
      // Each patch must answer what a get answers afterwards, whichever calendar it is made through.
      const patched = await events.patch(zhangsan, 'primary', single, { description: 'by the organizer' });
      assert.equal(patched.event.description, 'by the organizer');
      assert.equal(patched.side, 'organizer');
      const byAttendee = await events.patch(lisi, ls, single, { color: 7 });
      assert.equal(byAttendee.side, 'attendee', 'an attendee\'s calendar: the membership read came from the transaction');
      assert.equal(byAttendee.personal?.color, 7);
      const [fast] = await both(lisi, ls, single);
      assert.equal((fast as EventView).personal?.color, 7);
      await assert.rejects(events.patch(wangwu, ls, single, { description: 'no' }), (e: { kind?: string }) => e.kind !== undefined);
      const [after] = await both(zhangsan, zs, single);
      assert.equal((after as EventView).event.description, 'by the organizer', 'the refused patch changed nothing');
    });

    test('eventRead returns what calendarFor, event and viewerState return, from one statement', async () => {
      const uid = single.slice(0, -2);
      for (const actor of [zhangsan, lisi, bot]) {
        for (const calendarId of [zs, ls, 'nosuch', undefined]) {
          const q: EventReadQuery = {
            principal: principalOf(actor), userId: actor.kind === 'user' ? actor.userId : undefined, calendarId, eventId: single, uid,
            matchKey: actor.kind === 'user' ? `u:${actor.userId}` : undefined,
          };
          for (const everyAttendee of [false, true]) {
            const bundle = await store.lookup((r) => r.events.eventRead({ ...q, everyAttendee }));
            const separate = await store.read(async (r) => ({
              access: await r.calendars.calendarFor(q.principal, q.userId, calendarId),
              event: await r.events.event(single),
              viewer: await r.events.viewerState([uid], q.principal, q.matchKey, everyAttendee),
            }));
            assert.deepEqual(bundle, separate, `${principalOf(actor)} on ${calendarId ?? 'its primary calendar'}${everyAttendee ? ', every attendee' : ''}`);
            if (everyAttendee) assert.equal(bundle.viewer.every?.length, 2, 'a write reads both attendees: zhangsan (organizer) and lisi');
          }
        }
      }
      const lisiView = await store.lookup((r) => r.events.eventRead({ principal: principalOf(lisi), userId: lisi.kind === 'user' ? lisi.userId : undefined, calendarId: ls, eventId: single, uid, matchKey: lisi.kind === 'user' ? `u:${lisi.userId}` : undefined }));
      assert.equal(lisiView.viewer.personal.length, 1, 'lisi\'s personal view is read');
      assert.equal(lisiView.viewer.attendees.length, 1, 'lisi\'s own attendee entry is read');
      assert.equal(lisiView.access?.calendar.calendarId, ls);
    });
  });
}
