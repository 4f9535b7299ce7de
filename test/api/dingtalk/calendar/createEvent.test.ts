import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedFromJson } from '../../../../src/seed.js';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, calls, dingtalkFixture, failure, meeting, timed } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_0$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

for (const kind of STORES) {
  describe(`${kind}: DingTalk CreateEvent`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('an app token creates on the path user\'s primary calendar; the user organizes', async () => {
      const e = await api.create('on_zhangsan', meeting('kickoff', at(0, 10), { description: 'first', attendees: [{ id: 'on_lisi', isOptional: true }] }));
      assert.match(e.id, EVENT_ID);
      assert.deepEqual([e.summary, e.description, e.isAllDay], ['kickoff', 'first', false]);
      assert.deepEqual(e.start, { dateTime: '2030-01-07T10:00:00+08:00', timeZone: 'Asia/Shanghai' });
      assert.deepEqual(e.organizer, { id: 'on_zhangsan', displayName: '张三', responseStatus: 'accepted', self: true });
      assert.deepEqual(e.attendees.map((a: any) => [a.id, a.responseStatus, a.isOptional, a.self]).sort(),
        [['on_lisi', 'needsAction', true, false], ['on_zhangsan', 'accepted', false, true]]);
      assert.match(e.createTime, ISO);
      assert.match(e.updateTime, ISO);
      // It is in the attendee's calendar too, the same event.
      assert.equal((await api.get('on_lisi', e.id)).summary, 'kickoff');
    });

    test('reminders default to 15 minutes (timed) and 09:00 the day before (all-day); [] means none', async () => {
      assert.deepEqual((await api.create('on_zhangsan', meeting('timed'))).reminders, [{ method: 'dingtalk', minutes: '15' }]);
      const allDay = await api.create('on_zhangsan', { summary: 'holiday', isAllDay: true, start: { date: '2030-02-01' }, end: { date: '2030-02-02' } });
      assert.equal(allDay.isAllDay, true);
      assert.deepEqual([allDay.start, allDay.end], [{ date: '2030-02-01' }, { date: '2030-02-02' }]);
      assert.deepEqual(allDay.reminders, [{ method: 'dingtalk', minutes: '900' }]);
      assert.deepEqual((await api.create('on_zhangsan', meeting('quiet', at(0, 10), { reminders: [] }))).reminders, []);
    });

    test('DingTalk-only fields are kept and returned', async () => {
      const e = await api.create('on_zhangsan', meeting('rich', at(0, 10), {
        uiConfigs: [{ uiName: 'deleteEventButton', uiStatus: 'disable' }], richTextDescription: { text: '<p>hi</p>' },
        location: { displayName: 'Lobby' }, onlineMeetingInfo: { type: 'dingtalk' }, extra: { noChatNotification: 'true' },
        categories: [{ displayName: 'Work' }], cardInstances: [{ outTrackId: 'card-1', scenario: 'x' }],
      }));
      assert.deepEqual(e.uiConfigs, [{ uiName: 'deleteEventButton', uiStatus: 'disable' }]);
      assert.deepEqual(e.richTextDescription, { text: '<p>hi</p>' });
      assert.deepEqual(e.location, { displayName: 'Lobby' });
      assert.match(e.onlineMeetingInfo.url, /^https:\/\/meeting\.dingtalk\.com\/j\/\d+$/);
      assert.deepEqual(e.categories, [{ displayName: 'Work' }]);
      assert.deepEqual(e.cardInstances, [{ outTrackId: 'card-1', scenario: 'x' }]);
    });

    test('calendarId: primary or the user\'s primary calendar id', async () => {
      const { response } = await api.calendars('on_zhangsan');
      assert.equal(response.calendars[0].id, 'primary');
      const feishuId = (await f.s.server.ctx.calendars.primary({ kind: 'user', tenantKey: 'acme', appId: 'dingacme', userId: (await f.s.server.ctx.store.read((r) => r.directory.userByExternalId('acme', 'union_id', 'on_zhangsan')))!.id })).calendar.calendarId;
      const e = await api.create('on_zhangsan', meeting('by id'), { calendarId: feishuId });
      assert.equal((await api.get('on_zhangsan', e.id)).summary, 'by id');
    });

    test('a user token acts only as its own user', async () => {
      const token = await f.userToken('zhangsan');
      const mine = await api.create('on_zhangsan', meeting('self-made'), { token });
      assert.equal(mine.organizer.id, 'on_zhangsan');
      const res = await failure(api.create('on_lisi', meeting('not mine'), { token }));
      assert.deepEqual([res.status, res.code], [400, 'permissionDeny']);
    });

    test('a user not of the organization, another tenant\'s included, is invalidParameter; another tenant\'s app cannot reach acme', async () => {
      for (const user of ['on_nobody', 'on_hank']) {
        const res = await failure(api.create(user, meeting('x')));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', `userId ${user} is not a user of this organization`]);
      }
      const res = await failure(api.create('on_zhangsan', meeting('x'), { token: f.globexToken }));
      assert.deepEqual([res.status, res.code], [400, 'invalidParameter']);
      assert.equal((await api.create('on_hank', meeting('globex'), { token: f.globexToken })).organizer.id, 'on_hank');
    });

    test('refusals: summary, start, end, times, counts', async () => {
      const rows: Array<[object, string]> = [
        [{ ...timed(at(0, 10), at(0, 11)) }, 'Event summary cannot be blank'],
        [{ summary: 'x', end: timed(at(0, 10), at(0, 11)).end }, 'Event start time not set.'],
        [{ summary: 'x', start: timed(at(0, 10), at(0, 11)).start }, 'Event end time not set.'],
        [{ summary: 'x'.repeat(2049), ...timed(at(0, 10), at(0, 11)) }, 'summary must not be longer than 2048 characters'],
        [meeting('x', at(0, 10), { description: 'd'.repeat(5001) }), 'description must not be longer than 5000 characters'],
        [{ summary: 'x', ...timed(at(0, 11), at(0, 10)) }, 'end must not be before start'],
        [meeting('x', at(0, 10), { attendees: Array.from({ length: 501 }, (_, i) => ({ email: `p${i}@example.com` })) }), 'at most 500 attendees per call, got 501'],
        [meeting('x', at(0, 10), { attendees: [{ isOptional: true }] }), 'attendees[0] needs an id or an email'],
        [meeting('x', at(0, 10), { recurrence: { pattern: { type: 'daily', interval: 0 } } }), 'Recurrence interval must between [1, 365]'],
        [meeting('x', at(0, 10), { freeBusyStatus: 'maybe' }), 'freeBusyStatus must be busy or free'],
      ];
      for (const [body, message] of rows) {
        const res = await failure(api.create('on_zhangsan', body));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', message], message);
      }
      const none = await fetch(`${f.s.url}/v1.0/calendar/users/on_zhangsan/calendars/primary/events`, { method: 'POST', headers: { 'x-acs-dingtalk-access-token': f.token } });
      assert.deepEqual([none.status, (await none.json()).message], [400, 'Event must be provided.']);
      const empty = await fetch(`${f.s.url}/v1.0/calendar/users/on_zhangsan/calendars/primary/events`, {
        method: 'POST', headers: { 'x-acs-dingtalk-access-token': f.token, 'content-type': 'application/json' }, body: '',
      });
      assert.deepEqual([empty.status, (await empty.json()).message], [400, 'Event must be provided.']);
    });

    test('a refused invitation leaves no event, refused before the event is written or after it', async () => {
      // 101 rooms pass DingTalk's own checks; the core's add refuses them (100 a request) after the event is written.
      const rooms = Array.from({ length: 101 }, (_, i) => ({ room_id: `omm_hall${i}`, name: `Hall ${i}` }));
      await f.s.server.ctx.directory.applySeed(seedFromJson({ tenants: [{ tenant_key: 'acme', name: 'Acme', rooms }] }));
      const summaries = async (user: string) => (await api.list(user, { maxResults: 100 })).events.map((e: any) => e.summary);
      // An address that is none: refused before anything is written, on every retry with the same x-client-token.
      const bad = new $Calendar.CreateEventRequest(meeting('refused', at(0, 10)));
      // The SDK's create attendee model has no email: set the list after construction.
      (bad as any).attendees = [{ id: 'on_lisi' }, { email: 'not-an-email' }];
      for (let i = 0; i < 2; i++) {
        const res = await failure(api.create('on_sunqi', bad, { clientToken: 'ct-refused' }));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', 'attendees[1].email not-an-email is not an email address']);
      }
      const req = new $Calendar.CreateEventRequest(meeting('refused late', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      // The SDK's location model has only displayName: set the object after construction to send more.
      (req as any).location = { displayName: 'Halls', meetingRooms: rooms.map((r) => r.room_id) };
      for (let i = 0; i < 2; i++) {
        const res = await failure(api.create('on_sunqi', req, { clientToken: 'ct-refused-late' }));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', 'attendees: at most 100 rooms per request, got 101']);
      }
      assert.deepEqual(await summaries('on_sunqi'), []);
      assert.deepEqual((await summaries('on_lisi')).filter((s: string) => s.startsWith('refused')), []);
      const stored = await f.s.server.ctx.store.db.selectFrom('events').select('event_id').where('summary', 'like', 'refused%').execute();
      assert.deepEqual(stored, []);
      // The token's claim went with the refusal: a good body under it now creates one event.
      const ok = await api.create('on_sunqi', meeting('accepted', at(0, 10), { attendees: [{ id: 'on_lisi' }] }), { clientToken: 'ct-refused' });
      assert.deepEqual(await summaries('on_sunqi'), ['accepted']);
      assert.equal((await api.get('on_lisi', ok.id)).summary, 'accepted');
    });

    test('authentication: no token, a bad token, a Feishu token', async () => {
      const url = `${f.s.url}/v1.0/calendar/users/on_zhangsan/calendars/primary/events`;
      const send = async (headers: Record<string, string>) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
        return [res.status, (await res.json()).code];
      };
      assert.deepEqual(await send({}), [400, 'AuthenticationFailed.MissingParameter']);
      assert.deepEqual(await send({ 'x-acs-dingtalk-access-token': 'nonsense' }), [400, 'InvalidAuthentication']);
      assert.deepEqual(await send({ 'x-acs-dingtalk-access-token': await f.s.userToken('zhangsan') }), [400, 'InvalidAuthentication']);
    });
  });
}
