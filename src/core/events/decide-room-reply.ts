/**
 * A room's answer to its booking (DingTalk's MeetingRoomRespond), pure and synchronous like the
 * other attendee decisions (decide-attendees.ts): the room's attendee rows take the answer, the
 * series' rows are touched, and the records are those of a reply.
 */
import { DomainError, invalidArgument } from '../errors.js';
import type { Actor } from '../types.js';
import type { EventSide } from './access.js';
import type { AttendeeWrite } from './decide-attendees.js';
import { attendeeRecords, audienceOf, membershipRecords } from './records.js';
import type { SeriesHome } from './records.js';
import type { Attendee, CalendarEvent, Rsvp } from './types.js';

export interface RoomReplyContext {
  readonly actor: Actor;
  readonly side: EventSide;
  readonly home: SeriesHome;
  readonly attendees: readonly Attendee[];
  readonly series: readonly CalendarEvent[];
  readonly roomId: string;
  readonly rsvp: Extract<Rsvp, 'accept' | 'decline' | 'tentative'>;
}

/** The organizer's side answers for a room booked on the event: accepted (booked), tentative (pending approval) or declined. */
export function decideRoomReply(c: RoomReplyContext): AttendeeWrite {
  if (c.side !== 'organizer') throw new DomainError('no_event_permission', 'only the organizer may answer for a room of the event');
  const rooms = c.attendees.filter((a) => a.type === 'resource' && a.roomId === c.roomId);
  if (rooms.length === 0) throw invalidArgument('roomId', `room ${c.roomId} is not booked for this event`);
  const puts = rooms.map((a) => ({ ...a, rsvp: c.rsvp }));
  const after = c.attendees.map((a) => puts.find((p) => p.attendeeId === a.attendeeId) ?? a);
  // Every live row of the series: an attendee change is a change of the series.
  const rows = c.series.filter((e) => e.status !== 'cancelled').map((e) => ({ ...e }));
  const audience = audienceOf(c.actor, c.home, c.attendees, after);
  return {
    deletes: [], puts, rows,
    changes: [
      ...membershipRecords(c.actor, c.home, c.attendees, after, rows, rows, audience),
      ...attendeeRecords(c.actor, [c.home.calendarId], puts, 'replied', audience),
    ],
  };
}
