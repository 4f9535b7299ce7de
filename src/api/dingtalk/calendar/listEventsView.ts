import { Type } from 'typebox';
import { epochOf } from '../../../core/events/time.js';
import { eventIdOf } from '../../../core/events/types.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { decodeToken, encodeToken } from '../page-token.js';
import { eventsToWire } from './event-output.js';
import { CalendarParams } from './event-schema.js';
import { maxAttendeesOf } from './getEvent.js';
import { MAX_RESULTS, WindowQuery, maxResultsOf, windowOf } from './listEvents.js';

/** Occurrences one window may hold; past it the window is too large (`invalidParameter`). */
export const VIEW_CAP = 10_000;
const YEAR = 365 * 86_400;

type Position = { s: number; id: string };

/**
 * `ListEventsView`: what the calendar shows in [timeMin, timeMax): single events and every
 * occurrence of a series (expanded, changed occurrences in place, cancelled ones left out), ordered
 * by start. Without timeMin the window starts now; without timeMax it spans a year.
 */
export const listEventsView = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/eventsview',
  schema: { params: CalendarParams, querystring: Type.Object(WindowQuery) },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const size = maxResultsOf(query.maxResults);
    const maxAttendees = maxAttendeesOf(query.maxAttendees, MAX_RESULTS);
    const window = windowOf(query);
    const from = window.from ?? Math.floor(ctx.clock.now() / 1000);
    const to = window.to ?? from + YEAR;
    const after = query.nextToken ? decodeToken<Position>('event-view', query.nextToken, 'nextToken') : undefined;
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const all = await ctx.events.occurrences(user, calendarId, { from, to, limit: VIEW_CAP });
    const keyed = all.map((v) => ({ v, s: epochOf(v.event.start), id: eventIdOf(v.event) }))
      .sort((a, b) => a.s - b.s || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rest = after ? keyed.filter((k) => k.s > after.s || (k.s === after.s && k.id > after.id)) : keyed;
    const page = rest.slice(0, size);
    const last = page[page.length - 1];
    return {
      events: await eventsToWire(ctx, user.userId, page.map((k) => k.v), maxAttendees),
      ...(rest.length > size ? { nextToken: encodeToken('event-view', { s: last.s, id: last.id } satisfies Position) } : {}),
    };
  },
});
