import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { dingtalkPlugin } from './api/dingtalk/plugin.js';
import { feishuPlugin } from './api/feishu/plugin.js';
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
    routerOptions: { ignoreTrailingSlash: false },
  });
  app.setValidatorCompiler(validatorCompiler());
  // Every answer carries its log id, as the Feishu gateway sends it.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Tt-Logid', request.id);
    reply.header('X-Request-Id', request.id);
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
