import { Type } from 'typebox';
import { epochOf } from '../../../core/events/time.js';
import { eventIdOf } from '../../../core/events/types.js';
import type { WindowPosition } from '../../../core/events/window.js';
import { eventRange } from '../../../core/service/event-service.js';
import type { EventListRequest, EventView } from '../../../core/service/event-service.js';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { parseDateTime } from '../date-time.js';
import { DingtalkError } from '../errors.js';
import { decodeToken, encodeToken } from '../page-token.js';
import { eventsToWire } from './event-output.js';
import { CalendarParams } from './event-schema.js';
import { maxAttendeesOf } from './getEvent.js';

/** maxResults: default 100, at most 100 (reference/dingtalk.md §2.3). */
export const MAX_RESULTS = 100;
/** Where an open window ends: 9999-12-31. */
export const FAR_FUTURE = 253_402_300_799;
const YEAR = 366 * 86_400;

export const WindowQuery = {
  timeMin: Type.Optional(Type.String()),
  timeMax: Type.Optional(Type.String()),
  maxResults: Type.Optional(Type.Integer()),
  maxAttendees: Type.Optional(Type.Integer()),
  nextToken: Type.Optional(Type.String()),
};

/** maxResults out of bounds is `params.invalid`, as DingTalk's global error table has it. */
export function maxResultsOf(value: number | undefined, max = MAX_RESULTS): number {
  if (value === undefined) return max;
  if (value < 1 || value > max) throw new DingtalkError('params.invalid', `maxResults must be between 1 and ${max}`);
  return value;
}

/** A window from timeMin / timeMax (ISO-8601); either may be absent. */
export function windowOf(query: { timeMin?: string; timeMax?: string }, maxSpan?: number): { from?: number; to?: number } {
  const parse = (field: 'timeMin' | 'timeMax') => {
    const text = query[field];
    if (text === undefined || text === '') return undefined;
    return parseDateTime(text) ?? (() => { throw new DingtalkError('invalidParameter', `${field} must be an ISO-8601 date-time`); })();
  };
  const from = parse('timeMin');
  const to = parse('timeMax');
  if (from !== undefined && to !== undefined) {
    if (to <= from) throw new DingtalkError('invalidParameter', 'timeMax must be after timeMin');
    if (maxSpan !== undefined && to - from > maxSpan) throw new DingtalkError('invalidParameter', 'timeMin and timeMax must be at most one year apart');
  }
  return { from, to };
}

/** Where a page of one series' occurrences ends: its last (start, event id); a bare start (older tokens) is after every occurrence at it. */
export type InstancePosition = { s: number; id: string } | number;

/** A token's instance position as the service takes it; anything else is a bad token. */
export function positionOf(p: unknown): WindowPosition {
  if (typeof p === 'number' && Number.isSafeInteger(p)) return { start: p };
  const o = p as { s?: unknown; id?: unknown } | null;
  if (o && typeof o === 'object' && typeof o.s === 'number' && Number.isSafeInteger(o.s) && typeof o.id === 'string') return { start: o.s, eventId: o.id };
  throw new DingtalkError('params.invalid', 'nextToken is invalid or expired');
}

type Position = { p: 'page'; after: string; seq: number } | { p: 'since'; since: number; all: boolean } | { p: 'inst'; after: InstancePosition };

/**
 * `ListEvents`: the calendar's events (single events, series with their rule, changed occurrences)
 * page by page; the last page carries a syncToken unless timeMax was given, and a later call with it
 * returns what changed since, deleted events included (status cancelled). showDeleted lists deleted
 * events too. seriesMasterId lists that series' occurrences. timeMin/timeMax keep events whose time
 * meets [timeMin, timeMax).
 */
export const listEvents = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/events',
  schema: {
    params: CalendarParams,
    querystring: Type.Object({
      ...WindowQuery,
      showDeleted: Type.Optional(Type.Boolean()),
      syncToken: Type.Optional(Type.String()),
      seriesMasterId: Type.Optional(Type.String()),
    }),
  },
  auth: 'required',
  async handle({ params, query, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const size = maxResultsOf(query.maxResults);
    const maxAttendees = maxAttendeesOf(query.maxAttendees, MAX_RESULTS);
    const { from, to } = windowOf(query, YEAR);
    const position = query.nextToken ? decodeToken<Position>('event-list', query.nextToken, 'nextToken') : undefined;
    const { actor: user } = await actingUser(ctx, actor, params.userId);

    if (query.seriesMasterId !== undefined && query.seriesMasterId !== '') {
      const after = position?.p === 'inst' ? positionOf(position.after) : undefined;
      const page = await ctx.events.instances(user, calendarId, query.seriesMasterId, { from: from ?? 0, to: to ?? FAR_FUTURE, limit: size, after });
      const last = page.items[page.items.length - 1];
      const next = page.more && last ? encodeToken('event-list', { p: 'inst', after: { s: epochOf(last.event.start), id: eventIdOf(last.event) } } satisfies Position) : undefined;
      return { events: await eventsToWire(ctx, user.userId, page.items, maxAttendees), ...(next ? { nextToken: next } : {}) };
    }

    if (query.syncToken && (from !== undefined || to !== undefined)) {
      throw new DingtalkError('invalidParameter', 'syncToken cannot be used with timeMin or timeMax');
    }
    let request: EventListRequest | { readonly mode: 'sync'; readonly sinceSeq: number; readonly pageSize: number };
    let all = false;
    if (position?.p === 'page') {
      request = { mode: 'page', pageSize: size, afterEventId: position.after, startSeq: position.seq, anchor: from };
    } else if (position?.p === 'since') {
      request = { mode: 'sync', sinceSeq: position.since, pageSize: size };
      all = position.all;
    } else if (query.syncToken) {
      request = { mode: 'sync', sinceSeq: decodeToken<number>('event-sync', query.syncToken, 'syncToken', 'invalidParameter'), pageSize: size };
    } else if (query.showDeleted) {
      // Everything the calendar ever held, deleted events included: the changes since the beginning.
      request = { mode: 'sync', sinceSeq: 0, pageSize: size };
      all = true;
    } else {
      request = { mode: 'page', pageSize: size, anchor: from };
    }
    const result = request.mode !== 'sync' ? await ctx.events.list(user, calendarId, request)
      : all ? await ctx.sync.eventsWithDeleted(user, calendarId, request.sinceSeq, request.pageSize)
      : await ctx.sync.events(user, calendarId, request.sinceSeq, request.pageSize);
    const inWindow = (v: EventView) => {
      const range = eventRange(v.event);
      return (from === undefined || range.end >= from) && (to === undefined || range.start < to);
    };
    const items = result.items.filter(inWindow);
    const next: Position | undefined = result.next ? { p: 'page', after: result.next.afterEventId, seq: result.next.startSeq }
      : result.nextSince !== undefined ? { p: 'since', since: result.nextSince, all } : undefined;
    // No syncToken when timeMax bounds the list: it could not report changes outside the window.
    const sync = result.syncSeq !== undefined && to === undefined ? encodeToken('event-sync', result.syncSeq) : undefined;
    return {
      events: await eventsToWire(ctx, user.userId, items, maxAttendees),
      ...(next ? { nextToken: encodeToken('event-list', next) } : {}),
      ...(sync ? { syncToken: sync } : {}),
    };
  },
});
