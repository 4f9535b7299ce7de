import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';
import { SignListQuery, signList } from './sign-in-wire.js';

/** `GetSignOutList`: for the organizer, who signed out (`type=check_out`) or has not yet (`not_yet_check_out`), paged. */
export const getSignOutList = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/signOut',
  schema: { params: EventParams, querystring: SignListQuery },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    return signList(ctx, user, { calendarId, eventId: params.eventId }, 'sign_out', query);
  },
});
