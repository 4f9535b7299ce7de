import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HELP, parseWorkers } from '../src/cli.js';
import { TEST_SEED } from './helpers/seed.js';

const BIN = new URL('../bin/rili.js', import.meta.url).pathname;

interface Answer { status: number; logId: string; body: any }

/** One request on a connection of its own (no keep-alive), so the cluster may hand it to any worker. */
function call(port: number, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false,
      headers: {
        connection: 'close',
        ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, logId: String(res.headers['x-tt-logid']), body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('rili serve --workers', () => {
  test('--help documents --workers and RILI_WORKERS', () => {
    assert.match(HELP, /--workers N .*RILI_WORKERS/);
  });

  test('--workers: flag wins over RILI_WORKERS, default 1, must be a positive integer', () => {
    assert.equal(parseWorkers([], {}), 1);
    assert.equal(parseWorkers(['serve'], { RILI_WORKERS: '3' }), 3);
    assert.equal(parseWorkers(['serve', '--workers', '2'], { RILI_WORKERS: '3' }), 2);
    assert.throws(() => parseWorkers(['--workers', '0'], {}), /workers/);
    assert.throws(() => parseWorkers(['--workers', 'two'], {}), /workers/);
    assert.throws(() => parseWorkers([], { RILI_WORKERS: '1.5' }), /workers/);
  });

  test('--workers above 1 refuses :memory: (the workers could not share it)', () => {
    const out = spawnSync(process.execPath, [BIN, 'serve', '--db', ':memory:', '--workers', '2'], { encoding: 'utf8' });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /:memory:/);
  });

  describe('two workers on one SQLite file', () => {
    let dir: string;
    let child: ChildProcess;
    let port: number;
    let output = '';
    /** Log lines so far, parsed: each worker's request lines carry its pid and the request's log id. */
    const lines = () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const pidOf = (logId: string): number | undefined => lines().find((l) => l.reqId === logId && l.pid !== undefined)?.pid;
    const workerPids = (): number[] => [...new Set(lines().filter((l) => l.msg?.startsWith('Server listening')).map((l) => l.pid as number))];
    /** Waits until the log line for each request is written (workers log asynchronously). */
    const servedBy = async (answers: Answer[]): Promise<number[]> => {
      const deadline = Date.now() + 5_000;
      for (;;) {
        const pids = answers.map((a) => pidOf(a.logId));
        if (pids.every((p) => p !== undefined) || Date.now() > deadline) return pids.map((p) => p ?? -1);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rili-workers-'));
      const seed = join(dir, 'seed.json');
      writeFileSync(seed, JSON.stringify(TEST_SEED));
      // Port 0: the primary hands every worker the same port, which 'cluster listening' reports (a random
      // port picked here could collide with another process's ephemeral one).
      // No --secret: the primary generates the signing key once and every worker reads it.
      child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(dir, 'r.db'), '--seed', seed], {
        stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RILI_WORKERS: '2' },
      });
      child.stdout!.on('data', (c) => { output += c; });
      child.stderr!.on('data', (c) => { output += c; });
      const deadline = Date.now() + 60_000;
      while (!lines().some((l) => l.msg === 'cluster listening')) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`cluster did not come up: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      port = Number(new URL(lines().find((l) => l.msg === 'cluster listening').address as string).port);
    });

    after(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const pid of workerPids()) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    test('the primary starts two workers on one port', () => {
      const pids = workerPids();
      assert.equal(pids.length, 2, output);
      assert.ok(!pids.includes(child.pid!));
      const listening = lines().find((l) => l.msg === 'cluster listening');
      assert.deepEqual([...listening.workers].sort(), [...pids].sort());
    });

    test('a token minted by one worker is valid on the other, and both see the same data', async () => {
      const minted = await call(port, 'POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'zhangsan' } });
      assert.equal(minted.status, 200);
      const token = minted.body.access_token as string;
      const created = await call(port, 'POST', '/open-apis/calendar/v4/calendars/primary/events', {
        token, body: { summary: 'cluster', start_time: { timestamp: '1795000000' }, end_time: { timestamp: '1795003600' } },
      });
      assert.equal(created.body.code, 0, JSON.stringify(created.body));
      const eventId = created.body.data.event.event_id as string;
      const reads: Answer[] = [];
      for (let i = 0; i < 8; i++) reads.push(await call(port, 'GET', `/open-apis/calendar/v4/calendars/primary/events/${eventId}`, { token }));
      for (const r of reads) {
        assert.equal(r.status, 200);
        assert.equal(r.body.code, 0);
        assert.equal(r.body.data.event.summary, 'cluster');
      }
      const [mintedBy, createdBy] = await servedBy([minted, created]);
      const readBy = await servedBy(reads);
      assert.ok(workerPids().includes(mintedBy), `minted by ${mintedBy}`);
      // Connections are handed out round-robin: the reads land on both workers.
      assert.equal(new Set(readBy).size, 2, `reads served by ${readBy.join(', ')}`);
      assert.ok(readBy.some((p) => p !== mintedBy), 'no request used the token on the other worker');
      assert.ok(readBy.some((p) => p !== createdBy), 'no read on the worker that did not create the event');
    });

    test('rate limits are counted across the workers, not per worker', async () => {
      // `rili serve` limits by default: event search is 50 a second per app (99991400 past that).
      // Each worker counting alone would let up to 100 a second through; shared counts, 50.
      const token = (await call(port, 'POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'lisi' } })).body.access_token as string;
      const total = 400;
      const answers: Answer[] = [];
      let next = 0;
      const startedAt = Date.now();
      await Promise.all(Array.from({ length: 40 }, async () => {
        while (next < total) {
          next++;
          answers.push(await call(port, 'POST', '/open-apis/calendar/v4/calendars/primary/events/search', { token, body: { query: 'x' } }));
        }
      }));
      const endedAt = Date.now();
      const windows = Math.floor(endedAt / 1000) - Math.floor(startedAt / 1000) + 1;
      const accepted = answers.filter((a) => a.status === 200 && a.body.code === 0).length;
      const refused = answers.filter((a) => a.status === 429 && a.body.code === 99991400).length;
      assert.equal(accepted + refused, total, `unexpected answers: ${JSON.stringify(answers.find((a) => a.body.code !== 0 && a.body.code !== 99991400)?.body)}`);
      assert.ok(accepted >= 50, `only ${accepted} accepted`);
      assert.ok(accepted <= 50 * windows, `${accepted} accepted in ${windows} one-second windows: more than 50 a window`);
      const servers = await servedBy(answers.slice(0, 20));
      assert.equal(new Set(servers).size, 2, `requests served by ${servers.join(', ')}`);
    });

    test('a worker that crashes is replaced', async () => {
      const [victim, survivor] = workerPids();
      process.kill(victim, 'SIGKILL');
      const deadline = Date.now() + 60_000;
      while (workerPids().length < 3) {
        assert.ok(Date.now() < deadline, `no replacement worker: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(lines().some((l) => l.msg === 'worker exited; restarting it' && l.worker === victim && l.signal === 'SIGKILL'));
      const replacement = workerPids().find((p) => p !== victim && p !== survivor)!;
      const answers: Answer[] = [];
      for (let i = 0; i < 6; i++) answers.push(await call(port, 'POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } }));
      for (const a of answers) assert.equal(a.body.code, 0);
      const by = await servedBy(answers);
      assert.ok(by.includes(replacement), `replacement ${replacement} served none of ${by.join(', ')}`);
      assert.ok(!by.includes(victim));
    });

    test('SIGTERM on the primary stops every worker and exits 0', async () => {
      const pids = workerPids().filter(alive);
      assert.equal(pids.length, 2);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exit, 0, output);
      for (const pid of pids) assert.ok(!alive(pid), `worker ${pid} still running`);
      assert.ok(lines().some((l) => l.role === 'primary' && l.msg === 'shutting down' && l.signal === 'SIGTERM'));
      assert.equal(lines().filter((l) => l.msg === 'shutting down' && l.role !== 'primary').length, 2);
    });
  });
});
