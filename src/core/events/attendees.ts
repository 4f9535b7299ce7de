/**
 * Attendee rules: who may invite, list and remove, the limits of one request and one event, and how
 * an invitation is matched to an existing attendee. Pure decisions; the service does the I/O.
 */
import { DomainError, invalidArgument } from '../errors.js';
import type { EventSide } from './access.js';
import type { Chat, Room, User } from '../types.js';
import type { Attendee, AttendeeAbility } from './types.js';

/** Limits from the platform documentation (reference/feishu.md §2.9). */
export const ATTENDEE_LIMITS = {
  /** Attendees (rooms included) one add request may name. */
  perRequest: 1000,
  roomsPerRequest: 100,
  /** Top-level attendees of one event; members invited through a chat do not count. */
  perEvent: 3000,
  /** attendee_ids and delete_ids together, in one removal. */
  perRemoval: 500,
  approvalReason: 200,
} as const;

/** Someone to invite, by internal ids. */
export type AttendeeSpec =
  | { readonly type: 'user'; readonly userId: string; readonly isOptional?: boolean; readonly operateId?: string }
  | { readonly type: 'chat'; readonly chatId: string; readonly isOptional?: boolean }
  /** `operateId`: the room's contact (an internal user id), invited too when the add asks for it. */
  | { readonly type: 'resource'; readonly roomId: string; readonly approvalReason?: string; readonly operateId?: string }
  | { readonly type: 'third_party'; readonly email: string; readonly isOptional?: boolean };

/** What makes two invitations the same attendee: the user, chat, room or (case-insensitive) email. */
export function specKey(spec: AttendeeSpec): string {
  switch (spec.type) {
    case 'user':
      return `u:${spec.userId}`;
    case 'chat':
      return `c:${spec.chatId}`;
    case 'resource':
      return `r:${spec.roomId}`;
    case 'third_party':
      return `e:${spec.email.toLowerCase()}`;
  }
}

/** The same key for a stored attendee: what search filters and duplicate checks match on. */
export function attendeeKey(a: Attendee): string {
  switch (a.type) {
    case 'user':
      return `u:${a.userId}`;
    case 'chat':
      return `c:${a.chatId}`;
    case 'resource':
      return `r:${a.roomId}`;
    case 'third_party':
      return `e:${(a.email ?? '').toLowerCase()}`;
  }
}

/** Top-level attendees: those invited in their own right, not as members of an invited chat. */
export const isTopLevel = (a: Attendee): boolean => a.viaChat === undefined;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What an add accepts as a third party's address; a dialect checks it too, to refuse before anything is written. */
export const isEmailAddress = (email: string): boolean => email.length <= 254 && EMAIL.test(email);

/** The size limits of an add request, and what each invitation must carry. */
export function checkAddRequest(specs: readonly AttendeeSpec[]): void {
  if (specs.length === 0) throw invalidArgument('attendees', 'must name at least one attendee');
  if (specs.length > ATTENDEE_LIMITS.perRequest) {
    throw invalidArgument('attendees', `at most ${ATTENDEE_LIMITS.perRequest} attendees per request, got ${specs.length}`);
  }
  const rooms = specs.filter((s) => s.type === 'resource').length;
  if (rooms > ATTENDEE_LIMITS.roomsPerRequest) {
    throw invalidArgument('attendees', `at most ${ATTENDEE_LIMITS.roomsPerRequest} rooms per request, got ${rooms}`);
  }
  for (const [i, s] of specs.entries()) {
    if (s.type === 'third_party' && !isEmailAddress(s.email)) {
      throw invalidArgument(`attendees[${i}].email`, `${s.email} is not an email address`);
    }
    if (s.type === 'resource' && (s.approvalReason?.length ?? 0) > ATTENDEE_LIMITS.approvalReason) {
      throw invalidArgument(`attendees[${i}].approvalReason`, `must NOT have more than ${ATTENDEE_LIMITS.approvalReason} characters`);
    }
  }
}

/** A removal names at least one attendee and at most 500, attendee ids and typed ids together. */
export function checkRemoveRequest(ids: number, specs: number): void {
  if (ids + specs === 0) throw invalidArgument('attendeeIds', (n) => `${n('attendeeIds')} or ${n('attendeeRefs')} must name at least one attendee`);
  if (ids + specs > ATTENDEE_LIMITS.perRemoval) {
    throw invalidArgument(ids > ATTENDEE_LIMITS.perRemoval ? 'attendeeIds' : 'attendeeRefs',
      (n) => `at most ${ATTENDEE_LIMITS.perRemoval} attendees per removal (${n('attendeeIds')} and ${n('attendeeRefs')} together), got ${ids + specs}`);
  }
}

/** An event's attendee ceiling: Feishu's by default; a dialect with another (DingTalk: 5000) passes its own. */
export function checkEventSize(topLevel: number, max: number = ATTENDEE_LIMITS.perEvent): void {
  if (topLevel > max) {
    throw invalidArgument('attendees', `an event has at most ${max} attendees; this would make ${topLevel}`);
  }
}

/** The organizer's side invites; an attendee's side only when the event lets attendees invite. */
export function requireInviter(side: EventSide, ability: AttendeeAbility): void {
  if (side === 'organizer' || ability === 'can_invite_others' || ability === 'can_modify_event') return;
  throw new DomainError('no_event_permission', `attendee_ability ${ability} does not let attendees invite others`);
}

/** The organizer's side sees the attendees; an attendee's side unless attendee_ability is none. */
export function canSeeAttendees(side: EventSide, ability: AttendeeAbility): boolean {
  return side === 'organizer' || ability !== 'none';
}

/** Only the organizer's side removes attendees. */
export function requireRemover(side: EventSide): void {
  if (side !== 'organizer') throw new DomainError('no_event_permission', 'only the organizer may remove attendees');
}

/** An attendee row before it has an event, an id and a sequence number. */
export type AttendeeDraft = Omit<Attendee, 'uid' | 'attendeeId' | 'seq'>;

/** An invitation resolved against the directory: its match key, the row it would become, a chat's members. */
export interface Invitation {
  readonly key: string;
  readonly draft: AttendeeDraft;
  readonly members?: readonly string[];
}

/** Where the event is organized: the organizer calendar, and the user who owns it (none for an app). */
export interface Organizer {
  readonly calendarId: string;
  readonly userId: string | undefined;
}

/**
 * A user's invitation shows the event in their primary calendar and waits for an answer; the
 * organizer's shows it in the organizer calendar and is accepted.
 */
export function userInvitation(user: User, organizer: Organizer, primaryCalendarId: string | null, more: { isOptional?: boolean; operateId?: string } = {}): Invitation {
  const isOrganizer = user.id === organizer.userId;
  return {
    key: `u:${user.id}`,
    draft: {
      type: 'user', userId: user.id, displayName: user.name, rsvp: isOrganizer ? 'accept' : 'needs_action', isOptional: more.isOptional ?? false,
      isOrganizer, calendarId: isOrganizer ? organizer.calendarId : primaryCalendarId, ...(more.operateId ? { operateId: more.operateId } : {}),
    },
  };
}

export function chatInvitation(chat: Chat, isOptional = false): Invitation {
  return {
    key: `c:${chat.chatId}`,
    members: chat.memberIds,
    draft: { type: 'chat', chatId: chat.chatId, displayName: chat.name, rsvp: 'needs_action', isOptional, isOrganizer: false, calendarId: null },
  };
}

/** Rooms are booked at once: rili has no asynchronous booking and no contention. */
export function roomInvitation(room: Room, resourceCalendarId: string | null, more: { approvalReason?: string; operateId?: string } = {}): Invitation {
  return {
    key: `r:${room.roomId}`,
    draft: {
      type: 'resource', roomId: room.roomId, displayName: room.name, rsvp: 'accept', isOptional: false, isOrganizer: false, calendarId: resourceCalendarId,
      ...(more.operateId ? { operateId: more.operateId } : {}), ...(more.approvalReason ? { approvalReason: more.approvalReason } : {}),
    },
  };
}

export function emailInvitation(email: string, isOptional = false): Invitation {
  return {
    key: `e:${email.toLowerCase()}`,
    draft: { type: 'third_party', email, displayName: email, rsvp: 'needs_action', isOptional, isOrganizer: false, calendarId: null },
  };
}
