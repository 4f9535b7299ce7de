import { eventIdOf } from '../../../core/events/types.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { eventFromWire } from './event-input.js';
import { eventsToWire } from './event-output.js';
import { CalendarParams, CreateEventBody } from './event-schema.js';
import { inviteAll } from './invitations.js';

/** `CreateEvent`: the path user organizes; attendees and rooms named are invited (the organizer with them). */
export const createEvent = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events',
  schema: { params: CalendarParams, body: CreateEventBody },
  auth: 'required',
  async handle({ params, body, actor, request }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const mapped = await eventFromWire(ctx, user.tenantKey, body);
    // The x-client-token is also the event's idempotency key, written in the create's own transaction:
    // a retry after a crash between the write and the token's record finds this event, not a new one.
    const token = request.headers['x-client-token'];
    const key = typeof token === 'string' && token !== '' ? `x-client-token:${token}` : undefined;
    // The event and its invitations commit together: a refused invitation leaves no event behind.
    const view = await ctx.store.transact(async (w) => {
      const created = await ctx.events.writes.createIn(w, user, calendarId, mapped.input, key);
      const eventId = eventIdOf(created.event);
      if (!(await inviteAll(ctx, w, user, calendarId, eventId, mapped))) return created;
      return ctx.events.reads.load(w, user, calendarId, eventId, 'free_busy_reader');
    });
    return (await eventsToWire(ctx, user.userId, [view], 500))[0];
  },
});
