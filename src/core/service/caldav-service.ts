/**
 * CalDAV's view of calendars: each series (or single event) is one calendar object resource, named
 * `<name>.ics` (the client's name when a client created it, else rili's uid), with an ETag from the
 * change sequence numbers of its rows. Writes go through the event and attendee services in one
 * transaction, under the series lock, after the If-Match / If-None-Match check.
 */
import { assertSyncable } from '../change-retention.js';
import { DomainError } from '../errors.js';
import { detailFor } from '../events/access.js';
import type { CalendarEvent, EventTime } from '../events/types.js';
import { eventIdOf, parseEventId } from '../events/types.js';
import { instanceAt } from '../events/series.js';
import type { InvitationPlan } from './attendee-service.js';
import type { AttendeeSpec } from '../events/attendees.js';
import { attendeeKey, isTopLevel } from '../events/attendees.js';
import type { EventInput } from '../events/input.js';
import type { IcsAttendee, IcsSeries, ParsedSeries, ParsedVevent } from '../ical/event-ics.js';
import { parseIcs } from '../ical/event-ics.js';
import type { StoreReader, StoreWriter } from '../ports.js';
import type { Actor, User } from '../types.js';
import type { AttendeeService } from './attendee-service.js';
import type { CalendarService, CalendarView, CoreDeps } from './calendar-service.js';
import type { EventService } from './event-service.js';

/** One calendar object resource as a caller sees it. */
export interface CaldavResourceView {
  readonly name: string;
  readonly uid: string;
  readonly etag: string;
  readonly series: IcsSeries;
}

/** If-Match / If-None-Match failed: HTTP 412. */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
}

export interface WriteConditions {
  /** The ETag the client last saw; `*`: any existing resource. */
  readonly ifMatch?: string;
  /** `*`: only when the resource does not exist yet. */
  readonly ifNoneMatch?: string;
}

const PAGE = 1000;
const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Users without an email get an address rili reads back: their open_id at this reserved domain. */
export const USER_ADDRESS_DOMAIN = 'users.rili.invalid';

const sameTime = (a: EventTime, b: EventTime): boolean =>
  a.kind === 'date' ? b.kind === 'date' && a.date === b.date : b.kind === 'timed' && a.epoch === b.epoch && a.timeZone === b.timeZone;

/** The fields a VEVENT sets that differ from an event's: a patch that changes nothing sends nothing. */
function changedFields(current: CalendarEvent, wanted: ParsedVevent['input'], withRule: boolean): EventInput {
  const out: { -readonly [K in keyof EventInput]: EventInput[K] } = {};
  if (wanted.summary !== current.summary) out.summary = wanted.summary;
  if (wanted.description !== current.description) out.description = wanted.description;
  if (!sameTime(wanted.start, current.start) || !sameTime(wanted.end, current.end)) {
    out.start = wanted.start;
    out.end = wanted.end;
  }
  const place = [current.location?.name, current.location?.address].filter((s) => s).join(', ');
  if ((wanted.location?.name ?? '') !== place) out.location = wanted.location ?? null;
  if (wanted.freeBusyStatus !== current.freeBusyStatus) out.freeBusyStatus = wanted.freeBusyStatus;
  if (wanted.visibility !== current.visibility) out.visibility = wanted.visibility;
  if (withRule && (wanted.recurrence ?? '') !== current.recurrence) out.recurrence = wanted.recurrence;
  return out;
}

const isEmpty = (input: EventInput): boolean => Object.keys(input).length === 0;

export class CaldavService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
    private readonly events: EventService,
    private readonly attendees: AttendeeService,
  ) {}

  /** The caller's calendar list (active entries it may see at least busy time of). */
  async calendarList(actor: Actor): Promise<CalendarView[]> {
    const out: CalendarView[] = [];
    for (let cursor; ;) {
      const page = await this.calendars.list(actor, { mode: 'page', pageSize: 500, ...(cursor ? { cursor } : {}) });
      out.push(...page.items.filter((v) => v.role !== 'none' && !v.calendar.isDeleted));
      if (!page.next) break;
      cursor = page.next;
    }
    return out;
  }

  /** A calendar with the caller's role and the change position (ctag and sync token). */
  calendar(actor: Actor, calendarId: string): Promise<{ view: CalendarView; position: number }> {
    return this.deps.store.read(async (r) => ({ view: await this.calendars.view(r, actor, calendarId), position: await r.calendars.currentSeq() }));
  }

  /** Every resource of a calendar. */
  resources(actor: Actor, calendarId: string): Promise<{ view: CalendarView; items: CaldavResourceView[]; position: number }> {
    return this.deps.store.read(async (r) => {
      const view = await this.calendars.view(r, actor, calendarId);
      const position = await r.calendars.currentSeq();
      const uids = new Set<string>();
      for (let after: string | undefined; ;) {
        const rows = await r.events.listEvents(view.calendar.calendarId, { afterEventId: after, limit: PAGE });
        for (const e of rows) uids.add(e.uid);
        if (rows.length < PAGE) break;
        after = eventIdOf(rows[rows.length - 1]);
      }
      return { view, items: await this.views(r, view, [...uids]), position };
    });
  }

  /** One resource by name, or undefined. */
  resource(actor: Actor, calendarId: string, name: string): Promise<CaldavResourceView | undefined> {
    return this.deps.store.read(async (r) => {
      const view = await this.calendars.view(r, actor, calendarId);
      const uid = await this.uidOf(r, view, name);
      return uid === undefined ? undefined : (await this.views(r, view, [uid]))[0];
    });
  }

  /** Resources changed after a sync position: the ones there now, and the names of those gone. */
  changes(actor: Actor, calendarId: string, sinceSeq: number): Promise<{ items: CaldavResourceView[]; gone: string[]; position: number }> {
    return this.deps.store.read(async (r) => {
      const view = await this.calendars.view(r, actor, calendarId);
      const cid = view.calendar.calendarId;
      const position = await r.calendars.currentSeq();
      if (sinceSeq > position) throw new DomainError('sync_token_invalid', 'sync-token is unknown', 'sync-token');
      assertSyncable(sinceSeq, await r.changes.prunedThrough(), 'sync-token');
      const uids = new Set<string>();
      for (let after = sinceSeq; ;) {
        const records = (await r.changes.since(after, PAGE, cid)).filter((c) => c.seq <= position);
        for (const c of records) if (c.uid) uids.add(c.uid);
        if (records.length < PAGE) break;
        after = records[records.length - 1].seq;
      }
      const items = await this.views(r, view, [...uids]);
      const present = new Set(items.map((i) => i.uid));
      const names = new Map((await r.caldav.resourcesOf(cid, [...uids])).map((x) => [x.uid, x.name]));
      const gone = [...uids].filter((u) => !present.has(u)).map((u) => names.get(u) ?? `${u}.ics`);
      return { items, gone, position };
    });
  }

  /**
   * Stores a resource a client sent: creates the series, or changes it to match (the master's
   * fields, each override, each EXDATE, the attendee list), all in one commit; answers the new ETag.
   */
  put(actor: Actor, calendarId: string, name: string, text: string, conditions: WriteConditions): Promise<{ created: boolean; etag: string }> {
    const parsed = parseIcs(text);
    return this.deps.store.transact(async (w) => {
      const view = await this.calendars.view(w, actor, calendarId, 'writer');
      const cid = view.calendar.calendarId;
      let uid = await this.uidOf(w, view, name);
      if (uid !== undefined) await w.events.lockSeries(uid);
      const current = uid === undefined ? undefined : (await this.views(w, view, [uid]))[0];
      if (current === undefined) uid = undefined;
      checkConditions(current?.etag, conditions);
      let master: CalendarEvent;
      if (uid === undefined) {
        const created = await this.events.writes.createIn(w, actor, cid, parsed.master.input);
        master = created.event;
        uid = master.uid;
        if (name !== `${uid}.ics` || parsed.icalUid !== uid) await w.caldav.putResource({ calendarId: cid, name, uid, icalUid: parsed.icalUid });
      } else {
        master = current!.series.master;
        const patch = changedFields(master, parsed.master.input, true);
        if (!isEmpty(patch)) master = (await this.events.writes.patchIn(w, actor, cid, eventIdOf(master), patch)).event;
        const mapped = await w.caldav.resourceByName(cid, name);
        if (mapped && mapped.icalUid !== parsed.icalUid) await w.caldav.putResource({ ...mapped, icalUid: parsed.icalUid });
      }
      await this.applyOccurrences(w, actor, cid, master, parsed);
      await this.applyAttendees(w, actor, cid, eventIdOf(master), parsed.master);
      const after = (await this.views(w, view, [uid]))[0];
      return { created: current === undefined, etag: after.etag };
    });
  }

  /** Deletes a resource (the whole series), if its ETag still matches. */
  remove(actor: Actor, calendarId: string, name: string, conditions: WriteConditions): Promise<boolean> {
    return this.deps.store.transact(async (w) => {
      const view = await this.calendars.view(w, actor, calendarId, 'writer');
      const uid = await this.uidOf(w, view, name);
      if (uid === undefined) return false;
      await w.events.lockSeries(uid);
      const current = (await this.views(w, view, [uid]))[0];
      if (!current) return false;
      checkConditions(current.etag, conditions);
      await this.events.writes.deleteIn(w, actor, view.calendar.calendarId, `${uid}_0`);
      // The name stays mapped, so sync-collection can report it gone; a later PUT to it maps it anew.
      return true;
    });
  }

  /** Overrides become exceptions (only the fields that differ), EXDATEs and cancelled overrides deletions, exceptions the resource no longer holds plain occurrences. */
  private async applyOccurrences(w: StoreWriter, actor: Actor, cid: string, master: CalendarEvent, parsed: ParsedSeries): Promise<void> {
    if (!master.recurrence) return;
    const existing = new Map((await w.events.exceptionsOf([master.uid])).filter((x) => x.extensions.detached !== true).map((x) => [x.originalStart, x]));
    const deleted = new Set(parsed.exdates);
    for (const o of parsed.overrides) if (o.event.cancelled) deleted.add(o.originalStart);
    for (const o of parsed.overrides) {
      if (deleted.has(o.originalStart)) continue;
      const now = existing.get(o.originalStart) ?? instanceAt(master, o.originalStart);
      if (now.status === 'cancelled') continue;
      const patch = changedFields(now, o.event.input, false);
      if (!isEmpty(patch)) await this.events.writes.patchIn(w, actor, cid, `${master.uid}_${o.originalStart}`, patch);
    }
    // The resource is what the client sent: an exception with neither an override nor an EXDATE is a plain occurrence again.
    const overridden = new Set(parsed.overrides.map((o) => o.originalStart));
    for (const x of existing.values()) {
      if (!overridden.has(x.originalStart) && !deleted.has(x.originalStart)) await this.events.writes.revertIn(w, actor, cid, `${master.uid}_${x.originalStart}`);
    }
    for (const start of deleted) {
      if (existing.get(start)?.status === 'cancelled') continue;
      await this.events.writes.deleteIn(w, actor, cid, `${master.uid}_${start}`).catch((error: unknown) => {
        // An EXDATE that names no occurrence (the rule changed) has nothing to delete.
        if (error instanceof DomainError && (error.kind === 'event_not_found' || error.kind === 'event_deleted')) return;
        throw error;
      });
    }
  }

  /** The VEVENT's attendees become the series' users and email guests; chats and rooms stay as they are. */
  private async applyAttendees(w: StoreWriter, actor: Actor, cid: string, eventId: string, vevent: ParsedVevent): Promise<void> {
    const self = actor.kind === 'user' ? await w.directory.user(actor.userId) : undefined;
    const wanted = new Map<string, AttendeeSpec>();
    let tenantUsers: User[] | undefined;
    for (const a of vevent.attendees) {
      const address = a.address.replace(/^mailto:/i, '').trim();
      if (!address.includes('@')) continue;
      const [local, domain] = [address.slice(0, address.lastIndexOf('@')), address.slice(address.lastIndexOf('@') + 1)];
      const ours = domain.toLowerCase() === USER_ADDRESS_DOMAIN;
      let user = ours ? await w.directory.userByAnyId(actor.tenantKey, local) : undefined;
      // rili's own address for a chat or a room (or a user gone): nothing a PUT can invite.
      if (ours && !user) continue;
      if (!user) {
        tenantUsers ??= await w.directory.usersOfTenant(actor.tenantKey, 10_000);
        user = tenantUsers.find((u) => u.email?.toLowerCase() === address.toLowerCase());
      }
      if (user && user.id === self?.id) continue;
      const spec: AttendeeSpec = user ? { type: 'user', userId: user.id, isOptional: a.optional } : { type: 'third_party', email: address, isOptional: a.optional };
      wanted.set(user ? `u:${user.id}` : `e:${address.toLowerCase()}`, spec);
    }
    const selfKey = self ? `u:${self.id}` : '';
    const plan: InvitationPlan = (current) => {
      const top = current.filter(isTopLevel);
      const keys = new Set(top.map(attendeeKey));
      return {
        remove: top.filter((a) => (a.type === 'user' || a.type === 'third_party') && !a.isOrganizer && attendeeKey(a) !== selfKey && !wanted.has(attendeeKey(a))),
        add: [...wanted].filter(([k]) => !keys.has(k)).map(([, s]) => s),
      };
    };
    if (wanted.size === 0 && vevent.attendees.length === 0) {
      // A client that sends no ATTENDEE at all (most personal calendars) leaves the list alone.
      return;
    }
    await this.attendees.planIn(w, actor, cid, eventId, plan);
  }

  /** The uid a name stands for in a calendar, if the event shows there. */
  private async uidOf(r: StoreReader, view: CalendarView, name: string): Promise<string | undefined> {
    const mapped = await r.caldav.resourceByName(view.calendar.calendarId, name);
    const bare = name.replace(/\.ics$/, '');
    const uid = mapped?.uid ?? (UUID_NAME.test(bare) ? bare : undefined);
    if (uid === undefined || !parseEventId(`${uid}_0`)) return undefined;
    return uid;
  }

  /** Resource views of series (by uid) that show in a calendar, not deleted. */
  private async views(r: StoreReader, view: CalendarView, uids: readonly string[]): Promise<CaldavResourceView[]> {
    if (uids.length === 0) return [];
    const cid = view.calendar.calendarId;
    const masters = (await r.events.mastersOf(uids)).filter((m) => m.status !== 'cancelled' && m.tenantKey === view.calendar.tenantKey);
    const shown: CalendarEvent[] = [];
    for (const m of masters) if (m.calendarId === cid || await r.events.isInCalendar(cid, m.uid)) shown.push(m);
    if (shown.length === 0) return [];
    const ids = shown.map((m) => m.uid);
    const exceptions = await r.events.exceptionsOf(ids);
    const attendees = await r.events.attendeesOf(ids);
    const users = new Map((await r.directory.users([...new Set(attendees.filter((a) => a.userId).map((a) => a.userId!))])).map((u) => [u.id, u]));
    const names = new Map((await r.caldav.resourcesOf(cid, ids)).map((x) => [x.uid, x]));
    return shown.sort((a, b) => (a.uid < b.uid ? -1 : 1)).map((master) => {
      const own = exceptions.filter((x) => x.uid === master.uid && x.extensions.detached !== true);
      const people = attendees.filter((a) => a.uid === master.uid && isTopLevel(a));
      const seq = Math.max(master.seq, ...own.map((x) => x.seq), ...attendees.filter((a) => a.uid === master.uid).map((a) => a.seq));
      const side = master.calendarId === cid ? 'organizer' : 'attendee';
      const mapped = names.get(master.uid);
      const icsAttendees: IcsAttendee[] = people.map((a) => {
        const user = a.userId ? users.get(a.userId) : undefined;
        const address = a.email ?? user?.email ?? `${user?.openId ?? a.attendeeId}@${USER_ADDRESS_DOMAIN}`;
        return { address: `mailto:${address}`, name: a.displayName || user?.name || address, rsvp: a.rsvp, optional: a.isOptional, kind: a.type, organizer: a.isOrganizer };
      });
      return {
        name: mapped?.name ?? `${master.uid}.ics`,
        uid: master.uid,
        etag: `"${master.uid.slice(0, 8)}-${seq}"`,
        series: {
          icalUid: mapped?.icalUid ?? master.uid,
          master,
          exceptions: own,
          attendees: icsAttendees,
          busyOnly: detailFor(view.role, master, side) === 'busy',
        },
      };
    });
  }
}

function checkConditions(etag: string | undefined, c: WriteConditions): void {
  if (c.ifNoneMatch !== undefined && etag !== undefined && (c.ifNoneMatch.trim() === '*' || c.ifNoneMatch.split(',').map((s) => s.trim()).includes(etag))) {
    throw new PreconditionFailedError('the resource exists (If-None-Match)');
  }
  if (c.ifMatch !== undefined) {
    const tags = c.ifMatch.split(',').map((s) => s.trim().replace(/^W\//, ''));
    if (etag === undefined || !(tags.includes('*') || tags.includes(etag))) throw new PreconditionFailedError('the resource changed since (If-Match)');
  }
}
