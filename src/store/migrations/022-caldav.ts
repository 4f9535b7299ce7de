import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('caldav_credentials')
    .addColumn('user_name', 'text', (c) => c.primaryKey())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('feed_token_hash', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('caldav_credentials_device').on('caldav_credentials').columns(['user_id', 'device_name']).unique().execute();
  await db.schema.createIndex('caldav_credentials_feed').on('caldav_credentials').column('feed_token_hash').unique().execute();
  await db.schema.createTable('caldav_resources')
    .addColumn('calendar_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('ical_uid', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('caldav_resources_pk', ['calendar_id', 'name'])
    .execute();
  await db.schema.createIndex('caldav_resources_uid').on('caldav_resources').column('uid').execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
