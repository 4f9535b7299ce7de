import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { RateCounters, RateWindow } from '../core/ports.js';

/** One limit: at most `max` requests per `windowSeconds`. */
export interface Limit {
  readonly max: number;
  readonly windowSeconds: number;
}

/** One counter a request is held to: `key` names what is limited, e.g. `feishu|cli_x|GET /calendars`. */
export interface RateCheck {
  readonly key: string;
  readonly limits: readonly Limit[];
}

export interface Verdict {
  readonly allowed: boolean;
  /** The check that refused the request (its index), when one did. */
  readonly refusedBy?: number;
  readonly limit: number;
  /** Seconds until the window that refused the request resets. */
  readonly resetSeconds: number;
}

/**
 * Counts requests in fixed windows. A request is counted by each check in turn until one refuses it;
 * that check and the ones after it do not count it, nor does any window of the refusing check.
 */
export interface RateLimiter {
  take(checks: readonly RateCheck[], nowMs: number): Promise<Verdict>;
}

const windowStart = (nowMs: number, limit: Limit): number => nowMs - (nowMs % (limit.windowSeconds * 1000));

const refusal = (refusedBy: number, limit: Limit, nowMs: number): Verdict => ({
  allowed: false,
  refusedBy,
  limit: limit.max,
  resetSeconds: Math.max(1, Math.ceil((windowStart(nowMs, limit) + limit.windowSeconds * 1000 - nowMs) / 1000)),
});

const allowance = (checks: readonly RateCheck[]): Verdict => {
  const first = checks[0]?.limits[0];
  return { allowed: true, limit: first?.max ?? 0, resetSeconds: first ? first.windowSeconds : 0 };
};

/** Fixed-window counters in this process. */
export function localLimiter(): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let sweptAt = 0;
  /**
   * Counts the request in every window of one check, or in none and answers the full one. A request
   * stamped in an earlier window than the counter's (a worker's message overtaken by another's at a
   * second's turn) counts in the counter's later window, as the database's counters do: starting the
   * earlier window over would let a full window's worth more through.
   */
  const takeOne = (key: string, limits: readonly Limit[], nowMs: number): Limit | undefined => {
    for (const limit of limits) {
      const w = windows.get(`${key}|${limit.windowSeconds}`);
      const count = w && w.start >= windowStart(nowMs, limit) ? w.count : 0;
      if (count >= limit.max) return limit;
    }
    for (const limit of limits) {
      const start = windowStart(nowMs, limit);
      const id = `${key}|${limit.windowSeconds}`;
      const w = windows.get(id);
      windows.set(id, w && w.start >= start ? { start: w.start, count: w.count + 1 } : { start, count: 1 });
    }
    return undefined;
  };
  return {
    async take(checks, nowMs) {
      // Old windows are dropped now and then, so the map stays as small as the set of active keys.
      if (nowMs - sweptAt > 60_000) {
        for (const [k, w] of windows) if (nowMs - w.start > 120_000) windows.delete(k);
        sweptAt = nowMs;
      }
      for (const [i, check] of checks.entries()) {
        const full = takeOne(check.key, check.limits, nowMs);
        if (full) return refusal(i, full, nowMs);
      }
      return allowance(checks);
    },
  };
}

/** How often a process prunes ended windows from shared counters, and how long a window is kept after it ends. */
const PRUNE_EVERY_MS = 60_000;
const KEEP_ENDED_MS = 60_000;
/** At most one warning a minute while shared counters fail. */
const WARN_EVERY_MS = 60_000;

/**
 * Counters shared by every process on one database (`RateCounters`, PostgreSQL): the limits hold per
 * deployment, whatever the number of servers. One statement counts a request in every window of
 * every check; when a check refuses it, what the checks from that one on counted is taken back.
 *
 * When the database fails to count (an error, not a slow answer: that is bounded by the request
 * timeout), the request is held to `fallback`, this process's own counters, and `warn` is called at
 * most once a minute: limits loosen to per process while the database is away, never to none, and
 * the next request tries the database again.
 */
export function sharedLimiter(counters: RateCounters, fallback: RateLimiter, warn: (error: unknown, doing: string) => void): RateLimiter {
  let prunedAt = -Infinity;
  let warnedAt = -Infinity;
  const warnSometimes = (nowMs: number, error: unknown, doing: string) => {
    if (nowMs - warnedAt < WARN_EVERY_MS) return;
    warnedAt = nowMs;
    warn(error, doing);
  };
  const limiter: RateLimiter = {
    async take(checks, nowMs) {
      if (nowMs - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = nowMs;
        counters.prune(nowMs - KEEP_ENDED_MS).catch((error) => warnSometimes(nowMs, error, 'pruning'));
      }
      const windows: RateWindow[][] = checks.map((c) => c.limits.map((l) => ({ key: c.key, windowSeconds: l.windowSeconds, startMs: windowStart(nowMs, l), max: l.max })));
      const all = windows.flat();
      // One statement may touch a counter once; checks that share one (a tenant key equal to an app
      // id) are counted one check at a time.
      if (new Set(all.map((w) => `${w.windowSeconds} ${w.key}`)).size < all.length && checks.length > 1) {
        for (const [i, check] of checks.entries()) {
          const verdict = await limiter.take([check], nowMs);
          if (!verdict.allowed) return { ...verdict, refusedBy: i };
        }
        return allowance(checks);
      }
      let counted: boolean[];
      try {
        counted = await counters.count(all);
      } catch (error) {
        warnSometimes(nowMs, error, 'counting');
        return fallback.take(checks, nowMs);
      }
      let at = 0;
      for (const [i, check] of windows.entries()) {
        const full = check.findIndex((_, j) => !counted[at + j]);
        if (full >= 0) {
          const takeBack = all.slice(at).filter((_, j) => counted[at + j]);
          // Failing that, those windows keep one count too many until they end: stricter, never looser.
          if (takeBack.length) await counters.uncount(takeBack).catch((error) => warnSometimes(nowMs, error, 'taking back a count'));
          return refusal(i, checks[i].limits[full], nowMs);
        }
        at += check.length;
      }
      return allowance(checks);
    },
  };
  return limiter;
}

interface TakeMessage {
  readonly riliRateLimit: 'take';
  readonly id: string;
  readonly checks: readonly RateCheck[];
  readonly nowMs: number;
}

/**
 * In a cluster the limits hold across workers: each worker asks the primary, which owns the counters.
 * The primary calls `serveRateLimits` once; workers use `clusterLimiter()`.
 */
export function serveRateLimits(worker: Worker, counters: RateLimiter): void {
  worker.on('message', (message: TakeMessage) => {
    if (message?.riliRateLimit !== 'take') return;
    void counters.take(message.checks, message.nowMs).then((verdict) => {
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
    take(checks, nowMs) {
      return new Promise((resolve) => {
        const id = randomUUID();
        pending.set(id, resolve);
        process.send!({ riliRateLimit: 'take', id, checks, nowMs } satisfies TakeMessage);
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
