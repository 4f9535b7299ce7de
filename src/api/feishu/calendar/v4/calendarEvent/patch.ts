import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventBody } from './event-schema.js';
import { eventInputFromWire, eventToWire, namesFor } from './event-wire.js';
import { EventIdParams } from './get.js';

/** `client.calendar.v4.calendarEvent.patch`: only the fields sent change (the seed's contract). */
export const patch = defineRoute({
  method: 'PATCH',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id',
  schema: { params: EventIdParams, querystring: Type.Object(UserIdTypeQuery), body: EventBody },
  auth: 'required',
  async handle({ params, query, body, actor }, ctx) {
    const type = query.user_id_type ?? 'open_id';
    const input = await eventInputFromWire(ctx, actor, type, body);
    const view = await ctx.events.patch(actor, checkCalendarId(params.calendar_id), params.event_id, input);
    return { event: eventToWire(view, await namesFor(ctx, type, [view])) };
  },
});
