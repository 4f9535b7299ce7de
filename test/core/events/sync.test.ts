// Which rows a calendar's sync page names and what each answers as, from change records alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChangeKind, ChangeRecord } from '../../../src/core/changes.js';
import { answerSync, SyncScan } from '../../../src/core/events/sync.js';
import type { CalendarEvent } from '../../../src/core/events/types.js';

const U1 = '00000000-0000-4000-8000-000000000001';
const U2 = '00000000-0000-4000-8000-000000000002';
const U3 = '00000000-0000-4000-8000-000000000003';

const rec = (seq: number, eventId: string, kind: ChangeKind = 'updated', object: ChangeRecord['object'] = 'event'): ChangeRecord => {
  const [uid, start] = eventId.split('_');
  return { seq, at: 0, tenantKey: 't', calendarId: 'c', object, objectId: eventId, uid, instanceStart: Number(start), kind, audience: [] };
};

const row = (uid: string, originalStart: number, status: 'confirmed' | 'cancelled' = 'confirmed'): CalendarEvent => ({
  uid, originalStart, calendarId: 'c', tenantKey: 't', creator: 'u:x', summary: `${uid.slice(-1)}@${originalStart}`, description: 'd',
  start: { kind: 'timed', epoch: 1000 + originalStart, timeZone: 'UTC' }, end: { kind: 'timed', epoch: 2000 + originalStart, timeZone: 'UTC' }, vchat: null, visibility: 'default',
  attendeeAbility: 'none', freeBusyStatus: 'busy', location: null, recurrence: originalStart === 0 ? 'FREQ=DAILY' : '', schemas: [], attachments: [], checkIn: null,
  source: '', status, recurringEventId: '', color: -1, reminders: [], createTime: 0, updateTime: 0, seq: 1, idempotencyKey: null, extensions: {},
});

describe('SyncScan', () => {
  test('distinct rows by their newest record; other objects pass; a full page stops before the row that would not fit', () => {
    const scan = new SyncScan(10, 2);
    assert.equal(scan.add([rec(11, `${U1}_0`), rec(12, `${U1}_0`, 'replied', 'attendee'), rec(13, `${U2}_0`)]), true);
    assert.equal(scan.add([rec(14, `${U1}_0`), rec(15, `${U3}_0`), rec(16, `${U1}_0`)]), false);
    assert.equal(scan.full, true);
    // Resuming after 14 reads 15 again: nothing after the page's rows is lost.
    assert.equal(scan.through, 14);
    assert.deepEqual(scan.touched().map((t) => [t.eventId, t.seq]), [[`${U2}_0`, 13], [`${U1}_0`, 14]]);
  });

  test('a log read to its end is not full; through is the last record, or the position when there was none', () => {
    const empty = new SyncScan(7, 5);
    assert.equal(empty.add([]), true);
    assert.deepEqual([empty.full, empty.through], [false, 7]);
    const some = new SyncScan(7, 5);
    some.add([rec(8, `${U1}_0`, 'created'), rec(9, `${U1}_0`, 'deleted')]);
    assert.deepEqual([some.full, some.through], [false, 9]);
    assert.equal(some.touched()[0].seriesDeleted, true);
  });
});

describe('answerSync', () => {
  const rowsOf = (events: CalendarEvent[], away: string[] = []) => ({
    byId: new Map(events.map((e) => [`${e.uid}_${e.originalStart}`, e])),
    seriesOf: (uid: string) => events.filter((e) => e.uid === uid),
    showsIn: (uid: string) => !away.includes(uid),
  });

  test('rows still in the calendar answer as they are, cancelled ones included', () => {
    const scan = new SyncScan(0, 10);
    scan.add([rec(1, `${U1}_0`), rec(2, `${U2}_500`, 'deleted')]);
    const items = answerSync(scan.touched(), rowsOf([row(U1, 0), row(U2, 0), row(U2, 500, 'cancelled')]));
    assert.deepEqual(items.map((i) => [i.event.summary, i.event.status, i.withdrawn]), [['1@0', 'confirmed', false], ['2@500', 'cancelled', false]]);
  });

  test('a series deleted whole answers every row of it', () => {
    const scan = new SyncScan(0, 10);
    scan.add([rec(5, `${U1}_0`, 'deleted')]);
    const items = answerSync(scan.touched(), rowsOf([row(U1, 0, 'cancelled'), row(U1, 86_400, 'cancelled')]));
    assert.deepEqual(items.map((i) => `${i.event.uid}_${i.event.originalStart}`), [`${U1}_0`, `${U1}_86400`]);
  });

  test('an event that left the calendar answers once, as its master withdrawn at its newest record', () => {
    const scan = new SyncScan(0, 10);
    scan.add([rec(3, `${U1}_500`), rec(4, `${U1}_0`, 'deleted'), rec(6, `${U2}_0`)]);
    const items = answerSync(scan.touched(), rowsOf([row(U1, 0), row(U1, 500), row(U2, 0)], [U1]));
    assert.equal(items.length, 2);
    const [gone, kept] = items;
    assert.deepEqual([gone.event.uid, gone.event.originalStart, gone.event.status, gone.event.seq, gone.event.summary, gone.event.description, gone.withdrawn],
      [U1, 0, 'cancelled', 4, '', '', true]);
    assert.deepEqual([kept.event.uid, kept.withdrawn], [U2, false]);
  });
});
