// Property: every windowed read (Feishu instance_view, list with a window, free/busy, instances;
// DingTalk ListEventsView and ListInstances, paged) answers exactly what a brute-force expansion of
// the calendar's events says: random mixes of single events, series, exceptions (moved or changed)
// and cancellations, the calendar's own and those it is invited to, with many equal start times.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import fc from 'fast-check';
import type { Actor } from '../../src/core/types.js';
import { STORES } from '../helpers/stores.js';
import { $Calendar, dingtalkFixture } from './dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from './dingtalk/calendar/fixtures.js';

const $Util = createRequire(import.meta.url)('@alicloud/tea-util') as { RuntimeOptions: new (m: object) => unknown };
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
/** 2031-03-03T00:00:00Z: windows fall around it. */
const BASE = 1_930_262_400;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const isoShanghai = (t: number) => new Date((t + 8 * HOUR) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** What happens to occurrence `index` of a series. */
type Change = { readonly index: number; readonly action: 'cancel' } | { readonly index: number; readonly action: 'move'; readonly by: number } | { readonly index: number; readonly action: 'rename' };

interface EventSpec {
  /** Minutes from BASE, on a coarse grid so that many events share a start. */
  readonly start: number;
  readonly duration: number;
  readonly invited: boolean;
  /** Present for a series: every `interval` days, `count` times or for ever. */
  readonly series?: { readonly interval: number; readonly count?: number; readonly changes: readonly Change[] };
  readonly deleted: boolean;
}

const durations = [0, 30 * MINUTE, HOUR, DAY, 9 * DAY];
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ index: fc.nat(12), action: fc.constant('cancel' as const) }),
  // Often by whole days: onto another occurrence's start, which then shares it.
  fc.record({ index: fc.nat(12), action: fc.constant('move' as const), by: fc.oneof(fc.integer({ min: -3 * 48, max: 3 * 48 }).map((n) => n * 1800), fc.integer({ min: -3, max: 3 }).map((n) => n * DAY)) }),
  fc.record({ index: fc.nat(12), action: fc.constant('rename' as const) }),
);
const eventSpec: fc.Arbitrary<EventSpec> = fc.record({
  start: fc.integer({ min: -40 * 48, max: 45 * 48 }).map((n) => n * 30),
  duration: fc.constantFrom(...durations),
  invited: fc.boolean(),
  series: fc.option(fc.record({
    interval: fc.integer({ min: 1, max: 20 }),
    count: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    changes: fc.array(change, { maxLength: 4 }),
  }), { nil: undefined, freq: 2 }),
  deleted: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
});
const scenario = fc.record({
  events: fc.array(eventSpec, { minLength: 0, maxLength: 60 }),
  /** Series begun long before the window with no occurrence near it: rows that start early and show nothing. */
  crowd: fc.oneof(fc.constant(0), fc.integer({ min: 45, max: 70 })),
  /** Window: minutes from BASE, and its length in half hours (up to 39 days). */
  from: fc.integer({ min: -10 * 48, max: 10 * 48 }).map((n) => BASE + n * 1800),
  length: fc.oneof(fc.integer({ min: 1, max: 96 }), fc.integer({ min: 96, max: 39 * 48 })).map((n) => n * 1800),
  maxResults: fc.integer({ min: 1, max: 9 }),
});

/** An occurrence as the brute force has it. */
interface Expected { readonly id: string; readonly start: number; readonly end: number; readonly uid: string }

const meets = (s: number, e: number, from: number, to: number) => s < to && (e > from || (e === s && s >= from));
const byKey = (a: Expected, b: Expected) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

for (const kind of STORES) {
  describe(`${kind}: windowed reads equal a brute-force expansion (property)`, () => {
    let f: DingtalkFixture;
    let feishu: lark.Client;
    let token: string;
    let owner: Actor;
    let organizer: Actor;
    let ownerId = '';
    let organizerCalendar = '';
    const runtime = new $Util.RuntimeOptions({ readTimeout: 120_000, connectTimeout: 120_000 });

    before(async () => {
      f = await dingtalkFixture(kind);
      feishu = f.s.lark();
      token = await f.s.userToken('zhangsan');
      const store = f.s.server.ctx.store;
      ownerId = (await store.read((r) => r.directory.userByAnyId('acme', 'zhangsan')))!.id;
      const lisi = (await store.read((r) => r.directory.userByAnyId('acme', 'lisi')))!.id;
      owner = { kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: ownerId };
      organizer = { kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: lisi };
      organizerCalendar = (await store.read((r) => r.calendars.primaryCalendar(`u:${lisi}`)))!.calendarId;
    });
    after(() => f.close());

    /** Writes a scenario through the services; returns what the brute force expects and what to delete afterwards. */
    async function build(events: readonly EventSpec[], crowd: number): Promise<{ expected: Expected[]; made: Array<{ actor: Actor; eventId: string }>; series: string[] }> {
      const ctx = f.s.server.ctx;
      const expected: Expected[] = [];
      const made: Array<{ actor: Actor; eventId: string }> = [];
      const series: string[] = [];
      for (let j = 0; j < crowd; j++) {
        const start = BASE - 90 * DAY + j * 1800;
        const created = await ctx.events.create(owner, 'primary', { summary: `crowd ${j}`, start: { kind: 'timed', epoch: start, timeZone: 'UTC' }, end: { kind: 'timed', epoch: start + HOUR, timeZone: 'UTC' }, recurrence: 'FREQ=DAILY;INTERVAL=400' });
        made.push({ actor: owner, eventId: `${created.event.uid}_0` });
      }
      for (const [i, spec] of events.entries()) {
        const actor = spec.invited ? organizer : owner;
        const calendar = spec.invited ? organizerCalendar : 'primary';
        const start = BASE + spec.start * MINUTE;
        const time = (t: number) => ({ kind: 'timed' as const, epoch: t, timeZone: 'UTC' });
        const rule = spec.series ? `FREQ=DAILY;INTERVAL=${spec.series.interval}${spec.series.count ? `;COUNT=${spec.series.count}` : ''}` : undefined;
        const created = await ctx.events.create(actor, calendar, { summary: `e${i}`, start: time(start), end: time(start + spec.duration), ...(rule ? { recurrence: rule } : {}) });
        const uid = created.event.uid;
        const id = `${uid}_0`;
        made.push({ actor, eventId: id });
        if (spec.invited) await ctx.attendees.add(actor, calendar, id, [{ type: 'user', userId: ownerId }]);
        if (!spec.series) {
          if (spec.deleted) await ctx.events.delete(actor, calendar, id);
          else expected.push({ id, start, end: start + spec.duration, uid });
          continue;
        }
        series.push(id);
        const { interval, count, changes } = spec.series;
        // Occurrences far enough to cover every window (the window ends at most 50 days after BASE).
        const last = count ?? Math.ceil((100 * DAY) / (interval * DAY)) + 1;
        const occurrences = new Map<number, Expected>();
        for (let k = 0; k < last; k++) {
          const s = start + k * interval * DAY;
          if (s > BASE + 100 * DAY) break;
          occurrences.set(s, { id: `${uid}_${s}`, start: s, end: s + spec.duration, uid });
        }
        for (const c of changes) {
          const original = start + c.index * interval * DAY;
          const current = occurrences.get(original);
          if (!current || c.index >= last) continue;
          const occurrenceId = `${uid}_${original}`;
          if (c.action === 'cancel') {
            await ctx.events.delete(actor, calendar, occurrenceId);
            occurrences.delete(original);
          } else if (c.action === 'move') {
            const moved = current.start + c.by;
            await ctx.events.patch(actor, calendar, occurrenceId, { start: time(moved), end: time(moved + spec.duration) });
            occurrences.set(original, { ...current, start: moved, end: moved + spec.duration });
          } else {
            await ctx.events.patch(actor, calendar, occurrenceId, { summary: `e${i} renamed` });
          }
        }
        if (spec.deleted) await ctx.events.delete(actor, calendar, id);
        else expected.push(...occurrences.values());
      }
      return { expected, made, series };
    }

    async function dingtalkPages(path: 'view' | 'instances', query: object, eventId?: string): Promise<string[]> {
      const seen: string[] = [];
      let nextToken: string | undefined;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 500, 'paging ends');
        const q = { ...query, ...(nextToken ? { nextToken } : {}) };
        const res = path === 'view'
          ? await (f.client).listEventsViewWithOptions('on_zhangsan', 'primary', new $Calendar.ListEventsViewRequest(q), f.headers('ListEventsView'), runtime)
          : await (f.client).listInstancesWithOptions('on_zhangsan', 'primary', eventId, new $Calendar.ListInstancesRequest(q), f.headers('ListInstances'), runtime);
        const body = JSON.parse(JSON.stringify(res.body));
        seen.push(...body.events.map((e: any) => e.id));
        nextToken = body.nextToken;
        if (!nextToken) return seen;
      }
    }

    test('instance_view, list, free/busy, ListEventsView and instances of one series answer the brute force', async () => {
      await fc.assert(fc.asyncProperty(scenario, async ({ events, crowd, from, length, maxResults }) => {
        const to = from + length;
        const { expected: all, made, series } = await build(events, crowd);
        try {
          const expected = all.filter((o) => meets(o.start, o.end, from, to)).sort(byKey);
          const ids = expected.map((o) => o.id);
          const as = lark.withUserAccessToken(token);

          const view = await feishu.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: 'primary' }, params: { start_time: String(from), end_time: String(to) } }, as);
          assert.equal(view.code, 0);
          assert.deepEqual((view.data!.items ?? []).map((e) => e.event_id), ids, 'instance_view');
          assert.deepEqual((view.data!.items ?? []).map((e) => Number(e.start_time!.timestamp)), expected.map((o) => o.start), 'instance_view starts');

          const list = await feishu.calendar.v4.calendarEvent.list({ path: { calendar_id: 'primary' }, params: { start_time: String(from), end_time: String(to), page_size: 50 } }, as);
          assert.deepEqual((list.data!.items ?? []).map((e) => e.event_id), ids.slice(0, 50), 'list with a window, page_size 50');

          assert.deepEqual(await dingtalkPages('view', { timeMin: isoShanghai(from), timeMax: isoShanghai(to), maxResults }), ids, `ListEventsView, maxResults ${maxResults}`);

          const busy = await feishu.calendar.v4.freebusy.list({ params: { user_id_type: 'user_id' }, data: { time_min: iso(from), time_max: iso(to), user_id: 'zhangsan' } });
          assert.deepEqual((busy.data!.freebusy_list ?? []).map((b) => [Date.parse(b.start_time) / 1000, Date.parse(b.end_time) / 1000]),
            expected.map((o) => [o.start, o.end]).sort((a, b) => a[0] - b[0] || a[1] - b[1]), 'free/busy');

          // One series' occurrences, paged by both dialects.
          const one = series.find((id) => all.some((o) => o.uid === id.slice(0, 36)));
          if (one) {
            const mine = expected.filter((o) => o.uid === one.slice(0, 36)).map((o) => o.id);
            const feishuSeen: string[] = [];
            let pageToken: string | undefined;
            do {
              const page = await feishu.calendar.v4.calendarEvent.instances({ path: { calendar_id: 'primary', event_id: one }, params: { start_time: String(from), end_time: String(to), page_size: 10, ...(pageToken ? { page_token: pageToken } : {}) } }, as);
              assert.equal(page.code, 0);
              feishuSeen.push(...(page.data!.items ?? []).map((e) => e.event_id));
              pageToken = page.data!.has_more ? page.data!.page_token : undefined;
            } while (pageToken);
            assert.deepEqual(feishuSeen, mine, 'Feishu instances');
            assert.deepEqual(await dingtalkPages('instances', { timeMin: isoShanghai(from), timeMax: isoShanghai(to), maxResults }, one), mine, 'DingTalk ListInstances');
          }
        } finally {
          for (const { actor, eventId } of made) {
            await f.s.server.ctx.events.delete(actor, actor === owner ? 'primary' : organizerCalendar, eventId).catch(() => {});
          }
        }
      }), { numRuns: Number(process.env.RILI_PROPERTY_RUNS ?? 25), seed: process.env.RILI_PROPERTY_SEED ? Number(process.env.RILI_PROPERTY_SEED) : undefined, endOnFailure: true, reporter: (out) => { if (out.failed) throw new Error(fc.defaultReportMessage(out) + "\n" + String((out.errorInstance as Error)?.stack ?? out.errorInstance)); } });
    });
  });
}
