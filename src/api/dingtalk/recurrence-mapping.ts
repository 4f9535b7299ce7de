/**
 * DingTalk's recurrence object ⇄ an RFC 5545 RRULE body, the core's form. Pure: the series start is
 * passed in (it supplies what DingTalk leaves implicit: the weekday of a weekly rule without
 * daysOfWeek, the day and month of monthly and yearly rules).
 */
import type { EventTime } from '../../core/events/types.js';
import { formatRecurrenceRule, parseRecurrenceRule, WEEKDAYS } from '../../core/recurrence/index.js';
import type { ByDay, ParsedRule, RuleUntil, Weekday } from '../../core/recurrence/index.js';
import { dateOf, dateParts, formatDateTime, formatUtc, fromWallTime, isDate, parseDateTime, zonedParts } from './date-time.js';
import { DINGTALK_MESSAGES, DingtalkError } from './errors.js';

/** Day names in ISO order, index for index with the RRULE codes of WEEKDAYS. */
export const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type DayName = (typeof DAY_NAMES)[number];

export const PATTERN_TYPES = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly'] as const;
export type PatternType = (typeof PATTERN_TYPES)[number];
export const RANGE_TYPES = ['noEnd', 'endDate', 'numbered'] as const;
export type RangeType = (typeof RANGE_TYPES)[number];

/** relativeMonthly's week of the month ⇄ an RRULE ordinal. */
export const WEEK_INDEX = { first: 1, second: 2, third: 3, fourth: 4, last: -1 } as const;
export type WeekIndex = keyof typeof WEEK_INDEX;

export const LIMITS = { interval: [1, 365], numberOfOccurrences: [1, 99] } as const;

export interface RecurrencePatternWire {
  readonly type?: string;
  readonly dayOfMonth?: number;
  /** Lower-case English day names, comma-separated. */
  readonly daysOfWeek?: string;
  readonly index?: string;
  readonly interval?: number;
  readonly firstDayOfWeek?: string;
}

export interface RecurrenceRangeWire {
  readonly type?: string;
  readonly endDate?: string;
  readonly numberOfOccurrences?: number;
}

export interface RecurrenceWire {
  readonly pattern?: RecurrencePatternWire;
  readonly range?: RecurrenceRangeWire;
}

const fail = (message: string): never => {
  throw new DingtalkError('invalidParameter', message);
};

const has = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** What the series start says about the implicit parts of a rule. */
function startFacts(start: EventTime): { weekday: number; day: number; month: number } {
  return start.kind === 'date' ? dateParts(start.date) : zonedParts(start.epoch, start.timeZone);
}

function parseDays(text: string, field: string): Weekday[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) fail(`Recurrence pattern ${field} must name at least one day`);
  return names.map((n) => (has(DAY_NAMES, n) ? WEEKDAYS[DAY_NAMES.indexOf(n)] : fail(`Recurrence pattern ${field} has an unknown day "${n}"`)));
}

const dayName = (w: Weekday): DayName => DAY_NAMES[WEEKDAYS.indexOf(w)];
const compactDate = (date: string): string => date.replace(/-/g, '');
const compactUtc = (epoch: number): string => formatUtc(epoch).replace(/[-:]/g, '');

function untilPart(endDate: string, start: EventTime): string {
  if (start.kind === 'date') {
    // An all-day series ends on a date (RFC 5545: UNTIL takes the type of DTSTART).
    const date = dateOf(endDate) ?? fail(`Recurrence range endDate "${endDate}" is not an ISO-8601 date or date-time`);
    return `UNTIL=${compactDate(date)}`;
  }
  if (isDate(endDate)) return `UNTIL=${compactDate(endDate)}`;
  const epoch = parseDateTime(endDate, start.timeZone) ?? fail(`Recurrence range endDate "${endDate}" is not an ISO-8601 date or date-time`);
  return `UNTIL=${compactUtc(epoch)}`;
}

/**
 * An RRULE body for a DingTalk recurrence, in the core's canonical form. Refusals are
 * `invalidParameter` with the platform's messages where it has them.
 */
export function recurrenceToRule(recurrence: RecurrenceWire, start: EventTime): string {
  const p = recurrence.pattern;
  if (!p || p.type === undefined || p.type === '') return fail('Recurrence pattern type must be set');
  if (!has(PATTERN_TYPES, p.type)) return fail(`Recurrence pattern type must be one of ${PATTERN_TYPES.join(', ')}`);
  const interval = p.interval ?? 1;
  if (!Number.isInteger(interval) || interval < LIMITS.interval[0] || interval > LIMITS.interval[1]) fail(DINGTALK_MESSAGES.intervalRange);
  const range = recurrence.range ?? {};
  const count = range.numberOfOccurrences;
  if (count !== undefined && (!Number.isInteger(count) || count < LIMITS.numberOfOccurrences[0] || count > LIMITS.numberOfOccurrences[1])) {
    fail(DINGTALK_MESSAGES.occurrencesRange);
  }
  const endDate = range.endDate !== undefined && range.endDate !== '' ? range.endDate : undefined;
  if (endDate !== undefined && count !== undefined) fail('Recurrence range endDate and numberOfOccurrences cannot both be set');
  const rangeType = range.type ?? (endDate !== undefined ? 'endDate' : count !== undefined ? 'numbered' : 'noEnd');
  if (!has(RANGE_TYPES, rangeType)) fail(`Recurrence range type must be one of ${RANGE_TYPES.join(', ')}`);
  if (rangeType === 'endDate' && endDate === undefined) fail('Recurrence range endDate must be set when the range type is endDate');
  if (rangeType === 'numbered' && count === undefined) fail('Recurrence range numberOfOccurrences must be set when the range type is numbered');
  if (rangeType === 'noEnd' && (endDate !== undefined || count !== undefined)) fail('Recurrence range of type noEnd takes neither endDate nor numberOfOccurrences');

  const facts = startFacts(start);
  const dayOfMonth = (d: number | undefined): number => {
    const value = d ?? facts.day;
    return Number.isInteger(value) && value >= 1 && value <= 31 ? value : fail('Recurrence pattern dayOfMonth must be between 1 and 31');
  };
  const parts: string[] = [];
  switch (p.type) {
    case 'daily':
      parts.push('FREQ=DAILY');
      break;
    case 'weekly': {
      const days = p.daysOfWeek !== undefined && p.daysOfWeek !== '' ? parseDays(p.daysOfWeek, 'daysOfWeek') : [WEEKDAYS[facts.weekday - 1]];
      parts.push('FREQ=WEEKLY', `BYDAY=${days.join(',')}`);
      break;
    }
    case 'absoluteMonthly':
      parts.push('FREQ=MONTHLY', `BYMONTHDAY=${dayOfMonth(p.dayOfMonth)}`);
      break;
    case 'relativeMonthly': {
      if (p.index === undefined || !has(Object.keys(WEEK_INDEX) as WeekIndex[], p.index)) {
        fail(`Recurrence pattern index must be one of ${Object.keys(WEEK_INDEX).join(', ')} for relativeMonthly`);
      }
      if (p.daysOfWeek === undefined || p.daysOfWeek === '') fail('Recurrence pattern daysOfWeek must be set for relativeMonthly');
      const ordinal = WEEK_INDEX[p.index as WeekIndex];
      const days = [...new Set(parseDays(p.daysOfWeek!, 'daysOfWeek'))];
      // One day: "the 2nd Tuesday". Several: the index-th of any of those days (Outlook's meaning).
      if (days.length === 1) parts.push('FREQ=MONTHLY', `BYDAY=${ordinal}${days[0]}`);
      else parts.push('FREQ=MONTHLY', `BYDAY=${days.join(',')}`, `BYSETPOS=${ordinal}`);
      break;
    }
    case 'absoluteYearly':
      parts.push('FREQ=YEARLY');
      // DingTalk names no month: the year's occurrence falls in the start's month.
      if (p.dayOfMonth !== undefined) parts.push(`BYMONTH=${facts.month}`, `BYMONTHDAY=${dayOfMonth(p.dayOfMonth)}`);
      break;
  }
  if (interval !== 1) parts.push(`INTERVAL=${interval}`);
  if (rangeType === 'numbered') parts.push(`COUNT=${count}`);
  if (rangeType === 'endDate') parts.push(untilPart(endDate!, start));
  if (p.firstDayOfWeek !== undefined && p.firstDayOfWeek !== '') {
    const first = p.firstDayOfWeek.toLowerCase();
    if (!has(DAY_NAMES, first)) fail(`Recurrence pattern firstDayOfWeek must be one of ${DAY_NAMES.join(', ')}`);
    parts.push(`WKST=${WEEKDAYS[DAY_NAMES.indexOf(first as DayName)]}`);
  } else if (p.type === 'weekly') {
    // DingTalk's weeks start on Sunday unless told otherwise; RRULE's on Monday.
    parts.push('WKST=SU');
  }
  return formatRecurrenceRule(parseRecurrenceRule(parts.join(';')));
}

/** A recurrence as DingTalk sends it: every field typed as the SDK's response models expect. */
export interface RecurrenceOut {
  pattern: { type: PatternType; interval: number; daysOfWeek?: string; dayOfMonth?: number; index?: WeekIndex; firstDayOfWeek?: DayName };
  range: { type: RangeType; endDate?: string; numberOfOccurrences?: number };
}

function untilOut(until: RuleUntil, start: EventTime): string {
  switch (until.kind) {
    case 'date':
      return until.date;
    case 'utc':
      return start.kind === 'timed' ? formatDateTime(until.epochSeconds, start.timeZone) : formatUtc(until.epochSeconds);
    case 'local':
      return start.kind === 'timed' ? formatDateTime(fromWallTime(until.dateTime, start.timeZone), start.timeZone) : until.dateTime.slice(0, 10);
  }
}

const indexOf = (ordinal: number): WeekIndex | undefined =>
  (Object.keys(WEEK_INDEX) as WeekIndex[]).find((k) => WEEK_INDEX[k] === ordinal);

const plain = (days: readonly ByDay[]): boolean => days.every((d) => d.ordinal === undefined);
const names = (days: readonly ByDay[]): string => days.map((d) => dayName(d.weekday)).join(',');

function patternOf(rule: ParsedRule, start: EventTime): RecurrenceOut['pattern'] | undefined {
  const facts = startFacts(start);
  const { byDay, byMonthDay, byMonth, bySetPos } = rule;
  switch (rule.freq) {
    case 'DAILY':
      if (byMonthDay || byMonth || bySetPos) return undefined;
      if (!byDay) return { type: 'daily', interval: rule.interval };
      // Every day that is one of these weekdays is a weekly rule on them.
      return plain(byDay) && rule.interval === 1 ? { type: 'weekly', interval: 1, daysOfWeek: names(byDay) } : undefined;
    case 'WEEKLY':
      if (byMonthDay || byMonth || bySetPos || (byDay && !plain(byDay))) return undefined;
      return { type: 'weekly', interval: rule.interval, daysOfWeek: byDay ? names(byDay) : DAY_NAMES[facts.weekday - 1] };
    case 'MONTHLY': {
      if (byMonth) return undefined;
      if (byMonthDay) {
        return !byDay && !bySetPos && byMonthDay.length === 1 && byMonthDay[0] > 0
          ? { type: 'absoluteMonthly', interval: rule.interval, dayOfMonth: byMonthDay[0] } : undefined;
      }
      if (!byDay) return bySetPos ? undefined : { type: 'absoluteMonthly', interval: rule.interval, dayOfMonth: facts.day };
      if (plain(byDay)) {
        const index = bySetPos?.length === 1 ? indexOf(bySetPos[0]) : undefined;
        return index ? { type: 'relativeMonthly', interval: rule.interval, index, daysOfWeek: names(byDay) } : undefined;
      }
      const index = !bySetPos && byDay.length === 1 ? indexOf(byDay[0].ordinal!) : undefined;
      return index ? { type: 'relativeMonthly', interval: rule.interval, index, daysOfWeek: dayName(byDay[0].weekday) } : undefined;
    }
    case 'YEARLY': {
      if (byDay || bySetPos) return undefined;
      // A month other than the start's, or a day in every month, is more than DingTalk can say.
      if (byMonth && (byMonth.length !== 1 || byMonth[0] !== facts.month)) return undefined;
      if (byMonthDay && (!byMonth || byMonthDay.length !== 1 || byMonthDay[0] < 1)) return undefined;
      if (byMonth && !byMonthDay) return undefined;
      return { type: 'absoluteYearly', interval: rule.interval, dayOfMonth: byMonthDay ? byMonthDay[0] : facts.day };
    }
    default:
      return undefined;
  }
}

/**
 * DingTalk's recurrence for an RRULE body, or undefined when DingTalk cannot express the rule (for
 * example an event made through Feishu with `FREQ=MONTHLY;BYMONTHDAY=1,15`).
 */
export function ruleToRecurrence(text: string, start: EventTime): RecurrenceOut | undefined {
  let rule: ParsedRule;
  try {
    rule = parseRecurrenceRule(text);
  } catch {
    return undefined;
  }
  if (rule.bySecond || rule.byMinute || rule.byHour || rule.byYearDay || rule.byWeekNo) return undefined;
  const pattern = patternOf(rule, start);
  if (!pattern) return undefined;
  if (/(^|;)\s*WKST=/i.test(rule.text) || pattern.type === 'weekly') pattern.firstDayOfWeek = dayName(rule.wkst);
  const range: RecurrenceOut['range'] = rule.count !== undefined ? { type: 'numbered', numberOfOccurrences: rule.count }
    : rule.until ? { type: 'endDate', endDate: untilOut(rule.until, start) } : { type: 'noEnd' };
  return { pattern, range };
}
