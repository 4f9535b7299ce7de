import { createHash } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { isStoreUnavailable } from '../../core/errors.js';
import type { ClientTokenClaim } from '../../core/ports.js';
import { ABANDONED_AFTER } from '../../core/service/client-token-service.js';
import type { ClaimOutcome as Claim } from '../../core/service/client-token-service.js';
import { DingtalkError } from './errors.js';

export { ABANDONED_AFTER, CLIENT_TOKEN_TTL } from '../../core/service/client-token-service.js';
export const MAX_CLIENT_TOKEN_LENGTH = 256;
/** How often one process sweeps out expired claims. */
const PURGE_EVERY = 3600;

/** Bounds on what is hashed: a hostile body must not overflow the stack or take seconds. */
const MAX_DEPTH = 64;
const MAX_NODES = 50_000;

/** JSON with object keys sorted, so the same request always hashes the same. */
function canonical(value: unknown): string {
  let nodes = 0;
  const walk = (v: unknown, depth: number): string => {
    if (++nodes > MAX_NODES) throw new DingtalkError('invalidParameter', `the request body has more than ${MAX_NODES} values`);
    if (depth > MAX_DEPTH) throw new DingtalkError('invalidParameter', `the request body is nested more than ${MAX_DEPTH} levels deep`);
    if (Array.isArray(v)) return `[${v.map((x) => walk(x, depth + 1)).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      // Count the keys before sorting them: sorting a hostile object's keys is the slow part.
      const keys = Object.keys(v);
      nodes += keys.length;
      if (nodes > MAX_NODES) throw new DingtalkError('invalidParameter', `the request body has more than ${MAX_NODES} values`);
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${walk(x, depth + 1)}`).join(',')}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return walk(value, 0);
}

/** What a request asks for: who asks, the method, the path with its query, and the body. */
export function requestHash(parts: { principal: string; method: string; url: string; body: unknown }): string {
  return createHash('sha256').update(canonical([parts.principal, parts.method, parts.url, parts.body ?? null])).digest('hex');
}

/** A claim to run the operation under, or the first response to replay (refusals are thrown as DingTalk errors). */
export type ClaimOutcome = Extract<Claim, { kind: 'run' | 'replay' }>;

/**
 * `x-client-token` idempotency, kept in the store so it holds across processes. A claim is made by
 * insert-if-absent in a transaction of its own before the operation runs: the same token with the
 * same request replays the first response and writes nothing; with another request it is 409
 * `invalidRequest.duplicateClientToken`; while the first still runs, 400 `idempotencyProcessing`.
 */
export class ClientTokens {
  private lastPurge = 0;

  constructor(private readonly ctx: AppContext) {}

  private now(): number {
    return Math.floor(this.ctx.clock.now() / 1000);
  }

  async claim(appId: string, token: string, hash: string): Promise<ClaimOutcome> {
    if (token.length > MAX_CLIENT_TOKEN_LENGTH) throw new DingtalkError('invalidParameter', `x-client-token must not be longer than ${MAX_CLIENT_TOKEN_LENGTH} characters`);
    const now = this.now();
    await this.purge(now);
    const claim: ClientTokenClaim = { appId, token, requestHash: hash, createdAt: now };
    return this.ctx.clientTokens.claim(appId, token, hash, now).then((outcome): ClaimOutcome => {
      if (outcome.kind === 'conflict') throw new DingtalkError('invalidRequest.duplicateClientToken');
      if (outcome.kind === 'processing') throw new DingtalkError('idempotencyProcessing');
      return outcome;
    }).catch(async (error: unknown) => {
      // A connection lost during COMMIT leaves it unknown whether the claim was made: let it go (if it
      // was), or the token would answer idempotencyProcessing until abandoned.
      // In the background: the answer need not wait for a store that just failed.
      if (isStoreUnavailable(error)) void this.release(claim, () => {}).catch(() => {});
      throw error;
    });
  }

  /**
   * Records the first response, for replays. The operation has committed, so a store fault here does
   * not fail the request: the record is written once the store is back (until then a retry with the
   * token is answered idempotencyProcessing).
   */
  finish(claim: ClientTokenClaim, status: number, body: string, onError: (e: unknown) => void): Promise<void> {
    return this.settle(() => this.ctx.clientTokens.finish(claim, status, body), onError);
  }

  /**
   * The operation failed and wrote nothing that counts: a retry with the token runs it again. Were the
   * store down, the claim is let go once it is back, not held until abandoned (ABANDONED_AFTER).
   */
  release(claim: ClientTokenClaim, onError: (e: unknown) => void): Promise<void> {
    return this.settle(() => this.ctx.clientTokens.release(claim), onError);
  }

  /** Runs `write` now; if the store is briefly unavailable, again in the background until it lands or the claim would be abandoned anyway. */
  private async settle(write: () => Promise<void>, onError: (e: unknown) => void): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      onError(error);
      // 100 ms doubling to 5 s: about ABANDONED_AFTER (120 s) in all, after which a retry takes the claim over anyway.
      const again = (delayMs: number, waitedMs: number) => {
        setTimeout(() => {
          write().catch((e: unknown) => {
            if (isStoreUnavailable(e) && waitedMs < ABANDONED_AFTER * 1000) again(Math.min(delayMs * 2, 5_000), waitedMs + delayMs);
            else onError(e);
          });
        }, delayMs).unref();
      };
      again(100, 0);
    }
  }

  private async purge(now: number): Promise<void> {
    if (now - this.lastPurge < PURGE_EVERY) return;
    this.lastPurge = now;
    // Housekeeping only: expired rows are ignored anyway, so a failed sweep changes nothing.
    await this.ctx.clientTokens.purgeExpired(now).catch(() => 0);
  }
}
