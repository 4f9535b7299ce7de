import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('tenants')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('open_id', 'text', (c) => c.notNull().unique())
    .addColumn('union_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addUniqueConstraint('users_tenant_user_id', ['tenant_key', 'user_id'])
    .execute();
  await db.schema.createTable('apps')
    .addColumn('app_id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('rooms')
    .addColumn('room_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createTable('chats')
    .addColumn('chat_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('member_ids', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('files')
    .addColumn('file_token', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('change_seq')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('change_seq').values({ id: 1, value: 0 }).execute();
  await db.schema.createTable('calendars')
    .addColumn('calendar_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('color', 'integer', (c) => c.notNull())
    .addColumn('is_deleted', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calendars_owner_type').on('calendars').columns(['owner', 'type']).execute();
  await db.schema.createIndex('calendars_tenant').on('calendars').columns(['tenant_key', 'calendar_id']).execute();
  await db.schema.createTable('calendar_acls')
    .addColumn('acl_id', 'text', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('calendar_acls_pk', ['calendar_id', 'acl_id'])
    .addUniqueConstraint('calendar_acls_user', ['calendar_id', 'user_id'])
    .execute();
  await db.schema.createTable('subscriptions')
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('summary_alias', 'text', (c) => c.notNull())
    .addColumn('color', 'integer')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriptions_pk', ['principal', 'calendar_id'])
    .execute();
  await db.schema.createIndex('subscriptions_calendar').on('subscriptions').columns(['calendar_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
