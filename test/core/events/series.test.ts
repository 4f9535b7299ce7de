import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventRange, isOccurrence, occurrencesIn, occurrenceStarts } from '../../../src/core/events/series.js';
import type { CalendarEvent, EventTime } from '../../../src/core/events/types.js';

const DAY = 86_400;
const START = Date.parse('2027-01-05T10:00:00Z') / 1000; // a Tuesday
const FAR_FUTURE = 253_402_300_799;

const series = (recurrence: string, start: EventTime = { kind: 'timed', epoch: START, timeZone: 'UTC' }, end: EventTime = { kind: 'timed', epoch: START + 3600, timeZone: 'UTC' }) => ({
  uid: '00000000-0000-4000-8000-000000000001', originalStart: 0, calendarId: 'cal_1', tenantKey: 't1', status: 'confirmed',
  summary: 's', seq: 1, idempotencyKey: null, recurrence, start, end, extensions: {},
}) as unknown as CalendarEvent;

describe('a series whose start does not match its rule: the start is its first occurrence, counted toward COUNT', () => {
  const weekly = series('FREQ=WEEKLY;BYDAY=WE;COUNT=3');

  test('occurrences, occurrence ids and the index range agree: Tue 5, Wed 6, Wed 13', () => {
    assert.deepEqual(occurrenceStarts(weekly, START - DAY, START + 60 * DAY, 100), [START, START + DAY, START + 8 * DAY]);
    assert.deepEqual(occurrencesIn(weekly, [], START - DAY, START + 60 * DAY, 100).map((o) => o.event.originalStart), [START, START + DAY, START + 8 * DAY]);
    for (const t of [START, START + DAY, START + 8 * DAY]) assert.ok(isOccurrence(weekly, t), `${t}`);
    assert.equal(isOccurrence(weekly, START + 15 * DAY), false, 'Wed 20 is the rule\'s third, not the series\' fourth');
    assert.deepEqual(eventRange(weekly), { start: START, end: START + 8 * DAY + 3600 });
    // An occurrence that started before the window still meets it.
    assert.deepEqual(occurrenceStarts(weekly, START + 1800, START + DAY, 100), [START]);
  });

  test('a start after UNTIL is the only occurrence', () => {
    const ended = series('FREQ=WEEKLY;BYDAY=WE;UNTIL=20270101T000000Z');
    assert.deepEqual(occurrenceStarts(ended, 0, FAR_FUTURE, 100), [START]);
    assert.deepEqual(eventRange(ended), { start: START, end: START + 3600 });
    assert.equal(isOccurrence(ended, START + DAY), false);
  });

  test('UNTIL bounds the rule\'s occurrences after the start', () => {
    const until = series('FREQ=WEEKLY;BYDAY=WE;UNTIL=20270113T100000Z');
    assert.deepEqual(occurrenceStarts(until, 0, FAR_FUTURE, 100), [START, START + DAY, START + 8 * DAY]);
    assert.deepEqual(eventRange(until), { start: START, end: START + 8 * DAY + 3600 });
  });

  test('all-day, and an open-ended series', () => {
    const allDay = series('FREQ=MONTHLY;BYMONTHDAY=15;COUNT=2', { kind: 'date', date: '2027-01-05' }, { kind: 'date', date: '2027-01-06' });
    const jan5 = Date.parse('2027-01-05T00:00:00Z') / 1000;
    const jan15 = Date.parse('2027-01-15T00:00:00Z') / 1000;
    assert.deepEqual(occurrenceStarts(allDay, 0, FAR_FUTURE, 100), [jan5, jan15]);
    assert.deepEqual(eventRange(allDay), { start: jan5, end: jan15 + DAY });
    assert.deepEqual(eventRange(series('FREQ=WEEKLY;BYDAY=WE')), { start: START, end: FAR_FUTURE });
  });
});
