import { Type } from 'typebox';
import { invalidArgument } from '../../../../../core/errors.js';
import { epochOf } from '../../../../../core/events/time.js';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { CalendarIdParams, UserIdTypeQuery, pageSize } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { TimeInfo } from './event-schema.js';
import type { TimeInfoWire } from './event-schema.js';
import { eventToWire, namesFor, timeFromWire } from './event-wire.js';

/** Without a time filter, search covers about a month around now: 15 days each way. */
export const DEFAULT_HALF_WINDOW_SECONDS = 15 * 86_400;
const MONTH = 30 * 86_400;

const IdList = Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 });

/** A filter bound: date xor timestamp, as the search document says (both is refused here). */
function bound(t: TimeInfoWire, field: 'filter.start_time' | 'filter.end_time'): number {
  if (t.date && t.timestamp) throw invalidArgument(field, 'date and timestamp cannot both be given');
  const time = timeFromWire(t, field === 'filter.start_time' ? 'start_time' : 'end_time');
  // An end date is inclusive: the window runs to the end of that day.
  return epochOf(time);
}

/** `client.calendar.v4.calendarEvent.search` (and searchWithIterator). */
export const search = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/events/search',
  schema: {
    params: CalendarIdParams,
    querystring: Type.Object({
      ...UserIdTypeQuery,
      page_size: Type.Optional(Type.Integer({ maximum: 100 })),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
    }),
    body: Type.Object({
      query: Type.String({ maxLength: 200 }),
      filter: Type.Optional(Type.Object({
        start_time: Type.Optional(TimeInfo),
        end_time: Type.Optional(TimeInfo),
        user_ids: Type.Optional(IdList),
        room_ids: Type.Optional(IdList),
        chat_ids: Type.Optional(IdList),
      })),
    }),
  },
  auth: 'required',
  async handle({ params, query, body, actor }, ctx) {
    const f = body.filter ?? {};
    const now = Math.floor(ctx.clock.now() / 1000);
    let from = f.start_time ? bound(f.start_time, 'filter.start_time') : undefined;
    let to = f.end_time ? bound(f.end_time, 'filter.end_time') : undefined;
    if (from === undefined && to === undefined) {
      from = now - DEFAULT_HALF_WINDOW_SECONDS;
      to = now + DEFAULT_HALF_WINDOW_SECONDS;
    }
    from ??= to! - MONTH;
    to ??= from + MONTH;
    if (to < from) throw invalidArgument('filter.end_time', 'must not be before filter.start_time');
    if (to === from) to = from + 1;
    const type = query.user_id_type ?? 'open_id';
    const attendeeKeys: string[][] = [];
    if (f.user_ids?.length) {
      const users = await ctx.directory.resolveUsers(actor.tenantKey, type, f.user_ids, (i) => `filter.user_ids[${i}]`);
      attendeeKeys.push(users.map((u) => `u:${u.id}`));
    }
    if (f.room_ids?.length) attendeeKeys.push(f.room_ids.map((id) => `r:${id}`));
    if (f.chat_ids?.length) attendeeKeys.push(f.chat_ids.map((id) => `c:${id}`));
    const after = query.page_token ? decodeToken<{ start: number; eventId: string }>('event-search', query.page_token, 'page_token') : undefined;
    const limit = pageSize(query.page_size, { min: 10, max: 100, fallback: 20 });
    const result = await ctx.events.search(actor, checkCalendarId(params.calendar_id), { query: body.query, from, to, attendeeKeys, after, limit });
    const names = await namesFor(ctx, type, result.items);
    return {
      items: result.items.map((v) => eventToWire(v, names)),
      // has_more is not in the documented schema; the SDK iterator needs it (reference §5.4).
      has_more: result.next !== undefined,
      ...(result.next ? { page_token: encodeToken('event-search', result.next) } : {}),
    };
  },
});
