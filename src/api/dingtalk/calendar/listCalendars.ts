import type { Role } from '../../../core/types.js';
import { defineRoute } from '../../route.js';
import { actingUser } from '../acting-user.js';
import { DEFAULT_ZONE } from '../date-time.js';
import { UserParams } from './event-schema.js';

const PRIVILEGE: Readonly<Record<Role, string>> = {
  owner: 'owner',
  writer: 'writer',
  reader: 'reader',
  free_busy_reader: 'freeBusyReader',
  none: 'none',
};

/**
 * `ListCalendars`: the user's calendar list, wrapped in `response` as the SDK models it. The user's
 * own primary calendar has the id `primary`, as on DingTalk; other calendars keep their ids.
 */
export const listCalendars = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars',
  schema: { params: UserParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const calendars: Array<Record<string, unknown>> = [];
    let cursor: { after: string; seq: number } | undefined;
    do {
      const page = await ctx.calendars.list(user, { mode: 'page', pageSize: 500, cursor });
      for (const v of page.items) {
        if (v.calendar.isDeleted || v.subscription?.active === false || v.role === 'none') continue;
        const own = v.calendar.type === 'primary' && v.calendar.owner === `u:${user.userId}`;
        calendars.push({
          id: own ? 'primary' : v.calendar.calendarId,
          summary: v.subscription?.summaryAlias || v.calendar.summary,
          description: v.calendar.description,
          type: v.calendar.type,
          timeZone: DEFAULT_ZONE,
          eTag: String(v.calendar.seq),
          privilege: PRIVILEGE[v.role],
        });
      }
      cursor = page.next;
    } while (cursor);
    return { response: { calendars } };
  },
});
