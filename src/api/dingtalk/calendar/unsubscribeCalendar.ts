import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { CalendarParams } from './event-schema.js';

/** `UnsubscribeCalendar`: takes a subscribed calendar off the user's list; not subscribed: no change. */
export const unsubscribeCalendar = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/unsubscribe',
  schema: { params: CalendarParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.subscribedCalendars.unsubscribe(user, calendarId);
    return { result: true };
  },
});
