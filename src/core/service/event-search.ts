import { requireWritableType } from '../access.js';
import { attendeeSight, meetsVisibleAttendeeFilter } from '../events/access.js';
import { ReadBudget } from '../events/read-budget.js';
import { occurrencesIn } from '../events/series.js';
import { epochOf } from '../events/time.js';
import type { CalendarEvent } from '../events/types.js';
import { eventIdOf } from '../events/types.js';
import type { Actor } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import type { EventReads, EventView } from './event-reads.js';

export interface EventSearchQuery {
  readonly query: string;
  readonly from: number;
  readonly to: number;
  /** Each inner list must be met by at least one attendee: `u:<internal user id>`, `r:<room>`, `c:<chat>`. */
  readonly attendeeKeys?: readonly (readonly string[])[];
  readonly after?: { readonly start: number; readonly eventId: string };
  readonly limit: number;
}

/** Searching a calendar's events by summary, time and attendees. */
export class EventSearch {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
    private readonly reads: EventReads,
  ) {}

  /**
   * Searches a calendar: summary match, a time window, attendee filters; a series is a hit when one
   * of its occurrences falls in the window. What the caller may see only as busy time never matches
   * a query, so search leaks no detail that get would hide.
   */
  search(actor: Actor, calendarId: string, q: EventSearchQuery): Promise<{ items: EventView[]; next?: { start: number; eventId: string } }> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'reader');
      requireWritableType(calendar.calendar);
      const cid = calendar.calendar.calendarId;
      const filters = q.attendeeKeys ?? [];
      const ownKey = actor.kind === 'user' ? `u:${actor.userId}` : undefined;
      // Each hit with its position; one hit past the page tells whether more follow, so has_more
      // never counts a row the caller may not find.
      const hits: Array<{ view: EventView; at: { start: number; eventId: string } }> = [];
      let after = q.after;
      const batch = Math.max(q.limit * 2, 50);
      const budget = new ReadBudget();
      for (;;) {
        const rows = await r.events.searchEvents(cid, { from: q.from, to: q.to, limit: batch, query: q.query || undefined, attendeeKeys: q.attendeeKeys, after });
        // Exceptions and views for the whole batch, one read each.
        const exceptions = new Map<string, CalendarEvent[]>();
        for (const x of await r.events.exceptionsOf(rows.filter((e) => e.recurrence).map((e) => e.uid))) {
          const list = exceptions.get(x.uid);
          if (list) list.push(x);
          else exceptions.set(x.uid, [x]);
        }
        // A series the budget cannot decide about counts as in the window: the index says it spans it.
        const inWindow = rows.filter((e) => {
          if (!e.recurrence) return true;
          const cutBefore = budget.cut.length;
          return occurrencesIn(e, exceptions.get(e.uid) ?? [], q.from, q.to, 1, budget).some((o) => o.kind === 'instance') || budget.cut.length > cutBefore;
        });
        const views = new Map((await this.reads.viewsOf(r, actor, calendar, inWindow)).map((v) => [v.event, v]));
        for (const e of rows) {
          after = { start: epochOf(e.start), eventId: eventIdOf(e) };
          const view = views.get(e);
          if (!view || !this.findable(view, q.query, filters, ownKey)) continue;
          hits.push({ view, at: after });
          if (hits.length > q.limit) return { items: hits.slice(0, q.limit).map((h) => h.view), next: hits[q.limit - 1].at };
        }
        if (rows.length < batch) return { items: hits.map((h) => h.view) };
      }
    });
  }

  /**
   * Search matches only on what the caller may see: a query never matches an event seen as busy time
   * (its summary is hidden), and attendee filters only through the attendees the caller may see.
   */
  private findable(view: EventView, query: string, filters: readonly (readonly string[])[], ownKey: string | undefined): boolean {
    if (query && view.detail === 'busy') return false;
    return meetsVisibleAttendeeFilter(attendeeSight(view), filters, view.self ? ownKey : undefined);
  }
}
