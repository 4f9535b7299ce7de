import { spawn } from 'node:child_process';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly bytesPerRequest: number;
}

/** The fields of autocannon's `-j` summary read here. */
interface AutocannonSummary {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  throughput: { total: number };
  non2xx: number;
  errors: number;
}

const AUTOCANNON = new URL('../../node_modules/autocannon/autocannon.js', import.meta.url).pathname;

/**
 * Drives a URL with autocannon from a separate process (so the load generator does not share the
 * server's event loop) and reads its JSON summary.
 */
export function drive(options: { url: string; method?: string; headers?: Record<string, string>; body?: string; connections: number; seconds: number }): Promise<LoadResult> {
  const args = [AUTOCANNON, '-j', '-c', String(options.connections), '-d', String(options.seconds), '-m', options.method ?? 'GET'];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (options.body !== undefined) args.push('-b', options.body);
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out) as AutocannonSummary;
      resolve({
        requestsPerSecond: r.requests.average,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        bytesPerRequest: r.requests.total ? r.throughput.total / r.requests.total : 0,
      });
    });
  });
}

/** Latency of sequential requests (one at a time), for per-request cost without queueing. */
export async function sequential(n: number, fn: () => Promise<void>): Promise<{ p50Ms: number; p99Ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: times[Math.floor(n * 0.5)], p99Ms: times[Math.min(n - 1, Math.floor(n * 0.99))] };
}

export function machine() {
  return import('node:os').then((os) => ({
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  }));
}
