import type { AppContext } from '../../../context.js';
import { isEmailAddress } from '../../../core/events/attendees.js';
import type { AttendeeSpec } from '../../../core/events/attendees.js';
import type { CalendarEvent, EventTime, Reminder } from '../../../core/events/types.js';
import type { EventInput } from '../../../core/service/event-service.js';
import { isDate, isTimeZone, parseDateTime } from '../date-time.js';
import { DINGTALK_MESSAGES, DingtalkError } from '../errors.js';
import { recurrenceToRule } from '../recurrence-mapping.js';
import type { EventBody, TimeWire } from './event-schema.js';

/** Limits from the DingTalk documentation (reference/dingtalk.md §2.1, the PUT seed). */
export const EVENT_LIMITS = {
  summary: 2048,
  description: 5000,
  attendeesPerCall: 500,
  attendeesPerEvent: 5000,
  /** Four weeks: the longest reminder lead DingTalk's clients offer. */
  reminderMinutes: 40_320,
} as const;

/** DingTalk's default reminders: 15 minutes before a timed event, 09:00 the day before an all-day one. */
export const DEFAULT_REMINDERS = { timed: [{ minutes: 15 }], allDay: [{ minutes: 15 * 60 }] } as const;

/** Keys of CalendarEvent.extensions holding what only DingTalk models. */
export const EXT = {
  uiConfigs: 'uiConfigs',
  richTextDescription: 'richTextDescription',
  extra: 'extra',
  onlineMeetingInfo: 'onlineMeetingInfo',
  location: 'dingtalkLocation',
  cardInstances: 'cardInstances',
  categories: 'categories',
} as const;

/** The body of create or PUT in domain terms, with the invitations it names. */
export interface MappedEvent {
  readonly input: EventInput;
  /** The people the body invites (users by internal id, emails); undefined when `attendees` was not sent. */
  readonly attendees?: readonly AttendeeSpec[];
  /** Rooms named by `location.meetingRooms`; undefined when not sent. */
  readonly rooms?: readonly string[];
}

const fail = (message: string): never => {
  throw new DingtalkError('invalidParameter', message);
};

const isSet = (t: TimeWire | undefined): t is TimeWire =>
  t !== undefined && [t.date, t.dateTime, t.timeZone].some((v) => v !== undefined && v !== '');

/** A start or end from the wire: `date` alone for all-day, `dateTime` with `timeZone` otherwise. */
function timeOf(t: TimeWire, allDay: boolean, which: 'start' | 'end'): EventTime {
  if (allDay) {
    if (t.dateTime) fail(`${which}.dateTime must be empty for an all-day event`);
    if (t.timeZone) fail(`${which}.timeZone must be empty for an all-day event`);
    if (!t.date) fail(`${which}.date is required for an all-day event`);
    if (!isDate(t.date!)) fail(`${which}.date must be a date in the format yyyy-MM-dd`);
    return { kind: 'date', date: t.date! };
  }
  if (t.date) fail(`${which}.date must be empty for a non-all-day event`);
  if (!t.dateTime) fail(`${which}.dateTime is required for a non-all-day event`);
  if (!t.timeZone) fail(`${which}.timeZone is required for a non-all-day event`);
  if (!isTimeZone(t.timeZone!)) fail(`${which}.timeZone ${t.timeZone} is not a TZ database name`);
  const epoch = parseDateTime(t.dateTime!, t.timeZone) ?? fail(`${which}.dateTime must be an ISO-8601 date-time`);
  return { kind: 'timed', epoch, timeZone: t.timeZone! };
}

/**
 * Start and end of a create (both required), or of a PUT (either; the other is kept). Without
 * `isAllDay` the kind follows what was sent (a lone `date` is all-day), or the event's current kind.
 */
export function timesFromWire(body: EventBody, current?: CalendarEvent): { start?: EventTime; end?: EventTime } | undefined {
  const sentStart = isSet(body.start);
  const sentEnd = isSet(body.end);
  if (!current) {
    if (!sentStart) fail(DINGTALK_MESSAGES.startMissing);
    if (!sentEnd) fail(DINGTALK_MESSAGES.endMissing);
  }
  const currentAllDay = current ? current.start.kind === 'date' : undefined;
  if (!sentStart && !sentEnd) {
    if (body.isAllDay !== undefined && currentAllDay !== undefined && body.isAllDay !== currentAllDay) {
      fail('start and end must be set when isAllDay changes');
    }
    return undefined;
  }
  const sample = sentStart ? body.start! : body.end!;
  const inferred = sample.dateTime ? false : sample.date ? true : currentAllDay ?? false;
  const allDay = body.isAllDay ?? inferred;
  const start = sentStart ? timeOf(body.start!, allDay, 'start') : current!.start;
  const end = sentEnd ? timeOf(body.end!, allDay, 'end') : current!.end;
  if (start.kind !== end.kind) fail('start and end must be set when isAllDay changes');
  if (start.kind === 'timed' && end.kind === 'timed') {
    if (start.timeZone !== end.timeZone) fail('end.timeZone must be the same as start.timeZone');
    if (end.epoch < start.epoch) fail('end must not be before start');
  }
  if (start.kind === 'date' && end.kind === 'date' && end.date <= start.date) {
    fail('end.date must be after start.date: the end date of an all-day event is exclusive');
  }
  // On a PUT only what was sent goes to the core, which keeps the other from the event it has locked.
  return { start: sentStart || !current ? start : undefined, end: sentEnd || !current ? end : undefined };
}

function remindersOf(body: EventBody): Reminder[] | undefined {
  if (body.reminders === undefined) return undefined;
  return body.reminders.map((r, i) => {
    if (r.method !== undefined && r.method !== 'dingtalk') fail(`reminders[${i}].method must be dingtalk`);
    if (r.minutes === undefined) fail(`reminders[${i}].minutes is required`);
    if (r.minutes! < 0 || r.minutes! > EVENT_LIMITS.reminderMinutes) fail(`reminders[${i}].minutes must be between 0 and ${EVENT_LIMITS.reminderMinutes}`);
    return { minutes: r.minutes! };
  });
}

/** Users by unionId and addresses by email; anyone not in the organization is refused. */
async function invitationsOf(ctx: AppContext, tenantKey: string, body: EventBody): Promise<AttendeeSpec[] | undefined> {
  if (body.attendees === undefined) return undefined;
  if (body.attendees.length > EVENT_LIMITS.attendeesPerCall) {
    fail(`at most ${EVENT_LIMITS.attendeesPerCall} attendees per call, got ${body.attendees.length}`);
  }
  const list = body.attendees;
  const users = await ctx.events.lookups.usersByExternalIds(tenantKey, 'union_id', list.map((a) => a.id ?? ''));
  const specs: AttendeeSpec[] = [];
  for (const [i, a] of list.entries()) {
    if (a.id) {
      const user = users[i];
      if (!user) fail(`attendees[${i}].id ${a.id} is not a user of this organization`);
      specs.push({ type: 'user', userId: user!.id, isOptional: a.isOptional ?? false });
    } else if (a.email) {
      // Refused here, before anything is written, rather than by the core's add after the event is.
      if (!isEmailAddress(a.email)) fail(`attendees[${i}].email ${a.email} is not an email address`);
      specs.push({ type: 'third_party', email: a.email, isOptional: a.isOptional ?? false });
    } else {
      fail(`attendees[${i}] needs an id or an email`);
    }
  }
  return specs;
}

async function roomsOf(ctx: AppContext, tenantKey: string, body: EventBody): Promise<string[] | undefined> {
  const ids = body.location?.meetingRooms;
  if (ids === undefined) return undefined;
  if ((await ctx.events.lookups.rooms(tenantKey, ids)).some((room) => !room)) fail(DINGTALK_MESSAGES.meetingRoomInvalid);
  return [...new Set(ids)];
}

/**
 * Maps a create or PUT body to the core's input; `current` is the event a PUT changes. Fields not
 * sent stay undefined, so the core leaves them as they are.
 */
export async function eventFromWire(ctx: AppContext, tenantKey: string, body: EventBody, current?: CalendarEvent): Promise<MappedEvent> {
  if (body.summary !== undefined || !current) {
    if (body.summary === undefined || body.summary.trim() === '') fail(DINGTALK_MESSAGES.summaryBlank);
    if (body.summary!.length > EVENT_LIMITS.summary) fail(`summary must not be longer than ${EVENT_LIMITS.summary} characters`);
  }
  if (body.description !== undefined && body.description.length > EVENT_LIMITS.description) {
    fail(`description must not be longer than ${EVENT_LIMITS.description} characters`);
  }
  const times = timesFromWire(body, current);
  const start = times?.start ?? current!.start;
  let recurrence: string | undefined;
  if (body.recurrence !== undefined) {
    if (current && current.originalStart !== 0) fail('recurrence cannot be set on one occurrence of a series');
    recurrence = recurrenceToRule(body.recurrence, start);
  }
  let reminders = remindersOf(body);
  if (!current && reminders === undefined) reminders = [...(start.kind === 'date' ? DEFAULT_REMINDERS.allDay : DEFAULT_REMINDERS.timed)];
  if (body.onlineMeetingInfo !== undefined && body.onlineMeetingInfo.type !== 'dingtalk') fail('onlineMeetingInfo.type must be dingtalk');
  if (body.freeBusyStatus !== undefined && body.freeBusyStatus !== 'busy' && body.freeBusyStatus !== 'free') fail('freeBusyStatus must be busy or free');

  const extensions: Record<string, unknown> = {};
  if (body.uiConfigs !== undefined) extensions[EXT.uiConfigs] = body.uiConfigs;
  if (body.richTextDescription !== undefined) extensions[EXT.richTextDescription] = body.richTextDescription;
  if (body.extra !== undefined) extensions[EXT.extra] = body.extra;
  if (body.cardInstances !== undefined) extensions[EXT.cardInstances] = body.cardInstances;
  if (body.categories !== undefined) extensions[EXT.categories] = body.categories;
  if (body.location !== undefined) extensions[EXT.location] = { displayName: body.location.displayName ?? '' };
  if (body.onlineMeetingInfo !== undefined) {
    // Sending it creates a new video meeting, replacing any the event had.
    const conferenceId = ctx.ids.uuid().replace(/\D/g, '').padEnd(12, '0').slice(0, 12);
    extensions[EXT.onlineMeetingInfo] = { type: 'dingtalk', conferenceId, url: `https://meeting.dingtalk.com/j/${conferenceId}` };
  }

  const input: EventInput = {
    summary: body.summary,
    description: body.description,
    start: times?.start,
    end: times?.end,
    timesApplyAlone: current !== undefined,
    recurrence,
    reminders,
    freeBusyStatus: body.freeBusyStatus as 'busy' | 'free' | undefined,
    // On DingTalk attendees see who else is invited; Feishu's default would hide them.
    attendeeAbility: current ? undefined : 'can_see_others',
    location: body.location === undefined ? undefined : body.location.displayName ? { name: body.location.displayName } : null,
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  };
  return { input, attendees: await invitationsOf(ctx, tenantKey, body), rooms: await roomsOf(ctx, tenantKey, body) };
}
