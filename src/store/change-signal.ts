/**
 * The store's ChangeSignal: wake-ups for change-log followers. A transaction that appended records
 * announces, once committed, the last sequence number it took (open-store.ts); followers in this
 * process hear it directly. What other processes commit arrives through a `WakeSource`, started while
 * anyone listens: PostgreSQL's LISTEN/NOTIFY (postgres/change-notify.ts) or, on an SQLite file that
 * several processes may share, a poll of the log's newest sequence number.
 */
import type { ChangeLogWriter, ChangeSignal } from '../core/ports.js';
import { errorText } from '../error-text.js';

/** Starts delivering other processes' commits to `wake`; returns how to stop. */
export type WakeSource = (wake: (seq: number) => void) => () => Promise<void>;

export interface StoreChangeSignal extends ChangeSignal {
  /** Stops the wake source and forgets every listener. */
  close(): Promise<void>;
}

export function storeChangeSignal(source?: WakeSource): StoreChangeSignal {
  const listeners = new Set<(seq: number) => void>();
  let stopSource: (() => Promise<void>) | undefined;
  let closed = false;
  const fire = (seq: number) => {
    for (const listener of [...listeners]) {
      try {
        listener(seq);
      } catch (error) {
        // Called after a commit: a listener's fault must not make a committed write look failed.
        process.emitWarning(`a change-log listener failed: ${errorText(error)}`);
      }
    }
  };
  const stop = async () => {
    const stopping = stopSource;
    stopSource = undefined;
    await stopping?.();
  };
  return {
    onCommitted(listener) {
      listeners.add(listener);
      if (source && !stopSource && !closed) stopSource = source(fire);
      return () => {
        listeners.delete(listener);
        // Nobody listens: the source's connection or timer goes too. A later follower reads the log
        // before it waits, so nothing committed meanwhile is missed.
        if (listeners.size === 0) void stop();
      };
    },
    committed: fire,
    async close() {
      closed = true;
      listeners.clear();
      await stop();
    },
  };
}

/** How often an SQLite file's log is polled for other processes' commits while anyone follows it. */
export const SQLITE_POLL_MS = 200;

/**
 * Polls the log's newest sequence number (one indexed read) and wakes on every change; the first
 * poll wakes too, as a commit may have landed between a follower's first read and it.
 */
export function pollingWakeSource(latestSeq: () => Promise<number>, intervalMs = SQLITE_POLL_MS): WakeSource {
  return (wake) => {
    let stopped = false;
    let last: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      try {
        const seq = await latestSeq();
        if (seq !== last) wake(seq);
        last = seq;
      } catch {
        // A failed poll (a locked or closing database) is tried again at the next tick.
      }
      if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
      return Promise.resolve();
    };
  };
}

/**
 * Counts one transaction's appends: `track` wraps its change-log store (open-store.ts hands it the
 * store when the transaction first uses it); after commit, `appendedThrough` is the last sequence
 * number it took, which the transaction announces.
 */
export function appendTracker(): { track: (inner: ChangeLogWriter) => ChangeLogWriter; appendedThrough: () => number } {
  let through = 0;
  const track = (inner: ChangeLogWriter): ChangeLogWriter => ({
    // Every other method as it is (the store's methods are closures, not `this`-bound).
    ...inner,
    async append(drafts, at, firstSeq) {
      const records = await inner.append(drafts, at, firstSeq);
      for (const r of records) through = Math.max(through, r.seq);
      return records;
    },
    // A restarted log (a restore) is announced like an append: followers wake and find their position expired.
    async restart() {
      const seq = await inner.restart();
      through = Math.max(through, seq);
      return seq;
    },
  });
  return { track, appendedThrough: () => through };
}
