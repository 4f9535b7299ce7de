import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';
import type { Database } from '../schema/index.js';
import { UNICODE_LOWER_SQL, unicodeLower } from './unicode-lower.js';

export const sqliteCapabilities: StoreCapabilities = { lower: UNICODE_LOWER_SQL, beginImmediate: true, rowLocks: false };

/** How long a statement waits for a lock another process holds before it fails with SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export interface OpenedSqlite {
  readonly db: Kysely<Database>;
  readonly busyTimeoutMs: number;
  /** Whether the connection is inside a transaction (SQLite ends one by itself on some I/O errors). */
  inTransaction(): boolean;
  /** Sets how long a statement waits for another process's lock; the wait blocks the process (better-sqlite3 is synchronous). */
  setBusyWait(ms: number): void;
}

/** Opens an SQLite file (or `:memory:`) in WAL mode; a crash of the process loses no committed write. */
export function openSqlite(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): OpenedSqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (only power loss can drop the last commits).
  database.pragma('synchronous = NORMAL');
  const busyWait = (ms: number) => database.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  busyWait(busyTimeoutMs);
  // Deterministic, so SQLite evaluates it once for a constant (the search pattern).
  database.function(UNICODE_LOWER_SQL, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? unicodeLower(text) : text));
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
    busyTimeoutMs,
    inTransaction: () => database.open && database.inTransaction,
    setBusyWait: busyWait,
  };
}

/** Prepared statements kept per SQL text: Kysely prepares every query again, which profiled at 13-18% of request CPU. */
const STATEMENT_CACHE_SIZE = 512;

function withStatementCache(database: BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        // Oldest first out: Map iteration is insertion order.
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
