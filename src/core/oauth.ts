/**
 * Sign-in (OAuth 2 authorization codes and refresh tokens), as plain decisions: what a code or a
 * refresh token is worth at a given time. Secrets arrive already hashed; the service does the I/O.
 */
import type { Platform } from './types.js';

/** Which token endpoints may use a grant: Feishu's v1 OIDC pair, Feishu's v2 OAuth, or DingTalk's. */
export type OAuthFlow = 'v1' | 'v2' | 'dingtalk';

export interface OAuthCode {
  readonly codeHash: string;
  readonly platform: Platform;
  readonly appId: string;
  readonly tenantKey: string;
  readonly userId: string;
  /** Scopes granted; undefined: every scope. */
  readonly scopes: readonly string[] | undefined;
  readonly redirectUri: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly challengeMethod: 'S256' | 'plain' | undefined;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | undefined;
  /** The grant the first exchange made: a second exchange revokes it (RFC 6749 §4.1.2). */
  readonly grantId: string | undefined;
}

export interface OAuthGrant {
  readonly id: string;
  readonly platform: Platform;
  readonly flow: OAuthFlow;
  readonly appId: string;
  readonly tenantKey: string;
  readonly userId: string;
  readonly scopes: readonly string[] | undefined;
  readonly generation: number;
  readonly refreshHash: string | undefined;
  readonly refreshExpiresAt: number | undefined;
  readonly rotatedAt: number | undefined;
  readonly revokedAt: number | undefined;
  readonly createdAt: number;
}

/** Five minutes, single use (Feishu and DingTalk alike). */
export const CODE_TTL_SECONDS = 300;
/** An access token of the generation before a refresh keeps working this long (Feishu v2). */
export const ROTATION_GRACE_SECONDS = 60;

export type CodeRefusal = 'code_invalid' | 'code_expired' | 'code_used' | 'app_mismatch' | 'redirect_mismatch' | 'pkce_failed' | 'pkce_missing';
export type RefreshRefusal = 'refresh_invalid' | 'refresh_expired' | 'refresh_revoked' | 'app_mismatch' | 'wrong_flow';

/** What the exchanger presents besides the code. `verifierDigests` holds the verifier as each method compares it. */
export interface CodePresentation {
  readonly appId: string;
  readonly redirectUri: string | undefined;
  /** Whether this endpoint checks redirect_uri (Feishu v2 does when one is sent). */
  readonly verifier: { readonly S256: string; readonly plain: string } | undefined;
  /** Endpoints without a code_verifier field (v1, DingTalk) cannot redeem a PKCE code. */
  readonly acceptsVerifier: boolean;
}

/** Whether a code may be exchanged now; a used code is refused (and its grant revoked by the caller). */
export function decideCodeExchange(code: OAuthCode | undefined, given: CodePresentation, now: number): CodeRefusal | undefined {
  if (!code) return 'code_invalid';
  if (code.appId !== given.appId) return 'app_mismatch';
  if (code.usedAt !== undefined) return 'code_used';
  if (code.expiresAt <= now) return 'code_expired';
  if (given.redirectUri !== undefined && code.redirectUri !== undefined && given.redirectUri !== code.redirectUri) return 'redirect_mismatch';
  if (code.codeChallenge !== undefined) {
    if (!given.acceptsVerifier || given.verifier === undefined) return 'pkce_missing';
    if (given.verifier[code.challengeMethod ?? 'plain'] !== code.codeChallenge) return 'pkce_failed';
  }
  return undefined;
}

/** Whether a refresh token (by its hash) may be spent now on this flow. */
export function decideRefresh(grant: OAuthGrant | undefined, given: { appId: string; refreshHash: string; flow: OAuthFlow }, now: number): RefreshRefusal | undefined {
  if (!grant || grant.refreshHash === undefined || grant.refreshHash !== given.refreshHash) return 'refresh_invalid';
  if (grant.appId !== given.appId) return 'app_mismatch';
  if (grant.flow !== given.flow) return 'wrong_flow';
  if (grant.revokedAt !== undefined) return 'refresh_revoked';
  if (grant.refreshExpiresAt !== undefined && grant.refreshExpiresAt <= now) return 'refresh_expired';
  return undefined;
}

/** Whether an access token of `generation` from this grant still works. */
export function accessTokenLive(grant: OAuthGrant | undefined, generation: number, now: number): boolean {
  if (!grant || grant.revokedAt !== undefined) return false;
  if (generation === grant.generation) return true;
  return generation === grant.generation - 1 && grant.rotatedAt !== undefined && now < grant.rotatedAt + ROTATION_GRACE_SECONDS;
}

/** Scopes as a request names them: space-separated, deduplicated, order kept. */
export function parseScopes(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter((s) => s !== ''))];
}
