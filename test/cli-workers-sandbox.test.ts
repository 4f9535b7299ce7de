import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TEST_SEED } from './helpers/seed.js';
import { readEventsUntil } from './api/sandbox/sandbox-server.js';

const BIN = new URL('../bin/rili.js', import.meta.url).pathname;

interface Answer { status: number; logId: string; body: any }

/** One request on a connection of its own (no keep-alive), so the cluster may hand it to any worker. */
function call(port: number, method: string, path: string, options: { body?: unknown } = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false,
      headers: { connection: 'close', ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
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

const TENANT_TOKEN = '/open-apis/auth/v3/tenant_access_token/internal';
const tenantToken = (port: number) => call(port, 'POST', TENANT_TOKEN, { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } });

/**
 * With --workers the sandbox is one sandbox: each test steers it through requests that land on both
 * workers (connections without keep-alive are handed out round-robin; each worker's log line for a
 * request carries its pid) and checks that what one worker was told holds on the other.
 */
describe('the sandbox across two workers', () => {
  let dir: string;
  let child: ChildProcess;
  let port: number;
  let output = '';
  const lines = () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const pidOf = (logId: string): number | undefined => lines().find((l) => l.reqId === logId && l.pid !== undefined)?.pid;
  const workerPids = (): number[] => [...new Set(lines().filter((l) => l.msg?.startsWith('Server listening')).map((l) => l.pid as number))];
  /** The pid of the worker that served each answer (workers log asynchronously: waits for the lines). */
  const servedBy = async (answers: { logId: string }[]): Promise<number[]> => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const pids = answers.map((a) => pidOf(a.logId));
      if (pids.every((p) => p !== undefined) || Date.now() > deadline) return pids.map((p) => p ?? -1);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rili-workers-sandbox-'));
    const seed = join(dir, 'seed.json');
    writeFileSync(seed, JSON.stringify(TEST_SEED));
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(dir, 'r.db'), '--seed', seed, '--rate-limit', 'off'], {
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

  test('a clock set or advanced on either worker holds on both as soon as it is answered', async () => {
    const start = 1_900_000_000_000;
    const set = await call(port, 'PUT', '/rili/v1/clock', { body: { now_ms: start } });
    assert.deepEqual(set.body, { now_ms: start, frozen: true });
    const changes: Answer[] = [set];
    const reads: Answer[] = [];
    let expected = start;
    for (let i = 0; i < 6; i++) {
      // Alternate: a change, then a read that may well land on the other worker.
      const moved = await call(port, 'PUT', '/rili/v1/clock', { body: { advance_ms: 1000 } });
      expected += 1000;
      assert.deepEqual(moved.body, { now_ms: expected, frozen: true });
      changes.push(moved);
      for (let j = 0; j < 2; j++) {
        const read = await call(port, 'GET', '/rili/v1/clock');
        assert.deepEqual(read.body, { now_ms: expected, frozen: true }, `read after advance ${i + 1}`);
        reads.push(read);
      }
    }
    // The journal stamps platform requests with the cluster's clock on whichever worker serves them.
    const stamps = await Promise.all([0, 1, 2, 3].map(() => tenantToken(port)));
    const journal = await call(port, 'GET', `/rili/v1/requests?path=${TENANT_TOKEN}&since=${expected}`);
    for (const a of stamps) assert.equal(journal.body.requests.find((e: any) => e.id === a.logId)?.at_ms, expected);
    const changedBy = await servedBy(changes);
    const readBy = await servedBy(reads);
    assert.equal(new Set(changedBy).size, 2, `changes served by ${changedBy.join(', ')}`);
    assert.equal(new Set(readBy).size, 2, `reads served by ${readBy.join(', ')}`);
    // Back to real time for the other tests.
    const real = await call(port, 'PUT', '/rili/v1/clock', { body: { real: true } });
    assert.equal(real.body.frozen, false);
    for (let i = 0; i < 4; i++) assert.equal((await call(port, 'GET', '/rili/v1/clock')).body.frozen, false);
  });

  test('a fault rule with times: 3 fires exactly 3 times across the workers, and both see it set and cleared', async () => {
    const put = await call(port, 'PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'feishu', method: 'post', path: TENANT_TOKEN, error: 190004, times: 3 }] } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) answers.push(await tenantToken(port));
    const faulted = answers.filter((a) => a.body.code === 190004);
    assert.equal(faulted.length, 3, answers.map((a) => a.body.code).join(','));
    assert.equal(answers.filter((a) => a.body.code === 0).length, 7);
    // The first three matching requests, wherever they landed.
    assert.deepEqual(answers.map((a) => a.body.code === 190004), [true, true, true, false, false, false, false, false, false, false]);
    const by = await servedBy(answers);
    assert.equal(new Set(by.slice(0, 3)).size, 2, `the faulted requests were served by ${by.slice(0, 3).join(', ')}`);
    for (let i = 0; i < 2; i++) {
      const listed = await call(port, 'GET', '/rili/v1/faults');
      assert.equal(listed.body.rules[0].fired, 3);
      assert.equal(listed.body.rules[0].matched, 3);
    }
    const cleared = await call(port, 'DELETE', '/rili/v1/faults');
    assert.equal(cleared.body.cleared, 1);
    for (let i = 0; i < 4; i++) assert.deepEqual((await call(port, 'GET', '/rili/v1/faults')).body.rules, []);
  });

  test('seeded draws are the cluster\'s: the same seed hits the same requests as in one process', async () => {
    await call(port, 'PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'feishu', path: TENANT_TOKEN, probability: 0.5, seed: 7, error: 190004 }] } });
    const hits: boolean[] = [];
    for (let i = 0; i < 12; i++) hits.push((await tenantToken(port)).body.code === 190004);
    await call(port, 'DELETE', '/rili/v1/faults');
    // mulberry32 seeded with 7: the draws below 0.5, in order (what a single process answers too).
    const { seededRandom } = await import('../src/sandbox/faults.js');
    const draw = seededRandom(7);
    assert.deepEqual(hits, Array.from({ length: 12 }, () => draw() < 0.5));
  });

  test('the journal on either worker lists the requests both served, in order; after= and DELETE hold across them', async () => {
    const cleared = await call(port, 'DELETE', '/rili/v1/requests');
    assert.equal(cleared.status, 200);
    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) answers.push(await tenantToken(port));
    const by = await servedBy(answers);
    assert.equal(new Set(by).size, 2, `served by ${by.join(', ')}`);
    const listings: Answer[] = [];
    for (let i = 0; i < 4; i++) {
      const listed = await call(port, 'GET', `/rili/v1/requests?path=${TENANT_TOKEN}`);
      listings.push(listed);
      assert.deepEqual(listed.body.requests.map((e: any) => e.id), answers.map((a) => a.logId), 'every request, in the order served');
      const seqs = listed.body.requests.map((e: any) => e.seq as number);
      assert.deepEqual([...seqs].sort((a, b) => a - b), seqs);
      const rest = await call(port, 'GET', `/rili/v1/requests?path=${TENANT_TOKEN}&after=${seqs[2]}`);
      assert.deepEqual(rest.body.requests.map((e: any) => e.id), answers.slice(3).map((a) => a.logId));
      const newest = await call(port, 'GET', `/rili/v1/requests?path=${TENANT_TOKEN}&limit=2`);
      assert.deepEqual(newest.body.requests.map((e: any) => e.id), answers.slice(6).map((a) => a.logId));
    }
    assert.equal(new Set(await servedBy(listings)).size, 2, 'the journal was read on one worker only');
    await call(port, 'DELETE', '/rili/v1/requests');
    for (let i = 0; i < 4; i++) assert.deepEqual((await call(port, 'GET', `/rili/v1/requests?path=${TENANT_TOKEN}`)).body.requests, []);
  });

  test('a stream subscriber on one worker sees the requests the other worker serves', async () => {
    const stream = await fetch(`http://127.0.0.1:${port}/rili/v1/stream?types=request&path=${TENANT_TOKEN}`);
    assert.equal(stream.status, 200);
    const [streamPid] = await servedBy([{ logId: stream.headers.get('x-request-id')! }]);
    const answers: Answer[] = [];
    let other: Answer | undefined;
    for (let i = 0; i < 12 && !other; i++) {
      const a = await tenantToken(port);
      answers.push(a);
      if ((await servedBy([a]))[0] !== streamPid) other = a;
    }
    assert.ok(other, `every request was served by the stream's worker ${streamPid}`);
    const seen = await readEventsUntil(stream, (e) => e.data.id === other.logId);
    // Every request is on the stream, in the order they were answered (one at a time here).
    assert.deepEqual(seen.map((e) => e.data.id), answers.map((a) => a.logId));
  });
});
