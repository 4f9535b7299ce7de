import { requireWritableType } from '../access.js';
import { DomainError, invalidArgument } from '../errors.js';
import { attendeeSight } from '../events/access.js';
import { attendeesToRemove, decideAttendeeAdd, decideAttendeeRemoval, decideReply } from '../events/decide-attendees.js';
import type { AttendeeIdSource, AttendeeWrite } from '../events/decide-attendees.js';
import { decideRoomReply } from '../events/decide-room-reply.js';
import { homeOf } from '../events/records.js';
import type { SeriesHome } from '../events/records.js';
import { eventRange } from '../events/series.js';
import { ReadBudget } from '../events/read-budget.js';
import { epochOf } from '../events/time.js';
import { occurrencesInWindow } from './occurrence-window.js';
import {
  attendeeKey, chatInvitation, checkAddRequest, checkRemoveRequest, emailInvitation,
  isTopLevel, requireInviter, requireRemover, roomInvitation, userInvitation,
} from '../events/attendees.js';
import type { AttendeeSpec, Invitation, Organizer } from '../events/attendees.js';
import type { Attendee, CalendarEvent, Rsvp } from '../events/types.js';
import { eventIdOf, parseEventId } from '../events/types.js';
import type { EventInput } from '../events/input.js';
import type { StoreReader, StoreWriter } from '../ports.js';
import type { Actor, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';
import type { EventService, EventView } from './event-service.js';

export type { AttendeeSpec } from '../events/attendees.js';

/** A page of attendees: those after `afterAttendeeId` (ids in code-unit order), at most `limit`. */
export interface AttendeePage {
  readonly afterAttendeeId?: string;
  readonly limit: number;
}

export interface AttendeeList {
  readonly items: Attendee[];
  readonly more: boolean;
}

/** Options of `add`; `maxPerEvent` is a dialect's own ceiling (DingTalk: 5000) in place of Feishu's. */
export interface AddOptions {
  readonly addOperator?: boolean;
  readonly maxPerEvent?: number;
}

/** A dialect's change to an attendee list, decided from the list as it stands: whom to remove, whom to invite. */
export type InvitationPlan = (current: readonly Attendee[]) => { readonly remove: readonly Attendee[]; readonly add: readonly AttendeeSpec[] };

/** Who to remove: by attendee id, or by who they are. */
export interface RemovalTarget {
  readonly attendeeIds?: readonly string[];
  readonly specs?: readonly AttendeeSpec[];
}

/** One occurrence that holds a room: when, the event's id, the room's answer and the organizing user (none for an app). */
export interface RoomBooking {
  readonly eventId: string;
  readonly start: number;
  readonly end: number;
  readonly rsvp: Rsvp;
  readonly organizerUserId: string | undefined;
}

const byId = (a: Attendee, b: Attendee) => (a.attendeeId < b.attendeeId ? -1 : a.attendeeId > b.attendeeId ? 1 : 0);

function pageOf(rows: readonly Attendee[], page: AttendeePage): AttendeeList {
  const after = page.afterAttendeeId;
  const rest = [...rows].sort(byId).filter((a) => after === undefined || a.attendeeId > after);
  return { items: rest.slice(0, page.limit), more: rest.length > page.limit };
}

/**
 * Attendees of events: invitations, the attendee list, chat members and replies. Attendees belong to
 * a series (its uid), so an invitation to one occurrence is an invitation to all of it.
 */
export class AttendeeService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly events: EventService,
  ) {}

  /**
   * Invites users, chats, rooms and email addresses; returns their attendees in the order named (the
   * existing one where someone is already invited), then any the add brought in itself. With
   * `addOperator` (default true), a user organizer joins as an attendee and so does each room's contact.
   */
  add(actor: Actor, calendarId: string, eventId: string, specs: readonly AttendeeSpec[], options: AddOptions = {}): Promise<Attendee[]> {
    return this.deps.store.transact((w) => this.addIn(w, actor, calendarId, eventId, specs, options));
  }

  /** `add` within a transaction of this service (DingTalk invites in the same commit as its create or PUT). */
  private async addIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, specs: readonly AttendeeSpec[], options: AddOptions = {}): Promise<Attendee[]> {
    const view = await this.openForWrite(w, actor, calendarId, eventId);
    requireInviter(view.side, view.event.attendeeAbility);
    checkAddRequest(specs);
    const { event } = view;
    const organizer = await this.organizerOf(w, event);
    const named: Invitation[] = [];
    for (const [i, spec] of specs.entries()) named.push(await this.invitation(w, event, organizer, spec, `attendees[${i}]`));
    const extra: Invitation[] = [];
    if (options.addOperator ?? true) {
      if (organizer.userId) extra.push(userInvitation(await this.user(w, event, organizer.userId, 'organizer'), organizer, null));
      for (const [i, spec] of specs.entries()) {
        if (spec.type !== 'resource' || !spec.operateId) continue;
        const contact = await this.user(w, event, spec.operateId, `attendees[${i}].operate_id`);
        extra.push(userInvitation(contact, organizer, await this.primaryOf(w, contact.id)));
      }
    }
    const attendees = await w.events.attendees(event.uid);
    // Members of each chat newly named, as invitations (a chat already invited brings no one new).
    const chatMembers = new Map<string, Invitation[]>();
    for (const inv of named) {
      if (!inv.members || chatMembers.has(inv.key) || attendees.some((a) => isTopLevel(a) && attendeeKey(a) === inv.key)) continue;
      const members: Invitation[] = [];
      for (const user of await this.members(w, event, inv.members)) members.push(userInvitation(user, organizer, await this.primaryOf(w, user.id)));
      chatMembers.set(inv.key, members);
    }
    const decided = decideAttendeeAdd({
      actor, event, home: homeOf(event.calendarId, organizer.userId ? `u:${organizer.userId}` : undefined), named, extra, chatMembers, attendees,
      series: await w.events.series(event.uid),
      // The first attendees give an event without a meeting a Feishu VC link.
      meetingUrl: attendees.some(isTopLevel) ? undefined : this.deps.ids.meetingUrl(),
      maxPerEvent: options.maxPerEvent, newId: this.newId,
    });
    if (decided.puts.length === 0) return [...decided.out];
    const seq = await this.save(w, event, decided);
    return decided.out.map((a) => (decided.puts.includes(a) ? { ...a, seq } : a));
  }

  /** Creates an event and invites `specs` in the same commit: a refused invitation leaves no event behind. */
  createWithInvitations(
    actor: Actor, calendarId: string, input: EventInput, idempotencyKey: string | undefined, specs: readonly AttendeeSpec[], options: AddOptions = {},
  ): Promise<EventView> {
    return this.deps.store.transact(async (w) => {
      const created = await this.events.writes.createIn(w, actor, calendarId, input, idempotencyKey);
      if (specs.length === 0) return created;
      const eventId = eventIdOf(created.event);
      await this.addIn(w, actor, calendarId, eventId, specs, options);
      return this.events.reads.load(w, actor, calendarId, eventId, 'free_busy_reader');
    });
  }

  /**
   * Patches an event and, with a plan, changes its attendees in the same commit: the plan decides
   * from the top-level attendees as they stand under the series lock whom to remove and whom to
   * invite (removals first), so a concurrent writer cannot make it stale and a refused invitation
   * leaves the event as it was.
   */
  patchWithInvitations(
    actor: Actor, calendarId: string, eventId: string, input: EventInput, plan: InvitationPlan | undefined, options: AddOptions = {},
  ): Promise<EventView> {
    return this.deps.store.transact(async (w) => {
      const patched = await this.events.writes.patchIn(w, actor, calendarId, eventId, input);
      if (!plan) return patched;
      const { remove, add } = plan(await this.topLevelIn(w, actor, calendarId, eventId));
      if (remove.length === 0 && add.length === 0) return patched;
      await this.removeInBatches(w, actor, calendarId, eventId, remove);
      if (add.length > 0) await this.addIn(w, actor, calendarId, eventId, add, options);
      return this.events.reads.load(w, actor, calendarId, eventId, 'free_busy_reader');
    });
  }

  /** Applies a plan to an event's attendees within the caller's transaction (CalDAV's PUT: the event and its list in one commit). */
  async planIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, plan: InvitationPlan): Promise<void> {
    const { remove, add } = plan(await this.topLevelIn(w, actor, calendarId, eventId));
    await this.removeInBatches(w, actor, calendarId, eventId, remove);
    if (add.length > 0) await this.addIn(w, actor, calendarId, eventId, add);
  }

  /** Removes the top-level attendees `choose` picks from those standing under the series lock, in one commit. */
  removeChosen(actor: Actor, calendarId: string, eventId: string, choose: (current: readonly Attendee[]) => readonly Attendee[]): Promise<void> {
    return this.deps.store.transact(async (w) => {
      await this.removeInBatches(w, actor, calendarId, eventId, choose(await this.topLevelIn(w, actor, calendarId, eventId)));
    });
  }

  /** The core removes at most 500 per call (Feishu's rule for a request); a larger removal is several in one transaction. */
  private async removeInBatches(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, doomed: readonly Attendee[]): Promise<void> {
    for (let i = 0; i < doomed.length; i += 500) {
      await this.removeIn(w, actor, calendarId, eventId, { attendeeIds: doomed.slice(i, i + 500).map((a) => a.attendeeId) });
    }
  }

  /**
   * Locks the series and answers the top-level attendees of an event the caller may write, for a
   * plan that decides from them what to add or remove in the same transaction (under the lock, so
   * a concurrent writer cannot change them before it does).
   */
  private async topLevelIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<Attendee[]> {
    const view = await this.openForWrite(w, actor, calendarId, eventId);
    return (await w.events.attendees(view.event.uid)).filter(isTopLevel);
  }

  /**
   * Books rooms on an event in one commit (rooms already booked are kept as they are). The event
   * holds at most `maxRooms` rooms afterwards (a dialect's ceiling: DingTalk's 5), counted under the
   * series lock so concurrent bookings cannot pass it together.
   */
  addRooms(actor: Actor, calendarId: string, eventId: string, roomIds: readonly string[], maxRooms: number): Promise<Attendee[]> {
    return this.deps.store.transact(async (w) => {
      const booked = (await this.topLevelIn(w, actor, calendarId, eventId)).filter((a) => a.type === 'resource').map((a) => a.roomId!);
      const rooms = new Set([...booked, ...roomIds]);
      if (rooms.size > maxRooms) throw invalidArgument('rooms', `an event has at most ${maxRooms} rooms; this would make ${rooms.size}`);
      return this.addIn(w, actor, calendarId, eventId, roomIds.map((roomId) => ({ type: 'resource', roomId })));
    });
  }

  /**
   * What holds a room in [from, to), read from its resource calendar by the same rules as its busy
   * time (`EventBusy.busy`, which Feishu's freebusy answers from): free events, cancelled occurrences
   * and bookings the room declined are left out. More than `maxBookings` is refused (a shorter
   * window answers it); a series the budget cannot expand holds the room from where it got to until `to`.
   */
  roomBookings(actor: Actor, roomId: string, from: number, to: number, options: { budget?: ReadBudget; maxBookings: number }): Promise<RoomBooking[]> {
    return this.deps.store.read(async (r) => {
      const calendar = (await r.calendars.calendarsOwnedBy(`r:${roomId}`)).find((c) => c.type === 'resource');
      if (!calendar || calendar.tenantKey !== actor.tenantKey) throw invalidArgument('room_id', `no room ${roomId} in this tenant`);
      const budget = options.budget ?? new ReadBudget();
      const cutBefore = budget.cut.length;
      const found = await occurrencesInWindow(r, calendar.calendarId, { from, to, limit: options.maxBookings, stopWhenOver: true, budget });
      if (found.length > options.maxBookings) throw invalidArgument('window', `more than ${options.maxBookings} bookings of room ${roomId} in the window; ask for a shorter one`);
      const cut = budget.cut.slice(cutBefore).filter((c) => c.from < to);
      const owner = `r:${roomId}`;
      const uids = [...new Set([...found.map((o) => o.event.uid), ...cut.map((c) => c.master.uid)])];
      const state = await r.events.viewerState(uids, owner, owner);
      const rsvps = new Map<string, Rsvp>();
      for (const a of state.attendees) if (!rsvps.has(a.uid)) rsvps.set(a.uid, a.rsvp);
      const freeBusy = new Map(state.personal.map((p) => [p.uid, p.freeBusyStatus]));
      const organizers = new Map<string, string | undefined>();
      const organizerOf = async (e: CalendarEvent) => {
        if (!organizers.has(e.calendarId)) organizers.set(e.calendarId, (await this.organizerOf(r, e)).userId);
        return organizers.get(e.calendarId);
      };
      const holds = (e: CalendarEvent) => rsvps.get(e.uid) !== 'decline' && (freeBusy.get(e.uid) ?? e.freeBusyStatus) !== 'free';
      const out: RoomBooking[] = [];
      for (const { event } of found) {
        if (!holds(event)) continue;
        out.push({ eventId: eventIdOf(event), start: epochOf(event.start), end: epochOf(event.end), rsvp: rsvps.get(event.uid) ?? 'accept', organizerUserId: await organizerOf(event) });
      }
      for (const { master, from: known } of cut) {
        if (!holds(master)) continue;
        out.push({ eventId: eventIdOf(master), start: known, end: to, rsvp: rsvps.get(master.uid) ?? 'accept', organizerUserId: await organizerOf(master) });
      }
      return out;
    });
  }

  /** Top-level attendees (members invited through a chat are listed by `chatMembers`). */
  list(actor: Actor, calendarId: string, eventId: string, page: AttendeePage): Promise<AttendeeList> {
    return this.deps.store.read(async (r) => {
      const view = await this.events.reads.load(r, actor, calendarId, eventId, 'reader');
      this.requireViewer(view);
      return pageOf((await r.events.attendees(view.event.uid)).filter(isTopLevel), page);
    });
  }

  /** The first attendees for an event response, or undefined when the caller may not see them. */
  preview(actor: Actor, calendarId: string, eventId: string, limit: number): Promise<AttendeeList | undefined> {
    return this.deps.store.read(async (r) => {
      const view = await this.events.reads.load(r, actor, calendarId, eventId, 'free_busy_reader');
      if (!this.mayView(view)) return undefined;
      return pageOf((await r.events.attendees(view.event.uid)).filter(isTopLevel), { limit });
    });
  }

  /** Removes attendees by attendee id or by who they are; a chat takes its members with it. Organizer side only. */
  remove(actor: Actor, calendarId: string, eventId: string, target: RemovalTarget): Promise<void> {
    return this.deps.store.transact((w) => this.removeIn(w, actor, calendarId, eventId, target));
  }

  /** `remove` within a transaction of this service; at most 500 per call still, so a larger removal is several calls in it. */
  private async removeIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, target: RemovalTarget): Promise<void> {
    const view = await this.openForWrite(w, actor, calendarId, eventId);
    requireRemover(view.side);
    const ids = target.attendeeIds ?? [];
    const specs = target.specs ?? [];
    checkRemoveRequest(ids.length, specs.length);
    const { event } = view;
    const attendees = await w.events.attendees(event.uid);
    const doomed = attendeesToRemove(attendees.filter(isTopLevel), ids, specs);
    // Members of the chats still invited, for users removed in their own right who stay through one.
    const chatMembers = new Map<string, readonly string[]>();
    if (doomed.some((a) => a.type === 'user')) {
      for (const chat of attendees.filter((a) => isTopLevel(a) && a.type === 'chat' && !doomed.includes(a))) {
        if (!chatMembers.has(chat.chatId!)) chatMembers.set(chat.chatId!, (await w.directory.chat(event.tenantKey, chat.chatId!))?.memberIds ?? []);
      }
    }
    const decided = decideAttendeeRemoval({
      actor, event, home: await this.homeOf(w, view), doomed, attendees, chatMembers, series: await w.events.series(event.uid), newId: this.newId,
    });
    await this.save(w, event, decided);
  }

  /** Members of a chat attendee who were invited through it. The caller must see the attendees and, as a user, be in the chat. */
  chatMembers(actor: Actor, calendarId: string, eventId: string, attendeeId: string, page: AttendeePage): Promise<AttendeeList> {
    return this.deps.store.read(async (r) => {
      const view = await this.events.reads.load(r, actor, calendarId, eventId, 'reader');
      this.requireViewer(view);
      const rows = await r.events.attendees(view.event.uid);
      const chat = rows.find((a) => isTopLevel(a) && a.attendeeId === attendeeId);
      if (!chat || chat.type !== 'chat') throw new DomainError('attendee_not_found', `no chat attendee ${attendeeId} in this event`, 'attendee_id');
      if (actor.kind === 'user') {
        const members = (await r.directory.chat(view.event.tenantKey, chat.chatId!))?.memberIds ?? [];
        if (!members.includes(actor.userId)) throw new DomainError('no_event_permission', 'only members of the chat may list its members');
      }
      return pageOf(rows.filter((a) => a.viaChat === attendeeId), page);
    });
  }

  /** The calling user's answer, on every invitation they hold (in their own right and through chats). */
  reply(actor: Actor, calendarId: string, eventId: string, rsvp: 'accept' | 'decline' | 'tentative'): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const ids = parseEventId(eventId);
      if (ids) await w.events.lockSeries(ids.uid);
      const view = await this.events.reads.load(w, actor, calendarId, eventId, 'free_busy_reader');
      const attendees = await w.events.attendees(view.event.uid);
      const decided = decideReply({ actor, home: await this.homeOf(w, view), attendees, series: await w.events.series(view.event.uid), rsvp });
      await this.save(w, view.event, decided);
    });
  }

  /** The organizer answers for a room booked on the event (accepted, tentative: pending approval, declined), in one commit. */
  roomReply(actor: Actor, calendarId: string, eventId: string, roomId: string, rsvp: 'accept' | 'decline' | 'tentative'): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const view = await this.openForWrite(w, actor, calendarId, eventId);
      const attendees = await w.events.attendees(view.event.uid);
      const decided = decideRoomReply({
        actor, side: view.side, home: await this.homeOf(w, view), attendees, series: await w.events.series(view.event.uid), roomId, rsvp,
      });
      await this.save(w, view.event, decided);
    });
  }

  /** Saves an attendee decision under one new change sequence number, with its records; answers the number. */
  private async save(w: StoreWriter, event: CalendarEvent, decided: AttendeeWrite): Promise<number> {
    const seq = await w.calendars.nextSeq(decided.changes.length);
    for (const a of decided.deletes) await w.events.deleteAttendee(event.uid, a.attendeeId);
    for (const a of decided.puts) await w.events.putAttendee({ ...a, seq });
    for (const e of decided.rows) {
      const next = { ...e, seq };
      await w.events.putEvent(next, eventRange(next));
    }
    if (decided.changes.length > 0) await w.changes.append(decided.changes, this.deps.clock.now(), seq + 1);
    return seq;
  }

  /** The home of the event's series: its organizer calendar and that calendar's owner. */
  private async homeOf(r: StoreReader, view: EventView): Promise<SeriesHome> {
    const owner = view.side === 'organizer' ? view.calendar.calendar.owner : (await r.calendars.calendar(view.event.calendarId))?.owner;
    return homeOf(view.event.calendarId, owner);
  }

  private readonly newId: AttendeeIdSource = (type) => this.deps.ids.attendeeId(type);

  /** Locks the series, then loads the event for a change: writer on a primary or shared calendar. */
  private async openForWrite(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.events.reads.load(w, actor, calendarId, eventId, 'writer');
    requireWritableType(view.calendar.calendar);
    return view;
  }

  /** The attendee list needs sight of all attendees (events/access.ts: the rule search and DingTalk follow too). */
  private mayView(view: EventView): boolean {
    return attendeeSight(view) === 'all';
  }

  private requireViewer(view: EventView): void {
    if (!this.mayView(view)) {
      throw new DomainError('no_event_permission', view.detail === 'full'
        ? 'attendee_ability none: attendees may not see the attendee list'
        : 'the caller sees only the busy time of this event');
    }
  }

  /** The organizer calendar, and the user who owns it when a user does. */
  private async organizerOf(r: StoreReader, event: CalendarEvent): Promise<Organizer> {
    const owner = (await r.calendars.calendar(event.calendarId))?.owner;
    return { calendarId: event.calendarId, userId: owner?.startsWith('u:') ? owner.slice(2) : undefined };
  }

  private async user(r: StoreReader, event: CalendarEvent, userId: string, field: string): Promise<User> {
    const user = await r.directory.user(userId);
    if (!user || user.tenantKey !== event.tenantKey) {
      throw new DomainError('user_not_found', `${field}: user ${userId} is not in the organizer's tenant`, field);
    }
    return user;
  }

  private async primaryOf(r: StoreReader, userId: string): Promise<string | null> {
    return (await r.calendars.primaryCalendar(`u:${userId}`))?.calendarId ?? null;
  }

  private async members(r: StoreReader, event: CalendarEvent, ids: readonly string[]): Promise<User[]> {
    const users = new Map((await r.directory.users(ids)).map((u) => [u.id, u]));
    return ids.map((id) => users.get(id)).filter((u): u is User => u !== undefined && u.tenantKey === event.tenantKey);
  }

  /** Resolves an invitation against the directory: users of the organizer's tenant, its chats and rooms. */
  private async invitation(r: StoreReader, event: CalendarEvent, organizer: Organizer, spec: AttendeeSpec, field: string): Promise<Invitation> {
    const operateId = 'operateId' in spec && spec.operateId ? (await this.user(r, event, spec.operateId, `${field}.operate_id`)).id : undefined;
    switch (spec.type) {
      case 'user': {
        const user = await this.user(r, event, spec.userId, `${field}.user_id`);
        return userInvitation(user, organizer, await this.primaryOf(r, user.id), { isOptional: spec.isOptional, operateId });
      }
      case 'chat': {
        const chat = await r.directory.chat(event.tenantKey, spec.chatId);
        if (!chat) throw invalidArgument(`${field}.chat_id`, `no chat ${spec.chatId} in this tenant`);
        return chatInvitation(chat, spec.isOptional);
      }
      case 'resource': {
        const room = await r.directory.room(event.tenantKey, spec.roomId);
        if (!room) throw invalidArgument(`${field}.room_id`, `no room ${spec.roomId} in this tenant`);
        const calendar = (await r.calendars.calendarsOwnedBy(`r:${room.roomId}`)).find((c) => c.type === 'resource');
        return roomInvitation(room, calendar?.calendarId ?? null, { approvalReason: spec.approvalReason, operateId });
      }
      case 'third_party':
        return emailInvitation(spec.email, spec.isOptional);
    }
  }
}
