import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// What a record must carry beyond its object's id when the object is gone by the time a follower
// reads it: a deleted ACL's grant (role and grantee), which `calendar.calendar.acl.deleted_v4` names.
// JSON; null for records that carry nothing more (and for every record written before it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('change_log').addColumn('detail', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
