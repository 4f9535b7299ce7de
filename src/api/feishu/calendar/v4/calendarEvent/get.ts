import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { attendeesToWire } from '../calendarEventAttendee/attendee-wire.js';
import { eventToWire, namesFor, withMeetingLinks } from './event-wire.js';

export const EventIdParams = Type.Object({
  calendar_id: Type.String({ minLength: 1, maxLength: 255 }),
  event_id: Type.String({ minLength: 1, maxLength: 255 }),
});

/** `client.calendar.v4.calendarEvent.get`. */
export const get = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id',
  schema: {
    params: EventIdParams,
    querystring: Type.Object({
      ...UserIdTypeQuery,
      need_meeting_settings: Type.Optional(Type.Boolean()),
      need_attendee: Type.Optional(Type.Boolean()),
      max_attendee_num: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = checkCalendarId(params.calendar_id);
    const view = await ctx.events.get(actor, calendarId, params.event_id);
    // Meeting settings (the password among them) only when asked for, and only to editors (reference §2.3).
    const event = withMeetingLinks(
      eventToWire(view, await namesFor(ctx, query.user_id_type, [view]), { meetingSettings: query.need_meeting_settings === true }),
      await ctx.extras.meetingLinks(view.event.uid),
    );
    if (!query.need_attendee) return { event };
    // Callers who may not see the attendee list get an empty one rather than an error.
    const page = await ctx.attendees.preview(actor, calendarId, params.event_id, query.max_attendee_num ?? 10);
    return { event: { ...event, attendees: page ? await attendeesToWire(ctx, query.user_id_type, page.items) : [], has_more_attendee: page?.more ?? false } };
  },
});
