import { atLeast } from '../access.js';
import type { ReadBudget } from '../events/read-budget.js';
import { eventRange } from '../events/series.js';
import type { WindowPosition } from '../events/window.js';
import type { Actor, Role } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import { EventBusy } from './event-busy.js';
import { EventLookups } from './event-lookups.js';
import type { BusyInterval } from './event-busy.js';
import { EventReads } from './event-reads.js';
import type { EventListRequest, EventListResult, EventView } from './event-reads.js';
import { EventSearch } from './event-search.js';
import type { EventSearchQuery } from './event-search.js';
import { EventWrites } from './event-writes.js';
import { EventOrganizerWrites } from './event-organizer-writes.js';
import type { EventInput } from './event-writes.js';

export type { BusyInterval } from './event-busy.js';
export type { EventListRequest, EventListResult, EventView } from './event-reads.js';
export type { EventSearchQuery } from './event-search.js';
export { ATTACHMENT_LIMIT_BYTES } from './event-writes.js';
export type { EventInput } from './event-writes.js';

// The store's index range of an event; callers outside core/events import it from here.
export { eventRange };

/**
 * Events on calendars, the one surface the dialects call: reads, search, busy time and writes
 * each live in their own service; this joins them.
 */
export class EventService {
  readonly reads: EventReads;
  readonly writes: EventWrites;
  /** Cancel and transfer: what only an event's organizer does. */
  readonly organizerWrites: EventOrganizerWrites;
  /** Directory and attendee reads the dialects map wire ids and responses with. */
  readonly lookups: EventLookups;
  private readonly searching: EventSearch;
  private readonly busyTime: EventBusy;

  constructor(deps: CoreDeps, calendars: CalendarService) {
    this.reads = new EventReads(deps, calendars);
    this.writes = new EventWrites(deps, calendars, this.reads);
    this.organizerWrites = new EventOrganizerWrites(deps, calendars, this.reads);
    this.searching = new EventSearch(deps, calendars, this.reads);
    this.busyTime = new EventBusy(deps, calendars);
    this.lookups = new EventLookups(deps);
  }

  get(actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    return this.reads.get(actor, calendarId, eventId);
  }

  list(actor: Actor, calendarId: string, request: EventListRequest): Promise<EventListResult> {
    return this.reads.list(actor, calendarId, request);
  }

  occurrences(actor: Actor, calendarId: string, window: { from: number; to: number; limit: number }): Promise<EventView[]> {
    return this.reads.occurrences(actor, calendarId, window);
  }

  occurrencePage(actor: Actor, calendarId: string, window: { from: number; to: number; limit: number; after?: WindowPosition }): Promise<{ items: EventView[]; more: boolean }> {
    return this.reads.occurrencePage(actor, calendarId, window);
  }

  instances(
    actor: Actor, calendarId: string, eventId: string, window: { from: number; to: number; limit: number; after?: WindowPosition },
  ): Promise<{ items: EventView[]; more: boolean; next?: WindowPosition }> {
    return this.reads.instances(actor, calendarId, eventId, window);
  }

  search(actor: Actor, calendarId: string, q: EventSearchQuery): Promise<{ items: EventView[]; next?: { start: number; eventId: string } }> {
    return this.searching.search(actor, calendarId, q);
  }

  busy(actor: Actor, target: { userId?: string; roomId?: string }, from: number, to: number, options: { budget?: ReadBudget; maxIntervals?: number } = {}): Promise<BusyInterval[]> {
    return this.busyTime.busy(actor, target, from, to, options);
  }

  calendarBusy(actor: Actor, calendarId: string, from: number, to: number, options: { budget?: ReadBudget; maxIntervals?: number } = {}): Promise<BusyInterval[]> {
    return this.busyTime.calendarBusy(actor, calendarId, from, to, options);
  }

  create(actor: Actor, calendarId: string, input: EventInput, idempotencyKey?: string): Promise<EventView> {
    return this.writes.create(actor, calendarId, input, idempotencyKey);
  }

  patch(actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    return this.writes.patch(actor, calendarId, eventId, input);
  }

  delete(actor: Actor, calendarId: string, eventId: string): Promise<void> {
    return this.writes.delete(actor, calendarId, eventId);
  }

  /** Whether the caller may write on the calendar at all (used by attendee operations). */
  static canWrite(role: Role): boolean {
    return atLeast(role, 'writer');
  }
}
