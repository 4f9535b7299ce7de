import { spawn } from 'node:child_process';

/** What one load run measured (autocannon, its own process). */
export interface Load {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers outside 2xx. */
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx answers whose body did not start as expected (a Feishu refusal can be HTTP 200). */
  readonly mismatches: number;
  readonly statusCodes: Record<string, number>;
  readonly bytesPerRequest: number;
  /** Requests of the warm-up (not in the figures above) and how many of them failed. */
  readonly warmupRequests: number;
  readonly warmupFailures: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds?: number;
  /** Replace `[<id>]` in the body with a fresh id per request. */
  readonly idReplacement?: boolean;
  /** Paths on the url's origin; each request takes one at random (the url's own path is then unused). */
  readonly paths?: readonly string[];
  /** Every answer's body must start with this (counted in `mismatches` otherwise). */
  readonly expectPrefix?: string;
  /** Requests per second across all connections (autocannon's overallRate); unset: as fast as answers come. */
  readonly rate?: number;
}

const CANNON = new URL('./cannon.mjs', import.meta.url).pathname;

/** Drives a URL with autocannon from a separate process and reads its summary. */
export function load(options: LoadOptions): Promise<Load> {
  const args = [CANNON, JSON.stringify({ method: 'GET', warmupSeconds: 0, ...options })];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      try {
        resolve(JSON.parse(out) as Load);
      } catch (error) {
        reject(new Error(`unreadable autocannon summary: ${out.slice(0, 200)} (${(error as Error).message})`));
      }
    });
  });
}

/** Why a load's figures cannot be trusted (empty when every request succeeded). */
export function loadProblems(l: Load): string[] {
  const out: string[] = [];
  if (l.requests === 0) out.push('no request completed');
  if (l.non2xx > 0) out.push(`${l.non2xx} non-2xx answers ${JSON.stringify(l.statusCodes)}`);
  if (l.errors > 0) out.push(`${l.errors} connection errors`);
  if (l.timeouts > 0) out.push(`${l.timeouts} timeouts`);
  if (l.mismatches > 0) out.push(`${l.mismatches} answers with an unexpected body`);
  if (l.warmupFailures > 0) out.push(`${l.warmupFailures} failed requests during the warm-up`);
  return out;
}
