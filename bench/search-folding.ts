// The cost of case-insensitive search on one calendar: a search over every event of it (N events in
// the window; a query found nowhere makes the database read them all), store-level (no HTTP).
// Usage: node --import tsx bench/search-folding.ts [--store sqlite|postgres] [--events 20000] [--runs 100]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
import { BENCH_SEED } from './lib/rili-process.js';

const { values } = parseArgs({ options: {
  store: { type: 'string', default: 'sqlite' },
  events: { type: 'string', default: '20000' },
  runs: { type: 'string', default: '100' },
  pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
} });
const n = Number(values.events);
const runs = Number(values.runs);
const YEAR = 365 * 86_400;
const BASE = Date.parse('2026-01-01T00:00:00Z') / 1000;
const WORDS = ['周会', 'Standup', 'Übergabe ÄÖÜ', 'Встреча команды', 'Σύσκεψη ΟΜΑΔΑΣ', 'Planning', '面试', 'Retro'];

function makeEvent(i: number, calendarId: string, owner: string): CalendarEvent {
  const start = BASE + Math.floor((i * YEAR) / n);
  return {
    uid: randomUUID(), originalStart: 0, calendarId, tenantKey: 'bench', creator: owner,
    summary: `${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} #${i}`, description: '',
    start: { kind: 'timed', epoch: start, timeZone: 'Asia/Shanghai' }, end: { kind: 'timed', epoch: start + 1800, timeZone: 'Asia/Shanghai' },
    vchat: null, visibility: 'default', attendeeAbility: 'none', freeBusyStatus: 'busy', location: null,
    recurrence: '', schemas: [], attachments: [], checkIn: null, source: '', status: 'confirmed',
    recurringEventId: '', color: -1, reminders: [], createTime: start, updateTime: start, seq: i + 1000, idempotencyKey: null, extensions: {},
  };
}

const dir = mkdtempSync(join(tmpdir(), 'rili-fold-'));
const schema = `bench_fold_${randomUUID().slice(0, 8)}`;
const location = values.store === 'sqlite' ? join(dir, 'rili.db') : `${values.pg}?schema=${schema}`;
const store = await openStore(location);
try {
  const ctx = buildContext({ store, clock: systemClock, ids: randomIds, tokens: tokenSigner('bench') });
  await ctx.directory.applySeed(seedFromJson(BENCH_SEED));
  const user = await store.read((r) => r.directory.userByAnyId('bench', 'u1'));
  const calendar = (await store.read((r) => r.calendars.primaryCalendar(`u:${user!.id}`)))!;
  for (let i = 0; i < n; i += 500) {
    const rows = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const e = makeEvent(j, calendar.calendarId, `u:${user!.id}`);
      rows.push(eventRow(e, eventRange(e)));
    }
    await store.db.insertInto('events').values(rows).execute();
  }
  const results: Record<string, unknown> = {};
  for (const query of ['nowhere to be found', 'ВСТРЕЧА', 'standup', '周会']) {
    let hits = 0;
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      hits = (await store.read((r) => r.events.searchEvents(calendar.calendarId, { from: BASE - 86_400, to: BASE + YEAR + 86_400, limit: 50, query }))).length;
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    results[query] = { hits, medianMs: +ms[Math.floor(runs / 2)].toFixed(2), p95Ms: +ms[Math.floor(runs * 0.95)].toFixed(2) };
  }
  console.log(JSON.stringify({ store: values.store, events: n, runs, results }));
} finally {
  if (store.kind === 'postgres') await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
