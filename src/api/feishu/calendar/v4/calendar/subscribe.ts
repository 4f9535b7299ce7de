import { defineRoute } from '../../../../route.js';
import { CalendarIdParams } from '../../../schemas.js';
import { calendarToWire, checkCalendarId } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.subscribe`: adds a calendar the caller may see to its list. */
export const subscribe = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/subscribe',
  schema: { params: CalendarIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    return { calendar: calendarToWire(await ctx.calendars.subscribe(actor, checkCalendarId(params.calendar_id))) };
  },
});
