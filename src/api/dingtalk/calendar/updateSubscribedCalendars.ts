import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { SubscribedCalendarBody, SubscribedParams, fieldsOf } from './subscribed-wire.js';

/**
 * `UpdateSubscribedCalendars`: its author or a manager changes the fields sent (a list sent replaces
 * the list). The SDK passes calendarId before userId; the path is the same as Get's.
 */
export const updateSubscribedCalendars = defineRoute({
  method: 'PUT',
  url: '/calendar/users/:userId/subscribedCalendars/:calendarId',
  schema: { params: SubscribedParams, body: SubscribedCalendarBody },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.subscribedCalendars.update(user, calendarId, await fieldsOf(ctx, user.tenantKey, body));
    return { result: true };
  },
});
