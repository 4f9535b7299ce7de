import { defineRoute } from '../../../../route.js';
import { CalendarIdParams } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.delete`: only a shared calendar, only by its owner. */
export const del = defineRoute({
  method: 'DELETE',
  url: '/calendar/v4/calendars/:calendar_id',
  schema: { params: CalendarIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    await ctx.calendars.delete(actor, checkCalendarId(params.calendar_id));
    return {};
  },
});
