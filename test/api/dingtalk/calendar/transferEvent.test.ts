import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../helpers/stores.js';
import { assertLogRebuildsCalendars } from './change-log-check.js';
import { $Calendar, UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk TransferEvent`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    let client: lark.Client;
    const transfer = (user: string, eventId: string, body: object, o: { token?: string } = {}) =>
      (f.client).transferEventWithOptions('primary', user, eventId, new $Calendar.TransferEventRequest(body), f.headers('TransferEvent', o), runtime())
        .then((res: any) => JSON.parse(JSON.stringify(res.body)));
    // The SDK's TransferEvent takes calendarId before userId.
    /** The organizer Feishu reports, read as a Feishu user from their primary calendar. */
    const feishuOrganizer = async (user: string, eventId: string) => {
      const as = lark.withUserAccessToken(await f.s.userToken(user));
      const primary = (await client.calendar.v4.calendar.primary({}, as)).data!.calendars![0].calendar!.calendar_id;
      const res = await client.calendar.v4.calendarEvent.get({ path: { calendar_id: primary, event_id: eventId } }, as);
      assert.equal(res.code, 0, res.msg);
      return res.data!.event!.event_organizer!.display_name;
    };
    const ids = (attendees: any[]) => attendees.map((a: any) => a.id).sort();
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      client = f.s.lark();
    });
    after(() => f.close());

    test('the new organizer is reported by both dialects; the old one stays as an attendee', async () => {
      const { id } = await api.create('on_zhangsan', meeting('handover', at(0, 10), { attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }] }));
      assert.equal(await feishuOrganizer('zhangsan', id), '张三');
      assert.deepEqual(await transfer('on_zhangsan', id, { newOrganizerId: 'on_lisi', isExitCalendar: false }), { result: true });
      assert.equal(await feishuOrganizer('lisi', id), '李四');
      assert.equal(await feishuOrganizer('zhangsan', id), '李四');
      const seen = await api.get('on_lisi', id);
      assert.equal(seen.organizer.id, 'on_lisi');
      assert.deepEqual(ids(seen.attendees), ['on_lisi', 'on_wangwu', 'on_zhangsan']);
      // The old organizer still has it, as an attendee who may not change it any more.
      assert.equal((await api.get('on_zhangsan', id)).organizer.id, 'on_lisi');
      const refused = await failure(api.patch('on_zhangsan', id, { id, summary: 'mine again' }));
      assert.equal(refused.code, 'permissionDeny');
      // The new organizer can.
      await api.patch('on_lisi', id, { id, summary: 'handed over' });
      assert.equal((await api.get('on_wangwu', id)).summary, 'handed over');
      await assertLogRebuildsCalendars(f);
    });

    test('isExitCalendar takes the old organizer off the event', async () => {
      const { id } = await api.create('on_zhangsan', meeting('leaving', at(1, 10), { attendees: [{ id: 'on_wangwu' }] }));
      await transfer('on_zhangsan', id, { newOrganizerId: 'on_zhaoliu', isExitCalendar: true });
      const seen = await api.get('on_zhaoliu', id);
      assert.equal(seen.organizer.id, 'on_zhaoliu');
      assert.deepEqual(ids(seen.attendees), ['on_wangwu', 'on_zhaoliu']);
      const gone = await failure(api.get('on_zhangsan', id));
      assert.equal(gone.code, 'itemNotFound');
      assert.ok(!(await api.list('on_zhangsan', {})).events.some((e: any) => e.id === id));
      assert.ok((await api.list('on_zhaoliu', {})).events.some((e: any) => e.id === id));
      await assertLogRebuildsCalendars(f);
    });

    test('a series moves whole, its exceptions with it', async () => {
      const series = await api.create('on_zhangsan', meeting('weekly', at(2, 9), {
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
      }));
      const window = { timeMin: '2030-01-09T00:00:00+08:00', timeMax: '2030-01-13T00:00:00+08:00' };
      const [first] = (await api.instances('on_zhangsan', series.id, window)).events;
      await api.patch('on_zhangsan', first.id, { id: first.id, summary: 'moved one' });
      await transfer('on_zhangsan', series.id, { newOrganizerId: 'on_sunqi' });
      const instances = (await api.instances('on_sunqi', series.id, window)).events;
      assert.deepEqual(instances.map((e: any) => e.summary), ['moved one', 'weekly', 'weekly']);
      assert.ok(instances.every((e: any) => e.organizer.id === 'on_sunqi'));
      const occurrence = await failure(transfer('on_sunqi', instances[1].id, { newOrganizerId: 'on_zhangsan' }));
      assert.deepEqual([occurrence.code, /eventId/.test(occurrence.message)], ['invalidParameter', true]);
      await assertLogRebuildsCalendars(f);
    });

    test('bad input names its field; an attendee may not transfer; nothing changes', async () => {
      const { id } = await api.create('on_zhangsan', meeting('stays', at(3, 10), { attendees: [{ id: 'on_lisi' }] }));
      const unknown = await failure(transfer('on_zhangsan', id, { newOrganizerId: 'on_nobody' }));
      assert.deepEqual([unknown.status, unknown.code, /newOrganizerId/.test(unknown.message)], [400, 'invalidParameter', true]);
      const missing = await failure(transfer('on_zhangsan', id, {}));
      assert.deepEqual([missing.code, /newOrganizerId/.test(missing.message)], ['invalidParameter', true]);
      const self = await failure(transfer('on_zhangsan', id, { newOrganizerId: 'on_zhangsan' }));
      assert.deepEqual([self.code, /newOrganizerId/.test(self.message)], ['invalidParameter', true]);
      const attendee = await failure(transfer('on_lisi', id, { newOrganizerId: 'on_lisi' }));
      assert.equal(attendee.code, 'permissionDeny');
      const noEvent = await failure(transfer('on_zhangsan', UNKNOWN_EVENT_ID, { newOrganizerId: 'on_lisi' }));
      assert.deepEqual([noEvent.status, noEvent.code], [404, 'itemNotFound']);
      assert.equal((await api.get('on_lisi', id)).organizer.id, 'on_zhangsan');
      assert.equal(await feishuOrganizer('zhangsan', id), '张三');
    });
  });
}
