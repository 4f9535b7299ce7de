/**
 * The change records of event and attendee writes (the preamble's record rules): one record per
 * calendar a row shows in, event records by where the series shows before and after the write,
 * attendee records once each, on the organizer's calendar.
 */
import { changeBy } from '../changes.js';
import type { ChangeActor, ChangeDraft, ChangeKind } from '../changes.js';
import type { Attendee, CalendarEvent } from './types.js';
import { eventIdOf } from './types.js';

/** A series' organizer calendar and the user who owns it, when a user does. */
export interface SeriesHome {
  readonly calendarId: string;
  readonly ownerUserId?: string;
}

/** The home of a series from its organizer calendar's owner (`u:<user>`, `a:<app>`, `r:<room>`). */
export const homeOf = (calendarId: string, owner: string | undefined): SeriesHome =>
  owner?.startsWith('u:') ? { calendarId, ownerUserId: owner.slice(2) } : { calendarId };

/** Calendars a series shows in: the organizer's first, then every attendee calendar not taken off it. */
export function calendarsShowing(home: SeriesHome, attendees: readonly Attendee[]): string[] {
  const out = new Set([home.calendarId]);
  for (const a of attendees) if (a.calendarId && a.rsvp !== 'removed') out.add(a.calendarId);
  return [...out];
}

/** Users whose view of a series changed: its organizer, its invited users (before or after), the one acting. */
export function audienceOf(actor: ChangeActor, home: SeriesHome, ...attendeeLists: ReadonlyArray<readonly Attendee[]>): string[] {
  const out = new Set<string>();
  if (home.ownerUserId) out.add(home.ownerUserId);
  for (const list of attendeeLists) for (const a of list) if (a.type === 'user' && a.userId) out.add(a.userId);
  if (actor.userId) out.add(actor.userId);
  return [...out];
}

/** One record per (calendar, row). */
export function rowRecords(
  actor: ChangeActor, calendars: readonly string[], rows: readonly CalendarEvent[], kind: ChangeKind, audience: readonly string[],
): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  for (const calendarId of calendars) {
    for (const row of rows) {
      out.push(changeBy(actor, { calendarId, object: 'event', objectId: eventIdOf(row), uid: row.uid, instanceStart: row.originalStart, kind, audience }));
    }
  }
  return out;
}

/** One record per (calendar, attendee). */
export function attendeeRecords(
  actor: ChangeActor, calendars: readonly string[], attendees: readonly Attendee[], kind: ChangeKind, audience: readonly string[],
): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  for (const calendarId of calendars) {
    for (const a of attendees) out.push(changeBy(actor, { calendarId, object: 'attendee', objectId: a.attendeeId, uid: a.uid, kind, audience }));
  }
  return out;
}

/**
 * Event records of a change to who attends a series: where it newly shows, its live rows are
 * `created`; where it showed and still does, the rows the write touched are `updated`; where it no
 * longer shows, the whole series is `deleted` (a record for its master, instance start 0).
 */
export function membershipRecords(
  actor: ChangeActor, home: SeriesHome, before: readonly Attendee[], after: readonly Attendee[],
  live: readonly CalendarEvent[], touched: readonly CalendarEvent[], audience: readonly string[],
): ChangeDraft[] {
  const was = calendarsShowing(home, before);
  const is = calendarsShowing(home, after);
  const uid = live[0]?.uid ?? touched[0]?.uid ?? before[0]?.uid ?? after[0]?.uid;
  const left = was.filter((c) => !is.includes(c));
  return [
    ...rowRecords(actor, is.filter((c) => !was.includes(c)), live, 'created', audience),
    ...rowRecords(actor, is.filter((c) => was.includes(c)), touched, 'updated', audience),
    ...(uid === undefined ? [] : left.map((calendarId) =>
      changeBy(actor, { calendarId, object: 'event', objectId: eventIdOf({ uid, originalStart: 0 }), uid, instanceStart: 0, kind: 'deleted', audience }))),
  ];
}
