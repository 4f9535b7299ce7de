import type { Limit } from '../rate-limit.js';
import type { FeishuCode } from './errors.js';

/**
 * Feishu's published limits. Each calendar method allows an app 50 requests a second and 1000 a
 * minute ("1000 次/分钟、50 次/秒", the seeds' search page and the calendar v4 pages); past that the
 * gateway answers 99991400 with x-ogw-ratelimit-* headers. An app's calendar calls together, and one
 * method's calls across a tenant's apps, have wider budgets answered with 190005 and 190004.
 */
export const FEISHU_RATE_LIMITS: ReadonlyArray<{ readonly scope: 'app-method' | 'app' | 'tenant-method'; readonly code: FeishuCode; readonly limits: readonly Limit[] }> = [
  { scope: 'app-method', code: 99991400, limits: [{ max: 50, windowSeconds: 1 }, { max: 1000, windowSeconds: 60 }] },
  { scope: 'app', code: 190005, limits: [{ max: 200, windowSeconds: 1 }, { max: 5000, windowSeconds: 60 }] },
  { scope: 'tenant-method', code: 190004, limits: [{ max: 500, windowSeconds: 1 }, { max: 20000, windowSeconds: 60 }] },
];
