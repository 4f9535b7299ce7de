import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: a shipped migration never changes; later changes are new migrations.
// Followers in other processes are woken by NOTIFY on the schema's channel (../change-notify.ts).
// The writer used to send it as a statement of its own in every appending transaction: one more
// round trip inside the change_seq lock, on every write. A statement-level trigger on change_log
// sends it from within the INSERT instead, with the highest sequence number the statement added;
// PostgreSQL delivers it at commit, and never for a transaction that rolls back. The channel is
// built as changeChannel() builds it: `rili_changes_<schema>`, or a hash when longer than 63.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function rili_change_log_notify() returns trigger language plpgsql as $$
    declare
      top bigint;
      channel text := 'rili_changes_' || tg_table_schema;
    begin
      select max(seq) into top from appended;
      if top is null then return null; end if;
      if length(channel) > 63 then
        channel := 'rili_changes_' || left(encode(sha256(convert_to(channel, 'UTF8')), 'hex'), 40);
      end if;
      perform pg_notify(channel, top::text);
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger change_log_notify after insert on change_log
      referencing new table as appended
      for each statement execute function rili_change_log_notify()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
