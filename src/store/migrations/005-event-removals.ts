import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// When an organizer removes an attendee, the attendee's row goes; this row remembers, for the
// calendar the event showed in, that it left (and at which change), so that calendar's incremental
// sync can report the event as cancelled there.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('event_removals')
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_removals_pk', ['calendar_id', 'uid'])
    .execute();
  await db.schema.createIndex('event_removals_calendar_seq').on('event_removals').columns(['calendar_id', 'seq']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
