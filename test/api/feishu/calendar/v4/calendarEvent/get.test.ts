import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { HOUR, T0, UNKNOWN_EVENT_ID, assertRefused, createEvent, deleteEvent, getEvent, primaryOf, sharedCalendar, timed } from './fixtures.js';
import type { Caller, Expected } from './fixtures.js';

const DETAILED = {
  summary: 'Quarterly review',
  description: 'numbers',
  ...timed(T0, T0 + HOUR),
  vchat: { vc_type: 'vc', meeting_settings: { password: '13579', auto_record: true } },
  location: { name: 'Board room', address: 'Floor 9' },
  schemas: [{ ui_name: 'RSVP', ui_status: 'hide' }],
  attachments: [{ file_token: 'boxacme_small' }],
  attendee_ability: 'can_see_others',
};

/** What someone who may see only busy time gets: the time, and no details. */
const BUSY_KEYS = [
  'app_link', 'attendee_ability', 'color', 'create_time', 'description', 'end_time', 'event_id', 'free_busy_status', 'is_exception',
  'organizer_calendar_id', 'recurrence', 'recurring_event_id', 'reminders', 'start_time', 'status', 'summary', 'visibility',
];

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent.get`, () => {
    let s: TestServer;
    let zhangsan: Caller;
    let lisi: Caller;
    let zhaoliu: Caller;
    let sunqi: Caller;
    let bot: Caller;
    let globex: Caller;
    let primary: string;
    let shared: string;
    before(async () => {
      s = await startServer(kind);
      zhangsan = { client: s.lark(), token: await s.userToken('zhangsan') };
      lisi = { client: s.lark(), token: await s.userToken('lisi') };
      zhaoliu = { client: s.lark(), token: await s.userToken('zhaoliu') };
      sunqi = { client: s.lark(), token: await s.userToken('sunqi') };
      bot = { client: s.lark() };
      globex = { client: s.lark('cli_globex') };
      primary = await primaryOf(zhangsan);
      shared = await sharedCalendar(s, zhangsan.token!, { lisi: 'writer', zhaoliu: 'reader', sunqi: 'free_busy_reader' });
    });
    after(() => s.close());

    test('answers the event as create answered it, in the caller\'s user_id_type', async () => {
      const created = await createEvent(zhangsan, primary, DETAILED, { user_id_type: 'union_id' });
      const id = created.data!.event!.event_id;
      const got = await getEvent(zhangsan, primary, id, { user_id_type: 'union_id', need_meeting_settings: true });
      assert.equal(got.code, 0);
      assert.deepEqual(got.data!.event, created.data!.event);
      assert.deepEqual(got.data!.event!.event_organizer, { user_id: 'on_zhangsan', display_name: '张三' });
      // `primary` on the path is the caller's primary calendar.
      assert.deepEqual((await getEvent(zhangsan, 'primary', id, { user_id_type: 'union_id', need_meeting_settings: true })).data!.event, created.data!.event);
      const asUserId = await getEvent(zhangsan, primary, id, { user_id_type: 'user_id', need_attendee: false, need_meeting_settings: true });
      assert.equal(asUserId.data!.event!.event_organizer!.user_id, 'zhangsan');
    });

    test('free_busy_reader sees busy time only: the times, summary and description empty, no details', async () => {
      const created = await createEvent(zhangsan, shared, DETAILED);
      const id = created.data!.event!.event_id;
      const busy = (await getEvent(sunqi, shared, id)).data!.event as any;
      assert.deepEqual(Object.keys(busy).sort(), BUSY_KEYS);
      assert.deepEqual({ summary: busy.summary, description: busy.description }, { summary: '', description: '' });
      assert.deepEqual([busy.start_time, busy.end_time], [created.data!.event!.start_time, created.data!.event!.end_time]);
      // The bot is a free_busy_reader of a colleague's primary calendar (show_only_free_busy by default).
      const onPrimary = await createEvent(zhangsan, primary, DETAILED);
      const botView = (await getEvent(bot, primary, onPrimary.data!.event!.event_id)).data!.event as any;
      assert.deepEqual(Object.keys(botView).sort(), BUSY_KEYS);
      assert.equal(botView.summary, '');
    });

    test('a private event: hidden from a reader, shown to a writer and the owner', async () => {
      const created = await createEvent(zhangsan, shared, { ...DETAILED, visibility: 'private' });
      const id = created.data!.event!.event_id;
      const rows: Array<{ who: Caller; name: string; full: boolean }> = [
        { who: zhangsan, name: 'owner', full: true },
        { who: lisi, name: 'writer', full: true },
        { who: zhaoliu, name: 'reader', full: false },
        { who: sunqi, name: 'free_busy_reader', full: false },
      ];
      for (const row of rows) {
        const e = (await getEvent(row.who, shared, id)).data!.event as any;
        assert.equal(e.summary, row.full ? 'Quarterly review' : '', row.name);
        assert.equal(e.location?.name, row.full ? 'Board room' : undefined, row.name);
        assert.equal(e.visibility, 'private', row.name);
      }
      // The same event, not private: the reader sees it in full.
      const open = await createEvent(zhangsan, shared, { ...DETAILED, visibility: 'default' });
      assert.equal((await getEvent(zhaoliu, shared, open.data!.event!.event_id)).data!.event!.summary, 'Quarterly review');
    });

    test('meeting settings (and their password) go only to those who may edit the event, and only with need_meeting_settings', async () => {
      const created = await createEvent(zhangsan, shared, DETAILED);
      const id = created.data!.event!.event_id;
      const settings = async (who: Caller, params: object = { need_meeting_settings: true }) =>
        ((await getEvent(who, shared, id, params)).data!.event!.vchat as any)?.meeting_settings;
      assert.deepEqual(await settings(zhangsan), { password: '13579', auto_record: true });
      assert.deepEqual(await settings(lisi), { password: '13579', auto_record: true });
      assert.equal(await settings(zhaoliu), undefined);
      // need_meeting_settings defaults to false (reference §2.3): not even the organizer gets them unasked.
      assert.equal(await settings(zhangsan, {}), undefined);
      assert.equal(await settings(zhangsan, { need_meeting_settings: false }), undefined);
      const readerVchat = (await getEvent(zhaoliu, shared, id)).data!.event!.vchat as any;
      assert.equal(readerVchat.vc_type, 'vc');
      assert.match(readerVchat.meeting_url, /^https:\/\//);
    });

    test('refusals: another tenant\'s calendar 191000 and event 193001; unknown, malformed, deleted; no access', async () => {
      const globexCalendar = await primaryOf(globex);
      const globexEvent = (await createEvent(globex, globexCalendar, timed(T0, T0 + HOUR))).data!.event!.event_id;
      const mine = (await createEvent(zhangsan, primary, timed(T0, T0 + HOUR))).data!.event!.event_id;
      const onShared = (await createEvent(zhangsan, shared, timed(T0, T0 + HOUR))).data!.event!.event_id;
      const deleted = (await createEvent(zhangsan, primary, timed(T0, T0 + HOUR))).data!.event!.event_id;
      await deleteEvent(zhangsan, primary, deleted);
      const zhouba: Caller = { client: s.lark(), token: await s.userToken('zhouba') };
      const privateCal = await sharedCalendar(s, zhangsan.token!);
      const rows: Array<{ name: string; who: Caller; calendar: string; event: string; expected: Expected }> = [
        { name: 'acme user on globex\'s calendar', who: zhangsan, calendar: globexCalendar, event: globexEvent, expected: { status: 404, code: 191000, field: 'calendar_id' } },
        { name: 'globex app on acme\'s calendar', who: globex, calendar: primary, event: mine, expected: { status: 404, code: 191000, field: 'calendar_id' } },
        { name: 'globex\'s event through acme\'s calendar', who: zhangsan, calendar: primary, event: globexEvent, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'acme\'s event through globex\'s calendar', who: globex, calendar: globexCalendar, event: mine, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'an event of another calendar', who: zhangsan, calendar: primary, event: onShared, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'an unknown event', who: zhangsan, calendar: primary, event: UNKNOWN_EVENT_ID, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'a malformed event_id', who: zhangsan, calendar: primary, event: 'evt-1', expected: { status: 400, code: 193000, field: 'event_id' } },
        { name: 'a deleted event', who: zhangsan, calendar: primary, event: deleted, expected: { status: 403, code: 193003, field: 'event_id' } },
        { name: 'a private calendar without an ACL', who: zhouba, calendar: privateCal, event: mine, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'a malformed calendar_id', who: zhangsan, calendar: 'nope', event: mine, expected: { status: 400, code: 191001, field: 'calendar_id' } },
        { name: 'an unknown calendar', who: zhangsan, calendar: 'feishu.cn_nope@group.calendar.feishu.cn', event: mine, expected: { status: 404, code: 191000, field: 'calendar_id' } },
      ];
      for (const row of rows) await assertRefused(getEvent(row.who, row.calendar, row.event), row.expected, row.name);
    });
  });
}
