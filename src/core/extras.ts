/**
 * What Feishu's calendar keeps beside events: a user's time off (shown as an event on their primary
 * calendar), an event's meeting chat and minutes, and bindings of Exchange accounts. The decisions
 * here are pure: from what the services loaded, the rows to save and the change records of the write.
 */
import { changeBy } from './changes.js';
import type { ChangeDraft } from './changes.js';
import { DomainError, invalidArgument } from './errors.js';
import { decideEventCreate } from './events/decide-event.js';
import type { CreateDecision } from './events/decide-event.js';
import { isTopLevel } from './events/attendees.js';
import type { Attendee, CalendarEvent, EventTime } from './events/types.js';
import { eventIdOf } from './events/types.js';
import type { Actor, Calendar, Chat } from './types.js';
import { principalOf } from './types.js';

/** A user's leave, made by an app: the event it shows as on the user's primary calendar is `uid`. */
export interface TimeoffEvent {
  readonly timeoffEventId: string;
  readonly tenantKey: string;
  /** Internal id of the user on leave. */
  readonly userId: string;
  /** The app that made it: only that app deletes it. */
  readonly appId: string;
  readonly uid: string;
  readonly calendarId: string;
  readonly timeZone: string;
  /** As given: all-day (dates, the end inclusive) or timed. */
  readonly start: EventTime;
  /** For an all-day leave, the last day (inclusive), as the time-off API names it. */
  readonly end: EventTime;
  readonly title: string;
  readonly description: string;
  readonly seq: number;
}

/** The group chat bound to an event's series; its members are in the chat itself. */
export interface MeetingChat {
  readonly uid: string;
  readonly chatId: string;
  readonly tenantKey: string;
  /** Who made it, and so owns it: `u:<user>` or `a:<app>`. */
  readonly owner: string;
  readonly seq: number;
}

/** The minutes document of an event's series. */
export interface MeetingMinute {
  readonly uid: string;
  readonly tenantKey: string;
  readonly docUrl: string;
  readonly seq: number;
}

export type ExchangeStatus = 'doing' | 'cal_done' | 'timespan_done' | 'done' | 'err';

/** An Exchange account bound to a user, by an Exchange admin account. */
export interface ExchangeBinding {
  readonly bindingId: string;
  readonly tenantKey: string;
  readonly adminAccount: string;
  readonly exchangeAccount: string;
  /** Internal user id. */
  readonly userId: string;
  /** Where the import stands once it has run (see `decideExchangeBinding`). */
  readonly status: ExchangeStatus;
  readonly createdAt: number;
  readonly seq: number;
}

// ---------------------------------------------------------------------------------------------
// Time off

export interface TimeoffInput {
  readonly userId: string;
  readonly timeZone: string;
  readonly start: EventTime;
  /** For dates: the last day of leave, inclusive. */
  readonly end: EventTime;
  readonly title: string;
  readonly description: string;
}

export interface TimeoffDecision extends CreateDecision {
  readonly timeoff: TimeoffEvent;
}

const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Time off is made by an app (tenant token) for a user of its tenant, and shows as a busy event on
 * the user's primary calendar, so free/busy, lists and views all show it. Dates are all-day leave,
 * both ends inclusive; timestamps are leave by the hour; both ends must be of one kind.
 */
export function decideTimeoff(c: { actor: Actor; primary: Calendar; input: TimeoffInput; uid: string; timeoffEventId: string; now: number }): TimeoffDecision {
  const { actor, input } = c;
  if (actor.kind !== 'app') throw new DomainError('no_event_permission', 'time off is made by an app (tenant_access_token)');
  if (input.start.kind !== input.end.kind) throw invalidArgument('end', (n) => `${n('start')} and ${n('end')} must both be dates or both be timestamps`);
  const allDay = input.start.kind === 'date' && input.end.kind === 'date';
  if (allDay ? input.end.date < input.start.date : (input.end as { epoch: number }).epoch <= (input.start as { epoch: number }).epoch) {
    throw invalidArgument('end', (n) => `${n('end')} must be after ${n('start')}`);
  }
  const end: EventTime = input.end.kind === 'date' ? { kind: 'date', date: nextDay(input.end.date) } : input.end;
  const created = decideEventCreate({
    actor, calendar: c.primary, uid: c.uid, idempotencyKey: null, now: c.now, attachments: [],
    input: { summary: input.title, description: input.description, start: input.start, end, freeBusyStatus: 'busy', visibility: 'default', vchat: { vcType: 'no_meeting' } },
  });
  const timeoff: TimeoffEvent = {
    timeoffEventId: c.timeoffEventId, tenantKey: actor.tenantKey, userId: input.userId, appId: actor.appId, uid: c.uid,
    calendarId: c.primary.calendarId, timeZone: input.timeZone, start: input.start, end: input.end, title: input.title, description: input.description, seq: 0,
  };
  const record = changeBy(actor, { calendarId: c.primary.calendarId, object: 'timeoff', objectId: c.timeoffEventId, uid: c.uid, kind: 'created', audience: [input.userId] });
  return { ...created, timeoff, changes: [...created.changes, record] };
}

/** Only the app that made a time-off event deletes it. */
export function requireTimeoffOwner(actor: Actor, timeoff: TimeoffEvent | undefined, timeoffEventId: string): TimeoffEvent {
  if (!timeoff) throw invalidArgument('timeoff_event_id', `no time-off event ${timeoffEventId}`);
  if (actor.kind !== 'app') throw new DomainError('no_event_permission', 'time off is deleted by an app (tenant_access_token)');
  if (timeoff.appId !== actor.appId) throw new DomainError('no_event_permission', 'an app deletes only the time-off events it made');
  return timeoff;
}

export const timeoffDeletedRecord = (actor: Actor, t: TimeoffEvent): ChangeDraft =>
  changeBy(actor, { calendarId: t.calendarId, object: 'timeoff', objectId: t.timeoffEventId, uid: t.uid, kind: 'deleted', audience: [t.userId] });

// ---------------------------------------------------------------------------------------------
// Meeting chats and minutes

/** What the meeting calls are decided from: the event on the calendar named, as the caller sees it. */
export interface MeetingContext {
  readonly actor: Actor;
  readonly calendar: Calendar;
  /** Whether the caller's side of the event is the organizer's. */
  readonly organizer: boolean;
  readonly event: CalendarEvent;
  readonly attendees: readonly Attendee[];
}

/**
 * Both meeting calls act on the caller's own primary calendar, as the organizer (the platform: "the
 * calendar must be the caller's primary calendar, with writer rights"), on an event with attendees.
 */
function requireOrganizerOnOwnPrimary(c: MeetingContext): void {
  if (c.calendar.type !== 'primary' || c.calendar.owner !== principalOf(c.actor)) {
    throw new DomainError('no_event_permission', 'the calendar must be the caller\'s own primary calendar');
  }
  if (!c.organizer) throw new DomainError('no_event_permission', 'only the event\'s organizer may do this');
}

/** Guests of the event: its top-level attendees, not taken off it. */
const guestsOf = (attendees: readonly Attendee[]) => attendees.filter((a) => isTopLevel(a) && a.rsvp !== 'removed');

/** The users a meeting chat holds: the caller when a user, then every user attendee (through chats too) not removed. */
export function meetingChatMembers(actor: Actor, attendees: readonly Attendee[]): string[] {
  const out = new Set<string>();
  if (actor.kind === 'user') out.add(actor.userId);
  for (const a of attendees) if (a.type === 'user' && a.userId && a.rsvp !== 'removed') out.add(a.userId);
  return [...out];
}

/**
 * A meeting chat: the organizer, on their own primary calendar, for an event with attendees, once
 * per event. Its members are the event's users; the caller owns it.
 */
export function decideMeetingChat(c: MeetingContext & { existing: MeetingChat | undefined; chatId: string }): { chat: Chat; binding: MeetingChat; changes: ChangeDraft[] } {
  requireOrganizerOnOwnPrimary(c);
  if (guestsOf(c.attendees).length === 0) throw invalidArgument('event_id', 'the event has no attendees to make a meeting chat with');
  if (c.existing) throw invalidArgument('event_id', `the event already has a meeting chat (${c.existing.chatId})`);
  const members = meetingChatMembers(c.actor, c.attendees);
  const chat: Chat = { chatId: c.chatId, tenantKey: c.event.tenantKey, name: c.event.summary, memberIds: members };
  const binding: MeetingChat = { uid: c.event.uid, chatId: c.chatId, tenantKey: c.event.tenantKey, owner: principalOf(c.actor), seq: 0 };
  return { chat, binding, changes: [meetingRecord(c, 'meeting_chat', c.chatId, 'created', members)] };
}

/** Unbinding: the organizer, on their own primary calendar, who owns the chat named, which is the event's. */
export function decideMeetingChatUnbind(c: MeetingContext & { existing: MeetingChat | undefined; chatId: string }): ChangeDraft[] {
  requireOrganizerOnOwnPrimary(c);
  if (!c.existing || c.existing.chatId !== c.chatId) throw invalidArgument('meeting_chat_id', `${c.chatId} is not this event's meeting chat`);
  if (c.existing.owner !== principalOf(c.actor)) throw new DomainError('no_event_permission', 'only the owner of the meeting chat may unbind it');
  return [meetingRecord(c, 'meeting_chat', c.chatId, 'deleted', meetingChatMembers(c.actor, c.attendees))];
}

/** Words whose events get no minutes, as the platform documents (reference §6, field-level notes). */
const NO_MINUTES_WORDS = ['晋升', '绩效', '述职', '调薪', '调级', '复议', '申诉', '校准', '答辩'];

/**
 * Minutes: on the caller's own primary calendar, with writer rights, for an event with at least one
 * attendee whose attendees may see the list (attendee_ability not none). One document per event: a
 * second call answers the first document.
 */
export function decideMeetingMinute(c: MeetingContext & { existing: MeetingMinute | undefined; docUrl: string }): { minute: MeetingMinute; changes: ChangeDraft[] } | { minute: MeetingMinute; changes: [] } {
  if (c.calendar.type !== 'primary' || c.calendar.owner !== principalOf(c.actor)) {
    throw new DomainError('no_event_permission', 'the calendar must be the caller\'s own primary calendar');
  }
  if (guestsOf(c.attendees).length === 0) throw invalidArgument('event_id', 'the event has no attendees');
  if (c.event.attendeeAbility === 'none') throw invalidArgument('event_id', 'attendee_ability is none: attendees may not see the attendee list');
  const word = NO_MINUTES_WORDS.find((w) => c.event.summary.includes(w));
  if (word) throw invalidArgument('event_id', `events whose summary contains ${word} get no meeting minutes`);
  if (c.existing) return { minute: c.existing, changes: [] };
  const minute: MeetingMinute = { uid: c.event.uid, tenantKey: c.event.tenantKey, docUrl: c.docUrl, seq: 0 };
  return { minute, changes: [meetingRecord(c, 'meeting_minute', eventIdOf({ uid: c.event.uid, originalStart: 0 }), 'created', meetingChatMembers(c.actor, c.attendees))] };
}

function meetingRecord(c: MeetingContext, object: 'meeting_chat' | 'meeting_minute', objectId: string, kind: 'created' | 'deleted', audience: readonly string[]): ChangeDraft {
  return changeBy(c.actor, { calendarId: c.event.calendarId, object, objectId, uid: c.event.uid, kind, audience });
}

// ---------------------------------------------------------------------------------------------
// Exchange bindings

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const domainOf = (account: string) => account.slice(account.lastIndexOf('@') + 1).toLowerCase();

/**
 * Binds an Exchange account to a user. An account binds one user at a time (it must be unbound
 * before another user takes it); binding the same account to the same user again answers the binding
 * in force. rili has no Exchange server to import from, so the import ends at once: `done` when the
 * admin account is of the Exchange account's domain (it may act for that mailbox), `err` otherwise.
 */
export function decideExchangeBinding(c: {
  actor: Actor; adminAccount: string; exchangeAccount: string; userId: string; bindingId: string; existing: ExchangeBinding | undefined; now: number;
}): { binding: ExchangeBinding; changes: ChangeDraft[] } {
  if (c.actor.kind !== 'user') throw new DomainError('no_event_permission', 'an Exchange account is bound by a user (an administrator)');
  if (!EMAIL.test(c.adminAccount)) throw invalidArgument('admin_account', 'must be an email address');
  if (!EMAIL.test(c.exchangeAccount)) throw invalidArgument('exchange_account', 'must be an email address');
  if (c.existing) {
    if (c.existing.userId === c.userId && c.existing.adminAccount.toLowerCase() === c.adminAccount.toLowerCase()) return { binding: c.existing, changes: [] };
    throw invalidArgument('exchange_account', `${c.exchangeAccount} is bound already; unbind it before binding it again`);
  }
  const binding: ExchangeBinding = {
    bindingId: c.bindingId, tenantKey: c.actor.tenantKey, adminAccount: c.adminAccount, exchangeAccount: c.exchangeAccount, userId: c.userId,
    status: domainOf(c.adminAccount) === domainOf(c.exchangeAccount) ? 'done' : 'err', createdAt: c.now, seq: 0,
  };
  return { binding, changes: [exchangeRecord(c.actor, binding, 'created')] };
}

/** Reading and unbinding are an administrator's (a user's) too. */
export function requireExchangeBinding(actor: Actor, binding: ExchangeBinding | undefined, bindingId: string): ExchangeBinding {
  if (actor.kind !== 'user') throw new DomainError('no_event_permission', 'Exchange bindings are read and removed by a user (an administrator)');
  if (!binding) throw invalidArgument('exchange_binding_id', `no Exchange binding ${bindingId}`);
  return binding;
}

export const exchangeRecord = (actor: Actor, b: ExchangeBinding, kind: 'created' | 'deleted'): ChangeDraft =>
  changeBy(actor, { object: 'exchange_binding', objectId: b.bindingId, kind, audience: [b.userId] });
