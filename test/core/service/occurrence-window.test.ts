// The windowed read stays bounded: rows without a rule up to the number wanted, series in batches of
// SERIES_BATCH, and a window more than SERIES_PER_WINDOW series meet is refused, not answered in part.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../../src/core/errors.js';
import type { CalendarEvent } from '../../../src/core/events/types.js';
import type { StoreReader, WindowRowQuery } from '../../../src/core/ports.js';
import { SERIES_BATCH, SERIES_PER_WINDOW, occurrencesInWindow } from '../../../src/core/service/occurrence-window.js';

const DAY = 86_400;
const BASE = 1_767_225_600;

function event(i: number, start: number, recurrence: string): CalendarEvent {
  return {
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, originalStart: 0, calendarId: 'c', tenantKey: 't', creator: 'u:x', summary: '', description: '',
    start: { kind: 'timed', epoch: start, timeZone: 'UTC' }, end: { kind: 'timed', epoch: start + 3600, timeZone: 'UTC' }, vchat: null, visibility: 'default',
    attendeeAbility: 'none', freeBusyStatus: 'busy', location: null, recurrence, schemas: [], attachments: [], checkIn: null, source: '', status: 'confirmed',
    recurringEventId: '', color: -1, reminders: [], createTime: 0, updateTime: 0, seq: 1, idempotencyKey: null, extensions: {},
  };
}

/** A reader over fixed rows that answers the window reads as the stores do, and records what was asked. */
function reader(singles: CalendarEvent[], series: CalendarEvent[]) {
  const asked: Array<{ read: 'singles' | 'series'; limit: number; returned: number }> = [];
  const page = (rows: CalendarEvent[], w: WindowRowQuery) => rows
    .filter((e) => (e.start as { epoch: number }).epoch < w.to)
    .filter((e) => !w.after || (e.start as { epoch: number }).epoch > w.after.start || ((e.start as { epoch: number }).epoch === w.after.start && `${e.uid}_0` > w.after.eventId))
    .slice(0, w.limit);
  const events = {
    async singlesInWindow(_c: string, w: WindowRowQuery) {
      const out = page(singles.filter((e) => (e.end as { epoch: number }).epoch > w.from), w);
      asked.push({ read: 'singles', limit: w.limit, returned: out.length });
      return out;
    },
    async seriesInWindow(_c: string, w: WindowRowQuery) {
      const out = page(series, w);
      asked.push({ read: 'series', limit: w.limit, returned: out.length });
      return out;
    },
    async exceptionsOf() { return []; },
    async mastersOf() { return []; },
  };
  return { r: { events } as unknown as StoreReader, asked };
}

describe('occurrencesInWindow', () => {
  // Every series starts at the same instant (one expansion plan) a year before the window; the window holds its second occurrence.
  const from = BASE + 365 * DAY - 1800;
  const to = from + 3600;
  const many = (n: number) => Array.from({ length: n }, (_, i) => event(i, BASE, 'FREQ=YEARLY'));

  test(`${SERIES_PER_WINDOW} series are expanded in batches of ${SERIES_BATCH}; rows without a rule up to limit + 1`, async () => {
    // 1,799 single events, all starting after the series' occurrence.
    const singles = Array.from({ length: 1799 }, (_, i) => event(100_000 + i, from + 1801 + i, ''));
    const { r, asked } = reader(singles, many(SERIES_PER_WINDOW));
    const found = await occurrencesInWindow(r, 'c', { from, to, limit: 1000 });
    assert.equal(found.length, 1001);
    assert.ok(asked.every((a) => a.read === 'series' ? a.limit <= SERIES_BATCH : a.limit <= 1001), JSON.stringify(asked.slice(0, 5)));
    // The series all start before the first single, so each of them is among the first 1001.
    assert.equal(found.filter((o) => o.kind === 'instance').length, 1001);
  });

  test(`a window that ${SERIES_PER_WINDOW + 1} series meet is too_many_instances`, async () => {
    const { r } = reader([], many(SERIES_PER_WINDOW + 1));
    await assert.rejects(occurrencesInWindow(r, 'c', { from, to, limit: 100_000 }), (e: unknown) => e instanceof DomainError && e.kind === 'too_many_instances');
    const fits = reader([], many(SERIES_PER_WINDOW));
    assert.equal((await occurrencesInWindow(fits.r, 'c', { from, to, limit: 100_000 })).length, SERIES_PER_WINDOW);
  });
});
