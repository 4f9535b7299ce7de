import { sql } from 'kysely';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Attendee, CalendarEvent, PersonalView } from '../core/events/types.js';
import { attendeeKey } from '../core/events/attendees.js';
import { eventIdOf } from '../core/events/types.js';
import type { EventWriter } from '../core/ports.js';
import type { QuerySpecifics } from './database.js';
import { SHORT_SPAN_SECONDS } from './migrations/004-event-window-index.js';
import { eventWindowReads } from './event-window-reads.js';
import { LIKE_ESCAPE, containsIgnoringCase, equalsIgnoringCase } from './text-match.js';
import type { Database } from './schema/index.js';
import { compiledStatement } from './compiled.js';
import { eventRead } from './event-read.js';
import { viewerStateFrom } from './viewer-rows.js';
import type { ViewerRow } from './viewer-rows.js';

const toEvent = (r: { data: string }): CalendarEvent => JSON.parse(r.data) as CalendarEvent;
const toAttendee = (r: { data: string }): Attendee => JSON.parse(r.data) as Attendee;


/** The row that stores an event: indexed columns plus the whole event as JSON. */
export function eventRow(e: CalendarEvent, range: { start: number; end: number }) {
  return {
    event_id: eventIdOf(e), uid: e.uid, original_start: e.originalStart, calendar_id: e.calendarId, tenant_key: e.tenantKey,
    status: e.status, start_at: range.start, range_end: range.end, is_recurring: e.recurrence ? 1 : 0,
    long_span: e.recurrence || range.end - range.start > SHORT_SPAN_SECONDS ? 1 : 0, summary: e.summary,
    seq: e.seq, idempotency_key: e.idempotencyKey, data: JSON.stringify(e),
  };
}

// The statements of every event get and patch, compiled once (compiled.ts).
const eventById = compiledStatement((db, eventId: string) => db.selectFrom('events').select('data').where('event_id', '=', eventId));
const attendeesOfUid = compiledStatement((db, uid: string) => db.selectFrom('event_attendees').select('data').where('uid', '=', uid).orderBy('attendee_id'));
const personalViewsOf = compiledStatement((db, principal: string, uids: readonly string[]) => db.selectFrom('event_personal_views')
  .select([sql<string>`'p'`.as('kind'), 'uid', sql<string>`''`.as('attendee_id'), 'data'])
  .where('principal', '=', principal).where('uid', 'in', uids));
// Both tables in one statement: one round trip on PostgreSQL for every event read.
const viewerRowsOf = compiledStatement((db, principal: string, uids: readonly string[], matchKey: string) => db.selectFrom('event_personal_views')
  .select([sql<string>`'p'`.as('kind'), 'uid', sql<string>`''`.as('attendee_id'), 'data'])
  .where('principal', '=', principal).where('uid', 'in', uids)
  .unionAll(db.selectFrom('event_attendees')
    .select([sql<string>`'a'`.as('kind'), 'uid', 'attendee_id', 'data'])
    .where('match_key', '=', matchKey).where('uid', 'in', uids)));
// A write's load: every attendee of the events (with their match keys, the viewer's picked out here) in the same statement.
const viewerRowsWithEveryAttendeeOf = compiledStatement((db, principal: string, uids: readonly string[]) => db.selectFrom('event_personal_views')
  .select([sql<string>`'p'`.as('kind'), 'uid', sql<string>`''`.as('attendee_id'), sql<string>`''`.as('match_key'), 'data'])
  .where('principal', '=', principal).where('uid', 'in', uids)
  .unionAll(db.selectFrom('event_attendees')
    .select([sql<string>`'a'`.as('kind'), 'uid', 'attendee_id', 'match_key', 'data'])
    .where('uid', 'in', uids)));
type EventRow = ReturnType<typeof eventRow>;
type EventRowValues = [string, string, number, string, string, string, number, number, number, number, string, number, string | null, string];
const eventValues = (v: EventRowValues) => {
  const [event_id, uid, original_start, calendar_id, tenant_key, status, start_at, range_end, is_recurring, long_span, summary, seq, idempotency_key, data] = v;
  return { event_id, uid, original_start, calendar_id, tenant_key, status, start_at, range_end, is_recurring, long_span, summary, seq, idempotency_key, data };
};
/** The columns an event upsert may assign on conflict; the rest (ids, tenant, idempotency key) never change. */
const UPDATABLE = ['calendar_id', 'status', 'start_at', 'range_end', 'is_recurring', 'long_span', 'summary', 'seq', 'data'] as const;
/** Columns in indexes besides the primary key's that a narrower upsert leaves as stored. */
type IndexedColumn = 'calendar_id' | 'start_at' | 'long_span';

/**
 * An event upsert that, on conflict, assigns every updatable column but `kept`, and applies only where
 * the stored row has `kept` as the new one does; otherwise it returns no row.
 */
const eventUpsert = (kept: readonly IndexedColumn[]) => compiledStatement((db, ...v: EventRowValues) => {
  const row = eventValues(v);
  const assigned = UPDATABLE.filter((c) => !(kept as readonly string[]).includes(c));
  const set = Object.fromEntries(assigned.map((c) => [c, row[c]])) as Partial<typeof row>;
  return db.insertInto('events').values(row)
    .onConflict((oc) => {
      const update = oc.column('event_id').doUpdateSet(set);
      return kept.length === 0 ? update : update.where((eb) => eb.and(kept.map((c) => eb(`events.${c}`, '=', eb.ref(`excluded.${c}`)))));
    })
    .returning('event_id');
});
// Where an UPDATE rewrites every index holding a column it assigns, same value or not (SQLite), a
// write assigns calendar_id, start_at and long_span only when they changed: a summary PATCH rewrote
// four index pages more. The narrower upserts take a row only if those columns are as stored, and
// return nothing otherwise, so the next one down takes it.
const upsertEventInPlace = eventUpsert(['calendar_id', 'start_at', 'long_span']);
const upsertEventOnCalendar = eventUpsert(['calendar_id']);
// Any write; calendar_id too: a transfer moves a series to its new organizer's calendar.
const upsertEventAnywhere = eventUpsert([]);
const eventRowValues = (r: EventRow): EventRowValues => [r.event_id, r.uid, r.original_start, r.calendar_id, r.tenant_key, r.status,
  r.start_at, r.range_end, r.is_recurring, r.long_span, r.summary, r.seq, r.idempotency_key, r.data];

/** The event port over Kysely; `db` is a transaction when writing. */
export function eventStore(db: Kysely<Database>, specifics: QuerySpecifics): EventWriter {
  return {
    async event(eventId) {
      const [r] = await eventById(db, eventId);
      return r && toEvent(r);
    },
    eventRead: (query) => eventRead(db, query),
    async series(uid) {
      const rows = await db.selectFrom('events').select('data').where('uid', '=', uid).orderBy('original_start').execute();
      return rows.map(toEvent);
    },
    async exceptionsOf(uids, originalStarts) {
      const out: CalendarEvent[] = [];
      // Chunked: both databases cap the number of bound parameters.
      for (let i = 0; i < uids.length; i += 500) {
        let q = db.selectFrom('events').select('data').where('uid', 'in', uids.slice(i, i + 500)).where('original_start', '>', 0);
        if (originalStarts) q = q.where('original_start', '>=', originalStarts.from).where('original_start', '<', originalStarts.to);
        out.push(...(await q.execute()).map(toEvent));
      }
      return out;
    },
    async mastersOf(uids) {
      const out: CalendarEvent[] = [];
      for (let i = 0; i < uids.length; i += 500) {
        const rows = await db.selectFrom('events').select('data').where('uid', 'in', uids.slice(i, i + 500)).where('original_start', '=', 0).execute();
        out.push(...rows.map(toEvent));
      }
      return out;
    },
    async eventByIdempotencyKey(calendarId, key) {
      const r = await db.selectFrom('events').select('data')
        .where('calendar_id', '=', calendarId).where('idempotency_key', '=', key).executeTakeFirst();
      return r && toEvent(r);
    },
    async isInCalendar(calendarId, uid) {
      // The series' master row names its organizer calendar. The calendar is compared here, not in SQL:
      // with it in the WHERE, SQLite walked the calendar's whole (calendar_id, seq) index instead of the uid index.
      const master = await db.selectFrom('events').select('calendar_id').where('uid', '=', uid).where('original_start', '=', 0).executeTakeFirst();
      if (master?.calendar_id === calendarId) return true;
      const attending = await db.selectFrom('event_attendees').select('uid')
        .where('uid', '=', uid).where('calendar_id', '=', calendarId).where('rsvp', '!=', 'removed').limit(1).executeTakeFirst();
      return attending !== undefined;
    },
    async listEvents(calendarId, query) {
      const branch = (invited: boolean, name: string) => {
        let q = db.selectFrom('events').select(['events.data', 'events.event_id']).where('events.status', '!=', 'cancelled');
        q = invited
          ? q.where('events.calendar_id', '!=', calendarId).where('events.uid', 'in', db.selectFrom('event_attendees').select('event_attendees.uid')
            .where('event_attendees.calendar_id', '=', calendarId).where('event_attendees.rsvp', '!=', 'removed'))
          : q.where('events.calendar_id', '=', calendarId);
        if (query.afterEventId !== undefined) q = q.where('events.event_id', '>', query.afterEventId);
        if (query.anchor !== undefined) {
          const anchor = query.anchor;
          q = q.where((eb) => eb.or([eb('events.range_end', '>=', anchor), eb('events.is_recurring', '=', 1)]));
        }
        return db.selectFrom(q.orderBy('events.event_id').limit(query.limit).as(name)).selectAll();
      };
      const rows = await branch(false, 'own_events').unionAll(branch(true, 'invited_events')).execute();
      return rows.sort((a, b) => (a.event_id < b.event_id ? -1 : 1)).slice(0, query.limit).map(toEvent);
    },
    ...eventWindowReads(db),
    async searchEvents(calendarId, search) {
      return windowed(db, specifics, calendarId, search);
    },
    async eventsChangedSince(calendarId, sinceSeq, limit) {
      const branch = (invited: boolean, name: string) => {
        let q = db.selectFrom('events').select(['events.data', 'events.seq']).where('events.seq', '>', sinceSeq);
        q = invited
          // An invitation taken off this calendar (rsvp removed) shows nothing here; its removal record reports it.
          ? q.where('events.calendar_id', '!=', calendarId).where('events.uid', 'in', db.selectFrom('event_attendees').select('event_attendees.uid')
            .where('event_attendees.calendar_id', '=', calendarId).where('event_attendees.rsvp', '!=', 'removed'))
          : q.where('events.calendar_id', '=', calendarId);
        return db.selectFrom(q.orderBy('events.seq').limit(limit).as(name)).selectAll();
      };
      const rows = await branch(false, 'own_changes').unionAll(branch(true, 'invited_changes')).execute();
      return rows.sort((a, b) => a.seq - b.seq).slice(0, limit).map(toEvent);
    },
    async personalView(uid, principal) {
      const r = await db.selectFrom('event_personal_views').select('data').where('uid', '=', uid).where('principal', '=', principal).executeTakeFirst();
      return r && (JSON.parse(r.data) as PersonalView);
    },
    async attendees(uid) {
      return (await attendeesOfUid(db, uid)).map(toAttendee);
    },
    async attendeesOf(uids) {
      const out: Attendee[] = [];
      for (let i = 0; i < uids.length; i += 500) {
        const rows = await db.selectFrom('event_attendees').select('data')
          .where('uid', 'in', uids.slice(i, i + 500)).orderBy('uid').orderBy('attendee_id').execute();
        out.push(...rows.map(toAttendee));
      }
      return out;
    },
    async viewerState(uids, principal, matchKey, everyAttendee = false) {
      const rows: ViewerRow[] = [];
      for (let i = 0; i < uids.length; i += 500) {
        const chunk = uids.slice(i, i + 500);
        const got = everyAttendee ? await viewerRowsWithEveryAttendeeOf(db, principal, chunk)
          : matchKey === undefined ? await personalViewsOf(db, principal, chunk) : await viewerRowsOf(db, principal, chunk, matchKey);
        // Row by row, not push(...got): every attendee of 500 events can be more rows than a call takes arguments.
        for (const r of got) rows.push(r);
      }
      return viewerStateFrom(rows, matchKey, everyAttendee);
    },
    lockSeries: (uid) => specifics.lockKey(db, uid),
    async putEvent(e, range) {
      const v = eventRowValues(eventRow(e, range));
      if (specifics.updateRewritesAssignedIndexes) {
        if ((await upsertEventInPlace(db, ...v)).length > 0) return;
        if ((await upsertEventOnCalendar(db, ...v)).length > 0) return;
      }
      await upsertEventAnywhere(db, ...v);
    },
    async putPersonalView(v) {
      const data = JSON.stringify(v);
      await db.insertInto('event_personal_views').values({ uid: v.uid, principal: v.principal, data })
        .onConflict((oc) => oc.columns(['uid', 'principal']).doUpdateSet({ data })).execute();
    },
    async putAttendee(a) {
      const row = {
        uid: a.uid, attendee_id: a.attendeeId, type: a.type, match_key: attendeeKey(a), calendar_id: a.calendarId, rsvp: a.rsvp,
        seq: a.seq, data: JSON.stringify(a),
      };
      await db.insertInto('event_attendees').values(row)
        .onConflict((oc) => oc.columns(['uid', 'attendee_id']).doUpdateSet({
          calendar_id: row.calendar_id, rsvp: row.rsvp, seq: row.seq, data: row.data, match_key: row.match_key,
        }))
        .execute();
    },
    async deleteAttendee(uid, attendeeId) {
      await db.deleteFrom('event_attendees').where('uid', '=', uid).where('attendee_id', '=', attendeeId).execute();
    },
    async signIn(eventId, kind, userId) {
      const r = await db.selectFrom('event_sign_ins').selectAll()
        .where('event_id', '=', eventId).where('kind', '=', kind).where('user_id', '=', userId).executeTakeFirst();
      return r && { eventId: r.event_id, kind: r.kind as 'sign_in' | 'sign_out', userId: r.user_id, at: Number(r.at) };
    },
    async signIns(eventId, kind, afterUserId, limit) {
      let q = db.selectFrom('event_sign_ins').selectAll().where('event_id', '=', eventId).where('kind', '=', kind);
      if (afterUserId !== undefined) q = q.where('user_id', '>', afterUserId);
      const rows = await q.orderBy('user_id').limit(limit).execute();
      return rows.map((r) => ({ eventId: r.event_id, kind: r.kind as 'sign_in' | 'sign_out', userId: r.user_id, at: Number(r.at) }));
    },
    async putSignIn(s) {
      await db.insertInto('event_sign_ins').values({ event_id: s.eventId, kind: s.kind, user_id: s.userId, at: s.at })
        .onConflict((oc) => oc.columns(['event_id', 'kind', 'user_id']).doUpdateSet({ at: s.at }))
        .execute();
    },
  };
}

/** What a windowed read of a calendar's events may also filter on. */
interface WindowQuery {
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  readonly query?: string;
  /** Every inner list must be met by at least one attendee (match keys such as `u:<id>`). */
  readonly attendeeKeys?: readonly (readonly string[])[];
  /** Continue after this (start, event id). */
  readonly after?: { readonly start: number; readonly eventId: string };
}

/**
 * Non-cancelled events of a calendar meeting [from, to), ordered by (start, event id). Three index
 * range scans: short events organised there (start within [from − 7 days, to)), long events and
 * series organised there, and events there because the calendar's owner was invited.
 */
async function windowed(db: Kysely<Database>, specifics: QuerySpecifics, calendarId: string, w: WindowQuery): Promise<CalendarEvent[]> {
  // Every branch selects the same columns, so filtering keeps one query type and the branches union.
  const selectRows = () => db.selectFrom('events').select(['events.data', 'events.start_at', 'events.event_id']);
  const filters = (q: ReturnType<typeof selectRows>): ReturnType<typeof selectRows> => {
    let out = q.where('events.status', '!=', 'cancelled').where('events.start_at', '<', w.to).where('events.range_end', '>', w.from);
    if (w.query) {
      // A summary with an underscore matches only the exact query (docs/compatibility.md).
      // Each summary is lower-cased once: by the substring test, or (with an underscore) the equality.
      const underscore = sql<boolean>`events.summary like ${'%' + LIKE_ESCAPE + '_%'} escape ${LIKE_ESCAPE}`;
      out = out.where(sql<boolean>`((not ${underscore} and ${containsIgnoringCase(specifics, 'events.summary', w.query)}) or (${underscore} and ${equalsIgnoringCase(specifics, 'events.summary', w.query)}))`);
    }
    for (const keys of w.attendeeKeys ?? []) {
      out = out.where('events.uid', 'in', db.selectFrom('event_attendees').select('event_attendees.uid').where('event_attendees.match_key', 'in', [...keys]));
    }
    if (w.after) {
      const { start, eventId } = w.after;
      out = out.where((eb: ExpressionBuilder<Database, 'events'>) => eb.or([eb('events.start_at', '>', start), eb.and([eb('events.start_at', '=', start), eb('events.event_id', '>', eventId)])]));
    }
    return out;
  };
  const short = filters(selectRows()
    .where('events.calendar_id', '=', calendarId).where('events.long_span', '=', 0).where('events.start_at', '>=', w.from - SHORT_SPAN_SECONDS));
  const long = filters(selectRows()
    .where('events.calendar_id', '=', calendarId).where('events.long_span', '=', 1));
  const invited = filters(selectRows()
    .where('events.calendar_id', '!=', calendarId)
    .where('events.uid', 'in', db.selectFrom('event_attendees').select('event_attendees.uid')
      .where('event_attendees.calendar_id', '=', calendarId).where('event_attendees.rsvp', '!=', 'removed')));
  // Each branch is ordered and limited on its own index, then merged (SQLite needs the subqueries).
  const branch = (q: typeof short, name: string) =>
    db.selectFrom(q.orderBy('events.start_at').orderBy('events.event_id').limit(w.limit).as(name)).selectAll();
  const rows = await branch(short, 'short_events').unionAll(branch(long, 'long_events')).unionAll(branch(invited, 'invited_events')).execute();
  return (rows as Array<{ data: string; start_at: number; event_id: string }>)
    .sort((a, b) => a.start_at - b.start_at || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0))
    .slice(0, w.limit)
    .map(toEvent);
}
