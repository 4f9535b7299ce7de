/**
 * The event domain: one series (or single event) per `uid`; an exception of a series is a row of its
 * own with the same uid and the occurrence's original start. Immutable data only.
 */
import type { PrincipalKey } from '../types.js';

/** All-day (`date`, expanded in UTC) or timed (an instant shown in an IANA zone). */
export type EventTime =
  | { readonly kind: 'date'; readonly date: string }
  | { readonly kind: 'timed'; readonly epoch: number; readonly timeZone: string };

export type Visibility = 'default' | 'public' | 'private';
export type AttendeeAbility = 'none' | 'can_see_others' | 'can_invite_others' | 'can_modify_event';
export type FreeBusy = 'busy' | 'free';
export type EventStatus = 'tentative' | 'confirmed' | 'cancelled';
export type Rsvp = 'needs_action' | 'accept' | 'tentative' | 'decline' | 'removed';

export interface MeetingSettings {
  readonly ownerId?: string;
  readonly joinMeetingPermission?: 'anyone_can_join' | 'only_organization_employees' | 'only_event_attendees';
  readonly assignHosts?: readonly string[];
  readonly autoRecord?: boolean;
  readonly openLobby?: boolean;
  readonly allowAttendeesStart?: boolean;
  readonly password?: string;
}

export interface Vchat {
  readonly vcType: 'vc' | 'third_party' | 'no_meeting' | 'lark_live' | 'unknown';
  readonly iconType?: 'vc' | 'live' | 'default';
  readonly description?: string;
  readonly meetingUrl?: string;
  readonly meetingSettings?: MeetingSettings;
}

export interface EventLocation {
  readonly name?: string;
  readonly address?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

export interface Reminder {
  readonly minutes: number;
}

export interface EventSchema {
  readonly uiName: string;
  readonly uiStatus?: string;
  readonly appLink?: string;
}

export interface Attachment {
  readonly fileToken: string;
  readonly name: string;
  readonly size: number;
}

export interface CheckInTime {
  readonly timeType: 'before_event_start' | 'after_event_start' | 'after_event_end';
  readonly duration: number;
}

export interface EventCheckIn {
  readonly enableCheckIn: boolean;
  readonly checkInStartTime?: CheckInTime;
  readonly checkInEndTime?: CheckInTime;
  readonly needNotifyAttendees?: boolean;
}

export interface CalendarEvent {
  readonly uid: string;
  /** 0 for a single event or a series; the occurrence's original start for an exception. */
  readonly originalStart: number;
  /** The organizer calendar: where the event was created. */
  readonly calendarId: string;
  readonly tenantKey: string;
  /** Who created it (a user or an app's bot). */
  readonly creator: PrincipalKey;
  readonly summary: string;
  readonly description: string;
  readonly start: EventTime;
  /** For all-day events, the day after the last day (exclusive). */
  readonly end: EventTime;
  readonly vchat: Vchat | null;
  readonly visibility: Visibility;
  readonly attendeeAbility: AttendeeAbility;
  readonly freeBusyStatus: FreeBusy;
  readonly location: EventLocation | null;
  /** An RRULE body, '' when not recurring (always '' on an exception). */
  readonly recurrence: string;
  readonly schemas: readonly EventSchema[];
  readonly attachments: readonly Attachment[];
  readonly checkIn: EventCheckIn | null;
  readonly source: string;
  readonly status: EventStatus;
  /** The series' event id, on an exception; '' otherwise. */
  readonly recurringEventId: string;
  /** The creator's colour and reminders at creation; others keep their own in PersonalView. */
  readonly color: number;
  readonly reminders: readonly Reminder[];
  readonly createTime: number;
  readonly updateTime: number;
  readonly seq: number;
  readonly idempotencyKey: string | null;
  /** Fields one dialect keeps that the other does not model (e.g. DingTalk's uiConfigs). */
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** One principal's own settings for an event: they see these instead of the event's. */
export interface PersonalView {
  readonly uid: string;
  readonly principal: PrincipalKey;
  readonly color?: number;
  readonly reminders?: readonly Reminder[];
  readonly visibility?: Visibility;
  readonly freeBusyStatus?: FreeBusy;
}

export type AttendeeType = 'user' | 'chat' | 'resource' | 'third_party';

export interface Attendee {
  readonly uid: string;
  readonly attendeeId: string;
  readonly type: AttendeeType;
  /** Internal user id (type user). */
  readonly userId?: string;
  readonly chatId?: string;
  readonly roomId?: string;
  readonly email?: string;
  readonly displayName: string;
  readonly rsvp: Rsvp;
  readonly isOptional: boolean;
  readonly isOrganizer: boolean;
  /** The calendar the event shows in for this attendee (a user's primary, a room's), or null. */
  readonly calendarId: string | null;
  /** For a user who is invited only as a member of a chat attendee: that chat's attendee id. */
  readonly viaChat?: string;
  readonly operateId?: string;
  readonly approvalReason?: string;
  readonly seq: number;
}

export const eventIdOf = (e: { uid: string; originalStart: number }): string => `${e.uid}_${e.originalStart}`;

/** Splits `<uid>_<original start>`; undefined when the id has another shape. */
export function parseEventId(eventId: string): { uid: string; originalStart: number } | undefined {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_(\d{1,12})$/.exec(eventId);
  return m ? { uid: m[1], originalStart: Number(m[2]) } : undefined;
}
