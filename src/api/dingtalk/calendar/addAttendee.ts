import { Type } from 'typebox';
import type { AppContext } from '../../../context.js';
import type { AttendeeSpec } from '../../../core/events/attendees.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { EVENT_LIMITS } from './event-input.js';
import { EventParams } from './event-schema.js';

/** Resolves unionIds of the caller's organization; anyone else is `invalidParameter`. */
export async function usersByUnionId(ctx: AppContext, tenantKey: string, ids: readonly string[], field: string): Promise<string[]> {
  if (ids.length === 0) throw new DingtalkError('invalidParameter', `${field} must name at least one attendee`);
  if (ids.length > EVENT_LIMITS.attendeesPerCall) throw new DingtalkError('invalidParameter', `at most ${EVENT_LIMITS.attendeesPerCall} attendees per call, got ${ids.length}`);
  const users = await ctx.events.lookups.usersByExternalIds(tenantKey, 'union_id', ids);
  return ids.map((id, i) => {
    const user = users[i];
    if (!user) throw new DingtalkError('invalidParameter', `${field}[${i}].id ${id} is not a user of this organization`);
    return user.id;
  });
}

/** `AddAttendee`: invites users by unionId; at most 500 per call and 5000 per event. */
export const addAttendee = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/attendees',
  schema: {
    params: EventParams,
    body: Type.Object({
      attendeesToAdd: Type.Optional(Type.Array(Type.Object({ id: Type.Optional(Type.String()), isOptional: Type.Optional(Type.Boolean()) }))),
      chatNotification: Type.Optional(Type.Boolean()),
      pushNotification: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const wanted = body.attendeesToAdd ?? [];
    const ids = await usersByUnionId(ctx, user.tenantKey, wanted.map((a) => a.id ?? ''), 'attendeesToAdd');
    const specs: AttendeeSpec[] = ids.map((userId, i) => ({ type: 'user', userId, isOptional: wanted[i].isOptional ?? false }));
    // The ceiling is checked by the core inside the add's transaction, under the series lock: a count
    // read before it would let concurrent adds pass together.
    await ctx.attendees.add(user, calendarId, params.eventId, specs, { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
    return {};
  },
});
