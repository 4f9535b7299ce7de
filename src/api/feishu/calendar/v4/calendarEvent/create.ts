import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { CalendarIdParams, UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventBodyFields, TimeInfo } from './event-schema.js';
import { eventInputFromWire, eventToWire, namesFor } from './event-wire.js';

/** `client.calendar.v4.calendarEvent.create`: the same idempotency_key on a calendar returns the first event. */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events',
  schema: {
    params: CalendarIdParams,
    querystring: Type.Object({ ...UserIdTypeQuery, idempotency_key: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
    body: Type.Object({ ...EventBodyFields, start_time: TimeInfo, end_time: TimeInfo }),
  },
  auth: 'required',
  async handle({ params, query, body, actor }, ctx) {
    const type = query.user_id_type ?? 'open_id';
    const input = await eventInputFromWire(ctx, actor, type, body);
    const view = await ctx.events.create(actor, checkCalendarId(params.calendar_id), input, query.idempotency_key);
    return { event: eventToWire(view, await namesFor(ctx, type, [view])) };
  },
});
