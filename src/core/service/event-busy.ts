import { DomainError, invalidArgument } from '../errors.js';
import { atMostIntervals, BUSY_ANSWER_MAX } from '../events/busy.js';
import type { BusyInterval } from '../events/busy.js';
import { ReadBudget } from '../events/read-budget.js';
import { epochOf } from '../events/time.js';
import type { Rsvp } from '../events/types.js';
import type { Actor } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import type { StoreReader } from '../ports.js';
import { occurrencesInWindow } from './occurrence-window.js';

export type { BusyInterval } from '../events/busy.js';

/** Busy time of users and rooms. */
export class EventBusy {
  constructor(private readonly deps: CoreDeps, private readonly calendars: CalendarService) {}

  /**
   * Busy time of a user (their primary calendar) or a room (its resource calendar) in [from, to):
   * free events, cancelled occurrences and invitations the target declined are left out.
   * `options.budget` is the request's, shared when one request asks about several targets. A
   * series the budget cannot expand to the window's end is busy from where it got to until the
   * window's end (never shown free when it may be busy); the answer holds at most
   * `options.maxIntervals` intervals (see atMostIntervals).
   */
  busy(actor: Actor, target: { userId?: string; roomId?: string }, from: number, to: number, options: { budget?: ReadBudget; maxIntervals?: number } = {}): Promise<BusyInterval[]> {
    return this.deps.store.read(async (r) => {
      const owner = target.userId !== undefined ? `u:${target.userId}` : `r:${target.roomId}`;
      const calendar = (await r.calendars.calendarsOwnedBy(owner)).find((c) => c.type === (target.userId !== undefined ? 'primary' : 'resource'));
      if (!calendar || calendar.tenantKey !== actor.tenantKey) {
        if (target.userId !== undefined) throw new DomainError('user_not_found', 'no such user in this tenant', 'user_id');
        throw invalidArgument('room_id', `no room ${target.roomId} in this tenant`);
      }
      return busyOn(r, calendar.calendarId, owner, from, to, options);
    });
  }

  /**
   * Busy time of one calendar the caller may see at least busy time of (CalDAV free-busy-query),
   * computed as `busy` computes it, from the calendar owner's side.
   */
  calendarBusy(actor: Actor, calendarId: string, from: number, to: number, options: { budget?: ReadBudget; maxIntervals?: number } = {}): Promise<BusyInterval[]> {
    return this.deps.store.read(async (r) => {
      const { calendar } = await this.calendars.view(r, actor, calendarId);
      return busyOn(r, calendar.calendarId, calendar.owner, from, to, options);
    });
  }
}

/** Busy intervals on a calendar as its owner (`u:…`, `r:…`) has them. */
async function busyOn(r: StoreReader, calendarId: string, owner: string, from: number, to: number, options: { budget?: ReadBudget; maxIntervals?: number }): Promise<BusyInterval[]> {
  const budget = options.budget ?? new ReadBudget();
  const cutBefore = budget.cut.length;
  const found = await occurrencesInWindow(r, calendarId, { from, to, limit: 100_000, stopWhenOver: false, budget });
  const cut = budget.cut.slice(cutBefore);
  const uids = [...new Set([...found.map((o) => o.event.uid), ...cut.map((c) => c.master.uid)])];
  const declined = new Set<string>();
  const rsvps = new Map<string, Rsvp>();
  // What the target has of each event, as one read: their first entry (by attendee id) and their
  // own free/busy setting, which wins over the event's.
  const state = await r.events.viewerState(uids, owner, owner);
  for (const a of state.attendees) {
    if (rsvps.has(a.uid)) continue;
    if (a.rsvp === 'decline') declined.add(a.uid);
    rsvps.set(a.uid, a.rsvp);
  }
  const freeBusy = new Map(state.personal.map((p) => [p.uid, p.freeBusyStatus]));
  const out: BusyInterval[] = [];
  for (const o of found) {
    if (declined.has(o.event.uid)) continue;
    if ((freeBusy.get(o.event.uid) ?? o.event.freeBusyStatus) === 'free') continue;
    out.push({ start: epochOf(o.event.start), end: epochOf(o.event.end), rsvp: rsvps.get(o.event.uid) ?? 'accept' });
  }
  for (const { master, from: known } of cut) {
    if (declined.has(master.uid) || (freeBusy.get(master.uid) ?? master.freeBusyStatus) === 'free' || known >= to) continue;
    out.push({ start: known, end: to, rsvp: rsvps.get(master.uid) ?? 'accept' });
  }
  return atMostIntervals(out, options.maxIntervals ?? BUSY_ANSWER_MAX);
}
