import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';
import { signLink } from './sign-in-wire.js';

/** `GetSignOutLink`: for the organizer, a link (served by rili) through which the event's people sign out. */
export const getSignOutLink = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/signOutLinks',
  schema: { params: EventParams },
  auth: 'required',
  async handle({ params, actor, request }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.signIns.requireOrganizer(user, calendarId, params.eventId);
    return { signOutLink: signLink(ctx, request, 'sign_out', params.eventId) };
  },
});
