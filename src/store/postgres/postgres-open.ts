import { Kysely, PostgresDialect, sql } from 'kysely';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { isKeptStatement } from '../compiled.js';
import type { Database } from '../schema/index.js';

const INT8_OID = 20;

/** One name per kept statement text: `r_` and 24 hex digits of its SHA-1 (PostgreSQL names take 63 bytes). */
const statementNames = new Map<string, string>();
const statementName = (text: string): string => {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `r_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`));
  return name;
};

/**
 * A client that runs the kept compiled statements (compiled.ts) as named prepared statements: each
 * is parsed once per connection, and PostgreSQL may keep its plan. Kysely sends every query unnamed,
 * and an unnamed statement is parsed, analysed and planned on each run; measured on the event read
 * (a four-branch UNION ALL with two joins), that was 1.75 ms of PostgreSQL CPU per run against
 * 0.08 ms named (bench/ notes in BENCHMARKS.md). Any other statement passes through unchanged.
 */
class PreparingClient extends pg.Client {
  // pg's query() has many overloads; Kysely calls query(text, values) and wants the promise.
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && args.length === 2 && Array.isArray(values) && isKeptStatement(text)) {
      return super.query({ name: statementName(text), text, values }) as never;
    }
    return (super.query as (...a: unknown[]) => unknown)(...args) as never;
  }
}

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
    Client: PreparingClient,
    // Epoch seconds exceed int4; read int8 as a JS number (exact below 2^53).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Names rili's sessions in pg_stat_activity, for an administrator (and the tests) to find them.
    application_name: parsed.searchParams.get('application_name') ?? 'rili',
    // A server that vanished without closing the socket (a failover, a cut cable) is noticed, not waited on forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // A connection the server drops (pg_terminate_backend, a restart, a failover) emits 'error' on its
  // client, and pg-pool also on the pool while the client is idle. Unhandled, either is an uncaught
  // exception that ends the process. The error itself reaches whoever was using the connection (its
  // query fails, or its next one: "not queryable"), the store turns it into store_unavailable, and
  // pg-pool discards the broken client when it is released; so these listeners need do nothing.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  // Without ?schema= the tables go to the connection's current schema; the migrator must be told
  // which, or it finds another schema's migration tables in the same database.
  const current = schema ?? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s;
  return { db, schema: current ?? undefined };
}
