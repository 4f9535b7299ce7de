import { invalidArgument } from '../../../../../core/errors.js';
import type { EventTime } from '../../../../../core/events/types.js';
import { canonicalTimeZone, dateToDays, isTimeZone } from '../../../../../core/events/time.js';
import type { TimeoffEvent } from '../../../../../core/service/extras-service.js';
import type { UserIdType } from '../../../../../core/ports.js';
import type { User } from '../../../../../core/types.js';
import { userWireId } from '../../../wire-ids.js';

/**
 * The platform's own title and description of a time-off event when the caller sends none: the title
 * as its documented example, the description as the example's (reference: the timeoff_event page).
 */
export const DEFAULT_TITLE = { allDay: '请假中(全天) / 1-Day Time Off', timed: '请假中 / Time Off' } as const;
export const DEFAULT_DESCRIPTION = '若删除此日程，飞书中相应的“请假”标签将自动消失，而请假系统中的休假申请不会被撤销。';

/** `timezone`, checked: an IANA name. */
export function timeoffZone(zone: string): string {
  if (!isTimeZone(zone)) throw invalidArgument('timezone', `unknown IANA time zone ${zone}`);
  return canonicalTimeZone(zone);
}

/** A start_time or end_time: a date (`2021-01-01`, all-day leave) or Unix seconds (leave by the hour). */
export function timeoffTime(value: string, field: 'start_time' | 'end_time', zone: string): EventTime {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (dateToDays(value) === undefined) throw invalidArgument(field, 'is not a valid date');
    return { kind: 'date', date: value };
  }
  if (/^\d{1,11}$/.test(value) && Number(value) > 0) return { kind: 'timed', epoch: Number(value), timeZone: zone };
  throw invalidArgument(field, 'must be a date (YYYY-MM-DD) or a string of Unix seconds');
}

const timeToWire = (t: EventTime): string => (t.kind === 'date' ? t.date : String(t.epoch));

export function timeoffToWire(t: TimeoffEvent, user: User, type: UserIdType | undefined) {
  return {
    timeoff_event_id: t.timeoffEventId, user_id: userWireId(user, type), timezone: t.timeZone,
    start_time: timeToWire(t.start), end_time: timeToWire(t.end), title: t.title, description: t.description,
  };
}
