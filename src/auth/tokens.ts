import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Access tokens are signed, not stored: any process that knows the secret can check them, and they
 * stay valid across restarts (the Feishu SDK caches a tenant token for ~2 h and never refreshes it on
 * rejection).
 */
export type TokenKind = 'tenant' | 'app' | 'user' | 'dingtalk_app' | 'dingtalk_user';

export interface TokenClaims {
  readonly kind: TokenKind;
  readonly tenantKey: string;
  readonly appId: string;
  /** Internal user id, for user tokens. */
  readonly userId?: string;
  /** Expiry, Unix seconds. */
  readonly exp: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

/** Feishu's prefixes: the server tells identity from the token type. DingTalk tokens carry none. */
const PREFIX: Record<TokenKind, string> = {
  tenant: 't-',
  app: 'a-',
  user: 'u-',
  dingtalk_app: '',
  dingtalk_user: '',
};

/** Lifetime the platforms give: two hours. */
export const TOKEN_TTL_SECONDS = 7200;

export interface TokenSigner {
  issue(claims: Omit<TokenClaims, 'exp'>, issuedAt: number, ttlSeconds?: number): { token: string; exp: number };
  verify(token: string, nowSeconds: number): TokenCheck;
}

/** Makes a signer over a secret. */
export function tokenSigner(secret: string): TokenSigner {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    issue(claims, issuedAt, ttlSeconds = TOKEN_TTL_SECONDS) {
      const exp = issuedAt + ttlSeconds;
      const payload = [claims.kind, claims.tenantKey, claims.appId, claims.userId ?? '', exp];
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const prefix = PREFIX[claims.kind];
      return { token: `${prefix}${body}.${mac(prefix + body)}`, exp };
    },
    verify(token, nowSeconds) {
      const match = /^(t-|a-|u-)?([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match) return { ok: false, reason: 'malformed' };
      const [, prefix = '', body, signature] = match;
      const expected = Buffer.from(mac(prefix + body));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (!Array.isArray(parsed) || parsed.length !== 5) return { ok: false, reason: 'malformed' };
      const [kind, tenantKey, appId, userId, exp] = parsed as [TokenKind, string, string, string, number];
      if (PREFIX[kind] !== prefix) return { ok: false, reason: 'forged' };
      if (exp <= nowSeconds) return { ok: false, reason: 'expired' };
      return { ok: true, claims: { kind, tenantKey, appId, ...(userId ? { userId } : {}), exp } };
    },
  };
}
