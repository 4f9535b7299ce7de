import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from '../calendarEvent/get.js';
import { AttendeeRefFields, specsFromWire } from './attendee-wire.js';

/**
 * `client.calendar.v4.calendarEventAttendee.batchDelete`: by attendee_ids and/or by who they are
 * (delete_ids), at most 500 in all. Every one named must be an attendee, or nothing is removed.
 */
export const batchDelete = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees/batch_delete',
  schema: {
    params: EventIdParams,
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      attendee_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }))),
      delete_ids: Type.Optional(Type.Array(Type.Object(AttendeeRefFields))),
      need_notification: Type.Optional(Type.Boolean()),
      instance_start_time_admin: Type.Optional(Type.String({ maxLength: 12 })),
      is_enable_admin: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ params, query, body, actor }, ctx) {
    const type = query.user_id_type ?? 'open_id';
    const refs = body.delete_ids ?? [];
    const specs = await specsFromWire(ctx, actor, type, refs, (i) => `delete_ids[${i}]`);
    await ctx.attendees.remove(actor, checkCalendarId(params.calendar_id), params.event_id, { attendeeIds: body.attendee_ids ?? [], specs });
    return {};
  },
});
