// Windowed reads of a calendar holding 2,000 yearly series and 10,000 single events (issue R, finding 4).
// Usage: node --import tsx bench/window-read.ts [--db postgres://...?schema=...] [--runs 20]
// rili is built in this process (no HTTP socket: fastify's inject), so the figures are the server's
// own work per request: store reads, expansion, views and the JSON answer.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { CalendarEvent } from '../src/core/events/types.js';
import { eventRange } from '../src/core/service/event-service.js';
import { seedFromJson } from '../src/seed.js';
import { buildServer } from '../src/server.js';
import { eventRow } from '../src/store/event-store.js';
import { BENCH_SEED } from './lib/rili-process.js';

const { values } = parseArgs({ options: { db: { type: 'string', default: ':memory:' }, runs: { type: 'string', default: '20' }, series: { type: 'string', default: '2000' }, singles: { type: 'string', default: '10000' } } });
const runs = Number(values.runs);
const DAY = 86_400;
const YEAR = 365 * DAY;
const BASE = Date.parse('2026-01-01T00:00:00Z') / 1000;
/** 39.9 days from day 200 of 2027: the series that start in the first half of their year meet no part of it. */
const FROM = BASE + YEAR + 200 * DAY;
const TO = FROM + Math.round(39.9 * DAY);

const server = await buildServer({ db: values.db, secret: 'bench', logLevel: 'silent', rateLimit: 'off' });
try {
  await server.ctx.directory.applySeed(seedFromJson(BENCH_SEED));
  const store = server.ctx.store;
  const user = await store.read((r) => r.directory.userByAnyId('bench', 'u1'));
  const calendar = (await store.read((r) => r.calendars.primaryCalendar(`u:${user!.id}`)))!;
  const event = (i: number, start: number, recurrence: string): CalendarEvent => ({
    uid: randomUUID(), originalStart: 0, calendarId: calendar.calendarId, tenantKey: 'bench', creator: `u:${user!.id}`,
    summary: `event ${i}`, description: '', start: { kind: 'timed', epoch: start, timeZone: 'UTC' }, end: { kind: 'timed', epoch: start + 3600, timeZone: 'UTC' },
    vchat: null, visibility: 'default', attendeeAbility: 'none', freeBusyStatus: 'busy', location: null, recurrence, schemas: [], attachments: [],
    checkIn: null, source: '', status: 'confirmed', recurringEventId: '', color: -1, reminders: [], createTime: BASE, updateTime: BASE, seq: i + 1,
    idempotencyKey: null, extensions: {},
  });
  const seriesCount = Number(values.series);
  const singles = Number(values.singles);
  const all: CalendarEvent[] = [];
  for (let i = 0; i < seriesCount; i++) all.push(event(i, BASE + Math.floor((i * YEAR) / seriesCount), 'FREQ=YEARLY'));
  // Single events over two years: about 550 of them in the window.
  for (let i = 0; i < singles; i++) all.push(event(seriesCount + i, BASE + Math.floor((i * 2 * YEAR) / singles) + 1800, ''));
  for (let i = 0; i < all.length; i += 500) {
    await store.db.insertInto('events').values(all.slice(i, i + 500).map((e) => eventRow(e, eventRange(e)))).execute();
  }
  await store.db.updateTable('change_seq').set({ value: sql<number>`value + ${all.length + 10}` }).where('id', '=', 1).execute();
  if (store.kind === 'postgres') await sql`analyze`.execute(store.db);

  const feishuToken = ((await server.app.inject({ method: 'POST', url: '/rili/v1/user-tokens', payload: { app: 'cli_bench', user: 'u1' } })).json<{ access_token: string }>()).access_token;
  const dingToken = ((await server.app.inject({ method: 'POST', url: '/v1.0/oauth2/accessToken', payload: { appKey: 'dingbench', appSecret: 'bench' } })).json<{ accessToken: string }>()).accessToken;
  const feishu = { authorization: `Bearer ${feishuToken}` };
  const ding = { 'x-acs-dingtalk-access-token': dingToken };
  const iso = (t: number) => new Date(t * 1000).toISOString();

  // The parts of the answers counted below; a missing list counts as -1 (visible in the output).
  interface Answer {
    data?: { items?: unknown[]; freebusy_list?: unknown[] };
    events?: unknown[];
    nextToken?: string;
  }
  const get = async (url: string, headers: Record<string, string>) =>
    (await server.app.inject({ method: 'GET', url, headers })).json<Answer>();
  const post = async (url: string, headers: Record<string, string>, payload: object) =>
    (await server.app.inject({ method: 'POST', url, headers, payload })).json<Answer>();
  const requests: Record<string, () => Promise<number>> = {
    'feishu instance_view': async () => (await get(`/open-apis/calendar/v4/calendars/primary/events/instance_view?start_time=${FROM}&end_time=${TO}`, feishu)).data?.items?.length ?? -1,
    'feishu list window (page_size 1000)': async () => (await get(`/open-apis/calendar/v4/calendars/primary/events?start_time=${FROM}&end_time=${TO}&page_size=1000`, feishu)).data?.items?.length ?? -1,
    'feishu list window (page_size 50)': async () => (await get(`/open-apis/calendar/v4/calendars/primary/events?start_time=${FROM}&end_time=${TO}&page_size=50`, feishu)).data?.items?.length ?? -1,
    'dingtalk ListEventsView (all pages of 100)': async () => {
      let count = 0;
      let token: string | undefined;
      do {
        const page = await get(`/v1.0/calendar/users/on_u1/calendars/primary/eventsview?timeMin=${iso(FROM)}&timeMax=${iso(TO)}&maxResults=100${token ? `&nextToken=${token}` : ''}`, ding);
        count += page.events?.length ?? 0;
        token = page.nextToken;
      } while (token);
      return count;
    },
    'dingtalk ListEventsView (first page of 100)': async () => (await get(`/v1.0/calendar/users/on_u1/calendars/primary/eventsview?timeMin=${iso(FROM)}&timeMax=${iso(TO)}&maxResults=100`, ding)).events?.length ?? -1,
    'feishu freebusy': async () => (await post('/open-apis/calendar/v4/freebusy/list?user_id_type=user_id', feishu, { time_min: iso(FROM), time_max: iso(TO), user_id: 'u1' })).data?.freebusy_list?.length ?? -1,
  };
  const out: Record<string, { items: number; p50: number; p90: number; min: number }> = {};
  for (const [name, run] of Object.entries(requests)) {
    const items = await run();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    out[name] = { items, p50: +times[Math.floor(runs / 2)].toFixed(1), p90: +times[Math.floor(runs * 0.9)].toFixed(1), min: +times[0].toFixed(1) };
  }
  console.log(JSON.stringify({ store: values.db.startsWith('postgres') ? 'postgres' : 'sqlite', series: seriesCount, singles, window: [FROM, TO], results: out }, null, 2));
} finally {
  await server.close();
}
