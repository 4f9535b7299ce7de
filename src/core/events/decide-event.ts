/**
 * The decisions of event writes, pure and synchronous: from what the service loaded (under the
 * series lock), the rows to save and the change records to append with them. The service stamps
 * the rows with one change sequence number and saves everything in the same transaction.
 */
import type { ChangeDraft } from '../changes.js';
import { DomainError, invalidArgument } from '../errors.js';
import type { Actor, Calendar } from '../types.js';
import { principalOf } from '../types.js';
import type { EventSide } from './access.js';
import type { EventInput } from './input.js';
import { attendeeRecords, audienceOf, calendarsShowing, membershipRecords, rowRecords } from './records.js';
import type { SeriesHome } from './records.js';
import { checkCheckIn, checkRecurrence, checkRecurrenceCost, checkVchat, PERSONAL_FIELDS } from './rules.js';
import { checkTimeRange, epochOf } from './time.js';
import type { Attachment, Attendee, CalendarEvent, PersonalView } from './types.js';

/** Rows to save (their seq set at save), and the records of the write. */
export interface EventWrite {
  readonly rows: readonly CalendarEvent[];
  readonly changes: readonly ChangeDraft[];
}

/** Names the shared (non-personal) fields an input changes. */
export function sharedChanges(input: EventInput): string[] {
  const fields: Array<[string, unknown]> = [
    ['summary', input.summary], ['description', input.description],
    ['start', (input.start !== undefined && input.end !== undefined) || (input.timesApplyAlone && (input.start ?? input.end)) ? input.start ?? input.end : undefined],
    ['vchat', input.vchat], ['attendeeAbility', input.attendeeAbility], ['location', input.location],
    ['recurrence', input.recurrence], ['schemas', input.schemas], ['attachments', input.attachments],
    ['checkIn', input.checkIn], ['source', input.source], ['extensions', input.extensions],
  ];
  return fields.filter(([, v]) => v !== undefined).map(([k]) => k);
}

/** Checks an event about to be saved; meeting settings only when the caller sent a vchat (not the organizer's stored one). */
function check(e: CalendarEvent, meeting: { organizerIsBot: boolean; callerIsOrganizer: boolean }, vchatSent = true, ruleWritten = true): void {
  checkTimeRange(e.start, e.end);
  checkRecurrence(e.recurrence);
  if (ruleWritten) checkRecurrenceCost(e.recurrence, e.start);
  if (vchatSent) checkVchat(e.vchat, meeting);
  checkCheckIn(e.checkIn, epochOf(e.end) - epochOf(e.start));
}

export interface CreateContext {
  readonly actor: Actor;
  /** The organizer calendar. */
  readonly calendar: Calendar;
  /** The input, its vchat already given its meeting url. */
  readonly input: EventInput;
  readonly uid: string;
  /** The input's attachments, resolved. */
  readonly attachments: readonly Attachment[];
  readonly idempotencyKey: string | null;
  /** Unix seconds. */
  readonly now: number;
}

export interface CreateDecision extends EventWrite {
  readonly event: CalendarEvent;
  /** The creator's colour and reminders: theirs alone. */
  readonly personal: PersonalView | undefined;
}

/** A create names both times; checked before anything is resolved, so this error comes first. */
export function requireTimes(input: EventInput): asserts input is EventInput & { start: NonNullable<EventInput['start']>; end: NonNullable<EventInput['end']> } {
  if (!input.start || !input.end) throw invalidArgument(!input.start ? 'start' : 'end', 'is required');
}

export function decideEventCreate(c: CreateContext): CreateDecision {
  const { input, actor, calendar } = c;
  requireTimes(input);
  const event: CalendarEvent = {
    uid: c.uid,
    originalStart: 0,
    calendarId: calendar.calendarId,
    tenantKey: actor.tenantKey,
    creator: principalOf(actor),
    summary: input.summary ?? '',
    description: input.description ?? '',
    start: input.start,
    end: input.end,
    vchat: input.vchat ?? null,
    visibility: input.visibility ?? 'default',
    attendeeAbility: input.attendeeAbility ?? 'none',
    freeBusyStatus: input.freeBusyStatus ?? 'busy',
    location: input.location ?? null,
    recurrence: input.recurrence ?? '',
    schemas: input.schemas ?? [],
    attachments: [...c.attachments],
    checkIn: input.checkIn ?? null,
    source: input.source ?? '',
    status: 'confirmed',
    recurringEventId: '',
    color: input.color ?? -1,
    reminders: input.reminders ?? [],
    createTime: c.now,
    updateTime: c.now,
    seq: 0,
    idempotencyKey: c.idempotencyKey,
    extensions: input.extensions ?? {},
  };
  check(event, { organizerIsBot: calendar.owner.startsWith('a:'), callerIsOrganizer: true });
  const personal = input.color !== undefined || input.reminders !== undefined
    ? { uid: event.uid, principal: principalOf(actor), color: input.color, reminders: input.reminders }
    : undefined;
  const home: SeriesHome = calendar.owner.startsWith('u:') ? { calendarId: calendar.calendarId, ownerUserId: calendar.owner.slice(2) } : { calendarId: calendar.calendarId };
  // A new event has no attendees yet: it shows in its organizer's calendar only.
  return { event, personal, rows: [event], changes: rowRecords(actor, [home.calendarId], [event], 'created', audienceOf(actor, home)) };
}

export interface PatchContext {
  readonly actor: Actor;
  /** The event as loaded: a single event, a series master, an exception or a plain instance. */
  readonly event: CalendarEvent;
  readonly side: EventSide;
  readonly occurrence: 'instance' | 'exception' | undefined;
  readonly personal: PersonalView | undefined;
  /** The calendar the caller patches through. */
  readonly calendarId: string;
  readonly organizerIsBot: boolean;
  /** The input, its vchat already given its meeting url. */
  readonly input: EventInput;
  /** The attachments after the input's change, resolved; undefined when it changes none. */
  readonly attachments: readonly Attachment[] | undefined;
  /** Every exception row of the series, when the event is a series master. */
  readonly exceptions: readonly CalendarEvent[];
  /** The series master, when the event is a plain instance (a personal change touches it). */
  readonly master: CalendarEvent | undefined;
  readonly home: SeriesHome;
  readonly attendees: readonly Attendee[];
  /** Unix seconds. */
  readonly now: number;
}

export interface PatchDecision extends EventWrite {
  /** The caller's personal view to save, when it changed. */
  readonly personalToSave: PersonalView | undefined;
  /** The personal view after the write. */
  readonly personal: PersonalView | undefined;
  /** Whether the event to answer is the first row saved (else the event as loaded). */
  readonly answersFirstRow: boolean;
  readonly occurrence: 'instance' | 'exception' | undefined;
}

/** Applies only the fields sent; personal fields go to the caller's own view. */
export function decideEventPatch(c: PatchContext): PatchDecision {
  const { event, input, actor } = c;
  const shared = sharedChanges(input);
  if (shared.length > 0 && c.side === 'attendee' && event.attendeeAbility !== 'can_modify_event') {
    throw new DomainError('no_event_permission', (n) => `an attendee may change only ${PERSONAL_FIELDS.map(n).join(', ')}; not ${shared.map(n).join(', ')}`, shared[0]);
  }
  const showing = calendarsShowing(c.home, c.attendees);
  const audience = audienceOf(actor, c.home, c.attendees);
  const rows: CalendarEvent[] = [];
  const changes: ChangeDraft[] = [];
  if (shared.length > 0) {
    const timesTogether = input.start !== undefined && input.end !== undefined;
    const timesApply = timesTogether || input.timesApplyAlone === true;
    const next: CalendarEvent = {
      ...event,
      summary: input.summary ?? event.summary,
      description: input.description ?? event.description,
      start: timesApply ? input.start ?? event.start : event.start,
      end: timesApply ? input.end ?? event.end : event.end,
      vchat: input.vchat !== undefined ? input.vchat : event.vchat,
      attendeeAbility: input.attendeeAbility ?? event.attendeeAbility,
      location: input.location !== undefined ? input.location : event.location,
      recurrence: input.recurrence !== undefined && event.originalStart === 0 ? input.recurrence : event.recurrence,
      schemas: input.schemas ?? event.schemas,
      attachments: c.attachments ? [...c.attachments] : event.attachments,
      checkIn: input.checkIn !== undefined ? input.checkIn : event.checkIn,
      source: input.source ?? event.source,
      extensions: input.extensions ? { ...event.extensions, ...input.extensions } : event.extensions,
      updateTime: c.now,
    };
    // The rule's cost is checked when a rule or start is written, not on every patch of an old series.
    const ruleWritten = next.recurrence !== event.recurrence || JSON.stringify(next.start) !== JSON.stringify(event.start);
    check(next, { organizerIsBot: c.organizerIsBot, callerIsOrganizer: c.side === 'organizer' }, input.vchat !== undefined, ruleWritten);
    // Patching an instance makes it an exception: a row of its own that keeps the instance's id.
    rows.push(next);
    changes.push(...rowRecords(actor, showing, [next], 'updated', audience));
    // After a series' rule or times change, its exceptions no longer match it: they are cancelled and detached.
    const seriesChanged = event.originalStart === 0 && event.recurrence !== ''
      && (next.recurrence !== event.recurrence || JSON.stringify([next.start, next.end]) !== JSON.stringify([event.start, event.end]));
    if (seriesChanged) {
      const detached = c.exceptions.map((e) => ({ ...e, status: 'cancelled' as const, extensions: { ...e.extensions, detached: true } }));
      rows.push(...detached);
      changes.push(...rowRecords(actor, showing, c.exceptions.filter((e) => e.status !== 'cancelled'), 'deleted', audience));
    }
  }
  let personal = c.personal;
  let personalToSave: PersonalView | undefined;
  let answersFirstRow = shared.length > 0;
  if (input.visibility !== undefined || input.freeBusyStatus !== undefined || input.color !== undefined || input.reminders !== undefined) {
    const base: PersonalView = personal ?? { uid: event.uid, principal: principalOf(actor) };
    personal = personalToSave = {
      ...base,
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      ...(input.freeBusyStatus !== undefined ? { freeBusyStatus: input.freeBusyStatus } : {}),
      ...(input.color !== undefined ? { color: input.color } : {}),
      ...(input.reminders !== undefined ? { reminders: input.reminders } : {}),
    };
    if (shared.length === 0) {
      // A personal change is still a change of this caller's calendar (only theirs), for incremental
      // sync; on a plain instance it touches the series, which holds the personal view.
      const touched = c.occurrence === 'instance' ? c.master : event;
      if (touched) {
        rows.push(touched);
        answersFirstRow = c.occurrence !== 'instance';
        changes.push(...rowRecords(actor, [c.calendarId], [touched], 'updated', actor.kind === 'user' ? [actor.userId] : []));
      }
    }
  }
  const occurrence = c.occurrence === 'instance' && shared.length > 0 ? 'exception' : c.occurrence;
  return { rows, changes, personal, personalToSave, answersFirstRow, occurrence };
}

export interface DeleteContext {
  readonly actor: Actor;
  readonly event: CalendarEvent;
  readonly side: EventSide;
  /** The calendar the caller deletes from. */
  readonly calendarId: string;
  /** Every row of the series (master and exceptions), when the organizer deletes a master or single event. */
  readonly series: readonly CalendarEvent[];
  readonly home: SeriesHome;
  readonly attendees: readonly Attendee[];
  /** Unix seconds. */
  readonly now: number;
}

export interface DeleteDecision extends EventWrite {
  /** Attendee rows to save (the caller's own invitations, taken off their calendar). */
  readonly attendees: readonly Attendee[];
  /** A calendar the event left (the attendee side's), for the removal record incremental sync reads. */
  readonly leftCalendar: string | undefined;
}

/**
 * The organizer's side deletes the event for everyone (a series with its exceptions; an occurrence
 * becomes a cancelled exception); an attendee's side removes it from that attendee's calendar only.
 */
export function decideEventDelete(c: DeleteContext): DeleteDecision {
  const { actor, event } = c;
  const audience = audienceOf(actor, c.home, c.attendees);
  if (c.side === 'organizer') {
    const doomed = event.originalStart === 0 ? c.series : [event];
    const rows = doomed.map((e) => ({ ...e, status: 'cancelled' as const, updateTime: c.now }));
    const live = doomed.filter((e) => e.status !== 'cancelled');
    return { rows, attendees: [], leftCalendar: undefined, changes: rowRecords(actor, calendarsShowing(c.home, c.attendees), live, 'deleted', audience) };
  }
  const mine = c.attendees.filter((a) => a.calendarId === c.calendarId).map((a) => ({ ...a, rsvp: 'removed' as const }));
  const after = c.attendees.map((a) => mine.find((m) => m.attendeeId === a.attendeeId) ?? a);
  return {
    rows: [event],
    attendees: mine,
    leftCalendar: c.calendarId,
    changes: [
      ...membershipRecords(actor, c.home, c.attendees, after, [], [event], audience),
      ...attendeeRecords(actor, [c.home.calendarId], mine, 'replied', audience),
    ],
  };
}

export interface RevertContext {
  readonly actor: Actor;
  readonly master: CalendarEvent;
  /** The exception row (changed or cancelled) to drop. */
  readonly exception: CalendarEvent;
  readonly home: SeriesHome;
  readonly attendees: readonly Attendee[];
  /** Unix seconds. */
  readonly now: number;
}

/**
 * An exception turned back into a plain occurrence (a CalDAV client sent the series without its
 * override): the row is detached, as after a rule change, so the series shows the instance again;
 * the master is saved too, so incremental sync reads the series anew.
 */
export function decideExceptionRevert(c: RevertContext): EventWrite {
  const showing = calendarsShowing(c.home, c.attendees);
  const audience = audienceOf(c.actor, c.home, c.attendees);
  const master = { ...c.master, updateTime: c.now };
  const row = { ...c.exception, status: 'cancelled' as const, extensions: { ...c.exception.extensions, detached: true }, updateTime: c.now };
  return {
    rows: [master, row],
    changes: [
      ...rowRecords(c.actor, showing, [master], 'updated', audience),
      ...(c.exception.status !== 'cancelled' ? rowRecords(c.actor, showing, [c.exception], 'deleted', audience) : []),
    ],
  };
}
