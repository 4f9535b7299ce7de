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
 * (the calendar with the caller's access, the event, the viewer's state), so the load's own logic
 * stays the one place its rules live. Any other read (an event read from an attendee's calendar, an
 * occurrence without a row of its own and the like) goes to `fallback` where there is one: a write's
 * transaction, whose reads hold the series lock, as the bundle's did. Without one it throws
 * NotPrefetched, and the caller reads again in a snapshot: the bundle came from one statement, and
 * its answers must not be mixed with reads from another moment.
 */
export function prefetchedReader(q: EventReadQuery, bundle: EventReadBundle, fallback?: StoreReader): StoreReader {
  const miss = (area: string, key: string | symbol): never => {
    throw new NotPrefetched(`${area}.${String(key)}`);
  };
  const calendars = {
    calendarFor: (principal: string, userId: string | undefined, calendarId?: string) =>
      (principal === q.principal && userId === q.userId && calendarId === q.calendarId
        ? Promise.resolve(bundle.access)
        : fallback ? fallback.calendars.calendarFor(principal, userId, calendarId) : miss('calendars', 'calendarFor')),
  };
  const events = {
    event: (eventId: string) => (eventId === q.eventId ? Promise.resolve(bundle.event) : fallback ? fallback.events.event(eventId) : miss('events', `event(${eventId})`)),
    viewerState: (uids: readonly string[], principal: string, matchKey: string | undefined, everyAttendee = false) =>
      (everyAttendee === (q.everyAttendee ?? false) && principal === q.principal && matchKey === q.matchKey && same(uids, [q.uid])
        ? Promise.resolve(bundle.viewer)
        : fallback ? fallback.events.viewerState(uids, principal, matchKey, everyAttendee) : miss('events', 'viewerState')),
  };
  // The two areas the bundle answers in part; every other area is the fallback's, or a miss.
  const area = <T extends object>(name: string, own: T, rest: object | undefined) => new Proxy(own, {
    get: (t, key) => (t as Record<string | symbol, unknown>)[key] ?? (rest ? (rest as Record<string | symbol, unknown>)[key] : () => miss(name, key)),
  });
  const parts: Record<string, unknown> = { calendars: area('calendars', calendars, fallback?.calendars), events: area('events', events, fallback?.events) };
  return new Proxy({}, {
    get: (_, key) => parts[key as string] ?? (fallback ? (fallback as unknown as Record<string | symbol, unknown>)[key] : area(String(key), {}, undefined)),
  }) as StoreReader;
}
