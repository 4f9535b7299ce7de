import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Push subscriptions: which apps' users asked to be told of changes to which calendars.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('push_subscriptions')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    // '' for the calendar-list topic, which names no calendar.
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_subscriptions_pk', ['app_id', 'user_id', 'topic', 'calendar_id'])
    .execute();
  await db.schema.createIndex('push_subscriptions_calendar').on('push_subscriptions').columns(['calendar_id', 'topic']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
