import { Temporal } from 'temporal-polyfill';
import { dateToDays, isTimeZone } from '../../core/events/time.js';

/** DingTalk's zone when a response must name one and the event has none (free/busy, all-day metadata). */
export const DEFAULT_ZONE = 'Asia/Shanghai';

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export { isTimeZone };

/** Whether a text is a valid `yyyy-MM-dd`. */
export const isDate = (text: string): boolean => dateToDays(text) !== undefined;

/**
 * Epoch seconds of an ISO-8601 date-time. With an offset (or `Z`) it is that instant; without one it
 * is a wall time in `zone`. A space where the offset's `+` was is taken as `+`: a `+` in a query
 * string that was not percent-encoded decodes to a space. Undefined when the text is not one.
 */
export function parseDateTime(text: string, zone: string = DEFAULT_ZONE): number | undefined {
  const fixed = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const m = ISO_DATE_TIME.exec(fixed);
  if (!m || !isDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return undefined;
  try {
    if (m[5]) return Math.floor(Temporal.Instant.from(fixed.toUpperCase()).epochMilliseconds / 1000);
    const wall = Temporal.PlainDateTime.from(fixed);
    return Math.floor(wall.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds / 1000);
  } catch {
    return undefined;
  }
}

/** Shanghai has kept +08:00 without DST since 1991-09-15: from 1992 on its time is plain arithmetic. */
const SHANGHAI_FIXED_FROM = 694_224_000;

/** `2020-01-01T10:15:30+08:00`: an instant shown in a zone, to the second. */
export function formatDateTime(epochSeconds: number, zone: string = DEFAULT_ZONE): string {
  // Free/busy answers format thousands of instants in this zone; Temporal takes ~100 µs each.
  if (zone === 'Asia/Shanghai' && epochSeconds >= SHANGHAI_FIXED_FROM && epochSeconds < 253_402_300_800 - 8 * 3600) {
    return `${new Date((epochSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19)}+08:00`;
  }
  return Temporal.Instant.fromEpochMilliseconds(epochSeconds * 1000).toZonedDateTimeISO(zone)
    .toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

/** `2020-01-01T02:15:30Z`: an instant in UTC, as DingTalk gives `originStart`. */
export const formatUtc = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The calendar date (`yyyy-MM-dd`) of an ISO-8601 date-time in its own offset, or of a plain date. */
export function dateOf(text: string): string | undefined {
  if (isDate(text)) return text;
  const m = ISO_DATE_TIME.exec(text.trim());
  return m && isDate(m[1]) ? m[1] : undefined;
}

/** Year, month, day and ISO weekday (Monday 1) of an instant in a zone. */
export function zonedParts(epochSeconds: number, zone: string): { year: number; month: number; day: number; weekday: number } {
  const z = Temporal.Instant.fromEpochMilliseconds(epochSeconds * 1000).toZonedDateTimeISO(zone);
  return { year: z.year, month: z.month, day: z.day, weekday: z.dayOfWeek };
}

/** Year, month, day and ISO weekday of a `yyyy-MM-dd`. */
export function dateParts(date: string): { year: number; month: number; day: number; weekday: number } {
  const d = Temporal.PlainDate.from(date);
  return { year: d.year, month: d.month, day: d.day, weekday: d.dayOfWeek };
}

/** The wall time (`yyyy-MM-ddTHH:mm:ss`) of an instant in a zone. */
export function wallTime(epochSeconds: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(epochSeconds * 1000).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: 'second' });
}

/** Epoch seconds of a wall time (`yyyy-MM-ddTHH:mm:ss`) in a zone. */
export function fromWallTime(wall: string, zone: string): number {
  return Math.floor(Temporal.PlainDateTime.from(wall).toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds / 1000);
}
