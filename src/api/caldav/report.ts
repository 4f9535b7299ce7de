/** REPORTs on a calendar: calendar-query (time-range, UID), calendar-multiget, sync-collection (RFC 6578). */
import type { Element } from '@xmldom/xmldom';
import type { AppContext } from '../../context.js';
import { DomainError, invalidArgument } from '../../core/errors.js';
import { instanceAt, meets, occurrencesIn } from '../../core/events/series.js';
import { toExpandedIcs, toFreeBusyIcs, toIcs } from '../../core/ical/event-ics.js';
import type { CaldavResourceView } from '../../core/service/caldav-service.js';
import type { CaldavActor } from '../../core/service/caldav-credential-service.js';
import { nameInCalendar, resourceHref } from './paths.js';
import { P, positionOf, resourceProps, syncTokenOf } from './properties.js';
import type { PropName } from './xml.js';
import { child, children, escapeXml, multistatus, nameOf, NS, responseXml, statusResponseXml, textOf } from './xml.js';

/** The properties a report asks for (`<D:prop>`); getetag when it names none. */
function wanted(root: Element): PropName[] {
  const prop = child(root, NS.dav, 'prop');
  return prop ? children(prop).map(nameOf) : [P.getetag];
}

/** `<C:calendar-data><C:expand start end/></C:calendar-data>` (RFC 4791 §9.6.5): the window to expand over. */
function expansionOf(root: Element): Expansion | undefined {
  const data = child(child(root, NS.dav, 'prop'), NS.caldav, 'calendar-data');
  const expand = child(data, NS.caldav, 'expand');
  const limit = child(data, NS.caldav, 'limit-recurrence-set');
  const el = expand ?? limit;
  if (!el) return undefined;
  const from = utcOf(el.getAttribute('start'));
  const to = utcOf(el.getAttribute('end'));
  if (from === undefined || to === undefined || to <= from) throw invalidArgument(el.localName ?? 'expand', 'start and end in UTC (YYYYMMDDTHHMMSSZ), start before end');
  return { from, to, limitOnly: !expand };
}

/** `expand`, or with `limitOnly` `limit-recurrence-set` (§9.6.6): the master and only the overrides meeting the range. */
interface Expansion { readonly from: number; readonly to: number; readonly limitOnly: boolean }

function limited(item: CaldavResourceView, from: number, to: number): CaldavResourceView {
  const { series } = item;
  // Cancelled rows stay (they are EXDATEs of the master); an override is kept when it or the occurrence it replaces meets the range.
  const exceptions = series.exceptions.filter((x) => x.status === 'cancelled' || meets(x, from, to) || meets(instanceAt(series.master, x.originalStart), from, to));
  return { ...item, series: { ...series, exceptions } };
}

function answer(user: string, calendarId: string, item: CaldavResourceView, props: readonly PropName[], expansion?: Expansion): string {
  const all = resourceProps(item, props.includes(P.calendarData));
  if (expansion && all.has(P.calendarData)) {
    const data = expansion.limitOnly ? toIcs([limited(item, expansion.from, expansion.to).series]) : toExpandedIcs(item.series, expansion.from, expansion.to);
    all.set(P.calendarData, escapeXml(data));
  }
  const found = new Map(props.filter((n) => all.has(n)).map((n) => [n, all.get(n)!]));
  return responseXml(resourceHref(user, calendarId, item.name), found, props.filter((n) => !all.has(n)));
}

/** `20250101T000000Z` → epoch seconds. */
function utcOf(text: string | null): number | undefined {
  const m = text ? /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(text) : null;
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 : undefined;
}

/** Whether a series has an occurrence meeting [from, to), expanded by rili's own recurrence engine. */
function inRange(item: CaldavResourceView, from: number, to: number): boolean {
  const { master, exceptions } = item.series;
  if (!master.recurrence) return meets(master, from, to);
  return occurrencesIn(master, exceptions, from, to, 1).length > 0;
}

/** Applies a calendar-query filter: VCALENDAR › VEVENT with an optional time-range and UID text-match. */
function matches(filter: Element | undefined, item: CaldavResourceView): boolean {
  const vcalendar = child(filter, NS.caldav, 'comp-filter');
  if (!vcalendar) return true;
  const comps = children(vcalendar, NS.caldav, 'comp-filter');
  if (comps.length === 0) return true;
  return comps.every((comp) => {
    if ((comp.getAttribute('name') ?? '').toUpperCase() !== 'VEVENT') return false;
    const range = child(comp, NS.caldav, 'time-range');
    if (range) {
      const from = utcOf(range.getAttribute('start')) ?? -8_640_000_000_000;
      const to = utcOf(range.getAttribute('end')) ?? 8_640_000_000_000;
      if (!inRange(item, from, to)) return false;
    }
    for (const pf of children(comp, NS.caldav, 'prop-filter')) {
      const name = (pf.getAttribute('name') ?? '').toUpperCase();
      const match = child(pf, NS.caldav, 'text-match');
      const value = name === 'UID' ? item.series.icalUid : name === 'SUMMARY' ? item.series.master.summary : undefined;
      if (child(pf, NS.caldav, 'is-not-defined')) {
        if (value !== undefined && value !== '') return false;
        continue;
      }
      if (value === undefined) return false;
      if (match) {
        const needle = textOf(match).toLowerCase();
        const hit = value.toLowerCase().includes(needle);
        if (hit === (match.getAttribute('negate-condition') === 'yes')) return false;
      }
    }
    return true;
  });
}

export async function report(ctx: AppContext, actor: CaldavActor, user: string, calendarId: string, root: Element): Promise<string> {
  const props = wanted(root);
  const expansion = expansionOf(root);
  if (root.namespaceURI === NS.caldav && root.localName === 'calendar-query') {
    const { items } = await ctx.caldav.resources(actor, calendarId);
    const filter = child(root, NS.caldav, 'filter');
    return multistatus(items.filter((i) => matches(filter, i)).map((i) => answer(user, calendarId, i, props, expansion)));
  }
  if (root.namespaceURI === NS.caldav && root.localName === 'calendar-multiget') {
    const out: string[] = [];
    for (const h of children(root, NS.dav, 'href')) {
      const href = textOf(h);
      const name = nameInCalendar(href, user, calendarId);
      const item = name === undefined ? undefined : await ctx.caldav.resource(actor, calendarId, name);
      out.push(item ? answer(user, calendarId, item, props, expansion) : statusResponseXml(href, '404 Not Found'));
    }
    return multistatus(out);
  }
  if (root.namespaceURI === NS.dav && root.localName === 'sync-collection') {
    const token = textOf(child(root, NS.dav, 'sync-token'));
    if (token === '') {
      const { items, position } = await ctx.caldav.resources(actor, calendarId);
      return multistatus(items.map((i) => answer(user, calendarId, i, props, expansion)), `<D:sync-token>${escapeXml(syncTokenOf(position))}</D:sync-token>`);
    }
    const since = positionOf(token);
    if (since === undefined) throw new DomainError('sync_token_invalid', 'not a sync-token of this server', 'sync-token');
    const { items, gone, position } = await ctx.caldav.changes(actor, calendarId, since);
    return multistatus([
      ...items.map((i) => answer(user, calendarId, i, props, expansion)),
      ...gone.map((name) => statusResponseXml(resourceHref(user, calendarId, name), '404 Not Found')),
    ], `<D:sync-token>${escapeXml(syncTokenOf(position))}</D:sync-token>`);
  }
  throw new UnsupportedReportError(`${root.localName ?? ''} is not a supported REPORT`);
}

/** free-busy-query (RFC 4791 §7.10) on a calendar: a VFREEBUSY of its busy time, as Feishu's freebusy computes it. */
export async function freeBusyReport(ctx: AppContext, actor: CaldavActor, calendarId: string, root: Element): Promise<string> {
  const range = child(root, NS.caldav, 'time-range');
  const from = utcOf(range?.getAttribute('start') ?? null);
  const to = utcOf(range?.getAttribute('end') ?? null);
  if (from === undefined || to === undefined || to <= from) throw invalidArgument('time-range', 'start and end in UTC (YYYYMMDDTHHMMSSZ), start before end');
  const busy = await ctx.events.calendarBusy(actor, calendarId, from, to);
  return toFreeBusyIcs(busy, from, to, Math.floor(ctx.clock.now() / 1000));
}

export class UnsupportedReportError extends Error {
  override readonly name = 'UnsupportedReportError';
}
