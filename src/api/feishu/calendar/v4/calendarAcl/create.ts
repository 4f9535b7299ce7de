import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { CalendarIdParams, StringEnum, UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { aclToWire } from './acl-wire.js';

export const ACL_ROLES = ['free_busy_reader', 'reader', 'writer', 'owner'] as const;

/** `client.calendar.v4.calendarAcl.create`: the owner shares the calendar with a user of the tenant. */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars/:calendar_id/acls',
  schema: {
    params: CalendarIdParams,
    querystring: Type.Object(UserIdTypeQuery),
    body: Type.Object({
      role: StringEnum(ACL_ROLES),
      scope: Type.Object({ type: StringEnum(['user'] as const), user_id: Type.String({ minLength: 1 }) }),
    }),
  },
  auth: 'required',
  async handle({ params, query, body, actor }, ctx) {
    const type = query.user_id_type ?? 'open_id';
    const user = (await ctx.directory.resolveUsers(actor.tenantKey, type, [body.scope.user_id], () => 'scope.user_id'))[0];
    const acl = await ctx.calendars.createAcl(actor, checkCalendarId(params.calendar_id), body.role, user.id);
    return aclToWire(acl, user, type);
  },
});
