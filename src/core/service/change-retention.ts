/**
 * Pruning the change log to its retention policy. Every serving process may run it on a timer: runs
 * queue on a named lock (PostgreSQL; SQLite writers are serialised anyway) and the pruned floor only
 * moves forward, so a run that finds nothing older than the policy does nothing.
 */
import { pruneBounds } from '../change-retention.js';
import type { RetentionPolicy } from '../change-retention.js';
import type { Clock, Store } from '../ports.js';

/** The named lock concurrent prunes queue on. */
const RETENTION_LOCK = 'rili:change-log-retention';

export class ChangeRetention {
  constructor(
    private readonly deps: { readonly store: Pick<Store, 'transact'>; readonly clock: Clock },
    readonly policy: RetentionPolicy,
  ) {}

  /** Prunes once; how many records went. */
  prune(): Promise<number> {
    const bounds = pruneBounds(this.policy, this.deps.clock.now());
    return this.deps.store.transact(async (w) => {
      await w.events.lockSeries(RETENTION_LOCK);
      return w.changes.prune(bounds);
    });
  }

  /**
   * Prunes after `firstMs`, then every `everyMs`, until the returned stop is called, reporting each
   * run's outcome. A failed run (the database away) is tried again on schedule.
   */
  every(everyMs: number, report: (outcome: { pruned: number } | { error: unknown }) => void, firstMs = Math.min(everyMs, 60_000)): () => void {
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const run = async () => {
      try {
        report({ pruned: await this.prune() });
      } catch (error) {
        report({ error });
      }
      if (!stopped) timer = setTimeout(() => void run(), everyMs).unref();
    };
    timer = setTimeout(() => void run(), firstMs).unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }
}
