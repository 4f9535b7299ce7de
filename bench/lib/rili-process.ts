import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/rili.js', import.meta.url).pathname;

export interface RiliProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `rili serve` as a separate process on an SQLite file (or the given db URL) with a seed. */
export async function startRili(options: { db?: string; seed: unknown; port: number; extraArgs?: string[] }): Promise<RiliProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'rili-bench-'));
  const seedPath = join(dir, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(options.seed));
  const db = options.db ?? join(dir, 'rili.db');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(options.port), '--db', db, '--seed', seedPath, '--log-level', 'warn', '--secret', 'bench', '--rate-limit', 'off', ...(options.extraArgs ?? [])], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('rili did not start');
    const up = await fetch(`${url}/rili/v1/health`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A user token through the sandbox API. */
export async function userToken(url: string, app: string, user: string): Promise<string> {
  const res = await fetch(`${url}/rili/v1/user-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app, user, expire_in: 86400 }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

export const BENCH_SEED = {
  tenants: [{
    tenant_key: 'bench',
    users: [{ user_id: 'u1', open_id: 'ou_u1', union_id: 'on_u1', name: 'Bench One' }, { user_id: 'u2', open_id: 'ou_u2', union_id: 'on_u2', name: 'Bench Two' }],
    apps: [{ platform: 'feishu', app_id: 'cli_bench', app_secret: 'bench' }, { platform: 'dingtalk', app_key: 'dingbench', app_secret: 'bench' }],
  }],
};
