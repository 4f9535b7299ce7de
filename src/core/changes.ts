/**
 * The change log's records in domain terms. Every committed write appends one record per calendar
 * (or per object outside a calendar) whose contents it changed, in the same transaction, so push,
 * sync, CalDAV and the console can follow what happened in order and lose nothing.
 */

import type { CalendarAcl } from './types.js';

/** What a change touched. */
export type ChangeObject = 'event' | 'attendee' | 'acl' | 'calendar' | 'subscription' | 'sign_in'
  /** A user's leave (its event is recorded as an event too), an event's meeting chat or minutes, an Exchange binding. */
  | 'timeoff' | 'meeting_chat' | 'meeting_minute' | 'exchange_binding';

/** What happened to the object. */
export type ChangeKind =
  | 'created'
  | 'updated'
  | 'deleted'
  /** An attendee answered (accept, decline, tentative). */
  | 'replied'
  | 'attendee_added'
  | 'attendee_removed'
  | 'acl_created'
  | 'acl_deleted'
  /** A user's calendar list changed: subscribed, unsubscribed, a calendar on it created or deleted. */
  | 'calendar_list_changed'
  /** A user signed in to (checked in at) or out of an event (DingTalk's check-in). */
  | 'signed_in'
  | 'signed_out';

/** A record as a write decides it; the store gives it its sequence number and time. */
export interface ChangeDraft {
  readonly tenantKey: string;
  /** The app the request came through, when there was one (a seed or a migration has none). */
  readonly appId?: string;
  /** The user who acted, when a user did. */
  readonly userId?: string;
  /** The calendar whose contents changed; undefined for a change outside any calendar. */
  readonly calendarId?: string;
  readonly object: ChangeObject;
  /** The object's id: event id, attendee id, ACL id, calendar id or subscription's calendar id. */
  readonly objectId: string;
  /** For events and attendees: the series (or single event) uid. */
  readonly uid?: string;
  /** For an event: the original start (ms) of the instance an exception stands for; 0 for a master or single. */
  readonly instanceStart?: number;
  readonly kind: ChangeKind;
  /** Internal ids of the users whose view of something changed. */
  readonly audience: readonly string[];
  /**
   * For an ACL: the grant as it stood (its role and grantee), so a follower can name it after the
   * grant is gone. Absent in records written before it was kept.
   */
  readonly grant?: { readonly role: CalendarAcl['role']; readonly userId: string };
}

export interface ChangeRecord extends ChangeDraft {
  /** Strictly increasing in commit order, shared with every row's change sequence. */
  readonly seq: number;
  /** Unix ms of the write. */
  readonly at: number;
}

/** Who made a write: the fields every record of it carries. */
export interface ChangeActor {
  readonly tenantKey: string;
  readonly appId?: string;
  readonly userId?: string;
}

/** A draft from an actor and the rest; keeps services' record-building short. */
export const changeBy = (actor: ChangeActor, rest: Omit<ChangeDraft, 'tenantKey' | 'appId' | 'userId'>): ChangeDraft => ({
  tenantKey: actor.tenantKey,
  ...(actor.appId !== undefined ? { appId: actor.appId } : {}),
  ...(actor.userId !== undefined ? { userId: actor.userId } : {}),
  ...rest,
});
