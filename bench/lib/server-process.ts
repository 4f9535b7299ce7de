import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { commandLine, cpuSeconds, descendants, memoryMiB } from './processes.js';

const BIN = new URL('../../bin/rili.js', import.meta.url).pathname;

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** The processes that serve requests: the workers under a cluster primary, else the one process. */
  servingPids(): number[];
  /** Peak resident set so far, MiB: the largest serving process, and all of them together. */
  peakRss(): { maxMiB: number; sumMiB: number };
  /** SIGTERM, then waits for the exit (and for --cpu-prof to be written). Resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** A cluster primary's workers: its descendants running rili (tsx's esbuild helpers are not). */
const workerPids = (primary: number, bin: string): number[] => descendants(primary).filter((p) => commandLine(p).includes(bin));

async function settled(pids: number[], deadline: number): Promise<void> {
  let before = pids.map((p) => cpuSeconds(p) ?? 0);
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = pids.map((p) => cpuSeconds(p) ?? 0);
    if (now.every((t, i) => t - before[i] < 0.03) || Date.now() > deadline) return;
    before = now;
  }
}

/**
 * Starts `rili serve` as a separate process: `workers` > 1 runs it as a cluster; `nodeArgs` go to
 * node itself (e.g. --cpu-prof), and cluster workers inherit them.
 */
export async function startServer(options: {
  db: string; seedPath: string; port: number; workers?: number; nodeArgs?: string[]; logLevel?: string; startTimeoutMs?: number;
  /** `--rate-limit`: off unless asked (a multiplier such as 1000 runs the limiter without refusing). */
  rateLimit?: string;
  /** Another checkout's bin/rili.js (bench --against); default this checkout's. */
  bin?: string;
}): Promise<ServerProcess> {
  const workers = options.workers ?? 1;
  const bin = options.bin ?? BIN;
  const args = [
    ...(options.nodeArgs ?? []), bin, 'serve', '--port', String(options.port), '--db', options.db, '--seed', options.seedPath,
    '--log-level', options.logLevel ?? 'warn', '--secret', 'bench', '--workers', String(workers), '--rate-limit', options.rateLimit ?? 'off',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`rili exited ${child.exitCode} while starting`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('rili did not start');
    }
    const up = await fetch(`${url}/rili/v1/health`).then((r) => r.ok, () => false);
    // A cluster is up when every worker listens; the first answer may come before the last worker.
    if (up && (workers === 1 || workerPids(child.pid!, bin).length >= workers)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // The first answer may come before the last worker listens, and the cluster hands connections only
  // to workers that listen: wait until every worker has gone idle (start-up is all CPU, idling none).
  if (workers > 1) await settled(workerPids(child.pid!, bin), deadline);
  const servingPids = () => (workers === 1 ? [child.pid!] : workerPids(child.pid!, bin));
  const peaks = new Map<number, number>();
  const peakRss = () => {
    for (const pid of servingPids()) {
      const m = memoryMiB(pid);
      if (m) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, m.peak));
    }
    const values = [...peaks.values()];
    return { maxMiB: Math.max(0, ...values), sumMiB: values.reduce((a, b) => a + b, 0) };
  };
  return {
    url,
    child,
    servingPids,
    peakRss,
    async stop() {
      peakRss();
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
