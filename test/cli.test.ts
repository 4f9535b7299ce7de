import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HELP, parseServeOptions } from '../src/cli.js';
import { TEST_SEED } from './helpers/seed.js';

const BIN = new URL('../bin/rili.js', import.meta.url).pathname;

describe('rili CLI', () => {
  test('--help documents every flag and its environment variable', () => {
    const out = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    assert.equal(out.status, 0);
    assert.equal(out.stdout, HELP);
    for (const [flag, env] of [['--port', 'RILI_PORT'], ['--host', 'RILI_HOST'], ['--db', 'RILI_DB'], ['--seed', 'RILI_SEED'], ['--secret', 'RILI_SECRET'], ['--log-level', 'RILI_LOG_LEVEL'], ['--body-limit', 'RILI_BODY_LIMIT'], ['--request-timeout', 'RILI_REQUEST_TIMEOUT'], ['--rate-limit', 'RILI_RATE_LIMIT'], ['--workers', 'RILI_WORKERS']]) {
      assert.match(HELP, new RegExp(`${flag} .*${env}`), flag);
    }
  });

  test('flags win over environment variables, which win over defaults', () => {
    assert.deepEqual(parseServeOptions([], {}), {
      port: 8080, host: '127.0.0.1', db: './rili-data/rili.db', seed: undefined, secret: undefined, logLevel: 'info', bodyLimit: 4194304, requestTimeout: 30000, rateLimit: 'on',
    });
    const env = { RILI_PORT: '9000', RILI_DB: ':memory:', RILI_SECRET: 'e' };
    const o = parseServeOptions(['serve', '--port', '9001'], env);
    assert.ok(o !== 'help');
    assert.deepEqual([o.port, o.db, o.secret], [9001, ':memory:', 'e']);
    assert.throws(() => parseServeOptions(['--port', 'x'], {}), /port/);
    assert.throws(() => parseServeOptions(['launch'], {}), /unknown command/);
  });

  test('--request-timeout: flag over RILI_REQUEST_TIMEOUT, milliseconds from 1 to 2147483647', () => {
    const timeout = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const o = parseServeOptions(argv, env);
      assert.ok(o !== 'help');
      return o.requestTimeout;
    };
    assert.equal(timeout([]), 30000);
    assert.equal(timeout([], { RILI_REQUEST_TIMEOUT: '5000' }), 5000);
    assert.equal(timeout(['--request-timeout', '300'], { RILI_REQUEST_TIMEOUT: '5000' }), 300);
    assert.equal(timeout(['--request-timeout', '2147483647']), 2147483647);
    // 0 would be no limit; past 2^31 - 1 a timer fires at once.
    for (const bad of ['0', '-1', '1.5', 'x', '30s', '2147483648', '1e12']) {
      assert.throws(() => timeout([`--request-timeout=${bad}`]), /--request-timeout must be/, bad);
      assert.throws(() => timeout([], { RILI_REQUEST_TIMEOUT: bad }), /--request-timeout must be/, bad);
    }
    const out = spawnSync(process.execPath, [BIN, 'serve', '--request-timeout', '0'], { encoding: 'utf8' });
    assert.equal(out.status, 2);
    assert.match(out.stderr, /--request-timeout must be between 1 and 2147483647/);
  });

  test('serve: applies a seed, logs a request id per request, exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rili-cli-'));
    try {
      const seed = join(dir, 'seed.json');
      writeFileSync(seed, JSON.stringify(TEST_SEED));
      const port = 20000 + Math.floor(Math.random() * 20000);
      const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', join(dir, 'r.db'), '--seed', seed], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => { out += c; });
      child.stderr.on('data', (c) => { out += c; });
      const deadline = Date.now() + 20_000;
      let ok = false;
      while (Date.now() < deadline && !ok) {
        await new Promise((r) => setTimeout(r, 200));
        ok = await fetch(`http://127.0.0.1:${port}/open-apis/auth/v3/tenant_access_token/internal`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"app_id":"cli_acme","app_secret":"acme-secret"}',
        }).then(async (r) => ((await r.json()) as any).code === 0, () => false);
      }
      assert.ok(ok, `server did not come up: ${out}`);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
      const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      const completed = lines.find((l) => l.msg === 'request completed');
      assert.match(completed.reqId, /^\d{14}[0-9A-F]{20}$/);
      assert.ok(lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
