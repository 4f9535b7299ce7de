/** Bounded work, windows, caps, EXDATEs and whole-series helpers. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_MAX_OCCURRENCES, expandOccurrences, expandWithin, MAX_STEPS, RecurrenceLimitError, seriesLastStart,
} from '../../../src/core/recurrence/index.js';
import type { SeriesStart } from '../../../src/core/recurrence/index.js';
import { WorkBudget } from '../../../src/core/recurrence/budget.js';
import { planExpansion } from '../../../src/core/recurrence/plan.js';
import { parseRecurrenceRule } from '../../../src/core/recurrence/parse.js';

const at = (iso: string): number => Date.parse(iso) / 1000;
const DAY = 86_400;
const start2000: SeriesStart = { kind: 'timed', epochSeconds: at('2000-01-03T09:00:00+08:00'), timeZone: 'Asia/Shanghai' };

function collect(rule: string, start: SeriesStart, fromEpoch: number, toEpoch?: number, maxOccurrences?: number, budget?: WorkBudget): number[] {
  return [
    ...expandOccurrences({
      rule, start, fromEpoch,
      ...(toEpoch !== undefined && { toEpoch }),
      ...(maxOccurrences !== undefined && { maxOccurrences }),
      ...(budget !== undefined && { budget }),
    }),
  ];
}

/**
 * Runs `fn` with a fresh budget of MAX_STEPS and returns what it gave (or threw) and the steps it
 * charged: bounded work is asserted as counted steps, not as time, which a busy machine stretches.
 */
function counted(fn: (budget: WorkBudget) => unknown): [unknown, number] {
  const budget = new WorkBudget(MAX_STEPS);
  try {
    return [fn(budget), budget.spent];
  } catch (error) {
    return [error, budget.spent];
  }
}

describe('absurd rules terminate', () => {
  for (const rule of [
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=2',
    'FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11',
    'FREQ=YEARLY;BYMONTHDAY=-30,30;BYMONTH=2',
  ]) {
    test(`${rule} is recognised as empty at once`, () => {
      assert.equal(planExpansion(parseRecurrenceRule(rule), start2000).engine, null);
      const [got, steps] = counted((budget) => collect(rule, start2000, 0, undefined, undefined, budget));
      assert.deepEqual(got, []);
      assert.equal(steps, 0);
      assert.equal(seriesLastStart(`${rule};COUNT=3`, start2000), null);
    });
  }

  for (const rule of ['FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=1MO', 'FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6', 'FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=1MO;COUNT=2']) {
    test(`${rule} (never matches, not detectable statically) ends by the year 9999`, () => {
      const [got, steps] = counted((budget) => collect(rule, start2000, 0, undefined, undefined, budget));
      assert.deepEqual(got, []);
      assert.ok(steps > 0 && steps <= MAX_STEPS, `${steps} steps`);
    });
  }

  test('a rare but real rule is found far ahead (Feb 29 on a Monday)', () => {
    const got = collect('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO', start2000, 0, undefined, 3);
    assert.deepEqual(got, [at('2016-02-29T09:00+08:00'), at('2044-02-29T09:00+08:00'), at('2072-02-29T09:00+08:00')]);
  });

  test('more work than the budget throws RecurrenceLimitError instead of spinning', () => {
    const rule = 'FREQ=HOURLY;UNTIL=21000101T000000Z';
    const [error, steps] = counted((budget) => collect(rule, start2000, 0, undefined, 1_000_000, budget));
    assert.ok(error instanceof RecurrenceLimitError);
    assert.equal(error.name, 'RecurrenceLimitError');
    // Charged before the work: it stops at the first charge past the limit, one chunk (under a
    // year of hours) beyond it at most.
    assert.ok(typeof steps === 'number' && steps > MAX_STEPS && steps <= MAX_STEPS + 366 * 24, `${steps} steps`);
  });

  test('a dense rule stops at maxOccurrences without exhausting the budget', () => {
    const minutes = Array.from({ length: 60 }, (_, i) => i).join(',');
    const hours = Array.from({ length: 24 }, (_, i) => i).join(',');
    const rule = `FREQ=DAILY;BYHOUR=${hours};BYMINUTE=${minutes};BYSECOND=0,30`;
    const got = collect(rule, start2000, at('2025-01-01T00:00Z'), at('2025-02-09T00:00Z'));
    assert.equal(got.length, DEFAULT_MAX_OCCURRENCES);
    assert.equal(got[1] - got[0], 30);
  });
});

describe('open-ended series expand only within the window', () => {
  test('a daily series started 25 years ago: 39 occurrences, little work', () => {
    const from = at('2025-03-01T00:00Z');
    const got = collect('FREQ=DAILY', start2000, from, from + 39 * DAY);
    assert.equal(got.length, 39);
    assert.equal(got[0], at('2025-03-01T09:00+08:00'));
    assert.ok(got.every((e, i) => i === 0 || e - got[i - 1] === DAY));
    const plan = planExpansion(parseRecurrenceRule('FREQ=DAILY'), start2000);
    const budget = new WorkBudget();
    plan.engine!.range(from - DAY, from + 40 * DAY, budget);
    assert.ok(budget.spent < 50, `spent ${budget.spent}`);
  });

  test('an hourly series whose full history exceeds the budget still answers a window', () => {
    // From 2000 to the window there are > 200,000 hours: only a jump to the window can answer.
    const from = at('2025-03-01T00:00Z');
    const got = collect('FREQ=HOURLY;UNTIL=21000101T000000Z', start2000, from, from + 39 * DAY);
    assert.equal(got.length, 39 * 24);
    assert.ok(200_000 > MAX_STEPS);
  });

  test('toEpoch is exclusive and fromEpoch inclusive', () => {
    const first = at('2025-03-01T09:00+08:00');
    assert.deepEqual(collect('FREQ=DAILY', start2000, first, first + 2 * DAY), [first, first + DAY]);
    assert.deepEqual(collect('FREQ=DAILY', start2000, first + 1, first + DAY), []);
    assert.deepEqual(collect('FREQ=DAILY', start2000, first, first), []);
  });

  test('nothing before the series start', () => {
    assert.deepEqual(collect('FREQ=DAILY', start2000, 0, at('2000-01-05T00:00Z')), [at('2000-01-03T09:00+08:00'), at('2000-01-04T09:00+08:00')]);
  });

  test('without toEpoch the default cap applies, and maxOccurrences is respected', () => {
    assert.equal(collect('FREQ=DAILY', start2000, 0).length, DEFAULT_MAX_OCCURRENCES);
    assert.equal(collect('FREQ=DAILY', start2000, 0, undefined, 3).length, 3);
    assert.deepEqual(collect('FREQ=DAILY', start2000, 0, undefined, 0), []);
  });

  test('the iterator is lazy: taking 2 of an unbounded series does not expand more', () => {
    const it = expandOccurrences({ rule: 'FREQ=DAILY', start: start2000, fromEpoch: 0, maxOccurrences: 1_000_000 });
    assert.equal(it.next().value, at('2000-01-03T09:00+08:00'));
    assert.equal(it.next().value, at('2000-01-04T09:00+08:00'));
    it.return();
  });
});

describe('semantics', () => {
  test('EXDATEs are removed after COUNT (they do not extend the series)', () => {
    const start: SeriesStart = { kind: 'date', date: '2025-01-01' };
    const got = collect('FREQ=DAILY;COUNT=5', start, 0);
    assert.equal(got.length, 5);
    const without = [...expandOccurrences({ rule: 'FREQ=DAILY;COUNT=5', start, fromEpoch: 0, exdates: [got[1], got[4]] })];
    assert.deepEqual(without, [got[0], got[2], got[3]]);
    assert.equal(seriesLastStart('FREQ=DAILY;COUNT=5', start, [got[4]]), got[3]);
  });

  test('a start that does not match the rule is not an occurrence', () => {
    const tuesday: SeriesStart = { kind: 'timed', epochSeconds: at('2025-01-07T10:00Z'), timeZone: 'UTC' };
    assert.deepEqual(collect('FREQ=WEEKLY;BYDAY=WE;COUNT=2', tuesday, 0), [at('2025-01-08T10:00Z'), at('2025-01-15T10:00Z')]);
  });

  test('UNTIL as a date includes that whole local day', () => {
    const start: SeriesStart = { kind: 'timed', epochSeconds: at('2025-03-01T23:30+08:00'), timeZone: 'Asia/Shanghai' };
    const got = collect('FREQ=DAILY;UNTIL=20250303', start, 0);
    assert.deepEqual(got, [at('2025-03-01T23:30+08:00'), at('2025-03-02T23:30+08:00'), at('2025-03-03T23:30+08:00')]);
    assert.equal(seriesLastStart('FREQ=DAILY;UNTIL=20250303', start), at('2025-03-03T23:30+08:00'));
  });

  test('UNTIL as a floating date-time is local wall time', () => {
    const start: SeriesStart = { kind: 'timed', epochSeconds: at('2025-03-01T09:00+08:00'), timeZone: 'Asia/Shanghai' };
    assert.equal(collect('FREQ=DAILY;UNTIL=20250303T090000', start, 0).length, 3);
    assert.equal(collect('FREQ=DAILY;UNTIL=20250303T085959', start, 0).length, 2);
  });

  test('all-day series with a UTC UNTIL compare 00:00 UTC of the date', () => {
    const start: SeriesStart = { kind: 'date', date: '2025-03-01' };
    assert.equal(collect('FREQ=DAILY;UNTIL=20250303T155959Z', start, 0).length, 3);
  });

  test('BYWEEKNO with BYMONTHDAY (libical: UNIMPLEMENTED) follows RFC 5545', () => {
    const start: SeriesStart = { kind: 'date', date: '2024-12-30' };
    const got = collect('FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=30;BYWEEKNO=1;UNTIL=20320101', start, 0);
    // Dec 30 falls in ISO week 1 of the next year only when it is a Monday or Tuesday.
    assert.deepEqual(got, [at('2024-12-30T00:00Z'), at('2025-12-30T00:00Z'), at('2030-12-30T00:00Z'), at('2031-12-30T00:00Z')]);
  });

  test('HOURLY cannot repeat an all-day event', () => {
    assert.throws(() => collect('FREQ=HOURLY;COUNT=2', { kind: 'date', date: '2025-01-01' }, 0), { name: 'RecurrenceRuleError' });
  });

  test('bad inputs are reported when called, not on first next()', () => {
    assert.throws(() => expandOccurrences({ rule: 'FREQ=DAILY', start: { kind: 'date', date: '2025-02-30' }, fromEpoch: 0 }), RangeError);
    assert.throws(() => expandOccurrences({ rule: 'FREQ=DAILY', start: { kind: 'timed', epochSeconds: 0, timeZone: 'Mars/Olympus' }, fromEpoch: 0 }), RangeError);
    assert.throws(() => expandOccurrences({ rule: 'FREQ=DAILY;COUNT=0', start: start2000, fromEpoch: 0 }), { name: 'RecurrenceRuleError' });
  });
});

describe('seriesLastStart', () => {
  test('null for an unbounded series', () => {
    assert.equal(seriesLastStart('FREQ=WEEKLY', start2000), null);
  });

  test('the COUNT-th occurrence', () => {
    assert.equal(seriesLastStart('FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3', start2000), at('2000-05-31T09:00+08:00'));
  });

  test('the last occurrence at or before UNTIL, far in the future', () => {
    assert.equal(seriesLastStart('FREQ=WEEKLY;BYDAY=FR;UNTIL=20991231T000000Z', start2000), at('2099-12-25T09:00+08:00'));
  });
});

describe('a shared budget, charged before the work', () => {
  const hours = Array.from({ length: 24 }, (_, i) => i).join(',');
  const days = Array.from({ length: 366 }, (_, i) => i + 1).join(',');
  const lastHourOfYear = `FREQ=YEARLY;BYYEARDAY=${days};BYHOUR=${hours};BYSETPOS=-1`;

  test('BYSETPOS over 8784 candidates a year: the budget stops it within a few periods, not after 8000 years', () => {
    const [error, steps] = counted((budget) => collect(lastHourOfYear, start2000, 0, at('9000-01-01T00:00Z'), undefined, budget));
    assert.ok(error instanceof RecurrenceLimitError);
    // Charged a period (a year's 8784 candidates) before it is built: at most one year past the limit.
    assert.ok(steps > MAX_STEPS && steps <= MAX_STEPS + 8784, `${steps} steps`);
  });

  test('expandWithin answers what the budget allows and how far that is complete', () => {
    const budget = new WorkBudget(40_000);
    const got = expandWithin({ rule: lastHourOfYear, start: start2000, fromEpoch: 0, toEpoch: at('2100-01-01T00:00Z'), budget });
    assert.equal(got.exhausted, true);
    assert.equal(got.complete, false);
    assert.deepEqual(got.starts, [at('2000-12-31T23:00+08:00'), at('2001-12-31T23:00+08:00'), at('2002-12-31T23:00+08:00')].slice(0, got.starts.length));
    assert.ok(got.starts.length >= 2);
    assert.ok(got.scannedTo > got.starts[got.starts.length - 1] && got.scannedTo < at('2100-01-01T00:00Z'));
    // A second call on the spent budget finds nothing more and says so at once.
    const again = expandWithin({ rule: 'FREQ=DAILY', start: start2000, fromEpoch: 0, toEpoch: at('2001-01-01T00:00Z'), budget });
    assert.deepEqual([again.exhausted, again.starts.length], [true, 0]);
  });
});
