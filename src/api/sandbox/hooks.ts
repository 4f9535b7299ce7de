import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DINGTALK_ERRORS } from '../dingtalk/errors.js';
import type { DingtalkCode } from '../dingtalk/errors.js';
import { sendDingtalkError } from '../dingtalk/plugin.js';
import { FEISHU_ERRORS } from '../feishu/errors.js';
import type { FeishuCode } from '../feishu/errors.js';
import { sendFeishuError } from '../feishu/plugin.js';
import { boundedBody, dialectOf } from '../../sandbox/journal.js';
import { redact, redactUrl } from '../../sandbox/redact.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { guardAdmin } from './admin-guard.js';
import { isConsolePage } from './console.js';
import { collectRoutes } from './openapi.js';
import { isSandboxOnly, refuse } from './reply.js';

/** Whether a fault error code exists in that dialect's table, so its envelope and status are known. */
export function knownFaultError(dialect: 'feishu' | 'dingtalk', error: number | string): boolean {
  return dialect === 'feishu' ? typeof error === 'number' && error in FEISHU_ERRORS : typeof error === 'string' && Object.hasOwn(DINGTALK_ERRORS, error);
}

interface Trace {
  readonly startedAt: number;
  readonly atMs: number;
  fault?: number;
  /** The answer as sent, parsed only if the entry is read. */
  payload?: unknown;
  contentType?: string;
}

const traces = new WeakMap<FastifyRequest, Trace>();

const RESPONSE_HEADERS_KEPT = ['content-type', 'location', 'retry-after', 'x-ogw-ratelimit-limit', 'x-ogw-ratelimit-reset'];

/** Stands for a body too large to keep: redacting and copying it would cost more than it is worth. */
const tooLarge = (bytes: number) => ({ truncated: true, bytes });

function parseBody(payload: unknown, contentType: string | undefined, maxBytes: number): unknown {
  if (payload === undefined || payload === null) return undefined;
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.isBuffer(payload) ? payload.length : 0;
  if (size > maxBytes) return tooLarge(size);
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? (contentType?.includes('json') || contentType?.startsWith('text/') ? payload.toString('utf8') : `[${payload.length} bytes]`) : '[stream]';
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Answers with a fault's platform code, in its dialect's envelope and status. */
function answerFault(request: FastifyRequest, reply: FastifyReply, dialect: 'feishu' | 'dingtalk', error: number | string): FastifyReply {
  const message = 'injected by a rili fault rule';
  if (dialect === 'feishu') return sendFeishuError(reply, request, { code: error as FeishuCode, detail: `${FEISHU_ERRORS[error as FeishuCode].msg} (${message})` });
  return sendDingtalkError(reply, request, { code: error as DingtalkCode, message: `${DINGTALK_ERRORS[error as DingtalkCode].message} (${message})` });
}

/**
 * The sandbox's server-wide hooks, added by the composition root before the dialect plugins: the
 * admin gate on /rili/, fault injection and the request journal on the platform APIs, and the route
 * collection the OpenAPI document is made from.
 */
export function installSandboxHooks(app: FastifyInstance, sandbox: Sandbox): void {
  collectRoutes(app, sandbox);

  /** The admin gate on /rili/: a sent refusal, or undefined to go on. */
  const guardSandbox = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    // With an admin token the console's page loads from anywhere; it asks for the token for the API.
    if (sandbox.adminToken && isConsolePage(request.method, request.url)) return undefined;
    const refused = guardAdmin(request, reply, sandbox.adminToken);
    if (refused) return refused;
    if (!sandbox.enabled && isSandboxOnly(request.method, request.url)) {
      return refuse(reply, 403, 'sandbox_off', `${request.method} ${request.url.split('?', 1)[0]} is off: this rili runs with --sandbox off`);
    }
    return undefined;
  };

  /** A fault rule's latency and error, if one matches: whether the answer was sent. */
  const injectFault = async (request: FastifyRequest, reply: FastifyReply, dialect: 'feishu' | 'dingtalk'): Promise<boolean> => {
    const path = request.url.split('?', 1)[0];
    const hit = await sandbox.shared.faultHit(dialect, request.method, path);
    if (!hit) return false;
    const trace = traces.get(request);
    if (trace) trace.fault = hit.index;
    if (hit.latencyMs > 0) await sleep(hit.latencyMs);
    if (hit.error === undefined || reply.sent) return false;
    answerFault(request, reply, dialect, hit.error);
    return true;
  };

  // A callback hook: without fault rules (the usual case) every platform request passes through
  // without a promise. A hook that has sent its answer does not call done.
  app.addHook('onRequest', (request, reply, done) => {
    const dialect = dialectOf(request.url);
    if (dialect === 'sandbox') {
      if (!guardSandbox(request, reply)) done();
      return;
    }
    // --journal-entries 0: nothing is kept, so nothing is captured (no cost per request).
    if (sandbox.journal.limits.maxEntries > 0) traces.set(request, { startedAt: performance.now(), atMs: sandbox.clock.now() });
    // No rule set (anywhere in a cluster): nothing more to pay. With one, a cluster worker asks the primary.
    if ((dialect !== 'feishu' && dialect !== 'dingtalk') || !sandbox.shared.faultsActive || !sandbox.enabled) {
      done();
      return;
    }
    injectFault(request, reply, dialect).then((sent) => {
      if (!sent) done();
    }, (error: unknown) => done(error as Error));
  });

  // A callback hook, not an async one: it runs on every platform request and needs no promise.
  // The entry is recorded here, before the answer is written, not once it has gone: its seq is then
  // taken before the client can send its next request, so the journal lists requests in the order
  // they were served even when two workers serve them (recorded after the answer, the next request
  // on the other worker could be numbered first).
  app.addHook('onSend', (request, reply, payload, done) => {
    const trace = traces.get(request);
    if (!trace) return done(null, payload);
    trace.payload = payload;
    trace.contentType = String(reply.getHeader('content-type') ?? '');
    traces.delete(request);
    const { maxBodyBytes } = sandbox.journal.limits;
    const actor = request.actor;
    const responseHeaders: Record<string, unknown> = {};
    for (const name of RESPONSE_HEADERS_KEPT) {
      const value = reply.getHeader(name);
      if (value !== undefined) responseHeaders[name] = name === 'location' ? redactUrl(String(value), 'request') : value;
    }
    // A body larger than kept (by its Content-Length) is not walked at all, nor kept: an object of
    // 200 000 keys must not slow its answer down.
    const length = Number(request.headers['content-length'] ?? 0);
    const body = request.body === undefined || request.body === null || Buffer.isBuffer(request.body) ? undefined
      : length > maxBodyBytes ? tooLarge(length) : request.body;
    const { contentType } = trace;
    const path = request.url.split('?', 1)[0];
    const url = redactUrl(request.url, 'request');
    const headers = request.headers;
    // The entry's JSON size, estimated: its fields, headers and bodies by their lengths, each body at most as kept.
    let bytes = 256 + url.length + path.length + request.id.length;
    for (const name in headers) bytes += name.length + String(headers[name]).length + 6;
    const payloadBytes = typeof payload === 'string' ? Buffer.byteLength(payload) : Buffer.isBuffer(payload) ? payload.length : 0;
    bytes += Math.min(length, maxBodyBytes + 64) + Math.min(payloadBytes, maxBodyBytes + 64);
    sandbox.journal.recordDraft({
      head: {
        id: request.id,
        at_ms: trace.atMs,
        duration_ms: Math.round((performance.now() - trace.startedAt) * 1000) / 1000,
        dialect: dialectOf(request.url),
        method: request.method,
        path,
        url,
        status: reply.statusCode,
        ...(actor ? { tenant_key: actor.tenantKey, app_id: actor.appId, ...(actor.kind === 'user' ? { user_id: actor.userId } : {}) } : {}),
        ...(trace.fault === undefined ? {} : { fault: trace.fault }),
      },
      bytes,
      parts: () => ({
        request: { headers: redact({ ...headers }, 'request') as Record<string, unknown>, body: boundedBody(redact(body, 'request'), maxBodyBytes) },
        response: { headers: responseHeaders, body: boundedBody(redact(parseBody(payload, contentType, maxBodyBytes), 'response'), maxBodyBytes) },
      }),
    });
    done(null, payload);
  });
}
