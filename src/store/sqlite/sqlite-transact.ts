import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';
import type { OpenedSqlite } from './sqlite-open.js';

/** The longest pause between two tries for the write lock (SQLite's own busy handler sleeps up to 100 ms). */
const MAX_POLL_MS = 20;

const BUSY = Symbol('busy');

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
};

/**
 * A write transaction on SQLite. BEGIN IMMEDIATE takes the write lock up front, so two processes
 * never deadlock upgrading a read lock. While another process (a `--workers` sibling, a backup)
 * holds the lock, the wait for it is asynchronous, up to the busy timeout, with the connection free
 * in between: SQLite's own busy wait would block this process, every request of it, for that long.
 * Past the timeout it fails with SQLITE_BUSY (a passing fault: sqlite-faults.ts). The connection is
 * left outside any transaction whatever fails: one left open would refuse every later BEGIN.
 */
export async function sqliteTransact<T>(opened: OpenedSqlite, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  const deadline = performance.now() + opened.busyTimeoutMs;
  for (let pauseMs = 1; ; pauseMs = Math.min(pauseMs * 2, MAX_POLL_MS)) {
    let busy: unknown;
    const outcome = await opened.db.connection().execute(async (conn): Promise<{ result: T } | typeof BUSY> => {
      // A transaction an earlier failure could not roll back (its ROLLBACK failed too): end it now.
      if (opened.inTransaction()) await sql`rollback`.execute(conn);
      opened.setBusyWait(0);
      try {
        await sql`begin immediate`.execute(conn);
      } catch (error) {
        if (!isBusy(error)) throw error;
        busy = error;
        return BUSY;
      } finally {
        opened.setBusyWait(opened.busyTimeoutMs);
      }
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return { result };
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
    if (outcome !== BUSY) return outcome.result;
    if (performance.now() + pauseMs > deadline) throw busy;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
