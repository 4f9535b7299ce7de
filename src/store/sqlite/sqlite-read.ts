import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';
import type { OpenedSqlite, OpenedSqliteFile } from './sqlite-open.js';

type Read = <T>(fn: (snapshot: Kysely<Database>) => Promise<T>) => Promise<T>;

/**
 * Reads on SQLite, each in one snapshot: a deferred BEGIN, so every statement of `fn` sees the
 * database as its first statement found it, whatever commits meanwhile. A read holds its connection
 * until `fn` ends, so `fn` must not itself call `read` or `transact`. The transaction is always
 * rolled back: it wrote nothing (on a file, its connection is read-only).
 *
 * On a file, reads take turns on a read-only connection of their own, which in WAL mode neither
 * waits for writes nor holds them up. Taking turns costs little: better-sqlite3 runs each statement
 * synchronously, so a turn lasts as long as the read's own work. The turns are kept here rather than
 * by holding Kysely's connection: that costs three times the BEGIN and ROLLBACK, on every read.
 * `:memory:` is one database per connection: there a read holds the one connection, as a write does.
 *
 * Lookups (one statement, committed data) take the same turns on a file but skip BEGIN and ROLLBACK:
 * a single statement already reads one snapshot, and the pair was most of a lookup's cost.
 */
export function sqliteReads({ writer, reader }: OpenedSqliteFile): { read: Read; lookup: Read } {
  if (reader === writer) {
    const read: Read = (fn) => writer.db.connection().execute((conn) => inSnapshot(writer, () => fn(conn)));
    return { read, lookup: read };
  }
  const turns = new Turns();
  const inTurn = async <T>(fn: () => Promise<T>): Promise<T> => {
    const wait = turns.take();
    if (wait) await wait;
    try {
      return await fn();
    } finally {
      turns.pass();
    }
  };
  return {
    read: (fn) => inTurn(() => inSnapshot(reader, () => fn(reader.db))),
    // One statement is a snapshot of its own: no BEGIN and ROLLBACK around it. It still takes its
    // turn, so it never runs inside another read's (older) snapshot on the shared connection.
    lookup: (fn) => inTurn(() => {
      // A read whose ROLLBACK failed left its snapshot open: end it, or this would read inside it.
      reader.endRead();
      return fn(reader.db);
    }),
  };
}

async function inSnapshot<T>(connection: OpenedSqlite, fn: () => Promise<T>): Promise<T> {
  connection.beginRead();
  try {
    return await fn();
  } finally {
    connection.endRead();
  }
}

/** One holder at a time, the others served in the order they came. */
class Turns {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  /** Undefined when the turn is taken at once; otherwise a promise that resolves when it is this caller's. */
  take(): Promise<void> | undefined {
    if (!this.#held) {
      this.#held = true;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the turn to the next waiting caller, if any. */
  pass(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}
