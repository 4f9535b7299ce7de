import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESPONSE_STATUS, attendeesToWire, timeToWire } from '../../../../src/api/dingtalk/calendar/event-output.js';
import type { Attendee } from '../../../../src/core/events/types.js';
import type { User } from '../../../../src/core/types.js';

test('replies map to DingTalk\'s statuses; removed reads as declined', () => {
  assert.deepEqual(RESPONSE_STATUS, { needs_action: 'needsAction', accept: 'accepted', decline: 'declined', tentative: 'tentative', removed: 'declined' });
});

test('attendees: users once by unionId (in their own right first), emails by address, rooms and chats left out', () => {
  const user = (id: string, unionId: string): User => ({ id, tenantKey: 't', userId: id, openId: `ou_${id}`, unionId, name: id.toUpperCase(), email: null });
  const base = { uid: 'u', seq: 0, isOptional: false, isOrganizer: false, calendarId: null, displayName: '' };
  const list: Attendee[] = [
    { ...base, attendeeId: 'user_a', type: 'user', userId: 'a', rsvp: 'tentative', viaChat: 'chat_x' },
    { ...base, attendeeId: 'chat_x', type: 'chat', chatId: 'oc_x', rsvp: 'needs_action' },
    { ...base, attendeeId: 'user_b', type: 'user', userId: 'a', rsvp: 'accept', isOptional: true },
    { ...base, attendeeId: 'resource_r', type: 'resource', roomId: 'omm_r', rsvp: 'accept' },
    { ...base, attendeeId: 'third_party_e', type: 'third_party', email: 'x@example.com', rsvp: 'needs_action' },
  ];
  const lookup = { self: 'a', maxAttendees: 10, attendees: new Map(), users: new Map([['a', user('a', 'on_a')]]), organizers: new Map() };
  assert.deepEqual(attendeesToWire(list, lookup), [
    { id: 'on_a', displayName: 'A', responseStatus: 'accepted', self: true, isOptional: true },
    { displayName: 'x@example.com', responseStatus: 'needsAction', self: false, isOptional: false },
  ]);
});

test('times: a date, or a date-time in the event\'s zone with its offset', () => {
  assert.deepEqual(timeToWire({ kind: 'date', date: '2030-01-07' }), { date: '2030-01-07' });
  assert.deepEqual(timeToWire({ kind: 'timed', epoch: 1_893_981_600, timeZone: 'Europe/London' }), { dateTime: '2030-01-07T02:00:00+00:00', timeZone: 'Europe/London' });
});
