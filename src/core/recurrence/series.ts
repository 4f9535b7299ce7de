/** Whole-series questions: is it bounded, and when does its last occurrence start. */
import { WorkBudget } from './budget.js';
import { SECONDS_PER_DAY } from './calendar-math.js';
import { parseRecurrenceRule } from './parse.js';
import { planFor } from './plan.js';
import type { ParsedRule, SeriesStart } from './types.js';

/** True when the rule has neither COUNT nor UNTIL, i.e. the series never ends. */
export function isUnboundedRule(rule: ParsedRule | string): boolean {
  const parsed = typeof rule === 'string' ? parseRecurrenceRule(rule) : rule;
  return parsed.count === undefined && parsed.until === undefined;
}

/**
 * Start (epoch seconds) of the last occurrence of a bounded series, or null when the series is
 * unbounded or has no occurrence at all (after `exdates`). Bounded in work like expansion: it
 * searches backwards from UNTIL (or the COUNT-th occurrence) in growing chunks.
 * `startIsOccurrence` as in `expandOccurrences`: the start is an occurrence counted toward COUNT.
 */
export function seriesLastStart(
  rule: ParsedRule | string, start: SeriesStart, exdates: readonly number[] = [], options: { readonly startIsOccurrence?: boolean } = {},
): number | null {
  const parsed = typeof rule === 'string' ? parseRecurrenceRule(rule) : rule;
  if (isUnboundedRule(parsed)) return null;
  const plan = planFor(parsed, start, options.startIsOccurrence);
  const { engine } = plan;
  const excluded = new Set(exdates);
  const first = plan.startOccurrence;
  // The start, when it is an occurrence, is the last one if the rule yields none after it.
  const fallback = first !== null && !excluded.has(first) ? first : null;
  if (!engine) return fallback;
  const budget = new WorkBudget();
  const best = (walls: readonly number[]): number | null => {
    let found: number | null = null;
    for (const wall of walls) {
      const epoch = plan.toEpoch(wall);
      if (first !== null && epoch <= first) continue;
      if (plan.withinUntil(wall, epoch) && !excluded.has(epoch) && (found === null || epoch > found)) found = epoch;
    }
    return found;
  };
  let hi = plan.wallLimit;
  let span = plan.period * 64;
  while (hi > plan.wallStart) {
    const lo = Math.max(plan.wallStart, hi - span);
    const found = best(engine.range(lo, hi, budget));
    if (found !== null) {
      // Wall order and instant order can differ by a DST shift: look a little further back too.
      const before = best(engine.range(Math.max(plan.wallStart, lo - 2 * SECONDS_PER_DAY), lo, budget));
      return before !== null && before > found ? before : found;
    }
    hi = lo;
    span = Math.min(span * 2, plan.period * 4096);
  }
  return fallback;
}
