/**
 * Start-dependent adjustments applied before expansion, shared by both engines, and a cheap
 * static check for rules that can never produce an occurrence.
 */
import { civilFromDays } from './calendar-math.js';
import type { ParsedRule } from './types.js';

/** Longest each month can be (February in a leap year). */
const MAX_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Adjusts a rule to its series start:
 * - all-day series drop BYHOUR/BYMINUTE/BYSECOND (RFC 5545: they MUST be ignored with a DATE start);
 * - FREQ=YEARLY with BYMONTHDAY but no BYMONTH/BYWEEKNO/BYYEARDAY takes the month from the start,
 *   as libical does (`FREQ=YEARLY;BYMONTHDAY=29` from Feb 29 means every Feb 29, not every 29th).
 */
export function normalizeForStart(rule: ParsedRule, allDay: boolean, startDays: number): ParsedRule {
  let out = rule;
  if (allDay && (rule.byHour || rule.byMinute || rule.bySecond)) {
    const { byHour: _h, byMinute: _m, bySecond: _s, ...rest } = rule;
    out = rest;
  }
  if (out.freq === 'YEARLY' && out.byMonthDay && !out.byMonth && !out.byWeekNo && !out.byYearDay) {
    out = { ...out, byMonth: [civilFromDays(startDays).month] };
  }
  return out;
}

/**
 * True when the date parts exclude every possible day, e.g. BYMONTH=2;BYMONTHDAY=30. Such rules
 * are answered at once instead of being searched until the work budget runs out.
 */
export function canNeverMatch(rule: ParsedRule): boolean {
  const { byMonthDay } = rule;
  if (!byMonthDay) return false;
  const months = rule.byMonth ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return !months.some((m) => byMonthDay.some((d) => Math.abs(d) <= MAX_MONTH_DAYS[m - 1]));
}
