import { requireWritableType } from '../access.js';
import { detailFor } from '../events/access.js';
import { decideEventCreate, decideEventDelete, decideEventPatch, decideExceptionRevert, requireTimes } from '../events/decide-event.js';
import { DomainError } from '../errors.js';
import type { EventInput } from '../events/input.js';
import { homeOf } from '../events/records.js';
import type { SeriesHome } from '../events/records.js';
import { eventRange } from '../events/series.js';
import type { CalendarEvent, Vchat } from '../events/types.js';
import { parseEventId } from '../events/types.js';
import type { StoreWriter } from '../ports.js';
import type { Actor } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import { resolveAttachments } from './event-attachments.js';
import type { EventReads, EventView } from './event-reads.js';

export { ATTACHMENT_LIMIT_BYTES } from './event-attachments.js';
export type { EventInput } from '../events/input.js';

const nowSeconds = (deps: CoreDeps) => Math.floor(deps.clock.now() / 1000);

/**
 * Writing events: create, patch (an instance becomes an exception), delete, personal views. Each is
 * load (under the series lock) → the pure decision in core/events → save, with its change records,
 * in one transaction.
 */
export class EventWrites {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
    private readonly reads: EventReads,
  ) {}

  /** Creates an event on a calendar; the same idempotency key on the same calendar returns the first event. */
  create(actor: Actor, calendarId: string, input: EventInput, idempotencyKey?: string): Promise<EventView> {
    return this.deps.store.transact((w) => this.createIn(w, actor, calendarId, input, idempotencyKey));
  }

  /** `create` within the caller's transaction, so a dialect can write more in the same commit (DingTalk's invitations). */
  async createIn(w: StoreWriter, actor: Actor, calendarId: string, input: EventInput, idempotencyKey?: string): Promise<EventView> {
    const calendar = await this.calendars.view(w, actor, calendarId, 'writer');
    requireWritableType(calendar.calendar);
    const cid = calendar.calendar.calendarId;
    // A key is unique per app and calendar (reference §2.2): another app's same key is another event.
    const scopedKey = idempotencyKey ? `${actor.appId}:${idempotencyKey}` : undefined;
    if (scopedKey) {
      // Concurrent creates with one key queue here, so the second finds the first's event.
      await w.events.lockSeries(`idempotency:${cid}:${scopedKey}`);
      const first = await w.events.eventByIdempotencyKey(cid, scopedKey);
      if (first) return this.reads.viewOf(w, actor, calendar, first);
    }
    requireTimes(input);
    const uid = this.deps.ids.uuid();
    const decided = decideEventCreate({
      actor, calendar: calendar.calendar, uid, idempotencyKey: scopedKey ?? null, now: nowSeconds(this.deps),
      input: { ...input, vchat: this.withMeetingUrl(input.vchat ?? null) },
      attachments: await resolveAttachments(w, actor, [], input.attachments),
    });
    const [event] = await this.save(w, decided.rows, decided.changes);
    if (decided.personal) await w.events.putPersonalView(decided.personal);
    // A new event has no invitations and no personal view but the one just written: nothing to read.
    return { event, calendar, side: 'organizer', detail: detailFor(calendar.role, event, 'organizer'), personal: decided.personal, self: undefined };
  }

  /** Applies only the fields sent; personal fields go to the caller's own view. */
  patch(actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    return this.deps.store.transact((w) => this.patchIn(w, actor, calendarId, eventId, input));
  }

  /** `patch` within the caller's transaction; it locks the series first, for the rest of that transaction. */
  async patchIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.reads.loadForWrite(w, actor, calendarId, eventId);
    requireWritableType(view.calendar.calendar);
    const { event } = view;
    const organizerCalendar = view.side === 'organizer' ? view.calendar.calendar : await w.calendars.calendar(event.calendarId);
    const isSeries = event.originalStart === 0 && event.recurrence !== '';
    const decided = decideEventPatch({
      actor, event, side: view.side, occurrence: view.occurrence, personal: view.personal, calendarId: view.calendar.calendar.calendarId,
      organizerIsBot: organizerCalendar?.owner.startsWith('a:') ?? false,
      input: input.vchat !== undefined ? { ...input, vchat: this.withMeetingUrl(input.vchat, event.vchat) } : input,
      attachments: input.attachments ? await resolveAttachments(w, actor, event.attachments, input.attachments) : undefined,
      exceptions: isSeries && (input.recurrence !== undefined || input.start !== undefined || input.end !== undefined) ? await w.events.exceptionsOf([event.uid]) : [],
      master: view.occurrence === 'instance' ? await w.events.event(`${event.uid}_0`) : undefined,
      home: homeOf(event.calendarId, organizerCalendar?.owner),
      attendees: view.attendees ?? (await w.events.attendees(event.uid)),
      now: nowSeconds(this.deps),
    });
    const saved = await this.save(w, decided.rows, decided.changes);
    if (decided.personalToSave) await w.events.putPersonalView(decided.personalToSave);
    const next = decided.answersFirstRow ? saved[0] : event;
    return { ...view, event: next, personal: decided.personal, ...(decided.occurrence ? { occurrence: decided.occurrence } : {}) };
  }

  /**
   * The organizer's side deletes the event for everyone (a series with its exceptions); an attendee's
   * side removes it from that attendee's calendar only.
   */
  delete(actor: Actor, calendarId: string, eventId: string): Promise<void> {
    return this.deps.store.transact((w) => this.deleteIn(w, actor, calendarId, eventId));
  }

  /** `delete` within the caller's transaction (CalDAV deletes occurrences in the same commit as its PUT). */
  async deleteIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<void> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.reads.loadForWrite(w, actor, calendarId, eventId);
    requireWritableType(view.calendar.calendar);
    const { event } = view;
    const organizerSide = view.side === 'organizer';
    const home: SeriesHome = homeOf(event.calendarId, organizerSide ? view.calendar.calendar.owner : (await w.calendars.calendar(event.calendarId))?.owner);
    const decided = decideEventDelete({
      actor, event, side: view.side, calendarId: view.calendar.calendar.calendarId, home, now: nowSeconds(this.deps),
      series: organizerSide && event.originalStart === 0 ? await w.events.series(event.uid) : [],
      attendees: view.attendees ?? (await w.events.attendees(event.uid)),
    });
    const [first] = await this.save(w, decided.rows, decided.changes);
    for (const a of decided.attendees) await w.events.putAttendee({ ...a, seq: first.seq });
    // This calendar's sync reports the event as withdrawn, as when the organizer removes the invitation.
  }

  /**
   * Turns an exception of a series (changed or cancelled) back into a plain occurrence, within the
   * caller's transaction (CalDAV, when a PUT no longer holds the override or the EXDATE).
   */
  async revertIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<void> {
    const ids = parseEventId(eventId);
    if (!ids || ids.originalStart === 0) return;
    await w.events.lockSeries(ids.uid);
    const view = await this.reads.load(w, actor, calendarId, `${ids.uid}_0`, 'writer');
    requireWritableType(view.calendar.calendar);
    const exception = await w.events.event(eventId);
    if (!exception || exception.extensions.detached === true) return;
    if (view.side !== 'organizer' && view.event.attendeeAbility !== 'can_modify_event') {
      throw new DomainError('no_event_permission', 'an attendee may not change the occurrences of this event', 'event_id');
    }
    const organizerCalendar = view.side === 'organizer' ? view.calendar.calendar : await w.calendars.calendar(view.event.calendarId);
    const decided = decideExceptionRevert({
      actor, master: view.event, exception, home: homeOf(view.event.calendarId, organizerCalendar?.owner),
      attendees: await w.events.attendees(ids.uid), now: nowSeconds(this.deps),
    });
    await this.save(w, decided.rows, decided.changes);
  }

  /**
   * Saves a decision's rows under one new change sequence number, with its records. The number is
   * taken last, just before the writes: on PostgreSQL taking it locks the change_seq row until
   * commit, and every other writer queues on that row.
   */
  private async save(w: StoreWriter, rows: readonly CalendarEvent[], changes: Parameters<StoreWriter['changes']['append']>[0]): Promise<CalendarEvent[]> {
    if (rows.length === 0) return [];
    const seq = await w.calendars.nextSeq(changes.length);
    const saved = rows.map((e) => ({ ...e, seq }));
    for (const e of saved) await w.events.putEvent(e, eventRange(e));
    if (changes.length > 0) await w.changes.append(changes, this.deps.clock.now(), seq + 1);
    return saved;
  }

  /** A Feishu VC meeting gets its url (and keeps it across edits). */
  private withMeetingUrl(vchat: Vchat | null, previous?: Vchat | null): Vchat | null {
    if (!vchat || vchat.vcType !== 'vc') return vchat;
    const fresh = this.deps.ids.meetingUrl();
    const url = previous?.vcType === 'vc' && previous.meetingUrl ? previous.meetingUrl : fresh;
    return { ...vchat, meetingUrl: url };
  }
}
