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
  /**
   * The scopes granted at sign-in, for tokens issued through OAuth; absent (sandbox-minted and app
   * tokens), every scope.
   */
  readonly scopes?: readonly string[];
  /** The OAuth grant the token came from and its generation: revoking or rotating the grant ends it. */
  readonly grant?: { readonly id: string; readonly generation: number };
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
  /** A MAC of `text` for one purpose (e.g. the sign-in form), under the same secret. */
  mac(purpose: string, text: string): string;
}

/** Makes a signer over a secret. */
export function tokenSigner(secret: string): TokenSigner {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    mac: (purpose, text) => mac(`${purpose}\u0000${text}`),
    issue(claims, issuedAt, ttlSeconds = TOKEN_TTL_SECONDS) {
      const exp = issuedAt + ttlSeconds;
      const payload: unknown[] = [claims.kind, claims.tenantKey, claims.appId, claims.userId ?? '', exp];
      if (claims.scopes || claims.grant) payload.push(claims.scopes?.join(' ') ?? null, claims.grant?.id ?? null, claims.grant?.generation ?? null);
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
      if (!Array.isArray(parsed) || (parsed.length !== 5 && parsed.length !== 8)) return { ok: false, reason: 'malformed' };
      const [kind, tenantKey, appId, userId, exp, scope, grantId, generation] = parsed as [TokenKind, string, string, string, number, string | null, string | null, number | null];
      if (PREFIX[kind] !== prefix) return { ok: false, reason: 'forged' };
      if (exp <= nowSeconds) return { ok: false, reason: 'expired' };
      return {
        ok: true,
        claims: {
          kind, tenantKey, appId, ...(userId ? { userId } : {}), exp,
          ...(typeof scope === 'string' ? { scopes: scope === '' ? [] : scope.split(' ') } : {}),
          ...(typeof grantId === 'string' && typeof generation === 'number' ? { grant: { id: grantId, generation } } : {}),
        },
      };
    },
  };
}
