import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { UserIdTypeQuery, pageSize } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { EventIdParams } from '../calendarEvent/get.js';
import { attendeesToWire } from './attendee-wire.js';

/** `client.calendar.v4.calendarEventAttendee.list` (and listWithIterator): page_size 10..100, default 20. */
export const list = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees',
  schema: {
    params: EventIdParams,
    querystring: Type.Object({
      ...UserIdTypeQuery,
      need_resource_customization: Type.Optional(Type.Boolean()),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
      page_size: Type.Optional(Type.Integer({ maximum: 100 })),
      op_user_id: Type.Optional(Type.String({ maxLength: 255 })),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const after = query.page_token ? decodeToken<string>('attendee-page', query.page_token, 'page_token') : undefined;
    const limit = pageSize(query.page_size, { min: 10, max: 100, fallback: 20 });
    const page = await ctx.attendees.list(actor, checkCalendarId(params.calendar_id), params.event_id, { afterAttendeeId: after, limit });
    const last = page.items[page.items.length - 1];
    return {
      items: await attendeesToWire(ctx, query.user_id_type, page.items),
      has_more: page.more,
      // No page_token key on the last page: SDK iterators loop forever on an empty one.
      ...(page.more && last ? { page_token: encodeToken('attendee-page', last.attendeeId) } : {}),
    };
  },
});
