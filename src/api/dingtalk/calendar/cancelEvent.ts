import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';

/**
 * `CancelEvent`: the organizer cancels the event for everyone; unlike `DeleteEvent` it stays
 * readable with status `cancelled`. An attendee may not (`permissionDeny`). `scope` is accepted:
 * an occurrence's id cancels that occurrence, a series' id the whole series (docs/compatibility.md).
 */
export const cancelEvent = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/cancel',
  schema: { params: EventParams, querystring: Type.Object({ scope: Type.Optional(Type.String()) }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.events.organizerWrites.cancel(user, calendarId, params.eventId);
    return { result: true };
  },
});
