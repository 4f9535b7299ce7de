import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateOf, formatDateTime, formatUtc, parseDateTime } from '../../../src/api/dingtalk/date-time.js';

test('ISO-8601 date-times: offsets, Z, wall times in a zone, a decoded + as a space', () => {
  const instant = 1_577_844_930; // 2020-01-01T02:15:30Z
  for (const text of ['2020-01-01T10:15:30+08:00', '2020-01-01T02:15:30Z', '2020-01-01T02:15:30.000Z', '2020-01-01T10:15:30 08:00', '2020-01-01T10:15:30+0800']) {
    assert.equal(parseDateTime(text), instant, text);
  }
  assert.equal(parseDateTime('2020-01-01T10:15:30', 'Asia/Shanghai'), instant);
  assert.equal(parseDateTime('2020-01-01T03:15:30', 'Europe/Berlin'), instant);
  for (const bad of ['2020-13-01T00:00:00Z', '2020-01-01', 'yesterday', '2020-01-01T25:00:00Z', '']) assert.equal(parseDateTime(bad), undefined, bad);
});

test('formatting: the zone\'s offset to the second; UTC with Z; dates of date-times', () => {
  assert.equal(formatDateTime(1_577_844_930, 'Asia/Shanghai'), '2020-01-01T10:15:30+08:00');
  assert.equal(formatDateTime(1_577_844_930, 'America/New_York'), '2019-12-31T21:15:30-05:00');
  assert.equal(formatUtc(1_577_844_930), '2020-01-01T02:15:30Z');
  assert.equal(dateOf('2021-12-31T23:30:00-05:00'), '2021-12-31');
  assert.equal(dateOf('2021-12-31'), '2021-12-31');
  assert.equal(dateOf('soon'), undefined);
});
