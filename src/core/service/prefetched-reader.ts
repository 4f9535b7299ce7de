import type { EventReadBundle, EventReadQuery, StoreReader } from '../ports.js';

/** A read the prefetched answers do not cover: the caller reads again in a snapshot. */
export class NotPrefetched extends Error {
  constructor(what: string) {
    super(`not prefetched: ${what}`);
  }
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A StoreReader that answers, from one EventReadBundle, exactly the reads of the usual event load
 * (the calendar with the caller's access, the event, the viewer's state) and throws NotPrefetched
 * for any other read, so the load's own logic stays the one place its rules live: an event read from
 * an attendee's calendar, an occurrence without a row of its own and the like go round again in a
 * snapshot. The bundle came from one statement, so its answers are consistent with each other.
 */
export function prefetchedReader(q: EventReadQuery, bundle: EventReadBundle): StoreReader {
  const missing = (area: string) => new Proxy({}, { get: (_, key) => () => { throw new NotPrefetched(`${area}.${String(key)}`); } });
  const calendars = {
    calendarFor: async (principal: string, userId: string | undefined, calendarId?: string) => {
      if (principal !== q.principal || userId !== q.userId || calendarId !== q.calendarId) throw new NotPrefetched('calendars.calendarFor');
      return bundle.access;
    },
  };
  const events = {
    event: async (eventId: string) => {
      if (eventId !== q.eventId) throw new NotPrefetched(`events.event(${eventId})`);
      return bundle.event;
    },
    viewerState: async (uids: readonly string[], principal: string, matchKey: string | undefined, everyAttendee?: boolean) => {
      if (everyAttendee || principal !== q.principal || matchKey !== q.matchKey || !same(uids, [q.uid])) throw new NotPrefetched('events.viewerState');
      return bundle.viewer;
    },
  };
  const parts: Record<string, unknown> = {
    calendars: new Proxy(calendars, { get: (t, key) => (t as Record<string | symbol, unknown>)[key] ?? (() => { throw new NotPrefetched(`calendars.${String(key)}`); }) }),
    events: new Proxy(events, { get: (t, key) => (t as Record<string | symbol, unknown>)[key] ?? (() => { throw new NotPrefetched(`events.${String(key)}`); }) }),
  };
  return new Proxy({}, { get: (_, key) => parts[key as string] ?? missing(String(key)) }) as StoreReader;
}
