import { DAV_PREFIX } from './addresses.js';

/** What a path under /dav names. */
export type DavTarget =
  | { readonly kind: 'root' }
  | { readonly kind: 'principal'; readonly user: string }
  | { readonly kind: 'home'; readonly user: string }
  | { readonly kind: 'calendar'; readonly user: string; readonly calendarId: string }
  | { readonly kind: 'resource'; readonly user: string; readonly calendarId: string; readonly name: string }
  | { readonly kind: 'feed'; readonly token: string; readonly file: string }
  | { readonly kind: 'unknown' };

const seg = encodeURIComponent;

export const principalHref = (user: string): string => `${DAV_PREFIX}/principals/${seg(user)}/`;
export const homeHref = (user: string): string => `${DAV_PREFIX}/calendars/${seg(user)}/`;
export const calendarHref = (user: string, calendarId: string): string => `${homeHref(user)}${seg(calendarId)}/`;
export const resourceHref = (user: string, calendarId: string, name: string): string => `${calendarHref(user, calendarId)}${seg(name)}`;

/** Parses a request path (without the query); undefined when it is not under /dav. */
export function targetOf(path: string): DavTarget {
  if (path !== DAV_PREFIX && !path.startsWith(`${DAV_PREFIX}/`)) return { kind: 'unknown' };
  let parts: string[];
  try {
    parts = path.slice(DAV_PREFIX.length).split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    return { kind: 'unknown' };
  }
  const [top, a, b, c, ...rest] = parts;
  if (rest.length > 0) return { kind: 'unknown' };
  if (top === undefined) return { kind: 'root' };
  if (top === 'principals' && a !== undefined && b === undefined) return { kind: 'principal', user: a };
  if (top === 'calendars' && a !== undefined) {
    if (b === undefined) return { kind: 'home', user: a };
    if (c === undefined) return { kind: 'calendar', user: a, calendarId: b };
    return { kind: 'resource', user: a, calendarId: b, name: c };
  }
  if (top === 'feeds' && a !== undefined && b !== undefined && c === undefined) return { kind: 'feed', token: a, file: b };
  return { kind: 'unknown' };
}

/** The resource name an href names within a calendar, or undefined. */
export function nameInCalendar(href: string, user: string, calendarId: string): string | undefined {
  let path: string;
  try {
    path = new URL(href, 'http://x').pathname;
  } catch {
    return undefined;
  }
  const t = targetOf(path);
  return t.kind === 'resource' && t.user === user && t.calendarId === calendarId ? t.name : undefined;
}
