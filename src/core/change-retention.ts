/**
 * What a reader behind the kept change log is told. A minimal version of helper m-feed's file of the
 * same name (which also holds the retention policy): on merging, take m-feed's.
 */
import { DomainError } from './errors.js';

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
