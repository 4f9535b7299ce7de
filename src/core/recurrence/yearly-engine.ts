/**
 * Our own FREQ=YEARLY expansion, used for the rule shapes where rrule-temporal 2.2.7 disagrees
 * with the libical reference vectors (BYWEEKNO, and BYYEARDAY combined with BYDAY; see
 * docs/recurrence.md). Each period is built whole — every day of the year (for BYWEEKNO the
 * week-numbering year) that passes all BYxxx filters, times BYHOUR×BYMINUTE×BYSECOND — and BYSETPOS
 * then picks from it, which is RFC 5545 §3.3.10 read literally.
 */
import type { WallEngine, WorkBudget } from './budget.js';
import {
  civilFromDays, daysFromCivil, daysInMonth, daysInYear, isoWeekday, SECONDS_PER_DAY, weekOneStart,
  weeksInYear, weekYearOf,
} from './calendar-math.js';
import { WEEKDAYS } from './types.js';
import type { ByDay, ParsedRule } from './types.js';

/** Expansion never goes past this year (the iCalendar DATE range ends at 9999). */
export const MAX_YEAR = 9999;

interface YearlyShape {
  readonly byMonth?: ReadonlySet<number>;
  readonly byWeekNo?: readonly number[];
  readonly byYearDay?: ReadonlySet<number>;
  readonly byMonthDay?: ReadonlySet<number>;
  readonly byDay?: readonly ByDay[];
  readonly times: readonly number[];
  readonly bySetPos?: readonly number[];
  readonly wkst: number;
}

/** A FREQ=YEARLY range engine for a rule without COUNT; `rule` must be normalized for the start. */
export function yearlyEngine(rule: ParsedRule, wallStart: number): WallEngine {
  const shape = yearlyShape(rule, wallStart);
  const interval = rule.interval;
  let anchor: number | undefined;
  // Consecutive range calls (the driver's chunks) usually share their boundary period: built once.
  let last: { year: number; walls: number[] } | undefined;
  return {
    range(from: number, to: number, budget: WorkBudget): number[] {
      const out: number[] = [];
      const first = (anchor ??= periodAnchor(shape, wallStart));
      // Periods before year(from) end before `from`; a week-numbering year may start a year early.
      const fromYear = civilFromDays(Math.floor(from / SECONDS_PER_DAY)).year - (shape.byWeekNo ? 1 : 0);
      const skip = Math.max(0, Math.ceil((fromYear - first) / interval));
      for (let y = first + skip * interval; y <= MAX_YEAR; y += interval) {
        if (periodStart(shape, y) * SECONDS_PER_DAY >= to) break;
        if (last?.year !== y) last = { year: y, walls: periodWalls(shape, y, budget) };
        for (const w of last.walls) if (w >= wallStart && w >= from && w < to) out.push(w);
      }
      return out;
    },
  };
}

/** The first `n` occurrence wall times of a FREQ=YEARLY rule (its own COUNT/UNTIL ignored). */
export function yearlyFirst(rule: ParsedRule, wallStart: number, n: number, budget: WorkBudget): number[] {
  const shape = yearlyShape(rule, wallStart);
  const out: number[] = [];
  for (let y = periodAnchor(shape, wallStart); y <= MAX_YEAR && out.length < n; y += rule.interval) {
    const walls = periodWalls(shape, y, budget);
    for (const w of walls) if (w >= wallStart && out.length < n) out.push(w);
  }
  return out;
}

/** Fills in what RFC 5545 takes from DTSTART when the rule does not say. */
function yearlyShape(rule: ParsedRule, wallStart: number): YearlyShape {
  const startDays = Math.floor(wallStart / SECONDS_PER_DAY);
  const start = civilFromDays(startDays);
  const secondOfDay = wallStart - startDays * SECONDS_PER_DAY;
  let { byMonth, byMonthDay, byDay } = rule;
  const { byWeekNo, byYearDay } = rule;
  if (!byWeekNo && !byYearDay && !byMonthDay && !byDay) {
    byMonthDay = [start.day];
    byMonth ??= [start.month];
  }
  if (byWeekNo && !byDay && !byYearDay && !byMonthDay) {
    byDay = [{ weekday: WEEKDAYS[isoWeekday(startDays) - 1] }];
  }
  const hours = rule.byHour ?? [Math.floor(secondOfDay / 3600)];
  const minutes = rule.byMinute ?? [Math.floor((secondOfDay % 3600) / 60)];
  const seconds = rule.bySecond ?? [secondOfDay % 60];
  const times = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => h * 3600 + m * 60 + s)));
  return {
    ...(byMonth && { byMonth: new Set(byMonth) }),
    ...(byWeekNo && { byWeekNo }),
    ...(byYearDay && { byYearDay: new Set(byYearDay) }),
    ...(byMonthDay && { byMonthDay: new Set(byMonthDay) }),
    ...(byDay && { byDay }),
    times: times.sort((a, b) => a - b),
    ...(rule.bySetPos && { bySetPos: rule.bySetPos }),
    wkst: WEEKDAYS.indexOf(rule.wkst) + 1,
  };
}

/**
 * The year INTERVAL counts from. For BYWEEKNO the period is the week-numbering year; like libical,
 * a start in a week belonging to the neighbouring year anchors there only if that year still has
 * an occurrence at or after the start, otherwise at the start's calendar year.
 */
function periodAnchor(shape: YearlyShape, wallStart: number): number {
  const startDays = Math.floor(wallStart / SECONDS_PER_DAY);
  const { year } = civilFromDays(startDays);
  if (!shape.byWeekNo) return year;
  const weekYear = weekYearOf(startDays, shape.wkst);
  if (weekYear === year) return year;
  return periodWalls(shape, weekYear).some((w) => w >= wallStart) ? weekYear : year;
}

function periodStart(shape: YearlyShape, year: number): number {
  return shape.byWeekNo ? weekOneStart(year, shape.wkst) : daysFromCivil(year, 1, 1);
}

/**
 * All occurrence wall times of one yearly period, ascending, after BYSETPOS. The days are found
 * first and the candidates (days × times) charged to the budget before they are built, so a rule
 * with a huge period stops before it allocates.
 */
function periodWalls(shape: YearlyShape, year: number, budget?: WorkBudget): number[] {
  const first = periodStart(shape, year);
  const end = shape.byWeekNo ? weekOneStart(year + 1, shape.wkst) : daysFromCivil(year + 1, 1, 1);
  const nWeeks = shape.byWeekNo ? weeksInYear(year, shape.wkst) : 0;
  const matching: number[] = [];
  let { year: y, month: m, day: d } = civilFromDays(first);
  for (let days = first; days < end; days++) {
    if (dayMatches(shape, days, y, m, d, first, nWeeks)) matching.push(days);
    if (d < daysInMonth(y, m)) {
      d++;
    } else {
      d = 1;
      if (m < 12) {
        m++;
      } else {
        m = 1;
        y++;
      }
    }
  }
  budget?.spend(1 + matching.length * shape.times.length);
  const walls: number[] = [];
  for (const days of matching) for (const t of shape.times) walls.push(days * SECONDS_PER_DAY + t);
  return shape.bySetPos ? pickPositions(walls, shape.bySetPos) : walls;
}

function dayMatches(shape: YearlyShape, days: number, y: number, m: number, d: number, first: number, nWeeks: number): boolean {
  if (shape.byMonth && !shape.byMonth.has(m)) return false;
  if (shape.byWeekNo) {
    const week = Math.floor((days - first) / 7) + 1;
    if (!shape.byWeekNo.some((w) => w === week || w === week - nWeeks - 1)) return false;
  }
  const yearDay = days - daysFromCivil(y, 1, 1) + 1;
  const yearLength = daysInYear(y);
  if (shape.byYearDay && !shape.byYearDay.has(yearDay) && !shape.byYearDay.has(yearDay - yearLength - 1)) return false;
  const monthLength = daysInMonth(y, m);
  if (shape.byMonthDay && !shape.byMonthDay.has(d) && !shape.byMonthDay.has(d - monthLength - 1)) return false;
  if (shape.byDay) {
    const weekday = WEEKDAYS[isoWeekday(days) - 1];
    // Ordinals count within the month when BYMONTH is given, else within the year (RFC 5545).
    const [index, length] = shape.byMonth ? [d, monthLength] : [yearDay, yearLength];
    const nth = Math.floor((index - 1) / 7) + 1;
    const nthFromEnd = -(Math.floor((length - index) / 7) + 1);
    const ok = shape.byDay.some(
      (b) => b.weekday === weekday && (b.ordinal === undefined || b.ordinal === nth || b.ordinal === nthFromEnd),
    );
    if (!ok) return false;
  }
  return true;
}

/** BYSETPOS: 1-based positions from the start, negative from the end; result stays ascending. */
function pickPositions(walls: readonly number[], positions: readonly number[]): number[] {
  const picked = new Set<number>();
  for (const p of positions) {
    const index = p > 0 ? p - 1 : walls.length + p;
    if (index >= 0 && index < walls.length) picked.add(walls[index]);
  }
  return [...picked].sort((a, b) => a - b);
}
