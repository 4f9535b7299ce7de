import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// The change log: every committed write appends what it changed, in the same transaction.
// It replaces event_removals, which only sync read (dropped once sync reads the log).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('change_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('tenant_key', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('calendar_id', 'text')
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('uid', 'text')
    .addColumn('instance_start', 'bigint')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('change_log_calendar_seq').on('change_log').columns(['calendar_id', 'seq']).execute();
  await db.schema.createIndex('change_log_at').on('change_log').column('at').execute();
  await db.schema.createTable('change_log_floor')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('pruned_through', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('change_log_floor').values({ id: 1, pruned_through: 0 }).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
