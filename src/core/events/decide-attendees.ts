/**
 * The decisions of attendee writes (add, remove, reply), pure and synchronous: from the series'
 * rows and attendees as loaded under its lock, what to save and the change records to append. The
 * service stamps saved rows with one change sequence number and saves in the same transaction.
 */
import type { ChangeDraft } from '../changes.js';
import { DomainError } from '../errors.js';
import type { Actor } from '../types.js';
import { attendeeKey, checkEventSize, isTopLevel, specKey } from './attendees.js';
import type { AttendeeDraft, AttendeeSpec, Invitation } from './attendees.js';
import { attendeeRecords, audienceOf, membershipRecords } from './records.js';
import type { SeriesHome } from './records.js';
import type { Attendee, AttendeeType, CalendarEvent, Rsvp } from './types.js';

/** What an attendee write saves; attendees and rows get their seq at save. */
export interface AttendeeWrite {
  readonly deletes: readonly Attendee[];
  readonly puts: readonly Attendee[];
  /** Event rows touched: every attendee change is a change of the series. */
  readonly rows: readonly CalendarEvent[];
  readonly changes: readonly ChangeDraft[];
}

/** Mints the id of a new attendee row: the one effect a decision is handed. */
export type AttendeeIdSource = (type: AttendeeType) => string;

/** Every live row of the series, with its vchat given the meeting url when it has none. */
function touch(series: readonly CalendarEvent[], meetingUrl: string | undefined): CalendarEvent[] {
  return series.filter((e) => e.status !== 'cancelled').map((e) => ({ ...e, vchat: e.vchat ?? (meetingUrl ? { vcType: 'vc' as const, meetingUrl } : null) }));
}

const mint = (event: CalendarEvent, draft: AttendeeDraft | Attendee, newId: AttendeeIdSource): Attendee =>
  ({ ...draft, uid: event.uid, attendeeId: newId(draft.type), seq: 0 });

/**
 * The records of an attendee write: the series' rows by where it shows, and each attendee changed once,
 * on the organizer's calendar (per calendar shown in, adding N attendees to an event in M calendars
 * would append N×M records).
 */
function recordsOf(
  actor: Actor, home: SeriesHome, before: readonly Attendee[], after: readonly Attendee[], rows: readonly CalendarEvent[],
  attendees: ReadonlyArray<readonly [readonly Attendee[], 'attendee_added' | 'attendee_removed' | 'replied']>,
): ChangeDraft[] {
  const audience = audienceOf(actor, home, before, after);
  return [
    ...membershipRecords(actor, home, before, after, rows, rows, audience),
    ...attendees.flatMap(([list, kind]) => attendeeRecords(actor, [home.calendarId], list, kind, audience)),
  ];
}

export interface AddContext {
  readonly actor: Actor;
  readonly event: CalendarEvent;
  readonly home: SeriesHome;
  /** The invitations named, in order, resolved. */
  readonly named: readonly Invitation[];
  /** Invitations the add brings in itself (the organizer, rooms' contacts). */
  readonly extra: readonly Invitation[];
  /** Members of each chat named (by the chat invitation's key), as user invitations. */
  readonly chatMembers: ReadonlyMap<string, readonly Invitation[]>;
  /** Every attendee row of the series. */
  readonly attendees: readonly Attendee[];
  /** Every row of the series. */
  readonly series: readonly CalendarEvent[];
  /** The url an event without a meeting gets with its first attendees. */
  readonly meetingUrl: string | undefined;
  readonly maxPerEvent: number | undefined;
  readonly newId: AttendeeIdSource;
}

export interface AddDecision extends AttendeeWrite {
  /** The attendees named, in order (the existing one where someone is already invited), then any the add brought in. */
  readonly out: readonly Attendee[];
}

export function decideAttendeeAdd(c: AddContext): AddDecision {
  const { event, attendees: rows } = c;
  const top = rows.filter(isTopLevel);
  const present = new Map(top.map((a) => [attendeeKey(a), a]));
  const fresh: Attendee[] = [];
  const chats: Array<{ attendee: Attendee; key: string }> = [];
  const superseded: Attendee[] = [];
  const out: Attendee[] = [];
  for (const [list, automatic] of [[c.named, false], [c.extra, true]] as const) {
    for (const inv of list) {
      const existing = present.get(inv.key);
      if (existing) {
        if (!automatic && !out.includes(existing)) out.push(existing);
        continue;
      }
      // Someone invited so far only through a chat keeps their answer when invited in their own right.
      const viaChat = inv.draft.type === 'user' ? rows.filter((a) => !isTopLevel(a) && a.userId === inv.draft.userId) : [];
      superseded.push(...viaChat);
      const answered = viaChat.find((a) => a.rsvp !== 'needs_action');
      const attendee = mint(event, answered && !inv.draft.isOrganizer ? { ...inv.draft, rsvp: answered.rsvp } : inv.draft, c.newId);
      present.set(inv.key, attendee);
      fresh.push(attendee);
      out.push(attendee);
      if (inv.members) chats.push({ attendee, key: inv.key });
    }
  }
  if (fresh.length === 0) return { out, deletes: [], puts: [], rows: [], changes: [] };
  checkEventSize(top.length + fresh.length, c.maxPerEvent);
  for (const { attendee: chat, key } of chats) {
    for (const member of c.chatMembers.get(key) ?? []) {
      if (present.has(member.key)) continue;
      fresh.push(mint(event, { ...member.draft, isOptional: chat.isOptional, viaChat: chat.attendeeId }, c.newId));
    }
  }
  const touched = touch(c.series, top.length === 0 ? c.meetingUrl : undefined);
  const after = [...rows.filter((a) => !superseded.includes(a)), ...fresh];
  return { out, deletes: superseded, puts: fresh, rows: touched, changes: recordsOf(c.actor, c.home, rows, after, touched, [[fresh, 'attendee_added']]) };
}

/** The top-level attendees a removal names, by attendee id or by who they are; unknown ones are refused. */
export function attendeesToRemove(top: readonly Attendee[], ids: readonly string[], specs: readonly AttendeeSpec[]): Attendee[] {
  const doomed = new Map<string, Attendee>();
  for (const [i, id] of ids.entries()) {
    const a = top.find((x) => x.attendeeId === id);
    if (!a) throw new DomainError('attendee_not_found', `attendee ${id} is not an attendee of this event`, `attendeeIds[${i}]`);
    doomed.set(a.attendeeId, a);
  }
  for (const [i, spec] of specs.entries()) {
    const key = specKey(spec);
    const a = top.find((x) => attendeeKey(x) === key);
    if (!a) throw new DomainError('attendee_not_found', (n) => `${n(`attendeeRefs[${i}]`)}: not an attendee of this event`, `attendeeRefs[${i}]`);
    doomed.set(a.attendeeId, a);
  }
  return [...doomed.values()];
}

export interface RemoveContext {
  readonly actor: Actor;
  readonly event: CalendarEvent;
  readonly home: SeriesHome;
  readonly doomed: readonly Attendee[];
  readonly attendees: readonly Attendee[];
  readonly series: readonly CalendarEvent[];
  /** Members (internal user ids) of each chat still invited, by chat id. */
  readonly chatMembers: ReadonlyMap<string, readonly string[]>;
  readonly newId: AttendeeIdSource;
}

export interface RemoveDecision extends AttendeeWrite {
  /** Calendars the event no longer shows in: their incremental sync reports it cancelled. */
  readonly leftCalendars: readonly string[];
}

/** Removes attendees; a chat takes its members with it; a user removed who is in a chat still invited stays invited through it. */
export function decideAttendeeRemoval(c: RemoveContext): RemoveDecision {
  const { event, attendees: rows } = c;
  const gone = new Set(c.doomed.map((a) => a.attendeeId));
  const deletes: Attendee[] = [...c.doomed];
  for (const a of c.doomed) if (a.type === 'chat') for (const m of rows) if (m.viaChat === a.attendeeId) deletes.push(m);
  const chats = rows.filter((a) => isTopLevel(a) && a.type === 'chat' && !gone.has(a.attendeeId));
  const puts: Attendee[] = [];
  for (const a of c.doomed) {
    if (a.type !== 'user') continue;
    for (const chat of chats) {
      if (!(c.chatMembers.get(chat.chatId!) ?? []).includes(a.userId!)) continue;
      puts.push(mint(event, { ...a, isOptional: chat.isOptional, viaChat: chat.attendeeId }, c.newId));
    }
  }
  const deleted = new Set(deletes.map((a) => a.attendeeId));
  const after = [...rows.filter((a) => !deleted.has(a.attendeeId)), ...puts];
  const afterCalendars = new Set(after.map((a) => a.calendarId));
  const leftCalendars = [...new Set(rows.map((a) => a.calendarId))]
    .filter((cid): cid is string => cid !== null && cid !== event.calendarId && !afterCalendars.has(cid));
  const touched = touch(c.series, undefined);
  const changes = recordsOf(c.actor, c.home, rows, after, touched, [[deletes, 'attendee_removed'], [puts, 'attendee_added']]);
  return { deletes, puts, rows: touched, leftCalendars, changes };
}

export interface ReplyContext {
  readonly actor: Actor;
  readonly home: SeriesHome;
  readonly attendees: readonly Attendee[];
  readonly series: readonly CalendarEvent[];
  readonly rsvp: Extract<Rsvp, 'accept' | 'decline' | 'tentative'>;
}

/** The calling user's answer, on every invitation they hold (in their own right and through chats). */
export function decideReply(c: ReplyContext): AttendeeWrite {
  const { actor } = c;
  const mine = actor.kind === 'user' ? c.attendees.filter((a) => a.type === 'user' && a.userId === actor.userId) : [];
  if (mine.length === 0) throw new DomainError('no_event_permission', 'only an invited user may reply to the event');
  const puts = mine.map((a) => ({ ...a, rsvp: c.rsvp }));
  const after = c.attendees.map((a) => puts.find((p) => p.attendeeId === a.attendeeId) ?? a);
  const touched = touch(c.series, undefined);
  return { deletes: [], puts, rows: touched, changes: recordsOf(actor, c.home, c.attendees, after, touched, [[puts, 'replied']]) };
}
