/**
 * Which PostgreSQL errors are passing faults: the request failed, its transaction did not commit (or,
 * if the connection died during COMMIT, may have), and the same request sent again may succeed.
 * Everything else (a constraint violation, a syntax error, a bug) is not classified here and stays
 * what it is.
 */

/** SQLSTATEs whose failure a retry can get past, by prefix (a class) or whole. */
const RETRYABLE_SQLSTATES: readonly [prefix: string, reason: string][] = [
  ['08', 'database connection lost'], // connection_exception
  ['40001', 'transaction serialization failure'],
  ['40P01', 'deadlock detected'],
  ['53', 'database out of resources'], // disk_full, out_of_memory, too_many_connections…
  ['55P03', 'database lock not available'],
  ['57014', 'database query cancelled'], // statement timeout, pg_cancel_backend
  ['57P01', 'database connection terminated'], // admin_shutdown: pg_terminate_backend, a fast shutdown
  ['57P02', 'database crash shutdown'],
  ['57P03', 'database not accepting connections'],
  ['58', 'database system error'], // system_error, io_error
  ['25P03', 'database connection timed out'], // idle_in_transaction_session_timeout
];

/** Socket-level failures (Node's error codes) on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/**
 * Errors pg, pg-pool and Kysely raise without a code when a connection dies or cannot be had. Their
 * wording is the drivers' (pg 8, pg-pool 3, Kysely 0.29); test/store/store-faults.test.ts holds the
 * list of real messages.
 */
const CONNECTION_MESSAGES = [
  /^Connection terminated( unexpectedly)?$/,
  /^timeout expired$/, // connectionTimeoutMillis while connecting
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /^Postgres connection has been discarded$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^driver has already been destroyed$/,
];

/** Why `error` is a passing PostgreSQL fault, or undefined when it is not one. */
export function postgresFaultReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // Before SQLSTATEs: EPIPE has their shape too.
    if (NETWORK_CODES.has(code)) return 'database unreachable';
    if (/^[0-9A-Z]{5}$/.test(code)) return RETRYABLE_SQLSTATES.find(([prefix]) => code.startsWith(prefix))?.[1];
  }
  if (CONNECTION_MESSAGES.some((m) => m.test(error.message))) return 'database connection lost';
  return undefined;
}
