// Paging a series' occurrences neither skips nor doubles one: equal starts at a page boundary, and
// pages deep into a long series (issue R, finding 4).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../helpers/stores.js';
import { calls, dingtalkFixture } from './dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from './dingtalk/calendar/fixtures.js';

const HOUR = 3600;
const DAY = 86_400;
/** 2031-03-03T00:00:00Z */
const BASE = 1_930_262_400;
const isoShanghai = (t: number) => new Date((t + 8 * HOUR) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
/** A page token as the server writes them (versioned JSON in base64url), holding a bare start: the form tokens had before they carried ids. */
const startToken = (kind: string, start: number) => Buffer.from(JSON.stringify({ v: 1, k: kind, p: start })).toString('base64url');

for (const kind of STORES) {
  describe(`${kind}: paging a series' occurrences`, () => {
    let f: DingtalkFixture;
    let feishu: lark.Client;
    let as: ReturnType<typeof lark.withUserAccessToken>;
    before(async () => {
      f = await dingtalkFixture(kind);
      feishu = f.s.lark();
      as = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
    });
    after(() => f.close());

    const create = async (start: number, end: number, recurrence: string) => {
      const res = await feishu.calendar.v4.calendarEvent.create({ path: { calendar_id: 'primary' }, data: { summary: recurrence, start_time: { timestamp: String(start), timezone: 'UTC' }, end_time: { timestamp: String(end), timezone: 'UTC' }, recurrence } }, as);
      assert.equal(res.code, 0);
      return res.data!.event!.event_id;
    };
    const feishuPages = async (eventId: string, from: number, to: number, pageSize: number) => {
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await feishu.calendar.v4.calendarEvent.instances({ path: { calendar_id: 'primary', event_id: eventId }, params: { start_time: String(from), end_time: String(to), page_size: pageSize, ...(pageToken ? { page_token: pageToken } : {}) } }, as);
        assert.equal(page.code, 0);
        seen.push(...(page.data!.items ?? []).map((e) => e.event_id));
        pageToken = page.data!.has_more ? page.data!.page_token : undefined;
      } while (pageToken);
      return seen;
    };

    test('an exception moved onto the next occurrence\'s start: both show once across the page boundary (Feishu page_size 10, DingTalk maxResults 1 and 3)', async () => {
      const start = BASE + 9 * HOUR;
      const id = await create(start, start + HOUR, 'FREQ=DAILY;COUNT=15');
      const uid = id.slice(0, 36);
      // Occurrence 9 moved to occurrence 10's time: the 10th and 11th in start order share a start.
      const moved = start + 10 * DAY;
      const patched = await feishu.calendar.v4.calendarEvent.patch({ path: { calendar_id: 'primary', event_id: `${uid}_${start + 9 * DAY}` }, data: { start_time: { timestamp: String(moved), timezone: 'UTC' }, end_time: { timestamp: String(moved + HOUR), timezone: 'UTC' } } }, as);
      assert.equal(patched.code, 0);
      const expected = Array.from({ length: 15 }, (_, k) => `${uid}_${start + k * DAY}`);
      assert.deepEqual(await feishuPages(id, BASE, BASE + 30 * DAY, 10), expected);
      const api = calls(f);
      for (const maxResults of [1, 3]) {
        const seen: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await api.instances('on_zhangsan', id, { timeMin: isoShanghai(BASE), timeMax: isoShanghai(BASE + 30 * DAY), maxResults, ...(nextToken ? { nextToken } : {}) });
          seen.push(...page.events.map((e: any) => e.id));
          nextToken = page.nextToken;
        } while (nextToken);
        assert.deepEqual(seen, expected, `maxResults ${maxResults}`);
      }
    });

    test('a page past the 10,000th occurrence is not empty (Feishu instances, DingTalk ListInstances and ListEvents seriesMasterId)', async () => {
      // 16 a day (hourly would be refused as too dense: docs/compatibility.md), 14,000 times: the
      // 10,050th is in the 629th day, within instances' two-year window.
      const at = (k: number) => BASE + Math.floor(k / 16) * DAY + (k % 16) * HOUR;
      const hourly = await create(BASE, BASE + 1800, `FREQ=DAILY;BYHOUR=${Array.from({ length: 16 }, (_, h) => h).join(',')};COUNT=14000`);
      const uid = hourly.slice(0, 36);
      const page = await feishu.calendar.v4.calendarEvent.instances({ path: { calendar_id: 'primary', event_id: hourly }, params: { start_time: String(BASE), end_time: String(BASE + 700 * DAY), page_size: 10, page_token: startToken('instances', at(10_049)) } }, as);
      assert.equal(page.code, 0);
      assert.deepEqual((page.data!.items ?? []).map((e) => e.event_id), Array.from({ length: 10 }, (_, k) => `${uid}_${at(10_050 + k)}`));
      assert.equal(page.data!.has_more, true);
      // And it goes on from the token it hands out.
      const next = await feishu.calendar.v4.calendarEvent.instances({ path: { calendar_id: 'primary', event_id: hourly }, params: { start_time: String(BASE), end_time: String(BASE + 700 * DAY), page_size: 10, page_token: page.data!.page_token } }, as);
      assert.equal((next.data!.items ?? [])[0].event_id, `${uid}_${at(10_060)}`);

      // Daily for ever; DingTalk's window is open by default.
      const daily = await create(BASE, BASE + HOUR, 'FREQ=DAILY');
      const dailyUid = daily.slice(0, 36);
      const api = calls(f);
      const deep = await api.instances('on_zhangsan', daily, { maxResults: 3, nextToken: startToken('event-instances', BASE + 10_049 * DAY) });
      assert.deepEqual(deep.events.map((e: any) => e.id), [0, 1, 2].map((k) => `${dailyUid}_${BASE + (10_050 + k) * DAY}`));
      assert.ok(deep.nextToken);
      const listed = await api.list('on_zhangsan', { seriesMasterId: daily, maxResults: 2, nextToken: Buffer.from(JSON.stringify({ v: 1, k: 'event-list', p: { p: 'inst', after: BASE + 10_049 * DAY } })).toString('base64url') });
      assert.deepEqual(listed.events.map((e: any) => e.id), [0, 1].map((k) => `${dailyUid}_${BASE + (10_050 + k) * DAY}`));
    });
  });
}
