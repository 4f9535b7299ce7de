import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../src/core/errors.js';
import type { Attendee, CalendarEvent } from '../../src/core/events/types.js';
import {
  decideExchangeBinding, decideMeetingChat, decideMeetingChatUnbind, decideMeetingMinute, decideTimeoff, meetingChatMembers, requireTimeoffOwner,
} from '../../src/core/extras.js';
import type { ExchangeBinding, MeetingContext, TimeoffEvent } from '../../src/core/extras.js';
import type { Actor, Calendar } from '../../src/core/types.js';

const ALICE: Actor = { kind: 'user', tenantKey: 't', appId: 'cli_a', userId: 'alice' };
const BOT: Actor = { kind: 'app', tenantKey: 't', appId: 'cli_a' };
const primary = (owner: string): Calendar => ({
  calendarId: `cal_${owner}`, tenantKey: 't', type: 'primary', owner, summary: '', description: '', permissions: 'private', color: -1, isDeleted: false, createdAt: 0, seq: 1,
});
const event = (over: Partial<CalendarEvent> = {}) => ({
  uid: '00000000-0000-0000-0000-000000000001', originalStart: 0, calendarId: 'cal_u:alice', tenantKey: 't', summary: 'Sync', attendeeAbility: 'can_see_others', ...over,
}) as CalendarEvent;
const attendee = (over: Partial<Attendee>): Attendee => ({
  uid: 'x', attendeeId: `user_${over.userId ?? 'r'}`, type: 'user', displayName: '', rsvp: 'needs_action', isOptional: false, isOrganizer: false, calendarId: null, seq: 1, ...over,
});
const meeting = (over: Partial<MeetingContext> = {}): MeetingContext => ({
  actor: ALICE, calendar: primary('u:alice'), organizer: true, event: event(), attendees: [attendee({ userId: 'bob' })], ...over,
});
const kind = (kind: string, field?: string) => (e: unknown) => e instanceof DomainError && e.kind === kind && (field === undefined || e.field === field);

describe('time off', () => {
  const input = { userId: 'bob', timeZone: 'UTC', start: { kind: 'date', date: '2030-01-01' }, end: { kind: 'date', date: '2030-01-01' }, title: 'Off', description: '' } as const;
  test('an all-day leave is an event ending the day after its last day, on the user\'s primary, with a timeoff record', () => {
    const d = decideTimeoff({ actor: BOT, primary: primary('u:bob'), input, uid: '00000000-0000-0000-0000-000000000002', timeoffEventId: 'timeoff:1', now: 10 });
    assert.deepEqual([d.event.calendarId, d.event.creator, d.event.start, d.event.end, d.event.freeBusyStatus], ['cal_u:bob', 'a:cli_a', input.start, { kind: 'date', date: '2030-01-02' }, 'busy']);
    assert.deepEqual(d.changes.map((c) => [c.object, c.kind]), [['event', 'created'], ['timeoff', 'created']]);
    assert.deepEqual(d.timeoff.end, input.end);
  });
  test('an app makes it; ends of one kind, the end after the start', () => {
    const c = { primary: primary('u:bob'), uid: '00000000-0000-0000-0000-000000000002', timeoffEventId: 'timeoff:1', now: 10 };
    assert.throws(() => decideTimeoff({ ...c, actor: ALICE, input }), kind('no_event_permission'));
    assert.throws(() => decideTimeoff({ ...c, actor: BOT, input: { ...input, end: { kind: 'timed', epoch: 5, timeZone: 'UTC' } } }), kind('invalid_argument', 'end'));
    assert.throws(() => decideTimeoff({ ...c, actor: BOT, input: { ...input, end: { kind: 'date', date: '2029-12-31' } } }), kind('invalid_argument', 'end'));
    const timed = { ...input, start: { kind: 'timed', epoch: 100, timeZone: 'UTC' }, end: { kind: 'timed', epoch: 100, timeZone: 'UTC' } } as const;
    assert.throws(() => decideTimeoff({ ...c, actor: BOT, input: timed }), kind('invalid_argument', 'end'));
  });
  test('only the app that made it deletes it', () => {
    const t = { appId: 'cli_a' } as TimeoffEvent;
    assert.equal(requireTimeoffOwner(BOT, t, 'x'), t);
    assert.throws(() => requireTimeoffOwner({ ...BOT, appId: 'cli_b' }, t, 'x'), kind('no_event_permission'));
    assert.throws(() => requireTimeoffOwner(BOT, undefined, 'x'), kind('invalid_argument', 'timeoff_event_id'));
  });
});

describe('meeting chats and minutes', () => {
  test('the chat\'s members: the caller and every user attendee not removed, through chats too', () => {
    const list = [attendee({ userId: 'bob' }), attendee({ userId: 'carol', viaChat: 'chat_1' }), attendee({ userId: 'dan', rsvp: 'removed' }), attendee({ type: 'resource', roomId: 'r' })];
    assert.deepEqual(meetingChatMembers(ALICE, list), ['alice', 'bob', 'carol']);
    assert.deepEqual(meetingChatMembers(BOT, list), ['bob', 'carol']);
  });
  test('the organizer on their own primary, with attendees, once', () => {
    const ok = decideMeetingChat({ ...meeting(), existing: undefined, chatId: 'oc_1' });
    assert.deepEqual([ok.chat.memberIds, ok.binding.owner, ok.changes[0].object], [['alice', 'bob'], 'u:alice', 'meeting_chat']);
    assert.throws(() => decideMeetingChat({ ...meeting({ organizer: false }), existing: undefined, chatId: 'oc_1' }), kind('no_event_permission'));
    assert.throws(() => decideMeetingChat({ ...meeting({ calendar: primary('u:bob') }), existing: undefined, chatId: 'oc_1' }), kind('no_event_permission'));
    assert.throws(() => decideMeetingChat({ ...meeting({ attendees: [] }), existing: undefined, chatId: 'oc_1' }), kind('invalid_argument', 'event_id'));
    assert.throws(() => decideMeetingChat({ ...meeting(), existing: ok.binding, chatId: 'oc_2' }), kind('invalid_argument', 'event_id'));
    assert.throws(() => decideMeetingChatUnbind({ ...meeting(), existing: ok.binding, chatId: 'oc_2' }), kind('invalid_argument', 'meeting_chat_id'));
    assert.throws(() => decideMeetingChatUnbind({ ...meeting(), existing: { ...ok.binding, owner: 'a:cli_a' }, chatId: 'oc_1' }), kind('no_event_permission'));
    assert.equal(decideMeetingChatUnbind({ ...meeting(), existing: ok.binding, chatId: 'oc_1' })[0].kind, 'deleted');
  });
  test('minutes: attendees who may see each other, no keyword the platform keeps minutes from; one document', () => {
    const first = decideMeetingMinute({ ...meeting(), existing: undefined, docUrl: 'https://d/1' });
    assert.equal(first.minute.docUrl, 'https://d/1');
    assert.deepEqual(decideMeetingMinute({ ...meeting(), existing: first.minute, docUrl: 'https://d/2' }), { minute: first.minute, changes: [] });
    assert.throws(() => decideMeetingMinute({ ...meeting({ event: event({ attendeeAbility: 'none' }) }), existing: undefined, docUrl: '' }), kind('invalid_argument'));
    assert.throws(() => decideMeetingMinute({ ...meeting({ event: event({ summary: '年度述职' }) }), existing: undefined, docUrl: '' }), kind('invalid_argument'));
    assert.throws(() => decideMeetingMinute({ ...meeting({ attendees: [attendee({ userId: 'bob', rsvp: 'removed' })] }), existing: undefined, docUrl: '' }), kind('invalid_argument'));
  });
});

describe('Exchange bindings', () => {
  const c = { actor: ALICE, adminAccount: 'admin@corp.example', exchangeAccount: 'bob@corp.example', userId: 'bob', bindingId: 'b1', existing: undefined, now: 5 };
  test('status: done when the admin is of the account\'s domain, err otherwise', () => {
    assert.equal(decideExchangeBinding(c).binding.status, 'done');
    assert.equal(decideExchangeBinding({ ...c, adminAccount: 'admin@else.example' }).binding.status, 'err');
  });
  test('one user per account; the same binding again is the one in force', () => {
    const existing: ExchangeBinding = decideExchangeBinding(c).binding;
    assert.deepEqual(decideExchangeBinding({ ...c, existing }), { binding: existing, changes: [] });
    assert.throws(() => decideExchangeBinding({ ...c, existing, userId: 'carol' }), kind('invalid_argument', 'exchange_account'));
    assert.throws(() => decideExchangeBinding({ ...c, actor: BOT }), kind('no_event_permission'));
    assert.throws(() => decideExchangeBinding({ ...c, adminAccount: 'admin' }), kind('invalid_argument', 'admin_account'));
  });
});
