/**
 * How long the change log keeps records, and what a reader behind the kept log is told. Pure: the
 * service (service/change-retention.ts) reads the clock and prunes through the store port.
 */
import { DomainError } from './errors.js';

export interface RetentionPolicy {
  /** Records older than this many days go. */
  readonly days: number;
  /** At most this many of the newest records stay. */
  readonly maxRecords: number;
}

/** A week of changes, and no more than a million records, whichever is fewer. */
export const DEFAULT_RETENTION: RetentionPolicy = { days: 7, maxRecords: 1_000_000 };

const DAY_MS = 86_400_000;

/** The store's prune request for a policy at a time: drop records before this instant, keep this many. */
export function pruneBounds(policy: RetentionPolicy, nowMs: number): { before: number; keep: number } {
  return { before: nowMs - policy.days * DAY_MS, keep: policy.maxRecords };
}

/**
 * Whether changes after `sinceSeq` can still be read whole: records through `prunedThrough` are gone,
 * so a position before that has lost some. Raises `sync_token_expired`, which each dialect answers
 * with its "sync token expired" code (the client drops the token and lists again).
 */
export function assertSyncable(sinceSeq: number, prunedThrough: number, field = 'sync_token'): void {
  if (sinceSeq < prunedThrough) {
    throw new DomainError('sync_token_expired', `${field} is older than the kept change log; list again without it`, field);
  }
}
