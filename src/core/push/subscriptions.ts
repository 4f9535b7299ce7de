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
