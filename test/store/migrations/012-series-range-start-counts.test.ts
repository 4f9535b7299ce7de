import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CalendarEvent } from '../../../src/core/events/types.js';
import { up } from '../../../src/store/migrations/012-series-range-start-counts.js';
import type { OpenedStore } from '../../../src/store/open-store.js';
import { STORES, withFreshStore } from '../../helpers/stores.js';

const DAY = 86_400;
const START = Date.parse('2027-01-05T10:00:00Z') / 1000; // a Tuesday
const FAR_FUTURE = 253_402_300_799;

/** The fields the row and the range need; the rest of an event does not matter here. */
const event = (n: number, recurrence: string) => ({
  uid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, originalStart: 0, calendarId: 'cal_1', tenantKey: 't1', status: 'confirmed',
  summary: `e${n}`, seq: n, idempotencyKey: null, recurrence,
  start: { kind: 'timed', epoch: START, timeZone: 'UTC' }, end: { kind: 'timed', epoch: START + 3600, timeZone: 'UTC' },
}) as unknown as CalendarEvent;

for (const kind of STORES) {
  describe(`${kind}: migration 012 recomputes the index range of series`, () => {
    let store!: OpenedStore;
    withFreshStore(kind, (s) => { store = s; });

    test('a COUNT series with an off-rule start ends at its third occurrence; other rows keep their range', async () => {
      // As written before the change: the rule's own third Wednesday (Jan 20) as the last start.
      const rows: Array<[CalendarEvent, number, number]> = [
        [event(1, 'FREQ=WEEKLY;BYDAY=WE;COUNT=3'), START + 15 * DAY + 3600, START + 8 * DAY + 3600],
        [event(2, 'FREQ=WEEKLY;BYDAY=TU;COUNT=3'), START + 14 * DAY + 3600, START + 14 * DAY + 3600],
        [event(3, 'FREQ=WEEKLY;BYDAY=WE'), FAR_FUTURE, FAR_FUTURE],
        [event(4, 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20270101T000000Z'), START + 3600, START + 3600],
        [event(5, ''), START + 99, START + 99], // a single event: not a series, not touched
      ];
      await store.transact(async (w) => {
        for (const [e, end] of rows) await w.events.putEvent(e, { start: START, end });
      });
      await up(store.db);
      const stored = await store.db.selectFrom('events').select(['summary', 'range_end']).orderBy('summary').execute();
      assert.deepEqual(stored.map((r) => [r.summary, Number(r.range_end)]), rows.map(([e, , want]) => [e.summary, want]));
    });
  });
}
