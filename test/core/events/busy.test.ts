import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atMostIntervals } from '../../../src/core/events/busy.js';
import type { BusyInterval } from '../../../src/core/events/busy.js';

const b = (start: number, end: number, rsvp: BusyInterval['rsvp'] = 'accept'): BusyInterval => ({ start, end, rsvp });

test('at most max intervals: untouched (sorted) when within it', () => {
  assert.deepEqual(atMostIntervals([b(5, 6), b(1, 3), b(2, 4, 'tentative')], 3), [b(1, 3), b(2, 4, 'tentative'), b(5, 6)]);
});

test('past max: overlapping and touching intervals merge first, with the firmest answer', () => {
  assert.deepEqual(atMostIntervals([b(1, 3, 'tentative'), b(2, 4), b(4, 5, 'tentative'), b(10, 11)], 3), [b(1, 5), b(10, 11)]);
});

test('then the shortest gaps close, never showing busy time as free', () => {
  const items = [b(0, 1), b(2, 3), b(10, 11), b(11.5, 12), b(30, 31)];
  const got = atMostIntervals(items, 3);
  assert.deepEqual(got, [b(0, 3), b(10, 12), b(30, 31)]);
  for (const i of items) assert.ok(got.some((g) => g.start <= i.start && g.end >= i.end));
  assert.deepEqual(atMostIntervals(items, 1), [b(0, 31)]);
});
