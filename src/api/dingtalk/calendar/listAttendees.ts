import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { decodeToken, encodeToken } from '../page-token.js';
import { attendeesToWire } from './event-output.js';
import { EventParams } from './event-schema.js';
import { maxResultsOf } from './listEvents.js';

/** maxResults: default 100, at most 500 (reference/dingtalk.md §2.8). */
export const MAX_ATTENDEE_RESULTS = 500;

/**
 * `ListAttendees`: the event's invited users and email addresses, page by page in a stable order.
 * Rooms are in the event's meetingRooms and chats (invited through Feishu) are not listed, so a page
 * may hold fewer than maxResults while a nextToken follows.
 */
export const listAttendees = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/attendees',
  schema: {
    params: EventParams,
    querystring: Type.Object({ maxResults: Type.Optional(Type.Integer()), nextToken: Type.Optional(Type.String()) }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const limit = query.maxResults === undefined ? 100 : maxResultsOf(query.maxResults, MAX_ATTENDEE_RESULTS);
    const after = query.nextToken ? decodeToken<string>('attendees', query.nextToken, 'nextToken') : undefined;
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const page = await ctx.attendees.list(user, calendarId, params.eventId, { afterAttendeeId: after, limit });
    const userIds = page.items.map((a) => a.userId).filter((id): id is string => id !== undefined);
    const users = new Map((await ctx.directory.users([...new Set(userIds)])).map((u) => [u.id, u]));
    const last = page.items[page.items.length - 1];
    return {
      attendees: attendeesToWire(page.items, { self: user.userId, maxAttendees: limit, attendees: new Map(), users, organizers: new Map() }),
      ...(page.more && last ? { nextToken: encodeToken('attendees', last.attendeeId) } : {}),
    };
  },
});
