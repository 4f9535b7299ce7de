import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Kysely } from 'kysely';
import type { Store, StoreReader, StoreWriter } from '../core/ports.js';
import type { StoreCapabilities } from './capabilities.js';
import { calendarStore } from './calendar-store.js';
import { clientTokenStore } from './client-token-store.js';
import { oauthStore } from './oauth-store.js';
import { directoryStore } from './directory-store.js';
import { eventStore } from './event-store.js';
import { migrationProvider } from './migrations/index.js';
import { openPostgres, postgresCapabilities } from './postgres/postgres-open.js';
import type { Database } from './schema/index.js';
import { openSqlite, sqliteCapabilities } from './sqlite/sqlite-open.js';

export type StoreKind = 'sqlite' | 'postgres';

/** A store plus what assembly and tests need to know about it. */
export interface OpenedStore extends Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  readonly caps: StoreCapabilities;
}

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/**
 * Opens the store named by `location`: a `postgres://` URL, `:memory:`, or an SQLite file path.
 * Runs pending migrations before returning.
 */
export async function openStore(location: string, options: { poolSize?: number } = {}): Promise<OpenedStore> {
  const kind: StoreKind = isPostgresUrl(location) ? 'postgres' : 'sqlite';
  const opened = kind === 'postgres' ? await openPostgres(location, options.poolSize) : { db: openSqlite(location), schema: undefined };
  const { db } = opened;
  const caps = kind === 'postgres' ? postgresCapabilities : sqliteCapabilities;
  try {
    await migrate(db, caps, opened.schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return storeOver(kind, db, caps);
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
});

function storeOver(kind: StoreKind, db: Kysely<Database>, caps: StoreCapabilities): OpenedStore {
  return {
    kind,
    db,
    caps,
    read: <T>(fn: (r: StoreReader) => Promise<T>) => fn(readerOver(db, caps)),
    async transact<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
      if (!caps.beginImmediate) return db.transaction().execute((trx) => fn(readerOver(trx, caps)));
      // SQLite: take the write lock at BEGIN so two processes never deadlock upgrading a read lock.
      return db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(readerOver(conn, caps));
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
      });
    },
    close: () => db.destroy(),
  };
}
