import { DomainError, invalidArgument } from '../errors.js';
import { detailFor } from '../events/access.js';
import type { Detail, EventSide } from '../events/access.js';
import { ReadBudget } from '../events/read-budget.js';
import { instanceAt, isOccurrence, meets, occurrencesIn } from '../events/series.js';
import type { Occurrence } from '../events/series.js';
import { epochOf } from '../events/time.js';
import { compareKeys, earliestStart, instancesInWindow, isAfter, keyOf } from '../events/window.js';
import type { WindowPosition } from '../events/window.js';
import type { Attendee, CalendarEvent, PersonalView } from '../events/types.js';
import { eventIdOf, parseEventId } from '../events/types.js';
import type { EventReadQuery, StoreReader } from '../ports.js';
import { NotPrefetched, prefetchedReader } from './prefetched-reader.js';
import type { Actor, Role } from '../types.js';
import { principalOf } from '../types.js';
import { PRIMARY_ALIAS } from './calendar-service.js';
import type { CalendarService, CalendarView, CoreDeps } from './calendar-service.js';
import { occurrencesInWindow } from './occurrence-window.js';

/** An event as one caller sees it, from one calendar. */
export interface EventView {
  readonly event: CalendarEvent;
  readonly calendar: CalendarView;
  readonly side: EventSide;
  readonly detail: Detail;
  readonly personal: PersonalView | undefined;
  /** The caller's own attendee entry, if invited. */
  readonly self: Attendee | undefined;
  /** For an occurrence of a series: a plain instance or an exception. */
  readonly occurrence?: 'instance' | 'exception';
  /** Every attendee of the event, when the load asked for them (a write's decision needs them). */
  readonly attendees?: readonly Attendee[];
}

export type EventListRequest =
  | { readonly mode: 'page'; readonly pageSize: number; readonly afterEventId?: string; readonly anchor?: number; readonly startSeq?: number }
  | { readonly mode: 'window'; readonly pageSize: number; readonly from: number; readonly to: number };

export interface EventListResult {
  readonly items: EventView[];
  readonly next?: { readonly afterEventId: string; readonly startSeq: number };
  /** In sync mode, when more changes follow: the position to continue from. */
  readonly nextSince?: number;
  readonly syncSeq?: number;
}

/** Why a list read stops when its expansion budget runs out: the client narrows the window. */
const TOO_COSTLY = 'the series in this window need more recurrence expansion than one request may do; narrow the window';
const tooCostly = (field: string) => invalidArgument(field, TOO_COSTLY);

/** Whether a page token at `next` is past `after` (or, on a first page, past the window's earliest start). */
const movesOn = (next: WindowPosition, after: WindowPosition | undefined, earliest: number): boolean =>
  after === undefined ? next.start >= earliest : next.start > after.start || (next.start === after.start && after.eventId !== undefined && next.eventId === undefined);

/** Reading events: one event as a caller sees it, a calendar's pages and windows, a series' instances. */
export class EventReads {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
  ) {}

  /** Loads an event as seen from a calendar, requiring `wanted` on the calendar. */
  async load(r: StoreReader, actor: Actor, calendarId: string, eventId: string, wanted: Role, withAttendees = false): Promise<EventView> {
    const calendar = await this.calendars.view(r, actor, calendarId, wanted);
    const ids = parseEventId(eventId);
    if (!ids) throw new DomainError('invalid_event_id', `invalid event_id: ${eventId}`, 'event_id');
    let event = await r.events.event(eventId);
    // A detached exception (the rule changed, or a CalDAV client dropped the override) is no row any more.
    if (event?.extensions.detached === true) event = undefined;
    let occurrence: EventView['occurrence'] = event && event.originalStart !== 0 ? 'exception' : undefined;
    if (!event && ids.originalStart !== 0) {
      // `<uid>_<original start>` names an occurrence of a series even before it has a row of its own.
      const master = await r.events.event(`${ids.uid}_0`);
      if (master?.recurrence && master.status !== 'cancelled' && isOccurrence(master, ids.originalStart, new ReadBudget())) {
        event = instanceAt(master, ids.originalStart);
        occurrence = 'instance';
      }
    }
    // The organizer's calendar holds the event: only an attendee's calendar needs the membership read.
    const cid = calendar.calendar.calendarId;
    if (!event || event.tenantKey !== actor.tenantKey || (event.calendarId !== cid && !(await r.events.isInCalendar(cid, event.uid)))) {
      throw new DomainError('event_not_found', `event ${eventId} not found in this calendar`, 'event_id');
    }
    if (event.status === 'cancelled') throw new DomainError('event_deleted', 'event is deleted', 'event_id');
    const view = (await this.viewsOf(r, actor, calendar, [event], withAttendees))[0];
    return occurrence ? { ...view, occurrence } : view;
  }

  async viewOf(r: StoreReader, actor: Actor, calendar: CalendarView, event: CalendarEvent): Promise<EventView> {
    return (await this.viewsOf(r, actor, calendar, [event]))[0];
  }

  /**
   * Views of many events: the caller's personal views and own invitations come in one read each, not
   * one per event; with `withAttendees`, every attendee of each event comes in that same read.
   */
  async viewsOf(r: StoreReader, actor: Actor, calendar: CalendarView, events: readonly CalendarEvent[], withAttendees = false): Promise<EventView[]> {
    if (events.length === 0) return [];
    const uids = [...new Set(events.map((e) => e.uid))];
    const state = await r.events.viewerState(uids, principalOf(actor), actor.kind === 'user' ? `u:${actor.userId}` : undefined, withAttendees);
    const personal = new Map(state.personal.map((p) => [p.uid, p]));
    const mine = new Map<string, Attendee[]>();
    if (actor.kind === 'user') {
      for (const a of state.attendees) {
        const list = mine.get(a.uid);
        if (list) list.push(a);
        else mine.set(a.uid, [a]);
      }
    }
    return events.map((event) => {
      const side: EventSide = event.calendarId === calendar.calendar.calendarId ? 'organizer' : 'attendee';
      // Their own invitation: a direct one first, else the one they have as a member of an invited chat.
      const own = mine.get(event.uid) ?? [];
      const self = own.find((a) => !a.viaChat) ?? own[0];
      const view: EventView = { event, calendar, side, detail: detailFor(calendar.role, event, side), personal: personal.get(event.uid), self };
      return state.every ? { ...view, attendees: state.every.filter((a) => a.uid === event.uid) } : view;
    });
  }

  /** What the one-statement read asks for `eventId` (parsed as `ids`) on `calendarId` (`primary` allowed). */
  private readQuery(actor: Actor, calendarId: string, eventId: string, uid: string, everyAttendee: boolean): EventReadQuery {
    return {
      principal: principalOf(actor), userId: actor.kind === 'user' ? actor.userId : undefined,
      calendarId: calendarId === PRIMARY_ALIAS ? undefined : calendarId, eventId, uid,
      matchKey: actor.kind === 'user' ? `u:${actor.userId}` : undefined, everyAttendee,
    };
  }

  /**
   * One event as the caller sees it. The usual case (the event's own calendar, a row of its own) is
   * answered by one statement, without a snapshot's BEGIN and COMMIT; any other reads the same load
   * in a snapshot.
   */
  async get(actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) {
      const query = this.readQuery(actor, calendarId, eventId, ids.uid, false);
      const bundle = await this.deps.store.lookup((r) => r.events.eventRead(query));
      try {
        return await this.load(prefetchedReader(query, bundle), actor, calendarId, eventId, 'free_busy_reader');
      } catch (error) {
        if (!(error instanceof NotPrefetched)) throw error;
      }
    }
    return this.deps.store.read((r) => this.load(r, actor, calendarId, eventId, 'free_busy_reader'));
  }

  /**
   * A write's load of one event with every attendee, within its transaction (after the series lock):
   * the calendar, the event and the attendees come in one statement, and anything else the load
   * needs is read in the same transaction.
   */
  async loadForWrite(w: StoreReader, actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (!ids) return this.load(w, actor, calendarId, eventId, 'writer', true);
    const query = this.readQuery(actor, calendarId, eventId, ids.uid, true);
    return this.load(prefetchedReader(query, await w.events.eventRead(query), w), actor, calendarId, eventId, 'writer', true);
  }

  /** Pages through a calendar's events, or answers a time window (sync is SyncService's). */
  list(actor: Actor, calendarId: string, request: EventListRequest): Promise<EventListResult> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const cid = calendar.calendar.calendarId;
      const views = (events: CalendarEvent[]) => this.viewsOf(r, actor, calendar, events);
      if (request.mode === 'window') {
        // One page, truncated at page_size: series appear as their occurrences in the window.
        const budget = new ReadBudget();
        const found = await this.collect(r, cid, request.from, request.to, request.pageSize, false, budget);
        if (budget.exhausted) throw tooCostly('end');
        return { items: await this.occurrenceViews(r, actor, calendar, found.slice(0, request.pageSize)) };
      }
      const startSeq = request.startSeq ?? (await r.calendars.currentSeq());
      const rows = await r.events.listEvents(cid, { afterEventId: request.afterEventId, anchor: request.anchor, limit: request.pageSize + 1 });
      const page = rows.slice(0, request.pageSize);
      const items = await views(page);
      if (rows.length > request.pageSize) return { items, next: { afterEventId: eventIdOf(page[page.length - 1]), startSeq } };
      return { items, syncSeq: startSeq };
    });
  }

  /**
   * Every occurrence in a calendar meeting [from, to): singles, series expanded, exceptions in place,
   * cancelled occurrences left out. More than `limit` is a too_many_instances error.
   */
  occurrences(actor: Actor, calendarId: string, window: { from: number; to: number; limit: number }): Promise<EventView[]> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const budget = new ReadBudget();
      const found = await this.collect(r, calendar.calendar.calendarId, window.from, window.to, window.limit, true, budget);
      if (found.length > window.limit) {
        throw new DomainError('too_many_instances', `more than ${window.limit} instances in the window`, 'end');
      }
      if (budget.exhausted) throw new DomainError('too_many_instances', TOO_COSTLY, 'end');
      return this.occurrenceViews(r, actor, calendar, found);
    });
  }

  /**
   * A page of a calendar's occurrences meeting [from, to): the first `limit` after `after`, by
   * (start, event id), and whether more follow.
   */
  occurrencePage(actor: Actor, calendarId: string, window: { from: number; to: number; limit: number; after?: WindowPosition }): Promise<{ items: EventView[]; more: boolean }> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const budget = new ReadBudget();
      const found = await occurrencesInWindow(r, calendar.calendar.calendarId, { ...window, budget });
      if (budget.exhausted) throw tooCostly('end');
      return { items: await this.occurrenceViews(r, actor, calendar, found.slice(0, window.limit)), more: found.length > window.limit };
    });
  }

  /**
   * One series' occurrences meeting (from, to), ordered by (start, event id), paged after a position.
   * A page expands only what it shows (and one more), within the request's budget: when that runs
   * out first, the page is short and `next` continues from where the expansion got to.
   */
  instances(
    actor: Actor, calendarId: string, eventId: string, window: { from: number; to: number; limit: number; after?: WindowPosition },
  ): Promise<{ items: EventView[]; more: boolean; next?: WindowPosition }> {
    return this.deps.store.read(async (r) => {
      const ids = parseEventId(eventId);
      const view = await this.load(r, actor, calendarId, ids ? `${ids.uid}_0` : eventId, 'free_busy_reader');
      const master = view.event;
      const budget = new ReadBudget();
      let found: Occurrence[];
      if (!master.recurrence) {
        found = occurrencesIn(master, [], window.from, window.to, 1);
      } else {
        // Expanded from the page's position on, never from the window's start: every page costs the same.
        const exceptions = (await r.events.exceptionsOf([master.uid])).filter((x) => x.extensions.detached !== true);
        const replaced = new Set(exceptions.map((x) => x.originalStart));
        const moved: Occurrence[] = exceptions.filter((x) => x.status !== 'cancelled' && meets(x, window.from, window.to)).map((x) => ({ event: x, kind: 'exception' }));
        found = [...instancesInWindow(master, replaced, window, window.limit + 1, budget), ...moved];
      }
      // Where the budget stopped the expansion: nothing from there on is known on this page.
      const cut = budget.cut[budget.cut.length - 1]?.from;
      found = found.map((o) => ({ o, key: keyOf(o) })).filter((k) => isAfter(k.key, window.after) && (cut === undefined || k.key.start < cut))
        .sort((a, b) => compareKeys(a.key, b.key)).map((k) => k.o);
      const page = found.slice(0, window.limit);
      const items = await this.occurrenceViews(r, actor, view.calendar, page);
      const last = page[page.length - 1];
      if (found.length > window.limit) return { items, more: true, next: keyOf(last) };
      if (cut === undefined) return { items, more: false };
      // A short page: the next starts after every occurrence before the cut. A stored rule too costly
      // for even one step of progress gets the limit error, never a page token that repeats.
      const next: WindowPosition = last && keyOf(last).start >= cut - 1 ? keyOf(last) : { start: cut - 1 };
      if (!last && !movesOn(next, window.after, earliestStart(Math.max(0, epochOf(master.end) - epochOf(master.start)), window.from))) {
        throw tooCostly('end');
      }
      return { items, more: true, next };
    });
  }

  /** Occurrences of the events of one calendar in a window, the first `limit + 1` of them by (start, event id). */
  private collect(r: StoreReader, calendarId: string, from: number, to: number, limit: number, stopWhenOver = false, budget = new ReadBudget()): Promise<Occurrence[]> {
    return occurrencesInWindow(r, calendarId, { from, to, limit, stopWhenOver, budget });
  }

  /** Views of occurrences; what is per series (personal view, own invitation) is read once per series. */
  async occurrenceViews(r: StoreReader, actor: Actor, calendar: CalendarView, found: readonly Occurrence[]): Promise<EventView[]> {
    const firsts = new Map<string, CalendarEvent>();
    for (const o of found) if (!firsts.has(o.event.uid)) firsts.set(o.event.uid, o.event);
    const perSeries = new Map((await this.viewsOf(r, actor, calendar, [...firsts.values()])).map((v) => [v.event.uid, v]));
    const out: EventView[] = [];
    for (const o of found) {
      const base = perSeries.get(o.event.uid)!;
      const side: EventSide = o.event.calendarId === calendar.calendar.calendarId ? 'organizer' : 'attendee';
      out.push({
        ...base, event: o.event, side, detail: detailFor(calendar.role, o.event, side),
        ...(o.kind === 'single' ? {} : { occurrence: o.kind }),
      });
    }
    return out;
  }
}
