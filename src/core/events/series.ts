import { expandOccurrences, expandWithin, RecurrenceLimitError, seriesLastStart } from '../recurrence/index.js';
import type { SeriesStart } from '../recurrence/index.js';
import type { ReadBudget } from './read-budget.js';
import { addDays, daysToDate, epochOf } from './time.js';
import type { CalendarEvent, EventTime } from './types.js';
import { eventIdOf } from './types.js';

const DAY = 86_400;
/** Where an open-ended series' range ends in the index: 9999-12-31T23:59:59Z. */
const FAR_FUTURE = 253_402_300_799;

/** One occurrence of an event: a plain instance of a series, an exception, or a single event. */
export interface Occurrence {
  readonly event: CalendarEvent;
  readonly kind: 'single' | 'instance' | 'exception';
}

export const seriesStartOf = (t: EventTime): SeriesStart =>
  t.kind === 'timed' ? { kind: 'timed', epochSeconds: t.epoch, timeZone: t.timeZone } : { kind: 'date', date: t.date };

/** The event a series shows at one original start: the master's fields at that time. */
export function instanceAt(master: CalendarEvent, originalStart: number): CalendarEvent {
  const duration = epochOf(master.end) - epochOf(master.start);
  let start: EventTime;
  let end: EventTime;
  if (master.start.kind === 'timed' && master.end.kind === 'timed') {
    start = { kind: 'timed', epoch: originalStart, timeZone: master.start.timeZone };
    end = { kind: 'timed', epoch: originalStart + duration, timeZone: master.end.timeZone };
  } else {
    const date = daysToDate(Math.floor(originalStart / DAY));
    start = { kind: 'date', date };
    end = { kind: 'date', date: addDays(date, Math.round(duration / DAY)) };
  }
  return { ...master, originalStart, start, end, recurrence: '', recurringEventId: eventIdOf(master), idempotencyKey: null };
}

/**
 * Original starts of a series' occurrences whose time meets [from, to). The series' own start is
 * always its first occurrence, as Feishu and DingTalk show it, even where the rule would skip it,
 * and it counts toward COUNT (RFC 5545 DTSTART): `FREQ=WEEKLY;BYDAY=WE;COUNT=3` from a Tuesday is
 * that Tuesday and two Wednesdays. Every path that asks which occurrences a series has comes
 * through here or `eventRange`, which read the rule the same way.
 * Work is charged to the request's budget; a series it cannot expand to `to` is recorded in
 * `budget.cut` with the instant its known occurrences reach. Without a budget the call has the
 * recurrence engine's own (and throws RecurrenceLimitError past it).
 */
export function occurrenceStarts(master: CalendarEvent, from: number, to: number, limit: number, budget?: ReadBudget): number[] {
  const first = epochOf(master.start);
  const duration = epochOf(master.end) - first;
  // An occurrence that started before `from` still meets the window while it lasts.
  const expandFrom = Math.max(first, from - Math.max(duration, 1) + 1);
  const input = {
    rule: master.recurrence, start: seriesStartOf(master.start), fromEpoch: expandFrom, toEpoch: to, maxOccurrences: limit + 1, startIsOccurrence: true,
  };
  const expanded = budget ? expandWithin({ ...input, budget: budget.work }) : undefined;
  if (expanded?.exhausted) budget!.cut.push({ master, from: Math.max(from, expanded.scannedTo) });
  const starts = expanded?.starts ?? [...expandOccurrences(input)];
  return starts.filter((s) => s + Math.max(duration, 0) > from || (duration === 0 && s >= from));
}

/**
 * The instants an event covers, as the store indexes them: a series spans all its occurrences, up
 * to the end of its last one (read as `occurrenceStarts` does), or to 9999 when it never ends.
 */
export function eventRange(e: Pick<CalendarEvent, 'start' | 'end' | 'recurrence'>): { start: number; end: number } {
  const start = epochOf(e.start);
  const duration = epochOf(e.end) - start;
  if (!e.recurrence) return { start, end: start + duration };
  let last: number | null;
  try {
    // With the start an occurrence, a bounded series always has a last one: null means unbounded.
    last = seriesLastStart(e.recurrence, seriesStartOf(e.start), [], { startIsOccurrence: true });
  } catch (error) {
    // A stored rule too costly to end-search (from before write-time checks): index it as open-ended.
    if (!(error instanceof RecurrenceLimitError)) throw error;
    last = null;
  }
  return { start, end: last === null ? FAR_FUTURE : Math.max(start, last) + duration };
}

/** Whether `originalStart` is an occurrence of the series. */
export function isOccurrence(master: CalendarEvent, originalStart: number, budget?: ReadBudget): boolean {
  // Asked for the occurrences meeting a window that opens as late as this one may start, so that
  // earlier ones still lasting (a series longer than its interval) do not use up the limit.
  const duration = Math.max(1, epochOf(master.end) - epochOf(master.start));
  return occurrenceStarts(master, originalStart + duration - 1, originalStart + 1, 1, budget).includes(originalStart);
}

/** Whether an event's time meets [from, to): it starts before `to` and ends after `from`, or is zero-length at or after `from`. */
export const meets = (e: CalendarEvent, from: number, to: number) => {
  const s = epochOf(e.start);
  const end = epochOf(e.end);
  return s < to && (end > from || (end === s && s >= from));
};

/**
 * The occurrences of one event in [from, to): a single event as itself; a series expanded, with its
 * exceptions in place of the instances they replace and cancelled occurrences left out.
 */
export function occurrencesIn(master: CalendarEvent, exceptions: readonly CalendarEvent[], from: number, to: number, limit: number, budget?: ReadBudget): Occurrence[] {
  if (!master.recurrence) return master.status !== 'cancelled' && meets(master, from, to) ? [{ event: master, kind: 'single' }] : [];
  const byStart = new Map(exceptions.filter((e) => e.extensions.detached !== true).map((e) => [e.originalStart, e]));
  const out: Occurrence[] = [];
  for (const start of occurrenceStarts(master, from, to, limit, budget)) {
    const exception = byStart.get(start);
    if (exception) continue;
    out.push({ event: instanceAt(master, start), kind: 'instance' });
  }
  // Exceptions show at their own (possibly moved) time, wherever their original start was.
  for (const e of byStart.values()) {
    if (e.status !== 'cancelled' && meets(e, from, to)) out.push({ event: e, kind: 'exception' });
  }
  return out.sort((a, b) => epochOf(a.event.start) - epochOf(b.event.start) || a.event.originalStart - b.event.originalStart);
}
