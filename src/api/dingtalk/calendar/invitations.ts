import { attendeeKey, specKey } from '../../../core/events/attendees.js';
import type { AttendeeSpec } from '../../../core/events/attendees.js';
import type { InvitationPlan } from '../../../core/service/attendee-service.js';
import type { MappedEvent } from './event-input.js';

const roomSpecs = (rooms: readonly string[] | undefined): AttendeeSpec[] => (rooms ?? []).map((roomId) => ({ type: 'resource', roomId }));

/** Everyone a create names (users, addresses, rooms). */
export const invitationsOf = (mapped: MappedEvent): AttendeeSpec[] => [...(mapped.attendees ?? []), ...roomSpecs(mapped.rooms)];

/**
 * A PUT's `attendees` (and `location.meetingRooms`) are the whole list: those not named are removed
 * (never the organizer, nor a chat invited through Feishu), those new are invited. The core applies
 * the plan to the attendees as they stand under the PUT's lock, in its transaction; DingTalk's
 * ceiling (5000 an event) is the core's check in the add, after the removals. Undefined when the
 * PUT names neither.
 */
export function replacementPlan(mapped: MappedEvent): InvitationPlan | undefined {
  if (mapped.attendees === undefined && mapped.rooms === undefined) return undefined;
  return (current) => {
    const desired = invitationsOf(mapped);
    const wanted = new Set(desired.map(specKey));
    const present = new Set(current.map(attendeeKey));
    const remove = current.filter((a) => {
      if (a.isOrganizer || wanted.has(attendeeKey(a))) return false;
      if (a.type === 'user' || a.type === 'third_party') return mapped.attendees !== undefined;
      return a.type === 'resource' && mapped.rooms !== undefined;
    });
    return { remove, add: desired.filter((s) => !present.has(specKey(s))) };
  };
}
