import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from '../calendarEvent/get.js';

/** `client.calendar.v4.calendarEventMeetingChat.delete`: the chat's owner unbinds it from the event; the chat stays. */
export const del = defineRoute({
  method: 'DELETE',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/meeting_chat',
  schema: {
    params: EventIdParams,
    querystring: Type.Object({ meeting_chat_id: Type.String({ minLength: 1, maxLength: 255 }) }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    await ctx.extras.deleteMeetingChat(actor, checkCalendarId(params.calendar_id), params.event_id, query.meeting_chat_id);
    return {};
  },
});
