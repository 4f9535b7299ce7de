import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// The push worker reads due deliveries app by app (at most what each app may have in flight), so a
// receiver that hangs for hours, whose backlog keeps growing, costs the reads of every other app
// nothing: (status, next_at) alone had every read scan past that backlog.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('push_deliveries_app_due').on('push_deliveries').columns(['app_id', 'status', 'next_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
