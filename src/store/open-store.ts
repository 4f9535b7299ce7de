import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Kysely } from 'kysely';
import type { ChangeSignal, RateCounters, Store, StoreReader, StoreWriter } from '../core/ports.js';
import { errorText } from '../error-text.js';
import type { StoreCapabilities } from './capabilities.js';
import { calendarStore } from './calendar-store.js';
import { changeLogStore } from './change-log-store.js';
import { pollingWakeSource, storeChangeSignal, trackAppends } from './change-signal.js';
import type { StoreChangeSignal } from './change-signal.js';
import { clientTokenStore } from './client-token-store.js';
import { oauthStore } from './oauth-store.js';
import { directoryStore } from './directory-store.js';
import { eventStore } from './event-store.js';
import { migrationProvider } from './migrations/index.js';
import { storeUnavailable } from '../core/errors.js';
import { changeChannel, notifyCommitted, postgresWakeSource } from './postgres/change-notify.js';
import { postgresFaultReason } from './postgres/postgres-faults.js';
import { openPostgres, postgresCapabilities } from './postgres/postgres-open.js';
import { postgresRateCounters } from './postgres/rate-counters.js';
import type { Database } from './schema/index.js';
import { sqliteFaultReason } from './sqlite/sqlite-faults.js';
import { openSqlite, sqliteCapabilities } from './sqlite/sqlite-open.js';
import type { OpenedSqlite } from './sqlite/sqlite-open.js';
import { sqliteTransact } from './sqlite/sqlite-transact.js';

export type StoreKind = 'sqlite' | 'postgres';

/** A store plus what assembly and tests need to know about it. */
export interface OpenedStore extends Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  readonly caps: StoreCapabilities;
  /** Rate-limit counts every process on this database shares: PostgreSQL only (SQLite counts per process). */
  readonly rateCounters?: RateCounters;
  /** Wake-ups for change-log followers: this process's commits, and other processes' (change-signal.ts). */
  readonly changeSignal: ChangeSignal;
}

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

export interface OpenStoreOptions {
  /** PostgreSQL: connections in the pool. */
  readonly poolSize?: number;
  /** SQLite: how long a write waits for another process's write lock before failing retryably (10 s). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens the store named by `location`: a `postgres://` URL, `:memory:`, or an SQLite file path.
 * Runs pending migrations before returning.
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  try {
    return await openAndMigrate(location, options);
  } catch (error) {
    throw new Error(`database ${shownLocation(location)}: ${errorText(error)}`, { cause: error });
  }
}

async function openAndMigrate(location: string, options: OpenStoreOptions): Promise<OpenedStore> {
  if (isPostgresUrl(location)) {
    const { db, schema } = await openPostgres(location, options.poolSize);
    await migrateOrClose(db, postgresCapabilities, schema);
    const channel = changeChannel(schema);
    return storeOver('postgres', db, postgresCapabilities, {
      transact: (fn) => db.transaction().execute(fn),
      faultReason: postgresFaultReason,
      changeSignal: storeChangeSignal(postgresWakeSource(location, channel)),
      announceInTransaction: (trx, seq) => notifyCommitted(trx, channel, seq),
    });
  }
  const sqlite = openSqlite(location, options.busyTimeoutMs);
  await migrateOrClose(sqlite.db, sqliteCapabilities, undefined);
  return storeOver('sqlite', sqlite.db, sqliteCapabilities, {
    transact: (fn) => sqliteTransact(sqlite, fn),
    faultReason: sqliteFaultReason,
    // Another process may write the same file (--workers, a second server): poll its log. ':memory:' is this process's alone.
    changeSignal: storeChangeSignal(location === ':memory:' ? undefined : pollingWakeSource(() => changeLogStore(sqlite.db).latestSeq())),
  });
}

async function migrateOrClose(db: Kysely<Database>, caps: StoreCapabilities, schema: string | undefined): Promise<void> {
  try {
    await migrate(db, caps, schema);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
}

/** The location as it may be printed: a URL's password masked. */
export function shownLocation(location: string): string {
  return isPostgresUrl(location) ? location.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@') : location;
}

async function migrate(db: Kysely<Database>, caps: StoreCapabilities, schema: string | undefined): Promise<void> {
  const run = async (d: Kysely<any>) => {
    // The migration tables live in rili's schema: otherwise Kysely finds another schema's lock table.
    const { error } = await new Migrator({
      db: d, provider: migrationProvider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}),
    }).migrateToLatest();
    if (error) throw error;
  };
  if (caps.rowLocks) {
    // Several processes may start at once against one PostgreSQL: one migrates, the others wait.
    await db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(7130101)`.execute(conn);
      try {
        await run(conn);
      } finally {
        await sql`select pg_advisory_unlock(7130101)`.execute(conn);
      }
    });
  } else {
    await run(db);
  }
}

const readerOver = (db: Kysely<Database>, caps: StoreCapabilities): StoreWriter => ({
  directory: directoryStore(db),
  calendars: calendarStore(db, caps),
  events: eventStore(db, caps),
  clientTokens: clientTokenStore(db),
  oauth: oauthStore(db),
  changes: changeLogStore(db),
});

/** What differs between the databases under the ports: how a write transaction runs, which errors are passing faults. */
interface DatabaseSpecifics {
  transact<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Why an error is a fault a retry may get past (sqlite/, postgres/), or undefined for any other. */
  faultReason(error: unknown): string | undefined;
  /** Change-log wake-ups (change-signal.ts); the transaction hook below feeds it. */
  changeSignal: StoreChangeSignal;
  /** Runs inside a transaction that appended records, before it commits (PostgreSQL: NOTIFY). */
  announceInTransaction?(trx: Kysely<Database>, seq: number): Promise<void>;
}

function storeOver(kind: StoreKind, db: Kysely<Database>, caps: StoreCapabilities, specifics: DatabaseSpecifics): OpenedStore {
  // A passing database fault becomes the domain's store_unavailable, which each dialect answers with
  // its retryable code; every other error (a refusal, a constraint, a bug) goes on unchanged.
  const classified = (error: unknown): unknown => {
    const reason = specifics.faultReason(error);
    return reason === undefined ? error : storeUnavailable(reason, error);
  };
  return {
    kind,
    db,
    caps,
    ...(kind === 'postgres' ? { rateCounters: postgresRateCounters(db) } : {}),
    read: async <T>(fn: (r: StoreReader) => Promise<T>) => {
      try {
        return await fn(readerOver(db, caps));
      } catch (error) {
        throw classified(error);
      }
    },
    changeSignal: specifics.changeSignal,
    async transact<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
      try {
        // Change-log hook: a transaction that appended records announces its last seq once committed.
        let appendedThrough = 0;
        const result = await specifics.transact(async (trx) => {
          const tracked = trackAppends(readerOver(trx, caps));
          const out = await fn(tracked.writer);
          appendedThrough = tracked.appendedThrough();
          if (appendedThrough > 0) await specifics.announceInTransaction?.(trx, appendedThrough);
          return out;
        });
        if (appendedThrough > 0) specifics.changeSignal.committed(appendedThrough);
        return result;
      } catch (error) {
        throw classified(error);
      }
    },
    async close() {
      await specifics.changeSignal.close();
      await db.destroy();
    },
  };
}
