import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from './reliability/lib/rili-child.js';
import { TEST_SEED } from './helpers/seed.js';
import { STORES, freshLocation } from './helpers/stores.js';

const BIN = new URL('../bin/rili.js', import.meta.url).pathname;

/** `arrivedSecond`: the log id's time, the server's clock (to the second) as the request arrived. */
interface Answer { status: number; body: any; server: number; arrivedSecond: number }

interface Serving { readonly port: number; readonly child: ChildProcess; readonly agent: Agent; output: string }

function call(s: Serving, server: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: s.port, method, path, agent: s.agent,
      headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        // The log id begins with the UTC time to the second: yyyyMMddHHmmss.
        const stamp = String(res.headers['x-tt-logid']).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2}).*$/, '$1-$2-$3T$4:$5:$6Z');
        resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined, server, arrivedSecond: Date.parse(stamp) / 1000 });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * The most accepted answers in one second by the server's clock as they arrived. The server counts a
 * request a few milliseconds after it arrives, after its token is checked; the bursts below are sent
 * at the start of a second, so their counting falls in the second they arrived in.
 */
function mostInOneWindow(answers: Answer[]): number {
  const perWindow = new Map<number, number>();
  for (const a of answers) perWindow.set(a.arrivedSecond, (perWindow.get(a.arrivedSecond) ?? 0) + 1);
  return Math.max(0, ...perWindow.values());
}

/**
 * `total` calls, alternating between the servers, all sent at once just after a second turns, each
 * on a connection opened beforehand (the burst is then as short as the servers allow).
 */
async function burst(servers: Serving[], total: number, send: (s: Serving, server: number) => Promise<Answer>): Promise<{ answers: Answer[]; ms: number }> {
  await Promise.all(Array.from({ length: total }, (_, i) => call(servers[i % 2], i % 2, 'GET', '/rili/v1/health', {})));
  while (Date.now() % 1000 > 10) await new Promise((r) => setTimeout(r, 1));
  const startedAt = Date.now();
  const answers = await Promise.all(Array.from({ length: total }, (_, i) => send(servers[i % 2], i % 2)));
  return { answers, ms: Date.now() - startedAt };
}

async function startServe(db: string, seed: string): Promise<Serving> {
  const port = await freePort();
  // Rate limits are on by default in `rili serve`; no --workers: each is a host of its own.
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db, '--seed', seed, '--secret', 'limits-test', '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RILI_WORKERS: '1', RILI_RATE_LIMIT: 'on' },
  });
  const serving: Serving = { port, child, agent: new Agent({ keepAlive: true, maxSockets: 100 }), output: '' };
  child.stdout.on('data', (c) => { serving.output += c; });
  child.stderr.on('data', (c) => { serving.output += c; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rili serve exited ${child.exitCode}: ${serving.output}`);
    if (Date.now() > deadline) throw new Error(`rili serve did not come up: ${serving.output}`);
    const up = await fetch(`http://127.0.0.1:${port}/rili/v1/health`).then((r) => r.ok, () => false);
    if (up) return serving;
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const kind of STORES) {
  describe(`${kind}: two rili serve processes on one database`, () => {
    let dir: string;
    let drop = async () => {};
    const servers: Serving[] = [];
    let feishuToken: string;
    let dingToken: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rili-limits-'));
      const seed = join(dir, 'seed.json');
      writeFileSync(seed, JSON.stringify(TEST_SEED));
      let db = join(dir, 'r.db');
      if (kind === 'postgres') ({ location: db, drop } = await freshLocation('postgres'));
      // One after the other: the first migrates and seeds, the second finds it done.
      servers.push(await startServe(db, seed));
      servers.push(await startServe(db, seed));
      const [a] = servers;
      feishuToken = (await call(a, 0, 'POST', '/rili/v1/user-tokens', {}, { app: 'cli_acme', user: 'zhangsan' })).body.access_token;
      dingToken = (await call(a, 0, 'POST', '/v1.0/oauth2/accessToken', {}, { appKey: 'dingacme', appSecret: 'acme-secret' })).body.accessToken;
      assert.ok(feishuToken && dingToken);
      // Warm both up on a method whose budget the tests do not use.
      for (const [i, s] of servers.entries()) {
        for (let n = 0; n < 3; n++) assert.equal((await call(s, i, 'GET', '/open-apis/calendar/v4/calendars/primary', { authorization: `Bearer ${feishuToken}` })).status, 200);
      }
    });

    after(async () => {
      for (const s of servers) {
        s.agent.destroy();
        if (s.child.exitCode === null) s.child.kill('SIGKILL');
      }
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('Feishu: 100 searches in a second, split across both: the per-app-and-method limit (50) holds per deployment on PostgreSQL, per process on SQLite', async () => {
      const { answers, ms } = await burst(servers, 100, (s, i) => call(s, i, 'POST', '/open-apis/calendar/v4/calendars/primary/events/search',
        { authorization: `Bearer ${feishuToken}` }, { query: 'x' }));
      const accepted = answers.filter((a) => a.status === 200 && a.body.code === 0);
      const refused = answers.filter((a) => a.status === 429 && a.body.code === 99991400);
      assert.equal(accepted.length + refused.length, 100, `unexpected answers: ${JSON.stringify(answers.find((a) => a.body.code !== 0 && a.body.code !== 99991400)?.body)}`);
      if (kind === 'postgres') {
        assert.ok(accepted.length >= 50, `only ${accepted.length} accepted`);
        const most = mostInOneWindow(accepted);
        console.log(`[limits] ${kind} feishu: ${accepted.length} accepted, ${most} in one window, ${ms} ms`);
        assert.ok(most <= 50, `${most} searches accepted within one second across two servers (limit 50; the burst took ${ms} ms)`);
      } else {
        // Each process counts alone: 50 each, within each one's own limit, all accepted.
        for (const s of [0, 1]) assert.ok(mostInOneWindow(accepted.filter((a) => a.server === s)) <= 50);
        assert.equal(accepted.length, 100, `per-process counting accepts each server's 50 (the burst took ${ms} ms)`);
      }
    });

    test('DingTalk: 60 ListCalendars in a second, split across both: the per-API limit (20) holds per deployment on PostgreSQL, per process on SQLite', async () => {
      const { answers, ms } = await burst(servers, 60, (s, i) => call(s, i, 'GET', '/v1.0/calendar/users/on_zhangsan/calendars',
        { 'x-acs-dingtalk-access-token': dingToken }));
      const accepted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 403 && a.body.code === 'Forbidden.AccessDenied.QpsLimitForApi');
      assert.equal(accepted.length + refused.length, 60, `unexpected answers: ${JSON.stringify(answers.find((a) => a.status !== 200 && a.status !== 403)?.body)}`);
      if (kind === 'postgres') {
        assert.ok(accepted.length >= 20, `only ${accepted.length} accepted`);
        const most = mostInOneWindow(accepted);
        assert.ok(most <= 20, `${most} ListCalendars accepted within one second across two servers (limit 20; the burst took ${ms} ms)`);
      } else {
        for (const s of [0, 1]) assert.ok(mostInOneWindow(accepted.filter((a) => a.server === s)) <= 20);
        // 30 calls each: at least 20 pass on each server.
        assert.ok(accepted.length >= 40, `${accepted.length} accepted: per-process counting lets each server's first 20 through`);
      }
    });
  });
}
