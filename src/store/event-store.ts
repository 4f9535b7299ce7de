import { sql } from 'kysely';
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Attendee, CalendarEvent, PersonalView } from '../core/events/types.js';
import { eventIdOf } from '../core/events/types.js';
import type { EventWriter } from '../core/ports.js';
import type { StoreCapabilities } from './capabilities.js';
import type { Database } from './schema/index.js';

const toEvent = (r: { data: string }): CalendarEvent => JSON.parse(r.data) as CalendarEvent;
const toAttendee = (r: { data: string }): Attendee => JSON.parse(r.data) as Attendee;

const matchKey = (a: Attendee): string => {
  switch (a.type) {
    case 'user':
      return `u:${a.userId}`;
    case 'chat':
      return `c:${a.chatId}`;
    case 'resource':
      return `r:${a.roomId}`;
    case 'third_party':
      return `e:${a.email}`;
  }
};

/** Events that show in a calendar: organised there, or there because an attendee's calendar it is. */
const inCalendar = (calendarId: string) => (eb: ExpressionBuilder<Database, 'events'>) =>
  eb.or([
    eb('events.calendar_id', '=', calendarId),
    eb('events.uid', 'in', eb.selectFrom('event_attendees').select('event_attendees.uid')
      .where('event_attendees.calendar_id', '=', calendarId).where('event_attendees.rsvp', '!=', 'removed')),
  ]);

/** The event port over Kysely; `db` is a transaction when writing. */
export function eventStore(db: Kysely<Database>, caps: StoreCapabilities): EventWriter {
  return {
    async event(eventId) {
      const r = await db.selectFrom('events').select('data').where('event_id', '=', eventId).executeTakeFirst();
      return r && toEvent(r);
    },
    async series(uid) {
      const rows = await db.selectFrom('events').select('data').where('uid', '=', uid).orderBy('original_start').execute();
      return rows.map(toEvent);
    },
    async exceptionsOf(uids) {
      const out: CalendarEvent[] = [];
      // Chunked: both databases cap the number of bound parameters.
      for (let i = 0; i < uids.length; i += 500) {
        const rows = await db.selectFrom('events').select('data').where('uid', 'in', uids.slice(i, i + 500)).where('original_start', '>', 0).execute();
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
      const organised = await db.selectFrom('events').select('uid').where('uid', '=', uid).where('calendar_id', '=', calendarId).limit(1).executeTakeFirst();
      if (organised) return true;
      const attending = await db.selectFrom('event_attendees').select('uid')
        .where('uid', '=', uid).where('calendar_id', '=', calendarId).where('rsvp', '!=', 'removed').limit(1).executeTakeFirst();
      return attending !== undefined;
    },
    async listEvents(calendarId, query) {
      let q = db.selectFrom('events').select('data').where(inCalendar(calendarId)).where('status', '!=', 'cancelled');
      if (query.afterEventId !== undefined) q = q.where('event_id', '>', query.afterEventId);
      if (query.anchor !== undefined) {
        const anchor = query.anchor;
        q = q.where((eb) => eb.or([eb('range_end', '>=', anchor), eb('is_recurring', '=', 1)]));
      }
      const rows = await q.orderBy('event_id').limit(query.limit).execute();
      return rows.map(toEvent);
    },
    async eventsInRange(calendarId, from, to, limit) {
      const rows = await db.selectFrom('events').select('data').where(inCalendar(calendarId))
        .where('status', '!=', 'cancelled').where('start_at', '<', to).where('range_end', '>', from)
        .orderBy('start_at').orderBy('event_id').limit(limit).execute();
      return rows.map(toEvent);
    },
    async eventsChangedSince(calendarId, sinceSeq, limit) {
      const rows = await db.selectFrom('events').select('data').where(inCalendar(calendarId))
        .where('seq', '>', sinceSeq).orderBy('seq').limit(limit).execute();
      return rows.map(toEvent);
    },
    async personalView(uid, principal) {
      const r = await db.selectFrom('event_personal_views').select('data').where('uid', '=', uid).where('principal', '=', principal).executeTakeFirst();
      return r && (JSON.parse(r.data) as PersonalView);
    },
    async attendees(uid) {
      const rows = await db.selectFrom('event_attendees').select('data').where('uid', '=', uid).orderBy('attendee_id').execute();
      return rows.map(toAttendee);
    },
    async lockSeries(uid) {
      // SQLite writers already hold the database's write lock (BEGIN IMMEDIATE).
      if (caps.rowLocks) await sql`select pg_advisory_xact_lock(hashtext(${uid}))`.execute(db);
    },
    async putEvent(e, range) {
      const row = {
        event_id: eventIdOf(e), uid: e.uid, original_start: e.originalStart, calendar_id: e.calendarId, tenant_key: e.tenantKey,
        status: e.status, start_at: range.start, range_end: range.end, is_recurring: e.recurrence ? 1 : 0, summary: e.summary,
        seq: e.seq, idempotency_key: e.idempotencyKey, data: JSON.stringify(e),
      };
      await db.insertInto('events').values(row)
        .onConflict((oc) => oc.column('event_id').doUpdateSet({
          status: row.status, start_at: row.start_at, range_end: row.range_end, is_recurring: row.is_recurring,
          summary: row.summary, seq: row.seq, data: row.data,
        }))
        .execute();
    },
    async putPersonalView(v) {
      const data = JSON.stringify(v);
      await db.insertInto('event_personal_views').values({ uid: v.uid, principal: v.principal, data })
        .onConflict((oc) => oc.columns(['uid', 'principal']).doUpdateSet({ data })).execute();
    },
    async putAttendee(a) {
      const row = {
        uid: a.uid, attendee_id: a.attendeeId, type: a.type, match_key: matchKey(a), calendar_id: a.calendarId, rsvp: a.rsvp,
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
  };
}
