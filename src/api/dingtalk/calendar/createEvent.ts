import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EVENT_LIMITS, eventFromWire } from './event-input.js';
import { eventsToWire } from './event-output.js';
import { CalendarParams, CreateEventBody } from './event-schema.js';
import { invitationsOf } from './invitations.js';

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
    const view = await ctx.attendees.createWithInvitations(user, calendarId, mapped.input, key, invitationsOf(mapped), { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
    return (await eventsToWire(ctx, user.userId, [view], 500))[0];
  },
});
