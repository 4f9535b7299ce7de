import { defineRoute } from '../../../../route.js';
import { BindingIdParams } from './get.js';
import { userOnly } from './binding-wire.js';

/** `client.calendar.v4.exchangeBinding.delete`: unbinds the account, which may then be bound to another user. */
export const del = defineRoute({
  method: 'DELETE',
  url: '/calendar/v4/exchange_bindings/:exchange_binding_id',
  schema: { params: BindingIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    userOnly(actor);
    await ctx.extras.unbindExchange(actor, params.exchange_binding_id);
    return {};
  },
});
