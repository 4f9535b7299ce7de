import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  formatRecurrenceRule, isUnboundedRule, parseRecurrenceRule, RecurrenceRuleError,
} from '../../../src/core/recurrence/index.js';

/** [rule, part named by the error, message fragment]. */
const REJECTED: ReadonlyArray<readonly [string, string, string]> = [
  ['', 'RRULE', 'rule is empty'],
  ['RRULE:', 'RRULE', 'rule is empty'],
  ['FREQ', 'RRULE', 'malformed part "FREQ"'],
  ['=DAILY', 'RRULE', 'malformed part'],
  ['INTERVAL=2', 'FREQ', 'FREQ is required'],
  ['FREQ=SECONDLY', 'FREQ', 'FREQ=SECONDLY is not supported'],
  ['FREQ=MINUTELY;COUNT=3', 'FREQ', 'FREQ=MINUTELY is not supported'],
  ['FREQ=FORTNIGHTLY', 'FREQ', 'FREQ has an invalid value'],
  ['FREQ=HOURLY', 'FREQ', 'FREQ=HOURLY requires COUNT or UNTIL'],
  ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ', 'FREQ must not appear more than once'],
  ['FREQ=DAILY;COUNT=3;UNTIL=20250101', 'COUNT', 'COUNT and UNTIL must not both be set'],
  ['FREQ=DAILY;COUNT=0', 'COUNT', 'COUNT must be between 1 and'],
  ['FREQ=DAILY;COUNT=-1', 'COUNT', 'COUNT must be a positive integer'],
  ['FREQ=DAILY;COUNT=1.5', 'COUNT', 'COUNT must be a positive integer'],
  ['FREQ=DAILY;COUNT=50001', 'COUNT', 'COUNT must be between 1 and 50000'],
  ['FREQ=DAILY;INTERVAL=0', 'INTERVAL', 'INTERVAL must be between 1 and'],
  ['FREQ=DAILY;INTERVAL=abc', 'INTERVAL', 'INTERVAL must be a positive integer'],
  ['FREQ=DAILY;INTERVAL=', 'INTERVAL', 'INTERVAL has an empty value'],
  ['FREQ=DAILY;UNTIL=2025-01-01', 'UNTIL', 'UNTIL must be YYYYMMDD'],
  ['FREQ=DAILY;UNTIL=20250230', 'UNTIL', 'UNTIL is not a valid date'],
  ['FREQ=DAILY;UNTIL=20251301T000000Z', 'UNTIL', 'UNTIL is not a valid date'],
  ['FREQ=DAILY;UNTIL=20250101T250000Z', 'UNTIL', 'UNTIL is not a valid time'],
  ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY', 'BYDAY has an invalid value "XX"'],
  ['FREQ=WEEKLY;BYDAY=MO,', 'BYDAY', 'BYDAY has an invalid value ""'],
  ['FREQ=MONTHLY;BYDAY=0MO', 'BYDAY', 'out of range'],
  ['FREQ=YEARLY;BYDAY=54MO', 'BYDAY', 'out of range'],
  ['FREQ=MONTHLY;BYDAY=6FR', 'BYDAY', 'out of range for FREQ=MONTHLY'],
  ['FREQ=WEEKLY;BYDAY=2TU', 'BYDAY', 'only allowed with FREQ=MONTHLY or FREQ=YEARLY'],
  ['FREQ=DAILY;BYDAY=-1FR', 'BYDAY', 'only allowed with FREQ=MONTHLY or FREQ=YEARLY'],
  ['FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO', 'BYDAY', 'not allowed together with BYWEEKNO'],
  ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY', 'out of range'],
  ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY', 'out of range'],
  ['FREQ=MONTHLY;BYMONTHDAY=-32', 'BYMONTHDAY', 'out of range'],
  ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY', 'not allowed with FREQ=WEEKLY'],
  ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH', 'out of range'],
  ['FREQ=YEARLY;BYMONTH=-1', 'BYMONTH', 'must not be negative'],
  ['FREQ=YEARLY;BYMONTH=1,,2', 'BYMONTH', 'invalid value ""'],
  ['FREQ=YEARLY;BYYEARDAY=367', 'BYYEARDAY', 'out of range'],
  ['FREQ=MONTHLY;BYYEARDAY=1', 'BYYEARDAY', 'not allowed with FREQ=MONTHLY'],
  ['FREQ=DAILY;BYYEARDAY=1', 'BYYEARDAY', 'not allowed with FREQ=DAILY'],
  ['FREQ=YEARLY;BYWEEKNO=54', 'BYWEEKNO', 'out of range'],
  ['FREQ=MONTHLY;BYWEEKNO=1', 'BYWEEKNO', 'only allowed with FREQ=YEARLY'],
  ['FREQ=DAILY;BYHOUR=24', 'BYHOUR', 'out of range'],
  ['FREQ=DAILY;BYMINUTE=60', 'BYMINUTE', 'out of range'],
  ['FREQ=DAILY;BYSECOND=60', 'BYSECOND', 'out of range'],
  ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS', 'requires another BYxxx part'],
  ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', 'BYSETPOS', 'out of range'],
  ['FREQ=WEEKLY;WKST=XY', 'WKST', 'WKST has an invalid value'],
  ['FREQ=DAILY;FOO=BAR', 'FOO', 'unknown part FOO'],
  ['FREQ=DAILY;X-NAME=1', 'X-NAME', 'unknown part X-NAME'],
  ['RSCALE=CHINESE;FREQ=YEARLY', 'RSCALE', 'RSCALE (RFC 7529) is not supported'],
  ['FREQ=YEARLY;SKIP=BACKWARD', 'SKIP', 'SKIP (RFC 7529) is not supported'],
];

describe('rejected rules', () => {
  for (const [text, part, fragment] of REJECTED) {
    test(`${JSON.stringify(text)} → ${part}`, () => {
      assert.throws(
        () => parseRecurrenceRule(text),
        (err: unknown) => {
          assert.ok(err instanceof RecurrenceRuleError);
          assert.equal(err.name, 'RecurrenceRuleError');
          assert.equal(err.part, part);
          assert.ok(err.message.startsWith('recurrence: '), err.message);
          assert.ok(err.message.includes(fragment), `"${err.message}" should contain "${fragment}"`);
          assert.ok(err.message.includes(part === 'RRULE' ? '' : part), `message names ${part}`);
          return true;
        },
      );
    });
  }
});

describe('accepted rules', () => {
  test('a plain weekly rule gets defaults', () => {
    assert.deepEqual(parseRecurrenceRule('FREQ=WEEKLY;BYDAY=MO,WE'), {
      text: 'FREQ=WEEKLY;BYDAY=MO,WE',
      freq: 'WEEKLY',
      interval: 1,
      byDay: [{ weekday: 'MO' }, { weekday: 'WE' }],
      wkst: 'MO',
    });
  });

  test('RRULE: prefix, lower case, trailing semicolon and duplicates are tolerated', () => {
    const rule = parseRecurrenceRule(' rrule:freq=monthly;byday=-1fr,2tu,2TU;bymonthday=-1,1,-1; ');
    assert.equal(rule.freq, 'MONTHLY');
    assert.deepEqual(rule.byDay, [{ weekday: 'FR', ordinal: -1 }, { weekday: 'TU', ordinal: 2 }]);
    assert.deepEqual(rule.byMonthDay, [-1, 1]);
  });

  test('every supported part', () => {
    const rule = parseRecurrenceRule(
      'FREQ=YEARLY;INTERVAL=2;UNTIL=20300101T000000Z;BYMONTH=1,3;BYWEEKNO=1,-1;BYYEARDAY=100,-1;BYMONTHDAY=5;BYDAY=MO;BYHOUR=9;BYMINUTE=30;BYSECOND=0;BYSETPOS=1,-1;WKST=SU',
    );
    assert.deepEqual({ ...rule, text: undefined }, {
      text: undefined,
      freq: 'YEARLY',
      interval: 2,
      until: { kind: 'utc', epochSeconds: Date.UTC(2030, 0, 1) / 1000 },
      bySecond: [0],
      byMinute: [30],
      byHour: [9],
      byDay: [{ weekday: 'MO' }],
      byMonthDay: [5],
      byYearDay: [-1, 100],
      byWeekNo: [-1, 1],
      byMonth: [1, 3],
      bySetPos: [-1, 1],
      wkst: 'SU',
    });
  });

  test('the three UNTIL forms', () => {
    assert.deepEqual(parseRecurrenceRule('FREQ=DAILY;UNTIL=20250307').until, { kind: 'date', date: '2025-03-07' });
    assert.deepEqual(parseRecurrenceRule('FREQ=DAILY;UNTIL=20250307T235959').until, { kind: 'local', dateTime: '2025-03-07T23:59:59' });
    assert.deepEqual(parseRecurrenceRule('FREQ=DAILY;UNTIL=20250307T155959Z').until, {
      kind: 'utc',
      epochSeconds: Date.UTC(2025, 2, 7, 15, 59, 59) / 1000,
    });
  });

  test('HOURLY with COUNT or UNTIL', () => {
    assert.equal(parseRecurrenceRule('FREQ=HOURLY;COUNT=5').count, 5);
    assert.equal(parseRecurrenceRule('FREQ=HOURLY;INTERVAL=3;UNTIL=20250101T000000Z').interval, 3);
  });

  test('Feishu-style rules', () => {
    for (const text of [
      'FREQ=DAILY;INTERVAL=1',
      'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR',
      'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=15',
      'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU',
      'FREQ=YEARLY;INTERVAL=1',
      'FREQ=DAILY;UNTIL=20230307;INTERVAL=1',
      'FREQ=WEEKLY;COUNT=10;BYDAY=SU',
    ]) {
      assert.doesNotThrow(() => parseRecurrenceRule(text), text);
    }
  });

  test('format gives a canonical, re-parsable text', () => {
    const rule = parseRecurrenceRule('byday=we,mo;freq=weekly;interval=2;until=20250307T155959Z;wkst=su');
    const text = formatRecurrenceRule(rule);
    assert.equal(text, 'FREQ=WEEKLY;INTERVAL=2;UNTIL=20250307T155959Z;BYDAY=MO,WE;WKST=SU');
    assert.deepEqual({ ...parseRecurrenceRule(text), text: '' }, { ...rule, text: '' });
  });

  test('isUnboundedRule', () => {
    assert.equal(isUnboundedRule('FREQ=DAILY'), true);
    assert.equal(isUnboundedRule('FREQ=DAILY;COUNT=3'), false);
    assert.equal(isUnboundedRule(parseRecurrenceRule('FREQ=DAILY;UNTIL=20250101')), false);
  });
});
