/**
 * RRULE parsing and validation (RFC 5545 §3.3.10), restricted to what the calendar supports.
 * Every refusal is a RecurrenceRuleError whose message names the offending part.
 */
import { daysFromCivil, daysInMonth, SECONDS_PER_DAY } from './calendar-math.js';
import { RecurrenceRuleError } from './errors.js';
import { WEEKDAYS } from './types.js';
import type { ByDay, Frequency, ParsedRule, RuleUntil, Weekday } from './types.js';

/** Largest accepted INTERVAL; bigger values have no calendar use and only risk date overflow. */
export const MAX_INTERVAL = 10_000;
/** Largest accepted COUNT: a series longer than this could not be expanded within the work budget. */
export const MAX_COUNT = 50_000;

const KNOWN_PARTS = new Set([
  'FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYSECOND', 'BYMINUTE', 'BYHOUR', 'BYDAY',
  'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYMONTH', 'BYSETPOS', 'WKST',
]);
const SUPPORTED_FREQ = new Set<string>(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY']);

/** Numeric list parts: [min |value|, max |value|, negatives allowed]. Zero is never valid except for time parts. */
const NUMERIC_LISTS = {
  BYSECOND: [0, 59, false],
  BYMINUTE: [0, 59, false],
  BYHOUR: [0, 23, false],
  BYMONTHDAY: [1, 31, true],
  BYYEARDAY: [1, 366, true],
  BYWEEKNO: [1, 53, true],
  BYMONTH: [1, 12, false],
  BYSETPOS: [1, 366, true],
} as const satisfies Record<string, readonly [number, number, boolean]>;
type NumericListPart = keyof typeof NUMERIC_LISTS;

function fail(part: string, message: string): never {
  throw new RecurrenceRuleError(part, message);
}

/**
 * Validates a Feishu-style RRULE body (`FREQ=WEEKLY;BYDAY=MO`); a leading `RRULE:` is accepted and
 * stripped. Names and values are case-insensitive. Throws RecurrenceRuleError naming the problem.
 */
export function parseRecurrenceRule(text: string): ParsedRule {
  if (typeof text !== 'string') fail('RRULE', 'rule must be a string');
  const known = parsedRules.get(text);
  if (known) return known;
  const parsed = Object.freeze(parseUncached(text));
  // Bounded, oldest out: rule texts come from requests.
  if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.delete(parsedRules.keys().next().value!);
  parsedRules.set(text, parsed);
  return parsed;
}

/**
 * Parsed rules by text: every read of a series parses its rule again, and the same object lets
 * {@link planFor} reuse the series' expansion plan. Only rules that parse are kept.
 */
const parsedRules = new Map<string, ParsedRule>();
const PARSED_RULES_KEPT = 2000;

function parseUncached(text: string): ParsedRule {
  if (typeof text !== 'string') fail('RRULE', 'rule must be a string');
  let body = text.trim();
  if (/^RRULE:/i.test(body)) body = body.slice(6);
  if (body.endsWith(';')) body = body.slice(0, -1); // tolerated: some clients end with ';'
  if (body === '') fail('RRULE', 'rule is empty');

  const parts = new Map<string, string>();
  for (const segment of body.split(';')) {
    const eq = segment.indexOf('=');
    if (eq <= 0) fail('RRULE', `malformed part "${segment}" (expected NAME=VALUE)`);
    const name = segment.slice(0, eq).trim().toUpperCase();
    const value = segment.slice(eq + 1).trim().toUpperCase();
    if (name === 'RSCALE' || name === 'SKIP') fail(name, `${name} (RFC 7529) is not supported`);
    if (!KNOWN_PARTS.has(name)) fail(name, `unknown part ${name}`);
    if (parts.has(name)) fail(name, `${name} must not appear more than once`);
    if (value === '') fail(name, `${name} has an empty value`);
    parts.set(name, value);
  }

  const freqText = parts.get('FREQ') ?? fail('FREQ', 'FREQ is required');
  if (freqText === 'SECONDLY' || freqText === 'MINUTELY') fail('FREQ', `FREQ=${freqText} is not supported`);
  if (!SUPPORTED_FREQ.has(freqText)) fail('FREQ', `FREQ has an invalid value "${freqText}"`);
  const freq = freqText as Frequency;

  const interval = parts.has('INTERVAL') ? parseBoundedInt('INTERVAL', parts.get('INTERVAL')!, 1, MAX_INTERVAL) : 1;
  const count = parts.has('COUNT') ? parseBoundedInt('COUNT', parts.get('COUNT')!, 1, MAX_COUNT) : undefined;
  const until = parts.has('UNTIL') ? parseUntil(parts.get('UNTIL')!) : undefined;
  if (count !== undefined && until !== undefined) fail('COUNT', 'COUNT and UNTIL must not both be set');
  // Unbounded sub-daily series would emit 24 occurrences a day forever; no client creates them.
  if (freq === 'HOURLY' && count === undefined && until === undefined) {
    fail('FREQ', 'FREQ=HOURLY requires COUNT or UNTIL');
  }

  const lists: Partial<Record<NumericListPart, number[]>> = {};
  for (const part of Object.keys(NUMERIC_LISTS) as NumericListPart[]) {
    const value = parts.get(part);
    if (value !== undefined) lists[part] = parseNumericList(part, value);
  }
  const byDay = parts.has('BYDAY') ? parseByDay(parts.get('BYDAY')!) : undefined;
  const wkstText = parts.get('WKST') ?? 'MO';
  if (!isWeekday(wkstText)) fail('WKST', `WKST has an invalid value "${wkstText}"`);

  // RFC 5545 §3.3.10 restrictions on which parts go with which frequency.
  if (lists.BYWEEKNO && freq !== 'YEARLY') fail('BYWEEKNO', 'BYWEEKNO is only allowed with FREQ=YEARLY');
  if (lists.BYYEARDAY && (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY')) {
    fail('BYYEARDAY', `BYYEARDAY is not allowed with FREQ=${freq}`);
  }
  if (lists.BYMONTHDAY && freq === 'WEEKLY') fail('BYMONTHDAY', 'BYMONTHDAY is not allowed with FREQ=WEEKLY');
  if (byDay?.some((d) => d.ordinal !== undefined)) {
    if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
      fail('BYDAY', 'BYDAY ordinals (e.g. 2TU) are only allowed with FREQ=MONTHLY or FREQ=YEARLY');
    }
    if (lists.BYWEEKNO) fail('BYDAY', 'BYDAY ordinals are not allowed together with BYWEEKNO');
    if (freq === 'MONTHLY' && byDay.some((d) => Math.abs(d.ordinal ?? 0) > 5)) {
      fail('BYDAY', 'BYDAY ordinal out of range for FREQ=MONTHLY (must be within ±5)');
    }
  }
  if (lists.BYSETPOS) {
    const others = [...parts.keys()].some((p) => p.startsWith('BY') && p !== 'BYSETPOS');
    if (!others) fail('BYSETPOS', 'BYSETPOS requires another BYxxx part');
  }

  return {
    text,
    freq,
    interval,
    ...(count !== undefined && { count }),
    ...(until !== undefined && { until }),
    ...(lists.BYSECOND && { bySecond: lists.BYSECOND }),
    ...(lists.BYMINUTE && { byMinute: lists.BYMINUTE }),
    ...(lists.BYHOUR && { byHour: lists.BYHOUR }),
    ...(byDay && { byDay }),
    ...(lists.BYMONTHDAY && { byMonthDay: lists.BYMONTHDAY }),
    ...(lists.BYYEARDAY && { byYearDay: lists.BYYEARDAY }),
    ...(lists.BYWEEKNO && { byWeekNo: lists.BYWEEKNO }),
    ...(lists.BYMONTH && { byMonth: lists.BYMONTH }),
    ...(lists.BYSETPOS && { bySetPos: lists.BYSETPOS }),
    wkst: wkstText,
  };
}

function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}

function parseInteger(part: string, value: string): number {
  if (!/^[+-]?\d{1,7}$/.test(value)) fail(part, `${part} has an invalid value "${value}"`);
  return Number(value);
}

function parseBoundedInt(part: string, value: string, min: number, max: number): number {
  if (!/^\d{1,7}$/.test(value)) fail(part, `${part} must be a positive integer, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) fail(part, `${part} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function parseNumericList(part: NumericListPart, value: string): number[] {
  const [min, max, negatives] = NUMERIC_LISTS[part];
  const out = new Set<number>();
  for (const item of value.split(',')) {
    const n = parseInteger(part, item);
    const magnitude = Math.abs(n);
    if ((n < 0 || item.startsWith('-')) && !negatives) fail(part, `${part} must not be negative, got ${item}`);
    if (magnitude < min || magnitude > max) {
      fail(part, `${part} value ${item} out of range (${negatives ? '±' : ''}${min}..${max})`);
    }
    out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function parseByDay(value: string): ByDay[] {
  const seen = new Map<string, ByDay>();
  for (const item of value.split(',')) {
    const m = /^([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!m) fail('BYDAY', `BYDAY has an invalid value "${item}"`);
    const [, sign, digits, weekday] = m;
    if (digits === undefined) {
      if (sign !== '') fail('BYDAY', `BYDAY has an invalid value "${item}"`);
      seen.set(weekday, { weekday: weekday as Weekday });
      continue;
    }
    const magnitude = Number(digits);
    if (magnitude < 1 || magnitude > 53) fail('BYDAY', `BYDAY ordinal in "${item}" out of range (±1..53)`);
    const ordinal = sign === '-' ? -magnitude : magnitude;
    seen.set(`${ordinal}${weekday}`, { weekday: weekday as Weekday, ordinal });
  }
  return [...seen.values()].sort(
    (a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0) || WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday),
  );
}

function parseUntil(value: string): RuleUntil {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!m) fail('UNTIL', `UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSS[Z], got "${value}"`);
  const [, y, mo, d, hh, mi, ss, z] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    fail('UNTIL', `UNTIL is not a valid date: "${value}"`);
  }
  const date = `${y}-${mo}-${d}`;
  if (hh === undefined) return { kind: 'date', date };
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  if (hour > 23 || minute > 59 || second > 59) fail('UNTIL', `UNTIL is not a valid time: "${value}"`);
  if (z !== 'Z') return { kind: 'local', dateTime: `${date}T${hh}:${mi}:${ss}` };
  const epochSeconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  return { kind: 'utc', epochSeconds };
}
