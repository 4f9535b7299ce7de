/**
 * The expansion driver: walks the series in wall-clock chunks, maps each wall time to an instant,
 * and yields instants in ascending order within the requested window.
 */
import { WorkBudget } from './budget.js';
import { RecurrenceLimitError } from './errors.js';
import { SECONDS_PER_DAY } from './calendar-math.js';
import { parseRecurrenceRule } from './parse.js';
import { planFor } from './plan.js';
import type { ExpansionPlan } from './plan.js';
import type { ParsedRule, SeriesStart } from './types.js';

/** Occurrences yielded per call when the caller sets no `maxOccurrences`. */
export const DEFAULT_MAX_OCCURRENCES = 10_000;
/**
 * Wall time and instant differ by the UTC offset (within ±14 h) plus at most a DST shift, so a day
 * of slack around the window — and before flushing a chunk — is always enough.
 */
const SLACK = SECONDS_PER_DAY;
/**
 * Chunk sizes in work steps: small first (a typical window fits in one), doubling up to a cap. A
 * chunk is at least one FREQ×INTERVAL period, so a rule with many candidates a period does not
 * blow the budget on one chunk when only the first few occurrences are wanted.
 */
const FIRST_CHUNK_STEPS = 64;
const MAX_CHUNK_STEPS = 4096;

/** Arguments of {@link expandOccurrences}. */
export interface ExpandInput {
  /** A parsed rule, or rule text (parsed here; RecurrenceRuleError if invalid). */
  readonly rule: ParsedRule | string;
  readonly start: SeriesStart;
  /** Inclusive lower bound on occurrence starts, epoch seconds. */
  readonly fromEpoch: number;
  /** Exclusive upper bound on occurrence starts, epoch seconds; omitted = until the series ends. */
  readonly toEpoch?: number;
  /** Stop after yielding this many (default {@link DEFAULT_MAX_OCCURRENCES}). */
  readonly maxOccurrences?: number;
  /** Occurrence starts (epoch seconds; 00:00 UTC of the date for all-day) to leave out. */
  readonly exdates?: readonly number[];
  /**
   * The work budget to charge, shared by every expansion of one request; without it the call gets
   * a budget of its own of MAX_STEPS.
   */
  readonly budget?: WorkBudget;
  /**
   * The start is the series' first occurrence even where the rule would skip it, and counts toward
   * COUNT; UNTIL bounds only the rule's occurrences (RFC 5545 DTSTART). Default false: the start is
   * an occurrence only when the rule yields it (libical, and its reference vectors).
   */
  readonly startIsOccurrence?: boolean;
}

/** How far an expansion got: every occurrence start below `scannedTo` has been yielded. */
interface Progress {
  scannedTo: number;
}

/** What {@link expandWithin} found. */
export interface BoundedExpansion {
  /** Occurrence starts, ascending. */
  readonly starts: number[];
  /** False when the budget ran out (or `maxOccurrences` was reached) before the window's end. */
  readonly complete: boolean;
  /** True when it was the budget that ran out. */
  readonly exhausted: boolean;
  /** Every occurrence start in [fromEpoch, scannedTo) is in `starts`; `toEpoch` when complete. */
  readonly scannedTo: number;
}

/**
 * Lazily yields occurrence starts (epoch seconds; for all-day series 00:00 UTC of each date) in
 * ascending order with fromEpoch <= start < toEpoch, at most `maxOccurrences` of them. Work per call
 * is bounded: past MAX_STEPS internal steps it throws RecurrenceLimitError instead of spinning.
 * Input errors (bad rule, zone or date) are thrown at the call, not at the first `next()`.
 */
export function expandOccurrences(input: ExpandInput): Generator<number, void, undefined> {
  const rule = typeof input.rule === 'string' ? parseRecurrenceRule(input.rule) : input.rule;
  const { fromEpoch, toEpoch } = input;
  if (!Number.isFinite(fromEpoch) || (toEpoch !== undefined && !Number.isFinite(toEpoch))) {
    throw new RangeError('recurrence: fromEpoch/toEpoch must be finite numbers');
  }
  const plan = planFor(rule, input.start, input.startIsOccurrence);
  return run(plan, input, new Set(input.exdates ?? []), { scannedTo: fromEpoch });
}

/**
 * Expands [fromEpoch, toEpoch) within the caller's budget and never throws RecurrenceLimitError:
 * when the budget runs out it answers what it found, with the instant up to which that is complete,
 * so a read can page on from there or answer the rest another way. Rule and input errors still throw.
 */
export function expandWithin(input: ExpandInput & { readonly toEpoch: number; readonly budget: WorkBudget }): BoundedExpansion {
  const rule = typeof input.rule === 'string' ? parseRecurrenceRule(input.rule) : input.rule;
  const progress: Progress = { scannedTo: input.fromEpoch };
  const starts: number[] = [];
  const max = input.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES;
  try {
    // A spent budget builds no more plans (a zone, the library's rule): the fixed cost per series is
    // bounded by how many series one read may expand (SERIES_PER_WINDOW), not charged as steps.
    input.budget.spend(0);
    const plan = planFor(rule, input.start, input.startIsOccurrence);
    for (const start of run(plan, input, new Set(input.exdates ?? []), progress)) {
      starts.push(start);
      if (starts.length >= max) return { starts, complete: false, exhausted: false, scannedTo: start + 1 };
    }
  } catch (error) {
    if (!(error instanceof RecurrenceLimitError)) throw error;
    const last = starts.length > 0 ? starts[starts.length - 1] + 1 : input.fromEpoch;
    return { starts, complete: false, exhausted: true, scannedTo: Math.min(input.toEpoch, Math.max(last, progress.scannedTo)) };
  }
  return { starts, complete: true, exhausted: false, scannedTo: input.toEpoch };
}

function* run(plan: ExpansionPlan, input: ExpandInput, excluded: ReadonlySet<number>, progress: Progress): Generator<number, void, undefined> {
  const { fromEpoch, toEpoch } = input;
  const max = input.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES;
  const budget = input.budget ?? new WorkBudget();
  if (max <= 0 || (toEpoch !== undefined && toEpoch <= fromEpoch)) {
    progress.scannedTo = toEpoch ?? Infinity;
    return;
  }
  const first = plan.startOccurrence;
  const startMeets = first !== null && first >= fromEpoch && (toEpoch === undefined || first < toEpoch) && !excluded.has(first);
  const engine = plan.engine;
  if (!engine) {
    if (startMeets) yield first;
    progress.scannedTo = toEpoch ?? Infinity;
    return;
  }
  let end = Math.min(plan.wallLimit, toEpoch === undefined ? Infinity : toEpoch + SLACK);
  if (engine.lastWall) {
    const lastWall = engine.lastWall(budget);
    if (lastWall === null) {
      if (startMeets) yield first;
      progress.scannedTo = toEpoch ?? Infinity;
      return;
    }
    end = Math.min(end, lastWall + 1); // a COUNT series: no need to walk on to the year 9999
  }
  let cursor = Math.max(plan.wallStart, Math.floor(fromEpoch) - SLACK);
  const perPeriod = plan.stepsPerPeriod;
  let span = plan.period * Math.max(1, Math.floor(FIRST_CHUNK_STEPS / perPeriod));
  const maxSpan = plan.period * Math.max(1, Math.floor(MAX_CHUNK_STEPS / perPeriod));
  let pending: number[] = startMeets ? [first] : [];
  let last = Number.NEGATIVE_INFINITY;
  let yielded = 0;
  while (cursor < end) {
    const chunkEnd = Math.min(end, cursor + span);
    for (const wall of engine.range(cursor, chunkEnd, budget)) {
      const epoch = plan.toEpoch(wall);
      if (epoch < fromEpoch || (toEpoch !== undefined && epoch >= toEpoch)) continue;
      if (!plan.withinUntil(wall, epoch) || excluded.has(epoch)) continue;
      if (first !== null && epoch <= first) continue; // the start is emitted as itself, once
      pending.push(epoch);
    }
    // A DST gap can move a wall time forward past a later one, so emit in instant order, keeping
    // back anything a later chunk could still undercut.
    const safe = chunkEnd >= end ? Infinity : chunkEnd - SLACK;
    pending.sort((a, b) => a - b);
    let i = 0;
    for (; i < pending.length && pending[i] < safe; i++) {
      const epoch = pending[i];
      if (epoch === last) continue; // two wall times shifted onto one instant by a gap
      last = epoch;
      yield epoch;
      if (++yielded >= max) return;
    }
    pending = pending.slice(i);
    // Later chunks hold only wall times ≥ chunkEnd, so instants ≥ safe: everything below is out.
    progress.scannedTo = Math.max(progress.scannedTo, Math.min(safe, toEpoch ?? Infinity));
    cursor = chunkEnd;
    span = Math.min(span * 2, maxSpan);
  }
  for (const epoch of pending) { // only the start can be left when no chunk was walked
    if (epoch === last) continue;
    last = epoch;
    yield epoch;
    if (++yielded >= max) return;
  }
  progress.scannedTo = toEpoch ?? Infinity;
}
