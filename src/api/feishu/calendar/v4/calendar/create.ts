import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { StringEnum } from '../../../schemas.js';
import { calendarToWire } from '../calendar-wire.js';

export const CALENDAR_PERMISSIONS = ['private', 'show_only_free_busy', 'public'] as const;

export const CalendarFields = {
  summary: Type.Optional(Type.String({ maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  permissions: Type.Optional(StringEnum(CALENDAR_PERMISSIONS)),
  color: Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 2147483647 })),
  summary_alias: Type.Optional(Type.String({ maxLength: 255 })),
};

/** `client.calendar.v4.calendar.create`: a shared calendar, owned by and listed for the caller. */
export const create = defineRoute({
  method: 'POST',
  url: '/calendar/v4/calendars',
  schema: { body: Type.Object(CalendarFields) },
  auth: 'required',
  async handle({ body, actor }, ctx) {
    const view = await ctx.calendars.create(actor, {
      summary: body.summary, description: body.description, permissions: body.permissions, color: body.color,
      summaryAlias: body.summary_alias,
    });
    return { calendar: calendarToWire(view) };
  },
});
