import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dingtalkPlugin, sendDingtalkError } from './api/dingtalk/plugin.js';
import { feishuPlugin, sendFeishuError } from './api/feishu/plugin.js';
import { NulCharacterError, findNul } from './api/nul-guard.js';
import { sandboxPlugin } from './api/sandbox/plugin.js';
import { processLimiter } from './api/rate-limit.js';
import type { RateLimitSetting } from './api/rate-limit.js';
import { validatorCompiler } from './api/validators.js';
import { tokenSigner } from './auth/tokens.js';
import { buildContext, randomIds, systemClock } from './context.js';
import type { AppContext } from './context.js';
import type { Clock, IdSource } from './core/ports.js';
import { openStore } from './store/open-store.js';
import type { OpenedStore } from './store/open-store.js';

export interface ServerConfig {
  /** A file path, `:memory:` or a `postgres://` URL. */
  readonly db: string;
  /** Token-signing key; when absent one is generated once and kept in the database. */
  readonly secret?: string;
  readonly logLevel?: string;
  /** Largest accepted request body, bytes. */
  readonly bodyLimit?: number;
  /** Longest a request may take, milliseconds. */
  readonly requestTimeout?: number;
  readonly poolSize?: number;
  /** The platforms' rate limits: on (the default of `rili serve`), off (the default here, for tests), or scaled. */
  readonly rateLimit?: RateLimitSetting;
}

export interface Server {
  readonly app: FastifyInstance;
  readonly ctx: AppContext;
  close(): Promise<void>;
}

/** A Feishu-style log id: the time to the second, then 20 random hex digits. */
function logId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${randomBytes(10).toString('hex').toUpperCase()}`;
}

/** The composition root: config → store → clock → context → the three dialect plugins. */
export async function buildServer(config: ServerConfig, parts: { clock?: Clock; ids?: IdSource; store?: OpenedStore } = {}): Promise<Server> {
  const clock = parts.clock ?? systemClock;
  const ids = parts.ids ?? randomIds;
  const store = parts.store ?? (await openStore(config.db, { poolSize: config.poolSize }));
  const secret = config.secret ?? (await store.transact((w) => w.directory.putSettingIfAbsent('token_secret', randomBytes(32).toString('base64url'))));
  const ctx = buildContext({ store, clock, ids, tokens: tokenSigner(secret), limiter: processLimiter(), rateLimit: config.rateLimit ?? 'off' });

  const app = Fastify({
    logger: { level: config.logLevel ?? 'info' },
    genReqId: () => logId(clock),
    bodyLimit: config.bodyLimit ?? 4 * 1024 * 1024,
    requestTimeout: config.requestTimeout ?? 30_000,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 1000 },
    // A URL the router cannot even decode still gets its dialect's bad-input answer.
    frameworkErrors: (error, request, reply) => {
      const detail = `malformed request URL: ${error.message}`;
      if (request.url.startsWith('/open-apis/')) return sendFeishuError(reply, request, { code: 190002, detail, field: 'url' });
      if (request.url.startsWith('/v1.0/')) return sendDingtalkError(reply, request, { code: 'invalidParameter', message: detail });
      return (reply as FastifyReply).code(400).type('text/plain; charset=utf-8').send('400 bad request');
    },
  });
  app.setValidatorCompiler(validatorCompiler());
  // Every answer carries its log id, as the Feishu gateway sends it.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Tt-Logid', request.id);
    reply.header('X-Request-Id', request.id);
  });
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
  await app.register(sandboxPlugin, { prefix: '/rili/v1', ctx });

  return {
    app,
    ctx,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
