import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { StringEnum } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from './get.js';

/** `client.calendar.v4.calendarEvent.reply`: the calling user answers an invitation they hold. */
export const reply = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/reply',
  schema: {
    params: EventIdParams,
    body: Type.Object({ rsvp_status: StringEnum(['accept', 'decline', 'tentative'] as const) }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    await ctx.attendees.reply(actor, checkCalendarId(params.calendar_id), params.event_id, body.rsvp_status);
    return {};
  },
});
