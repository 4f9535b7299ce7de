import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';
import type { OpenedSqlite } from './sqlite-open.js';

/**
 * A write transaction on SQLite. BEGIN IMMEDIATE takes the write lock up front, so two processes
 * never deadlock upgrading a read lock. The connection is left outside any transaction whatever
 * fails: one left open would refuse every later BEGIN of this process.
 */
export function sqliteTransact<T>(opened: OpenedSqlite, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return opened.db.connection().execute(async (conn) => {
    // A transaction an earlier failure could not roll back (its ROLLBACK failed too): end it now.
    if (opened.inTransaction()) await sql`rollback`.execute(conn);
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // SQLite ends the transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR…); ROLLBACK
      // would then fail with "no transaction is active" and hide the error that matters.
      if (opened.inTransaction()) {
        await sql`rollback`.execute(conn).catch(() => {
          // Left for the next transaction to end (above); the caller gets the first error.
        });
      }
      throw error;
    }
  });
}
