import { Type } from 'typebox';
import type { AppContext } from '../../../context.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DINGTALK_MESSAGES, DingtalkError } from '../errors.js';
import { EventParams } from './event-schema.js';

/** Rooms one event may hold, and so one call may name (the platform's "add a meeting room" page). */
export const MAX_ROOMS_PER_EVENT = 5;

/** The body of AddMeetingRooms and RemoveMeetingRooms: a list of `{roomId}`. */
export const RoomList = Type.Optional(Type.Array(Type.Object({ roomId: Type.Optional(Type.String()) })));

/**
 * The distinct room ids a call names, each a room of the caller's organization; anything else is
 * `invalidParameter` naming the entry, before anything is written.
 */
export async function roomIdsOf(ctx: AppContext, tenantKey: string, list: ReadonlyArray<{ roomId?: string }> | undefined, field: string): Promise<string[]> {
  if (list === undefined || list.length === 0) throw new DingtalkError('invalidParameter', `${field} must name at least one room`);
  if (list.length > MAX_ROOMS_PER_EVENT) throw new DingtalkError('invalidParameter', `${field} names at most ${MAX_ROOMS_PER_EVENT} rooms, got ${list.length}`);
  const ids = list.map((r, i) => {
    if (typeof r.roomId !== 'string' || r.roomId === '') throw new DingtalkError('invalidParameter', `${field}[${i}].roomId must be given`);
    return r.roomId;
  });
  const rooms = await ctx.events.lookups.rooms(tenantKey, ids);
  rooms.forEach((room, i) => {
    if (!room) throw new DingtalkError('invalidParameter', `${DINGTALK_MESSAGES.meetingRoomInvalid}: ${field}[${i}].roomId ${ids[i]} is not a room of this organization`);
  });
  return [...new Set(ids)];
}

/**
 * `AddMeetingRooms`: books rooms for an event, as resource attendees (the rooms Feishu books), at
 * most 5 on one event. rili books at once: the room accepts, as a Feishu booking does, and a room
 * already held at that time is booked too (docs/compatibility.md).
 */
export const addMeetingRooms = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/meetingRooms',
  schema: { params: EventParams, body: Type.Object({ meetingRoomsToAdd: RoomList }) },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const roomIds = await roomIdsOf(ctx, user.tenantKey, body.meetingRoomsToAdd, 'meetingRoomsToAdd');
    await ctx.attendees.addRooms(user, calendarId, params.eventId, roomIds, MAX_ROOMS_PER_EVENT);
    return { result: true };
  },
});
