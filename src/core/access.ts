import { DomainError } from './errors.js';
import type { Actor, Calendar, CalendarAcl, Role } from './types.js';
import { ROLE_RANK, principalOf } from './types.js';

/**
 * The role an actor holds on a calendar. The owner is owner; an ACL grants its role; otherwise the
 * calendar's `permissions` decide what the rest of its tenant sees. Another tenant sees nothing.
 */
export function roleOn(actor: Actor, calendar: Calendar, acl: CalendarAcl | undefined): Role {
  if (calendar.tenantKey !== actor.tenantKey) return 'none';
  if (calendar.owner === principalOf(actor)) return 'owner';
  const granted: Role = acl ? acl.role : 'none';
  return maxRole(granted, defaultRole(calendar));
}

function defaultRole(calendar: Calendar): Role {
  switch (calendar.permissions) {
    case 'public':
      return 'reader';
    case 'show_only_free_busy':
      return 'free_busy_reader';
    case 'private':
      return calendar.type === 'resource' ? 'free_busy_reader' : 'none';
  }
}

export const maxRole = (a: Role, b: Role): Role => (ROLE_RANK[a] >= ROLE_RANK[b] ? a : b);

export const atLeast = (role: Role, wanted: Role): boolean => ROLE_RANK[role] >= ROLE_RANK[wanted];

/**
 * Resolves a calendar for use: another tenant's calendar does not exist for the caller, a deleted one
 * answers as deleted, and the caller must hold at least `wanted`.
 */
export function requireCalendarRole(
  actor: Actor,
  calendar: Calendar | undefined,
  acl: CalendarAcl | undefined,
  wanted: Role,
): Role {
  if (!calendar || calendar.tenantKey !== actor.tenantKey) {
    throw new DomainError('calendar_not_found', 'calendar not found', 'calendar_id');
  }
  if (calendar.isDeleted) throw new DomainError('calendar_deleted', 'calendar is deleted', 'calendar_id');
  const role = roleOn(actor, calendar, acl);
  if (!atLeast(role, wanted) || role === 'none') {
    throw new DomainError('no_calendar_access', `no calendar access_role: ${wanted} needed, caller has ${role}`, 'calendar_id');
  }
  return role;
}

/** Event writes and ACL management happen only on primary or shared calendars. */
export function requireWritableType(calendar: Calendar): void {
  if (calendar.type !== 'primary' && calendar.type !== 'shared') {
    throw new DomainError('invalid_calendar_type', `invalid calendar type: ${calendar.type}`, 'calendar_id');
  }
}

/**
 * A calendar in a caller's calendar list. Someone left with no role on a calendar they subscribed
 * to (their ACL deleted, the calendar made private) sees what any other path shows them: nothing.
 * A list page leaves it out; sync reports it as removed, with none of its current content.
 */
export function asListed(calendar: Calendar, role: Role, entryActive: boolean): Calendar {
  if (role === 'none') return { ...calendar, summary: '', description: '', isDeleted: true };
  return !entryActive || calendar.isDeleted ? { ...calendar, isDeleted: true } : calendar;
}
