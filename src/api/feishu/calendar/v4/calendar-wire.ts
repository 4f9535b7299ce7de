import { DomainError } from '../../../../core/errors.js';
import type { CalendarView } from '../../../../core/service/calendar-service.js';

/** A calendar as Feishu sends it, seen by one caller (its role, its own colour and alias). */
export function calendarToWire(view: CalendarView) {
  const { calendar, role, subscription } = view;
  return {
    calendar_id: calendar.calendarId,
    summary: calendar.summary,
    description: calendar.description,
    permissions: calendar.permissions,
    color: subscription?.color ?? calendar.color,
    type: calendar.type,
    summary_alias: subscription?.summaryAlias ?? '',
    is_deleted: calendar.isDeleted,
    is_third_party: false,
    role: role === 'none' ? 'unknown' : role,
  };
}

/** A calendar id must be `primary` or shaped like one rili hands out; anything else is 191001. */
export function checkCalendarId(id: string): string {
  if (id === 'primary' || /^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/.test(id)) return id;
  throw new DomainError('invalid_calendar_id', `invalid calendar_id: ${id}`, 'calendar_id');
}
