import { DomainError } from './errors.js';
import type { Calendar, CalendarPermissions, CalendarType, PrincipalKey, Role, Subscription } from './types.js';

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
