import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { dingtalkRoutes } from '../../src/api/dingtalk/plugin.js';
import { driveRoutes } from '../../src/api/feishu/drive/v1/index.js';
import { feishuRoutes } from '../../src/api/feishu/plugin.js';
import type { Route } from '../../src/api/route.js';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { STORES } from '../helpers/stores.js';
import { dingtalk, dingtalkAppToken, feishu, isFeishuOk, sandboxToken, send, tenantToken } from './lib/http.js';
import type { Answer, Send } from './lib/http.js';
import { HOSTILE_STRINGS, objectOf, RAW_BODIES, valueOf } from './lib/fuzz-values.js';
import type { Pools } from './lib/fuzz-values.js';
import { privateDatabase } from './lib/pg.js';
import type { PgDatabase } from './lib/pg.js';
import { RUN_SEED, sized } from './lib/size.js';
import { changedTables, snapshot } from './lib/snapshot.js';

/**
 * Bad input: every endpoint of both dialects, its path, query, headers and body fuzzed (fast-check,
 * guided by the route's own schemas), then a fixed battery of broken bodies: malformed JSON, invalid
 * UTF-8, control characters, deep nesting, 10 MB. Every answer is the platform's envelope (4xx for a
 * refusal, 413 for an oversize body, never a 5xx), within a second, and a refused request leaves
 * every table of the store as it was.
 */

const RUNS = sized('RILI_FUZZ_RUNS', 25, 400);
const SLOW_MS = 1000;
const TEN_MB = 10 * 1024 * 1024;

type Dialect = 'feishu' | 'dingtalk';
interface Endpoint {
  readonly dialect: Dialect;
  readonly route: Route;
  readonly path: string;
}

const ENDPOINTS: readonly Endpoint[] = [
  ...[...feishuRoutes, ...driveRoutes].map((route) => ({ dialect: 'feishu' as const, route, path: `/open-apis${route.url}` })),
  ...dingtalkRoutes.map((route) => ({ dialect: 'dingtalk' as const, route, path: `/v1.0${route.url}` })),
];

const hasBody = (e: Endpoint) => e.route.method !== 'GET' && e.route.method !== 'DELETE';

interface Tokens {
  feishuUser: string;
  feishuOtherUser: string;
  feishuTenant: string;
  feishuGlobex: string;
  dingApp: string;
  dingUser: string;
  dingGlobex: string;
}

/** Names what is wrong with an answer; empty when it is a proper answer of the dialect. */
function judge(e: Endpoint, a: Answer, oversize: boolean): string[] {
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`HTTP ${a.status}`);
  const json = a.json;
  if (e.dialect === 'feishu') {
    if (a.status === 404 && a.text === '404 page not found') return problems;
    if (typeof json !== 'object' || json === null) return [...problems, `not a JSON envelope: ${a.status} ${a.text.slice(0, 120)}`];
    if (typeof json.code !== 'number' || typeof json.msg !== 'string') problems.push('envelope without a numeric code and a msg');
    if (a.status === 200) {
      if (json.code !== 0 && json.code !== 10003) problems.push(`HTTP 200 with code ${json.code}`);
    } else if (a.status >= 400 && a.status < 500) {
      if (json.code === 0) problems.push(`HTTP ${a.status} with code 0`);
      if (typeof json.error?.log_id !== 'string') problems.push('error.log_id missing');
    }
    if (oversize && a.status !== 413) problems.push(`a 10 MB body answered ${a.status}, not 413`);
  } else {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return [...problems, `not a JSON object: ${a.status} ${a.text.slice(0, 120)}`];
    if (a.status >= 400) {
      if (typeof json.code !== 'string' || typeof json.message !== 'string' || typeof json.requestid !== 'string') problems.push('error body without code, message and requestid');
    }
    if (oversize && a.status !== 413) problems.push(`a 10 MB body answered ${a.status}, not 413`);
  }
  return problems;
}

/**
 * Bugs this suite found and reported (RELIABILITY.md). Their answers are counted apart, each under a
 * `todo` test of its own, so the endpoint tests stay green and still catch anything new.
 */
interface KnownBug {
  readonly id: string;
  /** The stores it shows on; all when absent. */
  readonly stores?: readonly string[];
  readonly todo: string;
  /** `problem`: a wrong answer (shape, status), a slow one, or a refusal that changed the store. */
  matches(kind: string, e: Endpoint, req: Send, a: Answer, problem: 'answer' | 'slow' | 'changed'): boolean;
}

const KNOWN_BUGS: readonly KnownBug[] = [];

const refused = (e: Endpoint, a: Answer) => (e.dialect === 'feishu' ? !isFeishuOk(a) : a.status !== 200);

/**
 * Percent-encodes text for a URL; a lone surrogate (which URLs cannot carry) goes as the bytes Node
 * would write for it. Capped at 800 encoded characters, so a whole request head stays under 16 KB:
 * past that Node itself answers 431 and closes the connection before rili sees the request (a limit
 * written down in RELIABILITY.md).
 */
function enc(text: string): string {
  let out: string;
  try {
    out = encodeURIComponent(text.slice(0, 800));
  } catch {
    out = [...Buffer.from(text.slice(0, 800), 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out.length <= 800 ? out : out.slice(0, 800).replace(/%[0-9A-F]?$/, '');
}

/** Query string from an object: arrays repeat the key, objects go as JSON; each value encoded. */
function queryString(q: Record<string, unknown>, raw: string): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    const values = Array.isArray(v) ? v : [v];
    for (const x of values) parts.push(`${enc(k)}=${enc(typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x))}`);
  }
  if (raw) parts.push(raw);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Path segments sent raw: traversal, bad escapes, encoded separators (all legal on the wire). */
const RAW_SEGMENTS = ['..', '.', '%', '%ZZ', '%00', 'a%2Fb', '%2e%2e', ';', '%20', '%E2%80%AE', '%C0%AF', '%FF', '~', '*'];
const RAW_QUERIES = ['', '', '', '&', '&&=&', 'a=%ZZ', 'page_size=1&page_size=2', '%00=1', 'x[y]=1', 'user_id_type=open_id&user_id_type=user_id', 'page_size=%00', '=', `${'a'.repeat(2000)}=1`];

/** A random request to one endpoint. */
function requestOf(e: Endpoint, pools: Pools, tokens: Tokens): fc.Arbitrary<Send> {
  const schema = e.route.schema as Record<string, any>;
  const params = [...e.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]);
  const pathValues = fc.tuple(...params.map((name) => fc.oneof(
    { weight: 7, arbitrary: valueOf({ type: 'string' }, name, pools).map((v) => enc(typeof v === 'string' ? v : String(JSON.stringify(v)))) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map(enc) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
  )));
  const query = schema.querystring ? objectOf(schema.querystring, '', pools) : fc.constant({});
  const rawQuery = fc.constantFrom(...RAW_QUERIES);
  const token = e.dialect === 'feishu'
    ? fc.oneof(
      { weight: 12, arbitrary: fc.constant(`Bearer ${tokens.feishuUser}`) },
      { weight: 2, arbitrary: fc.constantFrom(`Bearer ${tokens.feishuTenant}`, `Bearer ${tokens.feishuOtherUser}`, `Bearer ${tokens.feishuGlobex}`) },
      { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer u-xxx', 'Basic YTpi', `Bearer u-${'x'.repeat(5000)}`, `Bearer ${tokens.dingApp}`, 'Bearer t-\u00ff') },
    )
    : fc.oneof(
      { weight: 12, arbitrary: fc.constant(tokens.dingApp) },
      { weight: 2, arbitrary: fc.constantFrom(tokens.dingUser, tokens.dingGlobex) },
      { weight: 1, arbitrary: fc.constantFrom('', 'x', tokens.feishuUser, `${tokens.dingApp}x`, 'a'.repeat(5000)) },
    );
  const clientToken = fc.option(fc.constantFrom('ct-1', 'ct-2', '', 'x'.repeat(300), ' ', '\u00e9'), { freq: 3 });
  const body = hasBody(e)
    ? fc.oneof(
      { weight: 8, arbitrary: (schema.body ? objectOf(schema.body, '', pools) : fc.constant({})).map((o) => Buffer.from(JSON.stringify(o))) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES.filter((r) => r.bytes.length < 10_000)).map((r) => r.bytes) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    ).map((b): Buffer | undefined => b)
    : fc.option(fc.constant(Buffer.from('{"unexpected":"body"}')), { freq: 5 }).map((b) => b ?? undefined);
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '*/*', '') },
  );
  return fc.record({ pathValues, query, rawQuery, token, clientToken, body, contentType }).map((r) => {
    let i = 0;
    const path = e.path.replace(/:([A-Za-z_]+)/g, () => r.pathValues[i++]);
    const headers: Record<string, string> = {};
    if (e.dialect === 'feishu') {
      if (r.token) headers.authorization = r.token;
    } else {
      if (r.token) headers['x-acs-dingtalk-access-token'] = r.token;
      if (r.clientToken !== null) headers['x-client-token'] = r.clientToken;
    }
    if (r.body !== undefined && r.contentType) headers['content-type'] = r.contentType;
    return { method: e.route.method, path: `${path}${queryString(r.query, r.rawQuery)}`, headers, body: r.body };
  });
}

for (const kind of STORES) {
  describe(`${kind}: bad input never gets a 5xx, a slow answer or a half-write`, () => {
    let s: TestServer;
    let pgDatabase: PgDatabase | undefined;
    let tokens: Tokens;
    const pools: Pools = { calendarIds: [], eventIds: [], attendeeIds: [], aclIds: [] };
    const counts = { random: 0, fixed: 0, refused: 0, succeeded: 0, slowestMs: 0 };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const known: Record<string, string[]> = Object.fromEntries(KNOWN_BUGS.map((b) => [b.id, []]));

    before(async () => {
      if (kind === 'postgres') pgDatabase = await privateDatabase('fuzz');
      s = await startServer(kind, pgDatabase ? { location: pgDatabase.schema('f').location } : {});
      tokens = {
        feishuUser: await sandboxToken(s.url, 'cli_acme', 'zhangsan'),
        feishuOtherUser: await sandboxToken(s.url, 'cli_acme', 'zhouba'),
        feishuTenant: await tenantToken(s.url, 'cli_acme', 'acme-secret'),
        feishuGlobex: await sandboxToken(s.url, 'cli_globex', 'hank'),
        dingApp: await dingtalkAppToken(s.url, 'dingacme', 'acme-secret'),
        dingUser: await sandboxToken(s.url, 'dingacme', 'zhangsan'),
        dingGlobex: await dingtalkAppToken(s.url, 'dingglobex', 'globex-secret'),
      };
    });
    after(async () => {
      agent.destroy();
      const total = counts.random + counts.fixed;
      console.log(`[reliability] fuzz ${kind}: ${total} requests to ${ENDPOINTS.length} endpoints (${counts.random} generated by fast-check, ${counts.fixed} fixed hostile bodies), `
        + `${counts.refused} refused, ${counts.succeeded} succeeded, slowest ${Math.round(counts.slowestMs)} ms, seed ${RUN_SEED}; `
        + `answers of known bugs: ${KNOWN_BUGS.map((b) => `${b.id} ${known[b.id].length}`).join(', ') || 'none listed'}`);
      await s?.close();
      await pgDatabase?.drop();
    });

    /** Fresh targets for an endpoint: earlier requests may have deleted or changed the last ones. */
    async function refreshPools(): Promise<void> {
      const me = { base: s.url, token: tokens.feishuUser };
      const primary = await feishu(me, 'POST', '/calendar/v4/calendars/primary');
      const primaryId = primary.json.data.calendars[0].calendar.calendar_id as string;
      const shared = await feishu(me, 'POST', '/calendar/v4/calendars', { summary: 'fuzz shared', permissions: 'public' });
      const sharedId = shared.json.data.calendar.calendar_id as string;
      const acl = await feishu(me, 'POST', `/calendar/v4/calendars/${encodeURIComponent(sharedId)}/acls?user_id_type=user_id`, { role: 'writer', scope: { type: 'user', user_id: 'lisi' } });
      const events = `/calendar/v4/calendars/${encodeURIComponent(primaryId)}/events`;
      const single = await feishu(me, 'POST', events, { summary: 'setup single', start_time: { timestamp: '1767225600' }, end_time: { timestamp: '1767229200' } });
      const series = await feishu(me, 'POST', events, { summary: 'setup series', recurrence: 'FREQ=DAILY;COUNT=10', start_time: { timestamp: '1767225600' }, end_time: { timestamp: '1767229200' } });
      const singleId = single.json.data.event.event_id as string;
      const seriesId = series.json.data.event.event_id as string;
      const attendees = await feishu(me, 'POST', `${events}/${singleId}/attendees?user_id_type=user_id`, { attendees: [{ type: 'user', user_id: 'lisi' }, { type: 'chat', chat_id: 'oc_team' }] });
      for (const a of [primary, shared, acl, single, series, attendees]) assert.ok(isFeishuOk(a), a.text);
      pools.calendarIds = ['primary', primaryId, sharedId, 'feishu.cn_nope@group.calendar.feishu.cn', 'no-at-sign'];
      pools.eventIds = [singleId, seriesId, `${seriesId.slice(0, -2)}_1767312000`, `${seriesId.slice(0, -2)}_1767312001`, '00000000-0000-4000-8000-000000000000_0', 'not-an-event'];
      pools.attendeeIds = (attendees.json.data.attendees as Array<{ attendee_id: string }>).map((a) => a.attendee_id).concat(['user_nope']);
      pools.aclIds = [acl.json.data.acl_id as string, 'user_nope'];
    }

    /** Sends one request and checks the answer and, if refused, the store. */
    async function check(e: Endpoint, req: Send, label: string, violations: string[], oversize = false): Promise<void> {
      const before = await snapshot(s.server.ctx.store.db, kind);
      let a: Answer;
      try {
        a = await send(s.url, { ...req, agent, timeoutMs: 30_000 });
      } catch (error) {
        violations.push(`${label}: no answer (${(error as Error).message}); ${show(req)}`);
        return;
      }
      const problems: string[] = [];
      const shape = judge(e, a, oversize);
      const bug = shape.length > 0 ? KNOWN_BUGS.find((b) => b.matches(kind, e, req, a, 'answer')) : undefined;
      if (bug) known[bug.id].push(`${label}: ${shape.join('; ')}: ${a.status} ${a.text.slice(0, 160)}; ${show(req)}`);
      else problems.push(...shape);
      if (refused(e, a)) {
        counts.refused++;
        const changed = changedTables(before, await snapshot(s.server.ctx.store.db, kind));
        if (changed.length > 0) {
          const what = `refused (${a.status} ${a.text.slice(0, 100)}) yet changed ${changed.join(', ')}`;
          const changedBug = KNOWN_BUGS.find((b) => b.matches(kind, e, req, a, 'changed'));
          if (changedBug) known[changedBug.id].push(`${label}: ${what}; ${show(req)}`);
          else problems.push(what);
        }
      } else {
        counts.succeeded++;
      }
      if (a.ms > SLOW_MS) {
        // The machine is shared: a slow answer counts only if the same request is slow again.
        const again = await send(s.url, { ...req, agent, timeoutMs: 30_000 }).catch(() => undefined);
        if (!again || again.ms > SLOW_MS) {
          const slow = `slow: ${Math.round(a.ms)} ms, then ${again ? Math.round(again.ms) : 'no answer'}`;
          const slowBug = KNOWN_BUGS.find((b) => b.matches(kind, e, req, a, 'slow'));
          if (slowBug) known[slowBug.id].push(`${label}: ${slow}; ${show(req)}`);
          else problems.push(slow);
        }
      }
      counts.slowestMs = Math.max(counts.slowestMs, a.ms);
      if (problems.length > 0) violations.push(`${label}: ${problems.join('; ')}: ${a.status} ${a.text.slice(0, 200)}; ${show(req)}`);
    }

    const show = (req: Send) => {
      // As http.ts sends it: bytes and strings as they are, an object as JSON (String() would print [object Object]).
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : typeof req.body === 'string' ? req.body : req.body === undefined ? '' : JSON.stringify(req.body);
      return `${req.method} ${req.path.slice(0, 300)} headers=${JSON.stringify(req.headers).slice(0, 200)} body=${body.length > 300 ? `${body.slice(0, 300)}… (${body.length} bytes)` : body}`;
    };

    for (const e of ENDPOINTS) {
      test(`${kind}: ${e.dialect} ${e.route.method} ${e.route.url}`, { timeout: 10 * 60_000 }, async () => {
        await refreshPools();
        const violations: string[] = [];
        const validPath = () => e.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(
          name === 'userId' ? 'on_zhangsan' : name === 'event_id' || name === 'eventId' ? pools.eventIds[0]
            : name === 'attendee_id' ? pools.attendeeIds[1] ?? pools.attendeeIds[0] : name === 'acl_id' ? pools.aclIds[0] : name === 'calendarId' ? 'primary' : pools.calendarIds[1]));
        const auth: Record<string, string> = e.dialect === 'feishu' ? { authorization: `Bearer ${tokens.feishuUser}` } : { 'x-acs-dingtalk-access-token': tokens.dingApp };

        // Generated requests.
        await fc.assert(fc.asyncProperty(requestOf(e, pools, tokens), async (req) => {
          counts.random++;
          await check(e, req, 'generated', violations);
        }), { numRuns: RUNS, seed: RUN_SEED, endOnFailure: true });

        // Fixed hostile bodies, with a good token and a good path; on DingTalk also with an x-client-token.
        const clientTokens = e.dialect === 'dingtalk' ? [undefined, 'ct-fixed'] : [undefined];
        for (const raw of RAW_BODIES) {
          for (const ct of clientTokens) {
            counts.fixed++;
            await check(e, { method: e.route.method, path: validPath(), headers: { ...auth, 'content-type': 'application/json', ...(ct ? { 'x-client-token': ct } : {}) }, body: raw.bytes }, raw.name, violations);
          }
        }
        // 10 MB: over the body limit, so 413 where a body is read.
        counts.fixed++;
        const big = Buffer.from(JSON.stringify({ summary: 'x'.repeat(TEN_MB) }));
        await check(e, { method: e.route.method, path: validPath(), headers: { ...auth, 'content-type': 'application/json' }, body: big }, '10 MB body', violations, hasBody(e));
        // A bad percent-escape and an over-long value in the first path parameter.
        if (e.path.includes(':')) {
          for (const [name, segment] of [['bad percent-escape in the path', '%ZZ'], ['a 200-character path parameter', 'x'.repeat(200)]] as const) {
            counts.fixed++;
            let first = true;
            const bad = e.path.replace(/:([A-Za-z_]+)/g, (_, param: string) => {
              if (first) {
                first = false;
                return segment;
              }
              return encodeURIComponent(param === 'userId' ? 'on_zhangsan' : 'primary');
            });
            await check(e, { method: e.route.method, path: bad, headers: { ...auth, 'content-type': 'application/json' }, body: hasBody(e) ? Buffer.from('{}') : undefined }, name, violations);
          }
        }
        // No token, a forged one, a token of the other dialect.
        const forged: Array<Record<string, string>> = e.dialect === 'feishu'
          ? [{}, { authorization: `Bearer ${tokens.feishuUser.slice(0, -4)}AAAA` }, { authorization: `Bearer ${tokens.dingApp}` }]
          : [{}, { 'x-acs-dingtalk-access-token': `${tokens.dingApp.slice(0, -4)}AAAA` }, { 'x-acs-dingtalk-access-token': tokens.feishuUser }];
        for (const headers of forged) {
          counts.fixed++;
          await check(e, { method: e.route.method, path: validPath(), headers: { ...headers, 'content-type': 'application/json' }, body: hasBody(e) ? Buffer.from('{}') : undefined }, 'bad token', violations);
        }
        assert.deepEqual(violations, [], `${violations.length} bad answers (RILI_TEST_SEED=${RUN_SEED})`);
      });
    }

    test(`${kind}: a refused DingTalk CreateEvent or PatchEvent leaves nothing behind, however often it is retried`, async () => {
      await refreshPools();
      const path = '/calendar/users/on_zhangsan/calendars/primary/events';
      const times = { start: { dateTime: '2026-01-01T09:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2026-01-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' } };
      const before = await snapshot(s.server.ctx.store.db, kind);
      for (let i = 0; i < 2; i++) {
        const a = await dingtalk(s.url, tokens.dingApp, 'POST', path, { summary: 'refused', ...times, attendees: [{ email: 'not-an-email' }] }, { 'x-client-token': 'ct-refused' });
        assert.equal(a.status, 400, a.text);
      }
      const id = pools.eventIds[0];
      const put = await dingtalk(s.url, tokens.dingApp, 'PUT', `${path}/${id}`, { id, summary: 'renamed by a refused PUT', attendees: [{ email: 'not-an-email' }] });
      assert.equal(put.status, 400, put.text);
      assert.deepEqual(changedTables(before, await snapshot(s.server.ctx.store.db, kind)), [], 'tables changed by refused requests');
    });

    for (const bug of KNOWN_BUGS.filter((b) => !b.stores || b.stores.includes(kind))) {
      test(`${kind}: known bug ${bug.id}: no such answers`, { todo: bug.todo }, () => {
        assert.deepEqual(known[bug.id].slice(0, 5), [], `${known[bug.id].length} answers`);
      });
    }
  });
}
