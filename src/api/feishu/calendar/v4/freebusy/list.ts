import { Type } from 'typebox';
import { invalidArgument } from '../../../../../core/errors.js';
import { defineRoute } from '../../../../route.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { busyToWire, freebusyWindow } from './freebusy-wire.js';

/** `client.calendar.v4.freebusy.list`: busy time of one user's primary calendar, or of a room. */
export const list = defineRoute({
  method: 'POST',
  url: '/calendar/v4/freebusy/list',
  schema: {
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      time_min: Type.String({ maxLength: 64 }),
      time_max: Type.String({ maxLength: 64 }),
      user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      room_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      include_external_calendar: Type.Optional(Type.Boolean()),
      only_busy: Type.Optional(Type.Boolean()),
      need_rsvp_status: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ query, body, actor }, ctx) {
    const { from, to, offset } = freebusyWindow(body.time_min, body.time_max);
    // user_id wins when both are given, as documented.
    let target: { userId?: string; roomId?: string };
    if (body.user_id) {
      const user = (await ctx.directory.resolveUsers(actor.tenantKey, query.user_id_type ?? 'open_id', [body.user_id], () => 'user_id'))[0];
      target = { userId: user.id };
    } else if (body.room_id) {
      target = { roomId: body.room_id };
    } else {
      throw invalidArgument('user_id', 'user_id or room_id is required');
    }
    const busy = await ctx.events.busy(actor, target, from, to);
    return { freebusy_list: busyToWire(busy, offset, body.need_rsvp_status) };
  },
});
