import { atLeast, requireWritableType } from '../access.js';
import { DomainError, invalidArgument } from '../errors.js';
import { attendeeSight, detailFor, meetsVisibleAttendeeFilter, withdrawnEvent } from '../events/access.js';
import type { Detail, EventSide } from '../events/access.js';
import { atMostIntervals, BUSY_ANSWER_MAX } from '../events/busy.js';
import type { BusyInterval } from '../events/busy.js';
import { ReadBudget } from '../events/read-budget.js';
import { checkCheckIn, checkRecurrence, checkRecurrenceCost, checkVchat, PERSONAL_FIELDS } from '../events/rules.js';
import { eventRange, instanceAt, isOccurrence, meets, occurrencesIn } from '../events/series.js';
import type { Occurrence } from '../events/series.js';
import { checkTimeRange, epochOf } from '../events/time.js';
import { compareKeys, earliestStart, instancesInWindow, isAfter, keyOf } from '../events/window.js';
import type { WindowPosition } from '../events/window.js';
import type {
  Attachment, Attendee, AttendeeAbility, Rsvp, CalendarEvent, EventCheckIn, EventLocation, EventSchema, EventTime, FreeBusy,
  PersonalView, Reminder, Vchat, Visibility,
} from '../events/types.js';
import { eventIdOf, parseEventId } from '../events/types.js';
import type { StoreReader, StoreWriter } from '../ports.js';
import type { Actor, Role } from '../types.js';
import { principalOf } from '../types.js';
import type { CalendarService, CalendarView, CoreDeps } from './calendar-service.js';
import { occurrencesInWindow } from './occurrence-window.js';

/** The total size attachments of one event may reach. */
export const ATTACHMENT_LIMIT_BYTES = 25 * 1024 * 1024;

/** Editable event fields in domain terms; a field left undefined is not changed. */
export interface EventInput {
  readonly summary?: string;
  readonly description?: string;
  /** Both or neither: a lone start or end is ignored, as Feishu does, unless `timesApplyAlone`. */
  readonly start?: EventTime;
  readonly end?: EventTime;
  /**
   * A lone start or end applies, the other kept from the event as it stands under the write lock
   * (DingTalk's PUT): filling it in from an earlier read would lose a concurrent change.
   */
  readonly timesApplyAlone?: boolean;
  readonly vchat?: Vchat | null;
  readonly visibility?: Visibility;
  readonly attendeeAbility?: AttendeeAbility;
  readonly freeBusyStatus?: FreeBusy;
  readonly location?: EventLocation | null;
  readonly color?: number;
  readonly reminders?: readonly Reminder[];
  readonly recurrence?: string;
  readonly schemas?: readonly EventSchema[];
  /** Attachments to add (by token) and to remove. */
  readonly attachments?: { readonly add: readonly string[]; readonly remove: readonly string[] };
  readonly checkIn?: EventCheckIn | null;
  readonly source?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

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
}

export type { BusyInterval } from '../events/busy.js';

export interface EventSearchQuery {
  readonly query: string;
  readonly from: number;
  readonly to: number;
  /** Each inner list must be met by at least one attendee: `u:<internal user id>`, `r:<room>`, `c:<chat>`. */
  readonly attendeeKeys?: readonly (readonly string[])[];
  readonly after?: { readonly start: number; readonly eventId: string };
  readonly limit: number;
}

export type EventListRequest =
  | { readonly mode: 'page'; readonly pageSize: number; readonly afterEventId?: string; readonly anchor?: number; readonly startSeq?: number }
  | { readonly mode: 'window'; readonly pageSize: number; readonly from: number; readonly to: number }
  | { readonly mode: 'sync'; readonly sinceSeq: number; readonly pageSize: number };

export interface EventListResult {
  readonly items: EventView[];
  readonly next?: { readonly afterEventId: string; readonly startSeq: number };
  /** In sync mode, when more changes follow: the position to continue from. */
  readonly nextSince?: number;
  readonly syncSeq?: number;
}

const nowSeconds = (deps: CoreDeps) => Math.floor(deps.clock.now() / 1000);

// The store's index range of an event; callers outside core/events import it from here.
export { eventRange };

/** Why a list read stops when its expansion budget runs out: the client narrows the window. */
const TOO_COSTLY = 'the series in this window need more recurrence expansion than one request may do; narrow the window';
const tooCostly = (field: string) => invalidArgument(field, TOO_COSTLY);

/** Whether a page token at `next` is past `after` (or, on a first page, past the window's earliest start). */
const movesOn = (next: WindowPosition, after: WindowPosition | undefined, earliest: number): boolean =>
  after === undefined ? next.start >= earliest : next.start > after.start || (next.start === after.start && after.eventId !== undefined && next.eventId === undefined);

/** Events on calendars: the async steps both dialects share. */
export class EventService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
  ) {}

  /** Loads an event as seen from a calendar, requiring `wanted` on the calendar. */
  async load(r: StoreReader, actor: Actor, calendarId: string, eventId: string, wanted: Role): Promise<EventView> {
    const calendar = await this.calendars.view(r, actor, calendarId, wanted);
    const ids = parseEventId(eventId);
    if (!ids) throw new DomainError('invalid_event_id', `invalid event_id: ${eventId}`, 'event_id');
    let event = await r.events.event(eventId);
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
    const view = await this.viewOf(r, actor, calendar, event);
    return occurrence ? { ...view, occurrence } : view;
  }

  private async viewOf(r: StoreReader, actor: Actor, calendar: CalendarView, event: CalendarEvent): Promise<EventView> {
    return (await this.viewsOf(r, actor, calendar, [event]))[0];
  }

  /** Views of many events: the caller's personal views and own invitations come in one read each, not one per event. */
  private async viewsOf(r: StoreReader, actor: Actor, calendar: CalendarView, events: readonly CalendarEvent[]): Promise<EventView[]> {
    if (events.length === 0) return [];
    const uids = [...new Set(events.map((e) => e.uid))];
    const state = await r.events.viewerState(uids, principalOf(actor), actor.kind === 'user' ? `u:${actor.userId}` : undefined);
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
      return { event, calendar, side, detail: detailFor(calendar.role, event, side), personal: personal.get(event.uid), self };
    });
  }

  get(actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    return this.deps.store.read((r) => this.load(r, actor, calendarId, eventId, 'free_busy_reader'));
  }

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
      if (first) return this.viewOf(w, actor, calendar, first);
    }
    if (!input.start || !input.end) throw invalidArgument(!input.start ? 'start' : 'end', 'is required');
    const now = nowSeconds(this.deps);
    const organizerIsBot = calendar.calendar.owner.startsWith('a:');
    const draft: CalendarEvent = {
      uid: this.deps.ids.uuid(),
      originalStart: 0,
      calendarId: cid,
      tenantKey: actor.tenantKey,
      creator: principalOf(actor),
      summary: input.summary ?? '',
      description: input.description ?? '',
      start: input.start,
      end: input.end,
      vchat: this.withMeetingUrl(input.vchat ?? null),
      visibility: input.visibility ?? 'default',
      attendeeAbility: input.attendeeAbility ?? 'none',
      freeBusyStatus: input.freeBusyStatus ?? 'busy',
      location: input.location ?? null,
      recurrence: input.recurrence ?? '',
      schemas: input.schemas ?? [],
      attachments: await this.attachments(w, actor, [], input.attachments),
      checkIn: input.checkIn ?? null,
      source: input.source ?? '',
      status: 'confirmed',
      recurringEventId: '',
      color: input.color ?? -1,
      reminders: input.reminders ?? [],
      createTime: now,
      updateTime: now,
      seq: 0,
      idempotencyKey: scopedKey ?? null,
      extensions: input.extensions ?? {},
    };
    this.check(draft, { organizerIsBot, callerIsOrganizer: true });
    // The sequence number last, just before the writes: on PostgreSQL taking it locks the change_seq
    // row until commit, and every other writer queues on that row.
    const event: CalendarEvent = { ...draft, seq: await w.calendars.nextSeq() };
    await w.events.putEvent(event, eventRange(event));
    // The creator's colour and reminders are theirs alone.
    let personal: PersonalView | undefined;
    if (input.color !== undefined || input.reminders !== undefined) {
      personal = { uid: event.uid, principal: principalOf(actor), color: input.color, reminders: input.reminders };
      await w.events.putPersonalView(personal);
    }
    // A new event has no invitations and no personal view but the one just written: nothing to read.
    return { event, calendar, side: 'organizer', detail: detailFor(calendar.role, event, 'organizer'), personal, self: undefined };
  }

  /** Applies only the fields sent; personal fields go to the caller's own view. */
  patch(actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    return this.deps.store.transact((w) => this.patchIn(w, actor, calendarId, eventId, input));
  }

  /** `patch` within the caller's transaction; it locks the series first, for the rest of that transaction. */
  async patchIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.load(w, actor, calendarId, eventId, 'writer');
    requireWritableType(view.calendar.calendar);
    const { event } = view;
    const shared = this.sharedChanges(input);
    if (shared.length > 0 && view.side === 'attendee' && event.attendeeAbility !== 'can_modify_event') {
      throw new DomainError('no_event_permission', `an attendee may change only ${PERSONAL_FIELDS.join(', ')}; not ${shared.join(', ')}`, shared[0]);
    }
    let next = event;
    if (shared.length > 0) {
      const timesTogether = input.start !== undefined && input.end !== undefined;
      const timesApply = timesTogether || input.timesApplyAlone === true;
      next = {
        ...event,
        summary: input.summary ?? event.summary,
        description: input.description ?? event.description,
        start: timesApply ? input.start ?? event.start : event.start,
        end: timesApply ? input.end ?? event.end : event.end,
        vchat: input.vchat !== undefined ? this.withMeetingUrl(input.vchat, event.vchat) : event.vchat,
        attendeeAbility: input.attendeeAbility ?? event.attendeeAbility,
        location: input.location !== undefined ? input.location : event.location,
        recurrence: input.recurrence !== undefined && event.originalStart === 0 ? input.recurrence : event.recurrence,
        schemas: input.schemas ?? event.schemas,
        attachments: input.attachments ? await this.attachments(w, actor, event.attachments, input.attachments) : event.attachments,
        checkIn: input.checkIn !== undefined ? input.checkIn : event.checkIn,
        source: input.source ?? event.source,
        extensions: input.extensions ? { ...event.extensions, ...input.extensions } : event.extensions,
        updateTime: nowSeconds(this.deps),
      };
      const organizerCalendar = view.side === 'organizer' ? view.calendar.calendar : await w.calendars.calendar(event.calendarId);
      // The rule's cost is checked when a rule or start is written, not on every patch of an old series.
      const ruleWritten = next.recurrence !== event.recurrence || JSON.stringify(next.start) !== JSON.stringify(event.start);
      this.check(next, { organizerIsBot: organizerCalendar?.owner.startsWith('a:') ?? false, callerIsOrganizer: view.side === 'organizer' }, input.vchat !== undefined, ruleWritten);
      // The sequence number just before the writes (see createIn).
      next = { ...next, seq: await w.calendars.nextSeq() };
      // Patching an instance makes it an exception: a row of its own that keeps the instance's id.
      await w.events.putEvent(next, eventRange(next));
      const seriesChanged = event.originalStart === 0 && event.recurrence !== ''
        && (next.recurrence !== event.recurrence || JSON.stringify([next.start, next.end]) !== JSON.stringify([event.start, event.end]));
      if (seriesChanged) await this.detachExceptions(w, event.uid, next.seq);
    }
    let personal = view.personal;
    if (input.visibility !== undefined || input.freeBusyStatus !== undefined || input.color !== undefined || input.reminders !== undefined) {
      const base: PersonalView = personal ?? { uid: event.uid, principal: principalOf(actor) };
      personal = {
        ...base,
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.freeBusyStatus !== undefined ? { freeBusyStatus: input.freeBusyStatus } : {}),
        ...(input.color !== undefined ? { color: input.color } : {}),
        ...(input.reminders !== undefined ? { reminders: input.reminders } : {}),
      };
      await w.events.putPersonalView(personal);
      if (shared.length === 0) {
        // A personal change is still a change of this caller's calendar, for incremental sync;
        // on a plain instance it touches the series, which holds the personal view.
        const touched = view.occurrence === 'instance' ? await w.events.event(`${event.uid}_0`) : event;
        if (touched) {
          const bumped = { ...touched, seq: await w.calendars.nextSeq() };
          await w.events.putEvent(bumped, eventRange(bumped));
          if (view.occurrence !== 'instance') next = bumped;
        }
      }
    }
    const occurrence = view.occurrence === 'instance' && shared.length > 0 ? 'exception' : view.occurrence;
    return { ...view, event: next, personal, ...(occurrence ? { occurrence } : {}) };
  }

  /**
   * The organizer's side deletes the event for everyone (a series with its exceptions); an attendee's
   * side removes it from that attendee's calendar only.
   */
  delete(actor: Actor, calendarId: string, eventId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const ids = parseEventId(eventId);
      if (ids) await w.events.lockSeries(ids.uid);
      const view = await this.load(w, actor, calendarId, eventId, 'writer');
      requireWritableType(view.calendar.calendar);
      const seq = await w.calendars.nextSeq();
      const now = nowSeconds(this.deps);
      if (view.side === 'organizer') {
        // A series goes with its exceptions; an occurrence becomes a cancelled exception.
        const rows = view.event.originalStart === 0 ? await w.events.series(view.event.uid) : [view.event];
        for (const e of rows) {
          const cancelled = { ...e, status: 'cancelled' as const, seq, updateTime: now };
          await w.events.putEvent(cancelled, eventRange(cancelled));
        }
        return;
      }
      const cid = view.calendar.calendar.calendarId;
      for (const a of await w.events.attendees(view.event.uid)) {
        if (a.calendarId === cid) await w.events.putAttendee({ ...a, rsvp: 'removed', seq });
      }
      const touched = { ...view.event, seq };
      await w.events.putEvent(touched, eventRange(touched));
      // This calendar's sync reports the event as withdrawn, as when the organizer removes the invitation.
      await w.events.putRemoval({ calendarId: cid, uid: view.event.uid, seq });
    });
  }

  /** Pages through a calendar's events, or answers a time window, or the changes since a sync position. */
  list(actor: Actor, calendarId: string, request: EventListRequest): Promise<EventListResult> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const cid = calendar.calendar.calendarId;
      // A withdrawn event (changesSince) is seen as busy time whatever the caller's role.
      const views = async (events: CalendarEvent[]) => (await this.viewsOf(r, actor, calendar, events))
        .map((v) => (withdrawn.has(v.event) ? { ...v, detail: 'busy' as const } : v));
      const withdrawn = new Set<CalendarEvent>();
      if (request.mode === 'window') {
        // One page, truncated at page_size: series appear as their occurrences in the window.
        const budget = new ReadBudget();
        const found = await this.collect(r, cid, request.from, request.to, request.pageSize, false, budget);
        if (budget.exhausted) throw tooCostly('end_time');
        return { items: await this.occurrenceViews(r, actor, calendar, found.slice(0, request.pageSize)) };
      }
      if (request.mode === 'sync') {
        const current = await r.calendars.currentSeq();
        if (request.sinceSeq > current) throw new DomainError('sync_token_invalid', 'sync_token is unknown or expired', 'sync_token');
        const changed = await this.changesSince(r, cid, request.sinceSeq, request.pageSize + 1, withdrawn);
        if (changed.length > request.pageSize) {
          const page = changed.slice(0, request.pageSize);
          return { items: await views(page), nextSince: page[page.length - 1].seq };
        }
        return { items: await views(changed), syncSeq: current };
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
   * Events of a calendar changed after `sinceSeq`, by seq, at most `limit`: its own and invited events'
   * rows, and, as cancelled, series whose invitation of this calendar the organizer withdrew (unless
   * a later change shows the event here again).
   */
  private async changesSince(r: StoreReader, calendarId: string, sinceSeq: number, limit: number, withdrawn: Set<CalendarEvent>): Promise<CalendarEvent[]> {
    const changed = await r.events.eventsChangedSince(calendarId, sinceSeq, limit);
    const removals = await r.events.removalsSince(calendarId, sinceSeq, limit);
    if (removals.length === 0) return changed;
    const latest = new Map<string, number>();
    for (const e of changed) latest.set(e.uid, Math.max(latest.get(e.uid) ?? 0, e.seq));
    const left: CalendarEvent[] = [];
    for (const removal of removals) {
      if ((latest.get(removal.uid) ?? 0) > removal.seq) continue;
      const master = await r.events.event(`${removal.uid}_0`);
      if (!master) continue;
      const gone = withdrawnEvent(master, removal.seq);
      withdrawn.add(gone);
      left.push(gone);
    }
    return [...changed, ...left].sort((a, b) => a.seq - b.seq).slice(0, limit);
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
      if (budget.exhausted) throw tooCostly('end_time');
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
        throw tooCostly('end_time');
      }
      return { items, more: true, next };
    });
  }

  /**
   * Busy time of a user (their primary calendar) or a room (its resource calendar) in [from, to):
   * free events, cancelled occurrences and invitations the target declined are left out.
   * `options.budget` is the request's, shared when one request asks about several targets. A
   * series the budget cannot expand to the window's end is busy from where it got to until the
   * window's end (never shown free when it may be busy); the answer holds at most
   * `options.maxIntervals` intervals (see atMostIntervals).
   */
  busy(actor: Actor, target: { userId?: string; roomId?: string }, from: number, to: number, options: { budget?: ReadBudget; maxIntervals?: number } = {}): Promise<BusyInterval[]> {
    return this.deps.store.read(async (r) => {
      const owner = target.userId !== undefined ? `u:${target.userId}` : `r:${target.roomId}`;
      const calendar = (await r.calendars.calendarsOwnedBy(owner)).find((c) => c.type === (target.userId !== undefined ? 'primary' : 'resource'));
      if (!calendar || calendar.tenantKey !== actor.tenantKey) {
        if (target.userId !== undefined) throw new DomainError('user_not_found', 'no such user in this tenant', 'user_id');
        throw invalidArgument('room_id', `no room ${target.roomId} in this tenant`);
      }
      const budget = options.budget ?? new ReadBudget();
      const cutBefore = budget.cut.length;
      const found = await this.collect(r, calendar.calendarId, from, to, 100_000, false, budget);
      const cut = budget.cut.slice(cutBefore);
      const uids = [...new Set([...found.map((o) => o.event.uid), ...cut.map((c) => c.master.uid)])];
      const declined = new Set<string>();
      const rsvps = new Map<string, Rsvp>();
      // What the target has of each event, as one read: their first entry (by attendee id) and their
      // own free/busy setting, which wins over the event's.
      const state = await r.events.viewerState(uids, owner, owner);
      for (const a of state.attendees) {
        if (rsvps.has(a.uid)) continue;
        if (a.rsvp === 'decline') declined.add(a.uid);
        rsvps.set(a.uid, a.rsvp);
      }
      const freeBusy = new Map(state.personal.map((p) => [p.uid, p.freeBusyStatus]));
      const out: BusyInterval[] = [];
      for (const o of found) {
        if (declined.has(o.event.uid)) continue;
        if ((freeBusy.get(o.event.uid) ?? o.event.freeBusyStatus) === 'free') continue;
        out.push({ start: epochOf(o.event.start), end: epochOf(o.event.end), rsvp: rsvps.get(o.event.uid) ?? 'accept' });
      }
      for (const { master, from: known } of cut) {
        if (declined.has(master.uid) || (freeBusy.get(master.uid) ?? master.freeBusyStatus) === 'free' || known >= to) continue;
        out.push({ start: known, end: to, rsvp: rsvps.get(master.uid) ?? 'accept' });
      }
      return atMostIntervals(out, options.maxIntervals ?? BUSY_ANSWER_MAX);
    });
  }

  /** Occurrences of the events of one calendar in a window, the first `limit + 1` of them by (start, event id). */
  private collect(r: StoreReader, calendarId: string, from: number, to: number, limit: number, stopWhenOver = false, budget = new ReadBudget()): Promise<Occurrence[]> {
    return occurrencesInWindow(r, calendarId, { from, to, limit, stopWhenOver, budget });
  }

  /** Views of occurrences; what is per series (personal view, own invitation) is read once per series. */
  private async occurrenceViews(r: StoreReader, actor: Actor, calendar: CalendarView, found: readonly Occurrence[]): Promise<EventView[]> {
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

  /** After a series' rule or times change, its exceptions no longer match it: they are cancelled and detached. */
  private async detachExceptions(w: StoreWriter, uid: string, seq: number): Promise<void> {
    for (const e of await w.events.exceptionsOf([uid])) {
      const detached = { ...e, status: 'cancelled' as const, seq, extensions: { ...e.extensions, detached: true } };
      await w.events.putEvent(detached, eventRange(detached));
    }
  }

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
        const views = new Map((await this.viewsOf(r, actor, calendar, inWindow)).map((v) => [v.event, v]));
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

  /** Names the shared (non-personal) fields an input changes. */
  private sharedChanges(input: EventInput): string[] {
    const fields: Array<[string, unknown]> = [
      ['summary', input.summary], ['description', input.description],
      ['start_time', (input.start !== undefined && input.end !== undefined) || (input.timesApplyAlone && (input.start ?? input.end)) ? input.start ?? input.end : undefined],
      ['vchat', input.vchat], ['attendee_ability', input.attendeeAbility], ['location', input.location],
      ['recurrence', input.recurrence], ['schemas', input.schemas], ['attachments', input.attachments],
      ['event_check_in', input.checkIn], ['source', input.source], ['extensions', input.extensions],
    ];
    return fields.filter(([, v]) => v !== undefined).map(([k]) => k);
  }

  /** Checks an event about to be saved; meeting settings only when the caller sent a vchat (not the organizer's stored one). */
  private check(e: CalendarEvent, meeting: { organizerIsBot: boolean; callerIsOrganizer: boolean }, vchatSent = true, ruleWritten = true): void {
    checkTimeRange(e.start, e.end);
    checkRecurrence(e.recurrence);
    if (ruleWritten) checkRecurrenceCost(e.recurrence, e.start);
    if (vchatSent) checkVchat(e.vchat, meeting);
    checkCheckIn(e.checkIn, epochOf(e.end) - epochOf(e.start));
  }

  /** A Feishu VC meeting gets its url (and keeps it across edits). */
  private withMeetingUrl(vchat: Vchat | null, previous?: Vchat | null): Vchat | null {
    if (!vchat || vchat.vcType !== 'vc') return vchat;
    const fresh = this.deps.ids.meetingUrl();
    const url = previous?.vcType === 'vc' && previous.meetingUrl ? previous.meetingUrl : fresh;
    return { ...vchat, meetingUrl: url };
  }

  /** Resolves attachment tokens: the caller's tenant's files only, 25 MB in all. */
  private async attachments(r: StoreReader, actor: Actor, current: readonly Attachment[], change?: { add: readonly string[]; remove: readonly string[] }): Promise<Attachment[]> {
    if (!change) return [...current];
    const remove = new Set(change.remove);
    const out = current.filter((a) => !remove.has(a.fileToken));
    for (const [i, token] of change.add.entries()) {
      if (out.some((a) => a.fileToken === token)) continue;
      const file = await r.directory.file(actor.tenantKey, token);
      if (!file) {
        const elsewhere = await r.directory.fileInAnyTenant(token);
        throw new DomainError(elsewhere ? 'attachment_forbidden' : 'attachment_invalid',
          elsewhere ? `no permission to access attachment file token ${token}` : `invalid attachment file token ${token}`, `attachments[${i}].file_token`);
      }
      out.push({ fileToken: file.fileToken, name: file.name, size: file.size });
    }
    const total = out.reduce((sum, a) => sum + a.size, 0);
    if (total > ATTACHMENT_LIMIT_BYTES) {
      throw new DomainError('attachment_too_large', `attachments total ${total} bytes, over the 25 MB limit`, 'attachments');
    }
    return out;
  }

  /** Whether the caller may write on the calendar at all (used by attendee operations). */
  static canWrite(role: Role): boolean {
    return atLeast(role, 'writer');
  }
}
