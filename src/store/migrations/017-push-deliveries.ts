import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Push delivery: each app's receiver, how far it has followed the change log, and every delivery
// with its last attempt, so a restart loses no push and the delivery log survives it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('push_configs')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('request_url', 'text')
    .addColumn('encrypt_key', 'text')
    .addColumn('verification_token', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('push_cursors')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('push_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // JSON of the last attempt: what was sent, what came back, how long it took.
    .addColumn('last_attempt', 'text')
    .execute();
  await db.schema.createIndex('push_deliveries_due').on('push_deliveries').columns(['status', 'next_at']).execute();
  await db.schema.createIndex('push_deliveries_app').on('push_deliveries').columns(['app_id', 'created_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
