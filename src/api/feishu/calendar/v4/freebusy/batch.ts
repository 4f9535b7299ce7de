import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { busyToWire, freebusyWindow } from './freebusy-wire.js';

/** `client.calendar.v4.freebusy.batch`: busy time of several users' primary calendars. */
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
    const users = await ctx.store.read((r) => Promise.all(body.user_ids.map((id, i) => ctx.directory.resolveUser(r, actor.tenantKey, type, id, `user_ids[${i}]`))));
    const lists = [];
    for (const [i, user] of users.entries()) {
      const busy = await ctx.events.busy(actor, { userId: user.id }, from, to);
      lists.push({ user_id: body.user_ids[i], freebusy_items: busyToWire(busy, offset, body.need_rsvp_status) });
    }
    return { freebusy_lists: lists };
  },
});
