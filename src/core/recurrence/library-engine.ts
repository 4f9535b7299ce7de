/**
 * Expansion through rrule-temporal. The library runs in UTC on wall-clock values ("floating"
 * time): it never sees the real zone, so its own DST policy (it drops occurrences whose local time
 * falls in a gap) does not apply, and its UTC fast paths are used. The driver maps wall times to
 * instants with our gap/overlap policy.
 */
import { RRuleTemporal } from 'rrule-temporal';
import type { RRuleOptions } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import type { WallEngine, WorkBudget } from './budget.js';
import { RecurrenceLimitError, RecurrenceRuleError } from './errors.js';
import type { ParsedRule } from './types.js';

/**
 * Library iteration cap per call (its "outer periods"). Range queries ask for at most a few
 * thousand periods; COUNT series are materialized once and may need up to this many periods.
 */
export const LIBRARY_MAX_ITERATIONS = 100_000;

const floating = (wall: number): Temporal.ZonedDateTime =>
  Temporal.Instant.fromEpochMilliseconds(wall * 1000).toZonedDateTimeISO('UTC');

/** Runs a library call, turning its errors into the engine's error types. */
function guarded<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/maximum iterations|candidate evaluations/i.test(message)) {
      throw new RecurrenceLimitError(`rule needs too much work to expand (${message})`);
    }
    throw new RecurrenceRuleError('RRULE', `rule cannot be expanded: ${message}`);
  }
}

/** rrule-temporal options for a rule, anchored at a wall-clock start (floating, in UTC). */
function libraryOptions(rule: ParsedRule, wallStart: number): RRuleOptions {
  return {
    freq: rule.freq,
    interval: rule.interval,
    ...(rule.byHour && { byHour: [...rule.byHour] }),
    ...(rule.byMinute && { byMinute: [...rule.byMinute] }),
    ...(rule.bySecond && { bySecond: [...rule.bySecond] }),
    ...(rule.byDay && { byDay: rule.byDay.map((d) => `${d.ordinal ?? ''}${d.weekday}`) }),
    ...(rule.byMonth && { byMonth: [...rule.byMonth] }),
    ...(rule.byMonthDay && { byMonthDay: [...rule.byMonthDay] }),
    ...(rule.byYearDay && { byYearDay: [...rule.byYearDay] }),
    ...(rule.byWeekNo && { byWeekNo: [...rule.byWeekNo] }),
    ...(rule.bySetPos && { bySetPos: [...rule.bySetPos] }),
    wkst: rule.wkst,
    dtstart: floating(wallStart),
    tzid: 'UTC',
    cache: false,
    maxIterations: LIBRARY_MAX_ITERATIONS,
  };
}

/**
 * A range engine for a rule without COUNT. `untilWall` is a generous wall-clock bound past UNTIL so
 * the library stops by itself; the exact UNTIL test is the driver's.
 */
export function libraryEngine(rule: ParsedRule, wallStart: number, untilWall: number | undefined, cost: { period: number; perPeriod: number }): WallEngine {
  const options: RRuleOptions = {
    ...libraryOptions(rule, wallStart),
    ...(untilWall !== undefined && { until: floating(untilWall) }),
  };
  const lib = guarded(() => new RRuleTemporal(options));
  return {
    range(from: number, to: number, budget: WorkBudget): number[] {
      if (to <= from) return [];
      // Charged before the library runs: it cannot be stopped once it has started.
      budget.spend(1 + Math.ceil((to - from) / cost.period + 1) * cost.perPeriod);
      const hits = guarded(() => lib.between(floating(from), floating(to - 1), true));
      return hits.map((z) => z.epochMilliseconds / 1000);
    },
  };
}

/** The first `n` occurrence wall times of the rule (its own COUNT/UNTIL ignored), ascending. */
export function libraryFirst(rule: ParsedRule, wallStart: number, n: number, budget: WorkBudget, endWall: number, perPeriod = 1): number[] {
  // Charged before the library runs: n occurrences, and with BYSETPOS the whole periods it picks them from.
  budget.spend(1 + n * (rule.bySetPos ? Math.ceil(perPeriod / rule.bySetPos.length) : 1));
  // The library accepts COUNT with UNTIL (non-strict mode): the UNTIL at the end of the expandable
  // range lets a COUNT that is never reached end there instead of exhausting the iteration cap.
  const options: RRuleOptions = { ...libraryOptions(rule, wallStart), count: n, until: floating(endWall - 1) };
  const lib = guarded(() => new RRuleTemporal(options));
  return guarded(() => lib.all()).map((z) => z.epochMilliseconds / 1000);
}
