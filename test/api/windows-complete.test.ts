// Windowed reads answer every occurrence of their window, whatever the mix of single events and
// series (issue R, finding 4): a calendar of 2,000 yearly series, through both dialects.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { CalendarEvent } from '../../src/core/events/types.js';
import { eventRange } from '../../src/core/service/event-service.js';
import { eventRow } from '../../src/store/event-store.js';
import { STORES } from '../helpers/stores.js';
import { $Calendar, dingtalkFixture } from './dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from './dingtalk/calendar/fixtures.js';

const $Util = createRequire(import.meta.url)('@alicloud/tea-util') as { RuntimeOptions: new (m: object) => unknown };
const DAY = 86_400;
const YEAR = 365 * DAY;
/** 2026-01-01T00:00:00Z; 2026 and 2027 have no 29 February, so a yearly UTC series moves by 365 days. */
const BASE = 1_767_225_600;
const SERIES = 2000;
/** 39.9 days from 2027-07-20: the 1,001 series that start earliest (January to early July) have no occurrence in it. */
const FROM = BASE + YEAR + 200 * DAY;
const TO = FROM + Math.round(39.9 * DAY);
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const isoShanghai = (t: number) => new Date((t + 8 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** Series i: one hour from BASE + i/2000 of a year, every year, in UTC. */
const seriesStart = (i: number) => BASE + Math.floor((i * YEAR) / SERIES);

function yearly(i: number, calendarId: string, creator: string): CalendarEvent {
  const start = seriesStart(i);
  return {
    uid: randomUUID(), originalStart: 0, calendarId, tenantKey: 'acme', creator, summary: `yearly ${i}`, description: '',
    start: { kind: 'timed', epoch: start, timeZone: 'UTC' }, end: { kind: 'timed', epoch: start + 3600, timeZone: 'UTC' },
    vchat: null, visibility: 'default', attendeeAbility: 'none', freeBusyStatus: 'busy', location: null, recurrence: 'FREQ=YEARLY',
    schemas: [], attachments: [], checkIn: null, source: '', status: 'confirmed', recurringEventId: '', color: -1, reminders: [],
    createTime: BASE, updateTime: BASE, seq: i + 1, idempotencyKey: null, extensions: {},
  };
}

for (const kind of STORES) {
  describe(`${kind}: a window of a calendar of 2,000 yearly series holds all its 219 occurrences`, () => {
    let f: DingtalkFixture;
    let feishu: lark.Client;
    let token: string;
    /** Event ids (`<uid>_<start>`) and starts of the occurrences in the window, by start. */
    let expected: Array<{ id: string; start: number }>;

    before(async () => {
      f = await dingtalkFixture(kind);
      feishu = f.s.lark();
      token = await f.s.userToken('zhangsan');
      const store = f.s.server.ctx.store;
      const user = (await store.read((r) => r.directory.userByAnyId('acme', 'zhangsan')))!;
      const calendar = (await store.read((r) => r.calendars.primaryCalendar(`u:${user.id}`)))!;
      // Written as the store writes them: 2,000 creates through the API would take most of a minute.
      const events = Array.from({ length: SERIES }, (_, i) => yearly(i, calendar.calendarId, `u:${user.id}`));
      for (let i = 0; i < events.length; i += 500) {
        await store.db.insertInto('events').values(events.slice(i, i + 500).map((e) => eventRow(e, eventRange(e)))).execute();
      }
      expected = events.map((e) => ({ id: `${e.uid}_${(e.start as { epoch: number }).epoch + YEAR}`, start: (e.start as { epoch: number }).epoch + YEAR }))
        .filter((o) => o.start < TO && o.start + 3600 > FROM)
        .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
      assert.equal(expected.length, 219, 'the fixture: 2,000 yearly series spread over a year meet 39.9 days 219 times');
    });
    after(() => f.close());

    test('Feishu instance_view answers all 219', async () => {
      const res = await feishu.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: { start_time: String(FROM), end_time: String(TO) } }, lark.withUserAccessToken(token));
      assert.equal(res.code, 0);
      const items = res.data!.items ?? [];
      assert.deepEqual(items.map((e) => e.event_id), expected.map((o) => o.id));
      assert.deepEqual(items.map((e) => Number(e.start_time!.timestamp)), expected.map((o) => o.start));
    });

    test('Feishu list with a window answers all 219 (page_size 1000), or the first 50 by start (page_size 50)', async () => {
      const full = await feishu.calendar.v4.calendarEvent.list({ path: { calendar_id: 'primary' }, params: { start_time: String(FROM), end_time: String(TO), page_size: 1000 } }, lark.withUserAccessToken(token));
      assert.equal(full.code, 0);
      assert.deepEqual((full.data!.items ?? []).map((e) => e.event_id), expected.map((o) => o.id));
      const first = await feishu.calendar.v4.calendarEvent.list({ path: { calendar_id: 'primary' }, params: { start_time: String(FROM), end_time: String(TO), page_size: 50 } }, lark.withUserAccessToken(token));
      assert.deepEqual((first.data!.items ?? []).map((e) => e.event_id), expected.slice(0, 50).map((o) => o.id));
      assert.equal(first.data!.has_more, false);
    });

    test('DingTalk ListEventsView pages through all 219, each once, in start order', async () => {
      // Generous timeouts: the server runs in this process, on a shared machine.
      const runtime = new ($Util.RuntimeOptions)({ readTimeout: 120_000, connectTimeout: 120_000 });
      const view = async (query: object) => JSON.parse(JSON.stringify((await (f.client).listEventsViewWithOptions(
        'on_zhangsan', 'primary', new $Calendar.ListEventsViewRequest(query), f.headers('ListEventsView'), runtime)).body));
      for (const maxResults of [100, 7]) {
        const seen: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await view({ timeMin: isoShanghai(FROM), timeMax: isoShanghai(TO), maxResults, ...(nextToken ? { nextToken } : {}) });
          assert.ok(page.events.length <= maxResults);
          seen.push(...page.events.map((e: any) => e.id));
          nextToken = page.nextToken;
        } while (nextToken);
        assert.deepEqual(seen, expected.map((o) => o.id), `maxResults ${maxResults}`);
      }
    });

    test('free/busy agrees: 219 busy intervals', async () => {
      const res = await feishu.calendar.v4.freebusy.list({ params: { user_id_type: 'user_id' }, data: { time_min: iso(FROM), time_max: iso(TO), user_id: 'zhangsan' } });
      assert.equal(res.code, 0);
      assert.deepEqual((res.data!.freebusy_list ?? []).map((b) => Date.parse(b.start_time) / 1000), expected.map((o) => o.start));
    });
  });
}
