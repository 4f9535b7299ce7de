/**
 * Which pushes a page of change records makes, for which apps: pure. An app hears of a change only
 * when it is in the change's tenant, has a receiver, has not passed the record yet (its cursor), and
 * one of its users subscribed to the calendar (events, ACLs) or to their own calendar list.
 */
import type { ChangeRecord } from '../changes.js';
import type { CalendarAcl } from '../types.js';
import type { PushSubscription } from './subscriptions.js';

/** Feishu's `change_type`. */
export type EventChangeType = 'create' | 'update' | 'delete' | 'rsvp';

interface IntentBase {
  readonly appId: string;
  readonly tenantKey: string;
  /** The record it came from (the first of its write for a calendar-list change). */
  readonly seq: number;
  /** When the change was made (ms). */
  readonly at: number;
  /** Internal ids of the app's users who subscribed, sorted. */
  readonly subscribers: readonly string[];
}

/** A user attendee's answer, for `rsvp_infos`. */
export interface RsvpInfo {
  /** Internal user id. */
  readonly userId: string;
  readonly status: 'accept' | 'decline' | 'tentative';
}

export type EventChangedIntent = IntentBase & {
  readonly type: 'event_changed';
  readonly calendarId: string;
  readonly eventId: string;
  readonly changeType: EventChangeType;
  /** Who acted (DingTalk's `operator`). */
  readonly actorUserId?: string;
  /** For `rsvp`: the series' uid and the attendee rows that answered in the write (looked up when recorded). */
  readonly replied?: { readonly uid: string; readonly attendeeIds: readonly string[] };
  /** How many changes a merged push stands for (absent: one). */
  readonly merged?: number;
  /** For `rsvp`: who answered what (filled in from `replied`). */
  readonly rsvps?: readonly RsvpInfo[];
};

export type PushIntent =
  | EventChangedIntent
  | IntentBase & {
    readonly type: 'acl_created' | 'acl_deleted'; readonly calendarId: string; readonly aclId: string; readonly audience: readonly string[]; readonly actorUserId?: string;
    /** The grant as the record kept it (role and grantee); absent for records written before it was kept. */
    readonly grant?: Pick<CalendarAcl, 'role' | 'userId'>;
  }
  | IntentBase & { readonly type: 'calendar_list_changed' };

/** An app that may be pushed to, and the last record it has been given (or passed over). */
export interface PushTarget {
  readonly appId: string;
  readonly tenantKey: string;
  readonly cursor: number;
  /** The app's dialect (Feishu when left out): a DingTalk app hears of its tenant's event changes without subscribing. */
  readonly platform?: 'feishu' | 'dingtalk';
}

/** The calendars whose subscriptions a page needs, and the users whose calendar-list subscriptions. */
export function subscriptionNeeds(records: readonly ChangeRecord[]): { eventCalendars: string[]; aclCalendars: string[]; listUsers: string[] } {
  const eventCalendars = new Set<string>();
  const aclCalendars = new Set<string>();
  const listUsers = new Set<string>();
  for (const r of records) {
    if ((r.object === 'event' || r.object === 'attendee') && r.calendarId) eventCalendars.add(r.calendarId);
    else if (r.object === 'acl' && r.calendarId) aclCalendars.add(r.calendarId);
    else if (r.object === 'subscription' || r.object === 'calendar') for (const u of r.audience) listUsers.add(u);
  }
  return { eventCalendars: [...eventCalendars], aclCalendars: [...aclCalendars], listUsers: [...listUsers] };
}

/** Records of one write: consecutive, with the same time and actor. */
function writesOf(records: readonly ChangeRecord[]): ChangeRecord[][] {
  const groups: ChangeRecord[][] = [];
  for (const r of records) {
    const last = groups[groups.length - 1]?.[0];
    if (last && last.at === r.at && last.tenantKey === r.tenantKey && last.appId === r.appId && last.userId === r.userId && last.seq < r.seq) {
      groups[groups.length - 1].push(r);
    } else {
      groups.push([r]);
    }
  }
  return groups;
}

const EVENT_CHANGE: Partial<Record<ChangeRecord['kind'], EventChangeType>> = { created: 'create', updated: 'update', deleted: 'delete' };

export function decidePushes(records: readonly ChangeRecord[], targets: readonly PushTarget[], subscriptions: readonly PushSubscription[]): PushIntent[] {
  const subscribersOf = (appId: string, topic: PushSubscription['topic'], calendarId: string, among?: readonly string[]): string[] =>
    [...new Set(subscriptions
      .filter((s) => s.appId === appId && s.topic === topic && s.calendarId === calendarId && (!among || among.includes(s.userId)))
      .map((s) => s.userId))].sort();
  const out: PushIntent[] = [];
  for (const write of writesOf(records)) {
    // An answer to an invitation updates the event everywhere it shows: Feishu calls that change `rsvp`.
    const replied = new Map<string, string[]>();
    for (const r of write) {
      if (r.object === 'attendee' && r.kind === 'replied' && r.uid) replied.set(r.uid, [...new Set([...(replied.get(r.uid) ?? []), r.objectId])]);
    }
    for (const target of targets) {
      const fresh = write.filter((r) => r.seq > target.cursor && r.tenantKey === target.tenantKey);
      if (fresh.length === 0) continue;
      const listUsers = new Set<string>();
      for (const r of fresh) {
        const base = { appId: target.appId, tenantKey: target.tenantKey, seq: r.seq, at: r.at };
        if (r.object === 'event' && r.calendarId && r.uid) {
          const subscribers = subscribersOf(target.appId, 'events', r.calendarId);
          const change = EVENT_CHANGE[r.kind];
          if (subscribers.length === 0 || !change) continue;
          const changeType = change === 'update' && replied.has(r.uid) ? 'rsvp' : change;
          out.push({
            ...base, type: 'event_changed', subscribers, calendarId: r.calendarId, eventId: r.objectId, changeType,
            ...(changeType === 'rsvp' ? { replied: { uid: r.uid, attendeeIds: replied.get(r.uid)! } } : {}),
          });
        } else if (r.object === 'acl' && r.calendarId && (r.kind === 'acl_created' || r.kind === 'acl_deleted')) {
          const subscribers = subscribersOf(target.appId, 'acls', r.calendarId);
          if (subscribers.length === 0) continue;
          out.push({
            ...base, type: r.kind, subscribers, calendarId: r.calendarId, aclId: r.objectId, audience: r.audience,
            ...(r.userId !== undefined ? { actorUserId: r.userId } : {}),
            ...(r.grant ? { grant: r.grant } : {}),
          });
        } else if (r.object === 'subscription' || r.object === 'calendar') {
          for (const u of subscribersOf(target.appId, 'calendar_list', '', r.audience)) listUsers.add(u);
        }
      }
      // One calendar-list push per write and app, naming every subscribed user whose list it changed.
      if (listUsers.size > 0) {
        const first = fresh.find((r) => r.object === 'subscription' || r.object === 'calendar')!;
        out.push({ appId: target.appId, tenantKey: target.tenantKey, seq: first.seq, at: first.at, type: 'calendar_list_changed', subscribers: [...listUsers].sort() });
      }
    }
  }
  return out;
}
