import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { CalendarIdParams } from '../../../schemas.js';
import { calendarToWire, checkCalendarId } from '../calendar-wire.js';
import { CalendarFields } from './create.js';

/** `client.calendar.v4.calendar.patch`: only the fields sent change. */
export const patch = defineRoute({
  method: 'PATCH',
  url: '/calendar/v4/calendars/:calendar_id',
  schema: { params: CalendarIdParams, body: Type.Object(CalendarFields) },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const view = await ctx.calendars.patch(actor, checkCalendarId(params.calendar_id), {
      summary: body.summary, description: body.description, permissions: body.permissions, color: body.color,
      summaryAlias: body.summary_alias,
    });
    return { calendar: calendarToWire(view) };
  },
});
