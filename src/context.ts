import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenSigner } from './auth/tokens.js';
import type { Clock, IdSource } from './core/ports.js';
import { CalendarService } from './core/service/calendar-service.js';
import { DirectoryService } from './core/service/directory-service.js';
import { EventService } from './core/service/event-service.js';
import type { OpenedStore } from './store/open-store.js';

/** Everything a handler may use, built once by the composition root (src/server.ts). */
export interface AppContext {
  readonly store: OpenedStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly tokens: TokenSigner;
  readonly calendars: CalendarService;
  readonly directory: DirectoryService;
  readonly events: EventService;
}

/** The wall clock; tests may pass another. */
export const systemClock: Clock = { now: () => Date.now() };

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const randomIds: IdSource = {
  uuid: () => randomUUID(),
  random(length) {
    const bytes = randomBytes(length);
    let out = '';
    // 62 does not divide 256; the slight bias is irrelevant for identifiers.
    for (const b of bytes) out += ALPHANUMERIC[b % 62];
    return out;
  },
};

export function buildContext(parts: { store: OpenedStore; clock: Clock; ids: IdSource; tokens: TokenSigner }): AppContext {
  const deps = { store: parts.store, clock: parts.clock, ids: parts.ids };
  const calendars = new CalendarService(deps);
  return {
    ...parts,
    calendars,
    directory: new DirectoryService(deps),
    events: new EventService(deps, calendars),
  };
}
