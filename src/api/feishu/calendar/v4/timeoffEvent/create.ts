import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { FeishuError } from '../../../errors.js';
import { UserIdTypeQuery } from '../../../schemas.js';
import { DEFAULT_DESCRIPTION, DEFAULT_TITLE, timeoffTime, timeoffToWire, timeoffZone } from './timeoff-wire.js';

/**
 * `client.calendar.v4.timeoffEvent.create`: an app (tenant token only) puts a user of its tenant on
 * leave. The leave shows as a busy event on the user's primary calendar.
 */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/timeoff_events',
  schema: {
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      user_id: Type.String({ minLength: 1, maxLength: 255 }),
      timezone: Type.String({ minLength: 1, maxLength: 64 }),
      start_time: Type.String({ minLength: 1, maxLength: 32 }),
      end_time: Type.String({ minLength: 1, maxLength: 32 }),
      title: Type.Optional(Type.String({ maxLength: 1000 })),
      description: Type.Optional(Type.String({ maxLength: 8192 })),
    }),
  },
  auth: 'required',
  async handle({ query, body, actor }, ctx) {
    if (actor.kind !== 'app') throw new FeishuError(99991663, 'this method needs a tenant_access_token');
    const type = query.user_id_type ?? 'open_id';
    const user = (await ctx.directory.resolveUsers(actor.tenantKey, type, [body.user_id], () => 'user_id'))[0];
    const zone = timeoffZone(body.timezone);
    const start = timeoffTime(body.start_time, 'start_time', zone);
    const end = timeoffTime(body.end_time, 'end_time', zone);
    const allDay = start.kind === 'date';
    const timeoff = await ctx.extras.createTimeoff(actor, {
      userId: user.id, timeZone: zone, start, end,
      title: body.title || (allDay ? DEFAULT_TITLE.allDay : DEFAULT_TITLE.timed),
      description: body.description ?? DEFAULT_DESCRIPTION,
    });
    return timeoffToWire(timeoff, user, type);
  },
});
