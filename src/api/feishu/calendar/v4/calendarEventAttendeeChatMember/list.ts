import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { UserIdTypeQuery, pageSize } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { chatMemberToWire } from '../calendarEventAttendee/attendee-wire.js';

/**
 * `client.calendar.v4.calendarEventAttendeeChatMember.list` (and listWithIterator): the members of a
 * chat attendee, page_size 10..100, default 20. `open_id` is always the open_id, whatever user_id_type says.
 */
export const list = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees/:attendee_id/chat_members',
  schema: {
    params: Type.Object({
      calendar_id: Type.String({ minLength: 1, maxLength: 255 }),
      event_id: Type.String({ minLength: 1, maxLength: 255 }),
      attendee_id: Type.String({ minLength: 1, maxLength: 255 }),
    }),
    querystring: Type.Object({
      ...UserIdTypeQuery,
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
      page_size: Type.Optional(Type.Integer({ maximum: 100 })),
      op_user_id: Type.Optional(Type.String({ maxLength: 255 })),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const after = query.page_token ? decodeToken<string>('chat-member-page', query.page_token, 'page_token') : undefined;
    const limit = pageSize(query.page_size, { min: 10, max: 100, fallback: 20 });
    const page = await ctx.attendees.chatMembers(actor, checkCalendarId(params.calendar_id), params.event_id, params.attendee_id, { afterAttendeeId: after, limit });
    const ids = page.items.map((m) => m.userId).filter((id): id is string => id !== undefined);
    const users = new Map((await ctx.directory.users(ids)).map((u) => [u.id, u]));
    const last = page.items[page.items.length - 1];
    return {
      items: page.items.map((m) => chatMemberToWire(m, users.get(m.userId!))),
      has_more: page.more,
      ...(page.more && last ? { page_token: encodeToken('chat-member-page', last.attendeeId) } : {}),
    };
  },
});
