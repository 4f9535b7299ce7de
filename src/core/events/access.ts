import { atLeast } from '../access.js';
import type { Role } from '../types.js';
import type { CalendarEvent } from './types.js';

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
