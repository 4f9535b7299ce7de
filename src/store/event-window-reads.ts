import type { ExpressionBuilder, Kysely } from 'kysely';
import type { CalendarEvent } from '../core/events/types.js';
import type { EventReader, WindowRowQuery } from '../core/ports.js';
import { SHORT_SPAN_SECONDS } from './migrations/004-event-window-index.js';
import type { Database } from './schema/index.js';

const toEvent = (r: { data: string }): CalendarEvent => JSON.parse(r.data) as CalendarEvent;
type Row = { data: string; start_at: number; event_id: string };
type Where = ExpressionBuilder<Database, 'events'>;

/**
 * The two bounded reads a window of a calendar is built from: rows without a rule (single events and
 * exceptions), which are their own occurrence and so can be read in start order with a limit, and
 * series, whose first start says nothing about when their occurrences fall, read by their extent
 * (first start .. last start + duration) in bounded batches. Both cover the calendar's own events
 * and those it is invited to, not cancelled, ordered by (start, event id), after a keyset position.
 */
export function eventWindowReads(db: Kysely<Database>): Pick<EventReader, 'singlesInWindow' | 'seriesInWindow'> {
  const invitedUids = (calendarId: string) => db.selectFrom('event_attendees').select('event_attendees.uid')
    .where('event_attendees.calendar_id', '=', calendarId).where('event_attendees.rsvp', '!=', 'removed');
  const base = () => db.selectFrom('events').select(['events.data', 'events.start_at', 'events.event_id']).where('events.status', '!=', 'cancelled');
  const afterPosition = (q: ReturnType<typeof base>, w: WindowRowQuery) => {
    const after = w.after;
    if (!after) return q;
    return q.where((eb: Where) => eb.or([
      eb('events.start_at', '>', after.start),
      eb.and([eb('events.start_at', '=', after.start), eb('events.event_id', '>', after.eventId)]),
    ]));
  };
  // Each branch is ordered and limited on its own index, then the branches are merged (SQLite needs the subqueries).
  const merged = async (branches: Array<[ReturnType<typeof base>, string]>, limit: number): Promise<CalendarEvent[]> => {
    const [first, ...rest] = branches.map(([q, name]) => db.selectFrom(q.orderBy('events.start_at').orderBy('events.event_id').limit(limit).as(name)).selectAll());
    const rows = (await rest.reduce((all, q) => all.unionAll(q), first).execute()) as Row[];
    return rows
      .sort((a, b) => Number(a.start_at) - Number(b.start_at) || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0))
      .slice(0, limit)
      .map(toEvent);
  };
  return {
    async singlesInWindow(calendarId, w) {
      // Rows whose time may meet [from, to): also those ending exactly at `from`, which the caller drops
      // (an OR for the zero-length event at `from` made SQLite's plan twice as slow).
      const meets = (q: ReturnType<typeof base>) => afterPosition(q.where('events.start_at', '<', w.to).where('events.range_end', '>=', w.from), w);
      // Short rows (7 days or less) start within [from - 7 days, to): an index range scan.
      const short = meets(base().where('events.calendar_id', '=', calendarId).where('events.long_span', '=', 0).where('events.start_at', '>=', w.from - SHORT_SPAN_SECONDS));
      const long = meets(base().where('events.calendar_id', '=', calendarId).where('events.long_span', '=', 1).where('events.is_recurring', '=', 0));
      const invited = meets(base().where('events.calendar_id', '!=', calendarId).where('events.is_recurring', '=', 0).where('events.uid', 'in', invitedUids(calendarId)));
      return merged([[short, 'short_events'], [long, 'long_events'], [invited, 'invited_events']], w.limit);
    },
    async seriesInWindow(calendarId, w) {
      const extent = (q: ReturnType<typeof base>) => afterPosition(q.where('events.is_recurring', '=', 1)
        .where('events.start_at', '<', w.to).where('events.range_end', '>=', w.from), w);
      const own = extent(base().where('events.calendar_id', '=', calendarId).where('events.long_span', '=', 1));
      const invited = extent(base().where('events.calendar_id', '!=', calendarId).where('events.uid', 'in', invitedUids(calendarId)));
      return merged([[own, 'own_series'], [invited, 'invited_series']], w.limit);
    },
  };
}
