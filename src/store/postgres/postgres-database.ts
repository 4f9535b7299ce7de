import { sql } from 'kysely';
import type { DatabaseKind } from '../database.js';
import * as m007 from './migrations/007-rate-counts.js';
import * as m030 from './migrations/030-change-log-notify-trigger.js';
import { changeChannel, postgresWakeSource } from './change-notify.js';
import { postgresFaultReason } from './postgres-faults.js';
import { openPostgres } from './postgres-open.js';
import { postgresRateCounters } from './rate-counters.js';

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/** The advisory lock rili's migrations run under: several processes may start at once against one database. */
const MIGRATION_LOCK = 7130101;

/** PostgreSQL: a `postgres://` URL, optionally with `?schema=`. */
export const postgresDatabase: DatabaseKind<'postgres'> = {
  kind: 'postgres',
  claims: isPostgresUrl,
  async open(location, options) {
    const { db, schema } = await openPostgres(location, options.poolSize);
    const channel = changeChannel(schema);
    return {
      kind: 'postgres',
      db,
      ...(schema !== undefined ? { schema } : {}),
      // 032 is SQLite's own (change_log.seq as its rowid); recorded as run here so the names stay alike.
      ownMigrations: { '007-rate-counts': m007, '030-change-log-notify-trigger': m030, '032-change-log-seq-as-rowid': { up: async () => {} } },
      // One process migrates, the others wait on the advisory lock, then find nothing left to do.
      migrateExclusive: (run) => db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
        try {
          await run(conn);
        } finally {
          await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
        }
      }),
      transact: (fn) => db.transaction().execute(fn),
      // One pooled connection for the whole read, in one snapshot taken at its first statement. The
      // connection is held until `fn` ends, so `fn` must not itself call `read` or `transact`: with
      // every connection held by such reads, none would be left for the inner calls.
      read: (fn) => db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn),
      // One statement on the pool: it runs in its own implicit transaction, so it needs no BEGIN.
      lookup: (fn) => fn(db),
      faultReason: postgresFaultReason,
      lowerFn: 'lower',
      updateRewritesAssignedIndexes: false,
      lockKey: async (trx, key) => {
        await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
      },
      // Every process on the database hears every commit on one LISTEN connection; change_log's
      // trigger (migration 030) sends the NOTIFY, delivered at commit.
      changeWakeSource: () => postgresWakeSource(location, channel),
      rateCounters: postgresRateCounters(db),
      close: () => db.destroy(),
    };
  },
};
