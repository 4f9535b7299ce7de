import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addDavMethods, caldavPlugin } from './api/caldav/plugin.js';
import { dingtalkTimeoutRefusal } from './api/dingtalk/errors.js';
import { dingtalkLoginPlugin } from './api/dingtalk/oauth2/auth.js';
import { dingtalkPlugin, sendDingtalkError } from './api/dingtalk/plugin.js';
import { feishuTimeoutRefusal } from './api/feishu/errors.js';
import { feishuPlugin, sendFeishuError } from './api/feishu/plugin.js';
import { NulCharacterError, findNul } from './api/nul-guard.js';
import { consolePlugin } from './api/sandbox/console.js';
import { installSandboxHooks } from './api/sandbox/hooks.js';
import { sandboxPlugin } from './api/sandbox/plugin.js';
import { processLimiter, sharedLimiter } from './api/rate-limit.js';
import type { RateLimitSetting } from './api/rate-limit.js';
import { validatorCompiler } from './api/validators.js';
import { tokenSigner } from './auth/tokens.js';
import { buildContext, randomIds, systemClock } from './context.js';
import type { RootContext } from './context.js';
import type { Clock, RandomSource } from './core/ports.js';
import { createSandbox } from './sandbox/sandbox.js';
import type { Sandbox, SandboxConfig } from './sandbox/sandbox.js';
import { openStore } from './store/open-store.js';
import { PushWorker } from './push/push-worker.js';
import { FEISHU_WS_CLIENT_CONFIG, LongConnections } from './api/feishu/ws/long-connections.js';
import type { WsClientConfig } from './api/feishu/ws/long-connections.js';
import { feishuLongConnectionPlugin } from './api/feishu/ws/plugin.js';
import type { PushWorkerOptions } from './push/push-worker.js';
import type { OpenedStore } from './store/open-store.js';

export interface ServerConfig {
  /** A file path, `:memory:` or a `postgres://` URL. */
  readonly db: string;
  /** Token-signing key; when absent one is generated once and kept in the database. */
  readonly secret?: string;
  readonly logLevel?: string;
  /** Largest accepted request body, bytes. */
  readonly bodyLimit?: number;
  /**
   * Longest a request may take, milliseconds (30 000 when absent): its head must arrive within it, and
   * from the head on, its body and its answer. See `answerTimedOut`.
   */
  readonly requestTimeout?: number;
  readonly poolSize?: number;
  /** The platforms' rate limits: on (the default of `rili serve`), off (the default here, for tests), or scaled. */
  readonly rateLimit?: RateLimitSetting;
  /** Sandbox features (virtual clock, faults, journal limits) and the admin API's gate. */
  readonly sandbox?: SandboxConfig;
  /** Event push: the retry schedule and timeouts (the platform's by default); `false` runs no push worker. */
  readonly push?: PushWorkerOptions | false;
  /** The ClientConfig Feishu's long connection hands the SDK (the platform's when absent; tests shorten the reconnect waits). */
  readonly longConnection?: Partial<WsClientConfig>;
}

export interface Server {
  readonly app: FastifyInstance;
  readonly ctx: RootContext;
  readonly sandbox: Sandbox;
  /** Feishu apps' live long connections in this process. */
  readonly longConnections: LongConnections;
  close(): Promise<void>;
}

/**
 * A Feishu-style log id: the time to the second, then 20 hex digits, a random prefix per process and
 * a counter: unique across workers, without 10 random bytes per request (4% of a get's profile).
 */
const LOG_ID_PREFIX = randomBytes(4).toString('hex').toUpperCase();
let logIdCounter = 0;

function logId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/\D/g, '').slice(0, 14);
  logIdCounter = (logIdCounter + 1) % 0x1_0000_0000_0000;
  return `${stamp}${LOG_ID_PREFIX}${logIdCounter.toString(16).toUpperCase().padStart(12, '0')}`;
}

/** The largest `requestTimeout`: a longer timer would overflow and fire at once. */
export const MAX_REQUEST_TIMEOUT_MS = 2_147_483_647;

/**
 * `requestTimeout` ran out for a request rili has routed: answer it now, in its dialect's envelope,
 * unless an answer has begun or the client is gone. A body still arriving is 408 and the connection is
 * closed (the handler never runs: Fastify checks `reply.sent` before it does); otherwise 504 while the
 * handler still runs, whose own answer, when it comes, Fastify drops (`reply.sent`).
 */
function answerTimedOut(request: FastifyRequest, reply: FastifyReply, ms: number): void {
  if (reply.sent || reply.raw.headersSent || reply.raw.destroyed || request.raw.socket?.destroyed !== false) return;
  const receivingBody = !request.raw.complete;
  request.log.warn({ timeoutMs: ms, receivingBody }, receivingBody ? 'request body not received in time' : 'request not answered in time');
  if (receivingBody) reply.header('connection', 'close');
  if (request.url.startsWith('/open-apis/')) {
    sendFeishuError(reply, request, feishuTimeoutRefusal(ms, receivingBody));
  } else if (request.url.startsWith('/v1.0/')) {
    sendDingtalkError(reply, request, dingtalkTimeoutRefusal(ms, receivingBody));
  } else {
    const message = receivingBody ? `request body not received within ${ms} ms` : `request not answered within ${ms} ms`;
    reply.code(receivingBody ? 408 : 504).send({ error: { code: 'timeout', message } });
  }
}

/** The composition root: config → store → clock → context → the three dialect plugins. */
export async function buildServer(config: ServerConfig, parts: { clock?: Clock; ids?: RandomSource; store?: OpenedStore } = {}): Promise<Server> {
  const requestTimeout = config.requestTimeout ?? 30_000;
  if (!Number.isInteger(requestTimeout) || requestTimeout < 1 || requestTimeout > MAX_REQUEST_TIMEOUT_MS) {
    throw new Error(`requestTimeout must be an integer from 1 to ${MAX_REQUEST_TIMEOUT_MS} ms, got ${requestTimeout}`);
  }
  // Services read the sandbox's virtual clock (the base clock itself with --sandbox off).
  const sandbox = createSandbox(config.sandbox ?? {}, parts.clock ?? systemClock);
  // A cluster worker learns the cluster's clock and fault state from its primary before it serves.
  await sandbox.ready;
  const clock = sandbox.clock;
  const ids = parts.ids ?? randomIds;
  const store = parts.store ?? (await openStore(config.db, { poolSize: config.poolSize }));
  const secret = config.secret ?? (await store.transact((w) => w.directory.putSettingIfAbsent('token_secret', randomBytes(32).toString('base64url'))));

  const app = Fastify({
    logger: { level: config.logLevel ?? 'info' },
    genReqId: () => logId(clock),
    bodyLimit: config.bodyLimit ?? 4 * 1024 * 1024,
    // The request head: Node's parser answers 408 (Fastify's JSON, not an envelope: nothing is routed
    // yet) and closes the connection, at its next check. From the head on, answerTimedOut below.
    http: { headersTimeout: requestTimeout, requestTimeout: 0, connectionsCheckingInterval: Math.min(1_000, Math.max(100, requestTimeout)) },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 1000 },
    // A URL the router cannot even decode still gets its dialect's bad-input answer.
    // Fastify ignores what this returns; a reply is thenable, so `void` says nothing awaits it.
    frameworkErrors: (error, request, reply) => {
      const detail = `malformed request URL: ${error.message}`;
      if (request.url.startsWith('/open-apis/')) void sendFeishuError(reply, request, { code: 190002, detail, field: 'url' });
      else if (request.url.startsWith('/v1.0/')) void sendDingtalkError(reply, request, { code: 'invalidParameter', message: detail });
      else void (reply as FastifyReply).code(400).type('text/plain; charset=utf-8').send('400 bad request');
    },
  });
  // On PostgreSQL the rate limits are counted in the database, per deployment; on SQLite per process
  // (with --workers, in the cluster primary), which is also the fallback when the database fails.
  const limiter = store.rateCounters
    ? sharedLimiter(store.rateCounters, processLimiter(), (error, doing) =>
      app.log.warn({ err: error, doing }, 'rate counters in the database failed; counting in this process meanwhile'))
    : processLimiter();
  // Rate-limit windows count real seconds, also while the virtual clock is frozen or moved.
  const realTimeLimiter = { take: (checks: Parameters<typeof limiter.take>[0]) => limiter.take(checks, sandbox.realClock.now()) };
  const ctx = buildContext({ store, clock, ids, tokens: tokenSigner(secret), limiter: realTimeLimiter, rateLimit: config.rateLimit ?? 'off' });
  app.setValidatorCompiler(validatorCompiler());
  // Every answer carries its log id, as the Feishu gateway sends it.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Tt-Logid', request.id);
    reply.header('X-Request-Id', request.id);
  });
  // --request-timeout from the head on: body, hooks, handler. Cleared when the response closes (sent
  // or the client gone); if that were missed, answerTimedOut finds the reply sent and does nothing.
  app.addHook('onRequest', (request, reply, done) => {
    // A WebSocket upgrade (Feishu's long connection) outlives any request timeout.
    if (request.headers.upgrade?.toLowerCase() === 'websocket') return done();
    const timer = setTimeout(() => answerTimedOut(request, reply, requestTimeout), requestTimeout);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
  installSandboxHooks(app, sandbox);
  // In JSON text a NUL can only be the escape \u0000: look for it in the text, not the parsed tree.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && /\\u0000/i.test(body)) return done(new NulCharacterError('body'), undefined);
    return parseJson(request, body as string, done);
  });
  app.addHook('preHandler', async (request) => {
    const field = findNul(request.params, 'path') ?? findNul(request.query, 'query');
    if (field !== undefined) throw new NulCharacterError(field);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found'));

  await app.register(feishuPlugin, { prefix: '/open-apis', ctx });
  await app.register(dingtalkPlugin, { prefix: '/v1.0', ctx });
  await app.register(sandboxPlugin, { prefix: '/rili/v1', ctx, sandbox });
  await app.register(consolePlugin, { prefix: '/rili' });
  await app.register(dingtalkLoginPlugin, { ctx });
  const longConnections = new LongConnections({ ...FEISHU_WS_CLIENT_CONFIG, ...config.longConnection });
  await app.register(feishuLongConnectionPlugin, { ctx, connections: longConnections });
  addDavMethods(app);
  await app.register(caldavPlugin, { ctx });

  // Pushes run beside the requests, never in them: a slow receiver holds only its own app's attempts.
  const pushWorker = config.push === false ? undefined
    : new PushWorker({ push: ctx.push, feed: ctx.changeFeed, clock, log: app.log, connections: longConnections }, config.push ?? {});
  await pushWorker?.start();

  return {
    app,
    ctx,
    sandbox,
    longConnections,
    async close() {
      // Every request is answered within requestTimeout, but a connection kept alive after its last
      // answer would hold app.close() for its keep-alive timeout (72 s): close each once it is idle.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100).unref();
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      await pushWorker?.stop();
      await store.close();
    },
  };
}
