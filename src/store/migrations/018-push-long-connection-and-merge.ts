import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Push over Feishu's long connection, and the 3-second merge of changes to one event:
// - push_configs.long_connection_at: when the app first opened a long connection (its events then
//   wait for one when it has no request URL);
// - push_deliveries.merge_key / merge_until / merge_state: an event-change push held for the merge
//   window (app, calendar, event), until when, and what it has merged so far (JSON).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_configs').addColumn('long_connection_at', 'bigint').execute();
  await db.schema.alterTable('push_deliveries').addColumn('merge_key', 'text').execute();
  await db.schema.alterTable('push_deliveries').addColumn('merge_until', 'bigint').execute();
  await db.schema.alterTable('push_deliveries').addColumn('merge_state', 'text').execute();
  await db.schema.createIndex('push_deliveries_merge').on('push_deliveries').columns(['merge_key', 'merge_until']).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
