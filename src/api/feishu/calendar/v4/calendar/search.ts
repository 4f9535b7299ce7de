import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { pageSize } from '../../../schemas.js';
import { calendarToWire } from '../calendar-wire.js';

/** `client.calendar.v4.calendar.search`: calendars of the tenant whose summary contains the query. */
export const search = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/search',
  schema: {
    querystring: Type.Object({
      page_size: Type.Optional(Type.Integer({ maximum: 50 })),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
    }),
    body: Type.Object({ query: Type.String({ maxLength: 60 }) }),
  },
  auth: 'required',
  async handle({ query, body, actor }, ctx) {
    const after = query.page_token ? decodeToken<string>('calendar-search', query.page_token, 'page_token') : undefined;
    const limit = pageSize(query.page_size, { min: 10, max: 50, fallback: 20 });
    const result = await ctx.calendars.search(actor, body.query, after, limit);
    return {
      items: result.items.map(calendarToWire),
      has_more: result.next !== undefined,
      ...(result.next ? { page_token: encodeToken('calendar-search', result.next) } : {}),
    };
  },
});
