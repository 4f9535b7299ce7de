import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Sandbox snapshots kept in the database (so every worker and a restart sees them), and the seeds
// the database was given, in the order it was given them: `POST /rili/v1/reset` replays them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('snapshots')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('applied_seeds')
    .addColumn('position', 'bigint', (c) => c.primaryKey())
    .addColumn('seed_hash', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
