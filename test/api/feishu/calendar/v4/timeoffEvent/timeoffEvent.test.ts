import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { refused } from '../calendarEventAttendee/attendee-fixtures.js';

const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
/** 2030-06-03T00:00:00Z. */
const BASE = Date.parse('2030-06-03T00:00:00Z') / 1000;

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.timeoffEvent`, () => {
    let s: TestServer;
    let c: lark.Client;
    let lisi: string;
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      lisi = await s.userToken('lisi');
    });
    after(() => s.close());

    const create = (data: Record<string, unknown>, options?: ReturnType<typeof lark.withUserAccessToken>, client = c) =>
      client.calendar.v4.timeoffEvent.create({ params: { user_id_type: 'user_id' }, data: data as any }, options);
    const busyOfLisi = async (from: number, to: number) => {
      const res = await c.calendar.v4.freebusy.list({ params: { user_id_type: 'user_id' }, data: { time_min: iso(from), time_max: iso(to), user_id: 'lisi' } });
      assert.equal(res.code, 0);
      return res.data!.freebusy_list!.map((b) => [b.start_time, b.end_time]);
    };
    const lisiEvents = async (from: number, to: number) => {
      const res = await c.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: { start_time: String(from), end_time: String(to) } }, lark.withUserAccessToken(lisi));
      assert.equal(res.code, 0);
      return res.data!.items ?? [];
    };

    test('leave by the hour: answered as given, busy in free/busy, an event on the user\'s primary calendar; delete takes both away', async () => {
      const res = await create({ user_id: 'lisi', timezone: 'Asia/Shanghai', start_time: String(BASE + 3600), end_time: String(BASE + 5 * 3600), title: 'Dentist', description: 'back at 2' });
      assert.equal(res.code, 0, JSON.stringify(res));
      const t = res.data!;
      assert.match(t.timeoff_event_id, /^timeoff:/);
      assert.deepEqual({ ...t, timeoff_event_id: '' }, {
        timeoff_event_id: '', user_id: 'lisi', timezone: 'Asia/Shanghai', start_time: String(BASE + 3600), end_time: String(BASE + 5 * 3600), title: 'Dentist', description: 'back at 2',
      });
      assert.deepEqual(await busyOfLisi(BASE, BASE + 86_400), [[iso(BASE + 3600), iso(BASE + 5 * 3600)]]);
      const shown = await lisiEvents(BASE, BASE + 86_400);
      assert.deepEqual(shown.map((e) => [e.summary, e.description, e.start_time?.timestamp, e.end_time?.timestamp, e.free_busy_status]),
        [['Dentist', 'back at 2', String(BASE + 3600), String(BASE + 5 * 3600), 'busy']]);

      assert.equal((await c.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: t.timeoff_event_id } })).code, 0);
      assert.deepEqual(await busyOfLisi(BASE, BASE + 86_400), []);
      assert.deepEqual(await lisiEvents(BASE, BASE + 86_400), []);
      // Gone: a second delete names the id.
      await refused(c.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: t.timeoff_event_id } }), 400, 190002, 'timeoff_event_id');
    });

    test('all-day leave: dates, both ends inclusive, with the platform\'s title and description when none is sent', async () => {
      const res = await create({ user_id: 'lisi', timezone: 'Asia/Shanghai', start_time: '2030-07-01', end_time: '2030-07-02' });
      assert.equal(res.code, 0, JSON.stringify(res));
      assert.equal(res.data!.title, '请假中(全天) / 1-Day Time Off');
      assert.match(res.data!.description!, /请假/);
      assert.deepEqual([res.data!.start_time, res.data!.end_time], ['2030-07-01', '2030-07-02']);
      const from = Date.parse('2030-06-30T00:00:00Z') / 1000;
      const shown = await lisiEvents(from, from + 5 * 86_400);
      // The calendar's all-day end date is the last day too (Feishu's time_info); two days of leave.
      assert.deepEqual(shown.map((e) => [e.summary, e.start_time?.date, e.end_time?.date]), [['请假中(全天) / 1-Day Time Off', '2030-07-01', '2030-07-02']]);
      assert.deepEqual(await busyOfLisi(from, from + 5 * 86_400), [[iso(from + 86_400), iso(from + 3 * 86_400)]]);
      // One day of leave: start and end the same date.
      assert.equal((await create({ user_id: 'lisi', timezone: 'UTC', start_time: '2030-08-01', end_time: '2030-08-01' })).code, 0);
      // Snapshots and export hold the leave beside its event.
      const dump = await s.server.ctx.store.read((r) => r.snapshots.dump());
      assert.deepEqual(dump.tables.timeoff_events.map((t) => t.start_time).sort(), [JSON.stringify({ kind: 'date', date: '2030-07-01' }), JSON.stringify({ kind: 'date', date: '2030-08-01' })]);
    });

    test('refusals: a user token, bad times and zones, unknown users, another app\'s leave; nothing is written', async () => {
      const before = await s.server.ctx.store.read((r) => r.calendars.currentSeq());
      const ok = { user_id: 'lisi', timezone: 'Asia/Shanghai', start_time: String(BASE), end_time: String(BASE + 3600) };
      await refused(create(ok, lark.withUserAccessToken(lisi)), 400, 99991663);
      await refused(create({ ...ok, timezone: 'Mars/Olympus' }), 400, 190002, 'timezone');
      await refused(create({ ...ok, start_time: 'soon' }), 400, 190002, 'start_time');
      await refused(create({ ...ok, end_time: '2030-13-01' }), 400, 190002, 'end_time');
      await refused(create({ ...ok, end_time: '2030-06-04' }), 400, 190002, 'end_time');
      await refused(create({ ...ok, end_time: String(BASE) }), 400, 190002, 'end_time');
      await refused(create({ ...ok, start_time: '2030-06-05', end_time: '2030-06-04' }), 400, 190002, 'end_time');
      await refused(create({ ...ok, user_id: 'nobody' }), 404, 195100, 'user_id');
      await refused(create({ timezone: 'UTC', start_time: '2030-06-05', end_time: '2030-06-05' }), 400, 190002, 'user_id');
      assert.equal(await s.server.ctx.store.read((r) => r.calendars.currentSeq()), before);

      const made = await create(ok);
      const id = made.data!.timeoff_event_id;
      // Another app of the same tenant may not delete it; another tenant's app does not find it.
      await refused(s.lark('cli_acme2').calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: id } }), 403, 193002);
      await refused(s.lark('cli_globex').calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: id } }), 400, 190002, 'timeoff_event_id');
      await refused(c.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: id } }, lark.withUserAccessToken(lisi)), 400, 99991663);
      assert.equal((await c.calendar.v4.timeoffEvent.delete({ path: { timeoff_event_id: id } })).code, 0);
    });
  });
}
