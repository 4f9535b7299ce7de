import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from './get.js';

/** `client.calendar.v4.calendarEvent.delete`: the SDK sends need_notification as the string "true" or "false". */
export const del = defineRoute({
  method: 'DELETE',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id',
  schema: { params: EventIdParams, querystring: Type.Object({ need_notification: Type.Optional(Type.Boolean()) }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    await ctx.events.delete(actor, checkCalendarId(params.calendar_id), params.event_id);
    return {};
  },
});
