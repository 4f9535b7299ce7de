import { Type } from 'typebox';
import { BUSY_ANSWER_MAX } from '../../../../../core/events/busy.js';
import { ReadBudget } from '../../../../../core/events/read-budget.js';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { busyToWire, freebusyWindow } from './freebusy-wire.js';

/**
 * `client.calendar.v4.freebusy.batch`: busy time of several users' primary calendars. A user named
 * twice is answered once; all users share one expansion budget and one ceiling on items
 * (BUSY_ANSWER_MAX split evenly).
 */
export const batch = defineRoute({
  method: 'POST',
  url: '/calendar/v4/freebusy/batch',
  schema: {
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      time_min: Type.String({ maxLength: 64 }),
      time_max: Type.String({ maxLength: 64 }),
      user_ids: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 50 }),
      include_external_calendar: Type.Optional(Type.Boolean()),
      only_busy: Type.Optional(Type.Boolean()),
      need_rsvp_status: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ query, body, actor }, ctx) {
    const { from, to, offset } = freebusyWindow(body.time_min, body.time_max);
    const type = query.user_id_type ?? 'open_id';
    const ids = [...new Set(body.user_ids)];
    const users = await ctx.directory.resolveUsers(actor.tenantKey, type, ids, (i) => `user_ids[${body.user_ids.indexOf(ids[i])}]`);
    const budget = new ReadBudget();
    const maxIntervals = Math.floor(BUSY_ANSWER_MAX / ids.length);
    const lists = [];
    for (const [i, user] of users.entries()) {
      const busy = await ctx.events.busy(actor, { userId: user.id }, from, to, { budget, maxIntervals });
      lists.push({ user_id: ids[i], freebusy_items: busyToWire(busy, offset, body.need_rsvp_status) });
    }
    return { freebusy_lists: lists };
  },
});
