import type { Limit } from '../rate-limit.js';
import type { DingtalkCode } from './errors.js';

/**
 * DingTalk's default API limits: an app may call one API 20 times a second (past that,
 * 403 Forbidden.AccessDenied.QpsLimitForApi); all of an app's calls together 100 a second, past
 * which the gateway answers 429 system.busy.
 */
export const DINGTALK_RATE_LIMITS: ReadonlyArray<{ readonly scope: 'app-api' | 'app'; readonly code: DingtalkCode; readonly limits: readonly Limit[] }> = [
  { scope: 'app-api', code: 'Forbidden.AccessDenied.QpsLimitForApi', limits: [{ max: 20, windowSeconds: 1 }] },
  { scope: 'app', code: 'system.busy', limits: [{ max: 100, windowSeconds: 1 }] },
];
