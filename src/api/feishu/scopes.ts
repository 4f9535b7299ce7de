import type { FastifyRequest } from 'fastify';
import type { Route } from '../route.js';
import { FeishuError, SCOPE_NOT_GRANTED } from './errors.js';

/**
 * The user-identity scopes each calendar endpoint accepts; any one of them is enough ("开启任一权限即可").
 * `calendar:calendar`, `calendar:calendar:readonly`, `calendar:calendar.event:read` and
 * `calendar:calendar.event:update` are the documents' names (seeds: event search and patch);
 * `calendar:calendar:read` is the SDK README's example; the other fine-grained names follow the same
 * pattern (docs/compatibility.md, "Signing a user in").
 */
const ALL = 'calendar:calendar';
const READONLY = 'calendar:calendar:readonly';
const CALENDAR_READ = [ALL, READONLY, 'calendar:calendar:read'];
const CALENDAR_WRITE = [ALL];
const EVENT_READ = [ALL, READONLY, 'calendar:calendar.event:read'];
const EVENT_CREATE = [ALL, 'calendar:calendar.event:create'];
const EVENT_UPDATE = [ALL, 'calendar:calendar.event:update'];
const EVENT_DELETE = [ALL, 'calendar:calendar.event:delete'];
const EVENT_REPLY = [ALL, 'calendar:calendar.event:reply'];
const FREEBUSY_READ = [ALL, READONLY, 'calendar:calendar.free_busy:read'];

const C = '/calendar/v4/calendars';
const E = `${C}/:calendar_id/events`;

export const ROUTE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  [`GET ${C}`]: CALENDAR_READ,
  [`GET ${C}/:calendar_id`]: CALENDAR_READ,
  [`POST ${C}/primary`]: CALENDAR_READ,
  [`POST ${C}/primarys`]: CALENDAR_READ,
  [`POST ${C}/mget`]: CALENDAR_READ,
  [`POST ${C}/search`]: CALENDAR_READ,
  [`GET ${C}/:calendar_id/acls`]: CALENDAR_READ,
  [`POST ${C}`]: CALENDAR_WRITE,
  [`PATCH ${C}/:calendar_id`]: CALENDAR_WRITE,
  [`DELETE ${C}/:calendar_id`]: CALENDAR_WRITE,
  [`POST ${C}/:calendar_id/subscribe`]: CALENDAR_WRITE,
  [`POST ${C}/:calendar_id/unsubscribe`]: CALENDAR_WRITE,
  [`POST ${C}/:calendar_id/acls`]: CALENDAR_WRITE,
  [`DELETE ${C}/:calendar_id/acls/:acl_id`]: CALENDAR_WRITE,
  [`GET ${E}`]: EVENT_READ,
  [`GET ${E}/:event_id`]: EVENT_READ,
  [`GET ${E}/:event_id/instances`]: EVENT_READ,
  [`GET ${E}/instance_view`]: EVENT_READ,
  [`POST ${E}/search`]: EVENT_READ,
  [`GET ${E}/:event_id/attendees`]: EVENT_READ,
  [`GET ${E}/:event_id/attendees/:attendee_id/chat_members`]: EVENT_READ,
  [`POST ${E}`]: EVENT_CREATE,
  [`PATCH ${E}/:event_id`]: EVENT_UPDATE,
  [`DELETE ${E}/:event_id`]: EVENT_DELETE,
  [`POST ${E}/:event_id/reply`]: EVENT_REPLY,
  [`POST ${E}/:event_id/attendees`]: EVENT_UPDATE,
  [`POST ${E}/:event_id/attendees/batch_delete`]: EVENT_UPDATE,
  ['POST /calendar/v4/freebusy/list']: FREEBUSY_READ,
  ['POST /calendar/v4/freebusy/batch']: FREEBUSY_READ,
  // An event's meeting chat and minutes change what the event has: an event update.
  [`POST ${E}/:event_id/meeting_chat`]: EVENT_UPDATE,
  [`DELETE ${E}/:event_id/meeting_chat`]: EVENT_UPDATE,
  [`POST ${E}/:event_id/meeting_minute`]: EVENT_UPDATE,
  // Exchange bindings: the documents' own scope names were not read; the whole-calendar scope covers them.
  ['POST /calendar/v4/exchange_bindings']: CALENDAR_WRITE,
  ['GET /calendar/v4/exchange_bindings/:exchange_binding_id']: CALENDAR_READ,
  ['DELETE /calendar/v4/exchange_bindings/:exchange_binding_id']: CALENDAR_WRITE,
};

/** The scopes a route accepts, or undefined when it needs none (token endpoints, uploads). */
export const scopesOfRoute = (route: Route): readonly string[] | undefined => ROUTE_SCOPES[`${route.method} ${route.url}`];

/** Refuses a user token granted none of the route's scopes; tokens without a scope list hold every scope. */
export function checkScopes(route: Route, request: FastifyRequest): void {
  const granted = request.grantedScopes;
  const accepted = scopesOfRoute(route);
  if (granted === undefined || accepted === undefined) return;
  if (accepted.some((s) => granted.includes(s))) return;
  throw new FeishuError(SCOPE_NOT_GRANTED, `the user has not granted any of [${accepted.join(', ')}]`, undefined, accepted);
}
