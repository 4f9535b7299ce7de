/** The WebDAV/CalDAV properties rili answers, per kind of resource. */
import type { CaldavResourceView } from '../../core/service/caldav-service.js';
import type { CalendarView } from '../../core/service/calendar-service.js';
import { toIcs } from '../../core/ical/event-ics.js';
import { calendarHref, homeHref, principalHref } from './paths.js';
import type { PropName } from './xml.js';
import { clark, element, escapeXml, hrefXml, NS } from './xml.js';

const D = (local: string) => clark(NS.dav, local);
const C = (local: string) => clark(NS.caldav, local);

export const P = {
  resourcetype: D('resourcetype'),
  displayname: D('displayname'),
  currentUserPrincipal: D('current-user-principal'),
  principalUrl: D('principal-URL'),
  owner: D('owner'),
  privileges: D('current-user-privilege-set'),
  supportedReports: D('supported-report-set'),
  syncToken: D('sync-token'),
  getetag: D('getetag'),
  getcontenttype: D('getcontenttype'),
  homeSet: C('calendar-home-set'),
  userAddressSet: C('calendar-user-address-set'),
  components: C('supported-calendar-component-set'),
  description: C('calendar-description'),
  calendarData: C('calendar-data'),
  timezone: C('calendar-timezone'),
  ctag: clark(NS.cs, 'getctag'),
  color: clark(NS.apple, 'calendar-color'),
  order: clark(NS.apple, 'calendar-order'),
} as const;

export type Props = Map<PropName, string>;

/** A sync token: the change-log position, as a URI (RFC 6578 §3.2). */
export const syncTokenOf = (position: number): string => `http://rili.invalid/sync/${position}`;
export function positionOf(token: string): number | undefined {
  const m = /^http:\/\/rili\.invalid\/sync\/(\d{1,15})$/.exec(token.trim());
  return m ? Number(m[1]) : undefined;
}

function common(user: string): Props {
  return new Map([
    [P.currentUserPrincipal, hrefXml(principalHref(user))],
    [P.principalUrl, hrefXml(principalHref(user))],
    [P.homeSet, hrefXml(homeHref(user))],
  ]);
}

export function rootProps(user: string): Props {
  const p = common(user);
  p.set(P.resourcetype, element(D('collection')));
  p.set(P.displayname, 'rili');
  return p;
}

export function principalProps(user: string, name: string): Props {
  const p = common(user);
  p.set(P.resourcetype, element(D('principal')));
  p.set(P.displayname, escapeXml(name));
  p.set(P.userAddressSet, hrefXml(principalHref(user)));
  return p;
}

export function homeProps(user: string): Props {
  const p = common(user);
  p.set(P.resourcetype, element(D('collection')));
  p.set(P.displayname, 'calendars');
  p.set(P.owner, hrefXml(principalHref(user)));
  return p;
}

/** `#RRGGBB` of a platform colour (an ARGB integer; -1 and the like: rili's default blue). */
const colorOf = (color: number): string => (color >= 0 || color < -1 ? `#${(color >>> 0 & 0xffffff).toString(16).padStart(6, '0')}` : '#3370ff');

const WRITE_PRIVILEGES = ['write', 'write-content', 'write-properties', 'bind', 'unbind'];

export function calendarProps(user: string, view: CalendarView, position: number): Props {
  const p = common(user);
  const writable = view.role === 'writer' || view.role === 'owner';
  const privileges = ['read', 'read-current-user-privilege-set', ...(writable ? WRITE_PRIVILEGES : [])];
  p.set(P.resourcetype, element(D('collection')) + element(C('calendar')));
  p.set(P.displayname, escapeXml(view.subscription?.summaryAlias || view.calendar.summary || view.calendar.calendarId));
  p.set(P.description, escapeXml(view.calendar.description));
  p.set(P.color, colorOf(view.subscription?.color ?? view.calendar.color));
  p.set(P.components, '<C:comp name="VEVENT"/>');
  p.set(P.ctag, escapeXml(String(position)));
  p.set(P.syncToken, escapeXml(syncTokenOf(position)));
  p.set(P.owner, hrefXml(principalHref(user)));
  p.set(P.privileges, privileges.map((n) => `<D:privilege>${element(D(n))}</D:privilege>`).join('')
    + '<D:privilege><C:read-free-busy/></D:privilege>');
  p.set(P.supportedReports, ['calendar-query', 'calendar-multiget'].map((r) => `<D:supported-report><D:report>${element(C(r))}</D:report></D:supported-report>`).join('')
    + `<D:supported-report><D:report>${element(D('sync-collection'))}</D:report></D:supported-report>`);
  p.set(P.getcontenttype, 'text/calendar; charset=utf-8');
  return p;
}

export function resourceProps(item: CaldavResourceView, withData: boolean): Props {
  const p: Props = new Map([
    [P.resourcetype, ''],
    [P.getetag, escapeXml(item.etag)],
    [P.getcontenttype, 'text/calendar; charset=utf-8; component=vevent'],
  ]);
  if (withData) p.set(P.calendarData, escapeXml(toIcs([item.series])));
  return p;
}

export { calendarHref };
