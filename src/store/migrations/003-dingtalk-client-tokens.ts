import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('dingtalk_client_tokens')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('body', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dingtalk_client_tokens_pk', ['app_id', 'token'])
    .execute();
  await db.schema.createIndex('dingtalk_client_tokens_created').on('dingtalk_client_tokens').column('created_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
