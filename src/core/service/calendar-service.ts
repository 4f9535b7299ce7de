import { asListed, atLeast, requireCalendarRole, requireWritableType, roleOn } from '../access.js';
import { createCalendar, deleteCalendar, grantAcl, revokeAcl, subscribeCalendar, unsubscribeCalendar, updateCalendar } from '../calendars.js';
import type { CalendarPatch, CalendarWrite } from '../calendars.js';
import { DomainError } from '../errors.js';
import type { Clock, IdSource, Store, StoreReader, StoreWriter } from '../ports.js';
import type { Actor, Calendar, CalendarAcl, CalendarPermissions, Role, Subscription } from '../types.js';
import { principalOf } from '../types.js';

/** A calendar as one caller sees it: its role and its own list entry. */
export interface CalendarView {
  readonly calendar: Calendar;
  readonly role: Role;
  readonly subscription: Subscription | undefined;
}

export interface CoreDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdSource;
}

/** The literal calendar id that means "the caller's primary calendar" on every path. */
export const PRIMARY_ALIAS = 'primary';

/** Paging position in a calendar list: after this calendar id, from a list that began at `seq`. */
export interface ListCursor {
  readonly after: string;
  readonly seq: number;
}

export type CalendarListRequest =
  | { readonly mode: 'page'; readonly pageSize: number; readonly cursor?: ListCursor };

export interface CalendarListResult {
  readonly items: CalendarView[];
  /** Set while more pages follow. */
  readonly next?: ListCursor;
  /** Set once paging ends: the sequence to sync from next time. */
  readonly syncSeq?: number;
}

const nowSeconds = (clock: Clock) => Math.floor(clock.now() / 1000);

export const newCalendarId = (ids: IdSource): string => ids.calendarId();

/** Calendars, calendar lists and ACLs: the async steps both dialects share. */
export class CalendarService {
  constructor(private readonly deps: CoreDeps) {}

  /** Resolves `primary` to the caller's primary calendar id; other ids pass through. */
  async resolveId(r: StoreReader, actor: Actor, calendarId: string): Promise<string> {
    if (calendarId !== PRIMARY_ALIAS) return calendarId;
    return (await this.primaryOf(r, actor)).calendarId;
  }

  private async primaryOf(r: StoreReader, actor: Actor): Promise<Calendar> {
    const primary = await r.calendars.primaryCalendar(principalOf(actor));
    if (!primary) throw new DomainError('calendar_not_found', 'the caller has no primary calendar', 'calendar_id');
    return primary;
  }

  /** Loads a calendar with the caller's role, requiring at least `wanted`. */
  async view(r: StoreReader, actor: Actor, calendarId: string, wanted: Role = 'free_busy_reader'): Promise<CalendarView> {
    // The calendar, the caller's ACL entry and subscription in one read (one round trip on PostgreSQL).
    const principal = principalOf(actor);
    const primary = calendarId === PRIMARY_ALIAS;
    const found = await r.calendars.calendarFor(principal, actor.kind === 'user' ? actor.userId : undefined, primary ? undefined : calendarId);
    if (!found && primary) throw new DomainError('calendar_not_found', 'the caller has no primary calendar', 'calendar_id');
    const role = requireCalendarRole(actor, found?.calendar, found?.acl, wanted);
    return { calendar: found!.calendar, role, subscription: found!.subscription };
  }

  get(actor: Actor, calendarId: string): Promise<CalendarView> {
    return this.deps.store.read((r) => this.view(r, actor, calendarId));
  }

  create(actor: Actor, input: { summary?: string; description?: string; permissions?: CalendarPermissions; color?: number; summaryAlias?: string }): Promise<CalendarView> {
    return this.deps.store.transact(async (w) => {
      const principal = principalOf(actor);
      const held = await w.calendars.countSubscriptions(principal);
      const decided = createCalendar(actor, principal, held, {
        ...input, calendarId: newCalendarId(this.deps.ids), now: nowSeconds(this.deps.clock), seq: await w.calendars.nextSeq(),
      });
      await this.save(w, decided);
      return { calendar: decided.calendar, role: 'owner' as const, subscription: decided.subscription };
    });
  }

  patch(actor: Actor, calendarId: string, patch: CalendarPatch): Promise<CalendarView> {
    return this.deps.store.transact(async (w) => {
      const view = await this.view(w, actor, calendarId);
      const decided = updateCalendar(actor, principalOf(actor), view, patch, await w.calendars.nextSeq());
      await this.save(w, decided);
      return { calendar: decided.calendar, role: decided.role, subscription: decided.subscription };
    });
  }

  delete(actor: Actor, calendarId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const view = await this.view(w, actor, calendarId, 'owner');
      await this.save(w, deleteCalendar(actor, view, await w.calendars.nextSeq()));
    });
  }

  /** Saves what a decision wrote, with its change records, in the caller's transaction. */
  async save(w: StoreWriter, decided: CalendarWrite): Promise<void> {
    for (const calendar of decided.calendars) await w.calendars.putCalendar(calendar);
    for (const subscription of decided.subscriptions) await w.calendars.putSubscription(subscription);
    for (const acl of decided.acls) await w.calendars.putAcl(acl);
    for (const acl of decided.removedAcls) await w.calendars.deleteAcl(acl.calendarId, acl.aclId);
    for (const info of decided.subscribed) await w.calendars.putSubscribedCalendar(info);
    await w.changes.append(decided.changes, this.deps.clock.now());
  }

  /** The primary calendar of the caller (a user's own, or the app's bot calendar). */
  primary(actor: Actor): Promise<CalendarView> {
    return this.deps.store.read((r) => this.view(r, actor, PRIMARY_ALIAS));
  }

  /** Primary calendars of the given users (internal ids), as the caller sees them. */
  primaries(actor: Actor, userIds: readonly string[]): Promise<Array<{ userId: string; view: CalendarView | undefined }>> {
    return this.deps.store.read(async (r) => {
      const out: Array<{ userId: string; view: CalendarView | undefined }> = [];
      for (const userId of userIds) {
        const calendar = await r.calendars.primaryCalendar(`u:${userId}`);
        out.push({ userId, view: calendar && (await this.viewIfVisible(r, actor, calendar)) });
      }
      return out;
    });
  }

  /** Calendars by id that the caller may see; others are left out. */
  mget(actor: Actor, calendarIds: readonly string[]): Promise<CalendarView[]> {
    return this.deps.store.read(async (r) => {
      const ids = await Promise.all(calendarIds.map((id) => this.resolveId(r, actor, id).catch(() => id)));
      const calendars = await r.calendars.calendars(ids);
      const byId = new Map(calendars.map((c) => [c.calendarId, c]));
      const out: CalendarView[] = [];
      for (const id of ids) {
        const c = byId.get(id);
        const v = c && !c.isDeleted ? await this.viewIfVisible(r, actor, c) : undefined;
        if (v) out.push(v);
      }
      return out;
    });
  }

  search(actor: Actor, query: string, after: string | undefined, limit: number): Promise<{ items: CalendarView[]; next?: string }> {
    return this.deps.store.read(async (r) => {
      const items: CalendarView[] = [];
      let cursor = after;
      // Calendars the caller cannot see are skipped; one visible calendar past the page tells whether
      // more follow, so has_more never counts a calendar the caller may not find.
      for (;;) {
        const batch = await r.calendars.searchCalendars(actor.tenantKey, query, cursor, limit + 1);
        for (const c of batch) {
          cursor = c.calendarId;
          const v = await this.viewIfVisible(r, actor, c);
          if (!v) continue;
          items.push(v);
          if (items.length > limit) return { items: items.slice(0, limit), next: items[limit - 1].calendar.calendarId };
        }
        if (batch.length <= limit) return { items };
      }
    });
  }

  private async viewIfVisible(r: StoreReader, actor: Actor, calendar: Calendar): Promise<CalendarView | undefined> {
    const acl = actor.kind === 'user' ? await r.calendars.acl(calendar.calendarId, actor.userId) : undefined;
    const role = roleOn(actor, calendar, acl);
    if (role === 'none') return undefined;
    return { calendar, role, subscription: await r.calendars.subscription(principalOf(actor), calendar.calendarId) };
  }

  /** Pages through the caller's calendar list, then hands out a sync position; or returns changes since one. */
  list(actor: Actor, request: CalendarListRequest): Promise<CalendarListResult> {
    return this.deps.store.read(async (r) => {
      const principal = principalOf(actor);
      const startSeq = request.cursor?.seq ?? (await r.calendars.currentSeq());
      const subs = await r.calendars.subscriptions(principal, request.cursor?.after, request.pageSize + 1);
      const page = subs.slice(0, request.pageSize);
      const items = await this.views(r, actor, page, false);
      if (subs.length > request.pageSize) return { items, next: { after: page[page.length - 1].calendarId, seq: startSeq } };
      return { items, syncSeq: startSeq };
    });
  }

  /**
   * List entries as the caller sees them (core/access.ts `asListed`): an unsubscribed or deleted
   * entry still reports, so sync can tell the client to drop it; a calendar the caller holds no role
   * on any more reports only as removed, and a page (`sync` false) leaves it out.
   */
  private async views(r: StoreReader, actor: Actor, subs: readonly Subscription[], sync: boolean): Promise<CalendarView[]> {
    const calendars = new Map((await r.calendars.calendars(subs.map((s) => s.calendarId))).map((c) => [c.calendarId, c]));
    const out: CalendarView[] = [];
    for (const s of subs) {
      const calendar = calendars.get(s.calendarId);
      if (!calendar) continue;
      const acl = actor.kind === 'user' ? await r.calendars.acl(calendar.calendarId, actor.userId) : undefined;
      const role = roleOn(actor, calendar, acl);
      if (role === 'none' && !sync) continue;
      out.push({ calendar: asListed(calendar, role, s.active), role, subscription: s });
    }
    return out;
  }

  subscribe(actor: Actor, calendarId: string): Promise<CalendarView> {
    return this.deps.store.transact(async (w) => {
      const view = await this.view(w, actor, calendarId);
      const principal = principalOf(actor);
      const listed = view.subscription?.active ? 0 : await w.calendars.countSubscriptions(principal);
      const decided = subscribeCalendar(actor, principal, view, listed, await w.calendars.nextSeq());
      await this.save(w, decided);
      return { calendar: decided.calendar, role: decided.role, subscription: decided.subscription };
    });
  }

  unsubscribe(actor: Actor, calendarId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const id = await this.resolveId(w, actor, calendarId);
      const principal = principalOf(actor);
      const calendar = await w.calendars.calendar(id);
      const subscription = await w.calendars.subscription(principal, id);
      await this.save(w, unsubscribeCalendar(actor, principal, calendar, subscription, await w.calendars.nextSeq()));
    });
  }

  /** Grants (or changes) a user's role; only the owner manages sharing, on primary or shared calendars. */
  createAcl(actor: Actor, calendarId: string, role: CalendarAcl['role'], userId: string): Promise<CalendarAcl> {
    return this.deps.store.transact(async (w) => {
      const view = await this.view(w, actor, calendarId, 'owner');
      const existing = await w.calendars.acl(view.calendar.calendarId, userId);
      const decided = grantAcl(actor, view, existing, { role, userId, newAclId: `user_${this.deps.ids.random(16)}` }, await w.calendars.nextSeq());
      await this.save(w, decided);
      return decided.acl;
    });
  }

  listAcls(actor: Actor, calendarId: string, after: string | undefined, limit: number): Promise<{ items: CalendarAcl[]; more: boolean }> {
    return this.deps.store.read(async (r) => {
      const view = await this.view(r, actor, calendarId, 'owner');
      requireWritableType(view.calendar);
      const rows = await r.calendars.acls(view.calendar.calendarId, after, limit + 1);
      return { items: rows.slice(0, limit), more: rows.length > limit };
    });
  }

  deleteAcl(actor: Actor, calendarId: string, aclId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const view = await this.view(w, actor, calendarId, 'owner');
      const acl = await w.calendars.aclById(view.calendar.calendarId, aclId);
      await this.save(w, revokeAcl(actor, view, acl, aclId, await w.calendars.nextSeq()));
    });
  }

  /** Whether a role is enough for event writes (used by the event service). */
  static canWrite(role: Role): boolean {
    return atLeast(role, 'writer');
  }
}
