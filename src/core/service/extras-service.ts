import { DomainError } from '../errors.js';
import { decideEventDelete } from '../events/decide-event.js';
import { homeOf } from '../events/records.js';
import { eventRange } from '../events/series.js';
import type { CalendarEvent } from '../events/types.js';
import { parseEventId } from '../events/types.js';
import {
  decideExchangeBinding, decideMeetingChat, decideMeetingChatUnbind, decideMeetingMinute, decideTimeoff,
  exchangeRecord, requireExchangeBinding, requireTimeoffOwner, timeoffDeletedRecord,
} from '../extras.js';
import type { ExchangeBinding, MeetingContext, MeetingMinute, TimeoffEvent, TimeoffInput } from '../extras.js';
import type { ChangeDraft } from '../changes.js';
import type { StoreWriter } from '../ports.js';
import type { Actor } from '../types.js';
import type { CoreDeps } from './calendar-service.js';
import type { EventService } from './event-service.js';

export type { ExchangeBinding, MeetingChat, MeetingMinute, TimeoffEvent, TimeoffInput } from '../extras.js';

const nowSeconds = (deps: CoreDeps) => Math.floor(deps.clock.now() / 1000);

/** What an event has beside itself: its meeting chat (with its link) and minutes document. */
export interface MeetingLinks {
  readonly chat?: { readonly chatId: string; readonly link: string };
  readonly docUrl?: string;
}

/**
 * Time off, meeting chats and minutes, Exchange bindings: each write is load → the pure decision in
 * core/extras.ts → save, with its change records, in one transaction.
 */
export class ExtrasService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly events: EventService,
  ) {}

  /** Leave for a user of the app's tenant, shown as a busy event on the user's primary calendar. */
  createTimeoff(actor: Actor, input: TimeoffInput): Promise<TimeoffEvent> {
    return this.deps.store.transact(async (w) => {
      const user = await w.directory.user(input.userId);
      if (!user || user.tenantKey !== actor.tenantKey) throw new DomainError('user_not_found', `user_id: no user ${input.userId} in this tenant`, 'user_id');
      const primary = await w.calendars.primaryCalendar(`u:${user.id}`);
      if (!primary) throw new DomainError('calendar_not_found', 'the user has no primary calendar');
      const decided = decideTimeoff({ actor, primary, input, uid: this.deps.ids.uuid(), timeoffEventId: this.deps.ids.timeoffEventId(), now: nowSeconds(this.deps) });
      const seq = await this.saveRows(w, decided.rows, decided.changes);
      const timeoff = { ...decided.timeoff, seq };
      await w.extras.putTimeoff(timeoff);
      return timeoff;
    });
  }

  /** Deletes the app's own time-off event, and the event it shows as (unless its user deleted that already). */
  deleteTimeoff(actor: Actor, timeoffEventId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const timeoff = requireTimeoffOwner(actor, await w.extras.timeoff(actor.tenantKey, timeoffEventId), timeoffEventId);
      await w.events.lockSeries(timeoff.uid);
      const series = await w.events.series(timeoff.uid);
      const master = series.find((e) => e.originalStart === 0);
      const calendar = await w.calendars.calendar(timeoff.calendarId);
      const records: ChangeDraft[] = [timeoffDeletedRecord(actor, timeoff)];
      let rows: CalendarEvent[] = [];
      if (master && master.status !== 'cancelled') {
        const decided = decideEventDelete({
          actor, event: master, side: 'organizer', calendarId: timeoff.calendarId, series, home: homeOf(timeoff.calendarId, calendar?.owner),
          attendees: await w.events.attendees(timeoff.uid), now: nowSeconds(this.deps),
        });
        rows = [...decided.rows];
        records.unshift(...decided.changes);
      }
      await w.extras.deleteTimeoff(actor.tenantKey, timeoffEventId);
      await this.saveRows(w, rows, records);
    });
  }

  /** Makes the event's meeting chat, its members the event's users; answers the chat's id and link. */
  createMeetingChat(actor: Actor, calendarId: string, eventId: string): Promise<{ chatId: string; link: string }> {
    return this.deps.store.transact(async (w) => {
      const c = await this.meetingContext(w, actor, calendarId, eventId);
      const decided = decideMeetingChat({ ...c, existing: await w.extras.meetingChat(c.event.uid), chatId: this.deps.ids.chatId() });
      const seq = await this.saveRows(w, [], decided.changes);
      await w.directory.putChat(decided.chat);
      await w.extras.putMeetingChat({ ...decided.binding, seq });
      return { chatId: decided.chat.chatId, link: this.deps.ids.chatLink(decided.chat.chatId) };
    });
  }

  /** Unbinds the event's meeting chat; the chat itself stays, with its members. */
  deleteMeetingChat(actor: Actor, calendarId: string, eventId: string, chatId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const c = await this.meetingContext(w, actor, calendarId, eventId);
      const changes = decideMeetingChatUnbind({ ...c, existing: await w.extras.meetingChat(c.event.uid), chatId });
      await w.extras.deleteMeetingChat(c.event.uid);
      await this.saveRows(w, [], changes);
    });
  }

  /** The event's minutes document: made on the first call, the same one after. */
  createMeetingMinute(actor: Actor, calendarId: string, eventId: string): Promise<MeetingMinute> {
    return this.deps.store.transact(async (w) => {
      const c = await this.meetingContext(w, actor, calendarId, eventId);
      const decided = decideMeetingMinute({ ...c, existing: await w.extras.meetingMinute(c.event.uid), docUrl: this.deps.ids.docUrl() });
      if (decided.changes.length === 0) return decided.minute;
      const seq = await this.saveRows(w, [], decided.changes);
      const minute = { ...decided.minute, seq };
      await w.extras.putMeetingMinute(minute);
      return minute;
    });
  }

  /** The meeting chat and minutes of an event the caller can see (for the event's read): one statement, no snapshot. */
  async meetingLinks(uid: string): Promise<MeetingLinks> {
    const { chatId, docUrl } = await this.deps.store.lookup((r) => r.extras.meetingLinks(uid));
    return {
      ...(chatId ? { chat: { chatId, link: this.deps.ids.chatLink(chatId) } } : {}),
      ...(docUrl ? { docUrl } : {}),
    };
  }

  /** Binds an Exchange account to a user of the caller's tenant; the status answers where its import stands. */
  bindExchange(actor: Actor, input: { adminAccount: string; exchangeAccount: string; userId: string }): Promise<ExchangeBinding> {
    return this.deps.store.transact(async (w) => {
      const user = await w.directory.user(input.userId);
      if (!user || user.tenantKey !== actor.tenantKey) throw new DomainError('user_not_found', `user_id: no user ${input.userId} in this tenant`, 'user_id');
      const key = input.exchangeAccount.toLowerCase();
      await w.events.lockSeries(`exchange:${actor.tenantKey}:${key}`);
      const decided = decideExchangeBinding({
        actor, ...input, existing: await w.extras.exchangeBindingOf(actor.tenantKey, key),
        bindingId: this.deps.ids.exchangeBindingId(input.adminAccount, input.exchangeAccount), now: nowSeconds(this.deps),
      });
      if (decided.changes.length === 0) return decided.binding;
      const seq = await this.saveRows(w, [], decided.changes);
      const binding = { ...decided.binding, seq };
      await w.extras.putExchangeBinding(binding);
      return binding;
    });
  }

  exchangeBinding(actor: Actor, bindingId: string): Promise<ExchangeBinding> {
    return this.deps.store.read(async (r) => requireExchangeBinding(actor, await r.extras.exchangeBinding(actor.tenantKey, bindingId), bindingId));
  }

  unbindExchange(actor: Actor, bindingId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const binding = requireExchangeBinding(actor, await w.extras.exchangeBinding(actor.tenantKey, bindingId), bindingId);
      await w.extras.deleteExchangeBinding(actor.tenantKey, bindingId);
      await this.saveRows(w, [], [exchangeRecord(actor, binding, 'deleted')]);
    });
  }

  /** Locks the series and loads the event as the caller's calendar shows it, with writer rights. */
  private async meetingContext(w: StoreWriter, actor: Actor, calendarId: string, eventId: string): Promise<MeetingContext> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.events.reads.load(w, actor, calendarId, eventId, 'writer');
    return { actor, calendar: view.calendar.calendar, organizer: view.side === 'organizer', event: view.event, attendees: await w.events.attendees(view.event.uid) };
  }

  /** Saves rows and records under one new change sequence number; answers it. */
  private async saveRows(w: StoreWriter, rows: readonly CalendarEvent[], changes: readonly ChangeDraft[]): Promise<number> {
    const seq = await w.calendars.nextSeq(changes.length);
    for (const e of rows) {
      const next = { ...e, seq };
      await w.events.putEvent(next, eventRange(next));
    }
    if (changes.length > 0) await w.changes.append(changes, this.deps.clock.now(), seq + 1);
    return seq;
  }
}
