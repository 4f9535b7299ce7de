import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { localLimiter } from './api/rate-limit.js';
import type { RateLimiter, RateLimitSetting } from './api/rate-limit.js';
import type { TokenSigner } from './auth/tokens.js';
import type { Clock, IdSource } from './core/ports.js';
import { AttendeeService } from './core/service/attendee-service.js';
import { CalendarService } from './core/service/calendar-service.js';
import { ChangeFeed } from './core/service/change-feed.js';
import { DirectoryService } from './core/service/directory-service.js';
import { EventService } from './core/service/event-service.js';
import { FileService } from './core/service/file-service.js';
import { OAuthService } from './core/service/oauth-service.js';
import type { OpenedStore } from './store/open-store.js';

/** Everything a handler may use, built once by the composition root (src/server.ts). */
export interface AppContext {
  readonly store: OpenedStore;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly tokens: TokenSigner;
  /** Request counters and whether (and how much scaled) the platforms' rate limits apply. */
  readonly limiter: RateLimiter;
  readonly rateLimit: RateLimitSetting;
  readonly calendars: CalendarService;
  readonly directory: DirectoryService;
  readonly events: EventService;
  readonly attendees: AttendeeService;
  readonly files: FileService;
  readonly oauth: OAuthService;
  /** Follows the change log from a sequence number (push, console, CalDAV build on it). */
  readonly changeFeed: ChangeFeed;
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

export function buildContext(parts: { store: OpenedStore; clock: Clock; ids: IdSource; tokens: TokenSigner; limiter?: RateLimiter; rateLimit?: RateLimitSetting }): AppContext {
  const deps = { store: parts.store, clock: parts.clock, ids: parts.ids };
  const calendars = new CalendarService(deps);
  const events = new EventService(deps, calendars);
  return {
    ...parts,
    limiter: parts.limiter ?? localLimiter(),
    rateLimit: parts.rateLimit ?? 'off',
    calendars,
    directory: new DirectoryService(deps),
    events,
    attendees: new AttendeeService(deps, events),
    files: new FileService(deps),
    oauth: new OAuthService(deps, (secret) => createHash('sha256').update(secret).digest('base64url')),
    changeFeed: new ChangeFeed({ store: parts.store, signal: parts.store.changeSignal }),
  };
}
