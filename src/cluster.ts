import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { hostname } from 'node:os';
import { localLimiter, serveRateLimits } from './api/rate-limit.js';
import { systemClock } from './context.js';
import { PrimarySandbox } from './sandbox/primary-sandbox.js';

/** pino's numeric levels, so the primary's lines read like the workers'. */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/** The primary's own log: JSON lines in pino's shape (the primary runs no Fastify, hence no pino). */
export function primaryLogger(level: string) {
  const threshold = LEVELS[level] ?? LEVELS.info;
  const host = hostname();
  const write = (n: number, fields: Record<string, unknown>, msg: string) => {
    if (n < threshold) return;
    process.stdout.write(`${JSON.stringify({ level: n, time: systemClock.now(), pid: process.pid, hostname: host, role: 'primary', ...fields, msg })}\n`);
  };
  return {
    info: (fields: Record<string, unknown>, msg: string) => write(30, fields, msg),
    warn: (fields: Record<string, unknown>, msg: string) => write(40, fields, msg),
    error: (fields: Record<string, unknown>, msg: string) => write(50, fields, msg),
  };
}

export interface PrimaryOptions {
  readonly workers: number;
  readonly logLevel: string;
  /** How long workers get to finish in-flight requests on shutdown before they are killed. */
  readonly shutdownGraceMs: number;
  /** Runs once before any worker starts (migrations, token secret, seed): workers never race on them. */
  prepare(): Promise<void>;
  /** Called once, when every worker of the first generation listens. */
  onListening?(address: string): void;
}

/** A worker that dies sooner than this after it started is restarted with a growing delay. */
const STABLE_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;
const CLEAN_EXIT_GRACE_MS = 1_000;

/**
 * The cluster primary: prepares the database once, forks `workers` processes sharing the listening
 * port (node:cluster hands them connections), restarts a worker that exits unexpectedly, and on
 * SIGTERM/SIGINT stops every worker and exits 0 when they all exited cleanly.
 *
 * A worker failing before the first generation listens (port taken, database unreachable) is a
 * startup failure: the primary stops the others and exits 1 rather than restarting forever.
 */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const log = primaryLogger(options.logLevel);
  let closing = false;
  let started = false;
  let restartDelay = 0;
  const live = new Set<Worker>();
  const startedAt = new Map<Worker, number>();
  const cleanExit = new Map<Worker, boolean>();
  /** The first reason a worker gave for failing to start (its `rili: …` line), printed once by the primary. */
  let startupFailure: string | undefined;
  // Set once the workers exist; earlySignal reads it before then, hence `let` with a start value.
  let signalled: ((signal: string) => void) | undefined = undefined;

  // Signals before the workers exist still stop the primary cleanly.
  const earlySignal = (signal: NodeJS.Signals) => {
    if (signalled) return signalled(signal);
    log.info({ signal }, 'shutting down before workers started');
    process.exit(0);
  };
  process.on('SIGINT', earlySignal);
  process.on('SIGTERM', earlySignal);

  await options.prepare();

  // The primary owns the rate-limit counters, so the platforms' limits hold across workers.
  const counters = localLimiter();
  // And the sandbox's clock and fault rules, and the relays of journal reads and stream events.
  const sandbox = new PrimarySandbox(systemClock);
  const fork = (): Worker => {
    const worker = cluster.fork();
    serveRateLimits(worker, counters);
    sandbox.attach(worker);
    worker.on('message', (m: { type?: unknown; message?: unknown }) => {
      if (m?.type === 'rili:startup-failed' && typeof m.message === 'string') startupFailure ??= m.message;
    });
    live.add(worker);
    startedAt.set(worker, performance.now());
    worker.on('exit', (code, signal) => onExit(worker, code, signal));
    return worker;
  };

  const stopAll = (exitCode: number) => {
    const timer = setTimeout(() => {
      for (const w of live) {
        log.warn({ worker: w.process.pid }, 'worker did not stop in time; killing it');
        w.process.kill('SIGKILL');
      }
    }, options.shutdownGraceMs);
    timer.unref();
    const finish = () => {
      clearTimeout(timer);
      const clean = [...cleanExit.values()].every(Boolean);
      process.exit(exitCode === 0 && clean ? 0 : 1);
    };
    if (live.size === 0) return finish();
    cluster.on('exit', () => { if (live.size === 0) finish(); });
    for (const w of live) w.process.kill('SIGTERM');
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    live.delete(worker);
    const lived = performance.now() - (startedAt.get(worker) ?? performance.now());
    startedAt.delete(worker);
    if (closing) {
      cleanExit.set(worker, code === 0);
      return;
    }
    if (!started) {
      log.error({ worker: worker.process.pid, code, signal }, 'worker failed to start; stopping');
      closing = true;
      // The worker's reason travels over IPC and may land just after its exit: give it a moment.
      setTimeout(() => {
        process.stderr.write(`rili: ${startupFailure ?? `a worker exited (code ${code}, signal ${signal}) before listening`}\n`);
        stopAll(1);
      }, 100);
      return;
    }
    restartDelay = lived >= STABLE_MS ? 0 : Math.min(MAX_RESTART_DELAY_MS, Math.max(200, restartDelay * 2));
    // A clean exit is most likely a Ctrl-C that reached the whole process group before the primary's
    // own handler ran: wait a moment before replacing the worker, so the shutdown can catch up.
    const delay = code === 0 ? Math.max(restartDelay, CLEAN_EXIT_GRACE_MS) : restartDelay;
    log.error({ worker: worker.process.pid, code, signal, restartInMs: delay }, 'worker exited; restarting it');
    setTimeout(() => { if (!closing) fork(); }, delay);
  };

  signalled = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal, workers: live.size }, 'shutting down');
    stopAll(0);
  };

  const firstGeneration = Array.from({ length: options.workers }, fork);
  const listening = firstGeneration.map((w) => new Promise<string>((resolve) => {
    w.once('listening', (a) => {
      const host = !a.address ? '127.0.0.1' : a.address.includes(':') ? `[${a.address}]` : a.address;
      resolve(`http://${host}:${a.port}`);
    });
  }));
  const addresses = await Promise.all(listening);
  if (closing) return;
  started = true;
  log.info({ address: addresses[0], workers: firstGeneration.map((w) => w.process.pid) }, 'cluster listening');
  options.onListening?.(addresses[0]);
}
