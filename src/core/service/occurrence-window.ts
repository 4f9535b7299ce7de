import { DomainError } from '../errors.js';
import type { ReadBudget } from '../events/read-budget.js';
import { meets } from '../events/series.js';
import type { Occurrence } from '../events/series.js';
import { epochOf } from '../events/time.js';
import { compareKeys, earliestStart, instancesInWindow, isAfter, keyOf } from '../events/window.js';
import type { OccurrenceKey, WindowPosition } from '../events/window.js';
import type { StoreReader } from '../ports.js';

/** Series read per statement. */
export const SERIES_BATCH = 500;
/**
 * The most series one windowed read expands. A window that more series meet is refused
 * (`too_many_instances`: Feishu 193104, DingTalk invalidParameter) rather than answered in part
 * (docs/compatibility.md, "Windows").
 */
export const SERIES_PER_WINDOW = 2_500;

export interface OccurrenceWindow {
  readonly from: number;
  readonly to: number;
  /** The caller needs the first `limit`; up to `limit + 1` come back, so it can tell whether more follow. */
  readonly limit: number;
  /** Only occurrences after this position (a page token's). */
  readonly after?: WindowPosition;
  /** The caller only refuses a window of more than `limit`: stop as soon as that is known. */
  readonly stopWhenOver?: boolean;
  /** The request's expansion budget; series it cannot expand in full are in `budget.cut`. */
  readonly budget?: ReadBudget;
}

type Keyed = { readonly o: Occurrence; readonly key: OccurrenceKey };

/**
 * The first `limit + 1` occurrences of a calendar meeting [from, to) after `after`, ordered by
 * (start, event id): single events and exceptions as they are, series expanded with the instances
 * their exceptions replace left out. Every read is bounded: rows without a rule in start order up to
 * the number wanted; series by their extent, in batches, at most SERIES_PER_WINDOW of them, and
 * once `limit + 1` occurrences are known only up to the start of the last one kept.
 */
export async function occurrencesInWindow(r: StoreReader, calendarId: string, w: OccurrenceWindow): Promise<Occurrence[]> {
  const want = w.limit + 1;
  let best: Keyed[] = [];
  // Nothing starting at or after `bound` can be among the first `want`.
  let bound = w.to;
  const settle = () => {
    best.sort((a, b) => compareKeys(a.key, b.key));
    if (best.length > want) best = best.slice(0, want);
    if (best.length === want) bound = Math.min(w.to, best[want - 1].key.start + 1);
  };
  const known = () => w.stopWhenOver === true && best.length >= want;

  // Single events and exceptions: each is one occurrence, at its own time.
  // Without an id, the position is after every row at its start: a later start, or the next second and any id.
  let rowsAfter = w.after && (w.after.eventId === undefined ? { start: w.after.start + 1, eventId: '' } : { start: w.after.start, eventId: w.after.eventId });
  for (let accepted = 0; accepted < want;) {
    const asked = want - accepted;
    const rows = await r.events.singlesInWindow(calendarId, { from: w.from, to: w.to, limit: asked, after: rowsAfter });
    // An exception shows only while its series stands.
    const exceptionUids = [...new Set(rows.filter((e) => e.originalStart !== 0).map((e) => e.uid))];
    const standing = new Set(exceptionUids.length === 0 ? [] : (await r.events.mastersOf(exceptionUids)).filter((m) => m.status !== 'cancelled').map((m) => m.uid));
    for (const e of rows) {
      if ((e.originalStart !== 0 && !standing.has(e.uid)) || !meets(e, w.from, w.to)) continue;
      const o: Occurrence = { event: e, kind: e.originalStart !== 0 ? 'exception' : 'single' };
      best.push({ o, key: keyOf(o) });
      accepted++;
    }
    if (rows.length < asked) break;
    const last = rows[rows.length - 1];
    rowsAfter = { start: epochOf(last.start), eventId: `${last.uid}_${last.originalStart}` };
  }
  settle();

  // Series: by extent, in batches; each expanded only as far as can still matter.
  let seriesAfter: { start: number; eventId: string } | undefined;
  for (let read = 0; !known();) {
    const asked = Math.min(SERIES_BATCH, SERIES_PER_WINDOW - read + 1);
    const batch = await r.events.seriesInWindow(calendarId, { from: w.after ? Math.max(w.from, w.after.start) : w.from, to: bound, limit: asked, after: seriesAfter });
    read += batch.length;
    if (read > SERIES_PER_WINDOW) {
      throw new DomainError('too_many_instances', `more than ${SERIES_PER_WINDOW} recurring events meet the window; narrow it`, 'end');
    }
    if (batch.length === 0) break;
    // The exceptions that can replace an instance in reach: original starts from the earliest start that still meets the window.
    const lowest = Math.min(...batch.map((m) => earliestStart(Math.max(0, epochOf(m.end) - epochOf(m.start)), w.from, w.after)));
    const replaced = new Map<string, Set<number>>();
    for (const x of await r.events.exceptionsOf(batch.map((m) => m.uid), { from: lowest, to: bound })) {
      if (x.extensions.detached === true) continue;
      const set = replaced.get(x.uid) ?? new Set<number>();
      set.add(x.originalStart);
      replaced.set(x.uid, set);
    }
    for (const master of batch) {
      if (epochOf(master.start) >= bound) break;
      for (const o of instancesInWindow(master, replaced.get(master.uid) ?? new Set(), { from: w.from, to: bound, after: w.after }, want, w.budget)) {
        best.push({ o, key: keyOf(o) });
      }
      if (best.length >= 2 * want) settle();
      if (known()) break;
    }
    settle();
    if (batch.length < asked) break;
    const last = batch[batch.length - 1];
    seriesAfter = { start: epochOf(last.start), eventId: `${last.uid}_0` };
  }
  settle();
  return best.filter((k) => isAfter(k.key, w.after)).map((k) => k.o);
}
