import { Type } from 'typebox';
import { DomainError } from '../../../core/errors.js';
import { BUSY_ANSWER_MAX } from '../../../core/events/busy.js';
import { ReadBudget } from '../../../core/events/read-budget.js';
import { defineRoute } from '../../route.js';
import { actingUser } from '../acting-user.js';
import { DEFAULT_ZONE, formatDateTime, parseDateTime } from '../date-time.js';
import { DingtalkError } from '../errors.js';
import { dingtalkFieldName } from '../field-names.js';
import { MAX_SCHEDULE_SECONDS } from './getSchedule.js';
import { UserParams } from './event-schema.js';

/** Rooms one query may name: the platform recommends at most 5 and documents no limit; rili takes GetSchedule's 20. */
export const MAX_SCHEDULE_ROOMS = 20;

const invalid = (detail: string): never => {
  throw new DingtalkError('invalidParameter', detail);
};

/**
 * `GetMeetingRoomsSchedule`: what holds each room in [startTime, endTime), at most 90 days (as
 * GetSchedule). The same bookings Feishu's freebusy answers for the room, made in either dialect:
 * each with its event id and organizer; BUSY once the room accepted, TENTATIVE while it waits
 * (pending approval). A room that cannot be answered for gets an `error` in its entry, not an HTTP
 * error; a room named twice is answered once.
 */
export const getMeetingRoomsSchedule = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/meetingRooms/schedules/query',
  schema: {
    params: UserParams,
    body: Type.Object({ roomIds: Type.Optional(Type.Unknown()), startTime: Type.Optional(Type.Unknown()), endTime: Type.Optional(Type.Unknown()) }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const { roomIds, startTime, endTime } = body;
    if (!Array.isArray(roomIds) || roomIds.length === 0 || !roomIds.every((r) => typeof r === 'string' && r !== '')) invalid('roomIds must be a non-empty list of room ids');
    if ((roomIds as string[]).length > MAX_SCHEDULE_ROOMS) invalid(`roomIds holds at most ${MAX_SCHEDULE_ROOMS} rooms, got ${(roomIds as string[]).length}`);
    const from = typeof startTime === 'string' ? parseDateTime(startTime) : undefined;
    const to = typeof endTime === 'string' ? parseDateTime(endTime) : undefined;
    if (from === undefined) invalid('startTime must be an ISO-8601 date-time');
    if (to === undefined) invalid('endTime must be an ISO-8601 date-time');
    if (to! <= from!) invalid('endTime must be after startTime');
    if (to! - from! > MAX_SCHEDULE_SECONDS) invalid('startTime and endTime must be at most 90 days apart');
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const distinct = [...new Set(roomIds as string[])];
    const budget = new ReadBudget();
    const maxBookings = Math.floor(BUSY_ANSWER_MAX / distinct.length);
    const scheduleInformation: Array<Record<string, unknown>> = [];
    for (const roomId of distinct) {
      try {
        const bookings = await ctx.attendees.roomBookings(user, roomId, from!, to!, { budget, maxBookings });
        const organizers = new Map((await ctx.directory.users([...new Set(bookings.flatMap((b) => (b.organizerUserId ? [b.organizerUserId] : [])))])).map((u) => [u.id, u.unionId]));
        scheduleInformation.push({
          roomId,
          scheduleItems: bookings.map((b) => ({
            status: b.rsvp === 'accept' ? 'BUSY' : 'TENTATIVE',
            eventId: b.eventId,
            ...(b.organizerUserId && organizers.has(b.organizerUserId) ? { organizer: { id: organizers.get(b.organizerUserId) } } : {}),
            start: { dateTime: formatDateTime(b.start, DEFAULT_ZONE), timeZone: DEFAULT_ZONE },
            end: { dateTime: formatDateTime(b.end, DEFAULT_ZONE), timeZone: DEFAULT_ZONE },
          })),
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        scheduleInformation.push({ roomId, error: error.inTermsOf(dingtalkFieldName).message, scheduleItems: [] });
      }
    }
    return { scheduleInformation };
  },
});
