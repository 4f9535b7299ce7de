import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DINGTALK_MESSAGES, DingtalkError } from '../errors.js';
import { EVENT_LIMITS, eventFromWire } from './event-input.js';
import { eventsToWire } from './event-output.js';
import { EventParams, PatchEventBody } from './event-schema.js';
import { replacementPlan } from './invitations.js';

/**
 * `PatchEvent` (PUT), as the seed says: only the organizer updates (the path user must organize),
 * the body's `id` is the path's event id, and only the fields sent change.
 */
export const patchEvent = defineRoute({
  method: 'PUT',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId',
  schema: { params: EventParams, body: PatchEventBody },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    if (body.id === undefined || body.id.trim() === '') throw new DingtalkError('invalidParameter', DINGTALK_MESSAGES.eventIdBlank);
    if (body.id !== params.eventId) throw new DingtalkError('invalidParameter', `Event id ${body.id} does not match the eventId in the path`);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const current = await ctx.events.get(user, calendarId, params.eventId);
    if (current.side !== 'organizer') throw new DingtalkError('permissionDeny', 'only the organizer may update an event: userId must be the organizer');
    const mapped = await eventFromWire(ctx, user.tenantKey, body, current.event);
    // The patch and the new attendee list commit together: a refused invitation leaves the event as it was.
    const view = await ctx.attendees.patchWithInvitations(user, calendarId, params.eventId, mapped.input, replacementPlan(mapped), { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
    return (await eventsToWire(ctx, user.userId, [view], 500))[0];
  },
});
