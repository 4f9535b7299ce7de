import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';

/** One limit: at most `max` requests per `windowSeconds`. */
export interface Limit {
  readonly max: number;
  readonly windowSeconds: number;
}

export interface Verdict {
  readonly allowed: boolean;
  readonly limit: number;
  /** Seconds until the window that refused the request resets. */
  readonly resetSeconds: number;
}

/** Counts requests in fixed windows. Keys name what is limited, e.g. `feishu:app:cli_x:search`. */
export interface RateLimiter {
  take(key: string, limits: readonly Limit[], nowMs: number): Promise<Verdict>;
}

/** Fixed-window counters in this process. */
export function localLimiter(): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let sweptAt = 0;
  return {
    async take(key, limits, nowMs) {
      // Old windows are dropped now and then, so the map stays as small as the set of active keys.
      if (nowMs - sweptAt > 60_000) {
        for (const [k, w] of windows) if (nowMs - w.start > 120_000) windows.delete(k);
        sweptAt = nowMs;
      }
      for (const limit of limits) {
        const size = limit.windowSeconds * 1000;
        const start = nowMs - (nowMs % size);
        const id = `${key}|${limit.windowSeconds}`;
        const w = windows.get(id);
        const count = w && w.start === start ? w.count : 0;
        if (count >= limit.max) {
          return { allowed: false, limit: limit.max, resetSeconds: Math.max(1, Math.ceil((start + size - nowMs) / 1000)) };
        }
      }
      for (const limit of limits) {
        const size = limit.windowSeconds * 1000;
        const start = nowMs - (nowMs % size);
        const id = `${key}|${limit.windowSeconds}`;
        const w = windows.get(id);
        windows.set(id, w && w.start === start ? { start, count: w.count + 1 } : { start, count: 1 });
      }
      const first = limits[0];
      return { allowed: true, limit: first?.max ?? 0, resetSeconds: first ? first.windowSeconds : 0 };
    },
  };
}

interface TakeMessage {
  readonly riliRateLimit: 'take';
  readonly id: string;
  readonly key: string;
  readonly limits: readonly Limit[];
  readonly nowMs: number;
}

/**
 * In a cluster the limits hold across workers: each worker asks the primary, which owns the counters.
 * The primary calls `serveRateLimits` once; workers use `clusterLimiter()`.
 */
export function serveRateLimits(worker: Worker, counters: RateLimiter): void {
  worker.on('message', (message: TakeMessage) => {
    if (message?.riliRateLimit !== 'take') return;
    void counters.take(message.key, message.limits, message.nowMs).then((verdict) => {
      if (worker.isConnected()) worker.send({ riliRateLimit: 'verdict', id: message.id, verdict });
    });
  });
}

export function clusterLimiter(): RateLimiter {
  const pending = new Map<string, (v: Verdict) => void>();
  process.on('message', (message: { riliRateLimit?: string; id?: string; verdict?: Verdict }) => {
    if (message?.riliRateLimit !== 'verdict' || !message.id) return;
    pending.get(message.id)?.(message.verdict!);
    pending.delete(message.id);
  });
  return {
    take(key, limits, nowMs) {
      return new Promise((resolve) => {
        const id = randomUUID();
        pending.set(id, resolve);
        process.send!({ riliRateLimit: 'take', id, key, limits, nowMs } satisfies TakeMessage);
      });
    },
  };
}

/** The limiter for this process: shared through the primary when running as a cluster worker. */
export const processLimiter = (): RateLimiter => (cluster.isWorker && process.send ? clusterLimiter() : localLimiter());

/** Scales published limits: `off` disables them, a number multiplies them (for load tests). */
export type RateLimitSetting = 'on' | 'off' | number;

export function parseRateLimitSetting(text: string): RateLimitSetting {
  if (text === 'on' || text === 'off') return text;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--rate-limit must be on, off or a positive multiplier, got ${text}`);
  return n;
}

export const scaled = (limits: readonly Limit[], setting: RateLimitSetting): readonly Limit[] =>
  setting === 'on' || setting === 'off' ? limits : limits.map((l) => ({ ...l, max: Math.max(1, Math.round(l.max * setting)) }));
