import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// 013 declared change_log.seq `bigint primary key`, which SQLite keeps as a separate unique index
// beside the table (only `integer primary key` names the rowid). Every write appends a record, so
// that index was one more page in the WAL per write (a PATCH wrote 10.7 pages, this one of them).
// SQLite cannot change a primary key in place: the table is rebuilt with seq as its rowid, in the
// migration's transaction, and its two indexes made again. PostgreSQL has no such index to lose.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table change_log_by_seq (
    seq integer primary key, at bigint not null, tenant_key text not null, app_id text, user_id text,
    calendar_id text, object text not null, object_id text not null, uid text, instance_start bigint,
    kind text not null, audience text not null, detail text
  )`.execute(db);
  await sql`insert into change_log_by_seq (seq, at, tenant_key, app_id, user_id, calendar_id, object, object_id, uid, instance_start, kind, audience, detail)
    select seq, at, tenant_key, app_id, user_id, calendar_id, object, object_id, uid, instance_start, kind, audience, detail from change_log order by seq`.execute(db);
  await sql`drop table change_log`.execute(db);
  await sql`alter table change_log_by_seq rename to change_log`.execute(db);
  await db.schema.createIndex('change_log_calendar_seq').on('change_log').columns(['calendar_id', 'seq']).execute();
  await db.schema.createIndex('change_log_at').on('change_log').column('at').execute();
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
