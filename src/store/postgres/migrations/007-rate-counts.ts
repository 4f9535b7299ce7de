import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// The platforms' rate limits counted per deployment: every rili process on one PostgreSQL counts in
// this table (src/store/postgres/rate-counters.ts). One row per (key, window size), its window
// rolling forward in place. Unlogged: counts of the current second or minute are not worth a WAL
// write per request, and a PostgreSQL crash only resets them. SQLite counts per process: no table
// (sqlite/sqlite-database.ts keeps the name, as a step that does nothing).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unlogged table rate_counts (
      key text not null,
      window_seconds integer not null,
      window_start bigint not null,
      count integer not null,
      max_count integer not null,
      constraint rate_counts_pk primary key (key, window_seconds)
    ) with (fillfactor = 70)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
