import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../core/types.js';
import { grantLive } from '../oauth/access-tokens.js';
import { tokenApp } from '../token-subjects.js';
import { DingtalkError } from './errors.js';

/**
 * DingTalk reads the token only from `x-acs-dingtalk-access-token`. An app token acts as the app;
 * the user whose calendar is addressed comes from the path (the DingTalk model).
 */
export async function authenticateDingtalk(request: FastifyRequest, ctx: AppContext): Promise<Actor> {
  const token = request.headers['x-acs-dingtalk-access-token'];
  if (typeof token !== 'string' || token === '') throw new DingtalkError('AuthenticationFailed.MissingParameter');
  const check = ctx.tokens.verify(token, Math.floor(ctx.clock.now() / 1000));
  if (!check.ok) throw new DingtalkError('InvalidAuthentication');
  const { claims } = check;
  if (claims.kind !== 'dingtalk_app' && claims.kind !== 'dingtalk_user') throw new DingtalkError('InvalidAuthentication');
  const app = await tokenApp(ctx, claims.appId);
  if (!app || app.platform !== 'dingtalk' || app.tenantKey !== claims.tenantKey) throw new DingtalkError('InvalidAuthentication');
  if (claims.kind === 'dingtalk_user' && claims.userId) {
    if (!(await grantLive(ctx, claims))) throw new DingtalkError('InvalidAuthentication', 'the token was revoked or replaced by a refresh');
    return { kind: 'user', tenantKey: app.tenantKey, appId: app.appId, userId: claims.userId };
  }
  return { kind: 'app', tenantKey: app.tenantKey, appId: app.appId };
}
