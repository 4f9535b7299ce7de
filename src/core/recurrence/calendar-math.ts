/**
 * Proleptic Gregorian date arithmetic on integer day numbers (days since 1970-01-01). The engine
 * works on "wall seconds" — a local date-time counted as if it were UTC — so date math stays
 * plain integer arithmetic and time zones are applied only once, when emitting an occurrence.
 */

export const SECONDS_PER_DAY = 86_400;

/** A calendar date split into fields. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link daysFromCivil}. */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** ISO weekday of a day number: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday). */
export function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** Day number of the first day of week 1 of `year`, weeks starting on ISO weekday `wkst`. */
export function weekOneStart(year: number, wkst: number): number {
  // Week 1 is the first week with at least four days in the year, i.e. the week holding Jan 4.
  const jan4 = daysFromCivil(year, 1, 4);
  return jan4 - ((isoWeekday(jan4) - wkst + 7) % 7);
}

/** Number of weeks (52 or 53) in the week-numbering year `year`. */
export function weeksInYear(year: number, wkst: number): number {
  return (weekOneStart(year + 1, wkst) - weekOneStart(year, wkst)) / 7;
}

/** Week-numbering year that contains a day, for weeks starting on `wkst`. */
export function weekYearOf(days: number, wkst: number): number {
  const { year } = civilFromDays(days);
  if (days < weekOneStart(year, wkst)) return year - 1;
  if (days >= weekOneStart(year + 1, wkst)) return year + 1;
  return year;
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Parses `YYYY-MM-DD` into a day number, or undefined if it is not a real date. */
export function parseIsoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}
