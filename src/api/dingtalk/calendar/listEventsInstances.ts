import { Type } from 'typebox';
import { parseEventId } from '../../../core/events/types.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { eventsToWire } from './event-output.js';
import { CalendarParams } from './event-schema.js';
import { maxAttendeesOf } from './getEvent.js';
import { FAR_FUTURE, MAX_RESULTS, maxResultsOf } from './listEvents.js';

/** Room for occurrences that begin before the first one asked for yet overlap its start: read, then dropped. */
const OVERLAP_SLACK = 20;

/**
 * `ListEventsInstances`: the occurrences of the series `seriesMasterId`, in start order, from the
 * occurrence `startRecurrenceId` (inclusive; the first occurrence when absent), at most
 * `maxResults` (default and most 100). There is no page token: the next call starts at the
 * occurrence after the last one answered (docs/compatibility.md).
 */
export const listEventsInstances = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/instances',
  schema: {
    params: CalendarParams,
    querystring: Type.Object({
      seriesMasterId: Type.Optional(Type.String()),
      startRecurrenceId: Type.Optional(Type.String()),
      maxResults: Type.Optional(Type.Integer()),
      maxAttendees: Type.Optional(Type.Integer()),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const master = query.seriesMasterId?.trim() ?? '';
    if (master === '') throw new DingtalkError('invalidParameter', 'seriesMasterId cannot be blank');
    const size = maxResultsOf(query.maxResults);
    const maxAttendees = maxAttendeesOf(query.maxAttendees, MAX_RESULTS);
    const masterIds = parseEventId(master);
    if (!masterIds || masterIds.originalStart !== 0) throw new DingtalkError('invalidParameter', `seriesMasterId ${master} is not the id of a series`);
    let from = 0;
    if (query.startRecurrenceId !== undefined) {
      const start = parseEventId(query.startRecurrenceId);
      if (!start || start.uid !== masterIds.uid || start.originalStart === 0) {
        throw new DingtalkError('invalidParameter', `startRecurrenceId ${query.startRecurrenceId} is not an occurrence of series ${master}`);
      }
      from = start.originalStart;
    }
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const page = await ctx.events.instances(user, calendarId, master, { from, to: FAR_FUTURE, limit: size + OVERLAP_SLACK });
    // By original start: an occurrence moved earlier still follows the one it came after in the series.
    const items = page.items.filter((v) => v.event.originalStart >= from).slice(0, size);
    return { events: await eventsToWire(ctx, user.userId, items, maxAttendees) };
  },
});
