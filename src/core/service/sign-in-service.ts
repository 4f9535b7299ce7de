import { DomainError } from '../errors.js';
import { ReadBudget } from '../events/read-budget.js';
import { instanceAt, isOccurrence } from '../events/series.js';
import { decideSignIn } from '../events/sign-in.js';
import type { CalendarEvent } from '../events/types.js';
import { parseEventId } from '../events/types.js';
import type { StoreReader, StoreWriter } from '../ports.js';
import type { Actor, SignInRecord, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';
import type { EventReads } from './event-reads.js';

type UserActor = Extract<Actor, { kind: 'user' }>;

/** Someone who may sign, and their record of one kind if they have one. */
export interface Signer {
  readonly user: User;
  readonly record: SignInRecord | undefined;
}

/** What a sign-in link's page shows: the event and who may sign through it. */
export interface LinkPage {
  readonly event: CalendarEvent;
  readonly signers: readonly Signer[];
}

/** DingTalk's check-in, sign-in and sign-out (core/events/sign-in.ts), their lists and their links. */
export class SignInService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly reads: EventReads,
  ) {}

  /** The organizer's user (internal id) and the users invited (not removed), organizer first. */
  private async participants(r: StoreReader, event: CalendarEvent): Promise<{ organizer: string | undefined; invited: string[] }> {
    const calendar = await r.calendars.calendar(event.calendarId);
    const organizer = calendar?.owner.startsWith('u:') ? calendar.owner.slice(2) : undefined;
    const invited = (await r.events.attendees(event.uid))
      .filter((a) => a.type === 'user' && a.userId !== undefined && a.rsvp !== 'removed')
      .map((a) => a.userId!);
    return { organizer, invited: [...new Set(invited)] };
  }

  private async save(w: StoreWriter, decided: ReturnType<typeof decideSignIn>): Promise<void> {
    if (decided.changes.length === 0) return;
    await w.events.putSignIn(decided.record);
    await w.changes.append(decided.changes, this.deps.clock.now());
  }

  /** The user of the path signs in (or out) of an event of their calendar. */
  sign(actor: UserActor, calendarId: string, eventId: string, kind: SignInRecord['kind']): Promise<SignInRecord> {
    return this.deps.store.transact(async (w) => {
      const view = await this.reads.load(w, actor, calendarId, eventId, 'free_busy_reader');
      const { organizer, invited } = await this.participants(w, view.event);
      const decided = decideSignIn({
        actor, event: view.event, eventId, kind, userId: actor.userId,
        organizer: organizer === actor.userId, attendee: invited.includes(actor.userId),
        existing: await w.events.signIn(eventId, kind, actor.userId), now: this.deps.clock.now(),
      });
      await this.save(w, decided);
      return decided.record;
    });
  }

  /** Loads an event of the caller's calendar that the caller organises (lists and links are the organizer's). */
  private async organized(r: StoreReader, actor: UserActor, calendarId: string, eventId: string): Promise<CalendarEvent> {
    const view = await this.reads.load(r, actor, calendarId, eventId, 'free_busy_reader');
    const { organizer } = await this.participants(r, view.event);
    if (organizer !== actor.userId) throw new DomainError('no_event_permission', 'only the organizer of the event may do this', 'userId');
    return view.event;
  }

  /** Requires the caller to organise the event; its id for a link. */
  async requireOrganizer(actor: UserActor, calendarId: string, eventId: string): Promise<void> {
    await this.deps.store.read((r) => this.organized(r, actor, calendarId, eventId));
  }

  /**
   * Who signed (`signed`) or who may sign and has not, ordered by internal user id, after `after`,
   * at most `limit`; `next` while more follow.
   */
  list(actor: UserActor, calendarId: string, eventId: string, kind: SignInRecord['kind'], signed: boolean, after: string | undefined, limit: number): Promise<{ items: Signer[]; next?: string }> {
    return this.deps.store.read(async (r) => {
      const event = await this.organized(r, actor, calendarId, eventId);
      if (signed) {
        const rows = await r.events.signIns(eventId, kind, after, limit + 1);
        const page = rows.slice(0, limit);
        const users = new Map((await r.directory.users(page.map((s) => s.userId))).map((u) => [u.id, u]));
        const items = page.filter((s) => users.has(s.userId)).map((s) => ({ user: users.get(s.userId)!, record: s }));
        return rows.length > limit ? { items, next: page[page.length - 1].userId } : { items };
      }
      const { organizer, invited } = await this.participants(r, event);
      const done = new Set((await r.events.signIns(eventId, kind, undefined, 100_000)).map((s) => s.userId));
      const waiting = [...new Set([...(organizer ? [organizer] : []), ...invited])].filter((u) => !done.has(u)).sort()
        .filter((u) => after === undefined || u > after);
      const page = waiting.slice(0, limit);
      const users = new Map((await r.directory.users(page)).map((u) => [u.id, u]));
      const items = page.filter((u) => users.has(u)).map((u) => ({ user: users.get(u)!, record: undefined }));
      return waiting.length > limit ? { items, next: page[page.length - 1] } : { items };
    });
  }

  /** An event by id (an occurrence of a series included), whatever calendar it is on; undefined when none. */
  private async eventById(r: StoreReader, eventId: string): Promise<CalendarEvent | undefined> {
    const ids = parseEventId(eventId);
    if (!ids) return undefined;
    const event = await r.events.event(eventId);
    if (event) return event.status === 'cancelled' ? undefined : event;
    if (ids.originalStart === 0) return undefined;
    const master = await r.events.event(`${ids.uid}_0`);
    if (master?.recurrence && master.status !== 'cancelled' && isOccurrence(master, ids.originalStart, new ReadBudget())) return instanceAt(master, ids.originalStart);
    return undefined;
  }

  /** What a sign-in or sign-out link shows: the event and everyone who may sign through it. */
  linkPage(eventId: string, kind: SignInRecord['kind']): Promise<LinkPage> {
    return this.deps.store.read(async (r) => {
      const event = await this.eventById(r, eventId);
      if (!event) throw new DomainError('event_not_found', `event ${eventId} not found`, 'eventId');
      const { organizer, invited } = await this.participants(r, event);
      const ids = [...new Set([...(organizer ? [organizer] : []), ...invited])];
      const users = await r.directory.users(ids);
      const signers: Signer[] = [];
      for (const user of users) signers.push({ user, record: await r.events.signIn(eventId, kind, user.id) });
      return { event, signers };
    });
  }

  /** A link opened by one of the event's people: signs them, as the SignIn/SignOut operations do. */
  signByLink(eventId: string, kind: SignInRecord['kind'], userId: string): Promise<SignInRecord> {
    return this.deps.store.transact(async (w) => {
      const event = await this.eventById(w, eventId);
      if (!event) throw new DomainError('event_not_found', `event ${eventId} not found`, 'eventId');
      const { organizer, invited } = await this.participants(w, event);
      const decided = decideSignIn({
        actor: { tenantKey: event.tenantKey, userId }, event, eventId, kind, userId,
        organizer: organizer === userId, attendee: invited.includes(userId),
        existing: await w.events.signIn(eventId, kind, userId), now: this.deps.clock.now(),
      });
      await this.save(w, decided);
      return decided.record;
    });
  }
}
