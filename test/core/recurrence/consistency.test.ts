/**
 * Cross-checks between independent paths: windowed expansion vs one long expansion, COUNT
 * (materialized with rrule-temporal's all()) vs an unbounded rule's window query (between()), and
 * our YEARLY engine vs rrule-temporal on the YEARLY shapes the library gets right.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandOccurrences, parseRecurrenceRule } from '../../../src/core/recurrence/index.js';
import type { SeriesStart } from '../../../src/core/recurrence/index.js';
import { WorkBudget } from '../../../src/core/recurrence/budget.js';
import { libraryFirst } from '../../../src/core/recurrence/library-engine.js';
import { MAX_WALL } from '../../../src/core/recurrence/plan.js';
import { yearlyFirst } from '../../../src/core/recurrence/yearly-engine.js';

const DAY = 86_400;
const RULES = [
  'FREQ=DAILY', 'FREQ=DAILY;INTERVAL=3', 'FREQ=DAILY;BYDAY=MO,FR', 'FREQ=DAILY;BYMONTHDAY=1,-1',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH', 'FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA', 'FREQ=WEEKLY;BYDAY=MO,TU,WE;BYSETPOS=-1',
  'FREQ=MONTHLY', 'FREQ=MONTHLY;BYMONTHDAY=31', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=YEARLY', 'FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU', 'FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO', 'FREQ=YEARLY;INTERVAL=3;BYWEEKNO=20',
  'FREQ=YEARLY;BYDAY=FR;BYYEARDAY=-275,-276,-277,-278,-279,-280,-281',
  'FREQ=DAILY;BYHOUR=9,17;BYMINUTE=0,30', 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30',
];
const STARTS: ReadonlyArray<readonly [string, SeriesStart]> = [
  ['UTC', { kind: 'timed', epochSeconds: Date.UTC(2016, 1, 29, 2, 30) / 1000, timeZone: 'UTC' }],
  ['New York', { kind: 'timed', epochSeconds: Date.UTC(2016, 1, 29, 7, 30) / 1000, timeZone: 'America/New_York' }],
  ['Sydney', { kind: 'timed', epochSeconds: Date.UTC(2016, 1, 28, 15, 30) / 1000, timeZone: 'Australia/Sydney' }],
  ['all-day', { kind: 'date', date: '2016-02-29' }],
];
const FROM = Date.UTC(2016, 0, 1) / 1000;
const HORIZON = Date.UTC(2030, 0, 1) / 1000;

/** Deterministic pseudo-random windows. */
function windows(count: number): Array<[number, number]> {
  let seed = 12_345;
  const next = (): number => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
  return Array.from({ length: count }, (_, i) => {
    const from = Math.floor(FROM + next() * (HORIZON - FROM - 400 * DAY));
    return [from, from + Math.floor(next() * DAY * (i % 3 === 0 ? 400 : 40))];
  });
}

describe('windowed expansion equals the matching slice of a long expansion', () => {
  for (const rule of RULES) {
    for (const [label, start] of STARTS) {
      if (start.kind === 'date' && rule.includes('BYHOUR')) continue;
      test(`${rule} (${label})`, () => {
        const full = [...expandOccurrences({ rule, start, fromEpoch: FROM, toEpoch: HORIZON, maxOccurrences: 100_000 })];
        assert.ok(full.length >= 4, `only ${full.length} occurrences`);
        for (const [from, to] of windows(8)) {
          const got = [...expandOccurrences({ rule, start, fromEpoch: from, toEpoch: to, maxOccurrences: 100_000 })];
          assert.deepEqual(got, full.filter((e) => e >= from && e < to), `window ${from}..${to}`);
        }
        const n = Math.min(40, full.length);
        assert.deepEqual([...expandOccurrences({ rule: `${rule};COUNT=${n}`, start, fromEpoch: FROM })], full.slice(0, n));
      });
    }
  }
});

describe('our YEARLY engine agrees with rrule-temporal where the library is right', () => {
  const rules = [
    'FREQ=YEARLY', 'FREQ=YEARLY;INTERVAL=3', 'FREQ=YEARLY;BYMONTH=1,7', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
    'FREQ=YEARLY;BYDAY=20MO', 'FREQ=YEARLY;BYDAY=-1FR', 'FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU', 'FREQ=YEARLY;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
    'FREQ=YEARLY;BYYEARDAY=1,100,-1', 'FREQ=YEARLY;INTERVAL=2;BYYEARDAY=366', 'FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=MO,FR;BYSETPOS=1,-1',
    'FREQ=YEARLY;BYMONTH=6;BYHOUR=8,20;BYMINUTE=15', 'FREQ=YEARLY;BYDAY=SA,SU;BYMONTH=12;BYSETPOS=-2',
  ];
  const starts = [Date.UTC(1997, 8, 2, 9) / 1000, Date.UTC(2024, 1, 29, 18, 45) / 1000, Date.UTC(2023, 0, 1) / 1000];
  for (const text of rules) {
    test(text, () => {
      const rule = parseRecurrenceRule(text);
      for (const wallStart of starts) {
        const ours = yearlyFirst(rule, wallStart, 30, new WorkBudget());
        const theirs = libraryFirst(rule, wallStart, 30, new WorkBudget(), MAX_WALL);
        assert.deepEqual(ours, theirs, `start ${wallStart}`);
      }
    });
  }
});
