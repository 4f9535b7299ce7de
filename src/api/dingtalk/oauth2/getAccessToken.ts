import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { DingtalkError } from '../errors.js';

const BUCKET_SECONDS = 1800;

/** oauth2_1_0 `GetAccessToken`: `{appKey, appSecret}` → `{accessToken, expireIn}`. */
export const getAccessToken = defineRoute({
  method: 'POST',
  url: '/oauth2/accessToken',
  schema: { body: Type.Object({ appKey: Type.Optional(Type.Unknown()), appSecret: Type.Optional(Type.Unknown()) }) },
  auth: 'none',
  async handle({ body }, ctx) {
    if (typeof body.appKey !== 'string' || typeof body.appSecret !== 'string') throw new DingtalkError('invalidClientIdOrSecret');
    const app = await ctx.directory.app('dingtalk', body.appKey);
    if (!app || app.secret !== body.appSecret) throw new DingtalkError('invalidClientIdOrSecret');
    const now = Math.floor(ctx.clock.now() / 1000);
    // Repeat calls within a window get the same token, as DingTalk hands out.
    const { token, exp } = ctx.tokens.issue({ kind: 'dingtalk_app', tenantKey: app.tenantKey, appId: app.appId }, now - (now % BUCKET_SECONDS));
    return { accessToken: token, expireIn: exp - now };
  },
});
