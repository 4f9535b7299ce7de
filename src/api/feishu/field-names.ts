import type { FieldNamer } from '../../core/errors.js';

/** Domain fields whose Feishu name is not just their snake_case form. */
const RENAMED: Readonly<Record<string, string>> = {
  start: 'start_time',
  end: 'end_time',
  checkIn: 'event_check_in',
  /** A removal's attendees named by type and id rather than by attendee id. */
  attendeeRefs: 'delete_ids',
};

/** Parts named otherwise inside an attendee (`attendees[0].email` → `attendees[0].third_party_email`). */
const ATTENDEE_PART: Readonly<Record<string, string>> = { email: 'third_party_email' };

const snakeCase = (part: string): string => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A domain field path in Feishu's wire terms: `end` → `end_time`, `end.date` → `end_time.date`,
 * `checkIn.checkInStartTime.timeType` → `event_check_in.check_in_start_time.time_type`,
 * `vchat.meetingSettings.assignHosts` → `vchat.meeting_settings.assign_hosts`. A path already in wire
 * terms (an api file's own `attendees[0].chat_id`) comes back unchanged.
 */
export const feishuFieldName: FieldNamer = (domainField) => {
  const [first = '', ...rest] = domainField.split('.');
  // The name of the first part, without an index (`attendeeRefs[3]` → `attendeeRefs`, `[3]`).
  const [, name = '', index = ''] = /^([^[]*)(.*)$/.exec(first) ?? [];
  const inAttendee = name === 'attendees';
  return [(RENAMED[name] ?? snakeCase(name)) + index, ...rest.map((part) => (inAttendee && ATTENDEE_PART[part]) || snakeCase(part))].join('.');
};
