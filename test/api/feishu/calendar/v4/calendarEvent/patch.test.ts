import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import {
  ACCEPTED_ROWS, BAD_INPUT_ROWS, DAY, as, HOUR, T0, UNKNOWN_EVENT_ID, assertRefused, createEvent, deleteEvent, getEvent, listEvents, patchEvent, primaryOf,
  sharedCalendar, timed,
} from './fixtures.js';
import type { Caller, Expected } from './fixtures.js';

/**
 * The seed's "请求体示例" (feishu-event-patch.md), with its user ids swapped for ou_zhangsan and its
 * file token for boxacme_small. Its attachment keeps `is_deleted: true`: in a PATCH that means "remove
 * this attachment", so the test sends it to an event that has boxacme_small and expects it gone. (The
 * seed's response example shows the attachment present with is_deleted false: that is what a PATCH
 * without is_deleted gives, checked as a second step.)
 */
const SEED_PATCH_BODY = {
  summary: '日程标题',
  description: '日程描述',
  need_notification: false,
  start_time: { date: '2018-09-01', timestamp: '1602504000', timezone: 'Asia/Shanghai' },
  end_time: { date: '2018-09-01', timestamp: '1602504000', timezone: 'Asia/Shanghai' },
  vchat: {
    vc_type: 'third_party',
    icon_type: 'vc',
    description: '发起视频会议',
    meeting_url: 'https://example.com',
    meeting_settings: {
      owner_id: 'ou_zhangsan',
      join_meeting_permission: 'only_organization_employees',
      assign_hosts: ['ou_zhangsan'],
      auto_record: false,
      open_lobby: true,
      allow_attendees_start: true,
    },
  },
  visibility: 'default',
  attendee_ability: 'can_see_others',
  free_busy_status: 'busy',
  location: { name: '地点名称', address: '地点地址', latitude: 1.100000023841858, longitude: 2.200000047683716 },
  color: -1,
  reminders: [{ minutes: 5 }],
  recurrence: 'FREQ=DAILY;INTERVAL=1',
  schemas: [{ ui_name: 'ForwardIcon', ui_status: 'hide', app_link: 'https://applink.feishu.cn/client/calendar/event/detail?calendarId=xxxxxx&key=xxxxxx&originalTime=xxxxxx&startTime=xxxxxx' }],
  attachments: [{ file_token: 'boxacme_small', is_deleted: true }],
  event_check_in: {
    enable_check_in: true,
    check_in_start_time: { time_type: 'before_event_start', duration: 15 },
    check_in_end_time: { time_type: 'after_event_end', duration: 0 },
    need_notify_attendees: false,
  },
};

/** An event before patching: differs from the seed body in every field the seed body sets. */
const RICH_BODY = {
  summary: 'before',
  description: 'before description',
  ...timed(T0, T0 + HOUR, 'Europe/Berlin'),
  vchat: { vc_type: 'third_party', icon_type: 'live', description: 'old link', meeting_url: 'https://old.example.com' },
  visibility: 'public',
  attendee_ability: 'can_invite_others',
  free_busy_status: 'free',
  location: { name: 'Old room', address: 'Old street 1', latitude: 30, longitude: 120 },
  color: -11034625,
  reminders: [{ minutes: 30 }, { minutes: -5 }],
  recurrence: 'FREQ=WEEKLY;COUNT=4',
  schemas: [{ ui_name: 'RSVP', ui_status: 'readonly' }],
  attachments: [{ file_token: 'boxacme_small' }],
  event_check_in: {
    enable_check_in: true,
    check_in_start_time: { time_type: 'after_event_start', duration: 5 },
    check_in_end_time: { time_type: 'after_event_end', duration: 30 },
    need_notify_attendees: true,
  },
};

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent.patch`, () => {
    let s: TestServer;
    let zhangsan: Caller;
    let lisi: Caller;
    let wangwu: Caller;
    let zhaoliu: Caller;
    let primary: string;
    let shared: string;

    const newEvent = async (body: object = RICH_BODY, who: Caller = zhangsan, calendarId = primary) => {
      const res = await createEvent(who, calendarId, body);
      assert.equal(res.code, 0, res.msg);
      return res.data!.event! as any;
    };
    const read = async (eventId: string, who: Caller = zhangsan, calendarId = primary) => (await getEvent(who, calendarId, eventId, { need_meeting_settings: true })).data!.event as any;
    /** What the store holds for an event: its row and every personal view of it. */
    const stored = (eventId: string) => s.server.ctx.store.read(async (r) => {
      const event = await r.events.event(eventId);
      const views = await Promise.all(['zhangsan', 'lisi', 'wangwu', 'zhaoliu'].map(async (u) => {
        const [user] = await r.directory.users([u]);
        return user ? r.events.personalView(event!.uid, `u:${user.id}`) : undefined;
      }));
      return { event, views };
    });

    before(async () => {
      s = await startServer(kind);
      zhangsan = { client: s.lark(), token: await s.userToken('zhangsan') };
      lisi = { client: s.lark(), token: await s.userToken('lisi') };
      wangwu = { client: s.lark(), token: await s.userToken('wangwu') };
      zhaoliu = { client: s.lark(), token: await s.userToken('zhaoliu') };
      primary = await primaryOf(zhangsan);
      shared = await sharedCalendar(s, zhangsan.token!, { lisi: 'writer', wangwu: 'writer', zhaoliu: 'reader', sunqi: 'free_busy_reader' });
    });
    after(() => s.close());

    test('the seed\'s full PATCH body: every field as rili decides it (date wins, settings only with vc, inclusive all-day end)', async () => {
      const created = await newEvent();
      const res = await patchEvent(zhangsan, primary, created.event_id, SEED_PATCH_BODY, { user_id_type: 'open_id' });
      assert.equal(res.code, 0, res.msg);
      const e = res.data!.event as any;
      const expected: Record<string, unknown> = {
        event_id: created.event_id,
        organizer_calendar_id: primary,
        summary: '日程标题',
        description: '日程描述',
        // `date` wins over `timestamp`; an all-day event is in UTC and its end date is inclusive.
        start_time: { date: '2018-09-01', timezone: 'UTC' },
        end_time: { date: '2018-09-01', timezone: 'UTC' },
        // meeting_settings apply to vc_type vc only: with third_party they are dropped, not refused.
        vchat: { vc_type: 'third_party', icon_type: 'vc', description: '发起视频会议', meeting_url: 'https://example.com' },
        visibility: 'default',
        attendee_ability: 'can_see_others',
        free_busy_status: 'busy',
        location: { name: '地点名称', address: '地点地址', latitude: 1.100000023841858, longitude: 2.200000047683716 },
        color: -1,
        reminders: [{ minutes: 5 }],
        recurrence: 'FREQ=DAILY;INTERVAL=1',
        status: 'confirmed',
        is_exception: false,
        recurring_event_id: '',
        create_time: created.create_time,
        schemas: SEED_PATCH_BODY.schemas,
        event_organizer: { user_id: 'ou_zhangsan', display_name: '张三' },
        // is_deleted: true removed the one attachment the event had.
        attachments: [],
        event_check_in: SEED_PATCH_BODY.event_check_in,
        source: '',
      };
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(e[key], value, key);
      assert.equal(typeof e.app_link, 'string');
      assert.deepEqual(Object.keys(e).sort(), [...Object.keys(expected), 'app_link'].sort());
      assert.deepEqual(await read(created.event_id), e, 'GET answers what PATCH answered');

      // The seed's response example shows the attachment present: a PATCH without is_deleted adds it.
      const added = await patchEvent(zhangsan, primary, created.event_id, { attachments: [{ file_token: 'boxacme_small' }] });
      assert.deepEqual(added.data!.event!.attachments, [{ file_token: 'boxacme_small', file_size: '2345', is_deleted: false, name: '附件.jpeg' }]);
      // Removing a token the event does not carry changes nothing.
      const noop = await patchEvent(zhangsan, primary, created.event_id, { attachments: [{ file_token: 'boxacme_big', is_deleted: true }] });
      assert.deepEqual(noop.data!.event!.attachments, added.data!.event!.attachments);
    });

    test('only the fields sent change', async () => {
      const created = await newEvent();
      const rows: Array<{ body: Record<string, unknown>; changes: Record<string, unknown> | ((before: any) => Record<string, unknown>) }> = [
        { body: {}, changes: {} },
        { body: { need_notification: false }, changes: {} },
        { body: { summary: 'after' }, changes: { summary: 'after' } },
        { body: { summary: '' }, changes: { summary: '' } },
        { body: { description: 'after description' }, changes: { description: 'after description' } },
        {
          body: timed(T0 + DAY, T0 + DAY + HOUR),
          changes: (before) => ({
            start_time: { timestamp: String(T0 + DAY), timezone: 'Asia/Shanghai' },
            end_time: { timestamp: String(T0 + DAY + HOUR), timezone: 'Asia/Shanghai' },
            // The app link names the start.
            app_link: before.app_link.replace(`startTime=${T0}`, `startTime=${T0 + DAY}`),
          }),
        },
        { body: { location: { name: 'New room' } }, changes: { location: { name: 'New room' } } },
        { body: { vchat: { vc_type: 'no_meeting' } }, changes: { vchat: { vc_type: 'no_meeting' } } },
        { body: { attendee_ability: 'can_modify_event' }, changes: { attendee_ability: 'can_modify_event' } },
        { body: { recurrence: 'FREQ=DAILY;UNTIL=20260201T000000Z' }, changes: { recurrence: 'FREQ=DAILY;UNTIL=20260201T000000Z' } },
        { body: { recurrence: '' }, changes: { recurrence: '' } },
        { body: { schemas: [] }, changes: { schemas: [] } },
        { body: { event_check_in: { enable_check_in: false } }, changes: { event_check_in: { enable_check_in: false, need_notify_attendees: false } } },
        {
          body: { attachments: [{ file_token: 'boxacme_big' }] },
          changes: { attachments: [{ file_token: 'boxacme_small', file_size: '2345', is_deleted: false, name: '附件.jpeg' }, { file_token: 'boxacme_big', file_size: String(20 * 1024 * 1024), is_deleted: false, name: 'big.mov' }] },
        },
        { body: { color: 0 }, changes: { color: 0 } },
        { body: { reminders: [] }, changes: { reminders: [] } },
        { body: { visibility: 'private' }, changes: { visibility: 'private' } },
        { body: { free_busy_status: 'busy' }, changes: { free_busy_status: 'busy' } },
      ];
      for (const row of rows) {
        const before = await read(created.event_id);
        const res = await patchEvent(zhangsan, primary, created.event_id, row.body);
        assert.equal(res.code, 0, res.msg);
        const after = await read(created.event_id);
        const changes = typeof row.changes === 'function' ? row.changes(before) : row.changes;
        assert.deepEqual(after, { ...before, ...changes }, JSON.stringify(row.body));
        assert.deepEqual(res.data!.event, after, 'the response is the event as GET answers it');
      }
    });

    test('start_time without end_time, or end_time alone, is ignored', async () => {
      const created = await newEvent();
      const rows = [
        { start_time: { timestamp: String(T0 + DAY) } },
        { end_time: { timestamp: String(T0 + 5 * HOUR) } },
        { start_time: { date: '2026-05-01' } },
        // Not applied, so not checked either (documented in docs/compatibility.md).
        { start_time: { timestamp: 'not a time' } },
        { summary: 'times ignored', end_time: { timestamp: String(T0 - DAY) } },
      ];
      for (const body of rows) {
        const before = await read(created.event_id);
        const res = await patchEvent(zhangsan, primary, created.event_id, body);
        assert.equal(res.code, 0, res.msg);
        const after = await read(created.event_id);
        assert.deepEqual([after.start_time, after.end_time], [before.start_time, before.end_time], JSON.stringify(body));
        assert.equal(after.summary, (body as any).summary ?? before.summary);
      }
    });

    test('times: timed to all-day and back; the all-day end date is inclusive', async () => {
      const created = await newEvent();
      const allDay = await patchEvent(zhangsan, primary, created.event_id, { start_time: { date: '2026-02-10' }, end_time: { date: '2026-02-12' } });
      assert.deepEqual([allDay.data!.event!.start_time, allDay.data!.event!.end_time], [{ date: '2026-02-10', timezone: 'UTC' }, { date: '2026-02-12', timezone: 'UTC' }]);
      const oneDay = await patchEvent(zhangsan, primary, created.event_id, { start_time: { date: '2026-02-10' }, end_time: { date: '2026-02-10' } });
      assert.deepEqual(oneDay.data!.event!.end_time, { date: '2026-02-10', timezone: 'UTC' });
      const back = await patchEvent(zhangsan, primary, created.event_id, timed(T0, T0 + 2 * HOUR, 'Asia/Tokyo'));
      assert.deepEqual([back.data!.event!.start_time, back.data!.event!.end_time], [{ timestamp: String(T0), timezone: 'Asia/Tokyo' }, { timestamp: String(T0 + 2 * HOUR), timezone: 'Asia/Tokyo' }]);
    });

    test('meeting_settings are ignored unless vc_type is vc; with vc they are stored and the meeting url kept across edits', async () => {
      const created = await newEvent();
      const third = await patchEvent(zhangsan, primary, created.event_id, { vchat: { vc_type: 'third_party', meeting_url: 'https://example.com', meeting_settings: { password: 'bad', auto_record: true } } });
      assert.deepEqual(third.data!.event!.vchat, { vc_type: 'third_party', icon_type: 'default', description: '', meeting_url: 'https://example.com' });
      const vc = await patchEvent(zhangsan, primary, created.event_id, { vchat: { vc_type: 'vc', meeting_settings: { auto_record: true, password: '2468' } } });
      const v = vc.data!.event!.vchat as any;
      assert.deepEqual(v.meeting_settings, { auto_record: true, password: '2468' });
      assert.match(v.meeting_url, /^https:\/\//);
      const again = await patchEvent(zhangsan, primary, created.event_id, { vchat: { vc_type: 'vc', meeting_settings: { open_lobby: false } } });
      assert.deepEqual((again.data!.event!.vchat), { vc_type: 'vc', meeting_url: v.meeting_url, meeting_settings: { open_lobby: false } });
    });

    test('color, reminders, visibility and free_busy_status patched by one writer are seen only by that writer', async () => {
      const created = await newEvent({ summary: 'team', ...timed(T0, T0 + HOUR) }, zhangsan, shared);
      const id = created.event_id;
      const mine = { color: -14513409, reminders: [{ minutes: 30 }], visibility: 'private', free_busy_status: 'free' };
      const res = await patchEvent(lisi, shared, id, mine);
      assert.equal(res.code, 0);
      const defaults = { color: -1, reminders: [], visibility: 'default', free_busy_status: 'busy' };
      const pick = (e: any) => ({ color: e.color, reminders: e.reminders, visibility: e.visibility, free_busy_status: e.free_busy_status });
      assert.deepEqual(pick(res.data!.event), mine);
      assert.deepEqual(pick(await read(id, lisi, shared)), mine);
      assert.deepEqual(pick(await read(id, wangwu, shared)), defaults);
      assert.deepEqual(pick(await read(id, zhangsan, shared)), defaults);
      const listed = async (who: Caller) => pick((await listEvents(who, shared)).data!.items!.find((e) => e.event_id === id));
      assert.deepEqual(await listed(lisi), mine);
      assert.deepEqual(await listed(wangwu), defaults);
      // lisi's "private" is hers alone: a reader of the calendar still sees the details.
      assert.equal((await read(id, zhaoliu, shared)).summary, 'team');
      // A second writer's own change leaves lisi's alone; the shared fields are untouched by both.
      await patchEvent(wangwu, shared, id, { color: 255, reminders: [{ minutes: 10 }] });
      assert.deepEqual(pick(await read(id, wangwu, shared)), { ...defaults, color: 255, reminders: [{ minutes: 10 }] });
      assert.deepEqual(pick(await read(id, lisi, shared)), mine);
      assert.equal((await read(id, wangwu, shared)).summary, 'team');
    });

    test('bot organizer: assign_hosts or allow_attendees_start false on patch is 193101, the event unchanged', async () => {
      const bot: Caller = { client: s.lark() };
      const botCalendar = await primaryOf(bot);
      const created = await newEvent(timed(T0, T0 + HOUR), bot, botCalendar);
      for (const settings of [{ assign_hosts: ['ou_lisi'] }, { allow_attendees_start: false }]) {
        const before = await stored(created.event_id);
        await assertRefused(patchEvent(bot, botCalendar, created.event_id, { vchat: { vc_type: 'vc', meeting_settings: settings } }),
          { status: 400, code: 193101, field: 'vchat.meeting_settings' }, JSON.stringify(settings));
        assert.deepEqual(await stored(created.event_id), before);
      }
    });

    /** An event on zhangsan's primary with lisi invited; lisi acts on her own primary calendar. */
    const invited = async (body: object) => {
      const created = await newEvent({ ...timed(T0, T0 + HOUR), attendee_ability: 'can_modify_event', ...body });
      const added = await zhangsan.client.calendar.v4.calendarEventAttendee.create(
        { path: { calendar_id: primary, event_id: created.event_id }, params: { user_id_type: 'open_id' }, data: { attendees: [{ type: 'user', user_id: 'ou_lisi' }] } },
        as(zhangsan.token!),
      );
      assert.equal(added.code, 0);
      return { id: created.event_id as string, lisiCalendar: await primaryOf(lisi) };
    };

    test('an invited attendee (can_modify_event) setting assign_hosts is 193102, a password 195113; the event unchanged', async () => {
      const { id, lisiCalendar } = await invited({});
      const rows = [
        { settings: { assign_hosts: ['ou_lisi'] }, expected: { status: 400, code: 193102, field: 'vchat.meeting_settings.assign_hosts' } },
        { settings: { password: '5678' }, expected: { status: 400, code: 195113, field: 'vchat.meeting_settings.password' } },
      ];
      for (const row of rows) {
        const before = await stored(id);
        await assertRefused(patchEvent(lisi, lisiCalendar, id, { vchat: { vc_type: 'vc', meeting_settings: row.settings } }), row.expected, JSON.stringify(row.settings));
        assert.deepEqual(await stored(id), before);
      }
    });

    test('an invited attendee (can_modify_event) may edit the summary of an event whose organizer set hosts and a password', async () => {
      const { id, lisiCalendar } = await invited({ vchat: { vc_type: 'vc', meeting_settings: { assign_hosts: ['ou_wangwu'], password: '1234' } } });
      const res = await patchEvent(lisi, lisiCalendar, id, { summary: 'edited by an attendee' });
      assert.equal(res.code, 0);
      assert.equal((await read(id)).summary, 'edited by an attendee');
      assert.deepEqual((await read(id)).vchat.meeting_settings, { password: '1234', assign_hosts: ['ou_wangwu'] });
    });

    for (const row of BAD_INPUT_ROWS) {
      test(`refuses ${row.name}: ${row.status} ${row.code} ${row.field}; the event unchanged`, async () => {
        const created = await newEvent();
        const before = { got: await read(created.event_id), stored: await stored(created.event_id) };
        await assertRefused(patchEvent(zhangsan, primary, created.event_id, row.body), row, row.name);
        assert.deepEqual({ got: await read(created.event_id), stored: await stored(created.event_id) }, before);
      });
    }

    for (const row of ACCEPTED_ROWS) {
      test(`accepts ${row.name}`, async () => {
        const created = await newEvent(timed(T0, T0 + HOUR));
        const res = await patchEvent(zhangsan, primary, created.event_id, row.body);
        assert.equal(res.code, 0, res.msg);
        row.check(res.data!.event);
        row.check(await read(created.event_id));
      });
    }

    test('refusals: reader 191002, unknown 193001, malformed 193000, deleted 193003, and more; the store unchanged', async () => {
      const sunqi: Caller = { client: s.lark(), token: await s.userToken('sunqi') };
      const zhouba: Caller = { client: s.lark(), token: await s.userToken('zhouba') };
      const bot: Caller = { client: s.lark() };
      const globex: Caller = { client: s.lark('cli_globex') };
      const target = await newEvent(RICH_BODY, zhangsan, shared);
      const onPrimary = await newEvent();
      const deleted = await newEvent();
      assert.equal((await deleteEvent(zhangsan, primary, deleted.event_id)).code, 0);
      const globexEvent = await newEvent(timed(T0, T0 + HOUR), globex, await primaryOf(globex));
      const [room] = await s.server.ctx.store.read((r) => r.calendars.calendarsOwnedBy('r:omm_room1'));
      const rows: Array<{ name: string; who: Caller; calendar: string; event: string; watch: string; expected: Expected }> = [
        { name: 'a reader', who: zhaoliu, calendar: shared, event: target.event_id, watch: target.event_id, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'a free_busy_reader', who: sunqi, calendar: shared, event: target.event_id, watch: target.event_id, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'no access at all', who: zhouba, calendar: shared, event: target.event_id, watch: target.event_id, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'the bot on a user\'s primary calendar', who: bot, calendar: primary, event: onPrimary.event_id, watch: onPrimary.event_id, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'another tenant\'s app', who: globex, calendar: primary, event: onPrimary.event_id, watch: onPrimary.event_id, expected: { status: 404, code: 191000, field: 'calendar_id' } },
        // @NOTE 191004 is unreachable for PATCH: nobody holds writer on a room's resource calendar, so the role check answers first.
        { name: 'a room\'s resource calendar', who: zhangsan, calendar: room.calendarId, event: target.event_id, watch: target.event_id, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'an unknown event', who: zhangsan, calendar: primary, event: UNKNOWN_EVENT_ID, watch: onPrimary.event_id, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'an event of another calendar', who: zhangsan, calendar: primary, event: target.event_id, watch: target.event_id, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'another tenant\'s event', who: zhangsan, calendar: primary, event: globexEvent.event_id, watch: globexEvent.event_id, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'a malformed event_id', who: zhangsan, calendar: primary, event: 'not-an-event', watch: onPrimary.event_id, expected: { status: 400, code: 193000, field: 'event_id' } },
        { name: 'an event_id with a bad suffix', who: zhangsan, calendar: primary, event: onPrimary.event_id.replace(/_0$/, '_x'), watch: onPrimary.event_id, expected: { status: 400, code: 193000, field: 'event_id' } },
        { name: 'a deleted event', who: zhangsan, calendar: primary, event: deleted.event_id, watch: deleted.event_id, expected: { status: 403, code: 193003, field: 'event_id' } },
        { name: 'a malformed calendar_id', who: zhangsan, calendar: 'nope', event: onPrimary.event_id, watch: onPrimary.event_id, expected: { status: 400, code: 191001, field: 'calendar_id' } },
      ];
      for (const row of rows) {
        const before = await stored(row.watch);
        await assertRefused(patchEvent(row.who, row.calendar, row.event, { summary: 'hijacked', color: 1 }), row.expected, row.name);
        assert.deepEqual(await stored(row.watch), before, row.name);
      }
      assert.equal((await read(target.event_id, zhangsan, shared)).summary, 'before');
    });
  });
}
