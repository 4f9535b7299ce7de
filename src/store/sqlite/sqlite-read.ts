import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';
import type { OpenedSqlite } from './sqlite-open.js';

/**
 * A read on SQLite in one snapshot: a deferred BEGIN, so every statement of `fn` sees the database
 * as its first statement found it, whatever commits meanwhile. The connection is held until `fn`
 * ends (Kysely lets one caller at a time use it), so `fn` must not itself call `read` or `transact`.
 * On a file the reader is a connection of its own, which in WAL mode neither waits for writes nor
 * holds them up; reads take turns on it, which costs little: better-sqlite3 runs each statement
 * synchronously, so a read's turn lasts as long as its own work. The transaction is always rolled
 * back: it wrote nothing, and a read-only connection could not.
 */
export function sqliteRead<T>(reader: OpenedSqlite, fn: (snapshot: Kysely<Database>) => Promise<T>): Promise<T> {
  return reader.db.connection().execute(async (conn) => {
    reader.beginRead();
    try {
      return await fn(conn);
    } finally {
      reader.endRead();
    }
  });
}
