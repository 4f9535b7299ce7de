import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from '../calendarEvent/get.js';
import { AttendeeRefFields, attendeesToWire, specsFromWire } from './attendee-wire.js';

const Customization = Type.Object({
  index_key: Type.String({ maxLength: 255 }),
  input_content: Type.Optional(Type.String({ maxLength: 2000 })),
  options: Type.Optional(Type.Array(Type.Object({
    option_key: Type.Optional(Type.String({ maxLength: 255 })),
    others_content: Type.Optional(Type.String({ maxLength: 2000 })),
  }), { maxItems: 100 })),
});

const NewAttendee = Type.Object({
  ...AttendeeRefFields,
  is_optional: Type.Optional(Type.Boolean()),
  operate_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  resource_customization: Type.Optional(Type.Array(Customization, { maxItems: 100 })),
  approval_reason: Type.Optional(Type.String({ maxLength: 200 })),
});

/**
 * `client.calendar.v4.calendarEventAttendee.create`: invites users, chats, rooms and email addresses.
 * need_notification, instance_start_time_admin and is_enable_admin are accepted and have no effect.
 */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees',
  schema: {
    params: EventIdParams,
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      attendees: Type.Optional(Type.Array(NewAttendee)),
      need_notification: Type.Optional(Type.Boolean()),
      instance_start_time_admin: Type.Optional(Type.String({ maxLength: 12 })),
      is_enable_admin: Type.Optional(Type.Boolean()),
      add_operator_to_attendee: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ params, query, body, actor }, ctx) {
    const type = query.user_id_type ?? 'open_id';
    const calendarId = checkCalendarId(params.calendar_id);
    const attendees = body.attendees ?? [];
    const specs = await specsFromWire(ctx, actor, type, attendees, (i) => `attendees[${i}]`);
    const added = await ctx.attendees.add(actor, calendarId, params.event_id, specs, { addOperator: body.add_operator_to_attendee });
    return { attendees: await attendeesToWire(ctx, type, added) };
  },
});
