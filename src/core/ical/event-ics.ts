/**
 * rili events ⇄ iCalendar (RFC 5545) VEVENTs, through ical.js. A series is one calendar object
 * resource: the master VEVENT (RRULE, EXDATE for each deleted occurrence) and one VEVENT per moved
 * or edited occurrence with the same UID and its RECURRENCE-ID. Pure: no I/O, no clock.
 */
import ICAL from 'ical.js';
import { invalidArgument } from '../errors.js';
import { zoneTimeline } from '../recurrence/zone-timeline.js';
import type { EventInput } from '../events/input.js';
import { occurrencesIn } from '../events/series.js';
import { canonicalTimeZone, daysToDate, epochOf, isTimeZone } from '../events/time.js';
import type { CalendarEvent, EventStatus, EventTime, Rsvp } from '../events/types.js';
import { vtimezoneFor, wallText } from './vtimezone.js';

export const PRODID = '-//rili//rili calendar server//EN';
const DAY = 86_400;

/** An attendee as iCalendar shows it: an address (mailto:…), a name and an answer. */
export interface IcsAttendee {
  readonly address: string;
  readonly name: string;
  readonly rsvp: Rsvp;
  readonly optional: boolean;
  readonly kind: 'user' | 'chat' | 'resource' | 'third_party';
  readonly organizer: boolean;
}

/** One calendar object resource: a series (or single event) with what the viewer may see of it. */
export interface IcsSeries {
  /** The UID the resource shows: the client's own when it created the event, else rili's uid. */
  readonly icalUid: string;
  readonly master: CalendarEvent;
  /** Exception rows of the series; cancelled ones become EXDATEs. */
  readonly exceptions: readonly CalendarEvent[];
  readonly attendees: readonly IcsAttendee[];
  /** Only busy time may be shown (a free/busy reader, a private event). */
  readonly busyOnly: boolean;
}

const STATUS_OUT: Readonly<Record<EventStatus, string>> = { confirmed: 'CONFIRMED', tentative: 'TENTATIVE', cancelled: 'CANCELLED' };
const PARTSTAT_OUT: Readonly<Record<Rsvp, string>> = { needs_action: 'NEEDS-ACTION', accept: 'ACCEPTED', tentative: 'TENTATIVE', decline: 'DECLINED', removed: 'DECLINED' };
const CUTYPE_OUT = { user: 'INDIVIDUAL', chat: 'GROUP', resource: 'ROOM', third_party: 'INDIVIDUAL' } as const;

const utcTime = (epoch: number): ICAL.Time => ICAL.Time.fromJSDate(new Date(epoch * 1000), true);
const isoOfWall = (wall: number): string => wallText(wall).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3T$4:$5:$6');

/** Sets a DTSTART-like property to an event time: a DATE, a UTC time, or a local time with TZID. */
function setTime(comp: ICAL.Component, name: string, t: EventTime, zones: Set<string>): void {
  const prop = new ICAL.Property(name);
  if (t.kind === 'date') {
    prop.setValue(ICAL.Time.fromDateString(t.date));
  } else if (t.timeZone === 'UTC' || t.timeZone === 'Etc/UTC' || !isTimeZone(t.timeZone)) {
    prop.setValue(utcTime(t.epoch));
  } else {
    const zone = canonicalTimeZone(t.timeZone);
    prop.setValue(ICAL.Time.fromDateTimeString(isoOfWall(zoneTimeline(zone, t.epoch).toWall(t.epoch))));
    prop.setParameter('tzid', zone);
    zones.add(zone);
  }
  comp.addProperty(prop);
}

/** The time an occurrence's original start names, in the master's form (for RECURRENCE-ID, EXDATE). */
const originalTime = (master: CalendarEvent, originalStart: number): EventTime =>
  master.start.kind === 'date'
    ? { kind: 'date', date: daysToDate(Math.floor(originalStart / DAY)) }
    : { kind: 'timed', epoch: originalStart, timeZone: master.start.timeZone };

/** A timed event time in UTC (RFC 4791 §9.6.5 expands to UTC); a date stays a date. */
const inUtc = (t: EventTime): EventTime => (t.kind === 'timed' ? { ...t, timeZone: 'UTC' } : t);

function vevent(series: IcsSeries, e: CalendarEvent, zones: Set<string>, recurrenceId?: number, utc = false): ICAL.Component {
  const c = new ICAL.Component('vevent');
  c.addPropertyWithValue('uid', series.icalUid);
  c.addPropertyWithValue('dtstamp', utcTime(e.updateTime));
  c.addPropertyWithValue('created', utcTime(e.createTime));
  c.addPropertyWithValue('last-modified', utcTime(e.updateTime));
  const time = utc ? inUtc : (t: EventTime) => t;
  if (recurrenceId !== undefined) setTime(c, 'recurrence-id', time(originalTime(series.master, recurrenceId)), zones);
  setTime(c, 'dtstart', time(e.start), zones);
  setTime(c, 'dtend', time(e.end), zones);
  c.addPropertyWithValue('summary', series.busyOnly ? 'Busy' : e.summary);
  if (!series.busyOnly) {
    if (e.description) c.addPropertyWithValue('description', e.description);
    const place = [e.location?.name, e.location?.address].filter((s) => s).join(', ');
    if (place) c.addPropertyWithValue('location', place);
  }
  c.addPropertyWithValue('status', STATUS_OUT[e.status]);
  c.addPropertyWithValue('transp', e.freeBusyStatus === 'free' ? 'TRANSPARENT' : 'OPAQUE');
  if (e.visibility !== 'default') c.addPropertyWithValue('class', e.visibility === 'private' ? 'PRIVATE' : 'PUBLIC');
  c.addPropertyWithValue('sequence', 0);
  if (recurrenceId === undefined && e.recurrence) {
    c.addPropertyWithValue('rrule', ICAL.Recur.fromString(e.recurrence.replace(/^RRULE:/i, '')));
    for (const x of series.exceptions) if (x.status === 'cancelled') setTime(c, 'exdate', originalTime(series.master, x.originalStart), zones);
  }
  if (!series.busyOnly) {
    for (const a of series.attendees) {
      if (a.rsvp === 'removed') continue;
      if (a.organizer) {
        const p = c.addPropertyWithValue('organizer', a.address);
        p.setParameter('cn', a.name);
      }
      const p = c.addPropertyWithValue('attendee', a.address);
      p.setParameter('cn', a.name);
      p.setParameter('partstat', PARTSTAT_OUT[a.rsvp]);
      p.setParameter('role', a.organizer ? 'CHAIR' : a.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT');
      p.setParameter('cutype', CUTYPE_OUT[a.kind]);
    }
  }
  return c;
}

/** The VEVENTs of one series, with the TZIDs they use added to `zones`. */
export function seriesComponents(series: IcsSeries, zones: Set<string>): ICAL.Component[] {
  const out = [vevent(series, series.master, zones)];
  // A standalone exception (the viewer holds only it) shows as the master it is given as.
  if (series.master.recurrence) {
    for (const x of [...series.exceptions].sort((a, b) => a.originalStart - b.originalStart)) {
      if (x.status !== 'cancelled') out.push(vevent(series, x, zones, x.originalStart));
    }
  }
  return out;
}

/**
 * A VCALENDAR of one series expanded over [from, to) (CalDAV `<C:expand>`): each occurrence a VEVENT
 * of its own in UTC, with RECURRENCE-ID for a series' occurrences, and no RRULE or EXDATE.
 */
export function toExpandedIcs(series: IcsSeries, from: number, to: number, limit = 10_000): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  const zones = new Set<string>();
  for (const o of occurrencesIn(series.master, series.exceptions, from, to, limit)) {
    const e = o.kind === 'single' ? o.event : { ...o.event, recurrence: '' };
    cal.addSubcomponent(vevent(series, e, zones, o.kind === 'single' ? undefined : o.event.originalStart, true));
  }
  return cal.toString() + '\r\n';
}

/**
 * A VCALENDAR with one VFREEBUSY (CalDAV free-busy-query, RFC 4791 §7.10): the busy periods in
 * [from, to), clipped to it, in UTC; an unanswered or tentative invitation is BUSY-TENTATIVE.
 */
export function toFreeBusyIcs(busy: ReadonlyArray<{ start: number; end: number; rsvp: Rsvp }>, from: number, to: number, now: number): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  const fb = new ICAL.Component('vfreebusy');
  fb.addPropertyWithValue('dtstamp', utcTime(now));
  fb.addPropertyWithValue('dtstart', utcTime(from));
  fb.addPropertyWithValue('dtend', utcTime(to));
  for (const b of [...busy].sort((x, y) => x.start - y.start || x.end - y.end)) {
    const start = Math.max(b.start, from);
    const end = Math.min(b.end, to);
    if (end <= start) continue;
    const p = fb.addPropertyWithValue('freebusy', ICAL.Period.fromData({ start: utcTime(start), end: utcTime(end), duration: undefined }));
    p.setParameter('fbtype', b.rsvp === 'tentative' || b.rsvp === 'needs_action' ? 'BUSY-TENTATIVE' : 'BUSY');
  }
  cal.addSubcomponent(fb);
  return cal.toString() + '\r\n';
}

/** The span of a series' times, for the VTIMEZONE observances it needs. */
function spanOf(all: readonly IcsSeries[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const s of all) {
    for (const e of [s.master, ...s.exceptions]) {
      from = Math.min(from, epochOf(e.start), e.originalStart || Infinity);
      to = Math.max(to, epochOf(e.end), e.originalStart);
    }
    // A series runs on: cover some years of it (a client keeps the last observance beyond).
    if (s.master.recurrence) to = Math.max(to, epochOf(s.master.start) + 20 * 366 * DAY);
  }
  return Number.isFinite(from) ? { from, to } : { from: 0, to: 0 };
}

/** A VCALENDAR of series (one for a CalDAV resource, all of a calendar for a feed), as text with CRLFs. */
export function toIcs(all: readonly IcsSeries[], extra: { name?: string; method?: string } = {}): string {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  if (extra.method) cal.addPropertyWithValue('method', extra.method);
  if (extra.name !== undefined) {
    cal.addPropertyWithValue('x-wr-calname', extra.name);
    cal.addPropertyWithValue('name', extra.name);
  }
  const zones = new Set<string>();
  const events = all.flatMap((s) => seriesComponents(s, zones));
  const span = spanOf(all);
  for (const zone of [...zones].sort()) cal.addSubcomponent(vtimezoneFor(zone, span.from, span.to));
  for (const e of events) cal.addSubcomponent(e);
  // ical.js writes CRLF line ends and folds at 75 octets.
  return cal.toString() + '\r\n';
}

/** One VEVENT read from a client, in rili's terms. */
export interface ParsedVevent {
  readonly input: EventInput & { start: EventTime; end: EventTime; summary: string };
  readonly cancelled: boolean;
  readonly attendees: ReadonlyArray<{ address: string; name: string; optional: boolean; organizer: boolean }>;
  readonly organizer: string | undefined;
}

/** A calendar object resource a client sent: its UID, the master, overrides and deleted occurrences. */
export interface ParsedSeries {
  readonly icalUid: string;
  readonly master: ParsedVevent;
  /** Overrides by original start (epoch seconds; UTC midnight of the day for all-day series). */
  readonly overrides: ReadonlyArray<{ originalStart: number; event: ParsedVevent }>;
  readonly exdates: readonly number[];
}

const bad = (detail: string) => invalidArgument('calendar-data', detail);

/** An ICAL.Time as rili time: a DATE, or an instant in a zone (UTC when the TZID is not an IANA name). */
function readTime(t: ICAL.Time, tzid: string | undefined, zones: Map<string, ICAL.Timezone>): EventTime {
  if (t.isDate) return { kind: 'date', date: t.toString().slice(0, 10) };
  if (t.zone === ICAL.Timezone.utcTimezone || (!tzid && t.toString().endsWith('Z'))) return { kind: 'timed', epoch: t.toUnixTime(), timeZone: 'UTC' };
  if (tzid && isTimeZone(tzid)) {
    const zone = canonicalTimeZone(tzid);
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) / 1000;
    return { kind: 'timed', epoch: zoneTimeline(zone, wall).toEpoch(wall), timeZone: zone };
  }
  const vtz = tzid ? zones.get(tzid) : undefined;
  if (tzid && !vtz) throw bad(`TZID ${tzid} is neither an IANA zone nor defined by a VTIMEZONE`);
  // A zone only its VTIMEZONE defines (Outlook's names): the instant it gives, shown in UTC. Floating: UTC.
  const local = t.clone();
  if (vtz) local.zone = vtz;
  else local.zone = ICAL.Timezone.utcTimezone;
  return { kind: 'timed', epoch: local.toUnixTime(), timeZone: 'UTC' };
}

function timeOf(comp: ICAL.Component, name: string, zones: Map<string, ICAL.Timezone>): EventTime | undefined {
  const prop = comp.getFirstProperty(name);
  if (!prop) return undefined;
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) throw bad(`${name.toUpperCase()} is not a date or date-time`);
  return readTime(value, prop.getParameter('tzid') as string | undefined, zones);
}

const STATUS_IN: Readonly<Record<string, EventStatus>> = { CONFIRMED: 'confirmed', TENTATIVE: 'tentative', CANCELLED: 'cancelled' };

function readVevent(comp: ICAL.Component, zones: Map<string, ICAL.Timezone>): ParsedVevent {
  const start = timeOf(comp, 'dtstart', zones);
  if (!start) throw bad('VEVENT needs DTSTART');
  let end = timeOf(comp, 'dtend', zones);
  if (!end) {
    const duration = comp.getFirstPropertyValue('duration');
    const seconds = duration instanceof ICAL.Duration ? duration.toSeconds() : undefined;
    if (start.kind === 'date') {
      const days = seconds !== undefined ? Math.max(1, Math.round(seconds / DAY)) : 1;
      end = { kind: 'date', date: daysToDate(Math.floor(epochOf(start) / DAY) + days) };
    } else {
      end = { ...start, epoch: start.epoch + (seconds ?? 0) };
    }
  }
  if (start.kind !== end.kind) throw bad('DTSTART and DTEND must both be dates or both date-times');
  if (end.kind === 'timed' && start.kind === 'timed' && end.timeZone !== start.timeZone) end = { ...end, timeZone: start.timeZone };
  const rrule = comp.getFirstPropertyValue('rrule');
  const text = (name: string): string => {
    const v = comp.getFirstPropertyValue(name);
    return typeof v === 'string' ? v : '';
  };
  const status = STATUS_IN[text('status').toUpperCase()];
  const klass = text('class').toUpperCase();
  const location = text('location');
  const organizerProp = comp.getFirstProperty('organizer');
  const organizer = organizerProp ? String(organizerProp.getFirstValue()) : undefined;
  const attendees = comp.getAllProperties('attendee').map((p) => ({
    address: String(p.getFirstValue()),
    name: String(p.getParameter('cn') ?? ''),
    optional: String(p.getParameter('role') ?? '').toUpperCase() === 'OPT-PARTICIPANT',
    organizer: organizer !== undefined && String(p.getFirstValue()).toLowerCase() === organizer.toLowerCase(),
  }));
  return {
    input: {
      summary: text('summary'),
      description: text('description'),
      start,
      end,
      location: location ? { name: location } : null,
      recurrence: rrule instanceof ICAL.Recur ? rrule.toString() : '',
      freeBusyStatus: text('transp').toUpperCase() === 'TRANSPARENT' ? 'free' : 'busy',
      visibility: klass === 'PRIVATE' || klass === 'CONFIDENTIAL' ? 'private' : klass === 'PUBLIC' ? 'public' : 'default',
    },
    cancelled: status === 'cancelled',
    attendees,
    organizer,
  };
}

/** Reads a calendar object resource: one UID, one master (or only overrides: refused), VEVENTs only. */
export function parseIcs(text: string): ParsedSeries {
  let cal: ICAL.Component;
  try {
    cal = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (error) {
    throw bad(`not iCalendar: ${(error as Error).message}`);
  }
  if (cal.name !== 'vcalendar') throw bad('the body is not a VCALENDAR');
  const zones = new Map<string, ICAL.Timezone>();
  for (const tz of cal.getAllSubcomponents('vtimezone')) {
    const id = tz.getFirstPropertyValue('tzid');
    if (typeof id === 'string') zones.set(id, new ICAL.Timezone(tz));
  }
  const vevents = cal.getAllSubcomponents('vevent');
  if (vevents.length === 0) throw bad('the VCALENDAR holds no VEVENT (only events are stored)');
  const uids = new Set(vevents.map((v) => v.getFirstPropertyValue('uid')));
  if (uids.size !== 1) throw bad('every VEVENT of one resource must have the same UID');
  const icalUid = [...uids][0];
  if (typeof icalUid !== 'string' || icalUid === '') throw bad('VEVENT needs a UID');
  const masters = vevents.filter((v) => !v.hasProperty('recurrence-id'));
  if (masters.length !== 1) throw bad('a resource needs exactly one VEVENT without RECURRENCE-ID');
  const master = readVevent(masters[0], zones);
  const starts = (p: ICAL.Property): number[] => {
    const tzid = p.getParameter('tzid') as string | undefined;
    return p.getValues().filter((v): v is ICAL.Time => v instanceof ICAL.Time).map((t) => epochOf(readTime(t, tzid, zones)));
  };
  const overrides = vevents.filter((v) => v.hasProperty('recurrence-id')).map((v) => ({
    originalStart: starts(v.getFirstProperty('recurrence-id')!)[0],
    event: readVevent(v, zones),
  }));
  const exdates = masters[0].getAllProperties('exdate').flatMap(starts);
  return { icalUid, master, overrides, exdates };
}
