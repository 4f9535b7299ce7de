import { pollingWakeSource } from '../change-signal.js';
import * as m032 from './migrations/032-change-log-seq-as-rowid.js';
import type { DatabaseKind } from '../database.js';
import { sqliteFaultReason } from './sqlite-faults.js';
import { openSqlite } from './sqlite-open.js';
import { sqliteReads } from './sqlite-read.js';
import { sqliteTransact } from './sqlite-transact.js';
import { UNICODE_LOWER_SQL } from './unicode-lower.js';

/** SQLite: a file path, or `:memory:`; any location no other database claims. */
export const sqliteDatabase: DatabaseKind<'sqlite'> = {
  kind: 'sqlite',
  claims: () => true,
  async open(location, options) {
    const opened = openSqlite(location, options.busyTimeoutMs);
    const { writer } = opened;
    // One turn-taking reader for reads and lookups alike: they share the read connection.
    const reads = sqliteReads(opened);
    return {
      kind: 'sqlite',
      db: writer.db,
      // 007 and 030 run on PostgreSQL only; SQLite databases have them recorded as run, so the names
      // stay (one process in a file needs no cross-process wake-up: 030's NOTIFY trigger has no SQLite side).
      ownMigrations: {
        '007-rate-counts': { up: async () => {} },
        '030-change-log-notify-trigger': { up: async () => {} },
        '032-change-log-seq-as-rowid': m032,
      },
      // The migrator's own lock table, in a transaction on the file, keeps a second process out.
      migrateExclusive: (run) => run(writer.db),
      transact: (fn) => sqliteTransact(writer, fn),
      read: reads.read,
      // On the read connection (the writer's may be mid-transaction), without a snapshot: one statement is one.
      lookup: reads.lookup,
      faultReason: sqliteFaultReason,
      lowerFn: UNICODE_LOWER_SQL,
      updateRewritesAssignedIndexes: true,
      // A writer holds the whole database's write lock (BEGIN IMMEDIATE): writers already take turns.
      lockKey: async () => {},
      // Another process may write the same file (--workers, a second server): poll its log. ':memory:' is this process's alone.
      changeWakeSource: (latestSeq) => (location === ':memory:' ? undefined : pollingWakeSource(latestSeq)),
      close: () => opened.close(),
    };
  },
};
