import { atLeast } from '../access.js';
import type { Role } from '../types.js';
import { canSeeAttendees } from './attendees.js';
import type { AttendeeAbility, CalendarEvent } from './types.js';

/**
 * Where the caller stands: `organizer` when acting on the calendar the event was created on (full
 * rights with writer or owner), `attendee` when acting on a calendar the event shows in because its
 * owner was invited.
 */
export type EventSide = 'organizer' | 'attendee';

/** How much of an event a viewer sees: everything, or only that the time is taken. */
export type Detail = 'full' | 'busy';

/**
 * Private events show no details to anyone below writer; a free_busy_reader sees only busy time;
 * an invited owner of the calendar sees their invitation in full.
 */
export function detailFor(role: Role, event: CalendarEvent, side: EventSide): Detail {
  if (side === 'attendee' && role === 'owner') return 'full';
  if (atLeast(role, 'writer')) return 'full';
  if (role === 'reader') return event.visibility === 'private' ? 'busy' : 'full';
  return 'busy';
}

/**
 * Whether a viewer may edit an event: a writer (or owner) of the organizer's calendar, or an attendee
 * when the event's attendee_ability is can_modify_event. Meeting settings (with the password) are
 * shown only to those who may edit, as the reference says (§6 vchat).
 */
export function mayEdit(side: EventSide, role: Role, attendeeAbility: AttendeeAbility): boolean {
  return side === 'organizer' ? atLeast(role, 'writer') : attendeeAbility === 'can_modify_event';
}

/**
 * Which of an event's attendees a viewer may see: `all` (the organizer's side, or an attendee's side
 * whose attendee_ability is not none), `own` (an attendee's side with attendee_ability none: only
 * their own invitation), or `none` (busy time only). The attendee list, event responses and search's
 * attendee filters all follow this one rule.
 */
export type AttendeeSight = 'all' | 'own' | 'none';

export function attendeeSight(view: { readonly detail: Detail; readonly side: EventSide; readonly event: Pick<CalendarEvent, 'attendeeAbility'> }): AttendeeSight {
  if (view.detail === 'busy') return 'none';
  return canSeeAttendees(view.side, view.event.attendeeAbility) ? 'all' : 'own';
}

/**
 * Whether an event meets search's attendee filters (each inner list met by one attendee; the store
 * matched them against every attendee) through only the attendees the viewer may see: with `own`,
 * every list must name the viewer, who must be invited (`ownKey`); with `none`, no filter is met.
 */
export function meetsVisibleAttendeeFilter(sight: AttendeeSight, filters: readonly (readonly string[])[], ownKey: string | undefined): boolean {
  if (filters.length === 0 || sight === 'all') return true;
  if (sight === 'none' || ownKey === undefined) return false;
  return filters.every((list) => list.includes(ownKey));
}

/**
 * An event withdrawn from a calendar (the invitation that showed it there removed) reports there only
 * as cancelled, seen as busy time: its id and times, none of what the organizer writes afterwards.
 */
export function withdrawnEvent(event: CalendarEvent, seq: number): CalendarEvent {
  return {
    ...event, status: 'cancelled', seq, summary: '', description: '', location: null, vchat: null,
    schemas: [], attachments: [], checkIn: null, source: '', extensions: {},
  };
}
