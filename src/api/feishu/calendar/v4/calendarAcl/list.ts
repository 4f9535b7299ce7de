import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { decodeToken, encodeToken } from '../../../page-token.js';
import { CalendarIdParams, UserIdTypeQuery, pageSize } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { aclToWire } from './acl-wire.js';

/** `client.calendar.v4.calendarAcl.list` (and listWithIterator): page_size 10..50, under 10 counts as 10. */
export const list = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/acls',
  schema: {
    params: CalendarIdParams,
    querystring: Type.Object({
      ...UserIdTypeQuery,
      page_size: Type.Optional(Type.Integer({ maximum: 50 })),
      page_token: Type.Optional(Type.String({ maxLength: 2048 })),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const after = query.page_token ? decodeToken<string>('acl-page', query.page_token, 'page_token') : undefined;
    const limit = pageSize(query.page_size, { min: 10, max: 50, fallback: 10 });
    const page = await ctx.calendars.listAcls(actor, checkCalendarId(params.calendar_id), after, limit);
    const users = new Map((await ctx.directory.users(page.items.map((a) => a.userId))).map((u) => [u.id, u]));
    const last = page.items[page.items.length - 1];
    return {
      acls: page.items.map((a) => aclToWire(a, users.get(a.userId), query.user_id_type)),
      has_more: page.more,
      ...(page.more && last ? { page_token: encodeToken('acl-page', last.aclId) } : {}),
    };
  },
});
