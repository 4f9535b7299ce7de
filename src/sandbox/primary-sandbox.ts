import type { Worker } from 'node:cluster';
import type { Clock } from '../core/ports.js';
import { SandboxChannel } from './cluster-channel.js';
import type { JournalQuery, Welcome } from './cluster-sandbox.js';
import type { StreamEvent } from './event-hub.js';
import { FaultInjector } from './faults.js';
import type { FaultRuleInput } from './faults.js';
import type { JournalFilter } from './journal.js';
import type { JournalPage } from './shared.js';
import { VirtualClock, applyClockChange } from './virtual-clock.js';
import type { ClockChange } from './virtual-clock.js';

/**
 * The sandbox's shared state in the cluster primary: the virtual clock and the fault rules (with their
 * counters and seeded draws), the workers that have stream subscribers, and the relays between
 * workers. A change is broadcast to every worker and the primary waits for each to hold it before it
 * answers the worker that asked, so the admin API's answer means "in force everywhere".
 */
export class PrimarySandbox {
  private readonly epochMs = performance.timeOrigin + performance.now();
  private readonly clock: VirtualClock;
  private readonly faults = new FaultInjector();
  /** Workers that said hello: they are listening for broadcasts. */
  private readonly ready = new Map<Worker, SandboxChannel>();
  /** Workers with stream subscribers. */
  private readonly listening = new Set<Worker>();
  /** What each worker was last told about forwarding its events. */
  private readonly forwarding = new Map<Worker, boolean>();

  constructor(base: Clock) {
    this.clock = new VirtualClock(base);
  }

  attach(worker: Worker): void {
    const channel = new SandboxChannel(
      (message) => { if (worker.isConnected()) worker.send(message, undefined, {}, () => {}); },
      (receive) => worker.on('message', receive),
    );
    worker.on('exit', () => {
      this.ready.delete(worker);
      this.listening.delete(worker);
      this.forwarding.delete(worker);
      channel.close();
      void this.refreshForwarding();
    });
    channel.on('hello', (): Welcome => {
      this.ready.set(worker, channel);
      const forward = this.forwards(worker);
      this.forwarding.set(worker, forward);
      return { epochMs: this.epochMs, clock: this.clock.setting(), faultsActive: this.faults.active, forward };
    });
    channel.on('clock', async (change: ClockChange) => {
      applyClockChange(this.clock, change);
      await this.broadcast('clock', this.clock.setting());
      return true;
    });
    channel.on('fault-hit', (q: { dialect: 'feishu' | 'dingtalk'; method: string; path: string }) => this.faults.hit(q.dialect, q.method, q.path) ?? null);
    channel.on('faults-replace', async (inputs: FaultRuleInput[]) => {
      // Checked by the worker that took them (it knows the error tables) and seeded: taken as they are.
      this.faults.replace(inputs, () => true, () => 0);
      await this.broadcast('faults-active', this.faults.active);
      return this.faults.list();
    });
    channel.on('faults-list', () => this.faults.list());
    channel.on('faults-clear', async () => {
      const cleared = this.faults.list().length;
      this.faults.clear();
      await this.broadcast('faults-active', false);
      return cleared;
    });
    channel.on('requests', (q: { filter: JournalFilter; limit?: number; whole: boolean }) => this.gather(q.filter, q.limit, q.whole));
    channel.on('requests-clear', async () => {
      const counts = await this.broadcast<number>('journal-clear');
      return counts.reduce((sum: number, n) => sum + (n ?? 0), 0);
    });
    channel.on('listening', async (on: boolean) => {
      if (on) this.listening.add(worker);
      else this.listening.delete(worker);
      await this.refreshForwarding();
      return true;
    });
    // Relayed to every other worker with subscribers; never back to the one that published it.
    channel.on('event', (event: StreamEvent) => {
      for (const w of this.listening) if (w !== worker) this.ready.get(w)?.tell('event', event);
    });
  }

  /**
   * Every worker's journal, merged in seq (time) order, at most `limit` of the newest. Unless `whole`,
   * up to the latest seq any worker has reached when asked: every entry recorded before the request
   * is in, and each worker numbers its later entries above that cut, so `after` misses none of them
   * (the workers' clocks need not agree to the microsecond for this).
   */
  private async gather(filter: JournalFilter, limit: number | undefined, whole: boolean): Promise<JournalPage> {
    const until = whole ? undefined : Math.max(0, ...(await this.broadcast<number>('journal-seq')).map((n) => n ?? 0));
    const query: JournalQuery = { filter, ...(limit === undefined ? {} : { limit }), ...(until === undefined ? {} : { until }) };
    const pages = (await this.broadcast<JournalPage>('journal-list', query)).filter((p): p is JournalPage => p !== undefined);
    let requests = pages.flatMap((p) => p.requests).sort((a, b) => a.seq - b.seq);
    if (limit !== undefined && requests.length > limit) requests = requests.slice(requests.length - limit);
    return { requests, kept: pages.reduce((n, p) => n + p.kept, 0), keptBytes: pages.reduce((n, p) => n + p.keptBytes, 0) };
  }

  /** A worker forwards what its hub publishes while another worker has subscribers. */
  private forwards(worker: Worker): boolean {
    for (const w of this.listening) if (w !== worker) return true;
    return false;
  }

  /** Tells each worker whose forwarding changed, and waits until they all hold it. */
  private async refreshForwarding(): Promise<void> {
    const told: Promise<unknown>[] = [];
    for (const [worker, channel] of this.ready) {
      const forward = this.forwards(worker);
      if (this.forwarding.get(worker) === forward) continue;
      this.forwarding.set(worker, forward);
      told.push(channel.call('forward', forward));
    }
    await Promise.all(told);
  }

  /** Sends to every worker that is listening and waits for each answer (undefined from one that exited). */
  private broadcast<T>(kind: string, body?: unknown): Promise<(T | undefined)[]> {
    return Promise.all([...this.ready.values()].map((c) => c.call<T | undefined>(kind, body)));
  }
}
