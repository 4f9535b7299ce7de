import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { SubscribedParams } from './subscribed-wire.js';

/** `DeleteSubscribedCalendar`: its author or a manager deletes it; it leaves every subscriber's list. */
export const deleteSubscribedCalendar = defineRoute({
  method: 'DELETE',
  url: '/calendar/users/:userId/subscribedCalendars/:calendarId',
  schema: { params: SubscribedParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.subscribedCalendars.delete(user, calendarId);
    return { result: true };
  },
});
