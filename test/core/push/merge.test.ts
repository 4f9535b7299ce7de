import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventChangedIntent, EventChangeType } from '../../../src/core/push/decide-pushes.js';
import { mergeEventChange, mergeKeyOf } from '../../../src/core/push/merge.js';

const intent = (changeType: EventChangeType, seq: number, extra: Partial<EventChangedIntent> = {}): EventChangedIntent => ({
  type: 'event_changed', appId: 'cli_a', tenantKey: 't', seq, at: 1_000 + seq, subscribers: ['u1'],
  calendarId: 'cal', eventId: 'ev_0', changeType, ...extra,
});

const outcome = (a: EventChangeType, b: EventChangeType) => {
  const o = mergeEventChange(intent(a, 1), intent(b, 2));
  return o.kind === 'merged' ? o.intent.changeType : o.kind;
};

test('the platform\'s rules: create+delete none, create+update create, delete+update delete, update+update update, rsvp+rsvp rsvp', () => {
  assert.equal(outcome('create', 'delete'), 'cancelled');
  assert.equal(outcome('create', 'update'), 'create');
  assert.equal(outcome('create', 'rsvp'), 'create');
  assert.equal(outcome('delete', 'update'), 'delete');
  assert.equal(outcome('update', 'delete'), 'delete');
  assert.equal(outcome('rsvp', 'delete'), 'delete');
  assert.equal(outcome('update', 'update'), 'update');
  assert.equal(outcome('rsvp', 'rsvp'), 'rsvp');
  // Where the rules are silent the changes stay apart.
  assert.equal(outcome('update', 'rsvp'), 'separate');
  assert.equal(outcome('rsvp', 'update'), 'separate');
  assert.equal(outcome('delete', 'create'), 'separate');
});

test('a merged push keeps the first record, counts its changes and joins the subscribers', () => {
  const o = mergeEventChange(intent('update', 1, { subscribers: ['u2'] }), intent('update', 5, { subscribers: ['u1'] }));
  assert.equal(o.kind, 'merged');
  if (o.kind !== 'merged') return;
  assert.deepEqual({ seq: o.intent.seq, at: o.intent.at, merged: o.intent.merged, subscribers: o.intent.subscribers }, { seq: 1, at: 1_005, merged: 2, subscribers: ['u1', 'u2'] });
});

test('answers merge to each user\'s last, in the order the users first answered', () => {
  const a = intent('rsvp', 1, { rsvps: [{ userId: 'lisi', status: 'accept' }] });
  const b = intent('rsvp', 2, { rsvps: [{ userId: 'wangwu', status: 'decline' }] });
  const c = intent('rsvp', 3, { rsvps: [{ userId: 'lisi', status: 'tentative' }] });
  const ab = mergeEventChange(a, b);
  assert.equal(ab.kind, 'merged');
  if (ab.kind !== 'merged') return;
  const abc = mergeEventChange(ab.intent, c);
  assert.equal(abc.kind, 'merged');
  if (abc.kind !== 'merged') return;
  assert.deepEqual(abc.intent.rsvps, [{ userId: 'lisi', status: 'tentative' }, { userId: 'wangwu', status: 'decline' }]);
  assert.equal(abc.intent.merged, 3);
});

test('an update after answers carries no rsvp_infos; the key has no NUL (PostgreSQL text)', () => {
  const o = mergeEventChange(intent('create', 1), intent('rsvp', 2, { rsvps: [{ userId: 'lisi', status: 'accept' }] }));
  assert.equal(o.kind === 'merged' && o.intent.rsvps, undefined);
  assert.ok(!mergeKeyOf(intent('create', 1)).includes('\u0000'));
});
