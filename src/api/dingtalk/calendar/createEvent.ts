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
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const mapped = await eventFromWire(ctx, user.tenantKey, body);
    let view = await ctx.events.create(user, calendarId, mapped.input);
    const eventId = eventIdOf(view.event);
    if (await inviteAll(ctx, user, calendarId, eventId, mapped)) view = await ctx.events.get(user, calendarId, eventId);
    return (await eventsToWire(ctx, user.userId, [view], 500))[0];
  },
});
