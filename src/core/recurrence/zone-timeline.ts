/**
 * Maps between instants and wall-clock seconds of an IANA zone.
 *
 * Converting each occurrence through Temporal costs ~13 µs in the polyfill, too slow for thousands
 * of occurrences per request, so the UTC-offset history of a zone is learned from Temporal's
 * transition search once and kept as a sorted segment list; conversions are then a binary search.
 * Time-zone data is immutable while the process runs, so the module-level memo is a pure cache.
 */
import { Temporal } from 'temporal-polyfill';

const DAY = 86_400;
const YEAR = 366 * DAY;
/** Zones remembered at once; the memo is dropped wholesale beyond this (it is only a cache). */
const MAX_CACHED_ZONES = 512;

const offsetSeconds = (zdt: Temporal.ZonedDateTime): number => Math.round(zdt.offsetNanoseconds / 1e9);
const zonedAt = (epochSeconds: number, zone: string): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(epochSeconds * 1000).toZonedDateTimeISO(zone);

/** The UTC-offset history of one zone over a lazily extended range. */
export class ZoneTimeline {
  /** starts[i] begins a segment with UTC offset offsets[i] (seconds); starts[0] may be -Infinity. */
  private readonly starts: number[];
  private readonly offsets: number[];
  /** Transitions are known up to here (inclusive); may be +Infinity. */
  private coveredTo: number;

  constructor(readonly zone: string, around: number) {
    this.starts = [around];
    this.offsets = [offsetSeconds(zonedAt(around, zone))];
    this.coveredTo = around;
  }

  /** UTC offset in seconds at an instant. */
  offsetAt(epochSeconds: number): number {
    this.ensure(epochSeconds, epochSeconds);
    const { starts, offsets } = this;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= epochSeconds) lo = mid;
      else hi = mid - 1;
    }
    return offsets[lo];
  }

  /** Wall-clock seconds (local date-time counted as if UTC) of an instant. */
  toWall(epochSeconds: number): number {
    return epochSeconds + this.offsetAt(epochSeconds);
  }

  /**
   * Instant of a wall-clock time with Temporal's 'compatible' disambiguation: a time inside a
   * spring-forward gap moves forward by the gap length, an ambiguous time takes the earlier instant.
   */
  toEpoch(wall: number): number {
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    if (before === after) return wall - before;
    const early = wall - before;
    const late = wall - after;
    const earlyValid = this.offsetAt(early) === before;
    const lateValid = this.offsetAt(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (lateValid) return late;
    // Valid with the earlier offset, or a gap: the pre-transition offset shifts it forward.
    return early;
  }

  private ensure(from: number, to: number): void {
    if (to > this.coveredTo) this.extendForward(to + YEAR);
    if (from < this.starts[0]) this.extendBackward(from - YEAR);
  }

  private extendForward(target: number): void {
    let zdt = zonedAt(this.coveredTo, this.zone);
    while (this.coveredTo < target) {
      const next = zdt.getTimeZoneTransition('next');
      if (next === null) {
        this.coveredTo = Number.POSITIVE_INFINITY;
        return;
      }
      const at = Math.floor(next.epochMilliseconds / 1000);
      this.push(at, offsetSeconds(next));
      this.coveredTo = at;
      zdt = next;
    }
  }

  private extendBackward(target: number): void {
    while (this.starts[0] > target) {
      const first = this.starts[0];
      const prev = zonedAt(first, this.zone).getTimeZoneTransition('previous');
      if (prev === null) {
        // Nothing earlier: whatever offset holds just before `first` holds forever back.
        this.unshift(Number.NEGATIVE_INFINITY, offsetSeconds(zonedAt(first - 1, this.zone)));
        return;
      }
      this.unshift(Math.floor(prev.epochMilliseconds / 1000), offsetSeconds(prev));
    }
  }

  private push(start: number, offset: number): void {
    if (this.offsets[this.offsets.length - 1] === offset) return; // name-only change
    this.starts.push(start);
    this.offsets.push(offset);
  }

  private unshift(start: number, offset: number): void {
    if (this.offsets[0] === offset) {
      this.starts[0] = start; // same offset: the first segment simply reaches further back
      return;
    }
    this.starts.unshift(start);
    this.offsets.unshift(offset);
  }
}

const timelines = new Map<string, ZoneTimeline>();

/** The (memoized) timeline of a zone. Throws RangeError for a zone Temporal does not know. */
export function zoneTimeline(zone: string, around: number): ZoneTimeline {
  const cached = timelines.get(zone);
  if (cached) return cached;
  let timeline: ZoneTimeline;
  try {
    timeline = new ZoneTimeline(zone, around);
  } catch {
    throw new RangeError(`recurrence: invalid time zone "${zone}"`);
  }
  if (timelines.size >= MAX_CACHED_ZONES) timelines.clear();
  timelines.set(zone, timeline);
  return timeline;
}
