import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../helpers/stores.js';
import { at, calls, dingtalkFixture, meeting } from './calendar/fixtures.js';
import type { DingtalkFixture } from './calendar/fixtures.js';

/** One calendar, two dialects: an event made through either is the same event, by the same id, in both. */
for (const kind of STORES) {
  describe(`${kind}: DingTalk ⇄ Feishu on one store`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    let client: lark.Client;
    let zhangsan: ReturnType<typeof lark.withUserAccessToken>;
    let lisi: ReturnType<typeof lark.withUserAccessToken>;
    let primary: string;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      client = f.s.lark();
      zhangsan = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
      lisi = lark.withUserAccessToken(await f.s.userToken('lisi'));
      primary = (await client.calendar.v4.calendar.primary({}, zhangsan)).data!.calendars![0].calendar!.calendar_id!;
    });
    after(() => f.close());

    const feishuGet = async (eventId: string, as = zhangsan, calendarId = primary) => {
      const res = await client.calendar.v4.calendarEvent.get({ path: { calendar_id: calendarId, event_id: eventId } }, as);
      assert.equal(res.code, 0, res.msg);
      return res.data!.event!;
    };

    test('made in DingTalk, patched in Feishu, read in both', async () => {
      const made = await api.create('on_zhangsan', meeting('cross', at(0, 10), {
        description: 'from DingTalk', attendees: [{ id: 'on_lisi' }], location: { displayName: 'Room 7' },
        reminders: [{ method: 'dingtalk', minutes: 30 }], uiConfigs: [{ uiName: 'comment', uiStatus: 'hide' }], onlineMeetingInfo: { type: 'dingtalk' },
      }));
      const seen = await feishuGet(made.id);
      assert.equal(seen.event_id, made.id);
      assert.deepEqual([seen.summary, seen.description], ['cross', 'from DingTalk']);
      assert.deepEqual(seen.start_time, { timestamp: String(at(0, 10)), timezone: 'Asia/Shanghai' });
      assert.equal(seen.location?.name, 'Room 7');
      assert.deepEqual(seen.reminders, [{ minutes: 30 }]);
      // The attendee sees it in their own primary calendar through Feishu.
      const lisiPrimary = (await client.calendar.v4.calendar.primary({}, lisi)).data!.calendars![0].calendar!.calendar_id;
      assert.equal((await feishuGet(made.id, lisi, lisiPrimary)).summary, 'cross');

      const patched = await client.calendar.v4.calendarEvent.patch({
        path: { calendar_id: primary, event_id: made.id },
        data: { summary: 'cross (Feishu)', start_time: { timestamp: String(at(0, 11)), timezone: 'Asia/Shanghai' }, end_time: { timestamp: String(at(0, 12)), timezone: 'Asia/Shanghai' } },
      }, zhangsan);
      assert.equal(patched.code, 0, patched.msg);
      const back = await api.get('on_zhangsan', made.id);
      assert.equal(back.summary, 'cross (Feishu)');
      assert.deepEqual(back.start, { dateTime: '2030-01-07T11:00:00+08:00', timeZone: 'Asia/Shanghai' });
      assert.equal(back.description, 'from DingTalk');
      assert.deepEqual(back.uiConfigs, [{ uiName: 'comment', uiStatus: 'hide' }]);
      assert.deepEqual(back.onlineMeetingInfo, made.onlineMeetingInfo);
      assert.deepEqual(back.location, { displayName: 'Room 7' });
      assert.deepEqual(back.reminders, [{ method: 'dingtalk', minutes: '30' }]);
      assert.deepEqual(back.attendees.map((a: any) => a.id).sort(), ['on_lisi', 'on_zhangsan']);
    });

    test('made in Feishu with an RRULE, patched in DingTalk, read in both', async () => {
      const made = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: primary },
        data: {
          summary: 'feishu weekly', recurrence: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6',
          start_time: { timestamp: String(at(0, 9)), timezone: 'Asia/Shanghai' }, end_time: { timestamp: String(at(0, 10)), timezone: 'Asia/Shanghai' },
        },
      }, zhangsan);
      assert.equal(made.code, 0, made.msg);
      const id = made.data!.event!.event_id;
      const seen = await api.get('on_zhangsan', id);
      assert.equal(seen.summary, 'feishu weekly');
      assert.deepEqual(seen.recurrence, {
        pattern: { type: 'weekly', interval: 2, daysOfWeek: 'monday,wednesday', firstDayOfWeek: 'monday' },
        range: { type: 'numbered', numberOfOccurrences: 6 },
      });
      const view = await api.view('on_zhangsan', { timeMin: '2030-01-01T00:00:00+08:00', timeMax: '2030-03-01T00:00:00+08:00' });
      assert.deepEqual(view.events.filter((e: any) => e.seriesMasterId === id).map((e: any) => e.start.dateTime.slice(0, 10)),
        ['2030-01-07', '2030-01-09', '2030-01-21', '2030-01-23', '2030-02-04', '2030-02-06']);

      await api.patch('on_zhangsan', id, { id, summary: 'weekly (DingTalk)', recurrence: { pattern: { type: 'relativeMonthly', index: 'last', daysOfWeek: 'friday' }, range: { type: 'endDate', endDate: '2030-06-30' } } });
      const feishu = await feishuGet(id);
      assert.equal(feishu.summary, 'weekly (DingTalk)');
      assert.equal(feishu.recurrence, 'FREQ=MONTHLY;UNTIL=20300630;BYDAY=-1FR');
      const dingtalk = await api.get('on_zhangsan', id);
      assert.deepEqual(dingtalk.recurrence, { pattern: { type: 'relativeMonthly', interval: 1, index: 'last', daysOfWeek: 'friday' }, range: { type: 'endDate', endDate: '2030-06-30' } });
    });

    test('deleted through Feishu, gone in DingTalk; a DingTalk delete is gone in Feishu', async () => {
      const a = await api.create('on_zhangsan', meeting('a'));
      const del = await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: primary, event_id: a.id } }, zhangsan);
      assert.equal(del.code, 0);
      await assert.rejects(api.get('on_zhangsan', a.id), (e: any) => e.code === 'instanceNotExist');
      const b = await api.create('on_zhangsan', meeting('b'));
      await api.del('on_zhangsan', b.id);
      const res = await client.calendar.v4.calendarEvent.get({ path: { calendar_id: primary, event_id: b.id } }, zhangsan).catch((e) => e.response?.data);
      assert.equal(res.code, 193003);
    });
  });
}
