import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { HELP, parseServeOptions } from '../src/cli.js';
import { TEST_SEED } from './helpers/seed.js';

const BIN = new URL('../bin/rili.js', import.meta.url).pathname;

describe('rili CLI', () => {
  test('--help documents every flag and its environment variable', () => {
    const out = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    assert.equal(out.status, 0);
    assert.equal(out.stdout, HELP);
    for (const [flag, env] of [['--port', 'RILI_PORT'], ['--host', 'RILI_HOST'], ['--db', 'RILI_DB'], ['--seed', 'RILI_SEED'], ['--secret', 'RILI_SECRET'], ['--log-level', 'RILI_LOG_LEVEL'], ['--body-limit', 'RILI_BODY_LIMIT'], ['--request-timeout', 'RILI_REQUEST_TIMEOUT'], ['--rate-limit', 'RILI_RATE_LIMIT'], ['--workers', 'RILI_WORKERS'], ['--change-log-days', 'RILI_CHANGE_LOG_DAYS'], ['--change-log-max', 'RILI_CHANGE_LOG_MAX'], ['--push-retry', 'RILI_PUSH_RETRY'], ['--push-merge-ms', 'RILI_PUSH_MERGE_MS']]) {
      assert.match(HELP, new RegExp(`${flag} .*${env}`), flag);
    }
    // Feishu's merge window: 0 turns it off; the platform's 3 s is the server's default when absent.
    assert.equal((parseServeOptions(['--push-merge-ms', '0'], {}) as { pushMergeMs?: number }).pushMergeMs, 0);
    assert.equal((parseServeOptions([], { RILI_PUSH_MERGE_MS: '500' }) as { pushMergeMs?: number }).pushMergeMs, 500);
    assert.throws(() => parseServeOptions(['--push-merge-ms=-1'], {}), /push-merge-ms/);
  });

  test('flags win over environment variables, which win over defaults', () => {
    assert.deepEqual(parseServeOptions([], {}), {
      port: 8080, host: '127.0.0.1', db: './rili-data/rili.db', seed: undefined, secret: undefined, logLevel: 'info', bodyLimit: 4194304, requestTimeout: 30000, rateLimit: 'on',
      sandbox: { enabled: true, journal: { maxEntries: 1000, maxBytes: 8388608 } },
      changeLog: { days: 7, maxRecords: 1_000_000 },
    });
    const env = { RILI_PORT: '9000', RILI_DB: ':memory:', RILI_SECRET: 'e' };
    const o = parseServeOptions(['serve', '--port', '9001'], env);
    assert.ok(o !== 'help');
    assert.deepEqual([o.port, o.db, o.secret], [9001, ':memory:', 'e']);
    assert.throws(() => parseServeOptions(['--port', 'x'], {}), /port/);
    assert.throws(() => parseServeOptions(['launch'], {}), /unknown command/);
  });

  test('--change-log-days and --change-log-max: flag over variable over the default (7 days, 1000000 records), positive integers', () => {
    const kept = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const o = parseServeOptions(argv, env);
      assert.ok(o !== 'help');
      return o.changeLog;
    };
    assert.deepEqual(kept([]), { days: 7, maxRecords: 1_000_000 });
    assert.deepEqual(kept([], { RILI_CHANGE_LOG_DAYS: '30', RILI_CHANGE_LOG_MAX: '5000' }), { days: 30, maxRecords: 5000 });
    assert.deepEqual(kept(['--change-log-days', '2', '--change-log-max=10'], { RILI_CHANGE_LOG_DAYS: '30' }), { days: 2, maxRecords: 10 });
    for (const bad of ['0', '-1', '1.5', 'x']) {
      assert.throws(() => kept([`--change-log-days=${bad}`]), /--change-log-days must be/, bad);
      assert.throws(() => kept([], { RILI_CHANGE_LOG_MAX: bad }), /--change-log-max must be/, bad);
    }
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
    assert.equal(out.status, 1);
    assert.match(out.stderr, /--request-timeout must be between 1 and 2147483647/);
  });

  test('serve: applies a seed, logs a request id per request, exits cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rili-cli-'));
    try {
      const seed = join(dir, 'seed.json');
      writeFileSync(seed, JSON.stringify(TEST_SEED));
      // Port 0 and the address the server logs: a port picked at random here once collided with another
      // process's ephemeral port under CI (EADDRINUSE).
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', join(dir, 'r.db'), '--seed', seed], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => { out += c; });
      child.stderr.on('data', (c) => { out += c; });
      const deadline = Date.now() + 20_000;
      let ok = false;
      while (Date.now() < deadline && !ok) {
        await new Promise((r) => setTimeout(r, 200));
        const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
        if (port === undefined) continue;
        ok = await fetch(`http://127.0.0.1:${port}/open-apis/auth/v3/tenant_access_token/internal`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"app_id":"cli_acme","app_secret":"acme-secret"}',
        }).then(async (r) => (await r.json()).code === 0, () => false);
      }
      assert.ok(ok, `server did not come up: ${out}`);
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
      const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      const completed = lines.find((l) => l.msg === 'request completed');
      assert.match(completed.reqId, /^\d{14}[0-9A-F]{20}$/);
      assert.ok(lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'));
      const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1];
      assert.match(out, new RegExp(`^rili console: http://127\\.0\\.0\\.1:${port}/rili/ `, 'm'), 'the console URL is printed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('start-up errors: one line on stderr, `rili: <message>`, exit 1, no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rili-cli-errors-'));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const duplicateApp = file('duplicate-app.json', JSON.stringify({
      tenants: [
        { tenant_key: 't1', apps: [{ platform: 'feishu', app_id: 'cli_x', app_secret: 's1' }] },
        { tenant_key: 't2', apps: [{ platform: 'feishu', app_id: 'cli_x', app_secret: 's2' }] },
      ],
    }));
    const notJson = file('not-json.json', '{"tenants": [');
    const badShape = file('bad-shape.json', '{"tenants": [{"name": "no key"}]}');
    // A file where the database's directory would have to be.
    file('not-a-dir.json', '{}');

    /** Runs `rili serve` in the scratch directory (so no default database lands in the repository). */
    const serveFails = (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const out = spawnSync(process.execPath, [BIN, 'serve', '--log-level', 'silent', ...args], {
        encoding: 'utf8', cwd: dir, timeout: 60_000, env: { ...process.env, RILI_PORT: '0', ...env },
      });
      const lines = out.stderr.split('\n').filter((l) => l !== '');
      assert.equal(out.status, 1, `exit ${out.status} ${out.signal ?? ''}: ${out.stderr}`);
      assert.equal(lines.length, 1, out.stderr);
      assert.match(lines[0], /^rili: \S/);
      assert.doesNotMatch(out.stderr, /\n\s+at /);
      return lines[0];
    };
    const onBusyPort = async (run: (port: number) => string): Promise<string> => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      try {
        return run((blocker.address() as AddressInfo).port);
      } finally {
        blocker.close();
      }
    };

    test('bad flags and commands', () => {
      assert.match(serveFails(['--port', 'x']), /^rili: --port must be a non-negative integer, got x$/);
      assert.match(serveFails(['--rate-limit', 'sometimes']), /^rili: .*rate-limit/);
      assert.match(serveFails(['--no-such-flag']), /^rili: .*--no-such-flag/);
      assert.match(spawnSync(process.execPath, [BIN, 'launch'], { encoding: 'utf8', cwd: dir }).stderr, /^rili: unknown command launch; see rili --help\n$/);
    });

    test('a bad seed: missing, not JSON, the wrong shape, inconsistent', () => {
      assert.match(serveFails(['--db', ':memory:', '--seed', join(dir, 'missing.json')]), /^rili: .*missing\.json/);
      assert.match(serveFails(['--db', ':memory:', '--seed', notJson]), /^rili: seed .*not-json\.json: not valid JSON/);
      assert.match(serveFails(['--db', ':memory:', '--seed', badShape]), /^rili: seed: \/tenants\/0 must have required property 'tenant_key'$/);
      assert.equal(serveFails(['--db', ':memory:', '--seed', duplicateApp]),
        'rili: seed: app "cli_x" is in tenant "t1" (tenants[0].apps[0]) and in tenant "t2" (tenants[1].apps[0])');
      assert.match(serveFails(['--db', join(dir, 'w.db'), '--workers', '2', '--seed', duplicateApp]), /^rili: seed: app "cli_x"/);
    });

    test('a bad or unreachable database', () => {
      assert.match(serveFails(['--db', 'mysql://localhost/rili']), /^rili: --db .*mysql:\/\/localhost\/rili/);
      assert.match(serveFails(['--db', 'postgres://postgres@127.0.0.1:1/test']), /^rili: database postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
      assert.match(serveFails(['--db', 'postgres://u:hunter2@127.0.0.1:1/test']), /^rili: database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/test: /);
      assert.doesNotMatch(serveFails(['--db', 'postgres://u:hunter2@127.0.0.1:1/test']), /hunter2/);
      assert.match(serveFails(['--db', 'postgres://127.0.0.1:5432/test?schema=Bad-Name']), /^rili: .*schema/);
      assert.match(serveFails(['--db', join(dir, 'not-a-dir.json', 'rili.db')], {}), /^rili: database .*not-a-dir\.json/);
    });

    test('a port in use, with one process and with --workers', async () => {
      assert.match(await onBusyPort((port) => serveFails(['--db', ':memory:', '--port', String(port)])), /^rili: .*EADDRINUSE/);
      assert.match(await onBusyPort((port) => serveFails(['--db', join(dir, 'w2.db'), '--workers', '2', '--port', String(port)])), /^rili: .*EADDRINUSE/);
    });

    after(() => rmSync(dir, { recursive: true, force: true }));

    test('--workers with :memory:', () => {
      assert.match(serveFails(['--db', ':memory:', '--workers', '2']), /^rili: --workers above 1 needs a database/);
    });
  });
});
