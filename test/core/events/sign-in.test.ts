import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideSignIn, signInWindow } from '../../../src/core/events/sign-in.js';
import { DomainError } from '../../../src/core/errors.js';
import { T0, UID, row } from './fixtures.js';

const actor = { tenantKey: 't', appId: 'app', userId: 'guest' };
const ask = (over: Partial<Parameters<typeof decideSignIn>[0]> = {}) => ({
  actor, event: row(), eventId: `${UID}_0`, kind: 'sign_in' as const, userId: 'guest',
  organizer: false, attendee: true, existing: undefined, now: T0 * 1000, ...over,
});
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return `${e.kind} ${e.field}`;
  }
  return 'accepted';
};

describe('sign-in decisions', () => {
  test('windows: the default, the event\'s own check-in settings, sign-out', () => {
    assert.deepEqual(signInWindow(row(), 'sign_in'), { opens: T0 - 900, closes: T0 + 3600 });
    assert.deepEqual(signInWindow(row(), 'sign_out'), { opens: T0, closes: T0 + 7200 });
    const own = row({ checkIn: { enableCheckIn: true, checkInStartTime: { timeType: 'after_event_start', duration: 5 }, checkInEndTime: { timeType: 'after_event_end', duration: 30 } } });
    assert.deepEqual(signInWindow(own, 'sign_in'), { opens: T0 + 300, closes: T0 + 3600 + 1800 });
  });

  const table: Array<[string, Partial<Parameters<typeof decideSignIn>[0]>, string]> = [
    ['an attendee inside the window', {}, 'accepted'],
    ['the organizer', { organizer: true, attendee: false }, 'accepted'],
    ['someone else', { attendee: false }, 'no_event_permission userId'],
    ['too early', { now: (T0 - 901) * 1000 }, 'invalid_argument eventId'],
    ['too late', { now: (T0 + 3601) * 1000 }, 'invalid_argument eventId'],
    ['check-in switched off', { event: row({ checkIn: { enableCheckIn: false } }) }, 'invalid_argument eventId'],
    ['sign-out before the start', { kind: 'sign_out', now: (T0 - 1) * 1000 }, 'invalid_argument eventId'],
    ['sign-out an hour after the end', { kind: 'sign_out', now: (T0 + 7200) * 1000 }, 'accepted'],
  ];
  for (const [name, over, expected] of table) test(name, () => assert.equal(refusal(() => decideSignIn(ask(over))), expected));

  test('a record and its change; again: the first record, nothing written', () => {
    const first = decideSignIn(ask());
    assert.deepEqual(first.record, { eventId: `${UID}_0`, kind: 'sign_in', userId: 'guest', at: T0 * 1000 });
    assert.deepEqual(first.changes.map((c) => [c.object, c.kind, c.calendarId, c.audience]), [['sign_in', 'signed_in', 'c-org', ['guest']]]);
    const again = decideSignIn(ask({ existing: first.record, now: (T0 + 60) * 1000 }));
    assert.deepEqual([again.record, again.changes], [first.record, []]);
  });
});
