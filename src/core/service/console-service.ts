import { DomainError } from '../errors.js';
import { ReadBudget } from '../events/read-budget.js';
import type { Occurrence } from '../events/series.js';
import type { App, Calendar, Room, Tenant, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';
import { occurrencesInWindow } from './occurrence-window.js';

/** The most of each kind the console's directory shows; a seed larger than this is shown in part. */
export const DIRECTORY_LIMITS = { tenants: 100, users: 500, apps: 100, rooms: 200 } as const;

/** A tenant as the sandbox console shows it: everyone in it and the calendars each owns. */
export interface TenantOverview {
  readonly tenant: Tenant;
  readonly users: ReadonlyArray<{ readonly user: User; readonly calendars: readonly Calendar[] }>;
  readonly apps: ReadonlyArray<{ readonly app: App; readonly calendars: readonly Calendar[] }>;
  readonly rooms: ReadonlyArray<{ readonly room: Room; readonly calendars: readonly Calendar[] }>;
}

export interface CalendarWindow {
  readonly calendar: Calendar;
  readonly occurrences: readonly Occurrence[];
  /** More occurrences meet the window than `limit`, or a series was too costly to expand in full. */
  readonly truncated: boolean;
}

/**
 * What the sandbox console reads: the directory and any calendar's occurrences, as an administrator
 * sees them (no caller, no access check: the admin gate in front of the console is the check).
 */
export class ConsoleService {
  constructor(private readonly deps: CoreDeps) {}

  directory(): Promise<TenantOverview[]> {
    return this.deps.store.read(async (r) => {
      const live = async (owner: string) => (await r.calendars.calendarsOwnedBy(owner)).filter((c) => !c.isDeleted);
      const out: TenantOverview[] = [];
      for (const tenant of await r.directory.tenants(DIRECTORY_LIMITS.tenants)) {
        const users = [];
        for (const user of await r.directory.usersOfTenant(tenant.key, DIRECTORY_LIMITS.users)) users.push({ user, calendars: await live(`u:${user.id}`) });
        const apps = [];
        for (const app of await r.directory.appsOfTenant(tenant.key, DIRECTORY_LIMITS.apps)) apps.push({ app, calendars: await live(`a:${app.appId}`) });
        const rooms = [];
        for (const room of await r.directory.roomsOfTenant(tenant.key, DIRECTORY_LIMITS.rooms)) rooms.push({ room, calendars: await live(`r:${room.roomId}`) });
        out.push({ tenant, users, apps, rooms });
      }
      return out;
    });
  }

  /**
   * A calendar's occurrences meeting [from, to) (Unix seconds): single events, series expanded,
   * exceptions in place of the instances they replace, cancelled occurrences left out; the first
   * `limit` by start.
   */
  calendarWindow(calendarId: string, from: number, to: number, limit: number): Promise<CalendarWindow> {
    if (!(to > from)) throw new DomainError('invalid_argument', 'end must be after start', 'end');
    return this.deps.store.read(async (r) => {
      const calendar = await r.calendars.calendar(calendarId);
      if (!calendar) throw new DomainError('calendar_not_found', `no calendar ${calendarId}`, 'calendar_id');
      const budget = new ReadBudget();
      const found = await occurrencesInWindow(r, calendarId, { from, to, limit, budget });
      return { calendar, occurrences: found.slice(0, limit), truncated: found.length > limit || budget.exhausted };
    });
  }
}
