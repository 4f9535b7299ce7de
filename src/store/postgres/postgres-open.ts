import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreCapabilities } from '../capabilities.js';
import type { Database } from '../schema/index.js';

export const postgresCapabilities: StoreCapabilities = { lower: 'lower', beginImmediate: false, rowLocks: true };

const INT8_OID = 20;

/**
 * Opens a PostgreSQL pool. A `schema` query parameter in the URL (rili's own) puts every table in
 * that schema, creating it if needed: tests and side-by-side deployments use it.
 */
export async function openPostgres(url: string, poolSize = 10): Promise<{ db: Kysely<Database>; schema: string | undefined }> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`invalid schema name in database URL: ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    // Epoch seconds exceed int4; read int8 as a JS number (exact below 2^53).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection the server drops (a restart, an administrator) must not crash rili: the pool
  // discards that client and the next query opens a new one.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  // Without ?schema= the tables go to the connection's current schema; the migrator must be told
  // which, or it finds another schema's migration tables in the same database.
  const current = schema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  return { db, schema: current ?? undefined };
}
