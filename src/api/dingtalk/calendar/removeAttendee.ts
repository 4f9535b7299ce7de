import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { usersByUnionId } from './addAttendee.js';
import { EventParams } from './event-schema.js';

/**
 * `RemoveAttendee` (batchRemove): the organizer removes users by unionId, at most 500 per call. A
 * user who is not invited is passed over; the organizer stays.
 */
export const removeAttendee = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/attendees/batchRemove',
  schema: {
    params: EventParams,
    body: Type.Object({ attendeesToRemove: Type.Optional(Type.Array(Type.Object({ id: Type.Optional(Type.String()) }))) }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const ids = new Set(await usersByUnionId(ctx, user.tenantKey, (body.attendeesToRemove ?? []).map((a) => a.id ?? ''), 'attendeesToRemove'));
    // Chosen under the series lock, in the removal's own transaction: a concurrent removal cannot make it stale.
    await ctx.attendees.removeChosen(user, calendarId, params.eventId, (top) => top.filter((a) => a.type === 'user' && ids.has(a.userId!) && !a.isOrganizer));
    return {};
  },
});
