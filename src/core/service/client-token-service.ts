import type { ClientTokenClaim, ClientTokenRecord } from '../ports.js';
import type { CoreDeps } from './calendar-service.js';

/** How long a client token holds: "expires in 1 day" (DingTalk's PUT seed). */
export const CLIENT_TOKEN_TTL = 86_400;
/** A claim still processing after this long was abandoned by a process that died: far longer than any request runs. */
export const ABANDONED_AFTER = 120;

/**
 * What a claim comes to: run the operation (the claim is held), replay the first response, or refuse:
 * `conflict` when the token was used for another request, `processing` while its first use still runs.
 */
export type ClaimOutcome =
  | { readonly kind: 'run'; readonly claim: ClientTokenClaim }
  | { readonly kind: 'replay'; readonly status: number; readonly body: string }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'processing' };

/** The pure decision on a token already held by `row`: take it over, refuse, or replay. */
export function claimDecision(row: ClientTokenRecord, requestHash: string, now: number): 'take_over' | 'conflict' | 'processing' | 'replay' {
  const expired = row.createdAt <= now - CLIENT_TOKEN_TTL;
  const abandoned = row.state === 'processing' && row.createdAt <= now - ABANDONED_AFTER;
  if (expired || abandoned) return 'take_over';
  if (row.requestHash !== requestHash) return 'conflict';
  if (row.state === 'processing') return 'processing';
  return 'replay';
}

/**
 * Idempotency keys kept in the store, so they hold across processes: a claim is made by
 * insert-if-absent in a transaction of its own before the operation runs; the first response is
 * recorded for replays, or the claim let go when the operation failed.
 */
export class ClientTokenService {
  constructor(private readonly deps: CoreDeps) {}

  /** Claims `token` for a request hashed `requestHash`, at `now` (Unix seconds). */
  claim(appId: string, token: string, requestHash: string, now: number): Promise<ClaimOutcome> {
    const claim: ClientTokenClaim = { appId, token, requestHash, createdAt: now };
    return this.deps.store.transact(async (w): Promise<ClaimOutcome> => {
      // A row can vanish or change between the insert and the read (released, taken over): look again.
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await w.clientTokens.claimClientToken(claim)) return { kind: 'run', claim };
        const row = await w.clientTokens.clientToken(appId, token);
        if (!row) continue;
        const decision = claimDecision(row, requestHash, now);
        if (decision === 'take_over') {
          if (await w.clientTokens.takeOverClientToken(claim, row)) return { kind: 'run', claim };
          continue;
        }
        if (decision === 'replay') return { kind: 'replay', status: row.status ?? 200, body: row.body ?? '{}' };
        return { kind: decision };
      }
      return { kind: 'processing' };
    });
  }

  /** Records the first response, for replays. */
  finish(claim: ClientTokenClaim, status: number, body: string): Promise<void> {
    return this.deps.store.transact((w) => w.clientTokens.finishClientToken(claim, { status, body }));
  }

  /** Lets a claim go: the operation failed and a retry with the token runs it again. */
  release(claim: ClientTokenClaim): Promise<void> {
    return this.deps.store.transact((w) => w.clientTokens.releaseClientToken(claim));
  }

  /** Deletes claims made before `now - CLIENT_TOKEN_TTL`; returns how many. */
  purgeExpired(now: number): Promise<number> {
    return this.deps.store.transact((w) => w.clientTokens.purgeClientTokens(now - CLIENT_TOKEN_TTL));
  }
}
