import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { RoomList, roomIdsOf } from './addMeetingRooms.js';
import { EventParams } from './event-schema.js';

/**
 * `RemoveMeetingRooms` (batchRemove): the organizer cancels rooms of an event; the event leaves
 * their resource calendars and they are free again in both dialects. A room the event does not
 * hold is passed over, as `RemoveAttendee` passes over a user not invited.
 */
export const removeMeetingRooms = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/meetingRooms/batchRemove',
  schema: { params: EventParams, body: Type.Object({ meetingRoomsToRemove: RoomList }) },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const ids = new Set(await roomIdsOf(ctx, user.tenantKey, body.meetingRoomsToRemove, 'meetingRoomsToRemove'));
    // Chosen under the series lock, in the removal's own transaction.
    await ctx.attendees.removeChosen(user, calendarId, params.eventId, (top) => top.filter((a) => a.type === 'resource' && ids.has(a.roomId!)));
    return { result: true };
  },
});
