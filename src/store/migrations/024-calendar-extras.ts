import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Time-off events, events' meeting chats and minutes, Exchange bindings (Feishu calendar v4's rest).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('timeoff_events')
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('timeoff_event_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('timeoff_events_pk', ['tenant_key', 'timeoff_event_id'])
    .execute();
  await db.schema.createTable('meeting_chats')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('meeting_minutes')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('doc_url', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('exchange_bindings')
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('exchange_binding_id', 'text', (c) => c.notNull())
    .addColumn('admin_account', 'text', (c) => c.notNull())
    .addColumn('exchange_account', 'text', (c) => c.notNull())
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_bindings_pk', ['tenant_key', 'exchange_binding_id'])
    .execute();
  await db.schema.createIndex('exchange_bindings_account').on('exchange_bindings').columns(['tenant_key', 'account_key']).unique().execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
