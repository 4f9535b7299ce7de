import { defineRoute } from '../../../../route.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from '../calendarEvent/get.js';

/**
 * `client.calendar.v4.calendarEventMeetingMinute.create`: the event's minutes document, on the caller's
 * own primary calendar; made once, the same URL after. The event's `get` shows it too.
 */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/meeting_minute',
  schema: { params: EventIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const minute = await ctx.extras.createMeetingMinute(actor, checkCalendarId(params.calendar_id), params.event_id);
    return { doc_url: minute.docUrl };
  },
});
