// The crash test's change-log check finds each way a write and its records can part.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logViolations } from './lib/crash-log.js';
import type { LogRow, LogSnapshot } from './lib/crash-log.js';

const C = 'cal_org';
const L = 'cal_lisi';
const E1 = 'u1_0';
const E2 = 'u2_0';

const rec = (seq: number, calendarId: string, objectId: string, kind: string, object = 'event'): LogRow =>
  ({ seq, calendarId, object, objectId, uid: object === 'event' ? objectId.split('_')[0] : 'u1', instanceStart: 0, kind });

/** E1 created, patched, lisi invited (attendee a1), then E2 created and deleted. */
const consistent: LogSnapshot = {
  records: [
    rec(2, C, E1, 'created'), rec(4, C, E1, 'updated'), rec(6, C, E1, 'updated'), rec(7, L, E1, 'created'), rec(8, C, 'a1', 'attendee_added', 'attendee'),
    rec(10, C, E2, 'created'), rec(12, C, E2, 'deleted'),
  ],
  events: [{ eventId: E1, uid: 'u1', calendarId: C, status: 'confirmed' }, { eventId: E2, uid: 'u2', calendarId: C, status: 'cancelled' }],
  attendees: [{ uid: 'u1', attendeeId: 'a1', calendarId: L, rsvp: 'needs_action' }],
};
const acked = [
  { op: 'create' as const, eventId: E1 }, { op: 'patch' as const, eventId: E1 }, { op: 'add' as const, eventId: E1, attendeeIds: ['a1'] },
  { op: 'create' as const, eventId: E2 }, { op: 'delete' as const, eventId: E2 },
];

describe('crash test: change log against the rows', () => {
  test('a log that matches its writes has nothing to say', () => {
    assert.deepEqual(logViolations(consistent, acked, 0, C), []);
  });

  test('an acknowledged write without its record', () => {
    const missing = { ...consistent, records: consistent.records.filter((r) => r.seq !== 12 && r.seq !== 8) };
    const found = logViolations(missing, acked, 0, C);
    assert.ok(found.some((v) => v.includes('attendee a1') && v.includes('no attendee_added record')), found.join('\n'));
    assert.ok(found.some((v) => v.includes(`of ${E2}, 0 deleted record(s)`)), found.join('\n'));
    // Two patches acknowledged need two records after the position.
    assert.ok(logViolations(consistent, [...acked, { op: 'patch', eventId: E1 }, { op: 'patch', eventId: E1 }], 0, C).some((v) => v.includes('3 acknowledged patch')));
    assert.ok(logViolations(consistent, acked, 4, C).some((v) => v.includes(`of ${E1}, 0 created`)));
  });

  test('a record without its write, and a committed write nobody recorded', () => {
    const ghost = { ...consistent, records: [...consistent.records, rec(14, C, 'u3_0', 'created')] };
    assert.deepEqual(logViolations(ghost, acked, 0, C), [`calendar ${C}: the log shows event u3_0, the rows do not`]);
    const unlogged = { ...consistent, events: [...consistent.events, { eventId: 'u4_0', uid: 'u4', calendarId: C, status: 'confirmed' }] };
    assert.deepEqual(logViolations(unlogged, acked, 0, C), [`calendar ${C}: event u4_0 shows there, the log does not say so`]);
    const notRemoved = { ...consistent, records: [...consistent.records, rec(16, C, 'a1', 'attendee_removed', 'attendee'), rec(17, L, E1, 'deleted')] };
    assert.deepEqual(logViolations(notRemoved, acked, 0, C), ['record 16 says attendee a1 attendee_removed, the row is rsvp needs_action', `calendar ${L}: event ${E1} shows there, the log does not say so`]);
  });
});
