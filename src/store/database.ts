import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { RateCounters } from '../core/ports.js';
import type { WakeSource } from './change-signal.js';
import type { Database } from './schema/index.js';

/**
 * What shared query code (the `*-store.ts` files) asks of the database it runs on, instead of asking
 * which one it is. Each database's answers live in its own folder (sqlite/, postgres/).
 */
export interface QuerySpecifics {
  /**
   * The SQL function that lower-cases text in every script, for case-insensitive search
   * (`text-match.ts`): PostgreSQL's lower() follows the database's locale; SQLite's folds ASCII only,
   * so rili registers its own on each SQLite connection.
   */
  readonly lowerFn: string;
  /**
   * Holds a lock named `key` until the transaction `trx` ends, so writers of one series (or one
   * idempotency key) take turns. A database whose writers already take turns does nothing.
   */
  lockKey(trx: Kysely<Database>, key: string): Promise<void>;
  /**
   * Whether an UPDATE rewrites every index holding a column it assigns, even to the value it had
   * (SQLite), rather than only the indexes whose values change (PostgreSQL, whose HOT updates compare).
   * Where it does, writes assign indexed columns only when they changed (`event-store.ts`).
   */
  readonly updateRewritesAssignedIndexes: boolean;
}

export interface OpenStoreOptions {
  /** PostgreSQL: connections in the pool. */
  readonly poolSize?: number;
  /** SQLite: how long a write waits for another process's write lock before failing retryably (10 s). */
  readonly busyTimeoutMs?: number;
}

/** One database, opened: everything that differs between databases under the store's ports. */
export interface OpenedDatabase<Kind extends string = string> extends QuerySpecifics {
  readonly kind: Kind;
  /** The database itself: migrations, tests, and statements that need neither a snapshot nor a transaction. */
  readonly db: Kysely<Database>;
  /** The schema rili's tables (and the migrator's) live in, for a database that has schemas. */
  readonly schema?: string;
  /** Migrations only this database has, by name, run beside the shared ones (`migrations/`). */
  readonly ownMigrations: Readonly<Record<string, Migration>>;
  /** Runs the migrations so that of several processes starting at once only one migrates, the others wait. */
  migrateExclusive(run: (db: Kysely<Database>) => Promise<void>): Promise<void>;
  /** Runs `fn` in a write transaction: committed when it returns, rolled back when it throws. */
  transact<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs `fn` in one read-only snapshot: every statement sees the same committed state. */
  read<T>(fn: (snapshot: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs `fn`, a read of one statement, committed data only, with no snapshot to open. */
  lookup<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Why an error is a passing fault a retry may get past, or undefined for any other. */
  faultReason(error: unknown): string | undefined;
  /**
   * How this process hears of other processes' commits to the change log (change-signal.ts), given a
   * way to read the newest seq; undefined when no other process can write this database.
   */
  changeWakeSource(latestSeq: () => Promise<number>): WakeSource | undefined;
  /** Rate-limit counts every process on this database shares, when the database can hold them. */
  readonly rateCounters?: RateCounters;
  close(): Promise<void>;
}

/** A kind of database rili can run on: which locations it takes, and how it opens one. */
export interface DatabaseKind<Kind extends string> {
  readonly kind: Kind;
  /** Whether `location` (a URL or a path) names a database of this kind. */
  claims(location: string): boolean;
  open(location: string, options: OpenStoreOptions): Promise<OpenedDatabase<Kind>>;
}
