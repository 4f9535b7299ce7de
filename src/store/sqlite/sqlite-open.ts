import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema/index.js';
import { UNICODE_LOWER_SQL, unicodeLower } from './unicode-lower.js';

/** How long a statement waits for a lock another process holds before it fails with SQLITE_BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** One SQLite connection, behind Kysely (which lets one caller at a time use it). */
export interface OpenedSqlite {
  readonly db: Kysely<Database>;
  readonly busyTimeoutMs: number;
  /** Whether the connection is inside a transaction (SQLite ends one by itself on some I/O errors). */
  inTransaction(): boolean;
  /** Sets how long a statement waits for another process's lock; the wait blocks the process (better-sqlite3 is synchronous). */
  setBusyWait(ms: number): void;
  /** BEGIN (deferred), straight on the connection: the snapshot starts at the next statement. Call only while holding the connection. */
  beginRead(): void;
  /** Ends a read begun by `beginRead`, if it is still open; never throws (a transaction left open is ended by the next BEGIN). */
  endRead(): void;
}

/** The SQLite database rili writes to and, for a file, a second connection its snapshot reads run on. */
export interface OpenedSqliteFile {
  readonly writer: OpenedSqlite;
  /**
   * Where `read` runs. A file: a read-only connection of its own, so in WAL mode a read's snapshot
   * neither waits for a write nor holds one up. `:memory:` is one database per connection, so
   * there the writer's connection serves reads too, one caller at a time.
   */
  readonly reader: OpenedSqlite;
  close(): Promise<void>;
}

/** Opens an SQLite file (or `:memory:`) in WAL mode; a crash of the process loses no committed write. */
export function openSqlite(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): OpenedSqliteFile {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash (only power loss can drop the last commits).
  database.pragma('synchronous = NORMAL');
  const writer = connection(database, busyTimeoutMs);
  if (memory) return { writer, reader: writer, close: () => writer.db.destroy() };
  let reader: OpenedSqlite;
  try {
    // Opened after the writer made the file a WAL database (journal_mode is kept in the file).
    reader = connection(new BetterSqlite3(path, { readonly: true }), busyTimeoutMs);
  } catch (error) {
    database.close();
    throw error;
  }
  return {
    writer,
    reader,
    close: async () => {
      await reader.db.destroy();
      await writer.db.destroy();
    },
  };
}

function connection(database: BetterSqlite3.Database, busyTimeoutMs: number): OpenedSqlite {
  // Every write sets it twice (0 around BEGIN IMMEDIATE, then back): prepared once per value, since
  // pragma() prepares its statement on each call (3% of a PATCH's CPU in a profile).
  const busyStatements = new Map<number, BetterSqlite3.Statement>();
  const busyWait = (ms: number) => {
    const value = Math.max(0, Math.floor(ms));
    let statement = busyStatements.get(value);
    if (!statement) {
      statement = database.prepare(`pragma busy_timeout = ${value}`);
      // A handful of values in practice (0, the configured timeout, what a test sets); bounded all the same.
      if (busyStatements.size < 16) busyStatements.set(value, statement);
    }
    statement.get();
  };
  busyWait(busyTimeoutMs);
  // Deterministic, so SQLite evaluates it once for a constant (the search pattern).
  database.function(UNICODE_LOWER_SQL, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? unicodeLower(text) : text));
  // Straight on better-sqlite3, not through Kysely: two statements on every read, prepared once.
  const begin = database.prepare('begin');
  const rollback = database.prepare('rollback');
  const inTransaction = () => database.open && database.inTransaction;
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
    busyTimeoutMs,
    inTransaction,
    setBusyWait: busyWait,
    beginRead() {
      // A transaction an earlier failure could not end: end it now, or BEGIN would fail.
      if (inTransaction()) rollback.run();
      begin.run();
    },
    endRead() {
      try {
        if (inTransaction()) rollback.run();
      } catch {
        // Left for the next beginRead (or transaction) to end; the caller keeps its result or its first error.
      }
    },
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
