/**
 * Transferring an event to a new organizer, pure: every row of the series moves to the new
 * organizer's calendar; the new organizer becomes the organizer attendee; the old one stays as an
 * accepted attendee unless they exit the calendar, when the event leaves theirs.
 */
import type { ChangeDraft } from '../changes.js';
import { DomainError, invalidArgument } from '../errors.js';
import type { Actor } from '../types.js';
import type { EventSide } from './access.js';
import { attendeeRecords, audienceOf, calendarsShowing, rowRecords } from './records.js';
import type { SeriesHome } from './records.js';
import type { Attendee, CalendarEvent } from './types.js';

export interface TransferContext {
  readonly actor: Actor;
  /** The event as loaded: must be a single event or a series master. */
  readonly event: CalendarEvent;
  readonly side: EventSide;
  /** Every row of the series (master and exceptions). */
  readonly series: readonly CalendarEvent[];
  readonly home: SeriesHome;
  /** The old organizer's name, for the attendee entry they keep. */
  readonly oldOrganizerName: string;
  readonly attendees: readonly Attendee[];
  readonly newOrganizer: { readonly userId: string; readonly name: string; readonly calendarId: string };
  /** Whether the old organizer leaves the event (else stays as an attendee). */
  readonly exitCalendar: boolean;
  /** Fresh attendee ids, used only when the new or old organizer has no attendee entry yet. */
  readonly newAttendeeIds: readonly [string, string];
  /** Unix seconds. */
  readonly now: number;
}

export interface TransferDecision {
  readonly rows: readonly CalendarEvent[];
  /** Attendee rows to save (seq set at save). */
  readonly attendees: readonly Attendee[];
  /** Attendee rows to delete: the old organizer's, when they exit. */
  readonly deletes: readonly Attendee[];
  readonly changes: readonly ChangeDraft[];
}

const ownEntry = (attendees: readonly Attendee[], userId: string | undefined) =>
  userId === undefined ? undefined : attendees.find((a) => a.type === 'user' && a.userId === userId && a.viaChat === undefined);

export function decideEventTransfer(c: TransferContext): TransferDecision {
  const { actor, event, newOrganizer } = c;
  if (c.side !== 'organizer') throw new DomainError('no_event_permission', 'only the organizer may transfer an event', 'event_id');
  if (event.originalStart !== 0) throw invalidArgument('eventId', 'an occurrence cannot be transferred; transfer its series');
  const oldUserId = c.home.ownerUserId;
  if (oldUserId === undefined) throw invalidArgument('eventId', 'only an event organized by a user can be transferred');
  if (newOrganizer.userId === oldUserId) throw invalidArgument('newOrganizerId', 'is already the organizer of this event');
  const newHome: SeriesHome = { calendarId: newOrganizer.calendarId, ownerUserId: newOrganizer.userId };
  const rows = c.series.map((e) => ({ ...e, calendarId: newOrganizer.calendarId, updateTime: c.now }));
  const changed: Attendee[] = [];
  const added: Attendee[] = [];
  const removed: Attendee[] = [];
  const answered: Attendee[] = [];
  const incoming = ownEntry(c.attendees, newOrganizer.userId);
  const mint = (attendeeId: string, userId: string, displayName: string, calendarId: string, isOrganizer: boolean): Attendee => ({
    uid: event.uid, attendeeId, type: 'user', userId, displayName, rsvp: 'accept', isOptional: false, isOrganizer, calendarId, seq: 0,
  });
  if (incoming) {
    const next = { ...incoming, isOrganizer: true, rsvp: 'accept' as const, calendarId: newOrganizer.calendarId };
    changed.push(next);
    answered.push(next);
  } else {
    const next = mint(c.newAttendeeIds[0], newOrganizer.userId, newOrganizer.name, newOrganizer.calendarId, true);
    changed.push(next);
    added.push(next);
  }
  const outgoing = ownEntry(c.attendees, oldUserId);
  if (outgoing) {
    // Exiting, the old organizer is no attendee at all (as RemoveAttendee leaves them), not a declined one.
    if (c.exitCalendar) removed.push(outgoing);
    else changed.push({ ...outgoing, isOrganizer: false, calendarId: c.home.calendarId });
  } else if (!c.exitCalendar) {
    const next = mint(c.newAttendeeIds[1], oldUserId, c.oldOrganizerName, c.home.calendarId, false);
    changed.push(next);
    added.push(next);
  }
  const after = c.attendees.filter((a) => !removed.includes(a)).map((a) => changed.find((x) => x.attendeeId === a.attendeeId) ?? a);
  for (const a of changed) if (!after.some((x) => x.attendeeId === a.attendeeId)) after.push(a);
  // The old home calendar shows the event after only as the old organizer's attendee calendar.
  const was = calendarsShowing(c.home, c.attendees);
  const is = calendarsShowing(newHome, after);
  const audience = audienceOf(actor, c.home, c.attendees, after);
  if (!audience.includes(newOrganizer.userId)) audience.push(newOrganizer.userId);
  const live = rows.filter((e) => e.status !== 'cancelled');
  const changes: ChangeDraft[] = [
    ...rowRecords(actor, is.filter((x) => !was.includes(x)), live, 'created', audience),
    ...rowRecords(actor, is.filter((x) => was.includes(x)), live, 'updated', audience),
    ...rowRecords(actor, was.filter((x) => !is.includes(x)), [event], 'deleted', audience),
    ...attendeeRecords(actor, [newHome.calendarId], added, 'attendee_added', audience),
    ...attendeeRecords(actor, [newHome.calendarId], removed, 'attendee_removed', audience),
    ...attendeeRecords(actor, [newHome.calendarId], answered, 'replied', audience),
  ];
  return { rows, attendees: changed, deletes: removed, changes };
}
