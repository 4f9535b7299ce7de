import { defineRoute } from '../../../../route.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from '../calendarEvent/get.js';

/**
 * `client.calendar.v4.calendarEventMeetingChat.create`: the organizer, on their own primary calendar,
 * makes the event's group chat; its members are the event's users, and it is a chat like any other
 * (it can be invited to events, its members listed).
 */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/meeting_chat',
  schema: { params: EventIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const chat = await ctx.extras.createMeetingChat(actor, checkCalendarId(params.calendar_id), params.event_id);
    return { meeting_chat_id: chat.chatId, applink: chat.link };
  },
});
