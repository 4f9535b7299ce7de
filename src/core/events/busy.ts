/** Free/busy answers: bounded in size however many events and occurrences lie behind them. */
import type { Rsvp } from './types.js';

/** A busy interval on someone's calendar. */
export interface BusyInterval {
  readonly start: number;
  readonly end: number;
  /** The target's answer to the invitation; `accept` for events on their calendar they were not invited to. */
  readonly rsvp: Rsvp;
}

/**
 * Busy intervals one request answers at most, over all the users it asks about: about 0.7 MB of
 * Feishu JSON, 1.7 MB of DingTalk JSON.
 */
export const BUSY_ANSWER_MAX = 10_000;

/** When intervals merge, the merged one reports the firmest answer among them. */
const FIRMNESS: Record<string, number> = { accept: 3, needs_action: 2, tentative: 1 };
const firmer = (a: Rsvp, b: Rsvp): Rsvp => ((FIRMNESS[b] ?? 0) > (FIRMNESS[a] ?? 0) ? b : a);

/**
 * The intervals as they are when there are at most `max` of them (one per occurrence, as both
 * platforms list them). Past `max`, overlapping and touching intervals merge, then the shortest
 * gaps between them close until `max` remain: the answer never shows busy time as free, only
 * some short free gaps as busy.
 */
export function atMostIntervals(items: readonly BusyInterval[], max: number): BusyInterval[] {
  const sorted = [...items].sort((a, b) => a.start - b.start || a.end - b.end);
  if (sorted.length <= max) return sorted;
  const merged: Array<{ start: number; end: number; rsvp: Rsvp }> = [];
  for (const b of sorted) {
    const last = merged[merged.length - 1];
    if (last && b.start <= last.end) {
      last.end = Math.max(last.end, b.end);
      last.rsvp = firmer(last.rsvp, b.rsvp);
    } else {
      merged.push({ ...b });
    }
  }
  if (merged.length <= max) return merged;
  // Close the (merged.length - max) shortest gaps; on ties, the earlier ones.
  const gaps = merged.slice(1).map((b, i) => ({ i, width: b.start - merged[i].end }));
  gaps.sort((a, b) => a.width - b.width || a.i - b.i);
  const close = new Set(gaps.slice(0, merged.length - Math.max(1, max)).map((g) => g.i));
  const out: Array<{ start: number; end: number; rsvp: Rsvp }> = [{ ...merged[0] }];
  for (let i = 1; i < merged.length; i++) {
    const last = out[out.length - 1];
    if (close.has(i - 1)) {
      last.end = Math.max(last.end, merged[i].end);
      last.rsvp = firmer(last.rsvp, merged[i].rsvp);
    } else {
      out.push({ ...merged[i] });
    }
  }
  return out;
}
