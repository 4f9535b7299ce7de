import type { AppContext } from '../../../../../context.js';
import { invalidArgument } from '../../../../../core/errors.js';
import { mayEdit } from '../../../../../core/events/access.js';
import { addDays, canonicalTimeZone, dateToDays, daysToDate, isTimeZone } from '../../../../../core/events/time.js';
import type { CheckInTime, EventTime, MeetingSettings, Vchat } from '../../../../../core/events/types.js';
import { eventIdOf } from '../../../../../core/events/types.js';
import type { UserIdType } from '../../../../../core/ports.js';
import type { EventInput, EventView } from '../../../../../core/service/event-service.js';
import type { Actor } from '../../../../../core/types.js';
import { userWireId } from '../../../wire-ids.js';
import { LIMITS } from './event-schema.js';
import type { EventBody, TimeInfoWire } from './event-schema.js';

const DEFAULT_ZONE = 'Asia/Shanghai';
const MAX_DAYS = Math.floor(LIMITS.maxTimestamp / 86_400);

/**
 * A time_info from the wire. `date` means all-day (in UTC) and wins when `timestamp` is sent too, as
 * the field documentation says ("when this field has a value, the event is all-day"); Feishu's
 * all-day end date is the last day, inclusive, so an `end` gets one day added for the domain.
 */
export function timeFromWire(t: TimeInfoWire, field: 'start_time' | 'end_time'): EventTime {
  if (t.date !== undefined && t.date !== '') {
    const days = dateToDays(t.date);
    if (days === undefined) throw invalidArgument(`${field}.date`, 'must be an RFC 3339 date, YYYY-MM-DD');
    // The timestamps' upper bound holds for dates too; past year 9999 the (exclusive) end date has no YYYY-MM-DD form.
    if (days > MAX_DAYS) throw invalidArgument(`${field}.date`, `must not be after ${daysToDate(MAX_DAYS)}`);
    return { kind: 'date', date: field === 'end_time' ? addDays(t.date, 1) : t.date };
  }
  if (t.timestamp === undefined || t.timestamp === '') throw invalidArgument(field, 'date or timestamp is required');
  if (!/^\d{1,11}$/.test(t.timestamp)) throw invalidArgument(`${field}.timestamp`, 'must be a string of Unix seconds');
  const epoch = Number(t.timestamp);
  if (epoch < 1 || epoch > LIMITS.maxTimestamp) throw invalidArgument(`${field}.timestamp`, `must be between 1 and ${LIMITS.maxTimestamp}`);
  const zone = t.timezone || DEFAULT_ZONE;
  if (!isTimeZone(zone)) throw invalidArgument(`${field}.timezone`, `unknown IANA time zone ${zone}`);
  // The zone as the database spells it (`asia/shanghai` is accepted and kept as `Asia/Shanghai`).
  return { kind: 'timed', epoch, timeZone: canonicalTimeZone(zone) };
}

export function timeToWire(t: EventTime, field: 'start' | 'end'): { date?: string; timestamp?: string; timezone: string } {
  if (t.kind === 'date') return { date: field === 'end' ? addDays(t.date, -1) : t.date, timezone: 'UTC' };
  return { timestamp: String(t.epoch), timezone: t.timeZone };
}

/** Resolves wire user ids (assign_hosts) to internal ids: unknown users are 195100. */
async function resolveUsers(ctx: AppContext, actor: Actor, type: UserIdType, ids: readonly string[], field: string): Promise<string[]> {
  return (await ctx.directory.resolveUsers(actor.tenantKey, type, ids, (i) => `${field}[${i}]`)).map((u) => u.id);
}

async function vchatFromWire(ctx: AppContext, actor: Actor, type: UserIdType, v: NonNullable<EventBody['vchat']>): Promise<Vchat> {
  const vcType = v.vc_type ?? 'vc';
  // Only a Feishu VC meeting has settings; for the other kinds they are ignored, as documented.
  const s = vcType === 'vc' ? v.meeting_settings : undefined;
  const settings: MeetingSettings | undefined = s && {
    ownerId: s.owner_id,
    joinMeetingPermission: s.join_meeting_permission,
    assignHosts: s.assign_hosts ? await resolveUsers(ctx, actor, type, s.assign_hosts, 'vchat.meeting_settings.assign_hosts') : undefined,
    autoRecord: s.auto_record,
    openLobby: s.open_lobby,
    allowAttendeesStart: s.allow_attendees_start,
    password: s.password,
  };
  if (vcType === 'vc') return { vcType, ...(settings ? { meetingSettings: settings } : {}) };
  if (vcType === 'third_party') return { vcType, iconType: v.icon_type ?? 'default', description: v.description ?? '', meetingUrl: v.meeting_url };
  return { vcType };
}

/** The body of create or patch, in domain terms. start and end apply only together. */
export async function eventInputFromWire(ctx: AppContext, actor: Actor, type: UserIdType, body: EventBody): Promise<EventInput> {
  const bothTimes = body.start_time !== undefined && body.end_time !== undefined;
  const checkIn = body.event_check_in;
  const toCheckInTime = (t: { time_type: CheckInTime['timeType']; duration: number } | undefined) => t && { timeType: t.time_type, duration: t.duration };
  return {
    summary: body.summary,
    description: body.description,
    start: bothTimes ? timeFromWire(body.start_time!, 'start_time') : undefined,
    end: bothTimes ? timeFromWire(body.end_time!, 'end_time') : undefined,
    vchat: body.vchat ? await vchatFromWire(ctx, actor, type, body.vchat) : undefined,
    visibility: body.visibility,
    attendeeAbility: body.attendee_ability,
    freeBusyStatus: body.free_busy_status,
    location: body.location ? { ...body.location } : undefined,
    color: body.color,
    reminders: body.reminders?.map((r) => ({ minutes: r.minutes })),
    recurrence: body.recurrence,
    schemas: body.schemas?.map((s) => ({ uiName: s.ui_name, uiStatus: s.ui_status, appLink: s.app_link })),
    attachments: body.attachments && {
      add: body.attachments.filter((a) => !a.is_deleted).map((a) => a.file_token),
      remove: body.attachments.filter((a) => a.is_deleted).map((a) => a.file_token),
    },
    checkIn: checkIn && {
      enableCheckIn: checkIn.enable_check_in,
      checkInStartTime: toCheckInTime(checkIn.check_in_start_time),
      checkInEndTime: toCheckInTime(checkIn.check_in_end_time),
      needNotifyAttendees: checkIn.need_notify_attendees ?? false,
    },
    source: body.source,
    extensions: body.description_rich !== undefined ? { descriptionRich: body.description_rich } : undefined,
  };
}

/** Names of users and apps an event response mentions, resolved once per response. */
export interface WireNames {
  readonly type: UserIdType;
  /** Internal user id or app id → [wire id, display name]. */
  readonly principals: ReadonlyMap<string, readonly [string, string]>;
}

/** Collects the principals the given views mention (organizers, meeting hosts). */
export async function namesFor(ctx: AppContext, type: UserIdType | undefined, views: readonly EventView[]): Promise<WireNames> {
  const userIds = new Set<string>();
  const appIds = new Set<string>();
  // The calendar a view is seen from is loaded already; only other organizers' calendars are read.
  const owners = new Map<string, string>();
  for (const v of views) if (v.event.calendarId === v.calendar.calendar.calendarId) owners.set(v.event.calendarId, v.calendar.calendar.owner);
  const others = [...new Set(views.map((v) => v.event.calendarId).filter((id) => !owners.has(id)))];
  for (const [calendarId, owner] of await ctx.directory.calendarOwners(others)) owners.set(calendarId, owner);
  for (const v of views) {
    const owner = owners.get(v.event.calendarId) ?? v.event.creator;
    if (owner.startsWith('u:')) userIds.add(owner.slice(2));
    if (owner.startsWith('a:')) appIds.add(owner.slice(2));
    for (const h of v.event.vchat?.meetingSettings?.assignHosts ?? []) userIds.add(h);
  }
  const principals = new Map<string, readonly [string, string]>();
  for (const u of await ctx.directory.users([...userIds])) principals.set(u.id, [userWireId(u, type), u.name]);
  for (const [id, app] of await ctx.directory.apps([...appIds])) principals.set(id, ['', app.name]);
  for (const [cid, owner] of owners) principals.set(`calendar:${cid}`, principals.get(owner.slice(2)) ?? ['', '']);
  return { type: type ?? 'open_id', principals };
}

function vchatToWire(v: Vchat, names: WireNames, withSettings: boolean) {
  const s = withSettings ? v.meetingSettings : undefined;
  return {
    vc_type: v.vcType,
    ...(v.iconType ? { icon_type: v.iconType } : {}),
    ...(v.description !== undefined ? { description: v.description } : {}),
    ...(v.meetingUrl ? { meeting_url: v.meetingUrl } : {}),
    ...(s ? {
      meeting_settings: {
        ...(s.ownerId !== undefined ? { owner_id: s.ownerId } : {}),
        ...(s.joinMeetingPermission ? { join_meeting_permission: s.joinMeetingPermission } : {}),
        ...(s.password !== undefined ? { password: s.password } : {}),
        ...(s.assignHosts ? { assign_hosts: s.assignHosts.map((h) => names.principals.get(h)?.[0] ?? h) } : {}),
        ...(s.autoRecord !== undefined ? { auto_record: s.autoRecord } : {}),
        ...(s.openLobby !== undefined ? { open_lobby: s.openLobby } : {}),
        ...(s.allowAttendeesStart !== undefined ? { allow_attendees_start: s.allowAttendeesStart } : {}),
      },
    } : {}),
  };
}

const checkInTimeToWire = (t: CheckInTime | undefined) => t && { time_type: t.timeType, duration: t.duration };

/**
 * An event as Feishu sends it to this caller: their own colour, reminders, visibility and free/busy;
 * and, when they may see only busy time, no details at all. `meetingSettings: false` leaves out the
 * VC meeting settings even for an editor (get sends them only when asked, `need_meeting_settings`).
 */
export function eventToWire(view: EventView, names: WireNames, options: { meetingSettings?: boolean } = {}) {
  const { event: e, personal, detail } = view;
  const [organizerId, organizerName] = names.principals.get(`calendar:${e.calendarId}`) ?? ['', ''];
  const start = timeToWire(e.start, 'start');
  // Built by assignment, not by spreading conditional parts: the spreads cost about 30 µs an event
  // (measured), which made this function the hottest one of a list or instance_view answer.
  const out: Record<string, unknown> = {
    event_id: eventIdOf(e),
    organizer_calendar_id: e.calendarId,
    start_time: start,
    end_time: timeToWire(e.end, 'end'),
    visibility: personal?.visibility ?? e.visibility,
    free_busy_status: personal?.freeBusyStatus ?? e.freeBusyStatus,
    color: personal?.color ?? -1,
    reminders: (personal?.reminders ?? []).map((r) => ({ minutes: r.minutes })),
    recurrence: e.recurrence,
    status: e.status,
    is_exception: e.originalStart !== 0 && view.occurrence !== 'instance',
    recurring_event_id: e.recurringEventId,
    create_time: String(e.createTime),
    app_link: `https://applink.feishu.cn/client/calendar/event/detail?calendarId=${encodeURIComponent(e.calendarId)}&key=${e.uid}&originalTime=${e.originalStart}&startTime=${start.timestamp ?? ''}`,
  };
  if (view.self) out.self_rsvp_status = view.self.rsvp;
  if (detail === 'busy') {
    // Busy time names no organizer: on an attendee's calendar the organizer calendar would say who
    // organized it (and the id of a calendar the caller may not see).
    if (view.side === 'attendee') {
      out.organizer_calendar_id = '';
      out.app_link = `https://applink.feishu.cn/client/calendar/event/detail?calendarId=${encodeURIComponent(view.calendar.calendar.calendarId)}&key=${e.uid}&originalTime=${e.originalStart}&startTime=${start.timestamp ?? ''}`;
    }
    out.summary = '';
    out.description = '';
    out.attendee_ability = e.attendeeAbility;
    return out;
  }
  out.summary = e.summary;
  out.description = e.description;
  if (e.vchat) out.vchat = vchatToWire(e.vchat, names, (options.meetingSettings ?? true) && mayEdit(view.side, view.calendar.role, e.attendeeAbility));
  out.attendee_ability = e.attendeeAbility;
  if (e.location) out.location = { ...e.location };
  out.schemas = e.schemas.map((s) => ({ ui_name: s.uiName, ...(s.uiStatus ? { ui_status: s.uiStatus } : {}), ...(s.appLink !== undefined ? { app_link: s.appLink } : {}) }));
  out.event_organizer = { user_id: organizerId, display_name: organizerName };
  out.attachments = e.attachments.map((a) => ({ file_token: a.fileToken, file_size: String(a.size), is_deleted: false, name: a.name }));
  if (e.checkIn) {
    out.event_check_in = {
      enable_check_in: e.checkIn.enableCheckIn,
      ...(e.checkIn.checkInStartTime ? { check_in_start_time: checkInTimeToWire(e.checkIn.checkInStartTime) } : {}),
      ...(e.checkIn.checkInEndTime ? { check_in_end_time: checkInTimeToWire(e.checkIn.checkInEndTime) } : {}),
      need_notify_attendees: e.checkIn.needNotifyAttendees ?? false,
    };
  }
  out.source = e.source;
  if (typeof e.extensions.descriptionRich === 'string') out.description_rich = e.extensions.descriptionRich;
  return out;
}

/**
 * The event's meeting chat and minutes where the platform's event object has room for them: the
 * `schemas` entries MeetingChatIcon and MeetingMinutesIcon, their `app_link` the chat's applink and
 * the minutes' doc_url (an entry the event set keeps its ui_status). Only on an event shown in full.
 */
export function withMeetingLinks<T extends { schemas?: Array<{ ui_name: string; ui_status?: string; app_link?: string }> }>(
  event: T, links: { chat?: { link: string }; docUrl?: string },
): T {
  if (!event.schemas) return event;
  const set: Array<[string, string | undefined]> = [['MeetingChatIcon', links.chat?.link], ['MeetingMinutesIcon', links.docUrl]];
  let schemas = event.schemas;
  for (const [uiName, link] of set) {
    if (link === undefined) continue;
    schemas = schemas.some((s) => s.ui_name === uiName)
      ? schemas.map((s) => (s.ui_name === uiName ? { ...s, app_link: link } : s))
      : [...schemas, { ui_name: uiName, app_link: link }];
  }
  return { ...event, schemas };
}
