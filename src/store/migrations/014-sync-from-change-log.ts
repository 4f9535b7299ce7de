import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Incremental sync reads the change log now, so the removal records it read before go. A sync
// position from before the log began cannot be answered from it: the log counts as pruned up to
// where it begins (up to now, when it is still empty), so such a token answers "expired" and the
// client lists afresh, instead of missing what changed before the first record.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('event_removals').execute();
  const first = await db.selectFrom('change_log').select((eb) => eb.fn.min('seq').as('seq')).executeTakeFirst();
  const counter = await db.selectFrom('change_seq').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
  const begins = first?.seq === null || first?.seq === undefined ? Number(counter.value) : Number(first.seq) - 1;
  await db.updateTable('change_log_floor').set({ pruned_through: begins })
    .where('id', '=', 1).where('pruned_through', '<', begins).execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
