import { Type } from 'typebox';
import { invalidArgument } from '../../../../../core/errors.js';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { pageSize } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { eventToWire, namesFor } from './event-wire.js';
import { EventIdParams } from './get.js';

/** The widest window instances answers: two years. */
const MAX_WINDOW_SECONDS = 2 * 366 * 86_400;
const Seconds = Type.String({ pattern: '^[0-9]{1,11}$' });

/** `client.calendar.v4.calendarEvent.instances`: one series' occurrences in the open interval (start_time, end_time). */
export const instances = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/events/:event_id/instances',
  schema: {
    params: EventIdParams,
    querystring: Type.Object({
      start_time: Seconds,
      end_time: Seconds,
      page_size: Type.Optional(Type.Integer({ maximum: 1000 })),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const from = Number(query.start_time);
    const to = Number(query.end_time);
    if (to <= from) throw invalidArgument('end_time', 'must be after start_time');
    if (to - from > MAX_WINDOW_SECONDS) throw invalidArgument('end_time', 'the window may span at most two years');
    const limit = pageSize(query.page_size, { min: 10, max: 1000, fallback: 50 });
    // A position is (start, event id); a bare start (tokens from before ids were added) is after every occurrence at it.
    const position = query.page_token ? decodeToken<{ s: number; id: string } | number>('instances', query.page_token, 'page_token') : undefined;
    const after = position === undefined ? undefined : typeof position === 'number' ? { start: position } : { start: position.s, eventId: position.id };
    const page = await ctx.events.instances(actor, checkCalendarId(params.calendar_id), params.event_id, { from, to, limit, after });
    const names = await namesFor(ctx, undefined, page.items);
    return {
      items: page.items.map((v) => {
        const e = eventToWire(v, names);
        return {
          event_id: e.event_id, summary: e.summary, description: e.description, start_time: e.start_time, end_time: e.end_time,
          status: e.status, is_exception: e.is_exception, app_link: e.app_link,
          ...('location' in e && e.location ? { location: e.location } : {}),
          ...('description_rich' in e && e.description_rich ? { description_rich: e.description_rich } : {}),
        };
      }),
      has_more: page.more,
      ...(page.more && page.next ? { page_token: encodeToken('instances', page.next.eventId === undefined ? page.next.start : { s: page.next.start, id: page.next.eventId }) } : {}),
    };
  },
});
