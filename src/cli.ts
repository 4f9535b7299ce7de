import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseRateLimitSetting } from './api/rate-limit.js';
import type { RateLimitSetting } from './api/rate-limit.js';
import { tokenSigner } from './auth/tokens.js';
import { runPrimary } from './cluster.js';
import { errorText } from './error-text.js';
import { DEFAULT_RETENTION } from './core/change-retention.js';
import { parseRetrySchedule } from './core/push/deliveries.js';
import type { RetentionPolicy } from './core/change-retention.js';
import { ChangeRetention } from './core/service/change-retention.js';
import { DirectoryService } from './core/service/directory-service.js';
import { SnapshotService } from './core/service/snapshot-service.js';
import { feishuIds } from './api/feishu/platform-ids.js';
import { buildContext, randomIds, systemClock } from './context.js';
import type { RootContext } from './context.js';
import { seedFromJson, readSeedFile } from './seed.js';
import type { Seed } from './core/seed.js';
import { MAX_REQUEST_TIMEOUT_MS, buildServer } from './server.js';
import type { SandboxConfig } from './sandbox/sandbox.js';
import { isPostgresUrl, openStore } from './store/open-store.js';

export const HELP = `rili: a self-hosted calendar server speaking the Feishu/Lark Calendar v4 and
DingTalk Calendar v1.0 APIs.

Usage:
  rili serve [flags]      serve the APIs (the default command)
  rili export FILE        write the database's whole state to FILE (- : stdout), a
                          versioned JSON document a later rili still reads (--db)
  rili import FILE        replace the database's whole state with FILE's (- : stdin);
                          sync tokens from before answer expired (--db)
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
  --request-timeout MS RILI_REQUEST_TIMEOUT longest a request may take (30000): a head or body not
                                           received in time gets 408 and a closed connection, an
                                           answer not ready in time 504 (a write may still land)
  --rate-limit MODE   RILI_RATE_LIMIT      the platforms' rate limits: on (default), off, or a
                                           multiplier of the published limits (e.g. 10). Counted in
                                           the database on PostgreSQL (every server on it shares
                                           them), per process (or --workers cluster) on SQLite
  --workers N         RILI_WORKERS         processes serving the port (1: no cluster). With N > 1 a
                                           primary prepares the database, forks N workers sharing the
                                           port and restarts any that crash; not with ':memory:'
  --change-log-days N RILI_CHANGE_LOG_DAYS days the change log keeps its records (7); a sync token
                                           older than the kept log is refused as expired
  --change-log-max N  RILI_CHANGE_LOG_MAX  most records the change log keeps (1000000), newest first
  --push-retry LIST   RILI_PUSH_RETRY      waits before push retries (15s,5m,1h,6h); e.g. 1s,2s in tests
  --push-merge-ms N   RILI_PUSH_MERGE_MS   Feishu's window merging changes to one event into one
                                           push (3000); 0 pushes every change at once

Sandbox (the admin API under /rili/v1; see README "Sandbox"):
  --sandbox on|off    RILI_SANDBOX         off: rili as a real calendar backend; minting user tokens,
                                           the virtual clock, fault injection, reset and snapshots
                                           are refused (on)
  --admin-token T     RILI_ADMIN_TOKEN     require "Authorization: Bearer T" on /rili/; without it
                                           /rili/ answers loopback clients only
  --journal-entries N RILI_JOURNAL_ENTRIES requests the in-memory journal keeps (1000); 0: none
  --journal-bytes N   RILI_JOURNAL_BYTES   bytes the journal keeps at most (8388608)
  Admin endpoints: GET|DELETE /rili/v1/requests (journal), GET /rili/v1/stream (live, SSE),
  GET|PUT|DELETE /rili/v1/faults, GET|PUT /rili/v1/clock, GET /rili/v1/openapi.json,
  POST /rili/v1/reset (back to the seeds' state), POST|GET /rili/v1/snapshots {"name"},
  POST /rili/v1/snapshots/NAME/restore, DELETE /rili/v1/snapshots/NAME. With --workers above 1
  the clock and faults hold on every worker and the journal and stream show every worker's
  requests (the primary relays them); snapshots are kept in the database.

  Console: /rili/ in a browser (printed at start): the directory with credentials, every user's
  and room's calendar (day, week, month), the live request journal, push deliveries, the clock,
  faults, snapshots and reset. Same gate as the admin API.

Endpoints: /open-apis/... (Feishu), /v1.0/... (DingTalk), /rili/v1/... (sandbox admin), /rili/ (console),
  /dav/... and /.well-known/caldav (CalDAV and iCalendar feeds, with credentials from
  generateCaldavConf / GenerateCaldavAccount).
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
  rateLimit: RateLimitSetting;
  sandbox: SandboxConfig;
  /** How much of the change log is kept (--change-log-days, --change-log-max). */
  changeLog: RetentionPolicy;
  /** Waits before each push retry (--push-retry), ms; the platform's schedule when absent. */
  pushRetry?: number[];
  /** Feishu's merge window for changes to one event (--push-merge-ms), ms; 3000 when absent. */
  pushMergeMs?: number;
}

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

/** A count that must be 1 at least: a change log kept for 0 days, or 0 records, would refuse every sync token. */
function positiveIntOption(name: string, raw: string | undefined, fallback: number): number {
  const n = intOption(name, raw, fallback);
  if (n < 1 || !Number.isSafeInteger(n)) throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return n;
}

/** How often each serving process prunes the change log (the first run within a minute of start). */
const RETENTION_EVERY_MS = 10 * 60_000;

/** `--request-timeout MS`: 1 ms at least (0 would mean no limit), and no more than a timer can hold. */
function requestTimeoutOption(raw: string | undefined): number {
  const n = intOption('request-timeout', raw, 30_000);
  if (n < 1 || n > MAX_REQUEST_TIMEOUT_MS) throw new Error(`--request-timeout must be between 1 and ${MAX_REQUEST_TIMEOUT_MS} (milliseconds), got ${raw}`);
  return n;
}

function parseFlags(argv: string[]) {
  return parseArgs({
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
      'rate-limit': { type: 'string' },
      workers: { type: 'string' },
      // Sandbox flags (sandboxOptions below).
      sandbox: { type: 'string' },
      'admin-token': { type: 'string' },
      'journal-entries': { type: 'string' },
      'journal-bytes': { type: 'string' },
      'change-log-days': { type: 'string' },
      'change-log-max': { type: 'string' },
      'push-retry': { type: 'string' },
      'push-merge-ms': { type: 'string' },
    },
  });
}

/** The most workers --workers accepts. */
export const MAX_WORKERS = 256;

/**
 * `--workers N` / RILI_WORKERS: how many processes serve the port (1, the default, means no cluster).
 * Kept apart from the per-process ServeOptions: it shapes the process tree, not one server.
 */
export function parseWorkers(argv: string[], env: NodeJS.ProcessEnv): number {
  const { values } = parseFlags(argv);
  const raw = values.workers ?? env.RILI_WORKERS;
  const n = intOption('workers', raw, 1);
  if (n < 1 || n > MAX_WORKERS) throw new Error(`--workers must be between 1 and ${MAX_WORKERS}, got ${raw}`);
  return n;
}

/** `--db`: a URL of any scheme but postgres:// would otherwise become an SQLite file of that name. */
function dbOption(raw: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) && !isPostgresUrl(raw)) {
    throw new Error(`--db must be an SQLite file path, :memory: or a postgres:// URL, got ${raw}`);
  }
  return raw;
}

export function parseServeOptions(argv: string[], env: NodeJS.ProcessEnv): ServeOptions | 'help' {
  const { values, positionals } = parseFlags(argv);
  if (values.help || positionals[0] === 'help') return 'help';
  if (positionals.length > 0 && positionals[0] !== 'serve') throw new Error(`unknown command ${positionals[0]}; see rili --help`);
  return {
    port: intOption('port', values.port ?? env.RILI_PORT, 8080),
    host: values.host ?? env.RILI_HOST ?? '127.0.0.1',
    db: dbOption(values.db ?? env.RILI_DB ?? './rili-data/rili.db'),
    seed: values.seed ?? env.RILI_SEED,
    secret: values.secret ?? env.RILI_SECRET,
    logLevel: values['log-level'] ?? env.RILI_LOG_LEVEL ?? 'info',
    bodyLimit: intOption('body-limit', values['body-limit'] ?? env.RILI_BODY_LIMIT, 4 * 1024 * 1024),
    requestTimeout: requestTimeoutOption(values['request-timeout'] ?? env.RILI_REQUEST_TIMEOUT),
    rateLimit: parseRateLimitSetting(values['rate-limit'] ?? env.RILI_RATE_LIMIT ?? 'on'),
    sandbox: sandboxOptions(values, env),
    changeLog: {
      days: positiveIntOption('change-log-days', values['change-log-days'] ?? env.RILI_CHANGE_LOG_DAYS, DEFAULT_RETENTION.days),
      maxRecords: positiveIntOption('change-log-max', values['change-log-max'] ?? env.RILI_CHANGE_LOG_MAX, DEFAULT_RETENTION.maxRecords),
    },
    ...((values['push-retry'] ?? env.RILI_PUSH_RETRY) ? { pushRetry: parseRetrySchedule((values['push-retry'] ?? env.RILI_PUSH_RETRY)!) } : {}),
    ...((values['push-merge-ms'] ?? env.RILI_PUSH_MERGE_MS) ? { pushMergeMs: intOption('push-merge-ms', values['push-merge-ms'] ?? env.RILI_PUSH_MERGE_MS, 3_000) } : {}),
  };
}

/** `--sandbox`, `--admin-token`, `--journal-entries`, `--journal-bytes` and their variables. */
function sandboxOptions(values: ReturnType<typeof parseFlags>['values'], env: NodeJS.ProcessEnv): SandboxConfig {
  const mode = (values.sandbox ?? env.RILI_SANDBOX ?? 'on').toLowerCase();
  if (mode !== 'on' && mode !== 'off') throw new Error(`--sandbox must be on or off, got ${values.sandbox ?? env.RILI_SANDBOX}`);
  const maxEntries = intOption('journal-entries', values['journal-entries'] ?? env.RILI_JOURNAL_ENTRIES, 1000);
  const maxBytes = intOption('journal-bytes', values['journal-bytes'] ?? env.RILI_JOURNAL_BYTES, 8 * 1024 * 1024);
  const adminToken = values['admin-token'] ?? env.RILI_ADMIN_TOKEN;
  return { enabled: mode === 'on', ...(adminToken ? { adminToken } : {}), journal: { maxEntries, maxBytes } };
}

/** The seed to apply at start: the --seed file, or the demo seed for an empty database. */
async function startupSeed(options: ServeOptions, ctx: RootContext): Promise<{ seed?: Seed; demo: boolean }> {
  const isEmpty = (await ctx.store.db.selectFrom('tenants').select('key').limit(1).execute()).length === 0;
  const demo = !options.seed && isEmpty;
  const seed = options.seed
    ? await readSeedFile(options.seed)
    : demo ? seedFromJson(JSON.parse(await readFile(new URL('./demo-seed.json', import.meta.url), 'utf8'))) : undefined;
  return { seed, demo };
}

/** What `rili serve` prints on a fresh demo database: the demo app's credentials and a user token. */
function demoBanner(ctx: RootContext, seed: Seed, address: string, db: string): string {
  const tenant = seed.tenants[0];
  const feishu = tenant.apps.find((a) => a.platform === 'feishu')!;
  const dingtalk = tenant.apps.find((a) => a.platform === 'dingtalk')!;
  const user = tenant.users[0];
  const { token } = ctx.tokens.issue({ kind: 'user', tenantKey: tenant.key, appId: feishu.appId, userId: user.id }, Math.floor(ctx.clock.now() / 1000), 30 * 86400);
  return [
    '',
    `rili is serving ${address} with the demo seed on ${db}`,
    `  Feishu app:      app_id=${feishu.appId} app_secret=${feishu.secret}   (domain: ${address})`,
    `  DingTalk app:    app_key=${dingtalk.appId} app_secret=${dingtalk.secret}`,
    `  User token for ${user.name} (${user.openId}), valid 30 days:`,
    `    ${token}`,
    `  Try: curl -H "Authorization: Bearer ${token}" -X POST ${address}/open-apis/calendar/v4/calendars/primary`,
    '',
  ].join('\n') + '\n';
}

/** How long a shutdown may take: every request is answered within --request-timeout, then 5 s to close the store. */
const shutdownGraceMs = (options: ServeOptions): number => Math.min(options.requestTimeout + 5_000, MAX_REQUEST_TIMEOUT_MS);

/**
 * One serving process. A cluster worker (`prepared`) skips the seed and the banner: its primary
 * applied the seed and created the token secret before forking, so workers never race on them.
 */
async function serve(options: ServeOptions, prepared = false): Promise<void> {
  const server = await buildServer({
    db: options.db, secret: options.secret, logLevel: options.logLevel, bodyLimit: options.bodyLimit, requestTimeout: options.requestTimeout,
    rateLimit: options.rateLimit,
    sandbox: options.sandbox,
    ...(options.pushRetry || options.pushMergeMs !== undefined
      ? { push: { ...(options.pushRetry ? { retryMs: options.pushRetry } : {}), ...(options.pushMergeMs !== undefined ? { mergeMs: options.pushMergeMs } : {}) } } : {}),
  });
  const { ctx, app } = server;
  const { seed, demo } = prepared ? { seed: undefined, demo: false } : await startupSeed(options, ctx);
  if (seed) await ctx.directory.applySeed(seed);
  // Every process prunes on its own timer: concurrent runs queue and find nothing left (change-retention.ts).
  const stopRetention = new ChangeRetention({ store: ctx.store, clock: ctx.clock }, options.changeLog).every(RETENTION_EVERY_MS, (outcome) => {
    if ('error' in outcome) app.log.warn({ err: outcome.error }, 'pruning the change log failed; trying again later');
    else if (outcome.pruned > 0) app.log.info({ pruned: outcome.pruned, policy: options.changeLog }, 'pruned the change log');
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    stopRetention();
    app.log.info({ signal }, 'shutting down');
    // In-flight requests are answered within --request-timeout; a store that still will not close
    // 5 s later (a query stuck on a lock) does not keep the process: the same grace as --workers.
    setTimeout(() => {
      app.log.error({ graceMs: shutdownGraceMs(options) }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, shutdownGraceMs(options)).unref();
    server.close().then(() => process.exit(0), (error) => {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const address = await app.listen({ port: options.port, host: options.host });
  if (demo && seed) process.stdout.write(demoBanner(ctx, seed, address, options.db));
  if (!prepared) process.stdout.write(consoleLine(address, options));
}

/** Where the sandbox console is, printed once the server listens (by the primary with --workers). */
function consoleLine(address: string, options: ServeOptions): string {
  const gate = options.sandbox.adminToken ? ' (it asks for the --admin-token)' : ' (from this machine only; --admin-token opens it to others)';
  return `rili console: ${address}/rili/${gate}\n`;
}

/** The cluster primary: migrations, token secret and seed once, then N workers on one port. */
async function serveCluster(options: ServeOptions, workers: number): Promise<void> {
  let banner: ((address: string) => string) | undefined;
  await runPrimary({
    workers,
    logLevel: options.logLevel,
    shutdownGraceMs: shutdownGraceMs(options),
    async prepare() {
      const store = await openStore(options.db, { poolSize: 1 });
      try {
        const secret = options.secret ?? (await store.transact((w) => w.directory.putSettingIfAbsent('token_secret', randomBytes(32).toString('base64url'))));
        const ctx = buildContext({ store, clock: systemClock, ids: randomIds, tokens: tokenSigner(secret) });
        const { seed, demo } = await startupSeed(options, ctx);
        if (seed) await ctx.directory.applySeed(seed);
        if (demo && seed) banner = (address) => demoBanner(ctx, seed, address, options.db);
      } finally {
        await store.close();
      }
    },
    onListening(address) {
      if (banner) process.stdout.write(banner(address));
      process.stdout.write(consoleLine(address, options));
    },
  });
}

/** What a cluster worker tells its primary when it cannot start, so the primary prints it once. */
export interface WorkerStartupFailure {
  readonly type: 'rili:startup-failed';
  readonly message: string;
}

/**
 * Any start-up failure (flags, seed, database, port) ends the process with one line on stderr,
 * `rili: <message>`, and exit code 1. A cluster worker hands its line to the primary instead.
 */
function failStartup(error: unknown): Promise<never> {
  const message = errorText(error);
  if (cluster.isWorker && process.send) {
    const failure: WorkerStartupFailure = { type: 'rili:startup-failed', message };
    process.send(failure, () => process.exit(1));
    return new Promise<never>(() => {});
  }
  process.stderr.write(`rili: ${message}\n`);
  process.exit(1);
}

export async function main(argv: string[]): Promise<void> {
  try {
    await start(argv);
  } catch (error) {
    await failStartup(error);
  }
}

// ---- rili export FILE / rili import FILE: the whole state as a snapshot document (docs/snapshots.md).

/** `rili export|import FILE [--db LOCATION]`: which, the file (`-`: stdout or stdin) and the database. */
function parseStateCommand(argv: string[], env: NodeJS.ProcessEnv): { command: 'export' | 'import'; file: string; db: string } | undefined {
  const { values, positionals } = parseFlags(argv);
  const command = positionals[0];
  if (values.help || (command !== 'export' && command !== 'import')) return undefined;
  const file = positionals[1];
  if (file === undefined || positionals.length > 2) throw new Error(`usage: rili ${command} FILE [--db LOCATION] (FILE - for ${command === 'export' ? 'stdout' : 'stdin'})`);
  return { command, file, db: dbOption(values.db ?? env.RILI_DB ?? './rili-data/rili.db') };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes the database's state to FILE, or replaces it with FILE's, in one transaction. An import
 * restarts the change log as a restore does (every older sync token answers expired); servers on the
 * same database see the new state at once.
 */
async function transferState(job: { command: 'export' | 'import'; file: string; db: string }): Promise<void> {
  const store = await openStore(job.db, { poolSize: 1 });
  try {
    const deps = { store, clock: systemClock, ids: feishuIds(randomIds) };
    const snapshots = new SnapshotService(deps, new DirectoryService(deps));
    if (job.command === 'export') {
      const document = await snapshots.exportDocument();
      if (job.file === '-') process.stdout.write(document + '\n');
      else await writeFile(job.file, document + '\n');
      process.stderr.write(`rili: exported ${Buffer.byteLength(document)} bytes to ${job.file === '-' ? 'stdout' : job.file}\n`);
    } else {
      const document = job.file === '-' ? await readAll(process.stdin) : await readFile(job.file, 'utf8');
      const { changeSeq } = await snapshots.importDocument(document);
      process.stderr.write(`rili: imported ${job.file === '-' ? 'stdin' : job.file}; sync tokens from before answer expired (change log restarted at ${changeSeq})\n`);
    }
  } finally {
    await store.close();
  }
}

async function start(argv: string[]): Promise<void> {
  const stateJob = parseStateCommand(argv, process.env);
  if (stateJob) return transferState(stateJob);
  const options = parseServeOptions(argv, process.env);
  const workers = parseWorkers(argv, process.env);
  if (workers > 1 && options !== 'help' && options.db === ':memory:') {
    throw new Error('--workers above 1 needs a database the workers can share: an SQLite file or a postgres:// URL, not :memory:');
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (cluster.isWorker) await serve(options, true);
  else if (workers > 1) await serveCluster(options, workers);
  else await serve(options);
}
