/**
 * Cancelling an event, pure: only its organizer may, and it is cancelled for everyone. Unlike a
 * delete, the rows keep a mark saying the organizer cancelled them, so a read of the event answers
 * it with status cancelled instead of "no such event" (DingTalk's distinction).
 */
import { DomainError } from '../errors.js';
import type { EventSide } from './access.js';
import { decideEventDelete } from './decide-event.js';
import type { DeleteContext, EventWrite } from './decide-event.js';
import type { CalendarEvent } from './types.js';

/** The extension key that marks a row cancelled by its organizer (rather than deleted). */
export const CANCELLED_BY_ORGANIZER = 'cancelledByOrganizer';

/** Whether a cancelled row was cancelled by its organizer, so reads still answer it. */
export const isCancelledByOrganizer = (e: CalendarEvent): boolean => e.status === 'cancelled' && e.extensions[CANCELLED_BY_ORGANIZER] === true;

export interface CancelContext extends Omit<DeleteContext, 'side'> {
  readonly side: EventSide;
}

/** The rows cancelled (the series' live rows, or the one occurrence) and their `deleted` records. */
export function decideEventCancel(c: CancelContext): EventWrite {
  if (c.side !== 'organizer') throw new DomainError('no_event_permission', 'only the organizer may cancel an event', 'event_id');
  const deleted = decideEventDelete({ ...c, side: 'organizer' });
  const wasLive = new Set((c.event.originalStart === 0 ? c.series : [c.event]).filter((e) => e.status !== 'cancelled').map((e) => e.originalStart));
  // Rows deleted before stay deleted: only the ones this cancel ends carry the mark.
  const rows = deleted.rows.map((e) => (wasLive.has(e.originalStart) ? { ...e, extensions: { ...e.extensions, [CANCELLED_BY_ORGANIZER]: true } } : e));
  return { rows, changes: deleted.changes };
}
