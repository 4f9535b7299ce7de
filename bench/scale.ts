// Search and list latency against one calendar holding 1k, 100k and 1M events.
// Usage: node --import tsx bench/scale.ts [--store sqlite|postgres] [--sizes 1000,100000,1000000] [--requests 200]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { tokenSigner } from '../src/auth/tokens.js';
import { buildContext, randomIds, systemClock } from '../src/context.js';
import type { CalendarEvent } from '../src/core/events/types.js';
import { eventRange } from '../src/core/service/event-service.js';
import { seedFromJson } from '../src/seed.js';
import { eventRow } from '../src/store/event-store.js';
import { openStore } from '../src/store/open-store.js';
import { machine, sequential } from './lib/drive.js';
import { BENCH_SEED, startRili, userToken } from './lib/rili-process.js';

const { values } = parseArgs({ options: {
  store: { type: 'string', default: 'sqlite' },
  sizes: { type: 'string', default: '1000,100000,1000000' },
  requests: { type: 'string', default: '200' },
  pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
} });
const requests = Number(values.requests);
const TEN_YEARS = 10 * 365 * 86_400;
const BASE = Date.parse('2020-01-01T00:00:00Z') / 1000;
const WORDS = ['周会', 'Standup', '评审', 'Planning', '复盘', 'Sync', '面试', 'Retro', '培训', 'Demo'];

function makeEvent(i: number, n: number, calendarId: string, owner: string): CalendarEvent {
  const start = BASE + Math.floor((i * TEN_YEARS) / n) + (i % 7) * 600;
  const recurring = i % 1000 === 999;
  return {
    uid: randomUUID(), originalStart: 0, calendarId, tenantKey: 'bench', creator: owner,
    summary: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} #${i}`, description: 'Benchmark event with a description of ordinary length.',
    start: { kind: 'timed', epoch: start, timeZone: 'Asia/Shanghai' }, end: { kind: 'timed', epoch: start + 1800 + (i % 4) * 900, timeZone: 'Asia/Shanghai' },
    vchat: null, visibility: 'default', attendeeAbility: 'none', freeBusyStatus: 'busy', location: null,
    recurrence: recurring ? 'FREQ=WEEKLY;COUNT=52' : '', schemas: [], attachments: [], checkIn: null, source: '', status: 'confirmed',
    recurringEventId: '', color: -1, reminders: [], createTime: start - 86_400, updateTime: start - 86_400, seq: i + 1000, idempotencyKey: null, extensions: {},
  };
}

async function load(location: string, n: number): Promise<void> {
  const store = await openStore(location);
  const ctx = buildContext({ store, clock: systemClock, ids: randomIds, tokens: tokenSigner('bench') });
  await ctx.directory.applySeed(seedFromJson(BENCH_SEED));
  const user = await store.read((r) => r.directory.userByAnyId('bench', 'u1'));
  const calendar = await store.read((r) => r.calendars.primaryCalendar(`u:${user!.id}`));
  const started = Date.now();
  const batch = 500;
  for (let i = 0; i < n; i += batch) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      const e = makeEvent(j, n, calendar!.calendarId, `u:${user!.id}`);
      rows.push(eventRow(e, eventRange(e)));
    }
    await store.db.insertInto('events').values(rows).execute();
  }
  await store.db.updateTable('change_seq').set({ value: n + 1000 }).where('id', '=', 1).execute();
  // Fresh planner statistics, as autovacuum would gather them on a live database.
  if (store.kind === 'postgres') await sql`analyze`.execute(store.db);
  process.stderr.write(`loaded ${n} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  await store.close();
}

async function databaseBytes(kind: string, location: string, schema: string): Promise<number> {
  if (kind === 'sqlite') {
    return ['', '-wal'].reduce((sum, suffix) => { try { return sum + statSync(location + suffix).size; } catch { return sum; } }, 0);
  }
  const store = await openStore(location);
  const r = await store.db.selectNoFrom((eb) => eb.fn<number>('pg_total_relation_size', [eb.val(`${schema}.events`)]).as('bytes')).executeTakeFirstOrThrow();
  await store.close();
  return Number(r.bytes);
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const results = [];
const kind = values.store;
for (const n of values.sizes.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'rili-scale-'));
  const schema = `bench_${n}_${randomUUID().slice(0, 8)}`;
  const location = kind === 'sqlite' ? join(dir, 'rili.db') : `${values.pg}?schema=${schema}`;
  await load(location, n);
  const rili = await startRili({ db: location, seed: BENCH_SEED, port: 18710 });
  try {
    const token = await userToken(rili.url, 'cli_bench', 'u1');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const monthFrom = Date.parse('2025-03-01T00:00:00Z') / 1000;
    const monthTo = Date.parse('2025-04-01T00:00:00Z') / 1000;
    const searchBody = JSON.stringify({ query: '周会', filter: { start_time: { timestamp: String(monthFrom) }, end_time: { timestamp: String(monthTo) } } });
    const base = `${rili.url}/open-apis/calendar/v4/calendars/primary/events`;
    let hits = 0;
    const search = await sequential(requests, async () => {
      const res = await fetch(`${base}/search?page_size=20`, { method: 'POST', headers, body: searchBody });
      const body = (await res.json()) as { code: number; data?: { items: unknown[] } };
      if (body.code !== 0) throw new Error(JSON.stringify(body));
      hits = body.data!.items.length;
    });
    const listPage = await sequential(requests, async () => {
      const res = await fetch(`${base}?page_size=50&anchor_time=${monthFrom}`, { headers });
      if (res.status !== 200) throw new Error(await res.text());
      await res.arrayBuffer();
    });
    const listWindow = await sequential(requests, async () => {
      const res = await fetch(`${base}?page_size=100&start_time=${monthFrom}&end_time=${monthFrom + 7 * 86_400}`, { headers });
      if (res.status !== 200) throw new Error(await res.text());
      await res.arrayBuffer();
    });
    const entry = {
      events: n, searchHitsPerPage: hits, search, listPage, listWindow,
      peakRssMiB: peakRssMiB(rili.child.pid!), dbBytes: await databaseBytes(kind, location, schema),
    };
    process.stderr.write(`${JSON.stringify(entry)}\n`);
    results.push(entry);
  } finally {
    await rili.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
const out = { benchmark: 'search and list at scale', store: kind, machine: await machine(), requestsPerPoint: requests, results };
console.log(JSON.stringify(out, null, 2));
writeFileSync(new URL(`./results/${out.machine.date}-scale-${kind}.json`, import.meta.url), JSON.stringify(out, null, 2) + '\n');
