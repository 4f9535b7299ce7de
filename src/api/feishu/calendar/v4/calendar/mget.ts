import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { calendarToWire } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.mget`: the calendars of the list that the caller may see. */
export const mget = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/mget',
  schema: { body: Type.Object({ calendar_ids: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 50 }) }) },
  auth: 'required',
  async handle({ body, actor }, ctx) {
    const views = await ctx.calendars.mget(actor, body.calendar_ids);
    return { calendars: views.map(calendarToWire) };
  },
});
