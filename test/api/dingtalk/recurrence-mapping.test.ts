import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recurrenceToRule, ruleToRecurrence } from '../../../src/api/dingtalk/recurrence-mapping.js';
import type { RecurrenceWire } from '../../../src/api/dingtalk/recurrence-mapping.js';
import type { EventTime } from '../../../src/core/events/types.js';
import { expandOccurrences } from '../../../src/core/recurrence/index.js';

const HOUR = 3600;
/** 2030-01-07T10:00:00+08:00, a Monday morning in Shanghai. */
const START = 1_893_974_400 + 2 * HOUR;
const TIMED: EventTime = { kind: 'timed', epoch: START, timeZone: 'Asia/Shanghai' };
const ALL_DAY: EventTime = { kind: 'date', date: '2030-01-07' };

/** Dates (Shanghai) of the first occurrences of a rule from START. */
function dates(rule: string, start: EventTime = TIMED, max = 4): string[] {
  const series = start.kind === 'timed' ? { kind: 'timed' as const, epochSeconds: start.epoch, timeZone: start.timeZone } : { kind: 'date' as const, date: start.date };
  const from = start.kind === 'timed' ? start.epoch : Date.parse(`${start.date}T00:00:00Z`) / 1000;
  const offset = start.kind === 'timed' ? 8 * HOUR : 0;
  return [...expandOccurrences({ rule, start: series, fromEpoch: from, maxOccurrences: max })]
    .map((s) => new Date((s + offset) * 1000).toISOString().slice(0, 10));
}

/** Every pattern type and range type: the DingTalk object, its RRULE, and where the series falls. */
const ROWS: Array<{ name: string; wire: RecurrenceWire; rule: string; dates: string[]; start?: EventTime }> = [
  { name: 'daily, every 2 days, numbered', wire: { pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', numberOfOccurrences: 4 } },
    rule: 'FREQ=DAILY;INTERVAL=2;COUNT=4', dates: ['2030-01-07', '2030-01-09', '2030-01-11', '2030-01-13'] },
  { name: 'weekly on two days (weeks start on Sunday by default)', wire: { pattern: { type: 'weekly', daysOfWeek: 'monday,wednesday', interval: 1 }, range: { type: 'noEnd' } },
    rule: 'FREQ=WEEKLY;BYDAY=MO,WE;WKST=SU', dates: ['2030-01-07', '2030-01-09', '2030-01-14', '2030-01-16'] },
  { name: 'weekly every 2 weeks, firstDayOfWeek monday', wire: { pattern: { type: 'weekly', daysOfWeek: 'monday', interval: 2, firstDayOfWeek: 'monday' }, range: { type: 'numbered', numberOfOccurrences: 3 } },
    rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=3;BYDAY=MO', dates: ['2030-01-07', '2030-01-21', '2030-02-04'] },
  { name: 'absoluteMonthly on day 7', wire: { pattern: { type: 'absoluteMonthly', dayOfMonth: 7, interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
    rule: 'FREQ=MONTHLY;COUNT=3;BYMONTHDAY=7', dates: ['2030-01-07', '2030-02-07', '2030-03-07'] },
  { name: 'relativeMonthly: the second Tuesday', wire: { pattern: { type: 'relativeMonthly', index: 'second', daysOfWeek: 'tuesday', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
    rule: 'FREQ=MONTHLY;COUNT=3;BYDAY=2TU', dates: ['2030-01-08', '2030-02-12', '2030-03-12'] },
  { name: 'relativeMonthly: the last Friday, every 2 months', wire: { pattern: { type: 'relativeMonthly', index: 'last', daysOfWeek: 'friday', interval: 2 }, range: { type: 'noEnd' } },
    rule: 'FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR', dates: ['2030-01-25', '2030-03-29', '2030-05-31', '2030-07-26'] },
  { name: 'relativeMonthly: the first weekday (several days: the index-th of any)', wire: { pattern: { type: 'relativeMonthly', index: 'first', daysOfWeek: 'monday,tuesday,wednesday,thursday,friday', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
    rule: 'FREQ=MONTHLY;COUNT=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1', dates: ['2030-02-01', '2030-03-01', '2030-04-01'] },
  { name: 'relativeMonthly: the third and fourth index', wire: { pattern: { type: 'relativeMonthly', index: 'fourth', daysOfWeek: 'sunday', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 2 } },
    rule: 'FREQ=MONTHLY;COUNT=2;BYDAY=4SU', dates: ['2030-01-27', '2030-02-24'] },
  { name: 'absoluteYearly on the start day', wire: { pattern: { type: 'absoluteYearly', dayOfMonth: 7, interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
    rule: 'FREQ=YEARLY;COUNT=3;BYMONTH=1;BYMONTHDAY=7', dates: ['2030-01-07', '2031-01-07', '2032-01-07'] },
  { name: 'endDate as a date-time: ends at that instant', wire: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', endDate: '2030-01-09T10:00:00+08:00' } },
    rule: 'FREQ=DAILY;UNTIL=20300109T020000Z', dates: ['2030-01-07', '2030-01-08', '2030-01-09'] },
  { name: 'endDate as a date: through that day', wire: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', endDate: '2030-01-08' } },
    rule: 'FREQ=DAILY;UNTIL=20300108', dates: ['2030-01-07', '2030-01-08'] },
  { name: 'all-day series: endDate takes the date', start: ALL_DAY, wire: { pattern: { type: 'weekly', daysOfWeek: 'monday', interval: 1 }, range: { type: 'endDate', endDate: '2030-01-21T23:00:00+08:00' } },
    rule: 'FREQ=WEEKLY;UNTIL=20300121;BYDAY=MO;WKST=SU', dates: ['2030-01-07', '2030-01-14', '2030-01-21'] },
];

describe('DingTalk recurrence → RRULE', () => {
  for (const row of ROWS) {
    test(`${row.name}: ${row.rule}, and it expands as DingTalk means`, () => {
      const rule = recurrenceToRule(row.wire, row.start ?? TIMED);
      assert.equal(rule, row.rule);
      assert.deepEqual(dates(rule, row.start ?? TIMED, row.dates.length), row.dates);
    });
  }

  test('what DingTalk leaves implicit comes from the start: weekday, day of month, month', () => {
    assert.equal(recurrenceToRule({ pattern: { type: 'weekly' } }, TIMED), 'FREQ=WEEKLY;BYDAY=MO;WKST=SU');
    assert.equal(recurrenceToRule({ pattern: { type: 'absoluteMonthly' } }, TIMED), 'FREQ=MONTHLY;BYMONTHDAY=7');
    assert.equal(recurrenceToRule({ pattern: { type: 'absoluteYearly' } }, TIMED), 'FREQ=YEARLY');
    assert.equal(recurrenceToRule({ pattern: { type: 'daily', firstDayOfWeek: 'sunday' } }, TIMED), 'FREQ=DAILY;WKST=SU');
    // Fields of other pattern types are ignored, as in the seed's request example.
    assert.equal(recurrenceToRule({ pattern: { type: 'daily', dayOfMonth: 1, daysOfWeek: 'sunday', index: 'last', interval: 1 } }, TIMED), 'FREQ=DAILY');
  });

  const refusals: Array<[string, RecurrenceWire, string]> = [
    ['interval 0', { pattern: { type: 'daily', interval: 0 } }, 'Recurrence interval must between [1, 365]'],
    ['interval 366', { pattern: { type: 'daily', interval: 366 } }, 'Recurrence interval must between [1, 365]'],
    ['numberOfOccurrences 0', { pattern: { type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 0 } }, 'Recurrence range numberOfOccurrences must between [1, 99]'],
    ['numberOfOccurrences 100', { pattern: { type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 100 } }, 'Recurrence range numberOfOccurrences must between [1, 99]'],
    ['endDate with numberOfOccurrences (the seed example)', { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', endDate: '2021-12-31T10:15:30+08:00', numberOfOccurrences: 1 } },
      'Recurrence range endDate and numberOfOccurrences cannot both be set'],
    ['no pattern type', { pattern: {} }, 'Recurrence pattern type must be set'],
    ['an unknown type', { pattern: { type: 'hourly' } }, 'Recurrence pattern type must be one of daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly'],
    ['an unknown day', { pattern: { type: 'weekly', daysOfWeek: 'monday,funday' } }, 'Recurrence pattern daysOfWeek has an unknown day "funday"'],
    ['relativeMonthly without index', { pattern: { type: 'relativeMonthly', daysOfWeek: 'monday' } }, 'Recurrence pattern index must be one of first, second, third, fourth, last for relativeMonthly'],
    ['relativeMonthly without days', { pattern: { type: 'relativeMonthly', index: 'first' } }, 'Recurrence pattern daysOfWeek must be set for relativeMonthly'],
    ['dayOfMonth 32', { pattern: { type: 'absoluteMonthly', dayOfMonth: 32 } }, 'Recurrence pattern dayOfMonth must be between 1 and 31'],
    ['range endDate without a date', { pattern: { type: 'daily' }, range: { type: 'endDate' } }, 'Recurrence range endDate must be set when the range type is endDate'],
    ['range numbered without a count', { pattern: { type: 'daily' }, range: { type: 'numbered' } }, 'Recurrence range numberOfOccurrences must be set when the range type is numbered'],
    ['noEnd with a count', { pattern: { type: 'daily' }, range: { type: 'noEnd', numberOfOccurrences: 3 } }, 'Recurrence range of type noEnd takes neither endDate nor numberOfOccurrences'],
    ['an unknown range type', { pattern: { type: 'daily' }, range: { type: 'forever' } }, 'Recurrence range type must be one of noEnd, endDate, numbered'],
    ['a bad endDate', { pattern: { type: 'daily' }, range: { type: 'endDate', endDate: 'soon' } }, 'Recurrence range endDate "soon" is not an ISO-8601 date or date-time'],
    ['an unknown firstDayOfWeek', { pattern: { type: 'weekly', firstDayOfWeek: 'someday' } }, 'Recurrence pattern firstDayOfWeek must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday'],
  ];
  for (const [name, wire, message] of refusals) {
    test(`refused: ${name}`, () => {
      assert.throws(() => recurrenceToRule(wire, TIMED), (e: any) => e.code === 'invalidParameter' && e.message === message);
    });
  }
});

describe('RRULE → DingTalk recurrence', () => {
  for (const row of ROWS) {
    test(`${row.rule} reads back as the same series`, () => {
      const start = row.start ?? TIMED;
      const back = ruleToRecurrence(row.rule, start);
      assert.ok(back);
      // Read back and mapped again, the rule is the same rule.
      assert.equal(recurrenceToRule(back, start), row.rule);
    });
  }

  test('wire types: daysOfWeek is one comma-separated string, numbers are numbers', () => {
    assert.deepEqual(ruleToRecurrence('FREQ=WEEKLY;BYDAY=MO,WE;WKST=SU', TIMED), {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: 'monday,wednesday', firstDayOfWeek: 'sunday' }, range: { type: 'noEnd' },
    });
    assert.deepEqual(ruleToRecurrence('FREQ=MONTHLY;INTERVAL=3;COUNT=5;BYDAY=-1FR', TIMED), {
      pattern: { type: 'relativeMonthly', interval: 3, index: 'last', daysOfWeek: 'friday' }, range: { type: 'numbered', numberOfOccurrences: 5 },
    });
    assert.deepEqual(ruleToRecurrence('FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', TIMED), {
      pattern: { type: 'relativeMonthly', interval: 1, index: 'last', daysOfWeek: 'monday,tuesday,wednesday,thursday,friday' }, range: { type: 'noEnd' },
    });
    assert.deepEqual(ruleToRecurrence('FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=7', TIMED), { pattern: { type: 'absoluteYearly', interval: 1, dayOfMonth: 7 }, range: { type: 'noEnd' } });
  });

  test('rules made through Feishu: implicit parts from the start, UNTIL in the series zone', () => {
    assert.deepEqual(ruleToRecurrence('FREQ=WEEKLY', TIMED)?.pattern, { type: 'weekly', interval: 1, daysOfWeek: 'monday', firstDayOfWeek: 'monday' });
    assert.deepEqual(ruleToRecurrence('FREQ=MONTHLY', TIMED)?.pattern, { type: 'absoluteMonthly', interval: 1, dayOfMonth: 7 });
    assert.deepEqual(ruleToRecurrence('FREQ=YEARLY;INTERVAL=2', TIMED)?.pattern, { type: 'absoluteYearly', interval: 2, dayOfMonth: 7 });
    assert.deepEqual(ruleToRecurrence('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', TIMED)?.pattern, { type: 'weekly', interval: 1, daysOfWeek: 'monday,tuesday,wednesday,thursday,friday', firstDayOfWeek: 'monday' });
    assert.deepEqual(ruleToRecurrence('FREQ=DAILY;UNTIL=20300109T020000Z', TIMED)?.range, { type: 'endDate', endDate: '2030-01-09T10:00:00+08:00' });
    assert.deepEqual(ruleToRecurrence('FREQ=DAILY;UNTIL=20300109T100000', TIMED)?.range, { type: 'endDate', endDate: '2030-01-09T10:00:00+08:00' });
    assert.deepEqual(ruleToRecurrence('FREQ=DAILY;UNTIL=20300109T020000Z', ALL_DAY)?.range, { type: 'endDate', endDate: '2030-01-09T02:00:00Z' });
    assert.deepEqual(ruleToRecurrence('FREQ=DAILY;UNTIL=20300109', ALL_DAY)?.range, { type: 'endDate', endDate: '2030-01-09' });
  });

  test('rules DingTalk cannot express are left out (undefined)', () => {
    for (const rule of [
      'FREQ=MONTHLY;BYMONTHDAY=1,15', 'FREQ=HOURLY;COUNT=3', 'FREQ=YEARLY;BYMONTH=3', 'FREQ=DAILY;BYHOUR=9,17',
      'FREQ=MONTHLY;BYDAY=1MO,3MO', 'FREQ=YEARLY;BYDAY=1MO', 'FREQ=DAILY;INTERVAL=2;BYDAY=MO', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'not a rule',
    ]) {
      assert.equal(ruleToRecurrence(rule, TIMED), undefined, rule);
    }
  });
});
