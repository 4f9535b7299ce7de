import { defineRoute } from '../../../../route.js';
import { CalendarIdParams } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.unsubscribe`: removes a calendar from the caller's list. */
export const unsubscribe = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/unsubscribe',
  schema: { params: CalendarIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    await ctx.calendars.unsubscribe(actor, checkCalendarId(params.calendar_id));
    return {};
  },
});
