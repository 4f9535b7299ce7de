import { Type } from 'typebox';
import { epochOf } from '../../../core/events/time.js';
import { eventIdOf } from '../../../core/events/types.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { decodeToken, encodeToken } from '../page-token.js';
import { eventsToWire } from './event-output.js';
import { CalendarParams } from './event-schema.js';
import { maxAttendeesOf } from './getEvent.js';
import { MAX_RESULTS, WindowQuery, maxResultsOf, windowOf } from './listEvents.js';

const YEAR = 365 * 86_400;

type Position = { s: number; id: string };

/**
 * `ListEventsView`: what the calendar shows in [timeMin, timeMax): single events and every
 * occurrence of a series (expanded, changed occurrences in place, cancelled ones left out), ordered
 * by start, then event id; pages by that position. Without timeMin the window starts now; without
 * timeMax it spans a year.
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
    const position = query.nextToken ? decodeToken<Position>('event-view', query.nextToken, 'nextToken') : undefined;
    if (position !== undefined && (!Number.isSafeInteger(position.s) || typeof position.id !== 'string')) throw new DingtalkError('params.invalid', 'nextToken is invalid or expired');
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    // Each page reads from its position on: a dense window is paged, never refused for its size.
    const page = await ctx.events.occurrencePage(user, calendarId, { from, to, limit: size, after: position && { start: position.s, eventId: position.id } });
    const last = page.items[page.items.length - 1];
    return {
      events: await eventsToWire(ctx, user.userId, page.items, maxAttendees),
      ...(page.more && last ? { nextToken: encodeToken('event-view', { s: epochOf(last.event.start), id: eventIdOf(last.event) } satisfies Position) } : {}),
    };
  },
});
