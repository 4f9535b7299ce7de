import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { checkCalendarId } from '../calendar-wire.js';

/** `client.calendar.v4.calendarAcl.delete`. */
export const del = defineRoute({
  method: 'DELETE',
  url: '/calendar/v4/calendars/:calendar_id/acls/:acl_id',
  schema: { params: Type.Object({ calendar_id: Type.String({ minLength: 1 }), acl_id: Type.String({ minLength: 1, maxLength: 255 }) }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    await ctx.calendars.deleteAcl(actor, checkCalendarId(params.calendar_id), params.acl_id);
    return {};
  },
});
