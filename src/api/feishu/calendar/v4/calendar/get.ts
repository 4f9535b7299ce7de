import { defineRoute } from '../../../../route.js';
import { CalendarIdParams } from '../../../schemas.js';
import { calendarToWire, checkCalendarId } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.get`: `data` is the calendar itself. */
export const get = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id',
  schema: { params: CalendarIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    return calendarToWire(await ctx.calendars.get(actor, checkCalendarId(params.calendar_id)));
  },
});
