import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

const DAY = 86_400;
const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.freebusy`, () => {
    let s: TestServer;
    let c: lark.Client;
    let u: string;
    const base = Date.parse('2030-06-03T00:00:00Z') / 1000;
    let seriesId = '';
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      u = await s.userToken('wangwu');
      const mk = (data: Record<string, unknown>) => c.calendar.v4.calendarEvent.create({ path: { calendar_id: 'primary' }, data: data as any }, lark.withUserAccessToken(u));
      await mk({ summary: 'single', start_time: { timestamp: String(base + 3600) }, end_time: { timestamp: String(base + 7200) } });
      await mk({ summary: 'free one', free_busy_status: 'free', start_time: { timestamp: String(base + 4 * 3600) }, end_time: { timestamp: String(base + 5 * 3600) } });
      await mk({ summary: 'secret', visibility: 'private', start_time: { timestamp: String(base + 6 * 3600) }, end_time: { timestamp: String(base + 7 * 3600) } });
      const series = await mk({ summary: 'daily', start_time: { timestamp: String(base + 10 * 3600) }, end_time: { timestamp: String(base + 10 * 3600 + 1800) }, recurrence: 'FREQ=DAILY;COUNT=3' });
      seriesId = series.data!.event!.event_id!;
      const uid = seriesId.slice(0, 36);
      // Day 2 is cancelled; day 3 moved an hour later.
      await c.calendar.v4.calendarEvent.delete({ path: { calendar_id: 'primary', event_id: `${uid}_${base + DAY + 10 * 3600}` } }, lark.withUserAccessToken(u));
      await c.calendar.v4.calendarEvent.patch({
        path: { calendar_id: 'primary', event_id: `${uid}_${base + 2 * DAY + 10 * 3600}` },
        data: { start_time: { timestamp: String(base + 2 * DAY + 11 * 3600) }, end_time: { timestamp: String(base + 2 * DAY + 11 * 3600 + 1800) } },
      }, lark.withUserAccessToken(u));
    });
    after(() => s.close());

    test('list: singles, series occurrences and exceptions are busy; free events and cancelled occurrences are not', async () => {
      const res = await c.calendar.v4.freebusy.list({ params: { user_id_type: 'user_id' }, data: { time_min: iso(base), time_max: iso(base + 5 * DAY), user_id: 'wangwu' } });
      assert.equal(res.code, 0);
      assert.deepEqual(res.data!.freebusy_list!.map((b) => [b.start_time, b.end_time]), [
        [iso(base + 3600), iso(base + 7200)],
        [iso(base + 6 * 3600), iso(base + 7 * 3600)],
        [iso(base + 10 * 3600), iso(base + 10 * 3600 + 1800)],
        [iso(base + 2 * DAY + 11 * 3600), iso(base + 2 * DAY + 11 * 3600 + 1800)],
      ]);
    });

    test('times come back in the offset time_min was given in, with rsvp_status on request', async () => {
      const res = await c.calendar.v4.freebusy.list({ data: { time_min: '2030-06-03T08:00:00+08:00', time_max: '2030-06-03T12:00:00+08:00', user_id: 'ou_wangwu', need_rsvp_status: true } });
      assert.deepEqual(res.data!.freebusy_list, [{ start_time: '2030-06-03T09:00:00+08:00', end_time: '2030-06-03T10:00:00+08:00', rsvp_status: 'accept' }]);
    });

    test('a private event shows to a colleague only as busy time, never its details', async () => {
      const other = await s.userToken('lisi');
      const res = await c.calendar.v4.freebusy.list({ data: { time_min: iso(base + 5 * 3600), time_max: iso(base + 8 * 3600), user_id: 'ou_wangwu' } }, lark.withUserAccessToken(other));
      assert.deepEqual(res.data!.freebusy_list, [{ start_time: iso(base + 6 * 3600), end_time: iso(base + 7 * 3600) }]);
      assert.doesNotMatch(JSON.stringify(res), /secret/);
    });

    test('batch: per-user lists in the order asked', async () => {
      const res = await c.calendar.v4.freebusy.batch({ params: { user_id_type: 'union_id' }, data: { time_min: iso(base), time_max: iso(base + DAY), user_ids: ['on_lisi', 'on_wangwu'] } });
      assert.deepEqual(res.data!.freebusy_lists!.map((l) => [l.user_id, l.freebusy_items!.length]), [['on_lisi', 0], ['on_wangwu', 3]]);
    });

    test('rooms by room_id; unknown rooms and users, other tenants, and windows over 90 days are refused', async () => {
      const room = await c.calendar.v4.freebusy.list({ data: { time_min: iso(base), time_max: iso(base + DAY), room_id: 'omm_room1' } });
      assert.deepEqual(room.data!.freebusy_list, []);
      const cases: Array<[Record<string, unknown>, number, number, RegExp]> = [
        [{ time_min: iso(base), time_max: iso(base + 91 * DAY), user_id: 'ou_wangwu' }, 400, 190002, /time_max/],
        [{ time_min: 'yesterday', time_max: iso(base), user_id: 'ou_wangwu' }, 400, 190002, /time_min/],
        [{ time_min: iso(base), time_max: iso(base - 1), user_id: 'ou_wangwu' }, 400, 190002, /time_max/],
        [{ time_min: iso(base), time_max: iso(base + DAY) }, 400, 190002, /user_id/],
        [{ time_min: iso(base), time_max: iso(base + DAY), room_id: 'omm_nope' }, 400, 190002, /room_id/],
        [{ time_min: iso(base), time_max: iso(base + DAY), user_id: 'ou_hank' }, 404, 195100, /user/],
      ];
      for (const [data, status, code, field] of cases) {
        const res = await feishuFailure(c.calendar.v4.freebusy.list({ data: data as any }));
        assert.deepEqual([res.status, res.code], [status, code], JSON.stringify(data));
        assert.match(res.msg, field);
      }
    });
  });
}
