import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { feishuIds } from './api/feishu/platform-ids.js';
import { localLimiter } from './api/rate-limit.js';
import type { RateLimiter, RateLimitSetting } from './api/rate-limit.js';
import type { TokenSigner } from './auth/tokens.js';
import type { Clock, IdSource, RandomSource } from './core/ports.js';
import { AttendeeService } from './core/service/attendee-service.js';
import { CaldavCredentialService } from './core/service/caldav-credential-service.js';
import { CaldavService } from './core/service/caldav-service.js';
import { CalendarService } from './core/service/calendar-service.js';
import { ClientTokenService } from './core/service/client-token-service.js';
import { ConsoleService } from './core/service/console-service.js';
import { ChangeFeed } from './core/service/change-feed.js';
import { DirectoryService } from './core/service/directory-service.js';
import { EventService } from './core/service/event-service.js';
import { ExtrasService } from './core/service/extras-service.js';
import { FileService } from './core/service/file-service.js';
import { OAuthService } from './core/service/oauth-service.js';
import { SnapshotService } from './core/service/snapshot-service.js';
import { SignInService } from './core/service/sign-in-service.js';
import { SubscribedCalendarService } from './core/service/subscribed-calendar-service.js';
import { PushService } from './core/service/push-service.js';
import { PushSubscriptionService } from './core/service/push-subscription-service.js';
import { SyncService } from './core/service/sync-service.js';
import type { OpenedStore, StoreKind } from './store/open-store.js';

/**
 * Everything a handler may use, built once by the composition root (src/server.ts). Handlers reach
 * state only through the services; the store itself stays with the composition root (RootContext).
 */
export interface AppContext {
  /** Which database answers, for the health check. */
  readonly storeKind: StoreKind;
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
  /** Time off, events' meeting chats and minutes, Exchange bindings. */
  readonly extras: ExtrasService;
  readonly files: FileService;
  readonly oauth: OAuthService;
  readonly sync: SyncService;
  readonly clientTokens: ClientTokenService;
  /** Follows the change log from a sequence number (push, console, CalDAV build on it). */
  readonly changeFeed: ChangeFeed;
  /** Reset to the seeds, snapshots, export and import (the sandbox). */
  readonly snapshots: SnapshotService;
  /** Apps' users' push subscriptions (Feishu's calendar, event and ACL `subscription` calls). */
  readonly pushSubscriptions: PushSubscriptionService;
  /** Apps' push receivers and the delivery log. */
  readonly push: PushService;
  /** DingTalk's subscribed calendars. */
  readonly subscribedCalendars: SubscribedCalendarService;
  /** DingTalk's check-in, sign-in and sign-out of events. */
  readonly signIns: SignInService;
  /** CalDAV credentials (issued by both dialects) and calendars as CalDAV resources. */
  readonly caldavCredentials: CaldavCredentialService;
  readonly caldav: CaldavService;
  /** The sandbox console's reads: the directory and any calendar's occurrences, unchecked (the admin gate is the check). */
  readonly consoleReads: ConsoleService;
}

/** The composition root's view: the context and the store it was built on (the CLI and tests read it; handlers do not). */
export interface RootContext extends AppContext {
  readonly store: OpenedStore;
}

/** The wall clock; tests may pass another. */
export const systemClock: Clock = { now: () => Date.now() };

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const randomIds: RandomSource = {
  uuid: () => randomUUID(),
  random(length) {
    const bytes = randomBytes(length);
    let out = '';
    // 62 does not divide 256; the slight bias is irrelevant for identifiers.
    for (const b of bytes) out += ALPHANUMERIC[b % 62];
    return out;
  },
};

export function buildContext(parts: { store: OpenedStore; clock: Clock; ids: RandomSource; tokens: TokenSigner; limiter?: RateLimiter; rateLimit?: RateLimitSetting }): RootContext {
  // New calendars and meetings get ids in Feishu's formats, whichever dialect makes them.
  const ids: IdSource = feishuIds(parts.ids);
  const deps = { store: parts.store, clock: parts.clock, ids };
  const calendars = new CalendarService(deps);
  const events = new EventService(deps, calendars);
  const directory = new DirectoryService(deps);
  const attendees = new AttendeeService(deps, events);
  const sha256 = (secret: string) => createHash('sha256').update(secret).digest('base64url');
  return {
    ...parts,
    ids,
    storeKind: parts.store.kind,
    limiter: parts.limiter ?? localLimiter(),
    rateLimit: parts.rateLimit ?? 'off',
    calendars,
    directory,
    events,
    attendees,
    extras: new ExtrasService(deps, events),
    files: new FileService(deps),
    oauth: new OAuthService(deps, (secret) => createHash('sha256').update(secret).digest('base64url')),
    sync: new SyncService(deps, calendars),
    clientTokens: new ClientTokenService(deps),
    changeFeed: new ChangeFeed({ store: parts.store, signal: parts.store.changeSignal }),
    snapshots: new SnapshotService(deps, directory),
    pushSubscriptions: new PushSubscriptionService(deps, calendars),
    push: new PushService(deps),
    subscribedCalendars: new SubscribedCalendarService(deps, calendars),
    signIns: new SignInService(deps, events.reads),
    caldavCredentials: new CaldavCredentialService(deps, sha256),
    caldav: new CaldavService(deps, calendars, events, attendees),
    consoleReads: new ConsoleService(deps),
  };
}
