import type { ChangeRecord } from '../../src/core/changes.js';

/**
 * The membership rebuild rule every follower of the change log applies: for each calendar, event
 * records in sequence order; created or updated puts the row in, deleted takes it out (a master's or
 * single event's deletion, instanceStart 0, takes every row of its uid), and the calendar's own
 * `deleted` empties it. Returns each calendar's event ids and the calendars deleted.
 */
export function rebuildMembership(records: readonly ChangeRecord[]): { shown: Map<string, Set<string>>; deleted: Set<string> } {
  const rows = new Map<string, Map<string, string | undefined>>();
  const deleted = new Set<string>();
  const of = (calendarId: string) => rows.get(calendarId) ?? rows.set(calendarId, new Map()).get(calendarId)!;
  for (const r of [...records].sort((a, b) => a.seq - b.seq)) {
    if (r.calendarId === undefined) continue;
    if (r.object === 'calendar') {
      if (r.kind === 'deleted') {
        of(r.calendarId).clear();
        deleted.add(r.calendarId);
      } else if (r.kind === 'created') {
        deleted.delete(r.calendarId);
      }
      continue;
    }
    if (r.object !== 'event') continue;
    const calendar = of(r.calendarId);
    if (r.kind === 'created' || r.kind === 'updated') calendar.set(r.objectId, r.uid);
    else if (r.kind === 'deleted') {
      calendar.delete(r.objectId);
      // A master (or single) gone takes every row of its series with it.
      if ((r.instanceStart ?? 0) === 0 && r.uid !== undefined) for (const [id, uid] of calendar) if (uid === r.uid) calendar.delete(id);
    }
  }
  return { shown: new Map([...rows].map(([c, m]) => [c, new Set(m.keys())])), deleted };
}
