import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { SubscribedParams, subscribedToWire } from './subscribed-wire.js';

/** `GetSubscribedCalendar`: for its author, managers and the users its scope reaches. */
export const getSubscribedCalendar = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/subscribedCalendars/:calendarId',
  schema: { params: SubscribedParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    return subscribedToWire(ctx, await ctx.subscribedCalendars.get(user, calendarId));
  },
});
