import type { AppContext } from '../../../context.js';
import { attendeeKey, isTopLevel, specKey } from '../../../core/events/attendees.js';
import type { AttendeeSpec } from '../../../core/events/attendees.js';
import type { Attendee } from '../../../core/events/types.js';
import { parseEventId } from '../../../core/events/types.js';
import { DingtalkError } from '../errors.js';
import type { UserActor } from '../acting-user.js';
import { EVENT_LIMITS } from './event-input.js';
import type { MappedEvent } from './event-input.js';

const roomSpecs = (rooms: readonly string[] | undefined): AttendeeSpec[] => (rooms ?? []).map((roomId) => ({ type: 'resource', roomId }));

/** Top-level attendees of an event (by its series), as stored. */
export async function topLevelAttendees(ctx: AppContext, eventId: string): Promise<Attendee[]> {
  const uid = parseEventId(eventId)?.uid;
  if (!uid) return [];
  return (await ctx.store.read((r) => r.events.attendees(uid))).filter(isTopLevel);
}

/** DingTalk's own ceiling: an event holds at most 5000 attendees. */
export function checkEventSize(count: number): void {
  if (count > EVENT_LIMITS.attendeesPerEvent) {
    throw new DingtalkError('invalidParameter', `an event has at most ${EVENT_LIMITS.attendeesPerEvent} attendees; this would make ${count}`);
  }
}

/** Invites everyone a create names (users, addresses, rooms); true when there was anyone. */
export async function inviteAll(ctx: AppContext, actor: UserActor, calendarId: string, eventId: string, mapped: MappedEvent): Promise<boolean> {
  const specs = [...(mapped.attendees ?? []), ...roomSpecs(mapped.rooms)];
  if (specs.length === 0) return false;
  await ctx.attendees.add(actor, calendarId, eventId, specs, { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
  return true;
}

/**
 * A PUT's `attendees` (and `location.meetingRooms`) are the whole list: those not named are removed
 * (never the organizer, nor a chat invited through Feishu), those new are invited. True when anything changed.
 */
export async function replaceInvitations(ctx: AppContext, actor: UserActor, calendarId: string, eventId: string, mapped: MappedEvent): Promise<boolean> {
  if (mapped.attendees === undefined && mapped.rooms === undefined) return false;
  const current = await topLevelAttendees(ctx, eventId);
  const desired = [...(mapped.attendees ?? []), ...roomSpecs(mapped.rooms)];
  const wanted = new Set(desired.map(specKey));
  const present = new Set(current.map(attendeeKey));
  const doomed = current.filter((a) => {
    if (a.isOrganizer || wanted.has(attendeeKey(a))) return false;
    if (a.type === 'user' || a.type === 'third_party') return mapped.attendees !== undefined;
    return a.type === 'resource' && mapped.rooms !== undefined;
  });
  const fresh = desired.filter((s) => !present.has(specKey(s)));
  checkEventSize(current.length - doomed.length + fresh.length);
  // The core removes at most 500 at once.
  for (let i = 0; i < doomed.length; i += 500) {
    await ctx.attendees.remove(actor, calendarId, eventId, { attendeeIds: doomed.slice(i, i + 500).map((a) => a.attendeeId) });
  }
  if (fresh.length > 0) await ctx.attendees.add(actor, calendarId, eventId, fresh, { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
  return doomed.length > 0 || fresh.length > 0;
}
