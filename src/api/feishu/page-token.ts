import { DomainError } from '../../core/errors.js';
import type { DomainErrorKind } from '../../core/errors.js';

/**
 * Page and sync tokens are opaque to clients: versioned JSON in base64url. They hold positions,
 * not server state, so they survive restarts and work on any process.
 */
export function encodeToken(kind: string, value: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, k: kind, p: value })).toString('base64url');
}

export function decodeToken<T>(kind: string, token: string, field: string, errorKind: DomainErrorKind = 'page_token_invalid'): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; k?: string; p?: T };
    if (parsed.v === 1 && parsed.k === kind && parsed.p !== undefined && parsed.p !== null) return parsed.p;
  } catch {
    // fall through: any undecodable token is unknown
  }
  throw new DomainError(errorKind, `${field} is invalid or expired`, field);
}
