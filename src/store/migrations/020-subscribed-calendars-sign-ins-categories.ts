import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// DingTalk's subscribed calendars (who authored one, who manages it, whom it is offered to), the
// sign-ins and sign-outs of events, and each tenant's event categories (seed `categories[]`).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('subscribed_calendars')
    .addColumn('calendar_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    // Internal user id of the author; managers and the scope's lists are JSON arrays.
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('managers', 'text', (c) => c.notNull())
    .addColumn('scope_users', 'text', (c) => c.notNull())
    .addColumn('scope_chats', 'text', (c) => c.notNull())
    .addColumn('scope_tenants', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('event_sign_ins')
    .addColumn('event_id', 'text', (c) => c.notNull())
    // 'sign_in' or 'sign_out'.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // Unix milliseconds.
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_sign_ins_pk', ['event_id', 'kind', 'user_id'])
    .execute();
  await db.schema.createTable('categories')
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('categories_pk', ['tenant_key', 'category_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
