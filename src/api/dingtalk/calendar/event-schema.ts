import { Type } from 'typebox';
import type { Static } from 'typebox';

/**
 * Request shapes of the event operations, as the SDK's request models type them. Only JSON types
 * are checked here (a wrong type is `invalidParameter` naming the field); values, and the platform's
 * exact messages, are checked when the body is mapped.
 */
const Str = Type.Optional(Type.String());
const Int = Type.Optional(Type.Integer());

export const TimeWire = Type.Object({ date: Str, dateTime: Str, timeZone: Str });
export type TimeWire = Static<typeof TimeWire>;

export const RecurrenceBody = Type.Object({
  pattern: Type.Optional(Type.Object({ type: Str, dayOfMonth: Int, daysOfWeek: Str, index: Str, interval: Int, firstDayOfWeek: Str })),
  range: Type.Optional(Type.Object({ type: Str, endDate: Str, numberOfOccurrences: Int })),
});

export const EventBodyFields = {
  summary: Str,
  description: Str,
  start: Type.Optional(TimeWire),
  end: Type.Optional(TimeWire),
  isAllDay: Type.Optional(Type.Boolean()),
  recurrence: Type.Optional(RecurrenceBody),
  attendees: Type.Optional(Type.Array(Type.Object({ id: Str, email: Str, isOptional: Type.Optional(Type.Boolean()) }))),
  /** `meetingRooms` (room ids) is rili's: the SDK's request model has only displayName. */
  location: Type.Optional(Type.Object({ displayName: Str, meetingRooms: Type.Optional(Type.Array(Type.String())) })),
  reminders: Type.Optional(Type.Array(Type.Object({ method: Str, minutes: Int }))),
  onlineMeetingInfo: Type.Optional(Type.Object({ type: Str })),
  richTextDescription: Type.Optional(Type.Object({ text: Str })),
  uiConfigs: Type.Optional(Type.Array(Type.Object({ uiName: Str, uiStatus: Str }))),
  extra: Type.Optional(Type.Record(Type.String(), Type.String())),
  cardInstances: Type.Optional(Type.Array(Type.Object({ outTrackId: Str, scenario: Str }))),
  categories: Type.Optional(Type.Array(Type.Object({ categoryId: Str, displayName: Str }))),
  freeBusyStatus: Str,
};

export const CreateEventBody = Type.Object(EventBodyFields);
export type CreateEventBody = Static<typeof CreateEventBody>;

export const PatchEventBody = Type.Object({ ...EventBodyFields, id: Str });
export type PatchEventBody = Static<typeof PatchEventBody>;

export type EventBody = CreateEventBody & { id?: string };

export const UserParams = Type.Object({ userId: Type.String() });
export const CalendarParams = Type.Object({ userId: Type.String(), calendarId: Type.String() });
export const EventParams = Type.Object({ userId: Type.String(), calendarId: Type.String(), eventId: Type.String() });
