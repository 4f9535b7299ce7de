import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';
import { SignListQuery, signList } from './sign-in-wire.js';

/** `GetSignInList`: for the organizer, who signed in (`type=check_in`) or has not yet (`not_yet_check_in`), paged. */
export const getSignInList = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/signin',
  schema: { params: EventParams, querystring: SignListQuery },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    return signList(ctx, user, { calendarId, eventId: params.eventId }, 'sign_in', query);
  },
});
