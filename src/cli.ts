import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { seedFromJson, readSeedFile } from './seed.js';
import { buildServer } from './server.js';

export const HELP = `rili: a self-hosted calendar server speaking the Feishu/Lark Calendar v4 and
DingTalk Calendar v1.0 APIs.

Usage:
  rili serve [flags]      serve the APIs (the default command)
  rili --help             show this text

Flags (each has an environment variable; a flag wins over its variable):
  --port N            RILI_PORT            port to listen on (8080)
  --host H            RILI_HOST            address to listen on (127.0.0.1)
  --db LOCATION       RILI_DB              an SQLite file path (./rili-data/rili.db), ':memory:',
                                           or a postgres:// URL (add ?schema=NAME for a schema)
  --seed FILE         RILI_SEED            a JSON seed applied at start; idempotent. Without one, an
                                           empty database gets the built-in demo seed
  --secret KEY        RILI_SECRET          token-signing key; when absent one is generated once and
                                           kept in the database, so tokens survive restarts
  --log-level LEVEL   RILI_LOG_LEVEL       pino level: fatal, error, warn, info (default), debug, silent
  --body-limit BYTES  RILI_BODY_LIMIT      largest request body accepted (4194304); larger gets 413
  --request-timeout MS RILI_REQUEST_TIMEOUT longest a request may run (30000)

Endpoints: /open-apis/... (Feishu), /v1.0/... (DingTalk), /rili/v1/... (sandbox admin).
Mint a user token: POST /rili/v1/user-tokens {"app": "<app_id|app_key>", "user": "<any user id>"}.
`;

interface ServeOptions {
  port: number;
  host: string;
  db: string;
  seed?: string;
  secret?: string;
  logLevel: string;
  bodyLimit: number;
  requestTimeout: number;
}

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv): ServeOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      secret: { type: 'string' },
      'log-level': { type: 'string' },
      'body-limit': { type: 'string' },
      'request-timeout': { type: 'string' },
    },
  });
  if (values.help || positionals[0] === 'help') return 'help';
  if (positionals.length > 0 && positionals[0] !== 'serve') throw new Error(`unknown command ${positionals[0]}; see rili --help`);
  return {
    port: intOption('port', values.port ?? env.RILI_PORT, 8080),
    host: values.host ?? env.RILI_HOST ?? '127.0.0.1',
    db: values.db ?? env.RILI_DB ?? './rili-data/rili.db',
    seed: values.seed ?? env.RILI_SEED,
    secret: values.secret ?? env.RILI_SECRET,
    logLevel: values['log-level'] ?? env.RILI_LOG_LEVEL ?? 'info',
    bodyLimit: intOption('body-limit', values['body-limit'] ?? env.RILI_BODY_LIMIT, 4 * 1024 * 1024),
    requestTimeout: intOption('request-timeout', values['request-timeout'] ?? env.RILI_REQUEST_TIMEOUT, 30_000),
  };
}

async function serve(options: ServeOptions): Promise<void> {
  const server = await buildServer({
    db: options.db, secret: options.secret, logLevel: options.logLevel, bodyLimit: options.bodyLimit, requestTimeout: options.requestTimeout,
  });
  const { ctx, app } = server;
  const isEmpty = (await ctx.store.db.selectFrom('tenants').select('key').limit(1).execute()).length === 0;
  const demo = !options.seed && isEmpty;
  const seed = options.seed
    ? await readSeedFile(options.seed)
    : demo ? seedFromJson(JSON.parse(await readFile(new URL('./demo-seed.json', import.meta.url), 'utf8'))) : undefined;
  if (seed) await ctx.directory.applySeed(seed);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    server.close().then(() => process.exit(0), (error) => {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const address = await app.listen({ port: options.port, host: options.host });
  if (demo && seed) {
    const tenant = seed.tenants[0];
    const feishu = tenant.apps.find((a) => a.platform === 'feishu')!;
    const dingtalk = tenant.apps.find((a) => a.platform === 'dingtalk')!;
    const user = tenant.users[0];
    const { token } = ctx.tokens.issue({ kind: 'user', tenantKey: tenant.key, appId: feishu.appId, userId: user.id }, Math.floor(ctx.clock.now() / 1000), 30 * 86400);
    process.stdout.write([
      '',
      `rili is serving ${address} with the demo seed on ${options.db}`,
      `  Feishu app:      app_id=${feishu.appId} app_secret=${feishu.secret}   (domain: ${address})`,
      `  DingTalk app:    app_key=${dingtalk.appId} app_secret=${dingtalk.secret}`,
      `  User token for ${user.name} (${user.openId}), valid 30 days:`,
      `    ${token}`,
      `  Try: curl -H "Authorization: Bearer ${token}" -X POST ${address}/open-apis/calendar/v4/calendars/primary`,
      '',
    ].join('\n') + '\n');
  }
}

export async function main(argv: string[]): Promise<void> {
  let options: ServeOptions | 'help';
  try {
    options = parseServeOptions(argv, process.env);
  } catch (error) {
    process.stderr.write(`rili: ${(error as Error).message}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  await serve(options);
}
