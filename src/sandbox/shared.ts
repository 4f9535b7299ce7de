import type { FaultHit, FaultInjector, FaultRuleInput, FaultRuleState } from './faults.js';
import type { JournalEntry, JournalFilter, RequestJournal } from './journal.js';
import { applyClockChange } from './virtual-clock.js';
import type { ClockChange, VirtualClock } from './virtual-clock.js';

/** Whether a fault error code exists in that dialect (the api layer knows the tables). */
export type KnownFaultError = (dialect: 'feishu' | 'dingtalk', error: number | string) => boolean;

/** What `GET /rili/v1/requests` answers, before its envelope. */
export interface JournalPage {
  readonly requests: JournalEntry[];
  /** Entries kept, and their bytes: in a cluster, summed over the workers. */
  readonly kept: number;
  readonly keptBytes: number;
}

/**
 * The sandbox state the admin API reads and changes. In one process, this process's clock, fault
 * rules and journal; in a cluster worker (cluster-sandbox.ts) the whole cluster's, through the primary:
 * a change holds on every worker before the promise resolves, and a read gathers every worker's.
 */
export interface SharedSandbox {
  /** Applies a checked clock change. */
  changeClock(change: ClockChange): Promise<void>;
  /** Whether any fault rule is set: when not, requests pay nothing for fault injection. */
  readonly faultsActive: boolean;
  /** The rule that fires on this request, if any; counts it. */
  faultHit(dialect: 'feishu' | 'dingtalk', method: string, path: string): Promise<FaultHit | undefined>;
  /** Replaces every rule; rejects (and the old rules stay) when one is invalid. */
  replaceFaults(inputs: readonly FaultRuleInput[], knownError: KnownFaultError, pickSeed: () => number): Promise<FaultRuleState[]>;
  listFaults(): Promise<FaultRuleState[]>;
  /** Clears every rule; answers how many there were. */
  clearFaults(): Promise<number>;
  /**
   * Matching entries, oldest first, at most `limit` of the newest; rejects on a malformed filter. In a
   * cluster the answer stops at an instant every worker numbers its later entries above, so polling
   * with `after` misses nothing; `whole` skips that cut (the stream's replay, which the live events
   * overlap anyway).
   */
  listRequests(filter: JournalFilter, limit?: number, options?: { whole?: boolean }): Promise<JournalPage>;
  /** Empties the journal; answers how many entries it dropped. */
  clearRequests(): Promise<number>;
}

/** The rules as inputs again, with the seeds they drew: what a worker hands the primary once it checked them. */
export const inputsOf = (rules: readonly FaultRuleState[]): FaultRuleInput[] => rules.map((r) => ({
  dialect: r.dialect, method: r.method, path: r.path, probability: r.probability, seed: r.seed,
  ...(r.times === undefined ? {} : { times: r.times }), latency_ms: r.latency_ms, ...(r.error === undefined ? {} : { error: r.error }),
}));

/** This process's own state: no cluster, no IPC. */
export function localShared(parts: { virtualClock?: VirtualClock; faults: FaultInjector; journal: RequestJournal }): SharedSandbox {
  const { virtualClock, faults, journal } = parts;
  return {
    async changeClock(change) {
      applyClockChange(virtualClock!, change);
    },
    get faultsActive() {
      return faults.active;
    },
    async faultHit(dialect, method, path) {
      return faults.hit(dialect, method, path);
    },
    async replaceFaults(inputs, knownError, pickSeed) {
      faults.replace(inputs, knownError, pickSeed);
      return faults.list();
    },
    async listFaults() {
      return faults.list();
    },
    async clearFaults() {
      const cleared = faults.list().length;
      faults.clear();
      return cleared;
    },
    async listRequests(filter, limit) {
      return { requests: journal.list(filter, limit), kept: journal.size, keptBytes: journal.totalBytes };
    },
    async clearRequests() {
      return journal.clear();
    },
  };
}
