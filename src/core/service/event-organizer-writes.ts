import { requireWritableType } from '../access.js';
import { invalidArgument } from '../errors.js';
import { decideEventCancel, isCancelledByOrganizer } from '../events/decide-cancel.js';
import { decideEventTransfer } from '../events/decide-transfer.js';
import { homeOf } from '../events/records.js';
import { eventRange } from '../events/series.js';
import type { Attendee, CalendarEvent } from '../events/types.js';
import { parseEventId } from '../events/types.js';
import type { StoreWriter } from '../ports.js';
import type { Actor } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import type { EventReads, EventView } from './event-reads.js';

const nowSeconds = (deps: CoreDeps) => Math.floor(deps.clock.now() / 1000);

/**
 * What only an event's organizer does to it: cancel it for everyone, hand it to a new organizer.
 * Each is load (under the series lock) → the pure decision in core/events → save, with its change
 * records, in one transaction.
 */
export class EventOrganizerWrites {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
    private readonly reads: EventReads,
  ) {}

  /** Cancels the event (a series whole, or one occurrence) for everyone; only its organizer may. */
  cancel(actor: Actor, calendarId: string, eventId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const view = await this.open(w, actor, calendarId, eventId);
      const { event } = view;
      const decided = decideEventCancel({
        actor, event, side: view.side, calendarId: view.calendar.calendar.calendarId, now: nowSeconds(this.deps),
        home: homeOf(event.calendarId, view.calendar.calendar.owner),
        series: view.side === 'organizer' && event.originalStart === 0 ? await w.events.series(event.uid) : [],
        attendees: await w.events.attendees(event.uid),
      });
      await this.save(w, decided.rows, [], decided.changes);
    });
  }

  /**
   * An event its organizer cancelled, as the caller sees it from a calendar (status cancelled);
   * undefined when there is no such cancelled event there (never one that was deleted).
   */
  cancelled(actor: Actor, calendarId: string, eventId: string): Promise<EventView | undefined> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const event = parseEventId(eventId) ? await r.events.event(eventId) : undefined;
      if (!event || event.tenantKey !== actor.tenantKey || !isCancelledByOrganizer(event)) return undefined;
      const cid = calendar.calendar.calendarId;
      if (event.calendarId !== cid && !(await r.events.isInCalendar(cid, event.uid))) return undefined;
      return this.reads.viewOf(r, actor, calendar, event);
    });
  }

  /**
   * Hands a series to another user of the organization: it moves to their primary calendar and they
   * become its organizer; the old organizer stays as an attendee unless `exitCalendar`.
   */
  transfer(actor: Actor, calendarId: string, eventId: string, newOrganizerUserId: string, exitCalendar: boolean): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const view = await this.open(w, actor, calendarId, eventId);
      const { event } = view;
      const user = await w.directory.user(newOrganizerUserId);
      if (!user || user.tenantKey !== actor.tenantKey) throw invalidArgument('newOrganizerId', 'is not a user of this organization');
      const primary = await w.calendars.primaryCalendar(`u:${user.id}`);
      if (!primary) throw invalidArgument('newOrganizerId', 'has no primary calendar');
      const home = homeOf(event.calendarId, view.calendar.calendar.owner);
      const oldOrganizer = home.ownerUserId === undefined ? undefined : await w.directory.user(home.ownerUserId);
      const decided = decideEventTransfer({
        actor, event, side: view.side, home, oldOrganizerName: oldOrganizer?.name ?? '',
        series: await w.events.series(event.uid),
        attendees: await w.events.attendees(event.uid),
        newOrganizer: { userId: user.id, name: user.name, calendarId: primary.calendarId },
        exitCalendar,
        newAttendeeIds: [this.deps.ids.attendeeId('user'), this.deps.ids.attendeeId('user')],
        now: nowSeconds(this.deps),
      });
      await this.save(w, decided.rows, decided.attendees, decided.changes);
      for (const a of decided.deletes) await w.events.deleteAttendee(a.uid, a.attendeeId);
    });
  }

  /** Locks the series, then loads the event for a write on a primary or shared calendar (the decision checks the side). */
  private async open(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.reads.load(w, actor, calendarId, eventId, 'writer');
    requireWritableType(view.calendar.calendar);
    return view;
  }

  /** Saves rows and attendees under one new change sequence number, with the records (as EventWrites does). */
  private async save(w: StoreWriter, rows: readonly CalendarEvent[], attendees: readonly Attendee[], changes: Parameters<StoreWriter['changes']['append']>[0]): Promise<void> {
    if (rows.length === 0) return;
    const seq = await w.calendars.nextSeq(changes.length);
    for (const e of rows) await w.events.putEvent({ ...e, seq }, eventRange(e));
    for (const a of attendees) await w.events.putAttendee({ ...a, seq });
    if (changes.length > 0) await w.changes.append(changes, this.deps.clock.now(), seq + 1);
  }
}
