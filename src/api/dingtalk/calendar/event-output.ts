import type { AppContext } from '../../../context.js';
import { attendeeSight } from '../../../core/events/access.js';
import type { Attendee, EventTime, Rsvp } from '../../../core/events/types.js';
import { eventIdOf } from '../../../core/events/types.js';
import type { EventView } from '../../../core/service/event-service.js';
import type { User } from '../../../core/types.js';
import { DEFAULT_ZONE, formatDateTime, formatUtc } from '../date-time.js';
import { ruleToRecurrence } from '../recurrence-mapping.js';
import { EXT } from './event-input.js';

/** DingTalk's reply statuses. A removed invitation (taken off the attendee's calendar) reads as declined. */
export const RESPONSE_STATUS: Readonly<Record<Rsvp, string>> = {
  needs_action: 'needsAction',
  accept: 'accepted',
  decline: 'declined',
  tentative: 'tentative',
  removed: 'declined',
};

/** What event responses mention, read once per response: attendees, users, organizers, rooms. */
export interface WireLookup {
  /** The acting user's internal id. */
  readonly self: string;
  readonly maxAttendees: number;
  readonly attendees: ReadonlyMap<string, readonly Attendee[]>;
  readonly users: ReadonlyMap<string, User>;
  /** Organizer calendar id → [unionId, display name] of its owner. */
  readonly organizers: ReadonlyMap<string, readonly [string, string]>;
}

/** Reads what the given views mention. */
export async function lookupFor(ctx: AppContext, self: string, views: readonly EventView[], maxAttendees: number): Promise<WireLookup> {
  const uids = [...new Set(views.map((v) => v.event.uid))];
  const mentions = await ctx.events.lookups.mentions(uids, views.map((v) => v.event.calendarId));
  const attendees = new Map<string, Attendee[]>(uids.map((uid) => [uid, []]));
  for (const a of mentions.attendees) attendees.get(a.uid)!.push(a);
  const users = new Map(mentions.users.map((u) => [u.id, u]));
  const apps = new Map(mentions.apps.map((a) => [a.appId, a]));
  const organizers = new Map<string, readonly [string, string]>();
  for (const c of mentions.calendars) {
    const [kind, id] = [c.owner.slice(0, 2), c.owner.slice(2)];
    if (kind === 'u:') {
      const u = users.get(id);
      organizers.set(c.calendarId, [u?.unionId ?? '', u?.name ?? '']);
    } else if (kind === 'a:') {
      organizers.set(c.calendarId, ['', apps.get(id)?.name ?? '']);
    } else {
      organizers.set(c.calendarId, ['', c.summary]);
    }
  }
  return { self, maxAttendees, attendees, users, organizers };
}

export function timeToWire(t: EventTime): { date?: string; dateTime?: string; timeZone?: string } {
  return t.kind === 'date' ? { date: t.date } : { dateTime: formatDateTime(t.epoch, t.timeZone), timeZone: t.timeZone };
}

/** People invited, as DingTalk lists them: users by unionId (a user once, however invited), then email addresses. */
export function attendeesToWire(list: readonly Attendee[], lookup: WireLookup): Array<Record<string, unknown>> {
  const seen = new Set<string>();
  const out: Array<Record<string, unknown>> = [];
  const ordered = [...list].sort((a, b) => Number(a.viaChat !== undefined) - Number(b.viaChat !== undefined));
  for (const a of ordered) {
    if (a.type === 'user' && a.userId && !seen.has(a.userId)) {
      seen.add(a.userId);
      const u = lookup.users.get(a.userId);
      out.push({ id: u?.unionId ?? '', displayName: u?.name ?? a.displayName, responseStatus: RESPONSE_STATUS[a.rsvp], self: a.userId === lookup.self, isOptional: a.isOptional });
    } else if (a.type === 'third_party') {
      out.push({ displayName: a.email ?? a.displayName, responseStatus: RESPONSE_STATUS[a.rsvp], self: false, isOptional: a.isOptional });
    }
  }
  return out;
}

const objectExt = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const arrayExt = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/**
 * An event as DingTalk sends it, typed as the SDK's response models want: reminders' minutes as
 * strings, daysOfWeek comma-separated, times ISO-8601. A caller who may see only busy time gets
 * the time and nothing else.
 */
export function eventToWire(view: EventView, lookup: WireLookup): Record<string, unknown> {
  const { event: e, personal } = view;
  const zone = e.start.kind === 'timed' ? e.start.timeZone : DEFAULT_ZONE;
  const [organizerId, organizerName] = lookup.organizers.get(e.calendarId) ?? ['', ''];
  const base: Record<string, unknown> = {
    id: eventIdOf(e),
    start: timeToWire(e.start),
    end: timeToWire(e.end),
    isAllDay: e.start.kind === 'date',
    status: e.status === 'cancelled' ? 'cancelled' : 'confirmed',
    organizer: { id: organizerId, displayName: organizerName, responseStatus: 'accepted', self: organizerId !== '' && lookup.users.get(lookup.self)?.unionId === organizerId },
    createTime: formatDateTime(e.createTime, zone),
    updateTime: formatDateTime(e.updateTime, zone),
    ...(e.originalStart !== 0 ? { seriesMasterId: e.recurringEventId || `${e.uid}_0`, originStart: { dateTime: formatUtc(e.originalStart) } } : {}),
  };
  // Busy time names no organizer (who organized it is a detail).
  if (view.detail === 'busy') {
    const { organizer: _hidden, ...busy } = base;
    return { ...busy, summary: '' };
  }
  const invited = lookup.attendees.get(e.uid) ?? [];
  // An event made through Feishu may keep its attendees from each other (attendee_ability none):
  // the caller then sees only their own invitation, by the rule every path follows.
  const all = attendeeSight(view) === 'all' ? invited : invited.filter((a) => a.userId === lookup.self);
  const rooms = all.filter((a) => a.type === 'resource' && a.roomId);
  const recurrence = e.recurrence && e.originalStart === 0 ? ruleToRecurrence(e.recurrence, e.start) : undefined;
  const ext = e.extensions;
  const location = e.location?.name !== undefined || rooms.length > 0
    ? { displayName: e.location?.name ?? '', ...(rooms.length > 0 ? { meetingRooms: rooms.map((a) => a.roomId!) } : {}) }
    : undefined;
  const meeting = objectExt(ext[EXT.onlineMeetingInfo]);
  return {
    ...base,
    summary: e.summary,
    description: e.description,
    ...(recurrence ? { recurrence } : {}),
    attendees: attendeesToWire(all, lookup).slice(0, lookup.maxAttendees),
    ...(location ? { location } : {}),
    ...(rooms.length > 0 ? { meetingRooms: rooms.map((a) => ({ roomId: a.roomId, displayName: a.displayName, responseStatus: RESPONSE_STATUS[a.rsvp] })) } : {}),
    reminders: (personal?.reminders ?? e.reminders).map((r) => ({ method: 'dingtalk', minutes: String(r.minutes) })),
    freeBusyStatus: personal?.freeBusyStatus ?? e.freeBusyStatus,
    ...(meeting ? { onlineMeetingInfo: meeting } : {}),
    ...(objectExt(ext[EXT.richTextDescription]) ? { richTextDescription: ext[EXT.richTextDescription] } : {}),
    ...(arrayExt(ext[EXT.uiConfigs]) ? { uiConfigs: ext[EXT.uiConfigs] } : {}),
    ...(objectExt(ext[EXT.extra]) ? { extra: ext[EXT.extra] } : {}),
    ...(arrayExt(ext[EXT.cardInstances]) ? { cardInstances: ext[EXT.cardInstances] } : {}),
    ...(arrayExt(ext[EXT.categories]) ? { categories: ext[EXT.categories] } : {}),
  };
}

/** Views and their lookup in one step, for list responses. */
export async function eventsToWire(ctx: AppContext, self: string, views: readonly EventView[], maxAttendees: number): Promise<Array<Record<string, unknown>>> {
  const lookup = await lookupFor(ctx, self, views, maxAttendees);
  return views.map((v) => eventToWire(v, lookup));
}
