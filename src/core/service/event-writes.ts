import { atLeast, requireWritableType } from '../access.js';
import { DomainError, invalidArgument } from '../errors.js';
import { detailFor } from '../events/access.js';
import { checkCheckIn, checkRecurrence, checkRecurrenceCost, checkVchat, PERSONAL_FIELDS } from '../events/rules.js';
import { eventRange } from '../events/series.js';
import { checkTimeRange, epochOf } from '../events/time.js';
import type {
  Attachment, AttendeeAbility, CalendarEvent, EventCheckIn, EventLocation, EventSchema, EventTime, FreeBusy,
  PersonalView, Reminder, Vchat, Visibility,
} from '../events/types.js';
import { parseEventId } from '../events/types.js';
import type { StoreReader, StoreWriter } from '../ports.js';
import type { Actor, Role } from '../types.js';
import { principalOf } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import type { EventReads, EventView } from './event-reads.js';

/** The total size attachments of one event may reach. */
export const ATTACHMENT_LIMIT_BYTES = 25 * 1024 * 1024;

/** Editable event fields in domain terms; a field left undefined is not changed. */
export interface EventInput {
  readonly summary?: string;
  readonly description?: string;
  /** Both or neither: a lone start or end is ignored, as Feishu does, unless `timesApplyAlone`. */
  readonly start?: EventTime;
  readonly end?: EventTime;
  /**
   * A lone start or end applies, the other kept from the event as it stands under the write lock
   * (DingTalk's PUT): filling it in from an earlier read would lose a concurrent change.
   */
  readonly timesApplyAlone?: boolean;
  readonly vchat?: Vchat | null;
  readonly visibility?: Visibility;
  readonly attendeeAbility?: AttendeeAbility;
  readonly freeBusyStatus?: FreeBusy;
  readonly location?: EventLocation | null;
  readonly color?: number;
  readonly reminders?: readonly Reminder[];
  readonly recurrence?: string;
  readonly schemas?: readonly EventSchema[];
  /** Attachments to add (by token) and to remove. */
  readonly attachments?: { readonly add: readonly string[]; readonly remove: readonly string[] };
  readonly checkIn?: EventCheckIn | null;
  readonly source?: string;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

const nowSeconds = (deps: CoreDeps) => Math.floor(deps.clock.now() / 1000);

/** Writing events: create, patch (an instance becomes an exception), delete, personal views. */
export class EventWrites {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
    private readonly reads: EventReads,
  ) {}

  /** Creates an event on a calendar; the same idempotency key on the same calendar returns the first event. */
  create(actor: Actor, calendarId: string, input: EventInput, idempotencyKey?: string): Promise<EventView> {
    return this.deps.store.transact((w) => this.createIn(w, actor, calendarId, input, idempotencyKey));
  }

  /** `create` within the caller's transaction, so a dialect can write more in the same commit (DingTalk's invitations). */
  async createIn(w: StoreWriter, actor: Actor, calendarId: string, input: EventInput, idempotencyKey?: string): Promise<EventView> {
    const calendar = await this.calendars.view(w, actor, calendarId, 'writer');
    requireWritableType(calendar.calendar);
    const cid = calendar.calendar.calendarId;
    // A key is unique per app and calendar (reference §2.2): another app's same key is another event.
    const scopedKey = idempotencyKey ? `${actor.appId}:${idempotencyKey}` : undefined;
    if (scopedKey) {
      // Concurrent creates with one key queue here, so the second finds the first's event.
      await w.events.lockSeries(`idempotency:${cid}:${scopedKey}`);
      const first = await w.events.eventByIdempotencyKey(cid, scopedKey);
      if (first) return this.reads.viewOf(w, actor, calendar, first);
    }
    if (!input.start || !input.end) throw invalidArgument(!input.start ? 'start_time' : 'end_time', 'is required');
    const now = nowSeconds(this.deps);
    const organizerIsBot = calendar.calendar.owner.startsWith('a:');
    const draft: CalendarEvent = {
      uid: this.deps.ids.uuid(),
      originalStart: 0,
      calendarId: cid,
      tenantKey: actor.tenantKey,
      creator: principalOf(actor),
      summary: input.summary ?? '',
      description: input.description ?? '',
      start: input.start,
      end: input.end,
      vchat: this.withMeetingUrl(input.vchat ?? null),
      visibility: input.visibility ?? 'default',
      attendeeAbility: input.attendeeAbility ?? 'none',
      freeBusyStatus: input.freeBusyStatus ?? 'busy',
      location: input.location ?? null,
      recurrence: input.recurrence ?? '',
      schemas: input.schemas ?? [],
      attachments: await this.attachments(w, actor, [], input.attachments),
      checkIn: input.checkIn ?? null,
      source: input.source ?? '',
      status: 'confirmed',
      recurringEventId: '',
      color: input.color ?? -1,
      reminders: input.reminders ?? [],
      createTime: now,
      updateTime: now,
      seq: 0,
      idempotencyKey: scopedKey ?? null,
      extensions: input.extensions ?? {},
    };
    this.check(draft, { organizerIsBot, callerIsOrganizer: true });
    // The sequence number last, just before the writes: on PostgreSQL taking it locks the change_seq
    // row until commit, and every other writer queues on that row.
    const event: CalendarEvent = { ...draft, seq: await w.calendars.nextSeq() };
    await w.events.putEvent(event, eventRange(event));
    // The creator's colour and reminders are theirs alone.
    let personal: PersonalView | undefined;
    if (input.color !== undefined || input.reminders !== undefined) {
      personal = { uid: event.uid, principal: principalOf(actor), color: input.color, reminders: input.reminders };
      await w.events.putPersonalView(personal);
    }
    // A new event has no invitations and no personal view but the one just written: nothing to read.
    return { event, calendar, side: 'organizer', detail: detailFor(calendar.role, event, 'organizer'), personal, self: undefined };
  }

  /** Applies only the fields sent; personal fields go to the caller's own view. */
  patch(actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    return this.deps.store.transact((w) => this.patchIn(w, actor, calendarId, eventId, input));
  }

  /** `patch` within the caller's transaction; it locks the series first, for the rest of that transaction. */
  async patchIn(w: StoreWriter, actor: Actor, calendarId: string, eventId: string, input: EventInput): Promise<EventView> {
    const ids = parseEventId(eventId);
    if (ids) await w.events.lockSeries(ids.uid);
    const view = await this.reads.load(w, actor, calendarId, eventId, 'writer');
    requireWritableType(view.calendar.calendar);
    const { event } = view;
    const shared = this.sharedChanges(input);
    if (shared.length > 0 && view.side === 'attendee' && event.attendeeAbility !== 'can_modify_event') {
      throw new DomainError('no_event_permission', `an attendee may change only ${PERSONAL_FIELDS.join(', ')}; not ${shared.join(', ')}`, shared[0]);
    }
    let next = event;
    if (shared.length > 0) {
      const timesTogether = input.start !== undefined && input.end !== undefined;
      const timesApply = timesTogether || input.timesApplyAlone === true;
      next = {
        ...event,
        summary: input.summary ?? event.summary,
        description: input.description ?? event.description,
        start: timesApply ? input.start ?? event.start : event.start,
        end: timesApply ? input.end ?? event.end : event.end,
        vchat: input.vchat !== undefined ? this.withMeetingUrl(input.vchat, event.vchat) : event.vchat,
        attendeeAbility: input.attendeeAbility ?? event.attendeeAbility,
        location: input.location !== undefined ? input.location : event.location,
        recurrence: input.recurrence !== undefined && event.originalStart === 0 ? input.recurrence : event.recurrence,
        schemas: input.schemas ?? event.schemas,
        attachments: input.attachments ? await this.attachments(w, actor, event.attachments, input.attachments) : event.attachments,
        checkIn: input.checkIn !== undefined ? input.checkIn : event.checkIn,
        source: input.source ?? event.source,
        extensions: input.extensions ? { ...event.extensions, ...input.extensions } : event.extensions,
        updateTime: nowSeconds(this.deps),
      };
      const organizerCalendar = view.side === 'organizer' ? view.calendar.calendar : await w.calendars.calendar(event.calendarId);
      // The rule's cost is checked when a rule or start is written, not on every patch of an old series.
      const ruleWritten = next.recurrence !== event.recurrence || JSON.stringify(next.start) !== JSON.stringify(event.start);
      this.check(next, { organizerIsBot: organizerCalendar?.owner.startsWith('a:') ?? false, callerIsOrganizer: view.side === 'organizer' }, input.vchat !== undefined, ruleWritten);
      // The sequence number just before the writes (see createIn).
      next = { ...next, seq: await w.calendars.nextSeq() };
      // Patching an instance makes it an exception: a row of its own that keeps the instance's id.
      await w.events.putEvent(next, eventRange(next));
      const seriesChanged = event.originalStart === 0 && event.recurrence !== ''
        && (next.recurrence !== event.recurrence || JSON.stringify([next.start, next.end]) !== JSON.stringify([event.start, event.end]));
      if (seriesChanged) await this.detachExceptions(w, event.uid, next.seq);
    }
    let personal = view.personal;
    if (input.visibility !== undefined || input.freeBusyStatus !== undefined || input.color !== undefined || input.reminders !== undefined) {
      const base: PersonalView = personal ?? { uid: event.uid, principal: principalOf(actor) };
      personal = {
        ...base,
        ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
        ...(input.freeBusyStatus !== undefined ? { freeBusyStatus: input.freeBusyStatus } : {}),
        ...(input.color !== undefined ? { color: input.color } : {}),
        ...(input.reminders !== undefined ? { reminders: input.reminders } : {}),
      };
      await w.events.putPersonalView(personal);
      if (shared.length === 0) {
        // A personal change is still a change of this caller's calendar, for incremental sync;
        // on a plain instance it touches the series, which holds the personal view.
        const touched = view.occurrence === 'instance' ? await w.events.event(`${event.uid}_0`) : event;
        if (touched) {
          const bumped = { ...touched, seq: await w.calendars.nextSeq() };
          await w.events.putEvent(bumped, eventRange(bumped));
          if (view.occurrence !== 'instance') next = bumped;
        }
      }
    }
    const occurrence = view.occurrence === 'instance' && shared.length > 0 ? 'exception' : view.occurrence;
    return { ...view, event: next, personal, ...(occurrence ? { occurrence } : {}) };
  }

  /**
   * The organizer's side deletes the event for everyone (a series with its exceptions); an attendee's
   * side removes it from that attendee's calendar only.
   */
  delete(actor: Actor, calendarId: string, eventId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const ids = parseEventId(eventId);
      if (ids) await w.events.lockSeries(ids.uid);
      const view = await this.reads.load(w, actor, calendarId, eventId, 'writer');
      requireWritableType(view.calendar.calendar);
      const seq = await w.calendars.nextSeq();
      const now = nowSeconds(this.deps);
      if (view.side === 'organizer') {
        // A series goes with its exceptions; an occurrence becomes a cancelled exception.
        const rows = view.event.originalStart === 0 ? await w.events.series(view.event.uid) : [view.event];
        for (const e of rows) {
          const cancelled = { ...e, status: 'cancelled' as const, seq, updateTime: now };
          await w.events.putEvent(cancelled, eventRange(cancelled));
        }
        return;
      }
      const cid = view.calendar.calendar.calendarId;
      for (const a of await w.events.attendees(view.event.uid)) {
        if (a.calendarId === cid) await w.events.putAttendee({ ...a, rsvp: 'removed', seq });
      }
      const touched = { ...view.event, seq };
      await w.events.putEvent(touched, eventRange(touched));
      // This calendar's sync reports the event as withdrawn, as when the organizer removes the invitation.
      await w.events.putRemoval({ calendarId: cid, uid: view.event.uid, seq });
    });
  }

  /** After a series' rule or times change, its exceptions no longer match it: they are cancelled and detached. */
  private async detachExceptions(w: StoreWriter, uid: string, seq: number): Promise<void> {
    for (const e of await w.events.exceptionsOf([uid])) {
      const detached = { ...e, status: 'cancelled' as const, seq, extensions: { ...e.extensions, detached: true } };
      await w.events.putEvent(detached, eventRange(detached));
    }
  }

  /** Names the shared (non-personal) fields an input changes. */
  private sharedChanges(input: EventInput): string[] {
    const fields: Array<[string, unknown]> = [
      ['summary', input.summary], ['description', input.description],
      ['start_time', (input.start !== undefined && input.end !== undefined) || (input.timesApplyAlone && (input.start ?? input.end)) ? input.start ?? input.end : undefined],
      ['vchat', input.vchat], ['attendee_ability', input.attendeeAbility], ['location', input.location],
      ['recurrence', input.recurrence], ['schemas', input.schemas], ['attachments', input.attachments],
      ['event_check_in', input.checkIn], ['source', input.source], ['extensions', input.extensions],
    ];
    return fields.filter(([, v]) => v !== undefined).map(([k]) => k);
  }

  /** Checks an event about to be saved; meeting settings only when the caller sent a vchat (not the organizer's stored one). */
  private check(e: CalendarEvent, meeting: { organizerIsBot: boolean; callerIsOrganizer: boolean }, vchatSent = true, ruleWritten = true): void {
    checkTimeRange(e.start, e.end);
    checkRecurrence(e.recurrence);
    if (ruleWritten) checkRecurrenceCost(e.recurrence, e.start);
    if (vchatSent) checkVchat(e.vchat, meeting);
    checkCheckIn(e.checkIn, epochOf(e.end) - epochOf(e.start));
  }

  /** A Feishu VC meeting gets its url (and keeps it across edits). */
  private withMeetingUrl(vchat: Vchat | null, previous?: Vchat | null): Vchat | null {
    if (!vchat || vchat.vcType !== 'vc') return vchat;
    const digits = this.deps.ids.uuid().replace(/\D/g, '').padEnd(9, '0').slice(0, 9);
    const url = previous?.vcType === 'vc' && previous.meetingUrl ? previous.meetingUrl : `https://vc.feishu.cn/j/${digits}`;
    return { ...vchat, meetingUrl: url };
  }

  /** Resolves attachment tokens: the caller's tenant's files only, 25 MB in all. */
  private async attachments(r: StoreReader, actor: Actor, current: readonly Attachment[], change?: { add: readonly string[]; remove: readonly string[] }): Promise<Attachment[]> {
    if (!change) return [...current];
    const remove = new Set(change.remove);
    const out = current.filter((a) => !remove.has(a.fileToken));
    for (const [i, token] of change.add.entries()) {
      if (out.some((a) => a.fileToken === token)) continue;
      const file = await r.directory.file(actor.tenantKey, token);
      if (!file) {
        const elsewhere = await r.directory.fileInAnyTenant(token);
        throw new DomainError(elsewhere ? 'attachment_forbidden' : 'attachment_invalid',
          elsewhere ? `no permission to access attachment file token ${token}` : `invalid attachment file token ${token}`, `attachments[${i}].file_token`);
      }
      out.push({ fileToken: file.fileToken, name: file.name, size: file.size });
    }
    const total = out.reduce((sum, a) => sum + a.size, 0);
    if (total > ATTACHMENT_LIMIT_BYTES) {
      throw new DomainError('attachment_too_large', `attachments total ${total} bytes, over the 25 MB limit`, 'attachments');
    }
    return out;
  }

  /** Whether the caller may write on the calendar at all (used by attendee operations). */
  static canWrite(role: Role): boolean {
    return atLeast(role, 'writer');
  }
}
