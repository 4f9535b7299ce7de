import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { decodeToken, encodeToken } from '../page-token.js';
import { eventsToWire } from './event-output.js';
import { EventParams } from './event-schema.js';
import { maxAttendeesOf } from './getEvent.js';
import { FAR_FUTURE, MAX_RESULTS, WindowQuery, maxResultsOf, positionOf, windowOf } from './listEvents.js';
import type { InstancePosition } from './listEvents.js';
import type { WindowPosition } from '../../../core/events/window.js';

/** A page position as a token holds it: a bare start is after every occurrence at that start. */
const tokenOf = (p: WindowPosition): InstancePosition => (p.eventId === undefined ? p.start : { s: p.start, id: p.eventId });

/**
 * `ListInstances`: the occurrences of one series meeting [timeMin, timeMax) (open ends by default),
 * ordered by start; an occurrence changed on its own shows as it now is. The event id may be the
 * series' or any of its occurrences'.
 */
export const listInstances = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/instances',
  schema: { params: EventParams, querystring: Type.Object(WindowQuery) },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const size = maxResultsOf(query.maxResults);
    const maxAttendees = maxAttendeesOf(query.maxAttendees, MAX_RESULTS);
    const { from, to } = windowOf(query);
    const after = query.nextToken ? positionOf(decodeToken<InstancePosition>('event-instances', query.nextToken, 'nextToken')) : undefined;
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const page = await ctx.events.instances(user, calendarId, params.eventId, { from: from ?? 0, to: to ?? FAR_FUTURE, limit: size, after });
    return {
      events: await eventsToWire(ctx, user.userId, page.items, maxAttendees),
      ...(page.more && page.next ? { nextToken: encodeToken('event-instances', tokenOf(page.next)) } : {}),
    };
  },
});
