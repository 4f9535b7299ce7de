import { invalidArgument } from '../../../../../core/errors.js';
import type { BusyInterval } from '../../../../../core/service/event-service.js';

/** The longest window free/busy answers: 90 days. */
export const FREEBUSY_MAX_SECONDS = 90 * 86_400;

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses time_min/time_max (RFC 3339 date-time) and checks the 90-day bound. */
export function freebusyWindow(timeMin: string, timeMax: string): { from: number; to: number; offset: string } {
  const min = RFC3339.exec(timeMin);
  if (!min) throw invalidArgument('time_min', 'must be an RFC 3339 date-time, e.g. 2026-11-21T09:00:00+08:00');
  if (!RFC3339.test(timeMax)) throw invalidArgument('time_max', 'must be an RFC 3339 date-time, e.g. 2026-11-21T18:00:00+08:00');
  const from = Math.floor(Date.parse(timeMin) / 1000);
  const to = Math.floor(Date.parse(timeMax) / 1000);
  if (!Number.isFinite(from)) throw invalidArgument('time_min', 'is not a valid date-time');
  if (!Number.isFinite(to)) throw invalidArgument('time_max', 'is not a valid date-time');
  if (to <= from) throw invalidArgument('time_max', 'must be after time_min');
  if (to - from > FREEBUSY_MAX_SECONDS) throw invalidArgument('time_max', 'the window may span at most 90 days');
  return { from, to, offset: min[4] };
}

/** An instant as RFC 3339 in the caller's own offset (the offset time_min was given in). */
export function rfc3339(epoch: number, offset: string): string {
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date((epoch + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${offset === 'Z' ? 'Z' : offset}`;
}

export function busyToWire(items: readonly BusyInterval[], offset: string, needRsvp: boolean | undefined) {
  return items.map((b) => ({ start_time: rfc3339(b.start, offset), end_time: rfc3339(b.end, offset), ...(needRsvp ? { rsvp_status: b.rsvp } : {}) }));
}
