import { atLeast, roleOn } from '../access.js';
import type { Calendar, CalendarAcl } from '../types.js';

/**
 * An app's push subscriptions: a user, through an app, asks to be told of changes to a calendar's
 * events, to its ACLs, or to the user's calendar list. Pushes go only to subscribed apps.
 */
/** What a subscription turns on: `calendar.calendar.changed_v4`, `…event.changed_v4`, `…acl.*_v4`. */
export type PushTopic = 'calendar_list' | 'events' | 'acls';

export interface PushSubscription {
  readonly appId: string;
  readonly tenantKey: string;
  /** Internal id of the user who subscribed. */
  readonly userId: string;
  readonly topic: PushTopic;
  /** The calendar; '' for `calendar_list`, which is about the user's list, not one calendar. */
  readonly calendarId: string;
  readonly createdAt: number;
}

/**
 * The subscriptions whose users may still read the calendar they subscribed to, as it stands now:
 * someone whose ACL was deleted, or whose calendar was made private, hears no more of it (a
 * subscription needed reader; a calendar-list subscription concerns the user's own list and stays).
 * `acls` holds the subscribers' grants on the calendars in `calendars`.
 */
export function entitledSubscriptions(
  subscriptions: readonly PushSubscription[],
  calendars: ReadonlyMap<string, Calendar>,
  acls: readonly CalendarAcl[],
): PushSubscription[] {
  return subscriptions.filter((s) => {
    if (s.topic === 'calendar_list') return true;
    const calendar = calendars.get(s.calendarId);
    if (!calendar) return false;
    const acl = acls.find((a) => a.calendarId === s.calendarId && a.userId === s.userId);
    return atLeast(roleOn({ kind: 'user', tenantKey: s.tenantKey, appId: s.appId, userId: s.userId }, calendar, acl), 'reader');
  });
}
