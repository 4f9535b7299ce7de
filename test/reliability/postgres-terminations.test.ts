import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { TEST_SEED } from '../helpers/seed.js';
import { PG_URL, STORES } from '../helpers/stores.js';
import { dingtalkAppToken, feishu, isFeishuOk, sandboxToken, send } from './lib/http.js';
import type { Answer, FeishuCaller } from './lib/http.js';
import { privateDatabase } from './lib/pg.js';
import type { PgDatabase } from './lib/pg.js';
import { freePort, startRiliChild } from './lib/rili-child.js';
import type { RiliChild } from './lib/rili-child.js';
import { prng, RUN_SEED, sized } from './lib/size.js';

/**
 * Store faults are survived (PostgreSQL): `rili serve` under a write load from both dialects while
 * its backends are terminated again and again (`pg_terminate_backend`, as an administrator or a
 * failover does). The process never exits; every request is answered, with success or the dialect's
 * retryable answer (Feishu 429 190010, DingTalk 503 serviceBusy), never a hang and never a generic
 * 500; every acknowledged write is then there; a create retried with its idempotency key or
 * x-client-token makes one event; once the terminations stop, every request succeeds.
 */

const LOAD_MS = sized('RILI_TERMINATE_MS', 8_000, 60_000);
/** Requests in flight at once, per dialect. */
const WORKERS = 3;
/** An answer slower than this is a hang. */
const HANG_MS = 20_000;
/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600;
const SECRET = 'rili-terminate-secret';
const DT_EVENTS = '/v1.0/calendar/users/on_zhangsan/calendars/primary/events';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (epoch: number) => new Date((epoch + 8 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

type Dialect = 'feishu' | 'dingtalk';

/** One event the load makes and renames; `summary` is what an acknowledged write last set. */
interface ModelEvent {
  readonly n: number;
  readonly dialect: Dialect;
  /** The Feishu idempotency_key or the DingTalk x-client-token of its create. */
  readonly key: string;
  id?: string;
  summary: string;
  busy: boolean;
  /** A write answered with the retryable error: sent again once the faults stop. */
  retry?: 'create' | { rename: string };
}

const isRetryable = (dialect: Dialect, a: Answer): boolean =>
  dialect === 'feishu' ? a.status === 429 && a.json?.code === 190010 : a.status === 503 && a.json?.code === 'serviceBusy';
const isOk = (dialect: Dialect, a: Answer): boolean => (dialect === 'feishu' ? isFeishuOk(a) : a.status === 200);

class TerminationRun {
  readonly events: ModelEvent[] = [];
  readonly violations: string[] = [];
  readonly counts = { ok: 0, retryable: 0, terminated: 0, retriedAfter: 0, slowestMs: 0 };
  private readonly rng = prng(RUN_SEED);
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 * WORKERS + 4 });
  caller!: FeishuCaller;
  ding = '';
  calendarId = '';

  constructor(readonly server: RiliChild) {}

  async login(): Promise<void> {
    this.caller = { base: this.server.url, token: await sandboxToken(this.server.url, 'cli_acme', 'zhangsan'), agent: this.agent };
    const primary = await feishu(this.caller, 'POST', '/calendar/v4/calendars/primary');
    assert.ok(isFeishuOk(primary), primary.text);
    this.calendarId = primary.json.data.calendars[0].calendar.calendar_id;
    this.ding = await dingtalkAppToken(this.server.url, 'dingacme', 'acme-secret');
  }

  private feishuPath(tail = ''): string {
    return `/open-apis/calendar/v4/calendars/${encodeURIComponent(this.calendarId)}/events${tail}`;
  }

  private call(dialect: Dialect, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const auth: Record<string, string> = dialect === 'feishu' ? { authorization: `Bearer ${this.caller.token}` } : { 'x-acs-dingtalk-access-token': this.ding };
    return send(this.server.url, { method, path, body, headers: { ...auth, ...headers }, agent: this.agent, timeoutMs: HANG_MS });
  }

  private sendCreate(ev: ModelEvent): Promise<Answer> {
    const start = T0 + ev.n * 3600;
    if (ev.dialect === 'feishu') {
      return this.call('feishu', 'POST', this.feishuPath(`?idempotency_key=${ev.key}`), {
        summary: ev.summary, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 1800) },
      });
    }
    return this.call('dingtalk', 'POST', DT_EVENTS, {
      summary: ev.summary, start: { dateTime: iso(start), timeZone: 'Asia/Shanghai' }, end: { dateTime: iso(start + 1800), timeZone: 'Asia/Shanghai' },
    }, { 'x-client-token': ev.key });
  }

  private sendRename(ev: ModelEvent, summary: string): Promise<Answer> {
    return ev.dialect === 'feishu'
      ? this.call('feishu', 'PATCH', this.feishuPath(`/${ev.id}`), { summary })
      : this.call('dingtalk', 'PUT', `${DT_EVENTS}/${ev.id}`, { id: ev.id, summary });
  }

  private idOf(ev: ModelEvent, a: Answer): string {
    return ev.dialect === 'feishu' ? a.json.data.event.event_id : a.json.id;
  }

  /** Sends one write; success acknowledges it, the retryable error queues it, anything else is a violation. */
  private async write(ev: ModelEvent, what: string, sendIt: () => Promise<Answer>, acknowledge: (a: Answer) => void, later: ModelEvent['retry']): Promise<void> {
    let a: Answer;
    try {
      a = await sendIt();
      this.counts.slowestMs = Math.max(this.counts.slowestMs, Math.round(a.ms));
    } catch (error) {
      this.violations.push(`ev${ev.n} ${what}: no answer (${(error as Error).message}); rili stderr: ${this.server.stderrTail().slice(-600)}`);
      ev.retry = later;
      return;
    }
    if (isOk(ev.dialect, a)) {
      acknowledge(a);
      this.counts.ok++;
    } else if (isRetryable(ev.dialect, a)) {
      ev.retry = later;
      this.counts.retryable++;
    } else {
      this.violations.push(`ev${ev.n} ${ev.dialect} ${what}: answered ${a.status} ${a.text.slice(0, 300)}`);
      ev.retry = later;
    }
  }

  private async step(dialect: Dialect): Promise<void> {
    const idle = this.events.filter((e) => e.dialect === dialect && e.id && !e.busy && !e.retry);
    if (idle.length < 3 || this.rng.chance(0.4)) {
      const n = this.events.length;
      const ev: ModelEvent = { n, dialect, key: `term-${RUN_SEED}-${n}`, summary: `${dialect} ${n}`, busy: true };
      this.events.push(ev);
      await this.write(ev, 'create', () => this.sendCreate(ev), (a) => {
        ev.id = this.idOf(ev, a);
      }, 'create');
      ev.busy = false;
      return;
    }
    const ev = this.rng.pick(idle);
    const summary = `${dialect} ${ev.n} renamed ${this.rng.int(1e9)}`;
    ev.busy = true;
    await this.write(ev, 'rename', () => this.sendRename(ev, summary), () => {
      ev.summary = summary;
    }, { rename: summary });
    ev.busy = false;
  }

  async load(stop: { now: boolean }): Promise<void> {
    const worker = async (dialect: Dialect) => {
      while (!stop.now) await this.step(dialect);
    };
    await Promise.all([...Array.from({ length: WORKERS }, () => worker('feishu')), ...Array.from({ length: WORKERS }, () => worker('dingtalk'))]);
  }

  /** Sends again every write that got the retryable error: each must now succeed. */
  async retryAll(): Promise<void> {
    for (const ev of this.events) {
      const retry = ev.retry;
      if (!retry) continue;
      ev.retry = undefined;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const a = retry === 'create' ? await this.sendCreate(ev) : await this.sendRename(ev, retry.rename);
        // A claim whose release the fault interrupted is let go within seconds; until then DingTalk says so.
        if (ev.dialect === 'dingtalk' && a.status === 400 && a.json?.code === 'idempotencyProcessing' && Date.now() < deadline) {
          await sleep(200);
          continue;
        }
        if (!isOk(ev.dialect, a)) {
          this.violations.push(`ev${ev.n} ${ev.dialect}: the retry after the faults was answered ${a.status} ${a.text.slice(0, 300)}`);
          break;
        }
        this.counts.retriedAfter++;
        if (retry === 'create') {
          const id = this.idOf(ev, a);
          if (ev.id && ev.id !== id) this.violations.push(`ev${ev.n}: the retried create made another event`);
          ev.id = id;
        } else {
          ev.summary = retry.rename;
        }
        break;
      }
    }
  }

  /** Every event of the calendar: each model event exactly once, with what was last acknowledged. */
  async verify(): Promise<void> {
    const listed: any[] = [];
    let pageToken: string | undefined;
    do {
      const a = await this.call('feishu', 'GET', this.feishuPath(`?page_size=1000${pageToken ? `&page_token=${pageToken}` : ''}`));
      assert.ok(isFeishuOk(a), a.text);
      listed.push(...(a.json.data.items ?? []));
      pageToken = a.json.data.has_more ? a.json.data.page_token : undefined;
    } while (pageToken);
    const byId = new Map(listed.map((e) => [e.event_id, e]));
    for (const ev of this.events) {
      if (!ev.id) {
        this.violations.push(`ev${ev.n}: never made`);
        continue;
      }
      const found = byId.get(ev.id);
      if (!found) this.violations.push(`ev${ev.n} (${ev.dialect} ${ev.id}): acknowledged, not there`);
      else if (found.summary !== ev.summary) this.violations.push(`ev${ev.n}: acknowledged "${ev.summary}", found "${found.summary}"`);
      byId.delete(ev.id);
    }
    for (const [id, e] of byId) this.violations.push(`an event the load did not make, or made twice: ${id} "${e.summary}"`);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Terminates rili's backends (all or one, at random) every 50-250 ms until stopped. */
async function terminate(admin: pg.Client, database: string, stop: { now: boolean }, counts: { terminated: number }): Promise<void> {
  const rng = prng(RUN_SEED ^ 0x5eed);
  while (!stop.now) {
    const all = rng.chance(0.5);
    const r = await admin.query<{ ok: boolean }>(
      `select pg_terminate_backend(pid) as ok from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
        order by random() ${all ? '' : 'limit 1'}`, [database]);
    counts.terminated += r.rows.filter((x) => x.ok).length;
    await sleep(50 + rng.int(200));
  }
}

describe('postgres: terminated connections under load', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rili-terminate-'));
  let database: PgDatabase | undefined;
  let server: RiliChild | undefined;
  let admin: pg.Client | undefined;
  after(async () => {
    await server?.kill();
    await admin?.end().catch(() => {});
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test(`pg_terminate_backend for ${LOAD_MS} ms under writes from both dialects: rili keeps serving, answers retryably, loses nothing`, { timeout: 10 * 60_000 }, async () => {
    database = await privateDatabase('term');
    const seedPath = join(dir, 'seed.json');
    writeFileSync(seedPath, JSON.stringify(TEST_SEED));
    server = await startRiliChild({ db: database.schema('term').location, port: await freePort(), secret: SECRET, seedPath });
    let exited: string | undefined;
    server.child.once('exit', (code, signal) => {
      exited = `exit code ${code}, signal ${signal}`;
    });
    const run = new TerminationRun(server);
    await run.login();
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const dbName = new URL(database.url).pathname.slice(1);

    const stop = { now: false };
    const load = run.load(stop);
    const killer = terminate(admin, dbName, stop, run.counts);
    await sleep(LOAD_MS);
    stop.now = true;
    await Promise.all([load, killer]);
    assert.equal(exited, undefined, `rili exited under terminations: ${server.stderrTail()}`);
    assert.ok(run.counts.terminated >= 10, `the test terminated ${run.counts.terminated} backends: too few to mean anything`);
    assert.deepEqual(run.violations, [], `during the terminations (RILI_TEST_SEED=${RUN_SEED})`);

    // The faults are over: what failed retryably succeeds when sent again, and so does new work.
    await run.retryAll();
    const stopAfter = { now: false };
    const okBefore = run.counts.ok;
    const retryableBefore = run.counts.retryable;
    const calm = run.load(stopAfter);
    await sleep(1_500);
    stopAfter.now = true;
    await calm;
    assert.equal(run.counts.retryable, retryableBefore, 'a retryable answer after the terminations stopped');
    assert.ok(run.counts.ok > okBefore, 'requests succeed after the terminations');
    await run.verify();
    assert.deepEqual(run.violations, [], `after the terminations (RILI_TEST_SEED=${RUN_SEED})`);
    assert.equal(exited, undefined, `rili exited: ${server.stderrTail()}`);
    const acked = run.events.filter((e) => e.id).length;
    console.log(`[reliability] postgres terminations: ${run.counts.terminated} backends terminated in ${LOAD_MS} ms; `
      + `${run.counts.ok} writes succeeded, ${run.counts.retryable} answered retryably (slowest answer ${run.counts.slowestMs} ms), `
      + `${run.counts.retriedAfter} sent again after them, all succeeded; `
      + `${acked} events checked, seed ${RUN_SEED}`);
    run.close();
    await server.stop();
  });
});
