import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** What a store holds, in short: rows per table and one hash over every row of every table. */
export interface Snapshot {
  readonly counts: Readonly<Record<string, number>>;
  /** Per table: a hash over its rows (order-independent). */
  readonly hashes: Readonly<Record<string, string>>;
}

/** Tables of the store's database: rili's data, without SQLite's own and Kysely's migration bookkeeping. */
async function tables(db: Kysely<any>, kind: 'sqlite' | 'postgres'): Promise<string[]> {
  if (kind === 'sqlite') {
    const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    return rows.rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_')).sort();
  }
  const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  return rows.rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_')).sort();
}

const stable = (row: Record<string, unknown>): string =>
  JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k] instanceof Date ? row[k].toISOString() : row[k]]));

/**
 * Takes a snapshot of every table; `exclude` leaves tables out, for state that is bookkeeping
 * rather than data.
 */
export async function snapshot(db: Kysely<any>, kind: 'sqlite' | 'postgres', exclude: readonly string[] = []): Promise<Snapshot> {
  const counts: Record<string, number> = {};
  const hashes: Record<string, string> = {};
  const names = (await tables(db, kind)).filter((t) => !exclude.includes(t));
  if (kind === 'postgres') {
    // One round trip: the server hashes each table's rows (as text, in a stable order).
    const parts = names.map((t) => sql`select ${t}::text as t, count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${sql.table(t)} x`);
    const rows = await sql<{ t: string; n: number; h: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
    for (const r of rows.rows) {
      counts[r.t] = r.n;
      hashes[r.t] = r.h.slice(0, 16);
    }
    return { counts, hashes };
  }
  for (const table of names) {
    const rows = (await db.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    counts[table] = rows.length;
    const lines = rows.map(stable).sort();
    hashes[table] = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  }
  return { counts, hashes };
}

/** The tables whose counts or hashes differ between two snapshots. */
export function changedTables(a: Snapshot, b: Snapshot): string[] {
  const names = new Set([...Object.keys(a.counts), ...Object.keys(b.counts)]);
  return [...names].filter((t) => a.counts[t] !== b.counts[t] || a.hashes[t] !== b.hashes[t]).sort();
}
