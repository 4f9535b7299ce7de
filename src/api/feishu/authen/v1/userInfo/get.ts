import { defineRoute } from '../../../../route.js';
import { FeishuError } from '../../../errors.js';
import { profileOf } from '../../sign-in.js';

/** `client.authen.userInfo.get`: who a user_access_token belongs to. */
export const userInfoGet = defineRoute({
  method: 'GET',
  url: '/authen/v1/user_info',
  schema: {},
  auth: 'required',
  async handle({ actor }, ctx) {
    if (actor.kind !== 'user') throw new FeishuError(99991668, 'user_info needs a user_access_token');
    const user = await ctx.directory.user(actor.userId);
    if (!user) throw new FeishuError(99991668, 'the token\'s user is unknown');
    return profileOf(user);
  },
});
