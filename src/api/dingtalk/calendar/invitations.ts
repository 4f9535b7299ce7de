import type { AppContext } from '../../../context.js';
import { attendeeKey, specKey } from '../../../core/events/attendees.js';
import type { AttendeeSpec } from '../../../core/events/attendees.js';
import type { StoreWriter } from '../../../core/ports.js';
import type { UserActor } from '../acting-user.js';
import { EVENT_LIMITS } from './event-input.js';
import type { MappedEvent } from './event-input.js';

const roomSpecs = (rooms: readonly string[] | undefined): AttendeeSpec[] => (rooms ?? []).map((roomId) => ({ type: 'resource', roomId }));

/** Invites everyone a create names (users, addresses, rooms), in the create's transaction; true when there was anyone. */
export async function inviteAll(ctx: AppContext, w: StoreWriter, actor: UserActor, calendarId: string, eventId: string, mapped: MappedEvent): Promise<boolean> {
  const specs = [...(mapped.attendees ?? []), ...roomSpecs(mapped.rooms)];
  if (specs.length === 0) return false;
  await ctx.attendees.addIn(w, actor, calendarId, eventId, specs, { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
  return true;
}

/**
 * A PUT's `attendees` (and `location.meetingRooms`) are the whole list: those not named are removed
 * (never the organizer, nor a chat invited through Feishu), those new are invited, all in the PUT's
 * transaction and from the attendees as they stand under its lock. DingTalk's ceiling (5000 an event)
 * is the core's check in the add, after the removals. True when anything changed.
 */
export async function replaceInvitations(ctx: AppContext, w: StoreWriter, actor: UserActor, calendarId: string, eventId: string, mapped: MappedEvent): Promise<boolean> {
  if (mapped.attendees === undefined && mapped.rooms === undefined) return false;
  const current = await ctx.attendees.topLevelIn(w, actor, calendarId, eventId);
  const desired = [...(mapped.attendees ?? []), ...roomSpecs(mapped.rooms)];
  const wanted = new Set(desired.map(specKey));
  const present = new Set(current.map(attendeeKey));
  const doomed = current.filter((a) => {
    if (a.isOrganizer || wanted.has(attendeeKey(a))) return false;
    if (a.type === 'user' || a.type === 'third_party') return mapped.attendees !== undefined;
    return a.type === 'resource' && mapped.rooms !== undefined;
  });
  const fresh = desired.filter((s) => !present.has(specKey(s)));
  // The core removes at most 500 per call (Feishu's rule for a request); here they all go in this one transaction.
  for (let i = 0; i < doomed.length; i += 500) {
    await ctx.attendees.removeIn(w, actor, calendarId, eventId, { attendeeIds: doomed.slice(i, i + 500).map((a) => a.attendeeId) });
  }
  if (fresh.length > 0) await ctx.attendees.addIn(w, actor, calendarId, eventId, fresh, { maxPerEvent: EVENT_LIMITS.attendeesPerEvent });
  return doomed.length > 0 || fresh.length > 0;
}
