import type { Attendee, PersonalView } from '../core/events/types.js';
import type { ViewerState } from '../core/ports.js';

/** A row of a viewer read: a personal view (`p`) or an attendee entry (`a`) with its match key when the read took every attendee. */
export interface ViewerRow {
  readonly kind: string;
  readonly match_key?: string | null;
  readonly data: string | null;
}

/**
 * Gathers a ViewerState from the rows of one read, for `viewerState` and the one-statement event read
 * alike. With `everyAttendee` the read returned every attendee and the caller's own are those whose
 * match key is `matchKey`; without it the read returned only the caller's own.
 */
export function viewerStateFrom(rows: Iterable<ViewerRow>, matchKey: string | undefined, everyAttendee: boolean): ViewerState {
  const personal: PersonalView[] = [];
  const attendees: Attendee[] = [];
  const every: Attendee[] = [];
  for (const r of rows) {
    if (r.kind === 'p') {
      personal.push(JSON.parse(r.data!) as PersonalView);
      continue;
    }
    const a = JSON.parse(r.data!) as Attendee;
    if (everyAttendee) every.push(a);
    if (!everyAttendee || r.match_key === matchKey) attendees.push(a);
  }
  attendees.sort(byEventThenId);
  return everyAttendee ? { personal, attendees, every: every.sort(byEventThenId) } : { personal, attendees };
}

const byEventThenId = (a: Attendee, b: Attendee) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : a.attendeeId < b.attendeeId ? -1 : a.attendeeId > b.attendeeId ? 1 : 0);
