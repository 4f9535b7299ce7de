import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../core/types.js';
import { grantLive } from '../oauth/access-tokens.js';
import { tokenApp, tokenUser } from '../token-subjects.js';
import { FeishuError } from './errors.js';
import type { FeishuCode } from './errors.js';

/**
 * Tells the caller from `Authorization: Bearer <token>`: a `t-` token is the app (as its bot), a `u-`
 * token a user through the app. Each failure answers with the code the real gateway gives.
 */
export async function authenticateFeishu(request: FastifyRequest, ctx: AppContext): Promise<Actor> {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ') || header.length <= 7) {
    throw new FeishuError(99991661, 'Authorization header must be "Bearer <token>"');
  }
  const token = header.slice(7).trim();
  const isUserToken = token.startsWith('u-') || token.startsWith('eyJ');
  const isTenantToken = token.startsWith('t-');
  if (!isUserToken && !isTenantToken) throw new FeishuError(99991671, 'the token must start with t- or u-');
  const invalid: FeishuCode = isUserToken ? 99991668 : 99991663;
  const check = ctx.tokens.verify(token, Math.floor(ctx.clock.now() / 1000));
  if (!check.ok) {
    if (check.reason === 'expired') throw new FeishuError(isUserToken ? 99991677 : 99991663, 'the token has expired');
    throw new FeishuError(invalid, `the token is ${check.reason}`);
  }
  const { claims } = check;
  const app = await tokenApp(ctx, claims.appId);
  if (!app || app.platform !== 'feishu' || app.tenantKey !== claims.tenantKey) throw new FeishuError(invalid, 'the token\'s app is unknown');
  if (claims.kind === 'tenant') return { kind: 'app', tenantKey: app.tenantKey, appId: app.appId };
  if (claims.kind === 'user' && claims.userId) {
    const user = await tokenUser(ctx, claims.userId);
    if (!user || user.tenantKey !== app.tenantKey) throw new FeishuError(invalid, 'the token\'s user is unknown');
    if (!(await grantLive(ctx, claims))) throw new FeishuError(invalid, 'the token was revoked or replaced by a refresh');
    request.grantedScopes = claims.scopes;
    return { kind: 'user', tenantKey: app.tenantKey, appId: app.appId, userId: user.id };
  }
  throw new FeishuError(invalid, 'not a Feishu access token');
}
