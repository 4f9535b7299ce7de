import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';

/**
 * `SignIn`: the user of the path (the organizer or an attendee) signs in to the event, inside its
 * sign-in window (docs/compatibility.md). CheckIn records the same; again: the first time stays.
 */
export const signIn = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/signin',
  schema: { params: EventParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const record = await ctx.signIns.sign(user, calendarId, params.eventId, 'sign_in');
    return { checkInTime: record.at };
  },
});
