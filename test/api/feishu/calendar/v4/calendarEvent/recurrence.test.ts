import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

const DAY = 86_400;
/** Local wall-clock "HH:MM" of an instant in a zone. */
const localTime = (epoch: number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(epoch * 1000));
/** Epoch of a local wall-clock time in a zone (for test inputs away from transitions). */
function zoned(date: string, time: string, timeZone: string): number {
  const guess = Date.parse(`${date}T${time}:00Z`) / 1000;
  const [h, m] = localTime(guess, timeZone).split(':').map(Number);
  const [wh, wm] = time.split(':').map(Number);
  return guess - ((h * 60 + m) - (wh * 60 + wm)) * 60 - (localDate(guess, timeZone) !== date ? Math.sign(Date.parse(`${localDate(guess, timeZone)}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) * DAY : 0);
}
const localDate = (epoch: number, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(epoch * 1000));

for (const kind of STORES) {
  describe(`${kind}: recurring events, instances, exceptions`, () => {
    let s: TestServer;
    let c: lark.Client;
    let u: string;
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      u = await s.userToken('zhangsan');
    });
    after(() => s.close());
    const as = () => lark.withUserAccessToken(u);

    async function createSeries(summary: string, startEpoch: number, durationSeconds: number, rule: string, timezone = 'Asia/Shanghai') {
      const res = await c.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { summary, start_time: { timestamp: String(startEpoch), timezone }, end_time: { timestamp: String(startEpoch + durationSeconds), timezone }, recurrence: rule },
      }, as());
      assert.equal(res.code, 0);
      return res.data!.event!;
    }

    const dstCases: Array<{ zone: string; rule: string; start: [string, string]; window: [string, string]; expect: number }> = [
      { zone: 'Europe/Berlin', rule: 'FREQ=WEEKLY;BYDAY=MO', start: ['2026-10-05', '09:00'], window: ['2026-10-01', '2026-11-30'], expect: 8 },
      { zone: 'Europe/Berlin', rule: 'FREQ=DAILY', start: ['2027-03-25', '09:00'], window: ['2027-03-25', '2027-04-03'], expect: 9 },
      { zone: 'America/New_York', rule: 'FREQ=DAILY', start: ['2026-10-30', '09:00'], window: ['2026-10-30', '2026-11-06'], expect: 7 },
      { zone: 'America/New_York', rule: 'FREQ=WEEKLY;BYDAY=TU,TH', start: ['2027-03-02', '09:00'], window: ['2027-03-01', '2027-03-31'], expect: 9 },
      { zone: 'Australia/Sydney', rule: 'FREQ=MONTHLY;BYMONTHDAY=3', start: ['2026-03-03', '09:00'], window: ['2026-03-01', '2026-11-30'], expect: 9 },
      { zone: 'Australia/Sydney', rule: 'FREQ=WEEKLY;BYDAY=SU', start: ['2026-09-27', '09:00'], window: ['2026-09-20', '2026-10-20'], expect: 4 },
    ];
    for (const d of dstCases) {
      test(`DST: ${d.rule} at 09:00 in ${d.zone} stays at 09:00 local across the change (instances API)`, async () => {
        const start = zoned(d.start[0], d.start[1], d.zone);
        assert.equal(localTime(start, d.zone), '09:00');
        const ev = await createSeries(`dst ${d.zone}`, start, 3600, d.rule, d.zone);
        const res = await c.calendar.v4.calendarEvent.instances({
          path: { calendar_id: 'primary', event_id: ev.event_id },
          params: { start_time: String(Date.parse(`${d.window[0]}T00:00:00Z`) / 1000), end_time: String(Date.parse(`${d.window[1]}T00:00:00Z`) / 1000), page_size: 100 },
        }, as());
        const items = res.data!.items!;
        assert.equal(items.length, d.expect);
        const offsets = new Set<number>();
        for (const it of items) {
          const ts = Number(it.start_time!.timestamp);
          assert.equal(localTime(ts, d.zone), '09:00', `${it.event_id} at ${new Date(ts * 1000).toISOString()}`);
          assert.equal(Number(it.end_time!.timestamp) - ts, 3600);
          assert.equal(it.event_id, `${ev.event_id.slice(0, 36)}_${ts}`);
          assert.equal(it.is_exception, false);
          offsets.add((ts - Date.parse(`${localDate(ts, d.zone)}T09:00:00Z`) / 1000));
        }
        if (d.zone !== 'Australia/Sydney' || d.rule.includes('WEEKLY')) assert.equal(offsets.size, 2, 'the window crosses a UTC offset change');
      });
    }

    test('an instance id: get answers it, patch makes a kept-id exception, delete cancels it', async () => {
      const start = Date.parse('2030-01-07T01:00:00Z') / 1000; // a Monday, 09:00 in Shanghai
      const series = await createSeries('Weekly sync', start, 1800, 'FREQ=WEEKLY;COUNT=5');
      const uid = series.event_id.slice(0, 36);
      const second = `${uid}_${start + 7 * DAY}`;
      const got = await c.calendar.v4.calendarEvent.get({ path: { calendar_id: 'primary', event_id: second } }, as());
      assert.equal(got.data!.event!.event_id, second);
      assert.equal(got.data!.event!.start_time.timestamp, String(start + 7 * DAY));
      assert.equal(got.data!.event!.is_exception, false);
      assert.equal(got.data!.event!.recurring_event_id, series.event_id);
      // Not an occurrence of the rule: not found.
      const wrong = await feishuFailure(c.calendar.v4.calendarEvent.get({ path: { calendar_id: 'primary', event_id: `${uid}_${start + 3600}` } }, as()));
      assert.deepEqual([wrong.status, wrong.code], [404, 193001]);

      const patched = await c.calendar.v4.calendarEvent.patch({
        path: { calendar_id: 'primary', event_id: second },
        data: { summary: 'Moved sync', start_time: { timestamp: String(start + 7 * DAY + 3600) }, end_time: { timestamp: String(start + 7 * DAY + 5400) } },
      }, as());
      const ex = patched.data!.event!;
      assert.deepEqual([ex.event_id, ex.is_exception, ex.recurring_event_id, ex.summary, ex.recurrence], [second, true, series.event_id, 'Moved sync', '']);

      const third = `${uid}_${start + 14 * DAY}`;
      assert.equal((await c.calendar.v4.calendarEvent.delete({ path: { calendar_id: 'primary', event_id: third } }, as())).code, 0);
      const gone = await feishuFailure(c.calendar.v4.calendarEvent.get({ path: { calendar_id: 'primary', event_id: third } }, as()));
      assert.deepEqual([gone.status, gone.code], [403, 193003]);

      const inst = await c.calendar.v4.calendarEvent.instances({
        path: { calendar_id: 'primary', event_id: series.event_id },
        params: { start_time: String(start - DAY), end_time: String(start + 60 * DAY) },
      }, as());
      const ids = inst.data!.items!.map((i) => [i.event_id, i.summary, i.is_exception]);
      assert.deepEqual(ids, [
        [`${uid}_${start}`, 'Weekly sync', false],
        [second, 'Moved sync', true],
        [`${uid}_${start + 21 * DAY}`, 'Weekly sync', false],
        [`${uid}_${start + 28 * DAY}`, 'Weekly sync', false],
      ]);
      assert.equal(inst.data!.items![1].start_time!.timestamp, String(start + 7 * DAY + 3600));

      const view = await c.calendar.v4.calendarEvent.instanceView({
        path: { calendar_id: 'primary' }, params: { start_time: String(start - DAY), end_time: String(start + 35 * DAY) },
      }, as());
      const mine = view.data!.items!.filter((i) => i.event_id.startsWith(uid));
      assert.deepEqual(mine.map((i) => i.event_id), ids.map((i) => i[0]));
    });

    test('changing the series\' rule detaches its exceptions (documented)', async () => {
      const start = Date.parse('2031-02-03T01:00:00Z') / 1000;
      const series = await createSeries('Rule change', start, 1800, 'FREQ=DAILY;COUNT=10');
      const uid = series.event_id.slice(0, 36);
      await c.calendar.v4.calendarEvent.patch({ path: { calendar_id: 'primary', event_id: `${uid}_${start + DAY}` }, data: { summary: 'special' } }, as());
      await c.calendar.v4.calendarEvent.patch({ path: { calendar_id: 'primary', event_id: series.event_id }, data: { recurrence: 'FREQ=DAILY;COUNT=3' } }, as());
      const inst = await c.calendar.v4.calendarEvent.instances({
        path: { calendar_id: 'primary', event_id: series.event_id }, params: { start_time: String(start - 1), end_time: String(start + 30 * DAY) },
      }, as());
      assert.deepEqual(inst.data!.items!.map((i) => i.summary), ['Rule change', 'Rule change', 'Rule change']);
    });

    test('instances pages with page_token, is an open interval, and allows at most two years', async () => {
      const start = Date.parse('2032-01-01T02:00:00Z') / 1000;
      const series = await createSeries('Daily', start, 3600, 'FREQ=DAILY');
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const res = await c.calendar.v4.calendarEvent.instances({
          path: { calendar_id: 'primary', event_id: series.event_id },
          params: { start_time: String(start + 3600), end_time: String(start + 25 * DAY), page_size: 10, ...(pageToken ? { page_token: pageToken } : {}) },
        }, as());
        seen.push(...res.data!.items!.map((i) => i.start_time!.timestamp!));
        pageToken = res.data!.page_token;
        assert.equal(Boolean(res.data!.has_more), Boolean(pageToken));
      } while (pageToken);
      // (start+1h, start+25d): the first occurrence ends exactly at start_time, so it is out; the 26th starts at end.
      assert.equal(seen.length, 24);
      assert.equal(seen[0], String(start + DAY));
      const tooWide = await feishuFailure(c.calendar.v4.calendarEvent.instances({
        path: { calendar_id: 'primary', event_id: series.event_id }, params: { start_time: String(start), end_time: String(start + 800 * DAY) },
      }, as()));
      assert.deepEqual([tooWide.status, tooWide.code], [400, 190002]);
    });

    test('instance_view: under 40 days (193103), at most 1000 instances (193104)', async () => {
      const t = await s.userToken('lisi');
      const start = Date.parse('2033-01-01T00:00:00Z') / 1000;
      const res = await c.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { summary: 'hourly', start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 600) }, recurrence: 'FREQ=HOURLY;COUNT=2000' },
      }, lark.withUserAccessToken(t));
      assert.equal(res.code, 0);
      // A second hourly series: 2 × 936 instances in 39 days.
      await c.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { summary: 'hourly 2', start_time: { timestamp: String(start + 1800) }, end_time: { timestamp: String(start + 2400) }, recurrence: 'FREQ=HOURLY;COUNT=2000' },
      }, lark.withUserAccessToken(t));
      const wide = await feishuFailure(c.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: { start_time: String(start), end_time: String(start + 40 * DAY) } }, lark.withUserAccessToken(t)));
      assert.deepEqual([wide.status, wide.code], [400, 193103]);
      const many = await feishuFailure(c.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: { start_time: String(start), end_time: String(start + 39 * DAY) } }, lark.withUserAccessToken(t)));
      assert.deepEqual([many.status, many.code], [400, 193104]);
      const ok = await c.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: { start_time: String(start), end_time: String(start + 10 * 3600) } }, lark.withUserAccessToken(t));
      assert.equal(ok.data!.items!.length, 20);
    });

    test('an all-day daily series expands by date', async () => {
      const res = await c.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { summary: 'all day', start_time: { date: '2034-05-01' }, end_time: { date: '2034-05-01' }, recurrence: 'FREQ=DAILY;COUNT=3' },
      }, as());
      const inst = await c.calendar.v4.calendarEvent.instances({
        path: { calendar_id: 'primary', event_id: res.data!.event!.event_id },
        params: { start_time: String(Date.parse('2034-04-30T00:00:00Z') / 1000), end_time: String(Date.parse('2034-06-01T00:00:00Z') / 1000) },
      }, as());
      assert.deepEqual(inst.data!.items!.map((i) => [i.start_time!.date, i.end_time!.date]), [['2034-05-01', '2034-05-01'], ['2034-05-02', '2034-05-02'], ['2034-05-03', '2034-05-03']]);
    });

    test('a rule that would spin is refused: MINUTELY, and HOURLY without a bound', async () => {
      for (const recurrence of ['FREQ=MINUTELY', 'FREQ=SECONDLY;COUNT=5', 'FREQ=HOURLY']) {
        const res = await feishuFailure(c.calendar.v4.calendarEvent.create({
          path: { calendar_id: 'primary' }, data: { start_time: { timestamp: '1900000000' }, end_time: { timestamp: '1900003600' }, recurrence },
        }, as()));
        assert.deepEqual([res.status, res.code], [400, 190002], recurrence);
        assert.match(res.msg, /recurrence/);
      }
    });

    test('events list with a time window sees a series\' occurrences', async () => {
      const start = Date.parse('2035-03-05T01:00:00Z') / 1000;
      const series = await createSeries('Window series', start, 1800, 'FREQ=DAILY');
      const res = await c.calendar.v4.calendarEvent.list({
        path: { calendar_id: 'primary' }, params: { start_time: String(start + 10 * DAY), end_time: String(start + 13 * DAY), page_size: 50 },
      }, as());
      const mine = res.data!.items!.filter((i) => i.event_id.startsWith(series.event_id.slice(0, 36)));
      assert.deepEqual(mine.map((i) => Number(i.start_time.timestamp)), [start + 10 * DAY, start + 11 * DAY, start + 12 * DAY]);
    });
  });
}
