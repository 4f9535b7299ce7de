// Cancel and transfer decisions as tables: what they save, delete and record.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideEventCancel, isCancelledByOrganizer } from '../../../src/core/events/decide-cancel.js';
import { decideEventTransfer } from '../../../src/core/events/decide-transfer.js';
import type { TransferContext } from '../../../src/core/events/decide-transfer.js';
import { DomainError } from '../../../src/core/errors.js';
import { attendee, DAY, guest, home, organizer, row, shapes, T0, UID } from './fixtures.js';

const series = row({ recurrence: 'FREQ=DAILY;COUNT=5' });
const liveException = row({ originalStart: T0 + 2 * DAY, summary: 'moved' });
const cancelledException = row({ originalStart: T0 + 3 * DAY, status: 'cancelled' });
const lisi = attendee('lisi');
const self = attendee('org', { isOrganizer: true, rsvp: 'accept', calendarId: 'c-org' });

describe('decideEventCancel', () => {
  const base = { actor: organizer, event: series, side: 'organizer' as const, calendarId: 'c-org', series: [series, liveException, cancelledException], home, attendees: [lisi], now: 5 };
  test('the organizer cancels a series: the live rows marked cancelled by the organizer, a row deleted before stays unmarked', () => {
    const d = decideEventCancel(base);
    assert.deepEqual(d.rows.map((e) => [e.originalStart, e.status, isCancelledByOrganizer(e)]), [
      [0, 'cancelled', true], [T0 + 2 * DAY, 'cancelled', true], [T0 + 3 * DAY, 'cancelled', false],
    ]);
    assert.deepEqual(shapes(d.changes), [
      `c-lisi event deleted ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-lisi event deleted ${UID}_0 @0`,
      `c-org event deleted ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-org event deleted ${UID}_0 @0`,
    ].sort());
  });
  test('an attendee may not cancel', () => {
    assert.throws(() => decideEventCancel({ ...base, actor: guest, side: 'attendee' }), (e: unknown) => e instanceof DomainError && e.kind === 'no_event_permission');
  });
});

describe('decideEventTransfer', () => {
  const base: TransferContext = {
    actor: organizer, event: series, side: 'organizer', series: [series, liveException, cancelledException], home, oldOrganizerName: 'Org',
    attendees: [self, lisi], newOrganizer: { userId: 'lisi', name: 'Li', calendarId: 'c-lisi' }, exitCalendar: false, newAttendeeIds: ['n1', 'n2'], now: 9,
  };
  test('to an attendee, the old organizer staying: every row moves; both still see it (updated); the new one answers', () => {
    const d = decideEventTransfer(base);
    assert.deepEqual(d.rows.map((e) => e.calendarId), ['c-lisi', 'c-lisi', 'c-lisi']);
    assert.deepEqual(d.attendees.map((a) => [a.attendeeId, a.isOrganizer, a.rsvp, a.calendarId]), [['lisi', true, 'accept', 'c-lisi'], ['org', false, 'accept', 'c-org']]);
    assert.deepEqual(d.deletes, []);
    assert.deepEqual(shapes(d.changes), [
      `c-lisi attendee replied lisi`,
      `c-lisi event updated ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-lisi event updated ${UID}_0 @0`,
      `c-org event updated ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-org event updated ${UID}_0 @0`,
    ].sort());
  });
  test('to a new user, the old organizer exiting: the event appears in the new calendar and leaves the old', () => {
    const d = decideEventTransfer({ ...base, attendees: [self], newOrganizer: { userId: 'zhao', name: 'Zhao', calendarId: 'c-zhao' }, exitCalendar: true });
    assert.deepEqual(d.attendees.map((a) => [a.attendeeId, a.userId, a.isOrganizer, a.calendarId]), [['n1', 'zhao', true, 'c-zhao']]);
    assert.deepEqual(d.deletes.map((a) => a.attendeeId), ['org']);
    assert.deepEqual(shapes(d.changes), [
      `c-org event deleted ${UID}_0 @0`,
      `c-zhao attendee attendee_added n1`, `c-zhao attendee attendee_removed org`,
      `c-zhao event created ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-zhao event created ${UID}_0 @0`,
    ].sort());
  });
  test('an old organizer with no attendee entry who stays gets one', () => {
    const d = decideEventTransfer({ ...base, attendees: [] });
    assert.deepEqual(d.attendees.map((a) => [a.attendeeId, a.userId, a.displayName, a.isOrganizer, a.calendarId]), [['n1', 'lisi', 'Li', true, 'c-lisi'], ['n2', 'org', 'Org', false, 'c-org']]);
  });
  const refused: Array<[string, Partial<TransferContext>, string]> = [
    ['by an attendee', { side: 'attendee' }, 'no_event_permission'],
    ['an occurrence', { event: liveException }, 'invalid_argument'],
    ['to its own organizer', { newOrganizer: { userId: 'org', name: 'Org', calendarId: 'c-org' } }, 'invalid_argument'],
    ['an event no user organizes', { home: { calendarId: 'c-org' } }, 'invalid_argument'],
  ];
  for (const [name, over, kind] of refused) {
    test(`refused: ${name}`, () => {
      assert.throws(() => decideEventTransfer({ ...base, ...over }), (e: unknown) => e instanceof DomainError && e.kind === kind);
    });
  }
});
