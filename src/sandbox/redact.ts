/** What the journal shows in place of a secret. */
export const REDACTED = '[redacted]';

const norm = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

/** Keys whose values are secrets wherever they appear (headers, query, bodies of requests and answers). */
const SECRET_KEYS = new Set([
  'authorization', 'cookie', 'setcookie', 'xacsdingtalkaccesstoken',
  'appsecret', 'clientsecret', 'secret', 'password', 'codeverifier',
  'accesstoken', 'refreshtoken', 'tenantaccesstoken', 'appaccesstoken', 'useraccesstoken', 'apptickets', 'appticket', 'token',
]);

/**
 * In requests, `code` is an OAuth authorization code (and `authCode` DingTalk's); in answers `code` is
 * the platforms' error code, which is what a reader wants to see, so it is only hidden in requests.
 */
const REQUEST_ONLY_SECRET_KEYS = new Set(['code', 'authcode', 'tmpauthcode']);

export type Side = 'request' | 'response';

const isSecret = (key: string, side: Side): boolean => {
  const k = norm(key);
  return SECRET_KEYS.has(k) || (side === 'request' && REQUEST_ONLY_SECRET_KEYS.has(k));
};

/** A copy of a JSON-like value with every secret-named field's value replaced. */
export function redact(value: unknown, side: Side, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, side, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSecret(key, side) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, side, depth + 1);
  }
  return out;
}

/** A URL (path and query, or absolute) with secret query parameters replaced; also used for `Location`. */
export function redactUrl(url: string, side: Side): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const key of new Set(params.keys())) {
    if (isSecret(key, side)) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}
