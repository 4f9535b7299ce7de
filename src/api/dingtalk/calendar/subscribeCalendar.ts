import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { CalendarParams } from './event-schema.js';

/**
 * `SubscribeCalendar`: a user the calendar's scope reaches puts it on their calendar list (DingTalk's
 * ListCalendars and Feishu's calendar list both show it) and may read its events. Again: no change.
 */
export const subscribeCalendar = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/subscribe',
  schema: { params: CalendarParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.subscribedCalendars.subscribe(user, calendarId);
    return {};
  },
});
