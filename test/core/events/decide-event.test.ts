// The event write decisions as tables: what a create, patch or delete saves and which records it appends.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideEventCreate, decideEventDelete, decideEventPatch } from '../../../src/core/events/decide-event.js';
import type { PatchContext } from '../../../src/core/events/decide-event.js';
import type { EventInput } from '../../../src/core/events/input.js';
import type { CalendarEvent } from '../../../src/core/events/types.js';
import { DomainError } from '../../../src/core/errors.js';
import { attendee, bot, calendar, DAY, guest, home, organizer, row, shapes, T0, UID } from './fixtures.js';

const at = (s: number) => ({ kind: 'timed' as const, epoch: s, timeZone: 'UTC' });
const series = row({ recurrence: 'FREQ=DAILY;COUNT=5' });
const instance = row({ originalStart: T0 + DAY, start: at(T0 + DAY), end: at(T0 + DAY + 3600), recurrence: 'FREQ=DAILY;COUNT=5' });
const liveException = row({ originalStart: T0 + 2 * DAY, summary: 'moved' });
const cancelledException = row({ originalStart: T0 + 3 * DAY, status: 'cancelled' });
const lisi = attendee('lisi');
const removed = attendee('gone', { rsvp: 'removed' });

describe('decideEventCreate', () => {
  test('a new event shows in its organizer calendar only: one created record; colour and reminders are the creator\'s own', () => {
    const d = decideEventCreate({ actor: organizer, calendar, input: { summary: 'x', start: at(T0), end: at(T0 + 60), color: 3 }, uid: UID, attachments: [], idempotencyKey: null, now: 7 });
    assert.deepEqual(shapes(d.changes), [`c-org event created ${UID}_0 @0`]);
    assert.deepEqual(d.changes[0].audience, ['org']);
    assert.equal(d.event.createTime, 7);
    assert.deepEqual(d.personal, { uid: UID, principal: 'u:org', color: 3, reminders: undefined });
  });
  const refused: Array<[string, EventInput, string]> = [
    ['no end', { start: at(T0) }, 'end'],
    ['no start', { end: at(T0) }, 'start'],
    ['end before start', { start: at(T0 + 60), end: at(T0) }, 'end'],
  ];
  for (const [name, input, field] of refused) {
    test(`refused: ${name}`, () => {
      assert.throws(() => decideEventCreate({ actor: bot, calendar, input, uid: UID, attachments: [], idempotencyKey: null, now: 0 }),
        (e: unknown) => e instanceof DomainError && e.field === field);
    });
  }
});

describe('decideEventPatch', () => {
  const base: PatchContext = {
    actor: organizer, event: row(), side: 'organizer', occurrence: undefined, personal: undefined, calendarId: 'c-org', organizerIsBot: false,
    input: {}, attachments: undefined, exceptions: [], master: undefined, home, attendees: [lisi, removed], now: 9,
  };
  const cases: Array<{ name: string; c: Partial<PatchContext>; rows: string[]; records: string[]; answersFirstRow: boolean; occurrence?: string }> = [
    { name: 'nothing sent: nothing saved', c: {}, rows: [], records: [], answersFirstRow: false },
    { name: 'a lone start is ignored (Feishu)', c: { input: { start: at(T0 + 60) } }, rows: [], records: [], answersFirstRow: false },
    {
      name: 'summary: the row, updated in every calendar it shows in (not a removed invitation\'s)',
      c: { input: { summary: 'y' } }, rows: [`${UID}_0 confirmed`], records: [`c-lisi event updated ${UID}_0 @0`, `c-org event updated ${UID}_0 @0`], answersFirstRow: true,
    },
    {
      name: 'an instance becomes an exception',
      c: { event: instance, occurrence: 'instance', input: { summary: 'y' } }, rows: [`${UID}_${T0 + DAY} confirmed`],
      records: [`c-lisi event updated ${UID}_${T0 + DAY} @${T0 + DAY}`, `c-org event updated ${UID}_${T0 + DAY} @${T0 + DAY}`], answersFirstRow: true, occurrence: 'exception',
    },
    {
      name: 'a series\' times change: exceptions detached, the live one deleted',
      c: { event: series, exceptions: [liveException, cancelledException], input: { start: at(T0 + 60), end: at(T0 + 120) } },
      rows: [`${UID}_0 confirmed`, `${UID}_${T0 + 2 * DAY} cancelled`, `${UID}_${T0 + 3 * DAY} cancelled`],
      records: [
        `c-lisi event deleted ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-lisi event updated ${UID}_0 @0`,
        `c-org event deleted ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-org event updated ${UID}_0 @0`,
      ],
      answersFirstRow: true,
    },
    {
      name: 'a series\' summary change keeps its exceptions',
      c: { event: series, exceptions: [liveException], input: { summary: 'y' } }, rows: [`${UID}_0 confirmed`],
      records: [`c-lisi event updated ${UID}_0 @0`, `c-org event updated ${UID}_0 @0`], answersFirstRow: true,
    },
    {
      name: 'personal only, on an instance: touches the master, in the caller\'s calendar only',
      c: { actor: guest, side: 'attendee', calendarId: 'c-lisi', event: instance, occurrence: 'instance', master: series, input: { color: 2 } },
      rows: [`${UID}_0 confirmed`], records: [`c-lisi event updated ${UID}_0 @0`], answersFirstRow: false, occurrence: 'instance',
    },
    {
      name: 'personal only, on a single event: the row, answered',
      c: { input: { visibility: 'private' } }, rows: [`${UID}_0 confirmed`], records: [`c-org event updated ${UID}_0 @0`], answersFirstRow: true,
    },
  ];
  for (const k of cases) {
    test(k.name, () => {
      const d = decideEventPatch({ ...base, ...k.c });
      assert.deepEqual(d.rows.map((e: CalendarEvent) => `${e.uid}_${e.originalStart} ${e.status}`), k.rows);
      assert.deepEqual(shapes(d.changes), k.records.sort());
      assert.equal(d.answersFirstRow, k.answersFirstRow);
      assert.equal(d.occurrence, k.occurrence);
    });
  }
  test('an attendee may change only personal fields unless the event lets them modify it', () => {
    assert.throws(() => decideEventPatch({ ...base, actor: guest, side: 'attendee', input: { summary: 'y' } }), (e: unknown) => e instanceof DomainError && e.kind === 'no_event_permission');
    const d = decideEventPatch({ ...base, actor: guest, side: 'attendee', event: row({ attendeeAbility: 'can_modify_event' }), input: { summary: 'y' } });
    assert.equal(d.rows[0].summary, 'y');
  });
  test('personal fields go to the caller\'s view, the shared ones to the row', () => {
    const d = decideEventPatch({ ...base, input: { summary: 'y', reminders: [{ minutes: 5 }] } });
    assert.deepEqual(d.personalToSave, { uid: UID, principal: 'u:org', reminders: [{ minutes: 5 }] });
    assert.equal(d.rows.length, 1);
  });
});

describe('decideEventDelete', () => {
  const base = { actor: organizer, event: series, side: 'organizer' as const, calendarId: 'c-org', series: [series, liveException, cancelledException], home, attendees: [lisi], now: 5 };
  test('the organizer deletes a series: every row cancelled, the live ones deleted in each calendar', () => {
    const d = decideEventDelete(base);
    assert.deepEqual(d.rows.map((e) => e.status), ['cancelled', 'cancelled', 'cancelled']);
    assert.deepEqual(shapes(d.changes), [
      `c-lisi event deleted ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-lisi event deleted ${UID}_0 @0`,
      `c-org event deleted ${UID}_${T0 + 2 * DAY} @${T0 + 2 * DAY}`, `c-org event deleted ${UID}_0 @0`,
    ].sort());
  });
  test('the organizer deletes an instance: a cancelled exception, deleted in each calendar', () => {
    const d = decideEventDelete({ ...base, event: instance });
    assert.deepEqual(d.rows.map((e) => `${e.originalStart} ${e.status}`), [`${T0 + DAY} cancelled`]);
    assert.deepEqual(shapes(d.changes), [`c-lisi event deleted ${UID}_${T0 + DAY} @${T0 + DAY}`, `c-org event deleted ${UID}_${T0 + DAY} @${T0 + DAY}`]);
  });
  test('an attendee deletes it from their calendar: their invitation removed, the series leaves that calendar', () => {
    const d = decideEventDelete({ ...base, actor: guest, side: 'attendee', calendarId: 'c-lisi', event: row() });
    assert.deepEqual(d.attendees.map((a) => `${a.attendeeId} ${a.rsvp}`), ['lisi removed']);
    assert.equal(d.leftCalendar, 'c-lisi');
    assert.deepEqual(shapes(d.changes), [`c-lisi event deleted ${UID}_0 @0`, 'c-org attendee replied lisi', `c-org event updated ${UID}_0 @0`]);
  });
  test('where the event still shows in other calendars, its reply is recorded once, on the organizer\'s calendar', () => {
    const d = decideEventDelete({ ...base, actor: guest, side: 'attendee', calendarId: 'c-lisi', event: row(), attendees: [lisi, attendee('wangwu')] });
    assert.deepEqual(shapes(d.changes), [
      `c-lisi event deleted ${UID}_0 @0`, 'c-org attendee replied lisi', `c-org event updated ${UID}_0 @0`, `c-wangwu event updated ${UID}_0 @0`,
    ]);
  });
});
