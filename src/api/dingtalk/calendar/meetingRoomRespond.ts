import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { EventParams } from './event-schema.js';

/** A room's answers, as an event's `meetingRooms[].responseStatus` shows them; tentative is "pending approval". */
const ROOM_REPLY = { accepted: 'accept', tentative: 'tentative', declined: 'decline' } as const;

/**
 * `MeetingRoomRespond`: the organizer answers for a room booked on the event (a room system
 * approving or refusing the booking). A declined room no longer holds the time in either dialect.
 */
export const meetingRoomRespond = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/meetingRooms/:roomId/respond',
  schema: {
    params: Type.Object({ ...EventParams.properties, roomId: Type.String() }),
    body: Type.Object({ responseStatus: Type.Optional(Type.String()) }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const status = body.responseStatus;
    if (status === undefined || !(status in ROOM_REPLY)) {
      throw new DingtalkError('invalidParameter', `responseStatus must be one of ${Object.keys(ROOM_REPLY).join(', ')}`);
    }
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.attendees.roomReply(user, calendarId, params.eventId, params.roomId, ROOM_REPLY[status as keyof typeof ROOM_REPLY]);
    return { result: true };
  },
});
