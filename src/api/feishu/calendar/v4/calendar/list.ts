import { Type } from 'typebox';
import { DomainError } from '../../../../../core/errors.js';
import type { CalendarListRequest, ListCursor } from '../../../../../core/service/calendar-service.js';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { pageSize } from '../../../schemas.js';
import { calendarToWire } from '../calendar-wire.js';

/**
 * `client.calendar.v4.calendar.list`: pages through the caller's calendar list; the last page brings
 * a sync_token, and a later call with it returns what changed since (removed ones with is_deleted).
 */
export const list = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars',
  schema: {
    querystring: Type.Object({
      page_size: Type.Optional(Type.Integer({ maximum: 1000 })),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
      sync_token: Type.Optional(Type.String({ maxLength: 2048 })),
    }),
  },
  auth: 'required',
  async handle({ query, actor }, ctx) {
    if (query.sync_token && query.page_token) {
      throw new DomainError('sync_token_conflict', 'sync_token cannot be used with page_token', 'sync_token');
    }
    const request: CalendarListRequest | { readonly mode: 'sync'; readonly sinceSeq: number } = query.sync_token
      ? { mode: 'sync', sinceSeq: decodeToken<number>('calendar-sync', query.sync_token, 'sync_token', 'sync_token_invalid') }
      : {
          mode: 'page',
          pageSize: pageSize(query.page_size, { min: 50, max: 1000, fallback: 500 }),
          cursor: query.page_token ? decodeToken<ListCursor>('calendar-page', query.page_token, 'page_token') : undefined,
        };
    const result = request.mode === 'sync' ? await ctx.sync.calendarList(actor, request.sinceSeq) : await ctx.calendars.list(actor, request);
    return {
      has_more: result.next !== undefined,
      // The last page carries no page_token at all: SDK iterators loop forever on an empty one.
      ...(result.next ? { page_token: encodeToken('calendar-page', result.next) } : {}),
      ...(result.syncSeq !== undefined ? { sync_token: encodeToken('calendar-sync', result.syncSeq) } : {}),
      calendar_list: result.items.map(calendarToWire),
    };
  },
});
