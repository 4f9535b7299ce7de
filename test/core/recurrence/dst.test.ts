/**
 * DST behaviour. Expected instants are written out with explicit UTC offsets so they do not depend
 * on the engine's own zone code. Transitions used (2025):
 * - America/New_York: Mar 9 02:00 → 03:00 (gap), Nov 2 02:00 → 01:00 (overlap)
 * - Europe/Berlin: Mar 30 02:00 → 03:00 (gap), Oct 26 03:00 → 02:00 (overlap)
 * - Australia/Sydney: Apr 6 03:00 → 02:00 (overlap), Oct 5 02:00 → 03:00 (gap)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { expandOccurrences, seriesLastStart } from '../../../src/core/recurrence/index.js';

const at = (isoWithOffset: string): number => Date.parse(isoWithOffset) / 1000;

function expand(zone: string, rule: string, localStart: string, from: string, to: string): number[] {
  const start = Temporal.PlainDateTime.from(localStart).toZonedDateTime(zone);
  return [
    ...expandOccurrences({
      rule,
      start: { kind: 'timed', epochSeconds: start.epochMilliseconds / 1000, timeZone: zone },
      fromEpoch: at(from),
      toEpoch: at(to),
    }),
  ];
}

/** Local wall-clock rendering "YYYY-MM-DDTHH:MM±HH:MM" of an instant. */
function local(zone: string, epoch: number): string {
  const z = Temporal.Instant.fromEpochMilliseconds(epoch * 1000).toZonedDateTimeISO(zone);
  return `${z.toPlainDateTime().toString({ smallestUnit: 'minute' })}${z.offset}`;
}

describe('America/New_York', () => {
  const zone = 'America/New_York';

  test('daily 09:00 stays 09:00 across spring-forward', () => {
    const got = expand(zone, 'FREQ=DAILY', '2025-03-07T09:00', '2025-03-07T00:00Z', '2025-03-12T00:00Z');
    assert.deepEqual(got, [
      at('2025-03-07T14:00Z'), at('2025-03-08T14:00Z'), at('2025-03-09T13:00Z'), at('2025-03-10T13:00Z'), at('2025-03-11T13:00Z'),
    ]);
    assert.ok(got.every((e) => local(zone, e).slice(11, 16) === '09:00'));
  });

  test('weekly Sunday 09:00 stays 09:00 across fall-back', () => {
    const got = expand(zone, 'FREQ=WEEKLY;BYDAY=SU', '2025-10-19T09:00', '2025-10-01T00:00Z', '2025-11-17T00:00Z');
    assert.deepEqual(got.map((e) => local(zone, e)), [
      '2025-10-19T09:00-04:00', '2025-10-26T09:00-04:00', '2025-11-02T09:00-05:00', '2025-11-09T09:00-05:00', '2025-11-16T09:00-05:00',
    ]);
    assert.equal(got[2] - got[1], 7 * 86_400 + 3600); // the week with the extra hour
  });

  test('monthly on the 9th at 02:30: the gap day moves forward by the gap (03:30 EDT)', () => {
    const got = expand(zone, 'FREQ=MONTHLY;BYMONTHDAY=9', '2025-01-09T02:30', '2025-01-01T00:00Z', '2025-05-01T00:00Z');
    assert.deepEqual(got, [at('2025-01-09T02:30-05:00'), at('2025-02-09T02:30-05:00'), at('2025-03-09T03:30-04:00'), at('2025-04-09T02:30-04:00')]);
  });

  test('daily 02:30: only the gap day shifts, the series keeps 02:30 afterwards', () => {
    const got = expand(zone, 'FREQ=DAILY', '2025-03-08T02:30', '2025-03-08T00:00Z', '2025-03-11T00:00Z');
    assert.deepEqual(got.map((e) => local(zone, e)), ['2025-03-08T02:30-05:00', '2025-03-09T03:30-04:00', '2025-03-10T02:30-04:00']);
  });

  test('daily 01:30: the ambiguous time on fall-back day takes the earlier (EDT) instant', () => {
    const got = expand(zone, 'FREQ=DAILY', '2025-11-01T01:30', '2025-11-01T00:00Z', '2025-11-04T00:00Z');
    assert.deepEqual(got, [at('2025-11-01T01:30-04:00'), at('2025-11-02T01:30-04:00'), at('2025-11-03T01:30-05:00')]);
  });

  test('hourly COUNT=6 through the gap: the skipped hour does not consume COUNT', () => {
    const got = expand(zone, 'FREQ=HOURLY;COUNT=6', '2025-03-09T00:30', '2025-03-01T00:00Z', '2025-04-01T00:00Z');
    assert.deepEqual(got.map((e) => local(zone, e).slice(11)), ['00:30-05:00', '01:30-05:00', '03:30-04:00', '04:30-04:00', '05:30-04:00', '06:30-04:00']);
  });

  test('hourly through the overlap steps in wall-clock hours (the repeated 01:00 appears once)', () => {
    const got = expand(zone, 'FREQ=HOURLY;COUNT=4', '2025-11-02T00:00', '2025-11-01T00:00Z', '2025-11-03T00:00Z');
    assert.deepEqual(got, [at('2025-11-02T00:00-04:00'), at('2025-11-02T01:00-04:00'), at('2025-11-02T02:00-05:00'), at('2025-11-02T03:00-05:00')]);
  });
});

describe('Europe/Berlin', () => {
  const zone = 'Europe/Berlin';

  test('weekly Monday 09:00 stays 09:00 across March and October', () => {
    const spring = expand(zone, 'FREQ=WEEKLY', '2025-03-17T09:00', '2025-03-01T00:00Z', '2025-04-08T00:00Z');
    assert.deepEqual(spring, [at('2025-03-17T08:00Z'), at('2025-03-24T08:00Z'), at('2025-03-31T07:00Z'), at('2025-04-07T07:00Z')]);
    const autumn = expand(zone, 'FREQ=WEEKLY', '2025-03-17T09:00', '2025-10-15T00:00Z', '2025-11-04T00:00Z');
    assert.deepEqual(autumn, [at('2025-10-20T07:00Z'), at('2025-10-27T08:00Z'), at('2025-11-03T08:00Z')]);
  });

  test('every occurrence of a 3-year weekly series is at 09:00 local', () => {
    const got = expand(zone, 'FREQ=WEEKLY;BYDAY=MO,TH', '2024-01-01T09:00', '2024-01-01T00:00Z', '2027-01-01T00:00Z');
    assert.equal(got.length, 314); // 156 weeks + Mon Dec 28 and Thu Dec 31, 2026
    assert.ok(got.every((e) => local(zone, e).slice(11, 16) === '09:00'));
  });

  test('daily 02:30: gap day → 03:30 CEST, overlap day → earlier 02:30 CEST', () => {
    const gap = expand(zone, 'FREQ=DAILY', '2025-03-29T02:30', '2025-03-29T00:00Z', '2025-04-01T00:00Z');
    assert.deepEqual(gap.map((e) => local(zone, e)), ['2025-03-29T02:30+01:00', '2025-03-30T03:30+02:00', '2025-03-31T02:30+02:00']);
    const overlap = expand(zone, 'FREQ=DAILY', '2025-03-29T02:30', '2025-10-25T00:00Z', '2025-10-28T00:00Z');
    assert.deepEqual(overlap, [at('2025-10-25T00:30Z'), at('2025-10-26T00:30Z'), at('2025-10-27T01:30Z')]);
  });

  test('monthly last Sunday at 02:30 lands on both EU transition days', () => {
    const got = expand(zone, 'FREQ=MONTHLY;BYDAY=-1SU', '2025-01-26T02:30', '2025-01-01T00:00Z', '2026-01-01T00:00Z');
    assert.equal(got.length, 12);
    assert.equal(local(zone, got[2]), '2025-03-30T03:30+02:00');
    assert.equal(local(zone, got[9]), '2025-10-26T02:30+02:00');
    assert.ok(got.filter((_, i) => i !== 2).every((e) => local(zone, e).slice(11, 16) === '02:30'));
  });

  test('UNTIL in UTC is compared as an instant', () => {
    // 09:00 CEST on Apr 7 is 07:00Z: an UNTIL of 07:00Z includes it, 06:59:59Z does not.
    const start = { kind: 'timed' as const, epochSeconds: at('2025-03-24T09:00+01:00'), timeZone: zone };
    assert.equal(seriesLastStart('FREQ=WEEKLY;UNTIL=20250407T070000Z', start), at('2025-04-07T07:00Z'));
    assert.equal(seriesLastStart('FREQ=WEEKLY;UNTIL=20250407T065959Z', start), at('2025-03-31T07:00Z'));
  });
});

describe('Australia/Sydney', () => {
  const zone = 'Australia/Sydney';

  test('weekly Sunday 09:00 stays 09:00 across April and October', () => {
    const got = expand(zone, 'FREQ=WEEKLY;BYDAY=SU', '2025-03-30T09:00', '2025-03-01T00:00Z', '2025-10-13T00:00Z');
    assert.equal(got.length, 29); // Mar 30 … Oct 12 is 28 weeks
    assert.ok(got.every((e) => local(zone, e).slice(11, 16) === '09:00'));
    assert.deepEqual(got.slice(0, 2), [at('2025-03-30T09:00+11:00'), at('2025-04-06T09:00+10:00')]);
    assert.deepEqual(got.slice(-2), [at('2025-10-05T09:00+11:00'), at('2025-10-12T09:00+11:00')]);
  });

  test('monthly first Sunday at 02:30: April is ambiguous (earlier), October is in the gap (+1h)', () => {
    const got = expand(zone, 'FREQ=MONTHLY;BYDAY=1SU', '2025-03-02T02:30', '2025-03-01T00:00Z', '2025-11-01T00:00Z');
    assert.deepEqual(got.map((e) => local(zone, e)), [
      '2025-03-02T02:30+11:00', '2025-04-06T02:30+11:00', '2025-05-04T02:30+10:00', '2025-06-01T02:30+10:00',
      '2025-07-06T02:30+10:00', '2025-08-03T02:30+10:00', '2025-09-07T02:30+10:00', '2025-10-05T03:30+11:00',
    ]);
    assert.equal(got[1], at('2025-04-05T15:30Z'));
    assert.equal(got[7], at('2025-10-04T16:30Z'));
  });

  test('daily 02:30 through the October gap', () => {
    const got = expand(zone, 'FREQ=DAILY;COUNT=3', '2025-10-04T02:30', '2025-10-01T00:00Z', '2025-10-10T00:00Z');
    assert.deepEqual(got, [at('2025-10-04T02:30+10:00'), at('2025-10-05T03:30+11:00'), at('2025-10-06T02:30+11:00')]);
  });
});

test('all-day series expand by date in UTC, unaffected by any zone', () => {
  const got = [
    ...expandOccurrences({
      rule: 'FREQ=DAILY;COUNT=4',
      start: { kind: 'date', date: '2025-03-08' },
      fromEpoch: at('2025-03-01T00:00Z'),
    }),
  ];
  assert.deepEqual(got, [at('2025-03-08T00:00Z'), at('2025-03-09T00:00Z'), at('2025-03-10T00:00Z'), at('2025-03-11T00:00Z')]);
});
