import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';

/** 2030-01-07T00:00:00Z, a Monday. */
const T0 = 1_893_974_400;
const HOUR = 3600;
const DAY = 86_400;

for (const kind of STORES) {
  describe(`${kind}: the console's reads (GET /rili/v1/directory, GET /rili/v1/calendars/{id}/events)`, () => {
    let s: TestServer;
    before(async () => { s = await startServer(kind); });
    after(() => s.close());

    const call = async (path: string) => {
      const res = await fetch(`${s.url}/rili/v1${path}`);
      return { status: res.status, body: await res.json() };
    };

    test('the directory: tenants with users, apps and their secrets, rooms, and the calendars each owns', async () => {
      const { status, body } = await call('/directory');
      assert.equal(status, 200);
      assert.deepEqual(body.tenants.map((t: any) => t.tenant_key), ['acme', 'globex']);
      const acme = body.tenants[0];
      const lisi = acme.users.find((u: any) => u.user_id === 'lisi');
      assert.deepEqual(Object.keys(lisi).sort(), ['calendars', 'email', 'id', 'name', 'open_id', 'union_id', 'user_id']);
      assert.equal(lisi.calendars.length, 1);
      assert.equal(lisi.calendars[0].type, 'primary');
      const bot = acme.apps.find((a: any) => a.app_id === 'cli_acme');
      assert.equal(bot.secret, 'acme-secret');
      assert.equal(bot.platform, 'feishu');
      assert.equal(bot.calendars.length, 1, 'a Feishu bot has a calendar');
      assert.equal(acme.apps.find((a: any) => a.app_id === 'dingacme').calendars.length, 0);
      assert.deepEqual(acme.rooms.map((r: any) => [r.room_id, r.calendars[0].type]), [['omm_room1', 'resource'], ['omm_room2', 'resource']]);
    });

    test('a calendar\'s window: singles, a series expanded, an exception in place, a cancelled instance left out', async () => {
      const lisiToken = lark.withUserAccessToken(await s.userToken('lisi'));
      const client = s.lark();
      const calendarId = (await client.calendar.v4.calendar.primary({}, lisiToken)).data!.calendars![0].calendar!.calendar_id;
      const create = (data: object) => client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, data: data as any }, lisiToken);
      const single = await create({ summary: 'one-off', start_time: { timestamp: String(T0 + 9 * HOUR) }, end_time: { timestamp: String(T0 + 10 * HOUR) } });
      const series = await create({ summary: 'daily', start_time: { timestamp: String(T0 + 2 * HOUR) }, end_time: { timestamp: String(T0 + 3 * HOUR) }, recurrence: 'FREQ=DAILY;COUNT=5' });
      const allDay = await create({ summary: 'holiday', start_time: { date: '2030-01-09' }, end_time: { date: '2030-01-09' } });
      for (const made of [single, series, allDay]) assert.equal(made.code, 0, made.msg);
      const uid = series.data!.event!.event_id.replace(/_0$/, '');
      const moved = await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: calendarId, event_id: `${uid}_${T0 + DAY + 2 * HOUR}` }, data: { summary: 'daily, moved' } }, lisiToken);
      assert.equal(moved.code, 0, moved.msg);
      const gone = await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: calendarId, event_id: `${uid}_${T0 + 2 * DAY + 2 * HOUR}` } }, lisiToken);
      assert.equal(gone.code, 0, gone.msg);

      const { status, body } = await call(`/calendars/${encodeURIComponent(calendarId)}/events?start=2030-01-07T00:00:00Z&end=${T0 + 7 * DAY}`);
      assert.equal(status, 200);
      assert.equal(body.calendar.calendar_id, calendarId);
      assert.equal(body.truncated, false);
      const seen = body.events.map((e: any) => [e.title, e.kind, e.start, e.all_day]);
      assert.deepEqual(seen, [
        ['daily', 'instance', '2030-01-07T02:00:00.000Z', false],
        ['one-off', 'single', '2030-01-07T09:00:00.000Z', false],
        ['daily, moved', 'exception', '2030-01-08T02:00:00.000Z', false],
        ['holiday', 'single', '2030-01-09', true],
        ['daily', 'instance', '2030-01-10T02:00:00.000Z', false],
        ['daily', 'instance', '2030-01-11T02:00:00.000Z', false],
      ]);
      const exception = body.events[2];
      assert.equal(exception.id, `${uid}_${T0 + DAY + 2 * HOUR}`);
      assert.equal(exception.event.recurringEventId, `${uid}_0`);
      assert.equal(body.events[0].id, `${uid}_${T0 + 2 * HOUR}`, 'an instance is named by its series and start, as both dialects name it');
    });

    test('bad input names the field; an unknown calendar is 404-like, nothing 500', async () => {
      for (const [query, field] of [['start=yesterday&end=2030-01-08T00:00:00Z', 'start'], ['start=2030-01-08T00:00:00Z&end=2030-01-07T00:00:00Z', 'end']] as const) {
        const res = await call(`/calendars/any/events?${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.code, 'invalid_argument');
        assert.match(res.body.error.message, new RegExp(field));
      }
      assert.equal((await call('/calendars/any/events?start=2030-01-07T00:00:00Z')).status, 400, 'end is required');
      const unknown = await call(`/calendars/nope/events?start=${T0}&end=${T0 + DAY}`);
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error.code, 'calendar_not_found');
    });
  });
}
