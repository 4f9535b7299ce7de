/**
 * Following the change log: a subscriber starts at a sequence number and gets every later record, in
 * order, once, as pages of at most `pageSize` records. The log is the truth; the ChangeSignal only
 * says "read again": a wake-up that is lost, doubled or merged with others changes when a page is
 * read, never what it holds. A page is read only when the subscriber asks for the next one, so a slow
 * subscriber holds one page and lags in sequence numbers, never in memory.
 */
import { assertSyncable } from '../change-retention.js';
import type { ChangeRecord } from '../changes.js';
import { isStoreUnavailable } from '../errors.js';
import type { ChangeSignal, Store } from '../ports.js';

export interface ChangeFeedOptions {
  /** The most records one read takes and one page holds (500). */
  readonly pageSize?: number;
  /**
   * Read the log this often (ms) even without a wake-up: the safety net for a wake-up lost on the way
   * (a dropped connection between servers). 30 000 by default; 0 never.
   */
  readonly recheckMs?: number;
  /** The longest pause before reading again after the store failed for a passing reason (5 000 ms). */
  readonly maxRetryMs?: number;
}

export interface FollowOptions {
  /** Ends the following: an iterator returns, `follow` resolves `done`. */
  readonly signal?: AbortSignal;
}

/** A running `follow`. */
export interface Following {
  /** The sequence number of the last record handed over (the start position before any). */
  readonly seq: number;
  /** Stops after the page in hand (if any) is handled; resolves when it has. */
  stop(): Promise<void>;
  /** Settles when following ends: resolved on stop, rejected with what ended it otherwise. */
  readonly done: Promise<void>;
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_RECHECK_MS = 30_000;
const DEFAULT_MAX_RETRY_MS = 5_000;

export class ChangeFeed {
  readonly pageSize: number;
  private readonly recheckMs: number;
  private readonly maxRetryMs: number;

  constructor(
    private readonly deps: { readonly store: Pick<Store, 'read'>; readonly signal: ChangeSignal },
    options: ChangeFeedOptions = {},
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
    this.maxRetryMs = options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) throw new Error(`pageSize must be a positive integer, got ${this.pageSize}`);
  }

  /**
   * Pages of the records after `fromSeq`, in sequence order, until `options.signal` aborts. Throws
   * `sync_token_expired` (change-retention.ts) when records after the position were pruned before
   * they were read: the subscriber has lost some and must start again from a full view.
   */
  async *pages(fromSeq: number, options: FollowOptions = {}): AsyncGenerator<ChangeRecord[], void, undefined> {
    const abort = options.signal;
    let cursor = fromSeq;
    // Set by a wake-up for a record past the cursor; cleared just before each read, so a wake-up that
    // arrives while a read or the subscriber runs makes the next wait return at once.
    let dirty = true;
    let wake: (() => void) | undefined;
    const unsubscribe = this.deps.signal.onCommitted((seq) => {
      if (seq <= cursor) return;
      dirty = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    abort?.addEventListener('abort', onAbort);
    let retryMs = 0;
    try {
      while (!abort?.aborted) {
        dirty = false;
        let page: ChangeRecord[];
        try {
          page = await this.readAfter(cursor);
          retryMs = 0;
        } catch (error) {
          if (!isStoreUnavailable(error)) throw error;
          // The database is briefly away: wait, then read again from the same position.
          retryMs = Math.min(this.maxRetryMs, Math.max(50, retryMs * 2));
          await this.waitFor(() => abort?.aborted === true, retryMs, (w) => { wake = w; });
          continue;
        }
        if (page.length > 0) {
          cursor = page[page.length - 1].seq;
          yield page;
          // A full page: more may be waiting already.
          if (page.length === this.pageSize) continue;
        }
        if (!dirty) await this.waitFor(() => dirty || abort?.aborted === true, this.recheckMs, (w) => { wake = w; });
      }
    } finally {
      wake = undefined;
      abort?.removeEventListener('abort', onAbort);
      unsubscribe();
    }
  }

  /** The position of "now": following from it yields only records committed later. */
  position(): Promise<number> {
    return this.deps.store.read(async (r) => Math.max(await r.changes.latestSeq(), await r.changes.prunedThrough()));
  }

  /** The records after `fromSeq` one by one; see `pages`. */
  async *records(fromSeq: number, options: FollowOptions = {}): AsyncGenerator<ChangeRecord, void, undefined> {
    for await (const page of this.pages(fromSeq, options)) yield* page;
  }

  /**
   * Hands every page after `fromSeq` to `onBatch`, one at a time: the next page is read once the
   * promise `onBatch` returns has settled. An error from `onBatch` or the log ends the following
   * (`done` rejects with it).
   */
  follow(fromSeq: number, onBatch: (records: readonly ChangeRecord[]) => void | Promise<void>): Following {
    const controller = new AbortController();
    let seq = fromSeq;
    const run = async () => {
      for await (const page of this.pages(fromSeq, { signal: controller.signal })) {
        await onBatch(page);
        seq = page[page.length - 1].seq;
      }
    };
    const done = run();
    // `done` is the subscriber's to observe; this keeps an unobserved failure from ending the process.
    done.catch(() => {});
    return {
      get seq() { return seq; },
      async stop() {
        controller.abort();
        await done.catch(() => {});
      },
      done,
    };
  }

  /** One page after `cursor`, checked against the pruned floor in the same read. */
  private readAfter(cursor: number): Promise<ChangeRecord[]> {
    return this.deps.store.read(async (r) => {
      const page = await r.changes.since(cursor, this.pageSize);
      const prunedThrough = await r.changes.prunedThrough();
      // Records through `prunedThrough` are gone. The page read first still holding one of them means
      // the read came before the pruning, so nothing was missed; otherwise, a floor past the cursor
      // means records after it were pruned unread.
      if (page.length === 0 || page[0].seq > prunedThrough) assertSyncable(cursor, prunedThrough, 'seq');
      return page;
    });
  }

  /** Waits until `ready()` holds after a wake-up, or `ms` pass (0: no timeout). */
  private async waitFor(ready: () => boolean, ms: number, setWake: (wake: (() => void) | undefined) => void): Promise<void> {
    if (ready()) return;
    await new Promise<void>((resolve) => {
      const timer = ms > 0 ? setTimeout(finish, ms) : undefined;
      // A pending recheck alone does not keep a process alive.
      (timer as { unref?: () => void } | undefined)?.unref?.();
      function finish() {
        if (timer !== undefined) clearTimeout(timer);
        setWake(undefined);
        resolve();
      }
      setWake(() => { if (ready()) finish(); });
    });
  }
}
