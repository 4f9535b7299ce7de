/**
 * A follower of the change log from sequence 0 rebuilds every calendar's event set exactly (issue 14
 * "Show"): a mixed workload goes through the Feishu API, then the log is replayed with the membership
 * rebuild rule and compared, calendar by calendar, with the rows the store lists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { eventIdOf } from '../../../src/core/events/types.js';
import type { StoreReader } from '../../../src/core/ports.js';
import { rebuildMembership } from '../../helpers/change-log-membership.js';
import { at, calls, dingtalkFixture, meeting } from '../../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../../api/dingtalk/calendar/fixtures.js';
import type { TestServer } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';

/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600;
const HOUR = 3600;
const DAY = 86_400;

const okCode = (res: { code?: number }, what: string) => assert.equal(res.code, 0, `${what}: ${JSON.stringify(res)}`);

for (const kind of STORES) {
  describe(`${kind}: following the change log from 0 rebuilds every calendar`, () => {
    let f: DingtalkFixture;
    let s: TestServer;
    let c: lark.Client;
    const tokens: Record<string, string> = {};
    const as = (user: string) => lark.withUserAccessToken(tokens[user]);
    before(async () => {
      f = await dingtalkFixture(kind);
      s = f.s;
      c = s.lark();
      for (const u of ['zhangsan', 'lisi', 'wangwu', 'zhaoliu']) tokens[u] = await s.userToken(u);
    });
    after(() => f.close());

    const createEvent = async (user: string, calendarId: string, data: object): Promise<string> => {
      const res = await c.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: data as any }, as(user));
      okCode(res, 'create event');
      return res.data!.event!.event_id;
    };
    const timed = (start: number, end: number) => ({ start_time: { timestamp: String(start) }, end_time: { timestamp: String(end) } });
    const invite = async (user: string, calendarId: string, eventId: string, attendees: object[]) =>
      okCode(await c.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: calendarId, event_id: eventId }, params: { user_id_type: 'user_id' }, data: { attendees: attendees },
      }, as(user)), 'invite');
    const uninvite = async (user: string, calendarId: string, eventId: string, ids: object[]) =>
      okCode(await c.calendar.v4.calendarEventAttendee.batchDelete({
        path: { calendar_id: calendarId, event_id: eventId }, params: { user_id_type: 'user_id' }, data: { delete_ids: ids },
      }, as(user)), 'uninvite');
    const patch = async (user: string, calendarId: string, eventId: string, data: object) =>
      okCode(await c.calendar.v4.calendarEvent.patch({ path: { calendar_id: calendarId, event_id: eventId }, data: data }, as(user)), 'patch');
    const remove = async (user: string, calendarId: string, eventId: string) =>
      okCode(await c.calendar.v4.calendarEvent.delete({ path: { calendar_id: calendarId, event_id: eventId } }, as(user)), 'delete');
    const reply = async (user: string, eventId: string, rsvp: string) =>
      okCode(await c.calendar.v4.calendarEvent.reply({ path: { calendar_id: 'primary', event_id: eventId }, data: { rsvp_status: rsvp as any } }, as(user)), 'reply');
    const newCalendar = async (user: string, summary: string): Promise<string> => {
      const res = await c.calendar.v4.calendar.create({ data: { summary, permissions: 'private' } }, as(user));
      okCode(res, 'create calendar');
      return res.data!.calendar!.calendar_id;
    };
    /** The id of one occurrence of a series: its uid and the occurrence's original start. */
    const instance = (seriesId: string, start: number) => `${seriesId.replace(/_0$/, '')}_${start}`;

    test('a mixed workload, replayed from sequence 0, gives each calendar exactly its listed events', async () => {
      const user = (id: string) => ({ type: 'user', user_id: id });
      const room = { type: 'resource', room_id: 'omm_room1' };

      // Calendars, sharing and calendar lists.
      const team = await newCalendar('zhangsan', 'Team');
      const acl = await c.calendar.v4.calendarAcl.create({
        path: { calendar_id: team }, params: { user_id_type: 'user_id' }, data: { role: 'writer', scope: { type: 'user', user_id: 'lisi' } },
      }, as('zhangsan'));
      okCode(acl, 'acl');
      okCode(await c.calendar.v4.calendar.subscribe({ path: { calendar_id: team } }, as('lisi')), 'subscribe');
      const temp = await newCalendar('wangwu', 'Temp');

      // Single events: created, patched, deleted; attendees added, answered, removed.
      const standup = await createEvent('zhangsan', 'primary', { summary: 'standup', ...timed(T0, T0 + HOUR) });
      await invite('zhangsan', 'primary', standup, [user('lisi'), room]);
      await patch('zhangsan', 'primary', standup, { summary: 'standup (moved)', ...timed(T0 + HOUR, T0 + 2 * HOUR) });
      await reply('lisi', standup, 'decline');
      await uninvite('zhangsan', 'primary', standup, [user('lisi')]);
      const dropped = await createEvent('zhangsan', 'primary', { summary: 'dropped', ...timed(T0 + DAY, T0 + DAY + HOUR) });
      await invite('zhangsan', 'primary', dropped, [user('wangwu')]);
      await remove('zhangsan', 'primary', dropped);
      const chatMeeting = await createEvent('zhangsan', 'primary', { summary: 'team chat', ...timed(T0 + 2 * DAY, T0 + 2 * DAY + HOUR) });
      await invite('zhangsan', 'primary', chatMeeting, [{ type: 'chat', chat_id: 'oc_team' }]);
      await reply('wangwu', chatMeeting, 'tentative');

      // A series: one instance patched, one deleted, attendees answering; another deleted whole.
      const start = T0 + 10 * DAY;
      const weekly = await createEvent('zhangsan', 'primary', { summary: 'daily', ...timed(start, start + HOUR), recurrence: 'FREQ=DAILY;COUNT=5' });
      await invite('zhangsan', 'primary', weekly, [user('wangwu'), user('zhaoliu'), room]);
      await patch('zhangsan', 'primary', instance(weekly, start + DAY), { summary: 'daily (longer)', ...timed(start + DAY, start + DAY + 2 * HOUR) });
      await remove('zhangsan', 'primary', instance(weekly, start + 2 * DAY));
      await reply('wangwu', weekly, 'accept');
      await reply('zhaoliu', instance(weekly, start + 3 * DAY), 'decline');
      await uninvite('zhangsan', 'primary', weekly, [user('zhaoliu')]);
      const gone = await createEvent('zhangsan', 'primary', { summary: 'gone', ...timed(start, start + HOUR), recurrence: 'FREQ=WEEKLY;COUNT=3' });
      await invite('zhangsan', 'primary', gone, [user('lisi')]);
      await patch('zhangsan', 'primary', instance(gone, start + 7 * DAY), { summary: 'gone, once moved' });
      await remove('zhangsan', 'primary', gone);

      // An attendee deletes the event from their own calendar only.
      const leftBehind = await createEvent('zhangsan', 'primary', { summary: 'left behind', ...timed(T0 + 3 * DAY, T0 + 3 * DAY + HOUR) });
      await invite('zhangsan', 'primary', leftBehind, [user('zhaoliu')]);
      await remove('zhaoliu', 'primary', leftBehind);

      // Events on shared calendars; one calendar deleted with its events; sharing withdrawn.
      const planning = await createEvent('lisi', team, { summary: 'planning', ...timed(T0 + 4 * DAY, T0 + 4 * DAY + HOUR) });
      await invite('lisi', team, planning, [user('zhaoliu')]);
      await createEvent('wangwu', temp, { summary: 'temp only', ...timed(T0 + 5 * DAY, T0 + 5 * DAY + HOUR) });
      const tempShared = await createEvent('wangwu', temp, { summary: 'temp, with a guest', ...timed(T0 + 6 * DAY, T0 + 6 * DAY + HOUR) });
      await invite('wangwu', temp, tempShared, [user('lisi')]);
      okCode(await c.calendar.v4.calendar.delete({ path: { calendar_id: temp } }, as('wangwu')), 'delete calendar');
      okCode(await c.calendar.v4.calendarAcl.delete({ path: { calendar_id: team, acl_id: acl.data!.acl_id } }, as('zhangsan')), 'delete acl');
      okCode(await c.calendar.v4.calendar.unsubscribe({ path: { calendar_id: team } }, as('lisi')), 'unsubscribe');

      // The same calendars written through DingTalk: its own create, patch, attendee and delete paths.
      const dingtalk = calls(f);
      const made = await dingtalk.create('on_zhangsan', meeting('from DingTalk', at(1, 10), { attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }] }));
      await dingtalk.patch('on_zhangsan', made.id, { id: made.id, summary: 'from DingTalk (patched)' });
      await dingtalk.addAttendees('on_zhangsan', made.id, { attendeesToAdd: [{ id: 'on_zhaoliu' }] });
      await dingtalk.removeAttendees('on_zhangsan', made.id, { attendeesToRemove: [{ id: 'on_lisi' }] });
      await dingtalk.respond('on_wangwu', made.id, 'accepted');
      const dropped2 = await dingtalk.create('on_lisi', meeting('DingTalk, dropped', at(2, 10), { attendees: [{ id: 'on_zhangsan' }] }));
      await dingtalk.del('on_lisi', dropped2.id);
      const dingSeries = await dingtalk.create('on_wangwu', meeting('DingTalk daily', at(3, 9), {
        attendees: [{ id: 'on_zhaoliu' }], recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 4 } },
      }));
      await dingtalk.del('on_zhaoliu', dingSeries.id);

      const store = s.server.ctx.store;
      const records = await store.read((r) => r.changes.since(0, 100_000));
      assert.ok(records.length > 0);
      assert.equal(await store.read((r) => r.changes.prunedThrough()), 0, 'nothing pruned: the log from 0 is whole');
      for (let i = 1; i < records.length; i++) assert.ok(records[i].seq > records[i - 1].seq, 'records in sequence order');

      const { shown, deleted } = rebuildMembership(records);
      // Every calendar the tenants hold is in the log (the seed's included), so the check covers them all.
      const known = new Set(records.filter((r) => r.object === 'calendar' && r.kind === 'created').map((r) => r.calendarId!));
      const held = await store.read(async (r) => {
        const owners = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba'].map(async (u) => `u:${(await r.directory.userByExternalId('acme', 'user_id', u))!.id}`);
        const all: string[] = [];
        for (const owner of [...(await Promise.all(owners)), 'a:cli_acme', 'a:cli_acme2', 'r:omm_room1', 'r:omm_room2']) {
          for (const cal of await r.calendars.calendarsOwnedBy(owner)) all.push(cal.calendarId);
        }
        return all;
      });
      for (const id of [...held, team, temp]) assert.ok(known.has(id), `calendar ${id} has a created record`);
      assert.ok(deleted.has(temp), 'the deleted calendar is deleted in the log');

      const listed = (r: StoreReader, calendarId: string) => r.events.listEvents(calendarId, { limit: 100_000 });
      let compared = 0;
      for (const calendarId of known) {
        const rebuilt = [...(shown.get(calendarId) ?? [])].sort();
        // A deleted calendar shows nothing, whatever rows it kept.
        const expected = deleted.has(calendarId) ? [] : (await store.read((r) => listed(r, calendarId))).map(eventIdOf).sort();
        assert.deepEqual(rebuilt, expected, `calendar ${calendarId}`);
        compared += expected.length;
      }
      // The workload left events in the organizer's, attendees', the room's and the shared calendar: the check compared real sets.
      assert.ok(compared >= 10, `compared ${compared} rows`);
    });
  });
}
