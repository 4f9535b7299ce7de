import { Type } from 'typebox';
import type { Static } from 'typebox';
import { StringEnum } from '../../../schemas.js';

/** Limits from the seeds (feishu-event-patch.md, feishu-event-resource.md). */
export const LIMITS = {
  summary: 1000,
  description: 40960,
  recurrence: 2000,
  maxTimestamp: 16725225600,
  meetingUrl: 2000,
  vchatDescription: 500,
  locationName: 512,
  locationAddress: 255,
  reminderMinutes: 20160,
} as const;

export const TimeInfo = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 10 })),
  timestamp: Type.Optional(Type.String({ maxLength: 12 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
});

const MeetingSettings = Type.Object({
  owner_id: Type.Optional(Type.String({ maxLength: 255 })),
  join_meeting_permission: Type.Optional(StringEnum(['anyone_can_join', 'only_organization_employees', 'only_event_attendees'] as const)),
  password: Type.Optional(Type.String({ maxLength: 64 })),
  assign_hosts: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 10 })),
  auto_record: Type.Optional(Type.Boolean()),
  open_lobby: Type.Optional(Type.Boolean()),
  allow_attendees_start: Type.Optional(Type.Boolean()),
});

const Vchat = Type.Object({
  vc_type: Type.Optional(StringEnum(['vc', 'third_party', 'no_meeting', 'lark_live', 'unknown'] as const)),
  icon_type: Type.Optional(StringEnum(['vc', 'live', 'default'] as const)),
  description: Type.Optional(Type.String({ maxLength: LIMITS.vchatDescription })),
  meeting_url: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.meetingUrl })),
  meeting_settings: Type.Optional(MeetingSettings),
});

const Location = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.locationName })),
  address: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.locationAddress })),
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});

const Schema = Type.Object({
  ui_name: StringEnum(['ForwardIcon', 'MeetingChatIcon', 'MeetingMinutesIcon', 'MeetingVideo', 'RSVP', 'Attendee', 'OrganizerOrCreator'] as const),
  ui_status: Type.Optional(StringEnum(['hide', 'readonly', 'editable', 'unknown'] as const)),
  app_link: Type.Optional(Type.String({ maxLength: 2000 })),
});

const CheckInTime = Type.Object({
  time_type: StringEnum(['before_event_start', 'after_event_start', 'after_event_end'] as const),
  duration: Type.Integer(),
});

const CheckIn = Type.Object({
  enable_check_in: Type.Boolean(),
  check_in_start_time: Type.Optional(CheckInTime),
  check_in_end_time: Type.Optional(CheckInTime),
  need_notify_attendees: Type.Optional(Type.Boolean()),
});

/** The editable event fields, as create and patch take them. */
export const EventBodyFields = {
  summary: Type.Optional(Type.String({ maxLength: LIMITS.summary })),
  description: Type.Optional(Type.String({ maxLength: LIMITS.description })),
  need_notification: Type.Optional(Type.Boolean()),
  start_time: Type.Optional(TimeInfo),
  end_time: Type.Optional(TimeInfo),
  vchat: Type.Optional(Vchat),
  visibility: Type.Optional(StringEnum(['default', 'public', 'private'] as const)),
  attendee_ability: Type.Optional(StringEnum(['none', 'can_see_others', 'can_invite_others', 'can_modify_event'] as const)),
  free_busy_status: Type.Optional(StringEnum(['busy', 'free'] as const)),
  location: Type.Optional(Location),
  color: Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 2147483647 })),
  reminders: Type.Optional(Type.Array(Type.Object({ minutes: Type.Integer({ minimum: -LIMITS.reminderMinutes, maximum: LIMITS.reminderMinutes }) }), { maxItems: 100 })),
  recurrence: Type.Optional(Type.String({ maxLength: LIMITS.recurrence })),
  schemas: Type.Optional(Type.Array(Schema, { maxItems: 20 })),
  attachments: Type.Optional(Type.Array(Type.Object({ file_token: Type.String({ minLength: 1, maxLength: 255 }), is_deleted: Type.Optional(Type.Boolean()) }), { maxItems: 100 })),
  event_check_in: Type.Optional(CheckIn),
  source: Type.Optional(Type.String({ maxLength: 255 })),
  description_rich: Type.Optional(Type.String({ maxLength: LIMITS.description })),
};

export const EventBody = Type.Object(EventBodyFields);
export type EventBody = Static<typeof EventBody>;
export type TimeInfoWire = Static<typeof TimeInfo>;
