/**
 * A series whose start does not match its rule: `FREQ=WEEKLY;BYDAY=WE;COUNT=3` from Tuesday
 * 2027-01-05 10:00 UTC. The start is the first occurrence and counts toward COUNT (RFC 5545), so
 * the series is Tue 5, Wed 6, Wed 13 — on every path that expands it. Wed 20 is not an occurrence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

const DAY = 86_400;
const START = Date.parse('2027-01-05T10:00:00Z') / 1000; // a Tuesday
const EXPECTED = [START, START + DAY, START + 8 * DAY]; // Tue 5, Wed 6, Wed 13
const FOURTH_WEDNESDAY = START + 15 * DAY; // Wed 20: what the rule alone would give as its third
const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

for (const kind of STORES) {
  describe(`${kind}: Feishu, a series start that does not match its rule counts toward COUNT`, () => {
    let s: TestServer;
    let c: lark.Client;
    let u: string;
    let seriesId = '';
    let uid = '';
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      u = await s.userToken('zhangsan');
      const res = await c.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: {
          summary: 'Off-rule start', recurrence: 'FREQ=WEEKLY;BYDAY=WE;COUNT=3',
          start_time: { timestamp: String(START), timezone: 'UTC' }, end_time: { timestamp: String(START + 3600), timezone: 'UTC' },
        },
      }, lark.withUserAccessToken(u));
      assert.equal(res.code, 0);
      seriesId = res.data!.event!.event_id!;
      uid = seriesId.slice(0, 36);
    });
    after(() => s.close());
    const as = () => lark.withUserAccessToken(u);
    const window = { start_time: String(START - DAY), end_time: String(START + 30 * DAY) };

    test('instances: exactly three, the start first', async () => {
      const res = await c.calendar.v4.calendarEvent.instances({ path: { calendar_id: 'primary', event_id: seriesId }, params: { ...window, page_size: 50 } }, as());
      assert.deepEqual(res.data!.items!.map((i) => Number(i.start_time!.timestamp)), EXPECTED);
      assert.deepEqual(res.data!.items!.map((i) => i.event_id), EXPECTED.map((t) => `${uid}_${t}`));
    });

    test('instance_view and list with a time window show the same three', async () => {
      const view = await c.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: window }, as());
      assert.deepEqual(view.data!.items!.map((i) => Number(i.start_time!.timestamp)), EXPECTED);
      const list = await c.calendar.v4.calendarEvent.list({ path: { calendar_id: 'primary' }, params: { ...window, page_size: 50 } }, as());
      assert.deepEqual(list.data!.items!.map((i) => Number(i.start_time.timestamp)), EXPECTED);
      // A window holding only Wednesday the 20th holds nothing.
      const late = await c.calendar.v4.calendarEvent.list({ path: { calendar_id: 'primary' }, params: { start_time: String(START + 14 * DAY), end_time: String(START + 17 * DAY), page_size: 50 } }, as());
      assert.deepEqual(late.data!.items ?? [], []);
    });

    test('freebusy: exactly three busy slots', async () => {
      const res = await c.calendar.v4.freebusy.list({ params: { user_id_type: 'user_id' }, data: { time_min: iso(START - DAY), time_max: iso(START + 30 * DAY), user_id: 'zhangsan' } });
      assert.equal(res.code, 0);
      assert.deepEqual(res.data!.freebusy_list!.map((b) => b.start_time), EXPECTED.map(iso));
    });

    test('search: a window holding only Wednesday the 20th finds nothing; one holding the 13th finds the series', async () => {
      const search = async (from: number, to: number) => (await c.calendar.v4.calendarEvent.search({
        path: { calendar_id: 'primary' }, params: { page_size: 50 },
        data: { query: 'Off-rule', filter: { start_time: { timestamp: String(from) }, end_time: { timestamp: String(to) } } },
      }, as())).data!.items ?? [];
      assert.deepEqual((await search(START + 14 * DAY, START + 17 * DAY)).map((i) => i.summary), []);
      assert.deepEqual((await search(START + 7 * DAY, START + 10 * DAY)).map((i) => i.summary), ['Off-rule start']);
    });

    test('the id of Wednesday the 20th is no occurrence: get, patch and delete answer event not found', async () => {
      const id = `${uid}_${FOURTH_WEDNESDAY}`;
      const got = await feishuFailure(c.calendar.v4.calendarEvent.get({ path: { calendar_id: 'primary', event_id: id } }, as()));
      assert.deepEqual([got.status, got.code], [404, 193001]);
      const patched = await feishuFailure(c.calendar.v4.calendarEvent.patch({ path: { calendar_id: 'primary', event_id: id }, data: { summary: 'no' } }, as()));
      assert.deepEqual([patched.status, patched.code], [404, 193001]);
      const deleted = await feishuFailure(c.calendar.v4.calendarEvent.delete({ path: { calendar_id: 'primary', event_id: id } }, as()));
      assert.deepEqual([deleted.status, deleted.code], [404, 193001]);
      // The start and the 13th are occurrences.
      for (const t of [START, START + 8 * DAY]) {
        const ok = await c.calendar.v4.calendarEvent.get({ path: { calendar_id: 'primary', event_id: `${uid}_${t}` } }, as());
        assert.equal(ok.data!.event!.start_time.timestamp, String(t));
      }
    });
  });
}
