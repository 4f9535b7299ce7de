/**
 * The crash test's change-log check: after a kill and restart, every acknowledged write has its
 * change records and no record lacks its write. Read straight from the database's tables (the rows
 * and the log), so a record is checked against what committed, not against what an API shows.
 */

/** One `change_log` row, as the check needs it. */
export interface LogRow {
  readonly seq: number;
  readonly calendarId: string | null;
  readonly object: string;
  readonly objectId: string;
  readonly uid: string | null;
  readonly instanceStart: number | null;
  readonly kind: string;
}

export interface EventRowState {
  readonly eventId: string;
  readonly uid: string;
  readonly calendarId: string;
  readonly status: string;
}

export interface AttendeeRowState {
  readonly uid: string;
  readonly attendeeId: string;
  readonly calendarId: string | null;
  readonly rsvp: string;
}

/** What the database holds: the whole log and every event and attendee row. */
export interface LogSnapshot {
  readonly records: readonly LogRow[];
  readonly events: readonly EventRowState[];
  readonly attendees: readonly AttendeeRowState[];
}

/** A write the server acknowledged (HTTP 200, code 0) since the last check. */
export interface AckedWrite {
  readonly op: 'create' | 'patch' | 'add' | 'remove' | 'delete';
  readonly eventId: string;
  /** add: the attendees it made; remove: those it removed. */
  readonly attendeeIds?: readonly string[];
}

/** The SQL both databases answer for a snapshot (the caller qualifies the tables on PostgreSQL). */
export const SNAPSHOT_SQL = {
  records: (t: string) => `select seq, calendar_id, object, object_id, uid, instance_start, kind from ${t}change_log order by seq`,
  events: (t: string) => `select event_id, uid, calendar_id, status from ${t}events`,
  attendees: (t: string) => `select uid, attendee_id, calendar_id, rsvp from ${t}event_attendees`,
};

/** A snapshot from the rows those statements return (bigint columns may come back as strings). */
export function snapshotOf(records: readonly any[], events: readonly any[], attendees: readonly any[]): LogSnapshot {
  return {
    records: records.map((r) => ({
      seq: Number(r.seq), calendarId: r.calendar_id, object: r.object, objectId: r.object_id, uid: r.uid,
      instanceStart: r.instance_start === null ? null : Number(r.instance_start), kind: r.kind,
    })),
    events: events.map((e) => ({ eventId: e.event_id, uid: e.uid, calendarId: e.calendar_id, status: e.status })),
    attendees: attendees.map((a) => ({ uid: a.uid, attendeeId: a.attendee_id, calendarId: a.calendar_id, rsvp: a.rsvp })),
  };
}

/** The event ids that show in each calendar by the rows: organized there, or an attendee's there, not cancelled. */
function membershipByRows(s: LogSnapshot): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (calendarId: string, eventId: string) => {
    const set = out.get(calendarId) ?? new Set<string>();
    set.add(eventId);
    out.set(calendarId, set);
  };
  const byUid = new Map<string, EventRowState[]>();
  for (const e of s.events) byUid.set(e.uid, [...(byUid.get(e.uid) ?? []), e]);
  for (const e of s.events) if (e.status !== 'cancelled') add(e.calendarId, e.eventId);
  for (const a of s.attendees) {
    if (a.calendarId === null || a.rsvp === 'removed') continue;
    for (const e of byUid.get(a.uid) ?? []) if (e.status !== 'cancelled') add(a.calendarId, e.eventId);
  }
  return out;
}

/**
 * The Record rules' membership rebuild: each calendar's event records replayed in order (created or
 * updated: present; deleted: absent, a master's taking its whole series; the calendar deleted: empty).
 */
function membershipByRecords(s: LogSnapshot): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of s.records) {
    if (r.calendarId === null) continue;
    const set = out.get(r.calendarId) ?? new Set<string>();
    out.set(r.calendarId, set);
    if (r.object === 'calendar' && r.kind === 'deleted') set.clear();
    if (r.object !== 'event') continue;
    if (r.kind === 'deleted') {
      if ((r.instanceStart ?? 0) === 0 && r.uid !== null) for (const id of [...set]) if (id.startsWith(`${r.uid}_`)) set.delete(id);
      set.delete(r.objectId);
    } else {
      set.add(r.objectId);
    }
  }
  return out;
}

/**
 * What is wrong between the log and the rows, as messages (none: all is well):
 * - each acknowledged write since `afterSeq` has its records after it (a create its `created`, each
 *   patch an `updated`, a delete its `deleted`, in the organizer's calendar; an attendee change its
 *   `attendee_added` / `attendee_removed` per attendee);
 * - every record's object is in the state the newest record of it says (an attendee record: the
 *   attendee there or gone);
 * - replaying the log gives, for every calendar, exactly the events its rows show there.
 */
export function logViolations(s: LogSnapshot, acked: readonly AckedWrite[], afterSeq: number, organizerCalendar: string): string[] {
  const out: string[] = [];
  const recent = s.records.filter((r) => r.seq > afterSeq);
  const count = (pred: (r: LogRow) => boolean) => recent.filter(pred).length;
  const eventRecords = (eventId: string, kind: string) =>
    count((r) => r.object === 'event' && r.objectId === eventId && r.calendarId === organizerCalendar && r.kind === kind);

  const wanted = new Map<string, number>();
  const want = (key: string) => wanted.set(key, (wanted.get(key) ?? 0) + 1);
  for (const w of acked) {
    if (w.op === 'create') want(`${w.eventId} created`);
    else if (w.op === 'patch') want(`${w.eventId} updated`);
    else if (w.op === 'delete') want(`${w.eventId} deleted`);
    for (const id of w.attendeeIds ?? []) {
      const kind = w.op === 'add' ? 'attendee_added' : 'attendee_removed';
      if (count((r) => r.object === 'attendee' && r.objectId === id && r.uid === w.eventId.split('_')[0] && r.kind === kind) === 0) {
        out.push(`acknowledged ${w.op} of attendee ${id} on ${w.eventId} has no ${kind} record`);
      }
    }
  }
  for (const [key, n] of wanted) {
    const [eventId, kind] = key.split(' ');
    const found = eventRecords(eventId, kind);
    if (found < n) out.push(`${n} acknowledged ${kind === 'updated' ? 'patch' : kind.replace(/d$/, '')} write(s) of ${eventId}, ${found} ${kind} record(s) in its calendar`);
  }

  // Attendee records: the newest says whether the attendee is there.
  const newestAttendee = new Map<string, LogRow>();
  for (const r of s.records) if (r.object === 'attendee') newestAttendee.set(r.objectId, r);
  const attendees = new Map(s.attendees.map((a) => [a.attendeeId, a]));
  for (const [id, r] of newestAttendee) {
    const row = attendees.get(id);
    const there = row !== undefined && row.rsvp !== 'removed';
    if (r.kind === 'attendee_removed' ? there : !there) out.push(`record ${r.seq} says attendee ${id} ${r.kind}, the row is ${row ? `rsvp ${row.rsvp}` : 'gone'}`);
  }

  // Event records: the replay and the rows agree on every calendar (a record without its write, or a
  // write without its record, shows here as an event one side has and the other lacks).
  const byRows = membershipByRows(s);
  const byRecords = membershipByRecords(s);
  for (const calendarId of new Set([...byRows.keys(), ...byRecords.keys()])) {
    const rows = byRows.get(calendarId) ?? new Set<string>();
    const replayed = byRecords.get(calendarId) ?? new Set<string>();
    for (const id of rows) if (!replayed.has(id)) out.push(`calendar ${calendarId}: event ${id} shows there, the log does not say so`);
    for (const id of replayed) if (!rows.has(id)) out.push(`calendar ${calendarId}: the log shows event ${id}, the rows do not`);
  }
  return out;
}
