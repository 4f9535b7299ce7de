// Rows for the decision tables: one series organized in calendar `c-org` by user `org`.
import type { Actor, Calendar } from '../../../src/core/types.js';
import type { Attendee, CalendarEvent } from '../../../src/core/events/types.js';

export const T0 = 1_798_761_600;
export const DAY = 86_400;
export const UID = 'aaaaaaaa-0000-4000-8000-000000000001';

export const organizer: Actor = { kind: 'user', tenantKey: 't', appId: 'app', userId: 'org' };
export const guest: Actor = { kind: 'user', tenantKey: 't', appId: 'app', userId: 'guest' };
export const bot: Actor = { kind: 'app', tenantKey: 't', appId: 'app' };
export const home = { calendarId: 'c-org', ownerUserId: 'org' };

export const calendar: Calendar = {
  calendarId: 'c-org', tenantKey: 't', owner: 'u:org', type: 'primary', summary: '', description: '', permissions: 'private', color: -1,
  isDeleted: false, createdAt: 0, seq: 1,
};

export function row(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: UID, originalStart: 0, calendarId: 'c-org', tenantKey: 't', creator: 'u:org', summary: 's', description: '',
    start: { kind: 'timed', epoch: T0, timeZone: 'UTC' }, end: { kind: 'timed', epoch: T0 + 3600, timeZone: 'UTC' }, vchat: null, visibility: 'default',
    attendeeAbility: 'none', freeBusyStatus: 'busy', location: null, recurrence: '', schemas: [], attachments: [], checkIn: null, source: '',
    status: 'confirmed', recurringEventId: '', color: -1, reminders: [], createTime: 0, updateTime: 0, seq: 1, idempotencyKey: null, extensions: {},
    ...over,
  };
}

export function attendee(id: string, over: Partial<Attendee> = {}): Attendee {
  return {
    uid: UID, attendeeId: id, type: 'user', userId: id, displayName: id, rsvp: 'needs_action', isOptional: false, isOrganizer: false,
    calendarId: `c-${id}`, seq: 1, ...over,
  };
}

/** Records in a comparable shape: calendar, object, kind, object id, instance start. */
export const shapes = (changes: readonly { calendarId?: string; object: string; kind: string; objectId: string; instanceStart?: number }[]) =>
  changes.map((c) => `${c.calendarId} ${c.object} ${c.kind} ${c.objectId}${c.instanceStart !== undefined ? ` @${c.instanceStart}` : ''}`).sort();
