import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';

/**
 * `CheckIn`: the user of the path (the organizer or an attendee) checks in at the event, inside its
 * check-in window. rili records it as the same sign-in `SignIn` makes; again: the first time stays.
 */
export const checkIn = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/checkIn',
  schema: { params: EventParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const record = await ctx.signIns.sign(user, calendarId, params.eventId, 'sign_in');
    return { checkInTime: record.at };
  },
});
