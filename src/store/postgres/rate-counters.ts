import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { RateCounters, RateWindow } from '../../core/ports.js';
import type { Database } from '../schema/index.js';

/**
 * The rate counters in PostgreSQL (table `rate_counts`, migration 007), shared by every process on
 * the database. Each call is one autocommitted statement over its windows' rows.
 *
 * Row locks are taken in the order of the VALUES list, so every statement lists its rows sorted by
 * (key, window size): two requests sharing counters (an app's, a tenant's) lock them in the same
 * order and never deadlock.
 */
export function postgresRateCounters(db: Kysely<Database>): RateCounters {
  const sorted = (windows: readonly RateWindow[]) =>
    [...windows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.windowSeconds - b.windowSeconds));
  const id = (key: string, windowSeconds: number) => `${windowSeconds} ${key}`;

  return {
    async count(windows) {
      if (windows.length === 0) return [];
      // A window later than the row's starts the row over at 1. Otherwise the row counts one more only
      // while below the limit; a row left as it was is not returned. A process whose clock lags (its
      // window earlier than the row's) counts in the row's later window.
      const rows = sorted(windows).map((w) => sql`(${w.key}, ${w.windowSeconds}, ${w.startMs}, 1, ${w.max})`);
      const counted = await sql<{ key: string; window_seconds: number }>`
        insert into rate_counts as c (key, window_seconds, window_start, count, max_count)
        values ${sql.join(rows)}
        on conflict (key, window_seconds) do update
          set window_start = greatest(c.window_start, excluded.window_start),
              count = case when excluded.window_start > c.window_start then 1 else c.count + 1 end,
              max_count = excluded.max_count
          where excluded.window_start > c.window_start or c.count < excluded.max_count
        returning key, window_seconds`.execute(db);
      const got = new Set(counted.rows.map((r) => id(r.key, r.window_seconds)));
      return windows.map((w) => got.has(id(w.key, w.windowSeconds)));
    },

    async uncount(windows) {
      if (windows.length === 0) return;
      // An upsert rather than an UPDATE … FROM, for its lock order (see above). Only the same window
      // is taken back from; a row pruned meanwhile comes back at 0, harmlessly.
      const rows = sorted(windows).map((w) => sql`(${w.key}, ${w.windowSeconds}, ${w.startMs}, 0, ${w.max})`);
      await sql`
        insert into rate_counts as c (key, window_seconds, window_start, count, max_count)
        values ${sql.join(rows)}
        on conflict (key, window_seconds) do update
          set count = c.count - 1
          where c.window_start = excluded.window_start and c.count > 0`.execute(db);
    },

    async prune(endedBeforeMs) {
      // Rows some request holds right now are skipped, not waited for: they are in use, hence current.
      const result = await sql`
        delete from rate_counts where (key, window_seconds) in (
          select key, window_seconds from rate_counts
          where window_start + window_seconds * 1000 < ${endedBeforeMs}
          for update skip locked)`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}
