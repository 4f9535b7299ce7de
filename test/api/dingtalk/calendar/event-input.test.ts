import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timesFromWire } from '../../../../src/api/dingtalk/calendar/event-input.js';
import type { CalendarEvent } from '../../../../src/core/events/types.js';

const timedEvent = { start: { kind: 'timed', epoch: 1_893_981_600, timeZone: 'Asia/Shanghai' }, end: { kind: 'timed', epoch: 1_893_985_200, timeZone: 'Asia/Shanghai' } } as unknown as CalendarEvent;
const allDayEvent = { start: { kind: 'date', date: '2030-01-07' }, end: { kind: 'date', date: '2030-01-08' } } as unknown as CalendarEvent;

test('create needs both times; the kind follows isAllDay or what was sent', () => {
  assert.throws(() => timesFromWire({}), /Event start time not set\./);
  assert.throws(() => timesFromWire({ start: { date: '2030-01-07' } }), /Event end time not set\./);
  assert.deepEqual(timesFromWire({ start: { date: '2030-01-07' }, end: { date: '2030-01-08' } }), { start: { kind: 'date', date: '2030-01-07' }, end: { kind: 'date', date: '2030-01-08' } });
  assert.deepEqual(timesFromWire({ start: { dateTime: '2030-01-07T10:00:00', timeZone: 'Asia/Tokyo' }, end: { dateTime: '2030-01-07T11:00:00', timeZone: 'Asia/Tokyo' } }), {
    start: { kind: 'timed', epoch: 1_893_978_000, timeZone: 'Asia/Tokyo' }, end: { kind: 'timed', epoch: 1_893_981_600, timeZone: 'Asia/Tokyo' },
  });
});

test('PUT: nothing sent keeps the times; one end sent goes alone (the core keeps the other under its lock); the kind cannot change by halves', () => {
  assert.equal(timesFromWire({}, timedEvent), undefined);
  assert.equal(timesFromWire({ isAllDay: false }, timedEvent), undefined);
  assert.throws(() => timesFromWire({ isAllDay: true }, timedEvent), /start and end must be set when isAllDay changes/);
  assert.deepEqual(timesFromWire({ end: { date: '2030-01-10' } }, allDayEvent), { start: undefined, end: { kind: 'date', date: '2030-01-10' } });
  assert.throws(() => timesFromWire({ end: { date: '2030-01-10' } }, timedEvent), /start and end must be set when isAllDay changes/);
  assert.throws(() => timesFromWire({ end: { dateTime: '2030-01-07T11:00:00+09:00', timeZone: 'Asia/Tokyo' } }, timedEvent), /end.timeZone must be the same as start.timeZone/);
});
