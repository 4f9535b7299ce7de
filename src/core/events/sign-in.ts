/**
 * Signing in to (checking in at) and out of an event: who may, and when. Pure: the service loads the
 * event as the user sees it, the user's earlier record, and asks here.
 */
import { changeBy } from '../changes.js';
import type { ChangeActor, ChangeDraft } from '../changes.js';
import { DomainError, invalidArgument } from '../errors.js';
import type { SignInRecord } from '../types.js';
import { epochOf } from './time.js';
import type { CalendarEvent, CheckInTime } from './types.js';

/**
 * When sign-in opens and closes without the event's own check-in settings (Feishu's
 * `event_check_in`): from 15 minutes before the start until the end. Sign-out: from the start until
 * an hour after the end.
 */
export const DEFAULT_SIGN_IN_OPENS: CheckInTime = { timeType: 'before_event_start', duration: 15 };
export const DEFAULT_SIGN_IN_CLOSES: CheckInTime = { timeType: 'after_event_end', duration: 0 };
export const SIGN_OUT_GRACE_MINUTES = 60;

const instantOf = (t: CheckInTime, start: number, end: number): number => {
  switch (t.timeType) {
    case 'before_event_start': return start - t.duration * 60;
    case 'after_event_start': return start + t.duration * 60;
    case 'after_event_end': return end + t.duration * 60;
  }
};

/** The [opens, closes] window of a sign-in or sign-out, in Unix seconds. */
export function signInWindow(event: CalendarEvent, kind: SignInRecord['kind']): { opens: number; closes: number } {
  const start = epochOf(event.start);
  const end = epochOf(event.end);
  if (kind === 'sign_out') return { opens: start, closes: end + SIGN_OUT_GRACE_MINUTES * 60 };
  const own = event.checkIn?.enableCheckIn ? event.checkIn : undefined;
  return {
    opens: instantOf(own?.checkInStartTime ?? DEFAULT_SIGN_IN_OPENS, start, end),
    closes: instantOf(own?.checkInEndTime ?? DEFAULT_SIGN_IN_CLOSES, start, end),
  };
}

export interface SignInAsk {
  readonly actor: ChangeActor;
  /** The event (or occurrence) as loaded, and its id on the wire. */
  readonly event: CalendarEvent;
  readonly eventId: string;
  readonly kind: SignInRecord['kind'];
  /** Internal id of the user signing. */
  readonly userId: string;
  /** Whether that user organises the event or is invited to it (not declined). */
  readonly organizer: boolean;
  readonly attendee: boolean;
  readonly existing: SignInRecord | undefined;
  /** Unix milliseconds. */
  readonly now: number;
}

/**
 * Only the organizer and the event's attendees sign, and only inside the window; an event whose
 * own check-in settings are switched off takes no sign-in. Signing again keeps the first time and
 * writes nothing.
 */
export function decideSignIn(ask: SignInAsk): { record: SignInRecord; changes: readonly ChangeDraft[] } {
  if (!ask.organizer && !ask.attendee) {
    throw new DomainError('no_event_permission', 'only the organizer and attendees of the event may sign in or out', 'userId');
  }
  if (ask.kind === 'sign_in' && ask.event.checkIn && !ask.event.checkIn.enableCheckIn) {
    throw invalidArgument('eventId', 'check-in is switched off for this event');
  }
  if (ask.existing) return { record: ask.existing, changes: [] };
  const { opens, closes } = signInWindow(ask.event, ask.kind);
  const seconds = Math.floor(ask.now / 1000);
  const what = ask.kind === 'sign_in' ? 'sign-in' : 'sign-out';
  if (seconds < opens) throw invalidArgument('eventId', `${what} opens at ${new Date(opens * 1000).toISOString()}`);
  if (seconds > closes) throw invalidArgument('eventId', `${what} closed at ${new Date(closes * 1000).toISOString()}`);
  const record: SignInRecord = { eventId: ask.eventId, kind: ask.kind, userId: ask.userId, at: ask.now };
  return {
    record,
    changes: [changeBy(ask.actor, {
      calendarId: ask.event.calendarId, object: 'sign_in', objectId: ask.eventId, uid: ask.event.uid,
      kind: ask.kind === 'sign_in' ? 'signed_in' : 'signed_out', audience: [ask.userId],
    })],
  };
}
