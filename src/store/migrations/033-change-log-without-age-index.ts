import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Pruning by age now walks the log in seq order from its oldest record and stops at the first one
// young enough to keep (change-log-store.ts), which reads only what it is about to delete. The index
// on `at` served nothing else, and every write paid for it: one more index entry per record, one
// more WAL page per write on SQLite.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('change_log_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
