import { invalidArgument } from '../errors.js';
import type { EventTime } from './types.js';

const DAY = 86_400;

/** Whether an IANA zone name is known (aliases included). */
export function isTimeZone(name: string): boolean {
  if (name === '' || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Days since 1970-01-01 of a valid `YYYY-MM-DD`, or undefined. */
export function dateToDays(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / 1000 / DAY;
}

export function daysToDate(days: number): string {
  return new Date(days * DAY * 1000).toISOString().slice(0, 10);
}

export const addDays = (date: string, n: number): string => daysToDate(dateToDays(date)! + n);

/** The instant an event time stands for: an all-day date is 00:00 UTC. */
export function epochOf(t: EventTime): number {
  return t.kind === 'timed' ? t.epoch : dateToDays(t.date)! * DAY;
}

/** Start and end must be of one kind, and the end must not come before the start. */
export function checkTimeRange(start: EventTime, end: EventTime): void {
  if (start.kind !== end.kind) throw invalidArgument('end_time', 'start_time and end_time must both be dates or both be timestamps');
  if (start.kind === 'date') {
    if (epochOf(end) <= epochOf(start)) throw invalidArgument('end_time', 'end_time.date must not be before start_time.date');
  } else if (epochOf(end) < epochOf(start)) {
    throw invalidArgument('end_time', 'end_time must not be before start_time');
  }
}
