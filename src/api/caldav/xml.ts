/**
 * WebDAV XML: requests parsed namespace-aware with @xmldom/xmldom; multistatus answers written as
 * text (they are small, and every value is escaped here).
 */
import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';

export const NS = {
  dav: 'DAV:',
  caldav: 'urn:ietf:params:xml:ns:caldav',
  cs: 'http://calendarserver.org/ns/',
  apple: 'http://apple.com/ns/ical/',
} as const;

/** A property name in Clark notation: `{namespace}local`. */
export type PropName = string;
export const clark = (ns: string, local: string): PropName => `{${ns}}${local}`;

const PREFIX: Readonly<Record<string, string>> = { [NS.dav]: 'D', [NS.caldav]: 'C', [NS.cs]: 'CS', [NS.apple]: 'A' };

export class BadXmlError extends Error {
  override readonly name = 'BadXmlError';
}

/** The document element of a request body, or undefined for an empty body. */
export function parseXml(text: string): Element | undefined {
  if (text.trim() === '') return undefined;
  let root: Element | null;
  try {
    root = new DOMParser({ onError: (level, message) => { if (level !== 'warning') throw new BadXmlError(message); } })
      .parseFromString(text, 'application/xml').documentElement;
  } catch (error) {
    throw error instanceof BadXmlError ? error : new BadXmlError((error as Error).message);
  }
  if (!root) throw new BadXmlError('no document element');
  return root;
}

/** Child elements, optionally only those with a namespace and local name. */
export function children(el: Element, ns?: string, local?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const e = n as Element;
    if (ns !== undefined && (e.namespaceURI !== ns || e.localName !== local)) continue;
    out.push(e);
  }
  return out;
}

export const child = (el: Element | undefined, ns: string, local: string): Element | undefined => (el ? children(el, ns, local)[0] : undefined);

export const nameOf = (el: Element): PropName => clark(el.namespaceURI ?? '', el.localName ?? '');

export const textOf = (el: Element | undefined): string => (el?.textContent ?? '').trim();

export const escapeXml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** `{ns}local` as a start tag name and the xmlns it needs, if its namespace has no prefix here. */
function tagOf(name: PropName): { tag: string; xmlns: string } {
  const m = /^\{([^}]*)\}(.+)$/.exec(name)!;
  const prefix = PREFIX[m[1]];
  return prefix ? { tag: `${prefix}:${m[2]}`, xmlns: '' } : { tag: `X:${m[2]}`, xmlns: ` xmlns:X="${escapeXml(m[1])}"` };
}

/** An element with inner XML (already escaped). */
export function element(name: PropName, inner = ''): string {
  const { tag, xmlns } = tagOf(name);
  return inner === '' ? `<${tag}${xmlns}/>` : `<${tag}${xmlns}>${inner}</${tag}>`;
}

export const hrefXml = (href: string): string => `<D:href>${escapeXml(href)}</D:href>`;

/** One `<D:response>` of a multistatus: found properties (200) and missing ones (404). */
export function responseXml(href: string, found: ReadonlyMap<PropName, string>, missing: readonly PropName[] = []): string {
  let out = `<D:response>${hrefXml(href)}`;
  if (found.size > 0 || missing.length === 0) {
    out += `<D:propstat><D:prop>${[...found].map(([n, v]) => element(n, v)).join('')}</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>`;
  }
  if (missing.length > 0) {
    out += `<D:propstat><D:prop>${missing.map((n) => element(n)).join('')}</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>`;
  }
  return `${out}</D:response>`;
}

export const statusResponseXml = (href: string, status: string): string => `<D:response>${hrefXml(href)}<D:status>HTTP/1.1 ${status}</D:status></D:response>`;

export function multistatus(responses: readonly string[], extra = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:" xmlns:C="${NS.caldav}" xmlns:CS="${NS.cs}" xmlns:A="${NS.apple}">${responses.join('')}${extra}</D:multistatus>`;
}

export const errorXml = (condition: PropName): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<D:error xmlns:D="DAV:" xmlns:C="${NS.caldav}">${element(condition)}</D:error>`;
