import { requireWritableType } from '../access.js';
import { DomainError, invalidArgument } from '../errors.js';
import { attendeeSight } from '../events/access.js';
import {
  attendeeKey, chatInvitation, checkAddRequest, checkEventSize, checkRemoveRequest, emailInvitation,
  isTopLevel, requireInviter, requireRemover, roomInvitation, specKey, userInvitation,
} from '../events/attendees.js';
import type { AttendeeDraft, AttendeeSpec, Invitation, Organizer } from '../events/attendees.js';
import type { Attendee, CalendarEvent } from '../events/types.js';
import { parseEventId } from '../events/types.js';
import type { StoreReader, StoreWriter } from '../ports.js';
import type { Actor, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';
import { eventRange } from './event-service.js';
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

/** Who to remove: by attendee id, or by who they are. */
export interface RemovalTarget {
  readonly attendeeIds?: readonly string[];
  readonly specs?: readonly AttendeeSpec[];
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

  /** `add` within the caller's transaction (DingTalk invites in the same commit as its create or PUT). */
  async addIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, specs: readonly AttendeeSpec[], options: AddOptions = {}): Promise<Attendee[]> {
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

    const rows = await w.events.attendees(event.uid);
    const top = rows.filter(isTopLevel);
    const present = new Map(top.map((a) => [attendeeKey(a), a]));
    const fresh: Attendee[] = [];
    const chats: Array<{ attendee: Attendee; members: readonly string[] }> = [];
    const superseded: Attendee[] = [];
    const out: Attendee[] = [];
    for (const [list, automatic] of [[named, false], [extra, true]] as const) {
      for (const c of list) {
        const existing = present.get(c.key);
        if (existing) {
          if (!automatic && !out.includes(existing)) out.push(existing);
          continue;
        }
        // Someone invited so far only through a chat keeps their answer when invited in their own right.
        const viaChat = c.draft.type === 'user' ? rows.filter((a) => !isTopLevel(a) && a.userId === c.draft.userId) : [];
        superseded.push(...viaChat);
        const answered = viaChat.find((a) => a.rsvp !== 'needs_action');
        const attendee = this.mint(event, answered && !c.draft.isOrganizer ? { ...c.draft, rsvp: answered.rsvp } : c.draft);
        present.set(c.key, attendee);
        fresh.push(attendee);
        out.push(attendee);
        if (c.members) chats.push({ attendee, members: c.members });
      }
    }
    if (fresh.length === 0) return out;
    checkEventSize(top.length + fresh.length, options.maxPerEvent);

    for (const { attendee: chat, members } of chats) {
      for (const user of await this.members(w, event, members)) {
        if (present.has(`u:${user.id}`)) continue;
        const { draft } = userInvitation(user, organizer, await this.primaryOf(w, user.id));
        fresh.push(this.mint(event, { ...draft, isOptional: chat.isOptional, viaChat: chat.attendeeId }));
      }
    }
    const seq = await w.calendars.nextSeq();
    for (const a of superseded) await w.events.deleteAttendee(event.uid, a.attendeeId);
    for (const a of fresh) await w.events.putAttendee({ ...a, seq });
    await this.touch(w, event.uid, seq, top.length === 0);
    return out.map((a) => (fresh.includes(a) ? { ...a, seq } : a));
  }

  /**
   * Locks the series and answers the top-level attendees of an event the caller may write, for a
   * dialect that decides from them what to add or remove in the same transaction (under the lock,
   * so a concurrent writer cannot change them before it does).
   */
  async topLevelIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<Attendee[]> {
    const view = await this.openForWrite(w, actor, calendarId, eventId);
    return (await w.events.attendees(view.event.uid)).filter(isTopLevel);
  }

  /** Top-level attendees (members invited through a chat are listed by `chatMembers`). */
  list(actor: Actor, calendarId: string, eventId: string, page: AttendeePage): Promise<AttendeeList> {
    return this.deps.store.read(async (r) => {
      const view = await this.events.load(r, actor, calendarId, eventId, 'reader');
      this.requireViewer(view);
      return pageOf((await r.events.attendees(view.event.uid)).filter(isTopLevel), page);
    });
  }

  /** The first attendees for an event response, or undefined when the caller may not see them. */
  preview(actor: Actor, calendarId: string, eventId: string, limit: number): Promise<AttendeeList | undefined> {
    return this.deps.store.read(async (r) => {
      const view = await this.events.load(r, actor, calendarId, eventId, 'free_busy_reader');
      if (!this.mayView(view)) return undefined;
      return pageOf((await r.events.attendees(view.event.uid)).filter(isTopLevel), { limit });
    });
  }

  /** Removes attendees by attendee id or by who they are; a chat takes its members with it. Organizer side only. */
  remove(actor: Actor, calendarId: string, eventId: string, target: RemovalTarget): Promise<void> {
    return this.deps.store.transact((w) => this.removeIn(w, actor, calendarId, eventId, target));
  }

  /** `remove` within the caller's transaction; at most 500 per call still, so a larger removal is several calls in it. */
  async removeIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, target: RemovalTarget): Promise<void> {
    const view = await this.openForWrite(w, actor, calendarId, eventId);
    requireRemover(view.side);
    const ids = target.attendeeIds ?? [];
    const specs = target.specs ?? [];
    checkRemoveRequest(ids.length, specs.length);
    const { event } = view;
    const rows = await w.events.attendees(event.uid);
    const top = rows.filter(isTopLevel);
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
    const seq = await w.calendars.nextSeq();
    for (const a of doomed.values()) {
      await w.events.deleteAttendee(event.uid, a.attendeeId);
      if (a.type !== 'chat') continue;
      for (const m of rows) if (m.viaChat === a.attendeeId) await w.events.deleteAttendee(event.uid, m.attendeeId);
    }
    // A user removed in their own right who is in a chat still invited stays invited through it.
    const chats = top.filter((a) => a.type === 'chat' && !doomed.has(a.attendeeId));
    for (const a of doomed.values()) {
      if (a.type !== 'user') continue;
      for (const chat of chats) {
        const members = (await w.directory.chat(event.tenantKey, chat.chatId!))?.memberIds ?? [];
        if (!members.includes(a.userId!)) continue;
        await w.events.putAttendee(this.mint(event, { ...a, isOptional: chat.isOptional, viaChat: chat.attendeeId }, seq));
      }
    }
    // Calendars the event no longer shows in: their incremental sync reports it cancelled.
    const before = new Set(rows.map((a) => a.calendarId));
    const after = new Set((await w.events.attendees(event.uid)).map((a) => a.calendarId));
    for (const cid of before) {
      if (cid && cid !== event.calendarId && !after.has(cid)) await w.events.putRemoval({ calendarId: cid, uid: event.uid, seq });
    }
    await this.touch(w, event.uid, seq, false);
  }

  /** Members of a chat attendee who were invited through it. The caller must see the attendees and, as a user, be in the chat. */
  chatMembers(actor: Actor, calendarId: string, eventId: string, attendeeId: string, page: AttendeePage): Promise<AttendeeList> {
    return this.deps.store.read(async (r) => {
      const view = await this.events.load(r, actor, calendarId, eventId, 'reader');
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
      const view = await this.events.load(w, actor, calendarId, eventId, 'free_busy_reader');
      const mine = actor.kind === 'user'
        ? (await w.events.attendees(view.event.uid)).filter((a) => a.type === 'user' && a.userId === actor.userId)
        : [];
      if (mine.length === 0) throw new DomainError('no_event_permission', 'only an invited user may reply to the event');
      const seq = await w.calendars.nextSeq();
      for (const a of mine) await w.events.putAttendee({ ...a, rsvp, seq });
      await this.touch(w, view.event.uid, seq, false);
    });
  }

  /** Locks the series, then loads the event for a change: writer on a primary or shared calendar. */
  private async openForWrite(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.events.load(w, actor, calendarId, eventId, 'writer');
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

  private mint(event: CalendarEvent, draft: AttendeeDraft | Attendee, seq = 0): Attendee {
    const { type } = draft;
    return { ...draft, uid: event.uid, attendeeId: this.deps.ids.attendeeId(type), seq };
  }

  /**
   * Every attendee change is a change of the series, for incremental sync; the first attendees give
   * an event without a meeting a Feishu VC link.
   */
  private async touch(w: StoreWriter, uid: string, seq: number, firstAttendees: boolean): Promise<void> {
    const meetingUrl = firstAttendees ? this.deps.ids.meetingUrl() : undefined;
    for (const e of await w.events.series(uid)) {
      if (e.status === 'cancelled') continue;
      const vchat = e.vchat ?? (meetingUrl ? { vcType: 'vc' as const, meetingUrl } : null);
      const next: CalendarEvent = { ...e, vchat, seq };
      await w.events.putEvent(next, eventRange(next));
    }
  }
}
