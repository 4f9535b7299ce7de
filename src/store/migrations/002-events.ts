import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('original_start', 'bigint', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('range_end', 'bigint', (c) => c.notNull())
    .addColumn('is_recurring', 'integer', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_uid').on('events').columns(['uid', 'original_start']).execute();
  await db.schema.createIndex('events_calendar_start').on('events').columns(['calendar_id', 'start_at']).execute();
  await db.schema.createIndex('events_calendar_seq').on('events').columns(['calendar_id', 'seq']).execute();
  await db.schema.createIndex('events_calendar_id').on('events').columns(['calendar_id', 'event_id']).execute();
  await db.schema.createIndex('events_idempotency').on('events').columns(['calendar_id', 'idempotency_key']).unique().execute();
  await db.schema.createTable('event_personal_views')
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_personal_views_pk', ['uid', 'principal'])
    .execute();
  await db.schema.createTable('event_attendees')
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('attendee_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('match_key', 'text', (c) => c.notNull())
    .addColumn('calendar_id', 'text')
    .addColumn('rsvp', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_attendees_pk', ['uid', 'attendee_id'])
    .execute();
  await db.schema.createIndex('event_attendees_calendar').on('event_attendees').columns(['calendar_id', 'uid']).execute();
  await db.schema.createIndex('event_attendees_match').on('event_attendees').columns(['match_key', 'uid']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
