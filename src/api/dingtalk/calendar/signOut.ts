import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';

/** `SignOut`: the organizer or an attendee signs out, from the event's start until an hour after its end. */
export const signOut = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/signOut',
  schema: { params: EventParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const record = await ctx.signIns.sign(user, calendarId, params.eventId, 'sign_out');
    return { checkOutTime: record.at };
  },
});
