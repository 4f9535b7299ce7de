import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { send } from './http.js';

const BIN = new URL('../../../bin/rili.js', import.meta.url).pathname;

let helpText: string | undefined;

/** Whether `rili --help` lists a flag (other work adds flags such as --workers while this suite exists). */
export function cliHasFlag(flag: string): boolean {
  helpText ??= execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8', timeout: 60_000 });
  return new RegExp(`(^|\\s)${flag}(\\s|=|$)`, 'm').test(helpText);
}

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RiliChild {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** The last few KB of the process's stderr, for failure messages. */
  stderrTail(): string;
  /** SIGKILL to the whole process group (workers included); resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `rili serve` (bin/rili.js, exactly as a user runs it) as a child process in a process group
 * of its own, and waits until /rili/v1/health answers. Rate limits are turned off where the CLI has
 * the flag: the loads here are about data, not about the platforms' quotas.
 */
export async function startRiliChild(options: { db: string; port: number; seedPath?: string; secret: string; args?: string[]; startTimeoutMs?: number }): Promise<RiliChild> {
  const args = [BIN, 'serve', '--port', String(options.port), '--db', options.db, '--secret', options.secret, '--log-level', 'error'];
  if (options.seedPath) args.push('--seed', options.seedPath);
  if (cliHasFlag('--rate-limit')) args.push('--rate-limit', 'off');
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, RILI_RATE_LIMIT: 'off' },
  });
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  const handle: RiliChild = {
    url,
    port: options.port,
    child,
    stderrTail: () => tail,
    async kill() {
      killGroup('SIGKILL');
      await exited;
    },
    async stop(graceMs = 10_000) {
      if (gone) return;
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (gone) throw new Error(`rili exited during start (code ${child.exitCode}): ${tail}`);
    if (Date.now() > deadline) {
      await handle.kill();
      throw new Error(`rili did not answer /rili/v1/health in time: ${tail}`);
    }
    const up = await send(url, { method: 'GET', path: '/rili/v1/health', timeoutMs: 2000 }).then((a) => a.status === 200, () => false);
    if (up) return handle;
    await new Promise((r) => setTimeout(r, 50));
  }
}
