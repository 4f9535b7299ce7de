import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** A single event longer than this is "long" and is found through the small long-span index. */
export const SHORT_SPAN_SECONDS = 7 * 86_400;

// Frozen: a shipped migration never changes; later changes are new migrations.
// A window query over short events becomes an index range scan of [from - 7 days, to); series and
// long events, a small minority, are read from their own index range.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('long_span', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update events set long_span = 1 where is_recurring = 1 or range_end - start_at > ${SHORT_SPAN_SECONDS}`.execute(db);
  await db.schema.createIndex('events_calendar_span_start').on('events').columns(['calendar_id', 'long_span', 'start_at', 'event_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
