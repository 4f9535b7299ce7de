import { Migrator } from 'kysely/migration';
import type { Kysely } from 'kysely';
import type { ChangeLogWriter, ChangeSignal, RateCounters, Store, StoreReader, StoreWriter } from '../core/ports.js';
import { storeUnavailable } from '../core/errors.js';
import { errorText } from '../error-text.js';
import { calendarStore } from './calendar-store.js';
import { changeLogStore } from './change-log-store.js';
import { appendTracker, storeChangeSignal } from './change-signal.js';
import { caldavStore } from './caldav-store.js';
import { clientTokenStore } from './client-token-store.js';
import type { OpenedDatabase, OpenStoreOptions, QuerySpecifics } from './database.js';
import { directoryStore } from './directory-store.js';
import { eventStore } from './event-store.js';
import { extrasStore } from './extras-store.js';
import { migrationProvider } from './migrations/index.js';
import { oauthStore } from './oauth-store.js';
import { pushStore } from './push-store.js';
import { postgresDatabase } from './postgres/postgres-database.js';
import type { Database } from './schema/index.js';
import { snapshotStore } from './snapshot-store.js';
import { sqliteDatabase } from './sqlite/sqlite-database.js';

export type { OpenStoreOptions } from './database.js';
export { isPostgresUrl } from './postgres/postgres-database.js';

/**
 * The databases rili runs on, each from its own folder; the first that claims a location opens it
 * (SQLite claims every location, so it comes last). A third database is one folder and one entry here.
 */
const DATABASES = [postgresDatabase, sqliteDatabase] as const;

export type StoreKind = (typeof DATABASES)[number]['kind'];

/** A store plus what assembly and tests need to know about it. */
export interface OpenedStore extends Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  /** Rate-limit counts every process on this database shares: PostgreSQL only (SQLite counts per process). */
  readonly rateCounters?: RateCounters;
  /** Wake-ups for change-log followers: this process's commits, and other processes' (change-signal.ts). */
  readonly changeSignal: ChangeSignal;
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
  const database: OpenedDatabase<StoreKind> = await DATABASES.find((d) => d.claims(location))!.open(location, options);
  try {
    await migrate(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return storeOver(database);
}

/** The location as it may be printed: a URL's password masked. */
export function shownLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

async function migrate(database: OpenedDatabase): Promise<void> {
  const { schema } = database;
  await database.migrateExclusive(async (db) => {
    // The migration tables live in rili's schema: otherwise Kysely finds another schema's lock table.
    const { error } = await new Migrator({
      db,
      provider: migrationProvider(database.ownMigrations),
      allowUnorderedMigrations: true,
      ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
    }).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  });
}

/**
 * The query stores over one connection, snapshot or transaction, each made when first used: a read
 * touches two or three of the ten, and making all ten (a few hundred closures) per read and lookup
 * is garbage for nothing. (The GET profile that prompted it had store code and GC at twice their
 * earlier share; the bench could not see a gain through its noise: BENCHMARKS.md, 2026-12-07.)
 */
const storesOver = (db: Kysely<Database>, specifics: QuerySpecifics, trackChanges?: (c: ChangeLogWriter) => ChangeLogWriter): StoreWriter => {
  const makers: { [K in keyof StoreWriter]: () => StoreWriter[K] } = {
    directory: () => directoryStore(db),
    calendars: () => calendarStore(db, specifics),
    events: () => eventStore(db, specifics),
    clientTokens: () => clientTokenStore(db),
    oauth: () => oauthStore(db),
    changes: () => (trackChanges ? trackChanges(changeLogStore(db)) : changeLogStore(db)),
    snapshots: () => snapshotStore(db),
    push: () => pushStore(db),
    extras: () => extrasStore(db),
    caldav: () => caldavStore(db),
  };
  const stores = {} as StoreWriter;
  for (const key of Object.keys(makers) as (keyof StoreWriter)[]) {
    Object.defineProperty(stores, key, {
      enumerable: true,
      configurable: true,
      get() {
        const made = makers[key]();
        Object.defineProperty(stores, key, { value: made, enumerable: true });
        return made;
      },
    });
  }
  return stores;
};

/** Lookups run on the database's long-lived handle: its stores are made once, not per lookup. */
const lookupStores = new WeakMap<Kysely<Database>, StoreWriter>();

function storeOver(database: OpenedDatabase<StoreKind>): OpenedStore {
  // A passing database fault becomes the domain's store_unavailable, which each dialect answers with
  // its retryable code; every other error (a refusal, a constraint, a bug) goes on unchanged.
  const classified = (error: unknown): unknown => {
    const reason = database.faultReason(error);
    return reason === undefined ? error : storeUnavailable(reason, error);
  };
  const changeSignal = storeChangeSignal(database.changeWakeSource(() => changeLogStore(database.db).latestSeq()));
  return {
    kind: database.kind,
    db: database.db,
    ...(database.rateCounters ? { rateCounters: database.rateCounters } : {}),
    changeSignal,
    async read<T>(fn: (r: StoreReader) => Promise<T>): Promise<T> {
      try {
        return await database.read((snapshot) => fn(storesOver(snapshot, database)));
      } catch (error) {
        throw classified(error);
      }
    },
    async lookup<T>(fn: (r: StoreReader) => Promise<T>): Promise<T> {
      try {
        return await database.lookup((db) => {
          let stores = lookupStores.get(db);
          if (!stores) lookupStores.set(db, (stores = storesOver(db, database)));
          return fn(stores);
        });
      } catch (error) {
        throw classified(error);
      }
    },
    async transact<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
      let appendedThrough = 0;
      let result: T;
      try {
        result = await database.transact(async (trx) => {
          const appends = appendTracker();
          const out = await fn(storesOver(trx, database, appends.track));
          appendedThrough = appends.appendedThrough();
          return out;
        });
      } catch (error) {
        throw classified(error);
      }
      // Committed. Whoever follows the change log is told here (after the commit, never before it,
      // and not for a transaction that failed); the records themselves are the truth it reads.
      if (appendedThrough > 0) changeSignal.committed(appendedThrough);
      return result;
    },
    async close() {
      await changeSignal.close();
      await database.close();
    },
  };
}
