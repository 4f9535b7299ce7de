import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../../../../context.js';
import type { Issued } from '../../../../../core/service/oauth-service.js';
import { accessTokenFor } from '../../../../oauth/access-tokens.js';
import { defineRoute } from '../../../../route.js';
import { FEISHU_ERRORS, OAUTH_ERROR_OF, V2_BAD_CLIENT, V2_MISSING_PARAMETER, V2_SERVER_ERROR, V2_TOKEN_CODE_OF } from '../../../errors.js';
import type { FeishuCode } from '../../../errors.js';
import { REFRESH_PREFIX, V2_ACCESS_TTL, V2_REFRESH_TTL, scopeText } from '../../sign-in.js';

/** A refusal of the v2 endpoint: HTTP 400 (500 for 20050) with a flat RFC 6749 body plus Feishu's code. */
class TokenRefusal extends Error {
  constructor(readonly code: FeishuCode, readonly description: string) {
    super(description);
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Client credentials from the body, or from HTTP Basic (RFC 6749 §2.3.1). */
function clientCredentials(body: Record<string, unknown>, authorization: string | undefined): { id?: string; secret?: string } {
  if (authorization?.startsWith('Basic ')) {
    const [id, ...secret] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret.join(':')) };
  }
  return { id: str(body.client_id), secret: str(body.client_secret) };
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/** Only `offline_access` earns a refresh token (7 days). */
const refreshTtlOf = (scopes: readonly string[] | undefined) => (scopes === undefined || scopes.includes('offline_access') ? V2_REFRESH_TTL : undefined);

function sendRefusal(reply: FastifyReply, refusal: TokenRefusal): FastifyReply {
  const status = FEISHU_ERRORS[refusal.code].status;
  return reply.code(status).header('cache-control', 'no-store').send({
    code: refusal.code, error: OAUTH_ERROR_OF[refusal.code] ?? 'invalid_request', error_description: refusal.description,
  });
}

async function grantFor(ctx: AppContext, body: Record<string, unknown>, authorization: string | undefined): Promise<Issued & { ok: true }> {
  const grantType = str(body.grant_type);
  if (grantType === undefined) throw new TokenRefusal(V2_MISSING_PARAMETER, 'grant_type is required');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw new TokenRefusal(V2_MISSING_PARAMETER, 'grant_type must be authorization_code or refresh_token');
  }
  const client = clientCredentials(body, authorization);
  if (client.id === undefined || client.secret === undefined) throw new TokenRefusal(V2_MISSING_PARAMETER, 'client_id and client_secret are required');
  const app = await ctx.directory.app('feishu', client.id);
  if (!app || app.secret !== client.secret) throw new TokenRefusal(V2_BAD_CLIENT, 'client_id or client_secret is invalid');
  let issued: Issued;
  if (grantType === 'authorization_code') {
    const code = str(body.code);
    if (code === undefined) throw new TokenRefusal(V2_MISSING_PARAMETER, 'code is required');
    const verifier = str(body.code_verifier);
    issued = await ctx.oauth.exchangeCode({
      code, appId: app.appId, redirectUri: str(body.redirect_uri),
      verifier: verifier === undefined ? undefined : { S256: s256(verifier), plain: verifier },
      acceptsVerifier: true, flow: 'v2', refreshTtl: refreshTtlOf, refreshPrefix: REFRESH_PREFIX,
    });
  } else {
    const refreshToken = str(body.refresh_token);
    if (refreshToken === undefined) throw new TokenRefusal(V2_MISSING_PARAMETER, 'refresh_token is required');
    issued = await ctx.oauth.refresh({ refreshToken, appId: app.appId, flow: 'v2', refreshTtl: V2_REFRESH_TTL, refreshPrefix: REFRESH_PREFIX });
  }
  if (!issued.ok) throw new TokenRefusal(V2_TOKEN_CODE_OF[issued.reason], issued.reason.replace('_', ' '));
  return issued;
}

/**
 * `POST /open-apis/authen/v2/oauth/token` (RFC 6749; no SDK method): `authorization_code` with an
 * optional PKCE `code_verifier`, and `refresh_token` with single-use rotation. A flat body, JSON or
 * form-encoded; refusals are HTTP 400 with Feishu's code and the OAuth `error`.
 */
export const oauthToken = defineRoute({
  method: 'POST',
  url: '/authen/v2/oauth/token',
  schema: {},
  auth: 'none',
  envelope: 'raw',
  async handle({ body, request, reply }, ctx) {
    const fields = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    try {
      const { grant, refreshToken } = await grantFor(ctx, fields, request.headers.authorization);
      const { token, expiresIn } = accessTokenFor(ctx, grant, V2_ACCESS_TTL);
      const now = Math.floor(ctx.clock.now() / 1000);
      reply.header('cache-control', 'no-store');
      return {
        code: 0,
        access_token: token,
        expires_in: expiresIn,
        ...(refreshToken ? { refresh_token: refreshToken, refresh_token_expires_in: grant.refreshExpiresAt! - now } : {}),
        token_type: 'Bearer',
        scope: scopeText(grant),
      };
    } catch (error) {
      if (error instanceof TokenRefusal) return sendRefusal(reply, error);
      request.log.error({ err: error }, 'unexpected error');
      return sendRefusal(reply, new TokenRefusal(V2_SERVER_ERROR, 'internal server error'));
    }
  },
});
