import { Type } from 'typebox';
import { DomainError } from '../../../core/errors.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { eventsToWire } from './event-output.js';
import { EventParams } from './event-schema.js';

/** maxAttendees: default 100, at most 500 (reference/dingtalk.md §2.2). */
export const MAX_ATTENDEES = { fallback: 100, max: 500 } as const;

export function maxAttendeesOf(value: number | undefined, max: number): number {
  if (value === undefined) return MAX_ATTENDEES.fallback;
  if (value < 1 || value > max) throw new DingtalkError('invalidParameter', `maxAttendees must be between 1 and ${max}`);
  return value;
}

/** `GetEvent`: one event or occurrence; a deleted one is `instanceNotExist`, as DingTalk answers. */
export const getEvent = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId',
  schema: { params: EventParams, querystring: Type.Object({ maxAttendees: Type.Optional(Type.Integer()) }) },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const max = maxAttendeesOf(query.maxAttendees, MAX_ATTENDEES.max);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const view = await ctx.events.get(user, calendarId, params.eventId).catch(async (error: unknown) => {
      // An event its organizer cancelled (CancelEvent) still reads, with status cancelled; a deleted one does not.
      if (error instanceof DomainError && error.kind === 'event_deleted') {
        const cancelled = await ctx.events.organizerWrites.cancelled(user, calendarId, params.eventId);
        if (cancelled) return cancelled;
        throw new DingtalkError('instanceNotExist');
      }
      throw error;
    });
    return (await eventsToWire(ctx, user.userId, [view], max))[0];
  },
});
