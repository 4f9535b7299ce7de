import { Type } from 'typebox';
import { DomainError, invalidArgument } from '../../../../../core/errors.js';
import { defineRoute } from '../../../../route.js';
import { CalendarIdParams, UserIdTypeQuery } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';
import { eventToWire, namesFor } from './event-wire.js';

/** Feishu's bounds: a window under 40 days, at most 1000 instances, no paging. */
export const INSTANCE_VIEW_MAX_SECONDS = 40 * 86_400;
export const INSTANCE_VIEW_MAX_INSTANCES = 1000;
const Seconds = Type.String({ pattern: '^[0-9]{1,11}$' });

/** `client.calendar.v4.calendarEvent.instanceView`: every event instance of a calendar in the window. */
export const instanceView = defineRoute({
  method: 'GET',
  url: '/calendar/v4/calendars/:calendar_id/events/instance_view',
  schema: { params: CalendarIdParams, querystring: Type.Object({ ...UserIdTypeQuery, start_time: Seconds, end_time: Seconds }) },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const from = Number(query.start_time);
    const to = Number(query.end_time);
    if (to <= from) throw invalidArgument('end_time', 'must be after start_time');
    if (to - from >= INSTANCE_VIEW_MAX_SECONDS) throw new DomainError('window_too_large', 'the time range of instance view must be under 40 days', 'end_time');
    const views = await ctx.events.occurrences(actor, checkCalendarId(params.calendar_id), { from, to, limit: INSTANCE_VIEW_MAX_INSTANCES });
    const names = await namesFor(ctx, query.user_id_type, views);
    return { items: views.map((v) => eventToWire(v, names)) };
  },
});
