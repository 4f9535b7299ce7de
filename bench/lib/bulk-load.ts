import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { tokenSigner } from '../../src/auth/tokens.js';
import { buildContext, randomIds, systemClock } from '../../src/context.js';
import type { CalendarEvent } from '../../src/core/events/types.js';
import { eventRange } from '../../src/core/service/event-service.js';
import { seedFromJson } from '../../src/seed.js';
import { eventRow } from '../../src/store/event-store.js';
import { openStore } from '../../src/store/open-store.js';

const TEN_YEARS = 10 * 365 * 86_400;
const BASE = Date.parse('2020-01-01T00:00:00Z') / 1000;
const WORDS = ['周会', 'Standup', '评审', 'Planning', '复盘', 'Sync', '面试', 'Retro', '培训', 'Demo'];
/** What the search benchmark asks for: one word in ten summaries (with the calendar of bench/scale.ts). */
export const SEARCH_QUERY = '周会';

/** Event i of n spread over ten years from 2020; one in a thousand is a weekly series of 52. */
function makeEvent(i: number, n: number, calendarId: string, owner: string, tenantKey: string): CalendarEvent {
  const start = BASE + Math.floor((i * TEN_YEARS) / n) + (i % 7) * 600;
  const recurring = i % 1000 === 999;
  return {
    uid: randomUUID(), originalStart: 0, calendarId, tenantKey, creator: owner,
    summary: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} #${i}`, description: 'Benchmark event with a description of ordinary length.',
    start: { kind: 'timed', epoch: start, timeZone: 'Asia/Shanghai' }, end: { kind: 'timed', epoch: start + 1800 + (i % 4) * 900, timeZone: 'Asia/Shanghai' },
    vchat: null, visibility: 'default', attendeeAbility: 'none', freeBusyStatus: 'busy', location: null,
    recurrence: recurring ? 'FREQ=WEEKLY;COUNT=52' : '', schemas: [], attachments: [], checkIn: null, source: '', status: 'confirmed',
    recurringEventId: '', color: -1, reminders: [], createTime: start - 86_400, updateTime: start - 86_400, seq: i + 1000, idempotencyKey: null, extensions: {},
  };
}

/**
 * Applies the seed and writes `n` events straight into the primary calendar of `user` (through the
 * store's own row mapping, `eventRow`): a 100k-event calendar through the API would take minutes.
 */
export async function bulkLoad(location: string, seedJson: unknown, tenantKey: string, user: string, n: number): Promise<{ seconds: number }> {
  const store = await openStore(location);
  try {
    const ctx = buildContext({ store, clock: systemClock, ids: randomIds, tokens: tokenSigner('bench') });
    await ctx.directory.applySeed(seedFromJson(seedJson));
    const u = await store.read((r) => r.directory.userByAnyId(tenantKey, user));
    const calendar = await store.read((r) => r.calendars.primaryCalendar(`u:${u!.id}`));
    const started = Date.now();
    const batch = 500;
    for (let i = 0; i < n; i += batch) {
      const rows = [];
      for (let j = i; j < Math.min(n, i + batch); j++) {
        const e = makeEvent(j, n, calendar!.calendarId, `u:${u!.id}`, tenantKey);
        rows.push(eventRow(e, eventRange(e)));
      }
      await store.db.insertInto('events').values(rows).execute();
    }
    // The change sequence must stay ahead of every row's seq.
    await store.db.updateTable('change_seq').set({ value: sql<number>`value + ${n + 1000}` }).where('id', '=', 1).execute();
    // Fresh planner statistics, as autovacuum would gather them on a live PostgreSQL database (rili
    // never runs ANALYZE on SQLite, so neither does the benchmark).
    if (store.kind === 'postgres') await sql`analyze`.execute(store.db);
    return { seconds: (Date.now() - started) / 1000 };
  } finally {
    await store.close();
  }
}
