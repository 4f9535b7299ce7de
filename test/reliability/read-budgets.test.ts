/**
 * Read budgets (RELIABILITY.md, "Read budgets"): no stored rule, however dense, makes a read fail,
 * stall or grow memory without bound, and too-dense rules are refused when written.
 *
 * The dense rules are planted straight into the store, as rows an older rili accepted would be:
 * through the API they are now refused. Each request is timed and the process's heap and RSS are
 * read before and after; the budgets below are generous for a loaded 2-core machine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventRange } from '../../src/core/service/event-service.js';
import { dingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import { STORES } from '../helpers/stores.js';

/** Each answer within this many milliseconds… */
const ANSWER_MS = 2000;
/** …growing the heap by at most this many MB… */
const HEAP_GROWTH_MB = 200;
/** …and at most this many MB of JSON. */
const ANSWER_MB = 5;

const DAY = 86_400;
const list = (n: number, f: (i: number) => number = (i) => i) => Array.from({ length: n }, (_, i) => f(i)).join(',');
/** An occurrence every five minutes, all day (the hostile run's rule). */
const EVERY_5_MINUTES = `FREQ=DAILY;BYHOUR=${list(24)};BYMINUTE=${list(12, (i) => i * 5)}`;
/** An occurrence every minute. */
const EVERY_MINUTE = `FREQ=DAILY;BYHOUR=${list(24)};BYMINUTE=${list(60)}`;
/** One occurrence a year (Dec 31, 23:00), picked from 8784 candidates a year. */
const LAST_HOUR_OF_YEAR = `FREQ=YEARLY;BYYEARDAY=${list(366, (i) => i + 1)};BYHOUR=${list(24)};BYSETPOS=-1`;

interface Measured {
  status: number;
  body: any;
  ms: number;
  bytes: number;
  heapMB: number;
  rssMB: number;
}

const MB = 1024 * 1024;

for (const kind of STORES) {
  describe(`${kind}: read budgets`, () => {
    let f: DingtalkFixture;
    let feishuToken = '';
    const base = Date.parse('2030-06-03T00:00:00Z') / 1000;
    const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
    const dtIso = (epoch: number) => new Date((epoch + 8 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

    async function call(method: string, path: string, options: { body?: unknown; token?: string; dingtalk?: boolean } = {}): Promise<Measured> {
      (globalThis as { gc?: () => void }).gc?.();
      const heap0 = process.memoryUsage().heapUsed;
      const rss0 = process.memoryUsage().rss;
      const t0 = performance.now();
      const headers: Record<string, string> = options.body !== undefined ? { 'content-type': 'application/json' } : {};
      if (options.dingtalk) headers['x-acs-dingtalk-access-token'] = options.token ?? f.token;
      else headers.authorization = `Bearer ${options.token ?? feishuToken}`;
      const res = await fetch(`${f.s.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
      const text = await res.text();
      const ms = performance.now() - t0;
      const usage = process.memoryUsage();
      return { status: res.status, body: JSON.parse(text), ms, bytes: Buffer.byteLength(text), heapMB: (usage.heapUsed - heap0) / MB, rssMB: (usage.rss - rss0) / MB };
    }

    /** Asserts the request stayed within the named budgets, and prints what it measured. */
    function withinBudget(label: string, m: Measured): void {
      console.log(`[reliability] ${kind} ${label}: HTTP ${m.status}, ${m.ms.toFixed(0)} ms, ${(m.bytes / 1024).toFixed(1)} KB, heap ${m.heapMB >= 0 ? '+' : ''}${m.heapMB.toFixed(1)} MB, rss ${m.rssMB >= 0 ? '+' : ''}${m.rssMB.toFixed(1)} MB`);
      assert.ok(m.status < 500, `${label}: HTTP ${m.status} ${JSON.stringify(m.body).slice(0, 200)}`);
      assert.ok(m.ms < ANSWER_MS, `${label}: ${m.ms.toFixed(0)} ms, over the ${ANSWER_MS} ms budget`);
      assert.ok(m.heapMB < HEAP_GROWTH_MB, `${label}: heap grew ${m.heapMB.toFixed(0)} MB, over ${HEAP_GROWTH_MB} MB`);
      assert.ok(m.bytes < ANSWER_MB * MB, `${label}: ${(m.bytes / MB).toFixed(1)} MB answered, over ${ANSWER_MB} MB`);
    }

    /** Creates a plain daily series as `user` through Feishu, then rewrites its rule in the store, as an older rili would have stored it. */
    async function plantSeries(user: string, rule: string, start: number, minutes = 60, attendees: string[] = []): Promise<string> {
      const token = await f.s.userToken(user);
      const created = await call('POST', '/open-apis/calendar/v4/calendars/primary/events', {
        token, body: { summary: `dense ${user}`, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + minutes * 60) }, recurrence: 'FREQ=DAILY' },
      });
      assert.equal(created.body.code, 0, JSON.stringify(created.body));
      const eventId: string = created.body.data.event.event_id;
      if (attendees.length > 0) {
        const invited = await call('POST', `/open-apis/calendar/v4/calendars/primary/events/${eventId}/attendees?user_id_type=open_id`, {
          token, body: { attendees: attendees.map((a) => ({ type: 'user', user_id: a })) },
        });
        assert.equal(invited.body.code, 0, JSON.stringify(invited.body));
      }
      await f.s.server.ctx.store.transact(async (w) => {
        const row = (await w.events.event(eventId))!;
        const dense = { ...row, recurrence: rule };
        await w.events.putEvent(dense, eventRange(dense));
      });
      return eventId;
    }

    let yearlyId = '';
    before(async () => {
      f = await dingtalkFixture(kind);
      feishuToken = (await call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } })).body.tenant_access_token;
      // wangwu: 20 series with an occurrence every five minutes (the hostile run's calendar).
      for (let i = 0; i < 20; i++) await plantSeries('wangwu', EVERY_5_MINUTES, base + i * 60);
      // zhaoliu: one series with one occurrence a year, each picked from 8784 candidates.
      yearlyId = await plantSeries('zhaoliu', LAST_HOUR_OF_YEAR, base);
      // lisi invites zhangsan to a series with an occurrence every minute.
      await plantSeries('lisi', EVERY_MINUTE, base, 1, ['ou_zhangsan']);
    });
    after(() => f.close());

    test('Feishu freebusy/list of a calendar of 20 dense series: within budget, the window busy throughout', async () => {
      const m = await call('POST', '/open-apis/calendar/v4/freebusy/list?user_id_type=user_id', { body: { time_min: iso(base), time_max: iso(base + 90 * DAY), user_id: 'wangwu' } });
      withinBudget('freebusy/list, 20 series every 5 minutes, 90 days', m);
      assert.equal(m.body.code, 0);
      // Never free where the calendar is busy: the intervals cover the whole window from the first start.
      let covered = base;
      for (const b of m.body.data.freebusy_list as Array<{ start_time: string; end_time: string }>) {
        const start = Date.parse(b.start_time) / 1000;
        assert.ok(start <= covered, `a free gap at ${iso(covered)}`);
        covered = Math.max(covered, Date.parse(b.end_time) / 1000);
      }
      assert.ok(covered >= base + 90 * DAY, `busy only until ${iso(covered)}`);
    });

    test('Feishu freebusy/batch naming the dense user three times: answered once, within budget', async () => {
      const m = await call('POST', '/open-apis/calendar/v4/freebusy/batch?user_id_type=user_id', {
        body: { time_min: iso(base), time_max: iso(base + 90 * DAY), user_ids: ['wangwu', 'lisi', 'wangwu', 'zhangsan', 'wangwu'] },
      });
      withinBudget('freebusy/batch, the dense user 3 times of 5', m);
      assert.equal(m.body.code, 0);
      assert.deepEqual(m.body.data.freebusy_lists.map((l: { user_id: string }) => l.user_id), ['wangwu', 'lisi', 'zhangsan']);
    });

    test('DingTalk GetSchedule naming the dense user twice, and 20 times: one entry each, within budget', async () => {
      const window = { startTime: dtIso(base), endTime: dtIso(base + 90 * DAY) };
      const twice = await call('POST', '/v1.0/calendar/users/on_zhangsan/querySchedule', { dingtalk: true, body: { ...window, userIds: ['on_wangwu', 'on_wangwu'] } });
      withinBudget('GetSchedule, the dense user twice', twice);
      assert.deepEqual(twice.body.scheduleInformation.map((u: { userId: string }) => u.userId), ['on_wangwu']);
      assert.ok(twice.body.scheduleInformation[0].scheduleItems.length > 0);
      const ids = [...Array.from({ length: 14 }, () => 'on_wangwu'), 'on_lisi', 'on_zhangsan', 'on_zhaoliu', 'on_sunqi', 'on_zhouba', 'on_hank'];
      const twenty = await call('POST', '/v1.0/calendar/users/on_zhangsan/querySchedule', { dingtalk: true, body: { ...window, userIds: ids } });
      withinBudget('GetSchedule, 20 ids (the dense user 14 times)', twenty);
      assert.deepEqual(twenty.body.scheduleInformation.map((u: { userId: string }) => u.userId), [...new Set(ids)]);
    });

    test('DingTalk ListInstances and Feishu instances of the BYSETPOS series: short pages within budget that page on', async () => {
      let token: string | undefined;
      const starts: string[] = [];
      for (let page = 0; page < 3; page++) {
        const m = await call('GET', `/v1.0/calendar/users/on_zhaoliu/calendars/primary/events/${yearlyId}/instances?maxResults=5${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`, { dingtalk: true });
        withinBudget(`ListInstances page ${page + 1}, one occurrence a year from 8784 candidates`, m);
        assert.equal(m.status, 200, JSON.stringify(m.body));
        starts.push(...m.body.events.map((e: { start: { dateTime: string } }) => e.start.dateTime));
        token = m.body.nextToken;
        assert.ok(token, 'the series has no end: a next page');
      }
      // The series' own start, then 23:00 on each Dec 31 in its zone (Asia/Shanghai), none skipped.
      assert.equal(starts[0], '2030-06-03T08:00:00+08:00');
      assert.deepEqual(starts.slice(1, 4), ['2030-12-31T23:00:00+08:00', '2031-12-31T23:00:00+08:00', '2032-12-31T23:00:00+08:00']);
      assert.deepEqual(starts.slice(1).map((s) => Number(s.slice(0, 4))), starts.slice(1).map((_, i) => 2030 + i));
      const feishu = await call('GET', `/open-apis/calendar/v4/calendars/primary/events/${yearlyId}/instances?start_time=${base}&end_time=${base + 2 * 366 * DAY}`, { token: await f.s.userToken('zhaoliu') });
      withinBudget('Feishu instances, two years of the BYSETPOS series', feishu);
      assert.equal(feishu.body.code, 0, JSON.stringify(feishu.body));
    });

    test('Feishu instance_view: the BYSETPOS series answers; the every-minute series answers 193104, never 500', async () => {
      const yearEnd = Date.parse('2030-12-20T00:00:00Z') / 1000;
      const yearly = await call('GET', `/open-apis/calendar/v4/calendars/primary/events/instance_view?start_time=${yearEnd}&end_time=${yearEnd + 39 * DAY}`, { token: await f.s.userToken('zhaoliu') });
      withinBudget('instance_view, the BYSETPOS series over 39 days', yearly);
      assert.equal(yearly.body.code, 0, JSON.stringify(yearly.body));
      assert.deepEqual(yearly.body.data.items.map((e: { start_time: { timestamp: string } }) => Number(e.start_time.timestamp)), [Date.parse('2030-12-31T15:00:00Z') / 1000]);
      const dense = await call('GET', `/open-apis/calendar/v4/calendars/primary/events/instance_view?start_time=${base}&end_time=${base + 39 * DAY}`, { token: await f.s.userToken('zhangsan') });
      withinBudget('instance_view, the invitee of the every-minute series', dense);
      assert.deepEqual([dense.status, dense.body.code], [400, 193104]);
    });

    test('the invitee of an every-minute series: freebusy/list and GetSchedule answer, busy throughout', async () => {
      const fb = await call('POST', '/open-apis/calendar/v4/freebusy/list?user_id_type=user_id', { body: { time_min: iso(base), time_max: iso(base + 30 * DAY), user_id: 'zhangsan' } });
      withinBudget('freebusy/list, invitee of an every-minute series', fb);
      assert.equal(fb.body.code, 0, JSON.stringify(fb.body));
      assert.ok(fb.body.data.freebusy_list.length > 0);
      const schedule = await call('POST', '/v1.0/calendar/users/on_lisi/querySchedule', { dingtalk: true, body: { userIds: ['on_zhangsan'], startTime: dtIso(base), endTime: dtIso(base + 30 * DAY) } });
      withinBudget('GetSchedule, invitee of an every-minute series', schedule);
      assert.equal(schedule.status, 200, JSON.stringify(schedule.body));
      const items = schedule.body.scheduleInformation[0].scheduleItems as Array<{ end: { dateTime: string } }>;
      assert.equal(Date.parse(items[items.length - 1].end.dateTime) / 1000, base + 30 * DAY, 'busy to the end of the window');
    });

    test('a stored dense series can still be edited (its rule is not re-checked) and deleted', async () => {
      const id = await plantSeries('zhouba', EVERY_MINUTE, base + 3600);
      const token = await f.s.userToken('zhouba');
      const patched = await call('PATCH', `/open-apis/calendar/v4/calendars/primary/events/${id}`, { token, body: { summary: 'renamed' } });
      withinBudget('PATCH of a stored every-minute series', patched);
      assert.equal(patched.body.code, 0, JSON.stringify(patched.body));
      const deleted = await call('DELETE', `/open-apis/calendar/v4/calendars/primary/events/${id}`, { token });
      withinBudget('DELETE of a stored every-minute series', deleted);
      assert.equal(deleted.body.code, 0, JSON.stringify(deleted.body));
    });

    test('GetSchedule over 300 years: paramIllegal, not 500', async () => {
      await plantSeries('sunqi', 'FREQ=DAILY', base);
      const m = await call('POST', '/v1.0/calendar/users/on_sunqi/querySchedule', { dingtalk: true, body: { userIds: ['on_sunqi'], startTime: dtIso(base), endTime: dtIso(base + 300 * 365 * DAY) } });
      withinBudget('GetSchedule over 300 years', m);
      assert.deepEqual([m.status, m.body.code], [400, 'paramIllegal']);
      assert.match(m.body.message, /90 days/);
    });

    test('a too-dense rule is refused when written: Feishu create and patch answer 190002 naming recurrence', async () => {
      const token = await f.s.userToken('zhouba');
      for (const rule of [EVERY_5_MINUTES, EVERY_MINUTE, LAST_HOUR_OF_YEAR, `FREQ=DAILY;BYHOUR=${list(24)}`, 'FREQ=HOURLY;UNTIL=20400101T000000Z']) {
        const created = await call('POST', '/open-apis/calendar/v4/calendars/primary/events', {
          token, body: { summary: 'too dense', start_time: { timestamp: String(base) }, end_time: { timestamp: String(base + 600) }, recurrence: rule },
        });
        assert.deepEqual([created.status, created.body.code], [400, 190002], rule);
        assert.match(created.body.msg, /recurrence/);
      }
      // Rules within the bound are accepted: every two hours for ten years, 18 times a day, BYSETPOS over a year of days.
      for (const rule of ['FREQ=HOURLY;INTERVAL=2;UNTIL=20400101T000000Z', `FREQ=DAILY;BYHOUR=${list(18)}`, `FREQ=YEARLY;BYYEARDAY=${list(366, (i) => i + 1)};BYSETPOS=-1`]) {
        const created = await call('POST', '/open-apis/calendar/v4/calendars/primary/events', {
          token, body: { summary: 'dense enough', start_time: { timestamp: String(base) }, end_time: { timestamp: String(base + 600) }, recurrence: rule },
        });
        assert.equal(created.body.code, 0, `${rule}: ${JSON.stringify(created.body)}`);
      }
      const plain = await call('POST', '/open-apis/calendar/v4/calendars/primary/events', {
        token, body: { summary: 'plain', start_time: { timestamp: String(base) }, end_time: { timestamp: String(base + 600) }, recurrence: 'FREQ=WEEKLY' },
      });
      const patched = await call('PATCH', `/open-apis/calendar/v4/calendars/primary/events/${plain.body.data.event.event_id}`, { token, body: { recurrence: EVERY_5_MINUTES } });
      assert.deepEqual([patched.status, patched.body.code], [400, 190002]);
      assert.match(patched.body.msg, /recurrence/);
    });
  });
}
