/**
 * Which SQLite errors are passing faults: another process (a `--workers` sibling, a backup, an
 * operator's shell) held the write lock past the busy timeout, or the file system failed a read or a
 * write. SQLite rolls the statement (or the whole transaction) back, so the same request sent again
 * may succeed. A constraint violation, a corrupt file or a bug is not classified and stays what it is.
 */

/** better-sqlite3's SqliteError codes (extended codes included: SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT…), by prefix. */
const RETRYABLE_CODES: readonly [prefix: string, reason: string][] = [
  ['SQLITE_BUSY', 'database busy: another process holds the write lock'],
  ['SQLITE_LOCKED', 'database table locked'],
  ['SQLITE_IOERR', 'database I/O error'],
  ['SQLITE_FULL', 'database disk full'],
  ['SQLITE_READONLY', 'database file read-only'],
  ['SQLITE_CANTOPEN', 'database file cannot be opened'],
  ['SQLITE_NOMEM', 'database out of memory'],
  ['SQLITE_PROTOCOL', 'database lock protocol error'],
];

/** Why `error` is a passing SQLite fault, or undefined when it is not one. */
export function sqliteFaultReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return RETRYABLE_CODES.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1];
  }
  // better-sqlite3 once the handle is closed (a shutdown with requests still in flight).
  if (error instanceof TypeError && error.message === 'The database connection is not open') return 'database closed';
  return undefined;
}
