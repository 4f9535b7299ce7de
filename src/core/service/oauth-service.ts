import { CODE_TTL_SECONDS, decideCodeExchange, decideRefresh } from '../oauth.js';
import type { CodeRefusal, OAuthCode, OAuthFlow, OAuthGrant, RefreshRefusal } from '../oauth.js';
import type { CoreDeps } from './calendar-service.js';

/** A secret as stored: its hash (the store never holds a usable code or refresh token). */
export type SecretHash = (secret: string) => string;

/** What a code is issued for: the code's own facts, before anything about its use. */
export type CodeRequest = Pick<OAuthCode, 'platform' | 'appId' | 'tenantKey' | 'userId' | 'scopes' | 'redirectUri' | 'codeChallenge' | 'challengeMethod'>;

export interface CodeExchange {
  readonly code: string;
  readonly appId: string;
  readonly redirectUri: string | undefined;
  readonly verifier: { readonly S256: string; readonly plain: string } | undefined;
  readonly acceptsVerifier: boolean;
  readonly flow: OAuthFlow;
  /** Lifetime of the refresh token to issue, seconds; a function of the granted scopes (v2 needs offline_access). */
  readonly refreshTtl: (scopes: readonly string[] | undefined) => number | undefined;
  /** Put before the refresh token (`ur-` on Feishu). */
  readonly refreshPrefix: string;
}

export type Issued =
  | { readonly ok: true; readonly grant: OAuthGrant; readonly refreshToken: string | undefined }
  | { readonly ok: false; readonly reason: CodeRefusal | RefreshRefusal };

/**
 * Sign-in: authorization codes become grants; a grant's refresh token is single use and rotates; a
 * code used twice revokes what its first use issued. Every step is one transaction, so any worker
 * (and a restarted server) sees the same state.
 */
export class OAuthService {
  constructor(private readonly deps: CoreDeps, private readonly hash: SecretHash) {}

  private nowSeconds(): number {
    return Math.floor(this.deps.clock.now() / 1000);
  }

  /** A new code for a user's consent: 64 characters, five minutes, single use. */
  issueCode(request: CodeRequest): Promise<string> {
    const code = this.deps.ids.random(64);
    const now = this.nowSeconds();
    return this.deps.store.transact(async (w) => {
      await w.oauth.putCode({
        ...request, codeHash: this.hash(code), createdAt: now, expiresAt: now + CODE_TTL_SECONDS, usedAt: undefined, grantId: undefined,
      });
      // Expired codes are worthless: sweep them as new ones come (an index keeps this cheap).
      await w.oauth.purgeCodes(now - CODE_TTL_SECONDS);
      return code;
    });
  }

  /** Exchanges a code for a new grant (and its first refresh token, when the flow gives one). */
  exchangeCode(given: CodeExchange): Promise<Issued> {
    const now = this.nowSeconds();
    const codeHash = this.hash(given.code);
    return this.deps.store.transact(async (w): Promise<Issued> => {
      const code = await w.oauth.code(codeHash);
      const refusal = decideCodeExchange(code, given, now);
      if (refusal === 'code_used') {
        await this.revokeFirstUse(w.oauth, code!, now);
        return { ok: false, reason: refusal };
      }
      if (refusal) return { ok: false, reason: refusal };
      const found = code!;
      const grantId = this.deps.ids.random(24);
      if (!(await w.oauth.spendCode(codeHash, now, grantId))) {
        const winner = await w.oauth.code(codeHash);
        if (winner) await this.revokeFirstUse(w.oauth, winner, now);
        return { ok: false, reason: 'code_used' };
      }
      const refreshTtl = given.refreshTtl(found.scopes);
      const refresh = refreshTtl === undefined ? undefined : this.newRefreshToken(grantId, given.refreshPrefix);
      const grant: OAuthGrant = {
        id: grantId, platform: found.platform, flow: given.flow, appId: found.appId, tenantKey: found.tenantKey, userId: found.userId,
        scopes: found.scopes, generation: 1, refreshHash: refresh && this.hash(refresh),
        refreshExpiresAt: refreshTtl === undefined ? undefined : now + refreshTtl, rotatedAt: undefined, revokedAt: undefined, createdAt: now,
      };
      await w.oauth.putGrant(grant);
      return { ok: true, grant, refreshToken: refresh };
    });
  }

  /** Spends a refresh token: the grant's next generation and a new refresh token; the old one stops working. */
  refresh(given: { refreshToken: string; appId: string; flow: OAuthFlow; refreshTtl: number; refreshPrefix: string }): Promise<Issued> {
    const now = this.nowSeconds();
    const grantId = this.grantIdOf(given.refreshToken, given.refreshPrefix);
    if (grantId === undefined) return Promise.resolve({ ok: false, reason: 'refresh_invalid' });
    const refreshHash = this.hash(given.refreshToken);
    return this.deps.store.transact(async (w): Promise<Issued> => {
      const grant = await w.oauth.grant(grantId);
      const refusal = decideRefresh(grant, { appId: given.appId, refreshHash, flow: given.flow }, now);
      if (refusal) return { ok: false, reason: refusal };
      const refresh = this.newRefreshToken(grantId, given.refreshPrefix);
      const next = { refreshHash: this.hash(refresh), refreshExpiresAt: now + given.refreshTtl, generation: grant!.generation + 1, rotatedAt: now };
      if (!(await w.oauth.rotateGrant(grantId, refreshHash, next))) return { ok: false, reason: 'refresh_invalid' };
      return { ok: true, grant: { ...grant!, ...next }, refreshToken: refresh };
    });
  }

  /** Revokes the grant a refresh token belongs to; false when the token is not one in force. */
  revokeRefreshToken(refreshToken: string, refreshPrefix: string): Promise<boolean> {
    const grantId = this.grantIdOf(refreshToken, refreshPrefix);
    if (grantId === undefined) return Promise.resolve(false);
    const now = this.nowSeconds();
    return this.deps.store.transact(async (w) => {
      const grant = await w.oauth.grant(grantId);
      if (!grant || grant.revokedAt !== undefined || grant.refreshHash !== this.hash(refreshToken)) return false;
      await w.oauth.revokeGrant(grantId, now);
      return true;
    });
  }

  /** Revokes a grant by id (an access token names its grant). */
  revokeGrant(grantId: string): Promise<boolean> {
    const now = this.nowSeconds();
    return this.deps.store.transact(async (w) => {
      const grant = await w.oauth.grant(grantId);
      if (!grant || grant.revokedAt !== undefined) return false;
      await w.oauth.revokeGrant(grantId, now);
      return true;
    });
  }

  grant(id: string): Promise<OAuthGrant | undefined> {
    return this.deps.store.read((r) => r.oauth.grant(id));
  }

  private async revokeFirstUse(oauth: { revokeGrant(id: string, at: number): Promise<void> }, code: OAuthCode, now: number): Promise<void> {
    if (code.grantId !== undefined) await oauth.revokeGrant(code.grantId, now);
  }

  private newRefreshToken(grantId: string, prefix: string): string {
    return `${prefix}${grantId}.${this.deps.ids.random(43)}`;
  }

  private grantIdOf(refreshToken: string, prefix: string): string | undefined {
    if (!refreshToken.startsWith(prefix)) return undefined;
    const match = /^([A-Za-z0-9]{24})\.[A-Za-z0-9]{43}$/.exec(refreshToken.slice(prefix.length));
    return match?.[1];
  }
}
