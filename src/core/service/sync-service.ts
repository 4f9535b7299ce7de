/**
 * Incremental sync, both dialects, read from the change log: a calendar's events changed after a
 * sync position, and a caller's calendar list changed after one. A position behind the pruned log
 * answers `sync_token_expired`; one ahead of every change, `sync_token_invalid`.
 */
import { asListed, roleOn } from '../access.js';
import { assertSyncable } from '../change-retention.js';
import type { ChangeObject, ChangeRecord } from '../changes.js';
import { DomainError } from '../errors.js';
import { detailFor } from '../events/access.js';
import { answerSync, SyncScan } from '../events/sync.js';
import type { SyncItem } from '../events/sync.js';
import type { Attendee, CalendarEvent } from '../events/types.js';
import type { StoreReader } from '../ports.js';
import type { Actor, Subscription } from '../types.js';
import { principalOf } from '../types.js';
import type { CalendarListResult, CalendarService, CalendarView, CoreDeps } from './calendar-service.js';
import type { EventListResult, EventView } from './event-service.js';

/** Records read per round trip while a page of sync collects its rows. */
const RECORDS_PER_READ = 1000;

/** Records that change how a calendar list shows a calendar: the calendar, its sharing, the entry itself. */
const LIST_OBJECTS: readonly ChangeObject[] = ['calendar', 'acl', 'subscription'];

export class SyncService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
  ) {}

  /**
   * The events of a calendar changed after `sinceSeq`, at most `pageSize`: `nextSince` while more
   * follow, else `syncSeq`, the position to sync from next time.
   */
  events(actor: Actor, calendarId: string, sinceSeq: number, pageSize: number): Promise<EventListResult> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const cid = calendar.calendar.calendarId;
      // Read first: records after it belong to the next sync, and every record up to it has committed.
      const current = await r.calendars.currentSeq();
      await this.checkPosition(r, sinceSeq, current);
      const scan = new SyncScan(sinceSeq, pageSize);
      for (let after = sinceSeq; ;) {
        const records = (await r.changes.since(after, RECORDS_PER_READ, cid)).filter((c) => c.seq <= current);
        if (!scan.add(records) || records.length < RECORDS_PER_READ) break;
        after = records[records.length - 1].seq;
      }
      const items = await this.views(r, actor, calendar, await this.answer(r, cid, scan));
      return scan.full ? { items, nextSince: scan.through } : { items, syncSeq: current };
    });
  }

  /**
   * Every event the calendar holds or held, deleted ones included (cancelled), by its rows: a listing
   * the pruned log could not give (DingTalk's showDeleted). Pages by row sequence from `sinceSeq`.
   */
  eventsWithDeleted(actor: Actor, calendarId: string, sinceSeq: number, pageSize: number): Promise<EventListResult> {
    return this.deps.store.read(async (r) => {
      const calendar = await this.calendars.view(r, actor, calendarId, 'free_busy_reader');
      const current = await r.calendars.currentSeq();
      const rows = await r.events.eventsChangedSince(calendar.calendar.calendarId, sinceSeq, pageSize + 1);
      const items = await this.views(r, actor, calendar, rows.slice(0, pageSize).map((event) => ({ event, withdrawn: false })));
      if (rows.length > pageSize) return { items, nextSince: rows[pageSize - 1].seq };
      return { items, syncSeq: current };
    });
  }

  /**
   * The caller's calendar list entries whose calendar, sharing or entry changed after `sinceSeq`,
   * ordered by calendar id; entries left (unsubscribed, deleted, access gone) report as deleted.
   */
  calendarList(actor: Actor, sinceSeq: number): Promise<CalendarListResult> {
    return this.deps.store.read(async (r) => {
      const current = await r.calendars.currentSeq();
      await this.checkPosition(r, sinceSeq, current);
      // Every entry the caller has had, active or not (subscriptions are kept, made inactive); seeded ones have seq 0.
      const entries = await r.calendars.subscriptionsChangedSince(principalOf(actor), -1);
      const changed = new Set<string>();
      const ids = entries.map((s) => s.calendarId);
      for (let after = sinceSeq; ;) {
        const records = (await r.changes.ofCalendars(after, ids, LIST_OBJECTS, RECORDS_PER_READ)).filter((c) => c.seq <= current);
        for (const c of records) if (c.calendarId !== undefined && concernsList(c, actor)) changed.add(c.calendarId);
        if (records.length < RECORDS_PER_READ) break;
        after = records[records.length - 1].seq;
      }
      return { items: await this.listViews(r, actor, entries.filter((s) => changed.has(s.calendarId))), syncSeq: current };
    });
  }

  private async checkPosition(r: StoreReader, sinceSeq: number, current: number): Promise<void> {
    if (sinceSeq > current) throw new DomainError('sync_token_invalid', 'sync_token is unknown or expired', 'sync_token');
    assertSyncable(sinceSeq, await r.changes.prunedThrough());
  }

  /** Loads what the scanned rows are now and decides their answers (core/events/sync.ts). */
  private async answer(r: StoreReader, calendarId: string, scan: SyncScan): Promise<SyncItem[]> {
    const touched = scan.touched();
    if (touched.length === 0) return [];
    const uids = [...new Set(touched.map((t) => t.uid))];
    const wholeSeries = new Set(touched.filter((t) => t.seriesDeleted || !t.eventId.endsWith('_0')).map((t) => t.uid));
    const masters = await r.events.mastersOf(uids);
    const exceptions = wholeSeries.size > 0 ? await r.events.exceptionsOf([...wholeSeries]) : [];
    const byId = new Map<string, CalendarEvent>();
    const seriesOf = new Map<string, CalendarEvent[]>();
    for (const e of [...masters, ...exceptions]) {
      byId.set(`${e.uid}_${e.originalStart}`, e);
      seriesOf.set(e.uid, [...(seriesOf.get(e.uid) ?? []), e]);
    }
    const shows = new Map<string, boolean>();
    for (const uid of uids) {
      const master = byId.get(`${uid}_0`);
      // The organizer's calendar holds the event: only an attendee's calendar needs the membership read.
      shows.set(uid, master?.calendarId === calendarId || await r.events.isInCalendar(calendarId, uid));
    }
    return answerSync(touched, {
      byId,
      seriesOf: (uid) => (seriesOf.get(uid) ?? []).sort((a, b) => a.originalStart - b.originalStart),
      showsIn: (uid) => shows.get(uid) ?? false,
    });
  }

  /** Views as the event list gives them; a withdrawn event is seen as busy time whatever the caller's role. */
  private async views(r: StoreReader, actor: Actor, calendar: CalendarView, items: readonly SyncItem[]): Promise<EventView[]> {
    if (items.length === 0) return [];
    const uids = [...new Set(items.map((i) => i.event.uid))];
    const state = await r.events.viewerState(uids, principalOf(actor), actor.kind === 'user' ? `u:${actor.userId}` : undefined);
    const personal = new Map(state.personal.map((p) => [p.uid, p]));
    const mine = new Map<string, Attendee[]>();
    if (actor.kind === 'user') for (const a of state.attendees) mine.set(a.uid, [...(mine.get(a.uid) ?? []), a]);
    return items.map(({ event, withdrawn }) => {
      const side = event.calendarId === calendar.calendar.calendarId ? 'organizer' as const : 'attendee' as const;
      // Their own invitation: a direct one first, else the one they have as a member of an invited chat.
      const own = mine.get(event.uid) ?? [];
      const self = own.find((a) => !a.viaChat) ?? own[0];
      const detail = withdrawn ? 'busy' as const : detailFor(calendar.role, event, side);
      return { event, calendar, side, detail, personal: personal.get(event.uid), self };
    });
  }

  /** List entries as sync reports them (core/access.ts `asListed`): one left reports as deleted. */
  private async listViews(r: StoreReader, actor: Actor, entries: readonly Subscription[]): Promise<CalendarView[]> {
    const calendars = new Map((await r.calendars.calendars(entries.map((s) => s.calendarId))).map((c) => [c.calendarId, c]));
    const out: CalendarView[] = [];
    for (const s of entries) {
      const calendar = calendars.get(s.calendarId);
      if (!calendar) continue;
      const acl = actor.kind === 'user' ? await r.calendars.acl(calendar.calendarId, actor.userId) : undefined;
      const role = roleOn(actor, calendar, acl);
      out.push({ calendar: asListed(calendar, role, s.active), role, subscription: s });
    }
    return out;
  }
}

/**
 * Whether a record changes the caller's list: any change of a calendar on it or of its sharing; a
 * list entry's change only when it is the caller's own (a user's records name them in the audience).
 */
function concernsList(c: ChangeRecord, actor: Actor): boolean {
  if (c.object !== 'subscription') return true;
  return actor.kind === 'user' ? c.audience.includes(actor.userId) : c.userId === undefined && c.appId === actor.appId;
}
