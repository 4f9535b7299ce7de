// The endpoint benchmark (issue F): rili as a separate process on SQLite and/or PostgreSQL, driven by
// autocannon from another process at 32 connections, each endpoint beside a bare node:http ceiling
// answering a body of the same size, measured in the same run.
//
// Usage: npm run bench -- [--quick] [--store sqlite|postgres|both] [--workers 1[,2]] [--only get,patch]
//                         [--seconds S] [--warmup S] [--rounds N] [--search-events N] [--profile DIR]
//                         [--pg URL] [--no-write] [--rate-limit off[,1000]]
//
// --quick        short loads and a 10k search calendar: a first look in under two minutes
// --workers 1,2  one session per worker count (rili serve --workers N), same database
// --rate-limit off,1000  one session per --rate-limit setting (default off); a large multiplier runs
//                the limiter (on PostgreSQL, the database's counters) without refusing anything
// --rounds N     alternate ceiling and rili N times per endpoint, keep each side's best (full: 2)
// --profile DIR  run the server under `node --cpu-prof` (one server per endpoint, no ceiling) and
//                print each endpoint's hottest functions; profiles stay in DIR, no result file
// --node-args "…" extra flags for the server's node (experiments, e.g. --import a patch); no result file
// --against DIR  also run DIR's bin/rili.js (a checkout of another commit, with its node_modules) on a
//                database of its own, in the same rounds as this checkout and against the same ceiling,
//                and print each endpoint's ratios side by side: a before/after comparison in one run.
//                Not with search (its calendar is bulk-loaded by this checkout's schema). The result
//                file names both commits; a repeated run of the pair that day adds -run2, -run3...
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { bulkLoad, SEARCH_QUERY } from './lib/bulk-load.js';
import { formatSummary, summarize } from './lib/cpuprofile.js';
import type { ProfileSummary } from './lib/cpuprofile.js';
import { startExactCeiling } from './lib/exact-ceiling.js';
import { load, loadProblems } from './lib/load.js';
import type { Load } from './lib/load.js';
import { cpuOfProcessesNamed, cpuSeconds } from './lib/processes.js';
import { startServer } from './lib/server-process.js';
import type { ServerProcess } from './lib/server-process.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    store: { type: 'string', default: 'both' },
    workers: { type: 'string', default: '1' },
    only: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string' },
    'search-events': { type: 'string' },
    'api-events': { type: 'string' },
    profile: { type: 'string' },
    'node-args': { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    port: { type: 'string', default: '18800' },
    'no-write': { type: 'boolean', default: false },
    'rate-limit': { type: 'string', default: 'off' },
    against: { type: 'string' },
  },
});

const quick = values.quick;
const config = {
  quick,
  connections: Number(values.connections),
  seconds: Number(values.seconds ?? (quick ? 1.5 : 8)),
  warmupSeconds: Number(values.warmup ?? (quick ? 0.5 : 3)),
  ceilingWarmupSeconds: Math.min(Number(values.warmup ?? (quick ? 0.5 : 3)), quick ? 0.3 : 2),
  searchEvents: Number(values['search-events'] ?? (quick ? 10_000 : 100_000)),
  apiEvents: Number(values['api-events'] ?? (quick ? 100 : 200)),
  workers: values.workers.split(',').map(Number),
  rateLimits: values['rate-limit'].split(','),
  rounds: Number(values.rounds ?? (quick ? 1 : 2)),
};
const stores = values.store === 'both' ? ['sqlite', 'postgres'] : [values.store];
if (!stores.every((s) => s === 'sqlite' || s === 'postgres')) throw new Error(`--store must be sqlite, postgres or both, got ${values.store}`);
if (!config.workers.every((w) => Number.isInteger(w) && w >= 1)) throw new Error(`--workers must list positive integers, got ${values.workers}`);
const profileDir = values.profile;
const RILI_PORT = Number(values.port);
const CEILING_PORT = RILI_PORT + 1;
const AGAINST_PORT = RILI_PORT + 2;
const TENANT = 'bench';

const SEED = {
  tenants: [{
    tenant_key: TENANT,
    users: [
      // u1: the calendar read, patched, listed, viewed and free/busy-queried; u2: where creates go;
      // u3: the search calendar, bulk-loaded.
      { user_id: 'u1', open_id: 'ou_u1', union_id: 'on_u1', name: 'Bench One' },
      { user_id: 'u2', open_id: 'ou_u2', union_id: 'on_u2', name: 'Bench Two' },
      { user_id: 'u3', open_id: 'ou_u3', union_id: 'on_u3', name: 'Bench Three' },
    ],
    apps: [{ platform: 'feishu', app_id: 'cli_bench', app_secret: 'bench' }],
  }],
};

// u1's calendar: single events over the first half of 2026, daily and weekly series from January.
const HALF_YEAR_FROM = Date.parse('2026-01-01T00:00:00Z') / 1000;
const WEEK_FROM = Date.parse('2026-03-02T00:00:00+08:00') / 1000;
const WEEK_TO = WEEK_FROM + 7 * 86_400;
// The search window: one month of the ten-year search calendar.
const MONTH_FROM = Date.parse('2025-03-01T00:00:00Z') / 1000;
const MONTH_TO = Date.parse('2025-04-01T00:00:00Z') / 1000;

interface Fixture {
  readonly tokens: { u1: string; u2: string; u3: string };
  readonly getId: string;
  /** Single events outside the benchmark week: each PATCH picks one (no single hot row). */
  readonly patchIds: string[];
}

interface Endpoint {
  readonly name: string;
  readonly what: string;
  request(f: Fixture): { method: string; path: string; paths?: string[]; token: string; body?: unknown; idReplacement?: boolean };
}

const EVENTS = '/open-apis/calendar/v4/calendars/primary/events';
const ENDPOINTS: Endpoint[] = [
  { name: 'get', what: 'GET one event', request: (f) => ({ method: 'GET', path: `${EVENTS}/${f.getId}`, token: f.tokens.u1 }) },
  {
    name: 'patch', what: 'PATCH summary (a fresh summary per request) of one of 64 events',
    request: (f) => ({
      method: 'PATCH', path: `${EVENTS}/${f.patchIds[0]}`, paths: f.patchIds.map((id) => `${EVENTS}/${id}`), token: f.tokens.u1,
      body: { summary: 'patched [<id>]' }, idReplacement: true,
    }),
  },
  {
    name: 'create', what: 'POST a one-hour event (a fresh summary per request)',
    request: (f) => ({
      method: 'POST', path: EVENTS, token: f.tokens.u2, idReplacement: true,
      body: { summary: 'created [<id>]', description: 'made by the benchmark', start_time: { timestamp: String(WEEK_FROM + 3600) }, end_time: { timestamp: String(WEEK_FROM + 7200) } },
    }),
  },
  {
    name: 'search', what: `search "${SEARCH_QUERY}", one-month window, page of 20`,
    request: (f) => ({
      method: 'POST', path: `${EVENTS}/search?page_size=20`, token: f.tokens.u3,
      body: { query: SEARCH_QUERY, filter: { start_time: { timestamp: String(MONTH_FROM) }, end_time: { timestamp: String(MONTH_TO) } } },
    }),
  },
  { name: 'list', what: 'events list, first page of 50', request: (f) => ({ method: 'GET', path: `${EVENTS}?page_size=50`, token: f.tokens.u1 }) },
  {
    name: 'instance_view', what: 'instance_view, one week',
    request: (f) => ({ method: 'GET', path: `${EVENTS}/instance_view?start_time=${WEEK_FROM}&end_time=${WEEK_TO}`, token: f.tokens.u1 }),
  },
  {
    name: 'freebusy', what: 'freebusy/list of a user, one week',
    request: (f) => ({
      method: 'POST', path: '/open-apis/calendar/v4/freebusy/list', token: f.tokens.u1,
      body: { time_min: '2026-03-02T00:00:00+08:00', time_max: '2026-03-09T00:00:00+08:00', user_id: 'ou_u1' },
    }),
  },
];
const selected = values.only ? values.only.split(',').map((n) => {
  const e = ENDPOINTS.find((x) => x.name === n);
  if (!e) throw new Error(`unknown endpoint ${n}; one of ${ENDPOINTS.map((x) => x.name).join(', ')}`);
  return e;
}) : ENDPOINTS;
const againstDir = values.against === undefined ? undefined : resolve(values.against);
const againstBin = againstDir && join(againstDir, 'bin', 'rili.js');
if (againstDir && selected.some((e) => e.name === 'search')) throw new Error('--against cannot run search (its calendar is bulk-loaded by this checkout\'s schema): pick endpoints with --only');
if (againstDir && profileDir) throw new Error('--against and --profile do not go together');
/** The commit a checkout is at, for the result file ("unknown" outside git). */
const commitOf = (dir: string): string => {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const checkouts = { this: commitOf(new URL('..', import.meta.url).pathname), ...(againstDir ? { against: commitOf(againstDir) } : {}) };

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** The fields of rili's JSON answers that the harness reads; anything else stays in `text`. */
interface ApiJson {
  code?: number;
  access_token?: string;
  data?: { event?: { event_id?: string } };
}

async function api(url: string, method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; text: string; json: ApiJson | undefined }> {
  const res = await fetch(url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: ApiJson | undefined;
  try { json = JSON.parse(text) as ApiJson; } catch { json = undefined; }
  return { status: res.status, text, json };
}

async function mustOk(url: string, method: string, path: string, token: string | undefined, body?: unknown) {
  const r = await api(url, method, path, token, body);
  if (r.status < 200 || r.status >= 300 || (r.json?.code !== undefined && r.json.code !== 0)) {
    throw new Error(`${method} ${path}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
  }
  return r;
}

async function userToken(url: string, user: string): Promise<string> {
  const token = (await mustOk(url, 'POST', '/rili/v1/user-tokens', undefined, { app: 'cli_bench', user, expire_in: 86_400 })).json?.access_token;
  if (!token) throw new Error(`no access_token for ${user}`);
  return token;
}

/** u1's calendar through the API: single events, daily and weekly series. */
async function seedThroughApi(url: string): Promise<Fixture> {
  const tokens = { u1: await userToken(url, 'u1'), u2: await userToken(url, 'u2'), u3: await userToken(url, 'u3') };
  const ids: string[] = [];
  const span = 181 * 86_400;
  // Feishu create bodies; the fields below pick which events are read and which are patched.
  const bodies: { recurrence?: string; start_time: { timestamp: string; timezone: string }; [field: string]: unknown }[] = [];
  for (let i = 0; i < config.apiEvents; i++) {
    const start = HALF_YEAR_FROM + Math.floor((i * span) / config.apiEvents) + 9 * 3600;
    bodies.push({
      summary: `meeting ${i}`, description: 'An ordinary meeting with an ordinary description.',
      start_time: { timestamp: String(start), timezone: 'Asia/Shanghai' }, end_time: { timestamp: String(start + 1800 + (i % 3) * 900), timezone: 'Asia/Shanghai' },
      location: { name: `Room ${i % 5}` }, reminders: [{ minutes: 5 }],
    });
  }
  const seriesStart = Date.parse('2026-01-05T08:00:00+08:00') / 1000;
  for (let i = 0; i < 15; i++) {
    const start = seriesStart + i * 1800;
    bodies.push({
      summary: `series ${i}`, start_time: { timestamp: String(start), timezone: 'Asia/Shanghai' }, end_time: { timestamp: String(start + 1800), timezone: 'Asia/Shanghai' },
      recurrence: i < 5 ? 'FREQ=DAILY' : `FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]}`,
    });
  }
  // Four at a time: quick, and the order of ids does not matter.
  for (let i = 0; i < bodies.length; i += 4) {
    const made = await Promise.all(bodies.slice(i, i + 4).map((b) => mustOk(url, 'POST', EVENTS, tokens.u1, b)));
    for (const r of made) {
      const id = r.json?.data?.event?.event_id;
      if (!id) throw new Error(`create answered without an event_id: ${r.text.slice(0, 200)}`);
      ids.push(id);
    }
  }
  // The event read lies inside the benchmark week; the ones patched outside it.
  const single = (b: (typeof bodies)[number]) => !b.recurrence;
  const inWeek = (b: (typeof bodies)[number]) => Number(b.start_time.timestamp) >= WEEK_FROM && Number(b.start_time.timestamp) < WEEK_TO;
  const getId = ids[bodies.findIndex((b) => single(b) && inWeek(b))] ?? ids[0];
  const patchIds = ids.filter((id, i) => single(bodies[i]) && !inWeek(bodies[i]) && id !== getId).slice(0, 64);
  return { tokens, getId, patchIds };
}

/** One server's figures for an endpoint, and its ratios to the ceiling measured in the same rounds. */
interface SideResult {
  /** The best round; cpuMsPerRequest is the least over the rounds (server CPU time per request). */
  readonly rili: Load & { serverCpuCores: number; cpuMsPerRequest: number; dbCpuMsPerRequest?: number };
  readonly riliRounds: Load[];
  /** req/s and CPU: rili ÷ ceiling (1 = as fast as bare Node); latencies: rili ÷ ceiling (1 = as quick). */
  readonly ratio?: { requestsPerSecond: number; cpuPerRequest: number; p50: number; p99: number };
  readonly responseBytes: number;
}

interface EndpointResult {
  readonly endpoint: string;
  readonly what: string;
  readonly workers: number;
  readonly responseBytes: number;
  /** The best round; cpuMsPerRequest (and dbCpuMsPerRequest) the least over the rounds. */
  readonly rili: Load & { serverCpuCores: number; cpuMsPerRequest: number; dbCpuMsPerRequest?: number };
  readonly ceiling?: Load & { cpuMsPerRequest: number };
  readonly rounds: { rili: Load[]; ceiling: Load[] };
  /** req/s and CPU: rili ÷ ceiling (1 = as fast as bare Node); latencies: rili ÷ ceiling (1 = as quick). */
  readonly ratio?: { requestsPerSecond: number; cpuPerRequest: number; p50: number; p99: number };
  /** With --against: the other checkout's server, measured in the same rounds against the same ceiling. */
  readonly against?: SideResult;
  readonly problems: string[];
  readonly profile?: ProfileSummary;
}

/** A server under load and the ids its API gave the fixture. */
interface Target { readonly label: string; readonly server: ServerProcess; readonly fixture: Fixture }

/** When the last load on rili began (profiles are summarised from there to the server's exit). */
let loadStartedAt = 0;

/**
 * One endpoint: a sample answer from each target (must succeed), the ceiling at the first target's
 * answer size, then each target; with two targets (--against) their order alternates per round.
 */
async function measure(store: string, targets: readonly Target[], e: Endpoint, workers: number, withCeiling: boolean): Promise<EndpointResult> {
  loadStartedAt = 0;
  const fresh = (body: unknown, tag: string): unknown => (body === undefined ? undefined : JSON.parse(JSON.stringify(body).replaceAll('[<id>]', `${tag}${randomBytes(4).toString('hex')}`)));
  const plans = await Promise.all(targets.map(async (t) => {
    const r = e.request(t.fixture);
    const sample = await mustOk(t.server.url, r.method, r.path, r.token, fresh(r.body, 'sample'));
    const headers: Record<string, string> = { authorization: `Bearer ${r.token}`, ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}) };
    const common = {
      method: r.method, headers, body: r.body === undefined ? undefined : JSON.stringify(r.body), paths: r.paths, connections: config.connections,
      seconds: config.seconds, idReplacement: r.idReplacement, expectPrefix: '{"code":0,',
    };
    return { target: t, r, common, responseBytes: Buffer.byteLength(sample.text), pids: [t.server.child.pid!, ...t.server.servingPids().filter((p) => p !== t.server.child.pid)] };
  }));
  const responseBytes = plans[0].responseBytes;

  // Rounds alternate ceiling and rili; each side keeps its best round. The machine is shared and
  // noisy: a neighbour's burst only ever slows a round down, so the best round is the least disturbed.
  const ceilingRounds: Array<Load & { cpuMsPerRequest: number }> = [];
  const riliRounds: RiliRound[][] = plans.map(() => []);
  for (let round = 0; round < config.rounds; round++) {
    if (withCeiling) {
      const c = await startExactCeiling(CEILING_PORT, responseBytes);
      try {
        // The ceiling runs in this process, which does nothing else meanwhile (autocannon is a child).
        const before = process.cpuUsage();
        const l = await load({ ...plans[0].common, url: c.url + plans[0].r.path, warmupSeconds: config.ceilingWarmupSeconds });
        const used = process.cpuUsage(before);
        ceilingRounds.push({ ...l, cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(1, l.requests + l.warmupRequests) });
      } finally {
        await c.close();
      }
    }
    // Neither checkout always goes first: whatever drifts during a round falls on both alike.
    const order = plans.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const { target, r, common, pids } = plans[i];
      loadStartedAt ||= Date.now();
      const cpuBefore = pids.map((p) => cpuSeconds(p) ?? 0);
      const dbCpu = store === 'postgres' ? cpuOfProcessesNamed('postgres') : undefined;
      const t0 = performance.now();
      const l = await load({ ...common, url: target.server.url + r.path, warmupSeconds: config.warmupSeconds });
      const wall = (performance.now() - t0) / 1000;
      const cpu = pids.reduce((sum, p, k) => sum + ((cpuSeconds(p) ?? cpuBefore[k]) - cpuBefore[k]), 0);
      // CPU over warm-up and load alike, per request of both; server CPU as a share of the wall time.
      const served = Math.max(1, l.requests + l.warmupRequests);
      riliRounds[i].push({
        ...l, cpuMsPerRequest: (1000 * cpu) / served, serverCpuCores: Math.round((100 * cpu) / wall) / 100,
        // PostgreSQL's own processes (every backend, whoever's): on two cores its CPU is the server's too.
        ...(dbCpu ? { dbCpuMsPerRequest: (1000 * dbCpu()) / served } : {}),
      });
    }
  }
  const best = <T extends Load>(rounds: T[]): T | undefined => rounds.reduce<T | undefined>((a, b) => (!a || b.requestsPerSecond > a.requestsPerSecond ? b : a), undefined);
  const ceiling = best(ceilingRounds);
  const ceilingCpu = ceilingRounds.length ? Math.min(...ceilingRounds.map((x) => x.cpuMsPerRequest)) : undefined;
  const problems = ceilingRounds.flatMap((x) => loadProblems(x).map((p) => `ceiling: ${p}`));
  const sides: SideResult[] = [];
  for (const [i, { target, r }] of plans.entries()) {
    const rili = best(riliRounds[i])!;
    const riliCpu = Math.min(...riliRounds[i].map((x) => x.cpuMsPerRequest));
    const dbCpus = riliRounds[i].flatMap((x) => (x.dbCpuMsPerRequest === undefined ? [] : [x.dbCpuMsPerRequest]));
    problems.push(...riliRounds[i].flatMap((x) => loadProblems(x).map((p) => `${target.label}: ${p}`)));
    // The same request must still succeed after the load (a run that turned into errors is void).
    const after = await api(target.server.url, r.method, r.path, r.token, fresh(r.body, 'after'));
    if (after.status >= 300 || after.json?.code !== 0) problems.push(`${target.label}: request after the load failed: HTTP ${after.status} ${after.text.slice(0, 200)}`);
    sides.push({
      rili: { ...rili, cpuMsPerRequest: riliCpu, ...(dbCpus.length ? { dbCpuMsPerRequest: Math.min(...dbCpus) } : {}) },
      riliRounds: riliRounds[i],
      responseBytes: plans[i].responseBytes,
      ...(ceiling ? {
        ratio: {
          requestsPerSecond: rili.requestsPerSecond / ceiling.requestsPerSecond,
          cpuPerRequest: ceilingCpu! / riliCpu,
          p50: ceiling.p50Ms > 0 ? rili.p50Ms / ceiling.p50Ms : NaN,
          p99: ceiling.p99Ms > 0 ? rili.p99Ms / ceiling.p99Ms : NaN,
        },
      } : {}),
    });
  }
  const [main, against] = sides;
  const result: EndpointResult = {
    endpoint: e.name, what: e.what, workers, responseBytes,
    rili: main.rili,
    rounds: { rili: main.riliRounds, ceiling: ceilingRounds },
    ...(ceiling ? { ceiling: { ...ceiling, cpuMsPerRequest: ceilingCpu! }, ratio: main.ratio } : {}),
    ...(against ? { against } : {}),
    problems,
  };
  for (const [i, side] of sides.entries()) {
    log(`${e.name} w${workers}${sides.length > 1 ? ` [${plans[i].target.label}]` : ''}: ${side.rili.requestsPerSecond.toFixed(0)} req/s p50 ${side.rili.p50Ms} ms p99 ${side.rili.p99Ms} ms` +
      (ceiling ? ` | ceiling ${ceiling.requestsPerSecond.toFixed(0)} req/s → ${(100 * side.ratio!.requestsPerSecond).toFixed(1)}%` : '') +
      ` | CPU/req ${side.rili.cpuMsPerRequest.toFixed(3)} ms${ceilingCpu !== undefined ? ` vs ${ceilingCpu.toFixed(3)} ms` : ''}` +
      `${side.rili.dbCpuMsPerRequest !== undefined ? `, PostgreSQL ${side.rili.dbCpuMsPerRequest.toFixed(3)} ms` : ''} | ${side.responseBytes} B, server CPU ${side.rili.serverCpuCores} cores`);
  }
  if (problems.length) log(`${e.name} w${workers}: PROBLEMS: ${problems.join('; ')}`);
  return result;
}

/** One load on rili; on PostgreSQL also the database's CPU per request (its processes, warm-up and load). */
type RiliRound = Load & { cpuMsPerRequest: number; serverCpuCores: number; dbCpuMsPerRequest?: number };

interface Location { readonly db: string; drop(): Promise<void> }

async function freshLocation(store: string): Promise<Location> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rili-bench-'));
    return { db: join(dir, 'rili.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  return {
    db: `${values.pg}?schema=${schema}`,
    async drop() {
      const client = new pg.Client({ connectionString: values.pg });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

async function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

interface StoreRun {
  readonly store: string;
  readonly searchCalendarEvents: number;
  readonly bulkLoadSeconds: number;
  readonly sessions: Array<{ workers: number; rateLimit: string; peakRssMiB: { maxMiB: number; sumMiB: number }; exitCode: number | null; results: EndpointResult[] }>;
}

async function runStore(store: string): Promise<StoreRun> {
  const location = await freshLocation(store);
  // --against: the other checkout migrates and seeds a database of its own (its schema may differ).
  const againstLocation = againstBin ? await freshLocation(store) : undefined;
  const seedDir = mkdtempSync(join(tmpdir(), 'rili-bench-seed-'));
  const seedPath = join(seedDir, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(SEED));
  try {
    log(`${store}: loading ${config.searchEvents} events into the search calendar`);
    const loaded = await bulkLoad(location.db, SEED, TENANT, 'u3', config.searchEvents);
    log(`${store}: loaded in ${loaded.seconds.toFixed(1)} s`);
    let fixture: Fixture | undefined;
    let againstFixture: Fixture | undefined;
    const sessions: StoreRun['sessions'] = [];
    // Normal: one server per worker count, every endpoint. Profiling: one server per endpoint.
    const plan = config.rateLimits.flatMap((rateLimit) => (profileDir
      ? config.workers.flatMap((w) => selected.map((e) => ({ workers: w, rateLimit, endpoints: [e] })))
      : config.workers.map((w) => ({ workers: w, rateLimit, endpoints: selected }))));
    for (const step of plan) {
      const dir = profileDir ? join(profileDir, `${store}-w${step.workers}-${step.endpoints[0].name}`) : undefined;
      if (dir) { rmSync(dir, { recursive: true, force: true }); mkdirSync(dir, { recursive: true }); }
      const options = {
        seedPath, workers: step.workers, rateLimit: step.rateLimit,
        nodeArgs: [...(dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : []), ...(values['node-args']?.split(' ').filter(Boolean) ?? [])],
      };
      const server = await startServer({ ...options, db: location.db, port: RILI_PORT });
      let other: ServerProcess | undefined;
      const results: EndpointResult[] = [];
      let exitCode: number | null = null;
      let peak = { maxMiB: 0, sumMiB: 0 };
      try {
        if (againstLocation) other = await startServer({ ...options, db: againstLocation.db, port: AGAINST_PORT, bin: againstBin });
        fixture ??= await seedThroughApi(server.url);
        if (other) againstFixture ??= await seedThroughApi(other.url);
        const targets: Target[] = [{ label: `this ${checkouts.this}`, server, fixture }, ...(other ? [{ label: `against ${checkouts.against}`, server: other, fixture: againstFixture! }] : [])];
        for (const e of step.endpoints) results.push(await measure(store, targets, e, step.workers, !dir));
      } finally {
        peak = server.peakRss();
        exitCode = await server.stop();
        const otherExit = await other?.stop();
        if (otherExit !== undefined && otherExit !== 0) {
          log(`${store}: the --against server exited ${otherExit} on SIGTERM`);
          exitCode ??= otherExit;
        }
      }
      const loadMs = Date.now() - loadStartedAt;
      if (exitCode !== 0) log(`${store}: rili exited ${exitCode} on SIGTERM`);
      if (dir) {
        // The cluster primary writes a (near idle) profile too: summarise the busiest one.
        const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => summarize(join(dir, f), { lastMs: loadMs }));
        const busiest = profiles.sort((a, b) => b.busyMs - a.busyMs);
        for (const [i, p] of busiest.entries()) {
          if (i > 0 && p.busyMs < 0.1 * busiest[0].busyMs) continue;
          console.log(formatSummary(p, `${store} ${step.endpoints[0].name} workers=${step.workers}`));
        }
        results[0] = { ...results[0], profile: busiest[0] };
      }
      sessions.push({ workers: step.workers, rateLimit: step.rateLimit, peakRssMiB: peak, exitCode, results });
    }
    return { store, searchCalendarEvents: config.searchEvents, bulkLoadSeconds: loaded.seconds, sessions };
  } finally {
    await location.drop();
    await againstLocation?.drop();
    rmSync(seedDir, { recursive: true, force: true });
  }
}

const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
const dbMs = (x: { dbCpuMsPerRequest?: number }) => (x.dbCpuMsPerRequest === undefined ? '—' : x.dbCpuMsPerRequest.toFixed(3));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}×` : '—');
/** rili's latency over the ceiling's; autocannon counts whole milliseconds, so a 0 ms ceiling (< 1 ms) gives a lower bound. */
const latencyRatio = (rili: number, ceiling: number) => (ceiling > 0 ? times(rili / ceiling) : `> ${times(rili)}`);

/** The BENCHMARKS.md table of one store run: ratios to the ceiling first, then the absolute figures. */
function markdown(run: StoreRun): string {
  const out: string[] = [];
  for (const s of run.sessions) {
    out.push(`${run.store}, ${s.workers === 1 ? 'one process' : `${s.workers} workers`}${s.rateLimit !== 'off' ? `, --rate-limit ${s.rateLimit}` : ''} (peak RSS ${f0(s.peakRssMiB.maxMiB)} MiB${s.workers > 1 ? ` per worker, ${f0(s.peakRssMiB.sumMiB)} MiB together` : ''}):`);
    out.push('');
    out.push('| endpoint | req/s ÷ ceiling | CPU/req: ceiling ÷ rili | p50 ÷ ceiling | p99 ÷ ceiling | req/s | p50 ms | p99 ms | ceiling req/s | ceiling p50 / p99 ms | CPU ms/req rili / ceiling | answer bytes | non-2xx |');
    out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of s.results) {
      const c = r.ceiling;
      out.push(`| ${r.endpoint} | ${r.ratio ? pct(r.ratio.requestsPerSecond) : '—'} | ${r.ratio ? pct(r.ratio.cpuPerRequest) : '—'} | ${c ? latencyRatio(r.rili.p50Ms, c.p50Ms) : '—'} | ${c ? latencyRatio(r.rili.p99Ms, c.p99Ms) : '—'} | ${f0(r.rili.requestsPerSecond)} | ${f1(r.rili.p50Ms)} | ${f1(r.rili.p99Ms)} | ${c ? f0(c.requestsPerSecond) : '—'} | ${c ? `${f1(c.p50Ms)} / ${f1(c.p99Ms)}` : '—'} | ${r.rili.cpuMsPerRequest.toFixed(3)}${c ? ` / ${c.cpuMsPerRequest.toFixed(3)}` : ''} | ${r.responseBytes} | ${r.rounds.rili.reduce((a, x) => a + x.non2xx, 0)}${r.problems.length ? ' ⚠' : ''} |`);
    }
    out.push('');
    const compared = s.results.filter((r) => r.against?.ratio && r.ratio);
    if (compared.length) {
      out.push(`Against ${checkouts.against} (${againstDir}), same rounds and ceiling; this ${checkouts.this} ÷ against (1 = the same, above 1 = this checkout is better):`);
      out.push('');
      out.push('| endpoint | req/s ÷ ceiling: this / against | ÷ | CPU/req: ceiling ÷ rili, this / against | ÷ | CPU ms/req this / against | PostgreSQL CPU ms/req this / against | p99 ms this / against |');
      out.push('|---|---|---|---|---|---|---|---|');
      for (const r of compared) {
        const a = r.against!;
        out.push(`| ${r.endpoint} | ${pct(r.ratio!.requestsPerSecond)} / ${pct(a.ratio!.requestsPerSecond)} | ${(r.ratio!.requestsPerSecond / a.ratio!.requestsPerSecond).toFixed(3)} | ${pct(r.ratio!.cpuPerRequest)} / ${pct(a.ratio!.cpuPerRequest)} | ${(r.ratio!.cpuPerRequest / a.ratio!.cpuPerRequest).toFixed(3)} | ${r.rili.cpuMsPerRequest.toFixed(3)} / ${a.rili.cpuMsPerRequest.toFixed(3)} | ${dbMs(r.rili)} / ${dbMs(a.rili)} | ${f1(r.rili.p99Ms)} / ${f1(a.rili.p99Ms)} |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

const m = await machine();
const started = Date.now();
log(`machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}; ${quick ? 'quick' : 'full'} run, ${config.seconds} s per load after ${config.warmupSeconds} s warm-up, ${config.connections} connections`);
const runs: StoreRun[] = [];
let failed = false;
for (const store of stores) {
  const run = await runStore(store);
  runs.push(run);
  const problems = run.sessions.flatMap((s) => s.results.flatMap((r) => r.problems.map((p) => `${r.endpoint} w${s.workers}: ${p}`)));
  if (problems.length || run.sessions.some((s) => s.exitCode !== 0)) failed = true;
  for (const p of problems) log(`PROBLEM ${store} ${p}`);
  if (!profileDir && !values['no-write'] && !values['node-args']) {
    const suffix = `${quick ? '-quick' : ''}${againstDir ? `-${checkouts.this}-vs-${checkouts.against}` : ''}${config.workers.join(',') !== '1' ? `-w${config.workers.join('-')}` : ''}${config.rateLimits.join(',') !== 'off' ? `-rl${config.rateLimits.join('-')}` : ''}${values.only ? `-${selected.map((e) => e.name).join('-')}` : ''}`;
    // A before/after pair is run more than once to see the spread: each --against run keeps its file.
    let file = new URL(`./results/${m.date}-${store}${suffix}.json`, import.meta.url);
    for (let n = 2; againstDir && existsSync(file); n++) file = new URL(`./results/${m.date}-${store}${suffix}-run${n}.json`, import.meta.url);
    writeFileSync(file, JSON.stringify({ benchmark: 'npm run bench', machine: m, config, checkouts, ...run }, null, 2) + '\n');
    log(`wrote ${file.pathname}`);
  }
}
if (!profileDir) {
  console.log(`\nMachine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}. Date: ${m.date}. ${quick ? 'Quick run' : 'Full run'}: ${config.connections} connections, ${config.warmupSeconds} s warm-up, ${config.seconds} s per load; search calendar of ${config.searchEvents} events.\n`);
  for (const run of runs) console.log(markdown(run));
}
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? ' WITH PROBLEMS' : ''}`);
process.exit(failed ? 1 : 0);
