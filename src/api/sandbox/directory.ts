import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { invalidArgument } from '../../core/errors.js';
import type { CalendarEvent, EventTime } from '../../core/events/types.js';
import { eventIdOf } from '../../core/events/types.js';
import type { Calendar } from '../../core/types.js';

const calendarToWire = (c: Calendar) => ({
  calendar_id: c.calendarId,
  type: c.type,
  summary: c.summary,
  description: c.description,
  permissions: c.permissions,
  owner: c.owner,
});

/** An instant as ISO 8601 in UTC, a date as the date: what FullCalendar reads. */
const timeToWire = (t: EventTime): string => (t.kind === 'date' ? t.date : new Date(t.epoch * 1000).toISOString());

/** The most occurrences one calendar read returns: a month view of a busy calendar fits. */
const MAX_OCCURRENCES = 2_000;

/** A `start`/`end` query value: ISO 8601 (FullCalendar's JSON feed) or Unix seconds. */
function secondsOf(value: string, field: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw invalidArgument(field, 'an ISO 8601 date-time or Unix seconds');
  return Math.floor(ms / 1000);
}

/**
 * The console's reads: `GET /directory` (tenants with their users, apps, credentials, rooms and the
 * calendars each owns) and `GET /calendars/{calendar_id}/events?start&end` (a calendar's occurrences,
 * series expanded and exceptions in place, in FullCalendar's event shape plus the stored event).
 */
export async function directoryRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/directory', async () => {
    const tenants = await ctx.consoleReads.directory();
    return {
      tenants: tenants.map((t) => ({
        tenant_key: t.tenant.key,
        name: t.tenant.name,
        users: t.users.map(({ user: u, calendars }) => ({
          id: u.id, user_id: u.userId, open_id: u.openId, union_id: u.unionId, name: u.name, email: u.email, calendars: calendars.map(calendarToWire),
        })),
        // The sandbox shows secrets: it is the console of a test double, behind the admin gate.
        apps: t.apps.map(({ app: a, calendars }) => ({ app_id: a.appId, platform: a.platform, name: a.name, secret: a.secret, calendars: calendars.map(calendarToWire) })),
        rooms: t.rooms.map(({ room: r, calendars }) => ({ room_id: r.roomId, name: r.name, capacity: r.capacity, calendars: calendars.map(calendarToWire) })),
      })),
    };
  });

  app.get('/calendars/:calendar_id/events', {
    schema: {
      params: Type.Object({ calendar_id: Type.String({ minLength: 1, maxLength: 255 }) }),
      querystring: Type.Object({
        start: Type.String({ minLength: 1, maxLength: 64, description: 'window start, ISO 8601 or Unix seconds' }),
        end: Type.String({ minLength: 1, maxLength: 64, description: 'window end (exclusive), ISO 8601 or Unix seconds' }),
      }),
    },
  }, async (request) => {
    const { calendar_id: calendarId } = request.params as { calendar_id: string };
    const q = request.query as { start: string; end: string };
    const window = await ctx.consoleReads.calendarWindow(calendarId, secondsOf(q.start, 'start'), secondsOf(q.end, 'end'), MAX_OCCURRENCES);
    return {
      calendar: calendarToWire(window.calendar),
      truncated: window.truncated,
      events: window.occurrences.map(({ event, kind }) => ({
        id: eventIdOf(event),
        title: event.summary,
        start: timeToWire(event.start),
        end: timeToWire(event.end),
        all_day: event.start.kind === 'date',
        kind,
        event: eventToWire(event),
      })),
    };
  });
}

/** The stored event, as rili keeps it (both dialects' fields; times in Unix seconds). */
const eventToWire = (e: CalendarEvent) => ({ event_id: eventIdOf(e), ...e });
