import type { Attendee } from '../events/types.js';
import { eventIdOf } from '../events/types.js';
import type { UserIdType } from '../ports.js';
import type { App, Calendar, Room, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';

/** What an event response mentions besides the events: their attendees, calendars, and the users and apps behind them. */
export interface EventMentions {
  readonly attendees: readonly Attendee[];
  readonly calendars: readonly Calendar[];
  readonly users: readonly User[];
  readonly apps: readonly App[];
}

/**
 * The directory and attendee reads a dialect needs to map its wire ids in and its responses out,
 * each one read; permission checks are the services' (the events were loaded through them).
 */
export class EventLookups {
  constructor(private readonly deps: CoreDeps) {}

  /** Users of a tenant by wire ids of one kind, in order; undefined where none matches. */
  usersByExternalIds(tenantKey: string, type: UserIdType, values: readonly string[]): Promise<Array<User | undefined>> {
    return this.deps.store.read(async (r) => {
      const out: Array<User | undefined> = [];
      for (const value of values) out.push(value ? await r.directory.userByExternalId(tenantKey, type, value) : undefined);
      return out;
    });
  }

  /** Users by internal id (any that exist). */
  users(ids: readonly string[]): Promise<User[]> {
    const unique = [...new Set(ids)];
    return unique.length === 0 ? Promise.resolve([]) : this.deps.store.read((r) => r.directory.users(unique));
  }

  /** Rooms of a tenant by id, in order; undefined where none matches. */
  rooms(tenantKey: string, roomIds: readonly string[]): Promise<Array<Room | undefined>> {
    return this.deps.store.read(async (r) => {
      const out: Array<Room | undefined> = [];
      for (const id of roomIds) out.push(await r.directory.room(tenantKey, id));
      return out;
    });
  }

  /** Every attendee row of a series, members invited through chats included. */
  attendees(uid: string): Promise<Attendee[]> {
    return this.deps.store.read((r) => r.events.attendees(uid));
  }

  /** The attendees of these series and the organizer calendars with the users and apps that own them, in one read. */
  mentions(uids: readonly string[], calendarIds: readonly string[]): Promise<EventMentions> {
    return this.deps.store.read(async (r) => {
      const attendees = await r.events.attendeesOf([...new Set(uids)]);
      const calendars = await r.calendars.calendars([...new Set(calendarIds)]);
      const userIds = new Set<string>();
      for (const a of attendees) if (a.userId) userIds.add(a.userId);
      for (const c of calendars) if (c.owner.startsWith('u:')) userIds.add(c.owner.slice(2));
      const users = await r.directory.users([...userIds]);
      const apps: App[] = [];
      for (const c of calendars) {
        if (!c.owner.startsWith('a:')) continue;
        const app = await r.directory.app(c.owner.slice(2));
        if (app) apps.push(app);
      }
      return { attendees, calendars, users, apps };
    });
  }

  /**
   * DingTalk's ConvertLegacyEventId. An event's legacy id in rili is its uid: the id of the event (or
   * series) without the `_<original start>` suffix current ids carry, as the change log and an
   * iCalendar UID name it. Maps each legacy id the user may see (an event on their primary calendar,
   * as organizer or invitee) to the current id of the event or series (`<uid>_0`); others are left out.
   */
  convertLegacyIds(tenantKey: string, userId: string, legacyIds: readonly string[]): Promise<Map<string, string>> {
    return this.deps.store.read(async (r) => {
      const out = new Map<string, string>();
      const primary = await r.calendars.primaryCalendar(`u:${userId}`);
      if (!primary) return out;
      for (const legacy of new Set(legacyIds)) {
        if (legacy === '' || legacy.includes('_')) continue;
        const event = await r.events.event(`${legacy}_0`);
        if (!event || event.tenantKey !== tenantKey || event.status === 'cancelled') continue;
        if (event.calendarId !== primary.calendarId && !(await r.events.isInCalendar(primary.calendarId, event.uid))) continue;
        out.set(legacy, eventIdOf(event));
      }
      return out;
    });
  }
}
