import { DomainError } from '../../core/errors.js';
import type { DomainErrorKind } from '../../core/errors.js';

/**
 * Page and sync tokens are opaque to clients: versioned JSON in base64url. They hold positions,
 * not server state, so they survive restarts and work on any process.
 */
export function encodeToken(kind: string, value: unknown): string {
  return Buffer.from(JSON.stringify({ v: 1, k: kind, p: value })).toString('base64url');
}

type Scalar = 'number' | 'string';
type Shape = Scalar | Readonly<Record<string, Scalar>>;

/**
 * What each kind of token holds. A client can decode and re-encode a token, so a position of the
 * wrong shape is refused here rather than reaching a query.
 */
const SHAPES: Readonly<Record<string, readonly Shape[]>> = {
  'calendar-page': [{ after: 'string', seq: 'number' }],
  'calendar-sync': ['number'],
  'calendar-search': ['string'],
  'acl-page': ['string'],
  'event-page': [{ after: 'string', seq: 'number' }, { since: 'number' }],
  'event-sync': ['number'],
  'event-search': [{ start: 'number', eventId: 'string' }],
  instances: [{ s: 'number', id: 'string' }, 'number'],
  'attendee-page': ['string'],
  'chat-member-page': ['string'],
};

const fits = (value: unknown, shape: Shape): boolean => {
  if (shape === 'number') return typeof value === 'number' && Number.isSafeInteger(value);
  if (shape === 'string') return typeof value === 'string' && value.length <= 512;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return Object.keys(record).length === Object.keys(shape).length && Object.entries(shape).every(([k, s]) => fits(record[k], s));
};

export function decodeToken<T>(kind: string, token: string, field: string, errorKind: DomainErrorKind = 'page_token_invalid'): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; k?: string; p?: T };
    const shapes = SHAPES[kind];
    const shapeOk = shapes === undefined ? parsed.p !== undefined && parsed.p !== null : shapes.some((shape) => fits(parsed.p, shape));
    if (parsed.v === 1 && parsed.k === kind && shapeOk) return parsed.p as T;
  } catch {
    // fall through: any undecodable token is unknown
  }
  throw new DomainError(errorKind, `${field} is invalid or expired`, field);
}
