/**
 * DingTalk's subscribed calendars: a shared calendar its author makes for others to subscribe to.
 * Its managers (the author always among them) change it and write its events (a `writer` ACL); the
 * users its subscribe scope reaches (named users, members of named chats, whole tenants) may put it
 * on their calendar list, which gives them a `reader` ACL so they see its events in both dialects.
 * Pure decisions: the service loads what they name and saves what they return with its records.
 */
import { NOTHING, aclRecord, audienceOf, calendarRecord, listRecord, newCalendar, newSubscription, write } from './calendars.js';
import type { CalendarWrite } from './calendars.js';
import type { ChangeActor } from './changes.js';
import { DomainError, invalidArgument } from './errors.js';
import type { Calendar, CalendarAcl, SubscribeScope, SubscribedCalendarInfo, Subscription } from './types.js';

/** A user acting: subscribed calendars are a user's, never an app bot's. */
export type UserChangeActor = ChangeActor & { readonly userId: string };

/** At most this many managers, users in a scope, chats in a scope. */
export const SUBSCRIBED_LIST_LIMIT = 500;

export interface SubscribedCalendarFields {
  readonly name?: string;
  readonly description?: string;
  /** Internal user ids (the author is added when missing). */
  readonly managers?: readonly string[];
  readonly scope?: SubscribeScope;
}

/** A subscribed calendar as loaded: its calendar row, its info, and the ACLs of the users a write touches. */
export interface HeldSubscribed {
  readonly calendar: Calendar;
  readonly info: SubscribedCalendarInfo;
}

const EMPTY_SCOPE: SubscribeScope = { userIds: [], chatIds: [], tenantKeys: [] };

function checkFields(f: SubscribedCalendarFields, creating: boolean): void {
  if ((creating || f.name !== undefined) && (f.name ?? '').trim() === '') throw invalidArgument('name', 'cannot be blank');
  if (f.name !== undefined && f.name.length > 256) throw invalidArgument('name', 'is longer than 256 characters');
  if (f.description !== undefined && f.description.length > 5000) throw invalidArgument('description', 'is longer than 5000 characters');
  if ((f.managers?.length ?? 0) > SUBSCRIBED_LIST_LIMIT) throw invalidArgument('managers', `holds at most ${SUBSCRIBED_LIST_LIMIT} users`);
  if ((f.scope?.userIds.length ?? 0) > SUBSCRIBED_LIST_LIMIT) throw invalidArgument('subscribeScope.unionIds', `holds at most ${SUBSCRIBED_LIST_LIMIT} users`);
  if ((f.scope?.chatIds.length ?? 0) > SUBSCRIBED_LIST_LIMIT) throw invalidArgument('subscribeScope.openConversationIds', `holds at most ${SUBSCRIBED_LIST_LIMIT} chats`);
}

const managersOf = (author: string, managers: readonly string[] | undefined): string[] => [...new Set([author, ...(managers ?? [])])];

/** A manager other than the author gets a writer ACL (an existing weaker one is raised). */
function managerGrants(actor: ChangeActor, calendar: Calendar, managers: readonly string[], existing: ReadonlyMap<string, CalendarAcl>, newAclId: () => string) {
  const acls: CalendarAcl[] = [];
  for (const userId of managers) {
    if (`u:${userId}` === calendar.owner) continue;
    const had = existing.get(userId);
    if (had?.role === 'writer') continue;
    acls.push(had ? { ...had, role: 'writer' } : { aclId: newAclId(), calendarId: calendar.calendarId, role: 'writer', userId });
  }
  return { acls, changes: acls.map((a) => aclRecord(actor, calendar, a, 'acl_created')) };
}

/** Makes a subscribed calendar owned by the acting user, on their own list. */
export function createSubscribedCalendar(
  actor: UserChangeActor,
  input: SubscribedCalendarFields & { calendarId: string; now: number; seq: number; newAclId: () => string },
): CalendarWrite & { info: SubscribedCalendarInfo } {
  checkFields(input, true);
  const calendar = newCalendar({
    calendarId: input.calendarId, tenantKey: actor.tenantKey, type: 'shared', owner: `u:${actor.userId}`,
    summary: input.name!.trim(), description: input.description, permissions: 'private', now: input.now, seq: input.seq,
  });
  const subscription = newSubscription(calendar.owner, calendar.calendarId, input.seq);
  const info: SubscribedCalendarInfo = {
    calendarId: calendar.calendarId, tenantKey: actor.tenantKey, author: actor.userId,
    managers: managersOf(actor.userId, input.managers), scope: input.scope ?? EMPTY_SCOPE, seq: input.seq,
  };
  const grants = managerGrants(actor, calendar, info.managers, new Map(), input.newAclId);
  return {
    ...write({
      calendars: [calendar], subscriptions: [subscription], acls: grants.acls, subscribed: [info],
      changes: [calendarRecord(actor, calendar, 'created', audienceOf(actor, calendar, ...info.managers)), listRecord(actor, subscription), ...grants.changes],
    }),
    info,
  };
}

/** Another tenant's, a deleted one or a plain calendar is no subscribed calendar of the caller's. */
export function requireSubscribed(actor: ChangeActor, calendar: Calendar | undefined, info: SubscribedCalendarInfo | undefined): HeldSubscribed {
  if (!calendar || !info || calendar.isDeleted || calendar.tenantKey !== actor.tenantKey) {
    throw new DomainError('calendar_not_found', 'no such subscribed calendar', 'calendarId');
  }
  return { calendar, info };
}

function requireManager(actor: UserChangeActor, held: HeldSubscribed): void {
  if (!held.info.managers.includes(actor.userId) && held.info.author !== actor.userId) {
    throw new DomainError('no_calendar_access', 'only the author and managers of a subscribed calendar may change it', 'userId');
  }
}

/** Whether a user may see and subscribe to it: a manager, or reached by its scope. */
export function reaches(held: HeldSubscribed, user: { id: string; tenantKey: string }, chatMembers: ReadonlyMap<string, readonly string[]>): boolean {
  const { info } = held;
  if (info.author === user.id || info.managers.includes(user.id)) return true;
  if (info.scope.userIds.includes(user.id) || info.scope.tenantKeys.includes(user.tenantKey)) return true;
  return info.scope.chatIds.some((c) => chatMembers.get(c)?.includes(user.id));
}

/** Reads it for a user it reaches. */
export function requireReached(held: HeldSubscribed, user: { id: string; tenantKey: string }, chatMembers: ReadonlyMap<string, readonly string[]>): void {
  if (!reaches(held, user, chatMembers)) {
    throw new DomainError('no_calendar_access', 'the subscribed calendar\'s scope does not reach this user', 'userId');
  }
}

/**
 * Changes name, description, managers or scope (only the fields sent). Managers added get a writer
 * ACL; managers taken off lose theirs.
 */
export function updateSubscribedCalendar(
  actor: UserChangeActor,
  held: HeldSubscribed,
  patch: SubscribedCalendarFields,
  aclsOf: ReadonlyMap<string, CalendarAcl>,
  newAclId: () => string,
  seq: number,
): CalendarWrite & { info: SubscribedCalendarInfo } {
  requireManager(actor, held);
  checkFields(patch, false);
  const calendar: Calendar = {
    ...held.calendar,
    summary: patch.name !== undefined ? patch.name.trim() : held.calendar.summary,
    description: patch.description ?? held.calendar.description,
    seq,
  };
  const managers = patch.managers !== undefined ? managersOf(held.info.author, patch.managers) : held.info.managers;
  const info: SubscribedCalendarInfo = { ...held.info, managers, scope: patch.scope ?? held.info.scope, seq };
  const grants = managerGrants(actor, calendar, managers, aclsOf, newAclId);
  const removed = held.info.managers
    .filter((u) => !managers.includes(u))
    .map((u) => aclsOf.get(u))
    .filter((a): a is CalendarAcl => a !== undefined && a.role === 'writer');
  return {
    ...write({
      calendars: [calendar], acls: grants.acls, removedAcls: removed, subscribed: [info],
      changes: [
        calendarRecord(actor, calendar, 'updated', audienceOf(actor, calendar, ...managers)),
        ...grants.changes,
        ...removed.map((a) => aclRecord(actor, calendar, a, 'acl_deleted')),
      ],
    }),
    info,
  };
}

/** Deletes it for everyone; the author or a manager may. */
export function deleteSubscribedCalendar(actor: UserChangeActor, held: HeldSubscribed, authorEntry: Subscription | undefined, seq: number): CalendarWrite {
  requireManager(actor, held);
  const calendar: Calendar = { ...held.calendar, isDeleted: true, seq };
  return write({
    calendars: [calendar],
    changes: [
      calendarRecord(actor, calendar, 'deleted', audienceOf(actor, calendar, ...held.info.managers)),
      ...(authorEntry?.active ? [listRecord(actor, authorEntry)] : []),
    ],
  });
}

/** Puts it on the user's list with a reader ACL (unless they hold one); already subscribed changes nothing. */
export function subscribeToCalendar(
  actor: UserChangeActor,
  held: HeldSubscribed,
  state: { subscription: Subscription | undefined; acl: CalendarAcl | undefined; reached: boolean },
  newAclId: string,
  seq: number,
): CalendarWrite {
  if (!state.reached) throw new DomainError('no_calendar_access', 'the subscribed calendar\'s scope does not reach this user', 'userId');
  if (state.subscription?.active) return NOTHING;
  const subscription: Subscription = state.subscription
    ? { ...state.subscription, active: true, seq }
    : newSubscription(`u:${actor.userId}`, held.calendar.calendarId, seq);
  const owner = held.calendar.owner === `u:${actor.userId}`;
  const acl: CalendarAcl | undefined = owner || state.acl
    ? undefined
    : { aclId: newAclId, calendarId: held.calendar.calendarId, role: 'reader', userId: actor.userId };
  return write({
    subscriptions: [subscription], acls: acl ? [acl] : [],
    changes: [listRecord(actor, subscription), ...(acl ? [aclRecord(actor, held.calendar, acl, 'acl_created')] : [])],
  });
}

/** Takes it off the user's list; the reader ACL subscribing gave goes with it (a manager's stays). */
export function unsubscribeFromCalendar(
  actor: UserChangeActor,
  held: HeldSubscribed,
  state: { subscription: Subscription | undefined; acl: CalendarAcl | undefined },
  seq: number,
): CalendarWrite {
  if (!state.subscription?.active) return NOTHING;
  const off: Subscription = { ...state.subscription, active: false, seq };
  const drop = state.acl?.role === 'reader' ? state.acl : undefined;
  return write({
    subscriptions: [off], removedAcls: drop ? [drop] : [],
    changes: [listRecord(actor, off), ...(drop ? [aclRecord(actor, held.calendar, drop, 'acl_deleted')] : [])],
  });
}
