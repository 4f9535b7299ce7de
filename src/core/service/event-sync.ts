import { withdrawnEvent } from '../events/access.js';
import type { CalendarEvent } from '../events/types.js';
import type { StoreReader } from '../ports.js';

/** Incremental sync of a calendar's events: what changed after a sync position. */
export class EventSync {
  /**
   * Events of a calendar changed after `sinceSeq`, by seq, at most `limit`: its own and invited events'
   * rows, and, as cancelled, series whose invitation of this calendar the organizer withdrew (unless
   * a later change shows the event here again).
   */
  async changesSince(r: StoreReader, calendarId: string, sinceSeq: number, limit: number, withdrawn: Set<CalendarEvent>): Promise<CalendarEvent[]> {
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
}
