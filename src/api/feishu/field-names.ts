import type { FieldNamer } from '../../core/errors.js';

/** Domain fields whose Feishu name is not just their snake_case form. */
const RENAMED: Readonly<Record<string, string>> = {
  start: 'start_time',
  end: 'end_time',
  checkIn: 'event_check_in',
};

const snakeCase = (part: string): string => part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A domain field path in Feishu's wire terms: `end` → `end_time`, `end.date` → `end_time.date`,
 * `checkIn.checkInStartTime.timeType` → `event_check_in.check_in_start_time.time_type`,
 * `vchat.meetingSettings.assignHosts` → `vchat.meeting_settings.assign_hosts`. A path already in wire
 * terms (an api file's own `attendees[0].chat_id`) comes back unchanged.
 */
export const feishuFieldName: FieldNamer = (domainField) => {
  const [first = '', ...rest] = domainField.split('.');
  return [RENAMED[first] ?? snakeCase(first), ...rest.map(snakeCase)].join('.');
};
