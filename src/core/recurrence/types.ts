/** Shared types of the recurrence engine. */

/** Frequencies the engine accepts (SECONDLY and MINUTELY are refused at parse time). */
export type Frequency = 'YEARLY' | 'MONTHLY' | 'WEEKLY' | 'DAILY' | 'HOURLY';

/** RFC 5545 weekday codes in ISO order: index + 1 is the ISO weekday (Monday = 1). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Start of a series: timed (epoch seconds + IANA zone) or all-day (a calendar date, expanded by date in UTC). */
export type SeriesStart =
  | { readonly kind: 'timed'; readonly epochSeconds: number; readonly timeZone: string }
  | { readonly kind: 'date'; readonly date: string /* YYYY-MM-DD */ };

/** One BYDAY entry: a weekday, optionally with an ordinal (`2TU` → ordinal 2, `-1FR` → -1). */
export interface ByDay {
  readonly weekday: Weekday;
  /** Nth occurrence within the month/year; absent for a plain weekday. */
  readonly ordinal?: number;
}

/**
 * UNTIL in the form it was written:
 * - `utc`: `YYYYMMDDTHHMMSSZ`, an instant;
 * - `date`: `YYYYMMDD`, inclusive through the end of that day in the series' zone;
 * - `local`: `YYYYMMDDTHHMMSS` (floating), a wall-clock time in the series' zone.
 */
export type RuleUntil =
  | { readonly kind: 'utc'; readonly epochSeconds: number }
  | { readonly kind: 'date'; readonly date: string /* YYYY-MM-DD */ }
  | { readonly kind: 'local'; readonly dateTime: string /* YYYY-MM-DDTHH:MM:SS */ };

/** A validated, normalized RRULE. List parts are deduplicated and sorted; absent parts are undefined. */
export interface ParsedRule {
  /** The rule text as given (including an `RRULE:` prefix if there was one). */
  readonly text: string;
  readonly freq: Frequency;
  /** ≥ 1; defaults to 1. */
  readonly interval: number;
  readonly count?: number;
  readonly until?: RuleUntil;
  readonly bySecond?: readonly number[];
  readonly byMinute?: readonly number[];
  readonly byHour?: readonly number[];
  readonly byDay?: readonly ByDay[];
  readonly byMonthDay?: readonly number[];
  readonly byYearDay?: readonly number[];
  readonly byWeekNo?: readonly number[];
  readonly byMonth?: readonly number[];
  readonly bySetPos?: readonly number[];
  /** Week start; defaults to `MO`. */
  readonly wkst: Weekday;
}
