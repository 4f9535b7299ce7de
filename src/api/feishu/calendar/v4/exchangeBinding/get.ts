import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { bindingToWire, userOnly } from './binding-wire.js';

export const BindingIdParams = Type.Object({ exchange_binding_id: Type.String({ minLength: 1, maxLength: 1024 }) });

/** `client.calendar.v4.exchangeBinding.get`: a binding and where its import stands. */
export const get = defineRoute({
  method: 'GET',
  url: '/calendar/v4/exchange_bindings/:exchange_binding_id',
  schema: { params: BindingIdParams, querystring: Type.Object(UserIdTypeQuery) },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    userOnly(actor);
    return bindingToWire(ctx, await ctx.extras.exchangeBinding(actor, params.exchange_binding_id), query.user_id_type);
  },
});
