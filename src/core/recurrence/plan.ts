/**
 * Turns a rule and a series start into an expansion plan: which engine runs, where the series
 * starts in wall-clock seconds, how wall times map to instants, and how UNTIL is tested.
 */
import type { WallEngine } from './budget.js';
import { daysFromCivil, parseIsoDate, SECONDS_PER_DAY } from './calendar-math.js';
import { RecurrenceRuleError } from './errors.js';
import { countedEngine } from './counted-engine.js';
import type { FirstWalls } from './counted-engine.js';
import { libraryEngine, libraryFirst } from './library-engine.js';
import { canNeverMatch, normalizeForStart } from './normalize.js';
import type { Frequency, ParsedRule, SeriesStart } from './types.js';
import { MAX_YEAR, yearlyEngine, yearlyFirst } from './yearly-engine.js';
import { zoneTimeline } from './zone-timeline.js';

/** First wall second after the last expandable day (9999-12-31). */
export const MAX_WALL = daysFromCivil(MAX_YEAR + 1, 1, 1) * SECONDS_PER_DAY;

const PERIOD_SECONDS: Record<Frequency, number> = {
  HOURLY: 3600,
  DAILY: SECONDS_PER_DAY,
  WEEKLY: 7 * SECONDS_PER_DAY,
  MONTHLY: 31 * SECONDS_PER_DAY,
  YEARLY: 366 * SECONDS_PER_DAY,
};

export interface ExpansionPlan {
  readonly allDay: boolean;
  /** The series start in wall-clock seconds. */
  readonly wallStart: number;
  /** Null when the rule can never produce an occurrence. */
  readonly engine: WallEngine | null;
  /** Wall-clock seconds → instant (epoch seconds), applying the DST policy. */
  readonly toEpoch: (wall: number) => number;
  /** Exact UNTIL test (always true without UNTIL). */
  readonly withinUntil: (wall: number, epoch: number) => boolean;
  /** No occurrence has a wall time at or past this (UNTIL plus slack, or the year-9999 limit). */
  readonly wallLimit: number;
  /** Length of one FREQ×INTERVAL period in seconds, used to size search chunks. */
  readonly period: number;
  /** Occurrences one day can hold at most from BYHOUR×BYMINUTE×BYSECOND (1 without them). */
  readonly timesPerDay: number;
  /**
   * Work steps one FREQ×INTERVAL period costs the engine, estimated from the rule's shape: the
   * candidates it builds before filtering and BYSETPOS. Charged before the work is done, so a
   * budget stops an expensive rule before it runs rather than after.
   */
  readonly stepsPerPeriod: number;
  /**
   * The start's instant when the start is an occurrence of its own (`startIsOccurrence`), else
   * null. The engine then yields only rule occurrences after it, COUNT - 1 of them under COUNT.
   */
  readonly startOccurrence: number | null;
}

/**
 * Candidates one period of the rule makes (an upper bound of what the engines build): days the
 * day-level parts can select, times the BYHOUR×BYMINUTE×BYSECOND times of each day.
 */
export function stepsPerPeriod(rule: ParsedRule, allDay: boolean): number {
  const n = (list: readonly unknown[] | undefined) => list?.length ?? 1;
  const minutes = n(rule.byMinute) * n(rule.bySecond);
  if (rule.freq === 'HOURLY') return minutes;
  const times = allDay ? 1 : n(rule.byHour) * minutes;
  // Days a BYDAY list names in a month or a year: one for an ordinal (2TU), every such weekday otherwise.
  const weekdays = (perPlainDay: number) => (rule.byDay ?? []).reduce((k, d) => k + (d.ordinal === undefined ? perPlainDay : 1), 0);
  let days = 1;
  if (rule.freq === 'WEEKLY') days = n(rule.byDay);
  if (rule.freq === 'MONTHLY') days = rule.byMonthDay ? rule.byMonthDay.length : rule.byDay ? weekdays(5) : 1;
  if (rule.freq === 'YEARLY') {
    if (rule.byYearDay) days = rule.byYearDay.length;
    else if (rule.byWeekNo) days = rule.byWeekNo.length * 7;
    else if (rule.byMonthDay) days = (rule.byMonth?.length ?? 12) * rule.byMonthDay.length;
    else if (rule.byDay) days = rule.byMonth ? rule.byMonth.length * weekdays(5) : weekdays(53);
    else days = n(rule.byMonth);
  }
  return Math.max(1, Math.min(366, days) * times);
}

/**
 * The plan for a series, kept per (rule, start): building a plan constructs the library's rule
 * object and a COUNT series materializes its occurrences, which profiled as the larger part of an
 * instance_view or free/busy request when done again for every request. Plans are immutable apart
 * from their engines' own memos, so sharing one is safe.
 */
const plans = new WeakMap<ParsedRule, Map<string, ExpansionPlan>>();
const PLANS_PER_RULE = 64;

export function planFor(parsed: ParsedRule, start: SeriesStart, startIsOccurrence = false): ExpansionPlan {
  const key = `${start.kind === 'date' ? start.date : `${start.epochSeconds}@${start.timeZone}`}${startIsOccurrence ? '+start' : ''}`;
  let byStart = plans.get(parsed);
  if (!byStart) {
    byStart = new Map();
    plans.set(parsed, byStart);
  }
  let plan = byStart.get(key);
  if (!plan) {
    plan = planExpansion(parsed, start, startIsOccurrence);
    if (byStart.size >= PLANS_PER_RULE) byStart.delete(byStart.keys().next().value!);
    byStart.set(key, plan);
  }
  return plan;
}

/**
 * `startIsOccurrence`: the start is the series' first occurrence whether or not the rule yields it,
 * and counts toward COUNT (RFC 5545 DTSTART). Without it the start is an occurrence only when the
 * rule yields it (libical).
 */
export function planExpansion(parsed: ParsedRule, start: SeriesStart, startIsOccurrence = false): ExpansionPlan {
  const allDay = start.kind === 'date';
  let wallStart: number;
  let toEpoch: (wall: number) => number;
  let toWall: (epoch: number) => number;
  if (start.kind === 'date') {
    const days = parseIsoDate(start.date);
    if (days === undefined) throw new RangeError(`recurrence: invalid start date "${start.date}"`);
    if (parsed.freq === 'HOURLY') throw new RecurrenceRuleError('FREQ', 'FREQ=HOURLY cannot repeat an all-day event');
    wallStart = days * SECONDS_PER_DAY;
    toEpoch = toWall = (x) => x; // all-day series are expanded by date, in UTC
  } else {
    if (!Number.isSafeInteger(start.epochSeconds)) {
      throw new RangeError('recurrence: start epochSeconds must be an integer');
    }
    const timeline = zoneTimeline(start.timeZone, start.epochSeconds);
    wallStart = timeline.toWall(start.epochSeconds);
    toEpoch = (wall) => timeline.toEpoch(wall);
    toWall = (epoch) => timeline.toWall(epoch);
  }
  if (wallStart >= MAX_WALL) throw new RangeError('recurrence: start is past the year 9999');

  const rule = normalizeForStart(parsed, allDay, Math.floor(wallStart / SECONDS_PER_DAY));
  const startOccurrence = !startIsOccurrence ? null : start.kind === 'date' ? wallStart : start.epochSeconds;
  let withinUntil: (wall: number, epoch: number) => boolean = () => true;
  let untilWall: number | undefined;
  const { until } = rule;
  if (until?.kind === 'utc') {
    withinUntil = (_wall, epoch) => epoch <= until.epochSeconds;
    // The library works in wall time; stop it a day past UNTIL and let withinUntil be exact.
    untilWall = toWall(until.epochSeconds) + (allDay ? 0 : SECONDS_PER_DAY);
  } else if (until?.kind === 'date') {
    // A DATE UNTIL includes the whole day in the series' zone.
    untilWall = (parseIsoDate(until.date)! + 1) * SECONDS_PER_DAY - 1;
    const bound = untilWall;
    withinUntil = (wall) => wall <= bound;
  } else if (until?.kind === 'local') {
    const [date, time] = until.dateTime.split('T');
    const [h, m, s] = time.split(':').map(Number);
    untilWall = parseIsoDate(date)! * SECONDS_PER_DAY + h * 3600 + m * 60 + s;
    const bound = untilWall;
    withinUntil = (wall) => wall <= bound;
  }

  const perPeriod = stepsPerPeriod(rule, allDay);
  const period = PERIOD_SECONDS[rule.freq] * rule.interval;
  let engine: WallEngine | null = null;
  if (!canNeverMatch(rule) && (untilWall === undefined || untilWall >= wallStart)) {
    // rrule-temporal 2.2.7 mis-expands these YEARLY shapes (measured against the libical vectors),
    // and spends 100-400 µs a candidate on any BYYEARDAY (our engine: well under 1 µs).
    const ownYearly = rule.freq === 'YEARLY' && (rule.byWeekNo !== undefined || rule.byYearDay !== undefined);
    if (rule.count !== undefined) {
      const first: FirstWalls = ownYearly
        ? (n, budget) => yearlyFirst(rule, wallStart, n, budget)
        : (n, budget) => libraryFirst(rule, wallStart, n, budget, MAX_WALL, perPeriod);
      engine = startOccurrence === null ? countedEngine(first, rule.count, toEpoch)
        : countedEngine(first, rule.count - 1, toEpoch, startOccurrence);
    } else {
      engine = ownYearly ? yearlyEngine(rule, wallStart) : libraryEngine(rule, wallStart, untilWall, { period, perPeriod });
    }
  }
  return {
    allDay,
    wallStart,
    engine,
    toEpoch,
    withinUntil,
    wallLimit: Math.min(MAX_WALL, untilWall === undefined ? MAX_WALL : untilWall + 1),
    period,
    timesPerDay: (rule.byHour?.length ?? 1) * (rule.byMinute?.length ?? 1) * (rule.bySecond?.length ?? 1),
    stepsPerPeriod: perPeriod,
    startOccurrence,
  };
}
