import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { bindingToWire, userOnly } from './binding-wire.js';

/**
 * `client.calendar.v4.exchangeBinding.create`: binds an Exchange account to a user of the tenant. The
 * answer says `doing`, as the platform's does when the import starts; `get` tells where it ended.
 */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/exchange_bindings',
  schema: {
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      admin_account: Type.String({ minLength: 1, maxLength: 320 }),
      exchange_account: Type.String({ minLength: 1, maxLength: 320 }),
      user_id: Type.String({ minLength: 1, maxLength: 255 }),
    }),
  },
  auth: 'required',
  async handle({ query, body, actor }, ctx) {
    userOnly(actor);
    const type = query.user_id_type ?? 'open_id';
    const user = (await ctx.directory.resolveUsers(actor.tenantKey, type, [body.user_id], () => 'user_id'))[0];
    const binding = await ctx.extras.bindExchange(actor, { adminAccount: body.admin_account, exchangeAccount: body.exchange_account, userId: user.id });
    return bindingToWire(ctx, binding, type, 'doing');
  },
});
