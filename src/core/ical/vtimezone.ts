/**
 * A VTIMEZONE for an IANA zone, built from the time zone database rili already uses (Temporal): one
 * observance per UTC-offset transition over the years an event spans, so any client expands it with
 * the same offsets rili does. ical.js reads VTIMEZONEs but does not write them from zone names.
 */
import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';

const YEAR = 366 * 86_400;
/** Transitions written at most: a zone that changes twice a year over ~25 years. */
const MAX_TRANSITIONS = 60;

const offsetText = (seconds: number): string => {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
};

const offsetAt = (epoch: number, zone: string): number =>
  Math.round(Temporal.Instant.fromEpochMilliseconds(epoch * 1000).toZonedDateTimeISO(zone).offsetNanoseconds / 1e9);

/** `YYYYMMDDTHHMMSS` of wall-clock seconds (a local time counted as if UTC). */
export function wallText(wall: number): string {
  return new Date(wall * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

function observance(kind: 'STANDARD' | 'DAYLIGHT', wallStart: number, from: number, to: number): ICAL.Component {
  const c = new ICAL.Component(kind.toLowerCase());
  c.addPropertyWithValue('dtstart', ICAL.Time.fromDateTimeString(wallText(wallStart).replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3T$4:$5:$6')));
  c.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromString(offsetText(from)));
  c.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromString(offsetText(to)));
  return c;
}

/** A VTIMEZONE for `zone` valid over [from, to] (epoch seconds), with a year's margin each side. */
export function vtimezoneFor(zone: string, from: number, to: number): ICAL.Component {
  const tz = new ICAL.Component('vtimezone');
  tz.addPropertyWithValue('tzid', zone);
  let at = from - YEAR;
  const end = to + YEAR;
  let offset = offsetAt(at, zone);
  // The offset in force from the window's start: an observance that began before it.
  tz.addSubcomponent(observance('STANDARD', at + offset, offset, offset));
  for (let n = 0; n < MAX_TRANSITIONS; n++) {
    const next = Temporal.Instant.fromEpochMilliseconds(at * 1000).toZonedDateTimeISO(zone).getTimeZoneTransition('next');
    if (!next) break;
    const epoch = Math.round(next.epochMilliseconds / 1000);
    if (epoch > end) break;
    const after = offsetAt(epoch, zone);
    // A transition to a larger offset is summer time, as far as a client's labels go.
    if (after !== offset) tz.addSubcomponent(observance(after > offset ? 'DAYLIGHT' : 'STANDARD', epoch + offset, offset, after));
    offset = after;
    at = epoch;
  }
  return tz;
}
