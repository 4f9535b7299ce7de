import { DingtalkError } from './errors.js';
import type { DingtalkCode } from './errors.js';

/**
 * nextToken and syncToken are opaque to clients: versioned JSON positions in base64url. They hold no
 * server state, so they survive restarts and work on every process.
 */
export function encodeToken(kind: string, value: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, k: kind, p: value })).toString('base64url');
}

/** Decodes a token of one kind; anything else is `params.invalid` (nextToken) or the given code. */
export function decodeToken<T>(kind: string, token: string, field: string, code: DingtalkCode = 'params.invalid'): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; k?: string; p?: T };
    if (parsed.v === 1 && parsed.k === kind && parsed.p !== undefined && parsed.p !== null) return parsed.p;
  } catch {
    // fall through: an undecodable token is unknown
  }
  throw new DingtalkError(code, `${field} is invalid or expired`);
}
