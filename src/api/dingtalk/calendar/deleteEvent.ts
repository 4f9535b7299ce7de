import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { EventParams } from './event-schema.js';

/**
 * `DeleteEvent`: the organizer deletes for everyone, an attendee removes only their own copy (the
 * core decides by side). `pushNotification` is accepted; rili sends no notifications.
 */
export const deleteEvent = defineRoute({
  method: 'DELETE',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId',
  schema: { params: EventParams, querystring: Type.Object({ pushNotification: Type.Optional(Type.Boolean()) }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.events.delete(user, calendarId, params.eventId);
    return {};
  },
});
