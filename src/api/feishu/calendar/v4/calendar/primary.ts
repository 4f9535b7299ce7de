import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { userWireId } from '../../../wire-ids.js';
import { calendarToWire } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.primary`: the caller's primary calendar (a bot's own for an app). */
export const primary = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/primary',
  schema: { querystring: Type.Object(UserIdTypeQuery) },
  auth: 'required',
  async handle({ query, actor }, ctx) {
    const view = await ctx.calendars.primary(actor);
    const user = actor.kind === 'user' ? await ctx.directory.user(actor.userId) : undefined;
    return { calendars: [{ calendar: calendarToWire(view), user_id: user ? userWireId(user, query.user_id_type) : '' }] };
  },
});
