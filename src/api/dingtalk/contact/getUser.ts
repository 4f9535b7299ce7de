import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { DingtalkError } from '../errors.js';

/**
 * contact_1_0 `GetUser`, `GET /v1.0/contact/users/{unionId}`: `me` with a user token is the signed-in
 * user (what sign-in needs); another unionId is that user of the app's organisation.
 */
export const getUser = defineRoute({
  method: 'GET',
  url: '/contact/users/:unionId',
  schema: { params: Type.Object({ unionId: Type.String({ minLength: 1 }) }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    if (params.unionId === 'me' && actor.kind !== 'user') throw new DingtalkError('InvalidAuthentication', 'users/me needs a user access token');
    const user = params.unionId === 'me' && actor.kind === 'user'
      ? await ctx.directory.user(actor.userId)
      : await ctx.directory.userByExternalId(actor.tenantKey, 'union_id', params.unionId);
    if (!user || user.tenantKey !== actor.tenantKey) throw new DingtalkError('resourceNotFound', `no user ${params.unionId}`);
    return { nick: user.name, avatarUrl: '', mobile: '', openId: user.openId, unionId: user.unionId, email: user.email ?? '', stateCode: '86', visitor: false };
  },
});
