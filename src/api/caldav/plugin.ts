/**
 * CalDAV (RFC 4791) and WebDAV sync (RFC 6578) on rili's own port, under /dav, with HTTP Basic
 * authentication by the credentials generateCaldavConf / GenerateCaldavAccount issue, and the
 * read-only iCalendar feeds under /dav/feeds/<secret>/. Every read and write goes through the
 * CalDAV service over the event services, so a write lands in the change log like any other.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { toIcs } from '../../core/ical/event-ics.js';
import type { CaldavActor } from '../../core/service/caldav-credential-service.js';
import { DAV_PREFIX } from './addresses.js';
import { sendDavError } from './errors.js';
import { calendarHref, homeHref, principalHref, resourceHref, targetOf } from './paths.js';
import type { DavTarget } from './paths.js';
import { calendarProps, homeProps, principalProps, resourceProps, rootProps } from './properties.js';
import type { Props } from './properties.js';
import { freeBusyReport, report, UnsupportedReportError } from './report.js';
import type { PropName } from './xml.js';
import { child, children, escapeXml, multistatus, nameOf, NS, parseXml, responseXml } from './xml.js';

const DAV_METHODS = ['PROPFIND', 'PROPPATCH', 'REPORT', 'MKCALENDAR', 'MKCOL'] as const;
const ALLOW = 'OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, REPORT';

/** Registers the methods WebDAV adds; once per server (Fastify's router is shared). */
export function addDavMethods(app: FastifyInstance): void {
  for (const m of DAV_METHODS) if (!app.supportedMethods.includes(m)) app.addHttpMethod(m, { hasBody: true });
}

function basicCredentials(request: FastifyRequest): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

const headerOf = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

export async function caldavPlugin(app: FastifyInstance, options: { ctx: AppContext }): Promise<void> {
  const { ctx } = options;
  // Bodies are iCalendar or XML text, whatever type a client labels them with.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  for (const url of ['/.well-known/caldav', '/.well-known/caldav/']) app.all(url, async (_request, reply) => reply.redirect(`${DAV_PREFIX}/`, 301));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('DAV', '1, 3, calendar-access');
    const path = request.url.split('?')[0];
    const target = targetOf(path);
    if (request.method === 'OPTIONS') return reply.code(200).header('Allow', ALLOW).send();
    if (target.kind === 'feed') return feed(request, reply, target);
    if (target.kind === 'unknown') return reply.code(404).type('text/plain; charset=utf-8').send('404 not found');
    const creds = basicCredentials(request);
    const actor = creds && await ctx.caldavCredentials.authenticate(creds.user, creds.password);
    if (!actor || !creds) {
      return reply.code(401).header('WWW-Authenticate', 'Basic realm="rili CalDAV", charset="UTF-8"').type('text/plain; charset=utf-8').send('401 unauthorized');
    }
    if (target.kind !== 'root' && target.user !== creds.user) return reply.code(403).type('text/plain; charset=utf-8').send('another user\'s collection');
    try {
      return await dispatch(request, reply, target, actor, creds.user);
    } catch (error) {
      if (error instanceof UnsupportedReportError) return reply.code(403).type('application/xml; charset=utf-8').send(`<?xml version="1.0"?><D:error xmlns:D="DAV:"><D:supported-report/></D:error>`);
      return sendDavError(reply, error);
    }
  };
  for (const url of [DAV_PREFIX, `${DAV_PREFIX}/`, `${DAV_PREFIX}/*`]) {
    app.route({ method: ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', ...DAV_METHODS], url, handler });
  }

  async function dispatch(request: FastifyRequest, reply: FastifyReply, target: Exclude<DavTarget, { kind: 'unknown' | 'feed' }>, actor: CaldavActor, user: string) {
    const body = typeof request.body === 'string' ? request.body : '';
    switch (request.method) {
      case 'PROPFIND':
        return reply.code(207).type('application/xml; charset=utf-8').send(await propfind(request, target, actor, user, body));
      case 'PROPPATCH': {
        // Calendar properties change through the platform APIs; a client's PROPPATCH is refused per property.
        const set = parseXml(body);
        const names = set ? children(set).flatMap((op) => children(op)).flatMap((p) => children(p)).map(nameOf) : [];
        const xml = `<D:response><D:href>${escapeXml(request.url)}</D:href><D:propstat><D:prop>${names.map((n) => `<X:${n.replace(/^\{[^}]*\}/, '')} xmlns:X="${n.slice(1, n.indexOf('}'))}"/>`).join('')}</D:prop><D:status>HTTP/1.1 403 Forbidden</D:status></D:propstat></D:response>`;
        return reply.code(207).type('application/xml; charset=utf-8').send(multistatus([xml]));
      }
      case 'MKCALENDAR':
      case 'MKCOL':
        return reply.code(403).type('text/plain; charset=utf-8').send('calendars are made through the Feishu or DingTalk API');
      case 'REPORT': {
        if (target.kind !== 'calendar') return reply.code(403).type('text/plain; charset=utf-8').send('REPORT is answered on a calendar');
        const root = parseXml(body);
        if (!root) return reply.code(400).type('text/plain; charset=utf-8').send('REPORT needs a body');
        if (root.namespaceURI === NS.caldav && root.localName === 'free-busy-query') {
          return reply.code(200).type('text/calendar; charset=utf-8').send(await freeBusyReport(ctx, actor, target.calendarId, root));
        }
        return reply.code(207).type('application/xml; charset=utf-8').send(await report(ctx, actor, user, target.calendarId, root));
      }
      default:
        break;
    }
    if (target.kind !== 'resource') {
      if (request.method === 'GET' || request.method === 'HEAD') return reply.code(200).type('text/plain; charset=utf-8').send('rili CalDAV: use a CalDAV client');
      return reply.code(405).header('Allow', 'OPTIONS, GET, PROPFIND, REPORT').send();
    }
    const conditions = { ifMatch: headerOf(request, 'if-match'), ifNoneMatch: headerOf(request, 'if-none-match') };
    if (request.method === 'GET' || request.method === 'HEAD') {
      const item = await ctx.caldav.resource(actor, target.calendarId, target.name);
      if (!item) return reply.code(404).type('text/plain; charset=utf-8').send('404 not found');
      return reply.code(200).header('ETag', item.etag).type('text/calendar; charset=utf-8').send(toIcs([item.series]));
    }
    if (request.method === 'PUT') {
      const done = await ctx.caldav.put(actor, target.calendarId, target.name, body, conditions);
      return reply.code(done.created ? 201 : 204).header('ETag', done.etag).send();
    }
    // DELETE
    const removed = await ctx.caldav.remove(actor, target.calendarId, target.name, conditions);
    return reply.code(removed ? 204 : 404).send();
  }

  async function propfind(request: FastifyRequest, target: Exclude<DavTarget, { kind: 'unknown' | 'feed' }>, actor: CaldavActor, user: string, body: string): Promise<string> {
    const root = parseXml(body);
    const prop = child(root, NS.dav, 'prop');
    const asked: PropName[] | undefined = prop ? children(prop).map(nameOf) : undefined;
    const depth = headerOf(request, 'depth') ?? '1';
    const deep = depth !== '0';
    const out: string[] = [];
    const add = (href: string, props: Props) => {
      if (!asked) {
        out.push(responseXml(href, props));
        return;
      }
      const found = new Map(asked.filter((n) => props.has(n)).map((n) => [n, props.get(n)!]));
      out.push(responseXml(href, found, asked.filter((n) => !props.has(n))));
    };
    const calendars = async () => {
      for (const view of await ctx.caldav.calendarList(actor)) {
        const { position } = await ctx.caldav.calendar(actor, view.calendar.calendarId);
        add(calendarHref(user, view.calendar.calendarId), calendarProps(user, view, position));
      }
    };
    switch (target.kind) {
      case 'root':
        add(`${DAV_PREFIX}/`, rootProps(user));
        break;
      case 'principal': {
        const me = await ctx.directory.user(actor.userId);
        add(principalHref(user), principalProps(user, me?.name ?? user));
        break;
      }
      case 'home':
        add(homeHref(user), homeProps(user));
        if (deep) await calendars();
        break;
      case 'calendar': {
        if (!deep) {
          const { view, position } = await ctx.caldav.calendar(actor, target.calendarId);
          add(calendarHref(user, target.calendarId), calendarProps(user, view, position));
          break;
        }
        const { view, items, position } = await ctx.caldav.resources(actor, target.calendarId);
        add(calendarHref(user, target.calendarId), calendarProps(user, view, position));
        for (const item of items) add(resourceHref(user, target.calendarId, item.name), resourceProps(item, asked?.some((n) => n === `{${NS.caldav}}calendar-data`) ?? false));
        break;
      }
      case 'resource': {
        const item = await ctx.caldav.resource(actor, target.calendarId, target.name);
        if (!item) return multistatus([`<D:response><D:href>${resourceHref(user, target.calendarId, target.name)}</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>`]);
        add(resourceHref(user, target.calendarId, item.name), resourceProps(item, asked?.some((n) => n === `{${NS.caldav}}calendar-data`) ?? false));
        break;
      }
    }
    return multistatus(out);
  }

  /** A calendar's read-only iCalendar feed: `<feed base><calendar id>.ics`, the secret in the path. */
  async function feed(_request: FastifyRequest, reply: FastifyReply, target: Extract<DavTarget, { kind: 'feed' }>) {
    const actor = await ctx.caldavCredentials.feedActor(target.token);
    if (!actor || !target.file.endsWith('.ics')) return reply.code(404).type('text/plain; charset=utf-8').send('404 not found');
    try {
      const { view, items } = await ctx.caldav.resources(actor, target.file.slice(0, -'.ics'.length));
      const name = view.subscription?.summaryAlias || view.calendar.summary;
      return reply.code(200).type('text/calendar; charset=utf-8').header('Cache-Control', 'private, max-age=60')
        .send(toIcs(items.map((i) => i.series), { name, method: 'PUBLISH' }));
    } catch (error) {
      return sendDavError(reply, error);
    }
  }
}
