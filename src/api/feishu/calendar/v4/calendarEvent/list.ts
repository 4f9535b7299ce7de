import { Type } from 'typebox';
import { DomainError, invalidArgument } from '../../../../../core/errors.js';
import type { EventListRequest } from '../../../../../core/service/event-service.js';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { CalendarIdParams, UserIdTypeQuery, pageSize } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { eventToWire, namesFor } from './event-wire.js';

const Seconds = Type.String({ pattern: '^[0-9]{1,11}$' });

type PagePosition = { after: string; seq: number } | { since: number };

/**
 * `client.calendar.v4.calendarEvent.list`: pages (page_token), then a sync_token; or, with
 * start_time and end_time, one page of the events in that window, which cannot be paged.
 */
export const list = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/events',
  schema: {
    params: CalendarIdParams,
    querystring: Type.Object({
      ...UserIdTypeQuery,
      page_size: Type.Optional(Type.Integer({ maximum: 1000 })),
      anchor_time: Type.Optional(Seconds),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
      sync_token: Type.Optional(Type.String({ maxLength: 2048 })),
      start_time: Type.Optional(Seconds),
      end_time: Type.Optional(Seconds),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const size = pageSize(query.page_size, { min: 50, max: 1000, fallback: 500 });
    const windowed = query.start_time !== undefined || query.end_time !== undefined;
    let request: EventListRequest | { readonly mode: 'sync'; readonly sinceSeq: number; readonly pageSize: number };
    if (windowed) {
      if (query.sync_token) throw new DomainError('sync_token_conflict', 'sync_token cannot be used with start_time and end_time', 'sync_token');
      if (query.start_time === undefined || query.end_time === undefined) throw invalidArgument(query.start_time === undefined ? 'start_time' : 'end_time', 'start_time and end_time go together');
      if (query.page_token || query.anchor_time) throw invalidArgument(query.page_token ? 'page_token' : 'anchor_time', 'cannot be combined with start_time and end_time');
      const from = Number(query.start_time);
      const to = Number(query.end_time);
      if (to <= from) throw invalidArgument('end_time', 'must be after start_time');
      request = { mode: 'window', pageSize: size, from, to };
    } else if (query.page_token && query.sync_token) {
      throw new DomainError('sync_token_conflict', 'sync_token cannot be used with page_token', 'sync_token');
    } else if (query.page_token) {
      const position = decodeToken<PagePosition>('event-page', query.page_token, 'page_token');
      request = 'since' in position
        ? { mode: 'sync', sinceSeq: position.since, pageSize: size }
        : { mode: 'page', pageSize: size, afterEventId: position.after, startSeq: position.seq, anchor: query.anchor_time ? Number(query.anchor_time) : undefined };
    } else if (query.sync_token) {
      request = { mode: 'sync', sinceSeq: decodeToken<number>('event-sync', query.sync_token, 'sync_token', 'sync_token_invalid'), pageSize: size };
    } else {
      request = { mode: 'page', pageSize: size, anchor: query.anchor_time ? Number(query.anchor_time) : undefined };
    }
    const calendarId = checkCalendarId(params.calendar_id);
    const result = request.mode === 'sync'
      ? await ctx.sync.events(actor, calendarId, request.sinceSeq, request.pageSize)
      : await ctx.events.list(actor, calendarId, request);
    const names = await namesFor(ctx, query.user_id_type, result.items);
    const next: PagePosition | undefined = result.next ? { after: result.next.afterEventId, seq: result.next.startSeq }
      : result.nextSince !== undefined ? { since: result.nextSince } : undefined;
    return {
      has_more: next !== undefined,
      // No page_token key at all on the last page: SDK iterators loop forever on an empty one.
      ...(next ? { page_token: encodeToken('event-page', next) } : {}),
      ...(result.syncSeq !== undefined ? { sync_token: encodeToken('event-sync', result.syncSeq) } : {}),
      items: result.items.map((v) => eventToWire(v, names)),
    };
  },
});
