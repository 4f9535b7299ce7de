import type { EventChangedIntent } from './decide-pushes.js';

/**
 * Deliveries: one push of one event to one app, with its attempts. The body is the plaintext
 * envelope; each attempt encrypts and signs it afresh, so a retry carries the same event_id.
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  readonly id: string;
  readonly appId: string;
  readonly tenantKey: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The change record it came from. */
  readonly seq: number;
  /** The plaintext envelope, compact JSON. */
  readonly body: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** When the next attempt is due (ms); while one runs, the end of its lease. */
  readonly nextAt: number;
  readonly createdAt: number;
  readonly lastAttempt?: DeliveryAttempt;
  /** An event-change push held for the merge window: its key, the window's end, what it merged so far. */
  readonly merge?: { readonly key: string; readonly until: number; readonly intent: EventChangedIntent };
}

/** What one attempt sent and what came back. */
export interface DeliveryAttempt {
  readonly at: number;
  /** How it was sent: an HTTP POST to the request URL (absent in older records) or a long-connection frame. */
  readonly mode?: 'http' | 'websocket';
  readonly url: string;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: string;
  /** HTTP status; absent when no answer came (timeout, refused connection). */
  readonly status?: number;
  readonly responseBody?: string;
  readonly latencyMs: number;
  /** Why it failed, or a warning about a success. */
  readonly note?: string;
}

/** The platform's retry schedule: after 15 s, 5 min, 1 h and 6 h (four retries). */
export const FEISHU_RETRY_MS: readonly number[] = [15_000, 300_000, 3_600_000, 21_600_000];

/** How an attempt's answer counts: a 200 within the time limit delivers, anything else fails. */
export function judgeAnswer(status: number | undefined, body: string | undefined): { ok: boolean; note?: string } {
  if (status === undefined) return { ok: false };
  if (status !== 200) return { ok: false, note: `HTTP ${status}` };
  // The node SDK answers a signature it rejects with 200 and nothing (it logs and returns undefined).
  if (body === undefined || body === '') return { ok: true, note: 'receiver probably rejected the signature (HTTP 200 with an empty body)' };
  return { ok: true };
}

/** After a failed attempt (`attempts` made so far, this one included): when to try again, or undefined when retries are spent. */
export function nextRetryAt(attempts: number, failedAt: number, schedule: readonly number[]): number | undefined {
  const wait = schedule[attempts - 1];
  return wait === undefined ? undefined : failedAt + wait;
}

/** Parses `--push-retry`: comma-separated durations such as `15s,5m,1h,6h` or `500ms`. */
export function parseRetrySchedule(text: string): number[] {
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)(ms|s|m|h)\s*$/.exec(part);
    if (!m) throw new Error(`push retry: "${part}" is not a duration like 15s, 5m or 1h`);
    return Number(m[1]) * units[m[2]];
  });
}
