import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { calendarToWire } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.primarys`: the primary calendars of several users of the tenant. */
export const primarys = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/primarys',
  schema: {
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({ user_ids: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 10 }) }),
  },
  auth: 'required',
  async handle({ query, body, actor }, ctx) {
    const type = query.user_id_type ?? 'open_id';
    const users = await ctx.directory.resolveUsers(actor.tenantKey, type, body.user_ids, (i) => `user_ids[${i}]`);
    const found = await ctx.calendars.primaries(actor, users.map((u) => u.id));
    return {
      calendars: found.map((f, i) => ({
        calendar: f.view ? calendarToWire(f.view) : undefined,
        user_id: body.user_ids[i],
      })),
    };
  },
});
