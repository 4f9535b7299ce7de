import { requireWritableType } from './access.js';
import { changeBy } from './changes.js';
import type { ChangeActor, ChangeDraft } from './changes.js';
import { DomainError } from './errors.js';
import type { Calendar, CalendarAcl, CalendarPermissions, CalendarType, PrincipalKey, Role, SubscribedCalendarInfo, Subscription } from './types.js';

/** The colour Feishu gives a calendar that was created without one. */
export const DEFAULT_CALENDAR_COLOR = -14513409;
/** How many calendars one principal's list may hold. */
export const SUBSCRIPTION_LIMIT = 1000;

export interface NewCalendar {
  readonly calendarId: string;
  readonly tenantKey: string;
  readonly type: CalendarType;
  readonly owner: PrincipalKey;
  readonly summary: string;
  readonly description?: string;
  readonly permissions?: CalendarPermissions;
  readonly color?: number;
  readonly now: number;
  readonly seq: number;
}

export function newCalendar(c: NewCalendar): Calendar {
  return {
    calendarId: c.calendarId,
    tenantKey: c.tenantKey,
    type: c.type,
    owner: c.owner,
    summary: c.summary,
    description: c.description ?? '',
    permissions: c.permissions ?? 'show_only_free_busy',
    color: c.color ?? DEFAULT_CALENDAR_COLOR,
    isDeleted: false,
    createdAt: c.now,
    seq: c.seq,
  };
}

export function newSubscription(principal: PrincipalKey, calendarId: string, seq: number, summaryAlias = ''): Subscription {
  return { principal, calendarId, summaryAlias, color: null, active: true, seq };
}

/** A calendar patch as the API gives it: only the fields sent. */
export interface CalendarPatch {
  readonly summary?: string;
  readonly description?: string;
  readonly permissions?: CalendarPermissions;
  readonly color?: number;
  readonly summaryAlias?: string;
}

/**
 * Applies a patch. summary, description and permissions are the calendar's own and need its owner;
 * color and summary_alias belong to the caller's own calendar list, so any subscriber may set them.
 */
export function patchCalendar(
  principal: PrincipalKey,
  calendar: Calendar,
  subscription: Subscription | undefined,
  role: Role,
  patch: CalendarPatch,
  seq: number,
): { calendar: Calendar; subscription: Subscription | undefined } {
  const sharedFields = patch.summary !== undefined || patch.description !== undefined || patch.permissions !== undefined;
  if (sharedFields && role !== 'owner') {
    throw new DomainError('no_calendar_access', 'only the calendar owner may change summary, description or permissions', 'calendar_id');
  }
  const nextCalendar: Calendar = sharedFields
    ? {
        ...calendar,
        summary: patch.summary ?? calendar.summary,
        description: patch.description ?? calendar.description,
        permissions: patch.permissions ?? calendar.permissions,
        seq,
      }
    : calendar;
  const personal = patch.color !== undefined || patch.summaryAlias !== undefined;
  let nextSubscription = subscription;
  if (personal) {
    const base = subscription ?? newSubscription(principal, calendar.calendarId, seq);
    nextSubscription = {
      ...base,
      color: patch.color ?? base.color,
      summaryAlias: patch.summaryAlias ?? base.summaryAlias,
      seq,
    };
  }
  return { calendar: nextCalendar, subscription: nextSubscription };
}

/**
 * What a calendar write saves: rows to put, ACLs to drop, and the change records that say what
 * changed. Decisions below return one; the service saves it with its records in one transaction.
 */
export interface CalendarWrite {
  readonly calendars: readonly Calendar[];
  readonly subscriptions: readonly Subscription[];
  readonly acls: readonly CalendarAcl[];
  readonly removedAcls: readonly CalendarAcl[];
  /** What makes a calendar a DingTalk subscribed calendar (core/subscribed-calendars.ts). */
  readonly subscribed: readonly SubscribedCalendarInfo[];
  readonly changes: readonly ChangeDraft[];
}

export const NOTHING: CalendarWrite = { calendars: [], subscriptions: [], acls: [], removedAcls: [], subscribed: [], changes: [] };

export const write = (parts: Partial<CalendarWrite>): CalendarWrite => ({ ...NOTHING, ...parts });

/** The internal user id behind a principal key, when a user it is. */
const userOf = (principal: PrincipalKey): string | undefined => (principal.startsWith('u:') ? principal.slice(2) : undefined);

/** Users whose view changed: the calendar owner (when a user), the acting user and any others named. */
export const audienceOf = (actor: ChangeActor, calendar: Calendar, ...others: ReadonlyArray<string | undefined>): string[] =>
  [...new Set([userOf(calendar.owner), actor.userId, ...others].filter((u): u is string => u !== undefined))];

export const calendarRecord = (actor: ChangeActor, calendar: Calendar, kind: 'created' | 'updated' | 'deleted', audience: readonly string[]): ChangeDraft =>
  changeBy(actor, { calendarId: calendar.calendarId, object: 'calendar', objectId: calendar.calendarId, kind, audience });

/** A principal's calendar list changed on this calendar (an app's list has no user audience). */
export const listRecord = (actor: ChangeActor, subscription: Subscription): ChangeDraft => {
  const user = userOf(subscription.principal);
  return changeBy(actor, {
    calendarId: subscription.calendarId, object: 'subscription', objectId: subscription.calendarId,
    kind: 'calendar_list_changed', audience: user === undefined ? [] : [user],
  });
};

export const aclRecord = (actor: ChangeActor, calendar: Calendar, acl: CalendarAcl, kind: 'acl_created' | 'acl_deleted'): ChangeDraft =>
  changeBy(actor, {
    calendarId: calendar.calendarId, object: 'acl', objectId: acl.aclId, kind, audience: audienceOf(actor, calendar, acl.userId),
    grant: { role: acl.role, userId: acl.userId },
  });

/** A shared calendar created by a principal, on its own list; at most SUBSCRIPTION_LIMIT entries per list. */
export function createCalendar(
  actor: ChangeActor,
  principal: PrincipalKey,
  held: number,
  input: Omit<NewCalendar, 'tenantKey' | 'type' | 'owner' | 'summary'> & { summary?: string; summaryAlias?: string },
): CalendarWrite & { calendar: Calendar; subscription: Subscription } {
  if (held >= SUBSCRIPTION_LIMIT) throw new DomainError('subscription_limit', `a calendar list holds at most ${SUBSCRIPTION_LIMIT} calendars`);
  const calendar = newCalendar({ ...input, tenantKey: actor.tenantKey, type: 'shared', owner: principal, summary: input.summary ?? '' });
  const subscription: Subscription = { ...newSubscription(principal, calendar.calendarId, input.seq, input.summaryAlias ?? ''), color: input.color ?? null };
  return {
    ...write({
      calendars: [calendar], subscriptions: [subscription],
      changes: [calendarRecord(actor, calendar, 'created', audienceOf(actor, calendar)), listRecord(actor, subscription)],
    }),
    calendar, subscription,
  };
}

/**
 * A calendar every principal is born with (a user's or bot's primary, a room's resource calendar),
 * written by a seed: no app or user acted. A primary calendar is on its owner's list.
 */
export function bornCalendar(
  tenantKey: string,
  input: { calendarId: string; owner: PrincipalKey; name: string; type: 'primary' | 'resource'; now: number; seq: number },
): CalendarWrite {
  const actor: ChangeActor = { tenantKey };
  const calendar = newCalendar({ calendarId: input.calendarId, tenantKey, type: input.type, owner: input.owner, summary: input.name, now: input.now, seq: input.seq });
  if (input.type !== 'primary') return write({ calendars: [calendar], changes: [calendarRecord(actor, calendar, 'created', audienceOf(actor, calendar))] });
  const subscription = newSubscription(input.owner, calendar.calendarId, input.seq);
  return write({
    calendars: [calendar], subscriptions: [subscription],
    changes: [calendarRecord(actor, calendar, 'created', audienceOf(actor, calendar)), listRecord(actor, subscription)],
  });
}

/** A calendar as one principal holds it: the loaded row, the principal's role and list entry. */
export interface HeldCalendar {
  readonly calendar: Calendar;
  readonly role: Role;
  readonly subscription: Subscription | undefined;
}

/** patchCalendar as a write: the calendar's own fields record `updated`, the caller's list entry a list change. */
export function updateCalendar(actor: ChangeActor, principal: PrincipalKey, held: HeldCalendar, patch: CalendarPatch, seq: number): CalendarWrite & HeldCalendar {
  const next = patchCalendar(principal, held.calendar, held.subscription, held.role, patch, seq);
  const calendarChanged = next.calendar !== held.calendar;
  const listChanged = next.subscription !== undefined && next.subscription !== held.subscription;
  return {
    ...write({
      calendars: calendarChanged ? [next.calendar] : [],
      subscriptions: listChanged ? [next.subscription!] : [],
      changes: [
        ...(calendarChanged ? [calendarRecord(actor, next.calendar, 'updated', audienceOf(actor, next.calendar))] : []),
        ...(listChanged ? [listRecord(actor, next.subscription!)] : []),
      ],
    }),
    calendar: next.calendar, role: held.role, subscription: next.subscription,
  };
}

/** Only the owner deletes, and only a shared calendar; it leaves the caller's list with it. */
export function deleteCalendar(actor: ChangeActor, held: HeldCalendar, seq: number): CalendarWrite {
  if (held.role !== 'owner') throw new DomainError('no_calendar_access', `no calendar access_role: owner needed, caller has ${held.role}`, 'calendar_id');
  if (held.calendar.type !== 'shared') {
    throw new DomainError('invalid_calendar_type', `only shared calendars can be deleted, this one is ${held.calendar.type}`, 'calendar_id');
  }
  const calendar: Calendar = { ...held.calendar, isDeleted: true, seq };
  return write({
    calendars: [calendar],
    changes: [
      calendarRecord(actor, calendar, 'deleted', audienceOf(actor, calendar)),
      ...(held.subscription?.active ? [listRecord(actor, held.subscription)] : []),
    ],
  });
}

/** Puts a calendar on the caller's list (again); already there changes nothing. */
export function subscribeCalendar(actor: ChangeActor, principal: PrincipalKey, held: HeldCalendar, listed: number, seq: number): CalendarWrite & HeldCalendar {
  const type = held.calendar.type;
  if (type !== 'shared' && type !== 'primary' && type !== 'resource') {
    // Every type today may be subscribed to: a new CalendarType fails to compile here until it is decided.
    const undecided: never = type;
    throw new DomainError('invalid_calendar_type', `cannot subscribe to a ${String(undecided)} calendar`, 'calendar_id');
  }
  if (held.subscription?.active) return { ...NOTHING, ...held };
  if (listed >= SUBSCRIPTION_LIMIT) throw new DomainError('subscription_limit', `a calendar list holds at most ${SUBSCRIPTION_LIMIT} calendars`);
  const subscription: Subscription = held.subscription
    ? { ...held.subscription, active: true, seq }
    : newSubscription(principal, held.calendar.calendarId, seq);
  return { ...write({ subscriptions: [subscription], changes: [listRecord(actor, subscription)] }), ...held, subscription };
}

/**
 * Takes a calendar off the caller's list; not there changes nothing. Another tenant's calendar does
 * not exist for the caller, and an owner's primary calendar never leaves their list.
 */
export function unsubscribeCalendar(actor: ChangeActor, principal: PrincipalKey, calendar: Calendar | undefined, subscription: Subscription | undefined, seq: number): CalendarWrite {
  if (!calendar || calendar.tenantKey !== actor.tenantKey) throw new DomainError('calendar_not_found', 'calendar not found', 'calendar_id');
  if (calendar.type === 'primary' && calendar.owner === principal) {
    throw new DomainError('invalid_calendar_type', 'a primary calendar cannot leave its owner\'s list', 'calendar_id');
  }
  if (!subscription?.active) return NOTHING;
  const off: Subscription = { ...subscription, active: false, seq };
  return write({ subscriptions: [off], changes: [listRecord(actor, off)] });
}

/** Only the owner manages sharing, and only on primary or shared calendars. */
function requireSharingManager(held: HeldCalendar): void {
  if (held.role !== 'owner') throw new DomainError('no_calendar_access', `no calendar access_role: owner needed, caller has ${held.role}`, 'calendar_id');
  requireWritableType(held.calendar);
}

/**
 * Grants a user a role, or changes the role of their grant (an `acl_created` either way: the grant
 * in force); the same grant again changes nothing. The calendar takes the new seq so calendar-list
 * sync reports the changed access.
 */
export function grantAcl(
  actor: ChangeActor,
  held: HeldCalendar,
  existing: CalendarAcl | undefined,
  grant: { role: CalendarAcl['role']; userId: string; newAclId: string },
  seq: number,
): CalendarWrite & { acl: CalendarAcl } {
  requireSharingManager(held);
  if (existing?.role === grant.role) return { ...NOTHING, acl: existing };
  const acl: CalendarAcl = existing
    ? { ...existing, role: grant.role }
    : { aclId: grant.newAclId, calendarId: held.calendar.calendarId, role: grant.role, userId: grant.userId };
  return {
    ...write({ calendars: [{ ...held.calendar, seq }], acls: [acl], changes: [aclRecord(actor, held.calendar, acl, 'acl_created')] }),
    acl,
  };
}

/** Withdraws a grant by its id. */
export function revokeAcl(actor: ChangeActor, held: HeldCalendar, acl: CalendarAcl | undefined, aclId: string, seq: number): CalendarWrite {
  requireSharingManager(held);
  if (!acl) throw new DomainError('acl_not_found', `acl ${aclId} not found`, 'acl_id');
  return write({ calendars: [{ ...held.calendar, seq }], removedAcls: [acl], changes: [aclRecord(actor, held.calendar, acl, 'acl_deleted')] });
}
