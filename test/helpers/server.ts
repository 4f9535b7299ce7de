import * as lark from '@larksuiteoapi/node-sdk';
import type { Clock } from '../../src/core/ports.js';
import { seedFromJson } from '../../src/seed.js';
import type { SeedFile } from '../../src/seed.js';
import { buildServer } from '../../src/server.js';
import type { Server, ServerConfig } from '../../src/server.js';
import type { StoreKind } from '../../src/store/open-store.js';
import { TEST_SEED } from './seed.js';
import { freshLocation } from './stores.js';

export const TEST_SECRET = 'rili-test-secret';

/** A clock a test can move. */
export class TestClock implements Clock {
  constructor(public ms = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface TestServer {
  readonly kind: StoreKind;
  readonly url: string;
  readonly server: Server;
  readonly clock: TestClock;
  /** A Lark SDK client for a Feishu app, with a cache of its own (the SDK's default is process-global). */
  lark(appId?: string, appSecret?: string): lark.Client;
  /** A user_access_token minted through the sandbox API. */
  userToken(user: string, app?: string): Promise<string>;
  close(): Promise<void>;
}

const noop = () => {};
const SILENT = { error: noop, warn: noop, info: noop, debug: noop, trace: noop };

const SECRETS: Record<string, string> = { cli_acme: 'acme-secret', cli_acme2: 'acme2-secret', cli_globex: 'globex-secret' };

/** Starts rili on a random port over a fresh database of the given kind, seeded with TEST_SEED. */
export async function startServer(kind: StoreKind, options: { location?: string; clock?: TestClock; seed?: boolean; rateLimit?: 'on' | 'off' | number; push?: ServerConfig['push']; longConnection?: ServerConfig['longConnection']; seedFile?: SeedFile } = {}): Promise<TestServer> {
  const fresh = options.location ? { location: options.location, drop: async () => {} } : await freshLocation(kind);
  const clock = options.clock ?? new TestClock();
  const server = await buildServer({ db: fresh.location, secret: TEST_SECRET, logLevel: process.env.RILI_TEST_LOG ?? 'silent', rateLimit: options.rateLimit,
    // Tests wait for each push: no 3-second merge unless a test asks for it (push.mergeMs).
    push: options.push === false ? false : { mergeMs: 0, ...options.push },
    ...(options.longConnection ? { longConnection: options.longConnection } : {}) }, { clock });
  if (options.seed !== false) await server.ctx.directory.applySeed(seedFromJson(options.seedFile ?? TEST_SEED));
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    kind,
    url,
    server,
    clock,
    lark(appId = 'cli_acme', appSecret = SECRETS[appId]) {
      const store = new Map<string, { value: unknown; expire?: number }>();
      const cache = {
        async set(key: string | symbol, value: unknown, expire?: number, o?: { namespace?: string }) {
          store.set(`${o?.namespace ?? ''}/${String(key)}`, { value, expire });
          return true;
        },
        async get(key: string | symbol, o?: { namespace?: string }) {
          const hit = store.get(`${o?.namespace ?? ''}/${String(key)}`);
          return hit && (hit.expire === undefined || hit.expire > Date.now()) ? hit.value : undefined;
        },
      };
      return new lark.Client({ appId, appSecret, domain: url, loggerLevel: lark.LoggerLevel.fatal, logger: SILENT, cache: cache as never });
    },
    async userToken(user, app = 'cli_acme') {
      const res = await fetch(`${url}/rili/v1/user-tokens`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app, user }),
      });
      const body = (await res.json()) as { access_token: string };
      if (!res.ok) throw new Error(`user token for ${user}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async close() {
      await server.close();
      await fresh.drop();
    },
  };
}

/** Runs an SDK call that is expected to fail with an HTTP error; returns the status and Feishu body. */
export async function feishuFailure(call: Promise<unknown>): Promise<{ status: number; code: number; msg: string; body: any }> {
  try {
    const res = (await call) as { code?: number; msg?: string };
    // HTTP 200 with a non-zero code resolves normally in the SDK.
    return { status: 200, code: res.code ?? 0, msg: res.msg ?? '', body: res };
  } catch (error) {
    const e = error as { response?: { status: number; data: any } };
    if (!e.response) throw error;
    return { status: e.response.status, code: e.response.data?.code, msg: e.response.data?.msg, body: e.response.data };
  }
}
