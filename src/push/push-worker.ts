/**
 * The push worker: follows the change log, records the deliveries each page makes (PushService), and
 * sends them off the request path. Each app has at most `perAppConcurrency` attempts in flight, each
 * bounded by `timeoutMs`, so a slow or dead receiver delays only its own app's pushes. Memory holds
 * one page of records and the attempts in flight; everything else waits in the database.
 */
import { performance } from 'node:perf_hooks';
import { signedRequest } from '../api/feishu/push/signing.js';
import type { Clock } from '../core/ports.js';
import { FEISHU_RETRY_MS, judgeAnswer, nextRetryAt } from '../core/push/deliveries.js';
import type { Delivery, DeliveryAttempt } from '../core/push/deliveries.js';
import type { ChangeFeed, Following } from '../core/service/change-feed.js';
import type { PushService } from '../core/service/push-service.js';
import { isDingtalkDelivery, renderPush, sendDingtalk } from './dingtalk-delivery.js';
import type { LongConnections } from '../api/feishu/ws/long-connections.js';

export interface PushWorkerOptions {
  /** Waits before each retry (ms): the platform's 15 s, 5 min, 1 h, 6 h unless `--push-retry` shortens them. */
  readonly retryMs?: readonly number[];
  /** An attempt without an answer in this long fails (3 000 ms, the platform's limit). */
  readonly timeoutMs?: number;
  readonly perAppConcurrency?: number;
  /** Feishu's merge window for changes to one event (3 000 ms; `--push-merge-ms`, 0 turns merging off). */
  readonly mergeMs?: number;
}

export interface PushLog {
  warn(details: object, message: string): void;
}

const RESPONSE_KEPT = 2_000;
const MAX_SLEEP_MS = 30_000;

/**
 * After recording a page of the change log, the worker waits this long before reading the next:
 * commits made meanwhile come as one page, recorded in one transaction, instead of one transaction
 * per commit on the write lock the API's writes need. Wake-ups for newly queued deliveries are
 * gathered the same way. Far below Feishu's 3 s merge window and any receiver's patience.
 */
const GATHER_MS = 10;

/** How often a worker with no receiver to serve looks for one. */
const IDLE_CHECK_MS = 1_000;

/**
 * How often an event for an app whose long connection is down (or held by another process) looks for
 * one: every 5 s for its first minute, then every minute (a connection opening sends it at once).
 */
const LONG_CONNECTION_WAIT_MS = 5_000;
const LONG_CONNECTION_SLOW_WAIT_MS = 60_000;

export class PushWorker {
  private readonly retryMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly perApp: number;
  private readonly mergeMs: number | undefined;
  private following: Following | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;
  private readonly inFlight = new Map<string, number>();
  private readonly sending = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private restart: Promise<void> | undefined;
  /** While no app has a receiver: the next look for one. */
  private idleTimer: NodeJS.Timeout | undefined;
  /** Ends the 1 s wait before following again, so `stop` need not wait it out (its timer is unref'd). */
  private endRestartWait: (() => void) | undefined;
  private gatherTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      readonly push: PushService; readonly feed: ChangeFeed; readonly clock: Clock; readonly log: PushLog;
      /** Feishu apps' long connections in this process: an app with one gets its events there. */
      readonly connections?: LongConnections;
    },
    options: PushWorkerOptions = {},
  ) {
    this.retryMs = options.retryMs ?? FEISHU_RETRY_MS;
    this.timeoutMs = options.timeoutMs ?? 3_000;
    this.perApp = options.perAppConcurrency ?? 2;
    this.mergeMs = options.mergeMs;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.deps.push.onQueued(() => this.wakeSoon());
    await this.follow();
    this.wake();
  }

  /** Looks for due deliveries now. */
  wake(): void {
    if (this.stopped) return;
    void this.pump();
  }

  /** Looks for due deliveries within GATHER_MS: wake-ups in between are one look. */
  private wakeSoon(): void {
    if (this.stopped || this.gatherTimer) return;
    this.gatherTimer = setTimeout(() => {
      this.gatherTimer = undefined;
      this.wake();
    }, GATHER_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.idleTimer);
    clearTimeout(this.gatherTimer);
    if (this.timer) clearTimeout(this.timer);
    await this.following?.stop();
    this.endRestartWait?.();
    await this.restart;
    await Promise.allSettled([...this.sending]);
  }

  /** Follows from the least cursor of the apps with a receiver (or from now); after a failure, again from there. */
  private async follow(): Promise<void> {
    if (this.stopped) return;
    const from = await this.deps.push.startPosition();
    if (from === undefined) {
      // No app has a receiver: following would read the log after every commit for nobody. A receiver
      // set later starts its cursor at the log's end (savePushConfig), so starting then loses nothing.
      this.idleTimer = setTimeout(() => void this.follow().catch((e: unknown) => this.deps.log.warn({ err: e }, 'push: could not follow the change log')), IDLE_CHECK_MS).unref();
      return;
    }
    const following = this.deps.feed.follow(from, async (page) => {
      await this.deps.push.recordPage(page, renderPush, this.mergeMs === undefined ? {} : { mergeMs: this.mergeMs });
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, GATHER_MS).unref());
    });
    this.following = following;
    following.done.catch((error: unknown) => {
      if (this.stopped) return;
      this.deps.log.warn({ err: error }, 'push: following the change log failed; starting again in 1 s');
      this.restart = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000).unref();
        this.endRestartWait = () => {
          clearTimeout(timer);
          resolve();
        };
      }).then(async () => {
        if (!this.stopped) await this.follow().catch((e: unknown) => this.deps.log.warn({ err: e }, 'push: could not follow the change log'));
      });
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        // Apps at their bound are left out of the read: a receiver that hangs leaves its due
        // deliveries waiting in the database, not re-read on every wake-up.
        const taken = new Map<string, number>();
        const chosen: Delivery[] = [];
        for (const delivery of await this.deps.push.due(this.perApp, this.busyApps())) {
          const n = (this.inFlight.get(delivery.appId) ?? 0) + (taken.get(delivery.appId) ?? 0);
          if (n >= this.perApp) continue;
          taken.set(delivery.appId, (taken.get(delivery.appId) ?? 0) + 1);
          chosen.push(delivery);
        }
        if (this.stopped) return;
        // The lease outlasts the attempt: a process that dies mid-attempt leaves it to be sent again.
        for (const delivery of await this.deps.push.claimAll(chosen, this.timeoutMs + 10_000)) {
          if (this.stopped) return;
          this.inFlight.set(delivery.appId, (this.inFlight.get(delivery.appId) ?? 0) + 1);
          const sent = this.attempt(delivery).catch((error: unknown) => this.deps.log.warn({ err: error, delivery: delivery.id }, 'push: recording an attempt failed'))
            .finally(() => {
              this.inFlight.set(delivery.appId, (this.inFlight.get(delivery.appId) ?? 1) - 1);
              this.sending.delete(sent);
              this.wake();
            });
          this.sending.add(sent);
        }
      } while (this.pumpAgain && !this.stopped);
      await this.sleepUntilDue();
    } catch (error) {
      this.deps.log.warn({ err: error }, 'push: reading due deliveries failed; trying again in 1 s');
      this.schedule(1_000);
    } finally {
      this.pumping = false;
    }
  }

  /** Apps with `perAppConcurrency` attempts in flight. */
  private busyApps(): string[] {
    return [...this.inFlight].filter(([, n]) => n >= this.perApp).map(([appId]) => appId);
  }

  private async sleepUntilDue(): Promise<void> {
    // Deliveries held back by the per-app bound are taken when an attempt ends (wake), so they do not
    // count here: counting them had a hung receiver's backlog re-read every 50 ms.
    const next = await this.deps.push.nextDueAt(this.busyApps());
    const wait = next === undefined ? MAX_SLEEP_MS : next - this.deps.clock.now();
    this.schedule(Math.min(MAX_SLEEP_MS, Math.max(wait, 50)));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const config = await this.deps.push.config(delivery.appId);
    const at = this.deps.clock.now();
    const attempts = delivery.attempts + 1;
    const url = config?.requestUrl;
    let outcome: DeliveryAttempt;
    if ((this.deps.connections?.count(delivery.appId) ?? 0) > 0) {
      const started = performance.now();
      const sent = await this.deps.connections!.deliver(delivery.appId, delivery.body, this.timeoutMs);
      if (sent) {
        const o = sent.outcome;
        outcome = {
          at, mode: 'websocket', url: `long connection ${sent.connId}`, requestHeaders: { type: 'event', message_id: sent.messageId }, requestBody: delivery.body,
          latencyMs: Math.round(performance.now() - started),
          ...(o.status !== undefined ? { status: o.status } : {}), ...(o.responseBody !== undefined ? { responseBody: o.responseBody } : {}),
          ...(o.ok ? {} : { note: o.note }),
        };
        if (o.ok) {
          await this.deps.push.recordAttempt(delivery.id, { status: 'delivered', attempts, nextAt: at, lastAttempt: outcome });
          return;
        }
        const retryAt = nextRetryAt(attempts, this.deps.clock.now(), this.retryMs);
        await this.deps.push.recordAttempt(delivery.id, retryAt === undefined
          ? { status: 'failed', attempts, nextAt: at, lastAttempt: outcome }
          // A connection that dropped may be back already (the SDK reconnects): then try it now.
          : { status: 'pending', attempts, nextAt: (!o.ok && o.dropped && this.deps.connections!.count(delivery.appId) > 0 ? this.deps.clock.now() : retryAt), lastAttempt: outcome });
        return;
      }
    }
    if (!url && config?.longConnection) {
      // The app receives over its long connection, which is down (or held by another process): the
      // event waits for one, without spending its retries, for as long as the retries would last.
      const now = this.deps.clock.now();
      const lastChance = delivery.createdAt + this.retryMs.reduce((a, b) => a + b, 0);
      const waiting: DeliveryAttempt = { at, mode: 'websocket', url: '', requestHeaders: {}, requestBody: '', latencyMs: 0, note: 'waiting for the app\'s long connection' };
      await this.deps.push.recordAttempt(delivery.id, now > lastChance
        ? { status: 'failed', attempts, nextAt: at, lastAttempt: { ...waiting, note: 'no long connection opened within the retry window' } }
        : { status: 'pending', attempts: delivery.attempts, lastAttempt: waiting,
          nextAt: now + (now - delivery.createdAt < 60_000 ? LONG_CONNECTION_WAIT_MS : LONG_CONNECTION_SLOW_WAIT_MS) });
      return;
    }
    if (!url) {
      outcome = { at, url: '', requestHeaders: {}, requestBody: '', latencyMs: 0, note: 'the app has no request URL' };
    } else if (isDingtalkDelivery(delivery)) {
      const sent = await sendDingtalk(delivery, url, config, at, this.timeoutMs);
      outcome = sent.outcome;
      if (sent.ok) {
        await this.deps.push.recordAttempt(delivery.id, { status: 'delivered', attempts, nextAt: at, lastAttempt: outcome });
        return;
      }
    } else {
      const request = signedRequest(delivery.body, config.encryptKey, at);
      const started = performance.now();
      let status: number | undefined;
      let responseBody: string | undefined;
      let note: string | undefined;
      try {
        const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
        status = res.status;
        responseBody = (await res.text()).slice(0, RESPONSE_KEPT);
      } catch (error) {
        const e = error as Error;
        note = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `could not reach the receiver: ${(e.cause as Error | undefined)?.message ?? e.message}`;
      }
      const latencyMs = Math.round(performance.now() - started);
      const judged = status === undefined ? { ok: false } : judgeAnswer(status, responseBody);
      outcome = {
        at, mode: 'http', url, requestHeaders: request.headers, requestBody: request.body, latencyMs,
        ...(status !== undefined ? { status } : {}), ...(responseBody !== undefined ? { responseBody } : {}),
        ...(note ?? judged.note ? { note: note ?? judged.note } : {}),
      };
      if (judged.ok) {
        await this.deps.push.recordAttempt(delivery.id, { status: 'delivered', attempts, nextAt: at, lastAttempt: outcome });
        return;
      }
    }
    const retryAt = nextRetryAt(attempts, this.deps.clock.now(), this.retryMs);
    await this.deps.push.recordAttempt(delivery.id, retryAt === undefined
      ? { status: 'failed', attempts, nextAt: at, lastAttempt: outcome }
      : { status: 'pending', attempts, nextAt: retryAt, lastAttempt: outcome });
  }
}
