import type { ReadBudget } from './read-budget.js';
import { instanceAt, occurrenceStarts } from './series.js';
import type { Occurrence } from './series.js';
import { epochOf } from './time.js';
import type { CalendarEvent } from './types.js';
import { eventIdOf } from './types.js';

/**
 * Where an occurrence stands in a window's order: by start, then by event id (`<uid>_<original
 * start>`, compared by code unit as the stores' C collation and SQLite do). Total over a window: two
 * occurrences never share an id.
 */
export interface OccurrenceKey {
  readonly start: number;
  readonly eventId: string;
}

/** A page position: after every occurrence that starts earlier, and after those at `start` whose id is not greater than `eventId` (without one: after all of them). */
export interface WindowPosition {
  readonly start: number;
  readonly eventId?: string;
}

export const keyOf = (o: Occurrence): OccurrenceKey => ({ start: epochOf(o.event.start), eventId: eventIdOf(o.event) });

export function compareKeys(a: OccurrenceKey, b: OccurrenceKey): number {
  return a.start - b.start || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

export function isAfter(key: OccurrenceKey, position: WindowPosition | undefined): boolean {
  if (!position || key.start > position.start) return true;
  return key.start === position.start && position.eventId !== undefined && key.eventId > position.eventId;
}

/**
 * The earliest start an occurrence of `duration` seconds may have and still meet a window opening at
 * `from` (and come after `after`).
 */
export function earliestStart(duration: number, from: number, after?: WindowPosition): number {
  const meeting = duration > 0 ? from - duration + 1 : from;
  return after ? Math.max(meeting, after.start) : meeting;
}

/**
 * The plain instances of a series that meet [from, to) and come after `after`, in start order: the
 * first `want` of them, or all there are. Instances an exception replaces (`replaced`: their original
 * starts) are left out; the exceptions themselves are rows of their own. With a budget, a series it
 * cannot expand to `to` is recorded in `budget.cut` (see `occurrenceStarts`).
 */
export function instancesInWindow(
  master: CalendarEvent, replaced: ReadonlySet<number>, window: { from: number; to: number; after?: WindowPosition }, want: number, budget?: ReadBudget,
): Occurrence[] {
  const duration = Math.max(0, epochOf(master.end) - epochOf(master.start));
  const startMin = earliestStart(duration, window.from, window.after);
  if (startMin >= window.to) return [];
  let skipped = 0;
  for (const s of replaced) if (s >= startMin && s < window.to) skipped++;
  // occurrenceStarts keeps starts s with s + duration > f (zero-length: s >= f): this f makes that s >= startMin.
  const f = startMin + Math.max(duration, 1) - 1;
  // One more than wanted for the instance at `after.start` that may not come after it.
  const out: Occurrence[] = [];
  for (const start of occurrenceStarts(master, f, window.to, want + skipped + 1, budget)) {
    if (replaced.has(start)) continue;
    const o: Occurrence = { event: instanceAt(master, start), kind: 'instance' };
    if (isAfter(keyOf(o), window.after)) out.push(o);
    if (out.length >= want) break;
  }
  return out;
}
