import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { CalendarEvent } from '../core/events/types.js';
import type { EventReadBundle, EventReadQuery } from '../core/ports.js';
import type { CalendarWithCallerRow } from './calendar-store.js';
import { CALENDAR_WITH_CALLER_WIDTH, calendarWithCallerById, primaryCalendarWithCaller, toCalendarAccess } from './calendar-store.js';
import { compiledStatement } from './compiled.js';
import { viewerStateFrom } from './viewer-rows.js';
import type { Database } from './schema/index.js';

type BundleRow = { kind: 'c' | 'e' | 'p' | 'a'; uid: string | null; attendee_id: string | null; match_key: string | null; data: string | null } & CalendarWithCallerRow;

/** The calendar's columns, as nulls in the rows that are not the calendar. */
const NO_CALENDAR = sql.raw(Array<string>(CALENDAR_WITH_CALLER_WIDTH).fill('null').join(', '));
/** The event row and the caller's personal view of it. */
const eventRows = (principal: string, eventId: string, uid: string) => [
  sql<BundleRow>`select ${NO_CALENDAR}, 'e', null, null, null, data from events where event_id = ${eventId}`,
  sql<BundleRow>`select ${NO_CALENDAR}, 'p', uid, null, null, data from event_personal_views where principal = ${principal} and uid = ${uid}`,
];
const attendeeRows = sql`select ${NO_CALENDAR}, 'a', uid, attendee_id, match_key, data from event_attendees`;

type CalendarPick = typeof calendarWithCallerById;
/** The calendar row of the bundle: `calendarWithCaller`'s columns, then the bundle's own. */
const calendarRow = (pick: CalendarPick, db: Kysely<Database>, principal: string, userId: string, calendarIdOrOwner: string) =>
  pick(db, principal, userId, calendarIdOrOwner).select([
    sql<BundleRow['kind']>`'c'`.as('kind'), sql<string | null>`null`.as('uid'), sql<string | null>`null`.as('attendee_id'),
    sql<string | null>`null`.as('match_key'), sql<string | null>`null`.as('data'),
  ]);

/**
 * Reading one event: the calendar with the caller's ACL and subscription, the event row, the caller's
 * personal view and attendee entries (the caller's own, or for a write every attendee of the event),
 * as one UNION ALL of rows of one shape (the kind column says which). One statement is one snapshot on
 * both databases, so a read needs no BEGIN/COMMIT: three round trips fewer per event read on
 * PostgreSQL than the same reads in a snapshot; a write, inside its transaction, saves two. The
 * calendar is named by its id, or (`primary` in a path) is the caller's primary calendar. Four
 * statements, one per calendar condition and attendee set, so each is compiled (and on PostgreSQL
 * prepared) once.
 */
const ownRead = (pick: CalendarPick) =>
  compiledStatement((db, principal: string, userId: string, calendarIdOrOwner: string, eventId: string, uid: string, matchKey: string) =>
    calendarRow(pick, db, principal, userId, calendarIdOrOwner).unionAll([
      ...eventRows(principal, eventId, uid),
      sql<BundleRow>`${attendeeRows} where match_key = ${matchKey} and uid = ${uid}`,
    ]));
const everyRead = (pick: CalendarPick) =>
  compiledStatement((db, principal: string, userId: string, calendarIdOrOwner: string, eventId: string, uid: string) =>
    calendarRow(pick, db, principal, userId, calendarIdOrOwner).unionAll([
      ...eventRows(principal, eventId, uid),
      sql<BundleRow>`${attendeeRows} where uid = ${uid}`,
    ]));
const readById = ownRead(calendarWithCallerById);
const readOfPrimary = ownRead(primaryCalendarWithCaller);
const readEveryById = everyRead(calendarWithCallerById);
const readEveryOfPrimary = everyRead(primaryCalendarWithCaller);

/** No attendee has this match key (every key has a `<type>:` prefix): an app reads no own attendee entries. */
const NO_MATCH = '';

export async function eventRead(db: Kysely<Database>, q: EventReadQuery): Promise<EventReadBundle> {
  const calendar = q.calendarId ?? q.principal;
  const primary = q.calendarId === undefined;
  const userId = q.userId ?? '';
  const rows = q.everyAttendee
    ? await (primary ? readEveryOfPrimary : readEveryById)(db, q.principal, userId, calendar, q.eventId, q.uid)
    : await (primary ? readOfPrimary : readById)(db, q.principal, userId, calendar, q.eventId, q.uid, q.matchKey ?? NO_MATCH);
  let access: EventReadBundle['access'];
  let event: CalendarEvent | undefined;
  const viewerRows: BundleRow[] = [];
  for (const r of rows) {
    if (r.kind === 'c') access = toCalendarAccess(r);
    else if (r.kind === 'e') event = JSON.parse(r.data!) as CalendarEvent;
    else viewerRows.push(r);
  }
  return { access, event, viewer: viewerStateFrom(viewerRows, q.matchKey, q.everyAttendee === true) };
}
