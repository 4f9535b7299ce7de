import { invalidArgument } from '../errors.js';
import type { EventTime } from './types.js';

const DAY = 86_400;

/** Answers already found: building an Intl.DateTimeFormat per call profiled at ~10% of create. */
/** Zone name → its canonical spelling, or null when unknown. Building an Intl.DateTimeFormat costs tens of µs. */
const knownZones = new Map<string, string | null>();

function lookUpZone(name: string): string | null {
  if (name === '' || name.length > 64) return null;
  const known = knownZones.get(name);
  if (known !== undefined) return known;
  let canonical: string | null;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    canonical = null;
  }
  // Bounded: arbitrary names from requests must not grow it without limit.
  if (knownZones.size < 2000) knownZones.set(name, canonical);
  return canonical;
}

/** Whether an IANA zone name is known (aliases included). */
export function isTimeZone(name: string): boolean {
  return lookUpZone(name) !== null;
}

/** A known zone as the time zone database spells it (`asia/shanghai` → `Asia/Shanghai`); the name itself when unknown. */
export function canonicalTimeZone(name: string): string {
  return lookUpZone(name) ?? name;
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
  if (start.kind !== end.kind) throw invalidArgument('end', (n) => `${n('start')} and ${n('end')} must both be dates or both be timestamps`);
  if (start.kind === 'date') {
    if (epochOf(end) <= epochOf(start)) throw invalidArgument('end', (n) => `${n('end.date')} must not be before ${n('start.date')}`);
  } else if (epochOf(end) < epochOf(start)) {
    throw invalidArgument('end', (n) => `${n('end')} must not be before ${n('start')}`);
  }
}
