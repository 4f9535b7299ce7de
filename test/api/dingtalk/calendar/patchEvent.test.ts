import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { requestHash } from '../../../../src/api/dingtalk/client-token.js';
import { seedFromJson } from '../../../../src/seed.js';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, UNKNOWN_EVENT_ID, calls, dingtalkFixture, failure, meeting, timed } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

/** The hash the server computes for a request made with acme's app token. */
const hashOf = (method: string, url: string, body: object) => requestHash({ principal: 'a:dingacme', method, url, body });

/** The seed's request example, exactly as its TypeScript sample builds it. */
const SEED_EXAMPLE = {
  summary: 'some event',
  id: 'cnNTbWxxx',
  description: 'This is an event',
  start: { date: '2020-01-01', dateTime: '2020-01-01T10:15:30+08:00', timeZone: 'Asia/Shanghai' },
  end: { date: '2020-01-02', dateTime: '2020-01-01T10:15:30+08:00', timeZone: 'Asia/Shanghai' },
  isAllDay: false,
  recurrence: {
    pattern: { type: 'daily', dayOfMonth: 1, daysOfWeek: 'sunday', index: 'last', interval: 1 },
    range: { type: 'endDate', endDate: '2021-12-31T10:15:30+08:00', numberOfOccurrences: 1 },
  },
  attendees: [{ id: 'iiiP35sJadba8aBSgjrwPRKgiEiF', isOptional: false }],
  location: { displayName: 'room 1-2-3' },
  reminders: [{ method: 'dingtalk', minutes: 15 }],
  onlineMeetingInfo: { type: 'dingtalk' },
  richTextDescription: {},
  uiConfigs: [{}],
};

/** The users the example names, added to acme: the organizer in its path and the attendee in its body. */
const EXAMPLE_USERS = { tenants: [{ tenant_key: 'acme', name: 'Acme', users: [
  { user_id: 'tony', union_id: 'iiiP35sJaxxx', name: 'tony' },
  { user_id: 'jack', union_id: 'iiiP35sJadba8aBSgjrwPRKgiEiF', name: 'jack' },
] }] };

for (const kind of STORES) {
  describe(`${kind}: DingTalk PatchEvent (PUT)`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      await f.s.server.ctx.directory.applySeed(seedFromJson(EXAMPLE_USERS));
    });
    after(() => f.close());

    test('only the fields sent change', async () => {
      const created = await api.create('on_zhangsan', meeting('weekly sync', at(0, 10), {
        description: 'agenda', recurrence: { pattern: { type: 'weekly', daysOfWeek: 'monday' }, range: { type: 'noEnd' } },
        uiConfigs: [{ uiName: 'comment', uiStatus: 'hide' }], richTextDescription: { text: '<b>agenda</b>' }, extra: { noPushNotification: 'true' },
        location: { displayName: 'Room 1' }, reminders: [{ method: 'dingtalk', minutes: 30 }],
      }));
      const patched = await api.patch('on_zhangsan', created.id, { id: created.id, summary: 'weekly sync (moved)' });
      assert.equal(patched.summary, 'weekly sync (moved)');
      for (const field of ['description', 'start', 'end', 'isAllDay', 'recurrence', 'uiConfigs', 'richTextDescription', 'location', 'reminders', 'createTime']) {
        assert.deepEqual(patched[field], created[field], field);
      }
      // extra is not in the SDK's response models (it drops unknown keys): read it off the wire.
      const raw = await fetch(`${f.s.url}/v1.0/calendar/users/on_zhangsan/calendars/primary/events/${created.id}`, { headers: { 'x-acs-dingtalk-access-token': f.token } });
      assert.deepEqual((await raw.json()).extra, { noPushNotification: 'true' });
    });

    test('all-day means date only with an exclusive end; timed means dateTime with one timeZone', async () => {
      const { id } = await api.create('on_zhangsan', meeting('offsite'));
      const allDay = await api.patch('on_zhangsan', id, { id, isAllDay: true, start: { date: '2030-01-10' }, end: { date: '2030-01-12' } });
      assert.equal(allDay.isAllDay, true);
      assert.deepEqual([allDay.start, allDay.end], [{ date: '2030-01-10' }, { date: '2030-01-12' }]);
      // Without isAllDay, a lone date is all-day too; moving only the end keeps the start.
      const longer = await api.patch('on_zhangsan', id, { id, end: { date: '2030-01-13' } });
      assert.deepEqual([longer.start, longer.end], [{ date: '2030-01-10' }, { date: '2030-01-13' }]);
      const back = await api.patch('on_zhangsan', id, { id, isAllDay: false, ...timed(at(0, 17), at(0, 18), 'Europe/Berlin') });
      assert.equal(back.isAllDay, false);
      assert.deepEqual(back.start, { dateTime: '2030-01-07T10:00:00+01:00', timeZone: 'Europe/Berlin' });
      assert.deepEqual(back.end, { dateTime: '2030-01-07T11:00:00+01:00', timeZone: 'Europe/Berlin' });
    });

    test('reminders: [] means none; minutes come back as strings', async () => {
      const { id } = await api.create('on_zhangsan', meeting('reminded'));
      assert.deepEqual((await api.patch('on_zhangsan', id, { id, reminders: [] })).reminders, []);
      assert.deepEqual((await api.get('on_zhangsan', id)).reminders, []);
      const two = await api.patch('on_zhangsan', id, { id, reminders: [{ method: 'dingtalk', minutes: 5 }, { minutes: 60 }] });
      assert.deepEqual(two.reminders, [{ method: 'dingtalk', minutes: '5' }, { method: 'dingtalk', minutes: '60' }]);
    });

    test('onlineMeetingInfo creates a meeting, and sending it again replaces it', async () => {
      const { id } = await api.create('on_zhangsan', meeting('call'));
      const first = (await api.patch('on_zhangsan', id, { id, onlineMeetingInfo: { type: 'dingtalk' } })).onlineMeetingInfo;
      assert.equal(first.type, 'dingtalk');
      assert.match(first.conferenceId, /^\d+$/);
      assert.equal(first.url, `https://meeting.dingtalk.com/j/${first.conferenceId}`);
      assert.deepEqual((await api.patch('on_zhangsan', id, { id, summary: 'call 2' })).onlineMeetingInfo, first);
      const second = (await api.patch('on_zhangsan', id, { id, onlineMeetingInfo: { type: 'dingtalk' } })).onlineMeetingInfo;
      assert.notEqual(second.conferenceId, first.conferenceId);
    });

    test('attendees sent are the whole list: the rest are removed, the organizer stays', async () => {
      const { id } = await api.create('on_zhangsan', meeting('review', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      const patched = await api.patch('on_zhangsan', id, { id, attendees: [{ id: 'on_wangwu', isOptional: true }, { email: 'guest@example.com' }] });
      assert.deepEqual(patched.attendees.map((a: any) => [a.id ?? a.displayName, a.isOptional]).sort(),
        [['guest@example.com', false], ['on_wangwu', true], ['on_zhangsan', false]]);
      await assert.rejects(api.get('on_lisi', id), (e: any) => e.code === 'itemNotFound');
      assert.equal((await api.get('on_wangwu', id)).summary, 'review');
    });

    test('a refused attendee list leaves the event as it was, refused before the patch is written or after it', async () => {
      // 101 rooms pass DingTalk's own checks; the core's add refuses them (100 a request) after the patch and the removals are written.
      const rooms = Array.from({ length: 101 }, (_, i) => ({ room_id: `omm_hall${i}`, name: `Hall ${i}` }));
      await f.s.server.ctx.directory.applySeed(seedFromJson({ tenants: [{ tenant_key: 'acme', name: 'Acme', rooms }] }));
      const { id } = await api.create('on_zhangsan', meeting('kept', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      const before = await api.get('on_zhangsan', id);
      const bad = await failure(api.patch('on_zhangsan', id, { id, summary: 'renamed', attendees: [{ id: 'on_wangwu' }, { email: 'not-an-email' }] }, { clientToken: 'ct-refused-put' }));
      assert.deepEqual([bad.status, bad.code, bad.message], [400, 'invalidParameter', 'attendees[1].email not-an-email is not an email address']);
      const req = new $Calendar.PatchEventRequest({ id, summary: 'renamed', attendees: [{ id: 'on_wangwu' }] });
      // The SDK's location model has only displayName: set the object after construction to send more.
      (req as any).location = { displayName: 'Halls', meetingRooms: rooms.map((r) => r.room_id) };
      const late = await failure(api.patch('on_zhangsan', id, req, { clientToken: 'ct-refused-put' }));
      assert.deepEqual([late.status, late.code, late.message], [400, 'invalidParameter', 'attendees: at most 100 rooms per request, got 101']);
      assert.deepEqual(await api.get('on_zhangsan', id), before);
      assert.equal((await api.get('on_lisi', id)).summary, 'kept');
      await assert.rejects(api.get('on_wangwu', id), (e: any) => e.code === 'itemNotFound');
    });

    test('only the organizer updates: an attendee in the path is permissionDeny', async () => {
      const { id } = await api.create('on_zhangsan', meeting('mine', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      const res = await failure(api.patch('on_lisi', id, { id, summary: 'theirs' }));
      assert.deepEqual([res.status, res.code], [400, 'permissionDeny']);
      assert.equal((await api.get('on_zhangsan', id)).summary, 'mine');
    });

    test('location.meetingRooms books rooms; location is kept and returned', async () => {
      const { id } = await api.create('on_zhangsan', meeting('with a room'));
      const req = new $Calendar.PatchEventRequest({ id });
      // The SDK's location model has only displayName: set the object after construction to send more.
      (req as any).location = { displayName: 'Room 1', meetingRooms: ['omm_room1'] };
      const res = await api.patch('on_zhangsan', id, req);
      assert.deepEqual(res.location, { displayName: 'Room 1', meetingRooms: ['omm_room1'] });
      const got = await api.get('on_zhangsan', id);
      assert.deepEqual(got.meetingRooms, [{ roomId: 'omm_room1', displayName: 'Room 1', responseStatus: 'accepted' }]);
    });

    // Every row of the seed's error table (HttpCode, code, message).
    const ROWS: Array<{ row: string; status: number; code: string; message?: RegExp; call: (id: string) => Promise<unknown> }> = [
      { row: '400 invalidParameter forwardErrorMessage', status: 400, code: 'invalidParameter', message: /^summary: must be string$/,
        call: (id) => api.patch('on_zhangsan', id, Object.assign(new $Calendar.PatchEventRequest({ id }), { summary: 5 })) },
      { row: '400 invalidParameter CalendarId cannot be blank', status: 400, code: 'invalidParameter', message: /^CalendarId cannot be blank$/,
        call: (id) => api.patch('on_zhangsan', id, { id, summary: 'x' }, { calendarId: '' }) },
      { row: '400 invalidParameter Event must be provided.', status: 400, code: 'invalidParameter', message: /^Event must be provided\.$/,
        call: (id) => api.patch('on_zhangsan', id, {}) },
      { row: '400 invalidParameter Event id summary cannot be blank', status: 400, code: 'invalidParameter', message: /^Event id summary cannot be blank$/,
        call: (id) => api.patch('on_zhangsan', id, { summary: 'no id' }) },
      { row: '400 invalidParameter numberOfOccurrences must between [1, 99]', status: 400, code: 'invalidParameter', message: /^Recurrence range numberOfOccurrences must between \[1, 99\]$/,
        call: (id) => api.patch('on_zhangsan', id, { id, recurrence: { pattern: { type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 100 } } }) },
      { row: '400 invalidParameter interval must between [1, 365]', status: 400, code: 'invalidParameter', message: /^Recurrence interval must between \[1, 365\]$/,
        call: (id) => api.patch('on_zhangsan', id, { id, recurrence: { pattern: { type: 'daily', interval: 400 }, range: { type: 'noEnd' } } }) },
      { row: '400 invalidParameter Meeting room invalid', status: 400, code: 'invalidParameter', message: /^Meeting room invalid$/,
        call: (id) => api.patch('on_zhangsan', id, Object.assign(new $Calendar.PatchEventRequest({ id }), { location: { displayName: 'x', meetingRooms: ['omm_nowhere'] } })) },
      { row: '400 idempotencyProcessing Idempotency processing', status: 400, code: 'idempotencyProcessing', message: /^Idempotency processing$/,
        call: async (id) => {
          // Another process holds the token mid-request.
          const requestHash = hashOf('PUT', `/v1.0/calendar/users/on_zhangsan/calendars/primary/events/${id}`, { id, summary: 'x' });
          await f.s.server.ctx.store.transact((w) => w.clientTokens.claimClientToken({ appId: 'dingacme', token: 'busy-token', requestHash, createdAt: Math.floor(f.s.clock.now() / 1000) }));
          return api.patch('on_zhangsan', id, { id, summary: 'x' }, { clientToken: 'busy-token' });
        } },
      { row: '404 itemNotFound forwardErrorMessage', status: 404, code: 'itemNotFound',
        call: () => api.patch('on_zhangsan', UNKNOWN_EVENT_ID, { id: UNKNOWN_EVENT_ID, summary: 'x' }) },
    ];
    for (const r of ROWS) {
      test(`seed row: ${r.row}`, async () => {
        const { id } = await api.create('on_zhangsan', meeting('row'));
        const res = await failure(r.call(id));
        assert.deepEqual([res.status, res.code], [r.status, r.code]);
        if (r.message) assert.match(res.message, r.message);
        assert.ok(res.data.requestid);
        assert.equal((await api.get('on_zhangsan', id)).summary, 'row', 'a refused PUT changes nothing');
      });
    }

    test('more refusals: body id not the path id, zones differ, isAllDay flipped without times, a date on a timed event', async () => {
      const { id } = await api.create('on_zhangsan', meeting('strict'));
      const cases: Array<[object, string]> = [
        [{ id: UNKNOWN_EVENT_ID }, `Event id ${UNKNOWN_EVENT_ID} does not match the eventId in the path`],
        [{ id, start: { dateTime: '2030-01-07T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2030-01-07T11:00:00+09:00', timeZone: 'Asia/Tokyo' } }, 'end.timeZone must be the same as start.timeZone'],
        [{ id, isAllDay: true }, 'start and end must be set when isAllDay changes'],
        [{ id, start: { date: '2030-01-07', dateTime: '2030-01-07T10:00:00+08:00', timeZone: 'Asia/Shanghai' } }, 'start.date must be empty for a non-all-day event'],
        [{ id, isAllDay: true, start: { date: '2030-01-07', timeZone: 'UTC' }, end: { date: '2030-01-08' } }, 'start.timeZone must be empty for an all-day event'],
        [{ id, isAllDay: true, start: { date: '2030-01-07' }, end: { date: '2030-01-07' } }, 'end.date must be after start.date: the end date of an all-day event is exclusive'],
        [{ id, start: { dateTime: 'tomorrow', timeZone: 'Asia/Shanghai' } }, 'start.dateTime must be an ISO-8601 date-time'],
        [{ id, start: { dateTime: '2030-01-07T10:00:00', timeZone: 'Mars/Olympus' } }, 'start.timeZone Mars/Olympus is not a TZ database name'],
        [{ id, summary: ' ' }, 'Event summary cannot be blank'],
        [{ id, reminders: [{ method: 'sms', minutes: 5 }] }, 'reminders[0].method must be dingtalk'],
        [{ id, onlineMeetingInfo: { type: 'zoom' } }, 'onlineMeetingInfo.type must be dingtalk'],
        [{ id, attendees: [{ id: 'on_hank' }] }, 'attendees[0].id on_hank is not a user of this organization'],
      ];
      for (const [body, message] of cases) {
        const res = await failure(api.patch('on_zhangsan', id, body));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', message], JSON.stringify(body));
      }
    });

    test('the seed\'s request example, sent verbatim: its event does not exist (404 itemNotFound)', async () => {
      const res = await failure(api.patch('iiiP35sJaxxx', 'cnNTbWxxx', SEED_EXAMPLE));
      assert.deepEqual([res.status, res.code], [404, 'itemNotFound']);
      // And as raw HTTP with the example's JSON: the same answer.
      const raw = await fetch(`${f.s.url}/v1.0/calendar/users/iiiP35sJaxxx/calendars/primary/events/cnNTbWxxx`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': f.token, 'x-client-token': 'example-token' },
        body: JSON.stringify(SEED_EXAMPLE),
      });
      const body = await raw.json();
      assert.deepEqual([raw.status, body.code], [404, 'itemNotFound']);
    });

    test('the seed\'s example body on a real event: refused for its date on a timed event; made consistent, every field applies', async () => {
      const { id } = await api.create('iiiP35sJaxxx', meeting('doc event'));
      const verbatim = await failure(api.patch('iiiP35sJaxxx', id, { ...SEED_EXAMPLE, id }));
      assert.deepEqual([verbatim.status, verbatim.code, verbatim.message], [400, 'invalidParameter', 'start.date must be empty for a non-all-day event']);
      const consistent = {
        ...SEED_EXAMPLE, id,
        start: { dateTime: SEED_EXAMPLE.start.dateTime, timeZone: 'Asia/Shanghai' },
        end: { dateTime: '2020-01-01T11:15:30+08:00', timeZone: 'Asia/Shanghai' },
      };
      const both = await failure(api.patch('iiiP35sJaxxx', id, consistent));
      assert.deepEqual([both.code, both.message], ['invalidParameter', 'Recurrence range endDate and numberOfOccurrences cannot both be set']);
      const ok = await api.patch('iiiP35sJaxxx', id, { ...consistent, recurrence: { ...SEED_EXAMPLE.recurrence, range: { type: 'endDate', endDate: '2021-12-31T10:15:30+08:00' } } });
      assert.equal(ok.id, id);
      assert.equal(ok.summary, 'some event');
      assert.equal(ok.description, 'This is an event');
      assert.deepEqual(ok.start, { dateTime: '2020-01-01T10:15:30+08:00', timeZone: 'Asia/Shanghai' });
      assert.equal(ok.isAllDay, false);
      assert.deepEqual(ok.recurrence, { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', endDate: '2021-12-31T10:15:30+08:00' } });
      assert.deepEqual(ok.attendees.map((a: any) => a.id).sort(), ['iiiP35sJadba8aBSgjrwPRKgiEiF', 'iiiP35sJaxxx']);
      assert.equal(ok.organizer.id, 'iiiP35sJaxxx');
      assert.deepEqual(ok.location, { displayName: 'room 1-2-3' });
      assert.deepEqual(ok.reminders, [{ method: 'dingtalk', minutes: '15' }]);
      assert.equal(ok.onlineMeetingInfo.type, 'dingtalk');
      assert.deepEqual(ok.richTextDescription, {});
      assert.deepEqual(ok.uiConfigs, [{}]);
      assert.match(ok.createTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      assert.match(ok.updateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    });

    test('a PUT on one occurrence changes only that occurrence', async () => {
      const series = await api.create('on_zhangsan', meeting('daily', at(0, 10), { recurrence: { pattern: { type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 3 } } }));
      const { events } = await api.instances('on_zhangsan', series.id);
      const second = events[1];
      const moved = await api.patch('on_zhangsan', second.id, { id: second.id, summary: 'daily (special)', ...timed(at(1, 14), at(1, 15)) });
      assert.equal(moved.id, second.id);
      assert.equal((await api.get('on_zhangsan', second.id)).seriesMasterId, series.id);
      const after = (await api.instances('on_zhangsan', series.id)).events;
      assert.deepEqual(after.map((e: any) => e.summary), ['daily', 'daily (special)', 'daily']);
      assert.equal(after[1].start.dateTime, '2030-01-08T14:00:00+08:00');
      const refused = await failure(api.patch('on_zhangsan', second.id, { id: second.id, recurrence: { pattern: { type: 'daily' } } }));
      assert.deepEqual([refused.code, refused.message], ['invalidParameter', 'recurrence cannot be set on one occurrence of a series']);
    });
  });
}
