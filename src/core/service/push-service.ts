import { createHash } from 'node:crypto';
import type { ChangeRecord } from '../changes.js';
import type { DeliveryFilter, StoreWriter } from '../ports.js';
import type { PushConfig } from '../push/config.js';
import type { Delivery, DeliveryAttempt, DeliveryStatus } from '../push/deliveries.js';
import { decidePushes, subscriptionNeeds } from '../push/decide-pushes.js';
import type { PushIntent } from '../push/decide-pushes.js';
import type { CalendarAcl, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';

/** What rendering a push may need beyond the intent: the users it names and, for an ACL, the grant. */
export interface PushFacts {
  readonly users: ReadonlyMap<string, User>;
  readonly acl?: CalendarAcl;
  readonly config: PushConfig;
}

/** The dialect's envelope for an intent: its event type and the plaintext body (compact JSON). */
export type PushRenderer = (intent: PushIntent, eventId: string, facts: PushFacts) => { eventType: string; body: string };

/** The same change to the same app always has the same event id: a retry or a second process re-records nothing new. */
const eventIdOf = (intent: PushIntent): string =>
  createHash('sha256').update(`${intent.appId}\u0000${intent.seq}\u0000${intent.type}`).digest('hex').slice(0, 32);

/** Saves an app's receiver (seed and run time); an app that gains a request URL is pushed what changes from now on. */
export async function savePushConfig(w: StoreWriter, appId: string, config: PushConfig, now: number): Promise<void> {
  const before = await w.push.config(appId);
  await w.push.putConfig(appId, config, now);
  if (config.requestUrl !== undefined && before?.requestUrl === undefined) {
    await w.push.setCursor(appId, Math.max(await w.changes.latestSeq(), await w.changes.prunedThrough()));
  }
}

/** Push configuration, recording deliveries from the change log, and their attempts. */
export class PushService {
  private readonly queuedListeners = new Set<() => void>();
  private readonly deliveryListeners = new Set<(id: string) => void>();

  constructor(private readonly deps: CoreDeps) {}

  /** Calls `listener` after deliveries were queued in this process (recorded or sent again); returns an unsubscribe. */
  onQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  private queued(): void {
    for (const listener of this.queuedListeners) listener();
  }

  /**
   * Calls `listener` with a delivery's id after this process recorded it, an attempt at it or a
   * redelivery (the sandbox's live stream); returns an unsubscribe. A throwing listener is dropped.
   */
  onDelivery(listener: (id: string) => void): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  private delivered(ids: readonly string[]): void {
    for (const listener of this.deliveryListeners) {
      try {
        for (const id of ids) listener(id);
      } catch {
        this.deliveryListeners.delete(listener);
      }
    }
  }

  config(appId: string): Promise<PushConfig | undefined> {
    return this.deps.store.read((r) => r.push.config(appId));
  }

  /**
   * Sets an app's receiver. An app that gains a request URL starts hearing of changes from now on;
   * one that keeps its URL keeps its place in the log (nothing pending is lost).
   */
  setConfig(appId: string, config: PushConfig): Promise<void> {
    return this.deps.store.transact((w) => this.putConfig(w, appId, config));
  }

  private putConfig(w: StoreWriter, appId: string, config: PushConfig): Promise<void> {
    return savePushConfig(w, appId, config, this.deps.clock.now());
  }

  /** Where following the log must start for every app with a receiver: the least cursor (undefined: no such app). */
  startPosition(): Promise<number | undefined> {
    return this.deps.store.read(async (r) => {
      const targets = await r.push.targets();
      // Records pruned before an app read them are lost to it; it goes on from the oldest kept.
      return targets.length === 0 ? undefined : Math.max(Math.min(...targets.map((t) => t.cursor)), await r.changes.prunedThrough());
    });
  }

  /**
   * Records the deliveries a page of records makes and moves every app's cursor past the page, in one
   * transaction: a crash before the commit leaves the page to be read again, after it loses nothing.
   * Returns how many deliveries it recorded.
   */
  async recordPage(records: readonly ChangeRecord[], render: PushRenderer): Promise<number> {
    if (records.length === 0) return 0;
    const last = records[records.length - 1].seq;
    // Most deployments have no receiver: a read settles that without taking the write lock per commit.
    const waiting = await this.deps.store.read(async (r) => (await r.push.targets()).some((t) => t.cursor < last));
    if (!waiting) return 0;
    const recorded = await this.deps.store.transact(async (w) => {
      const targets = (await w.push.targets()).filter((t) => t.cursor < last);
      if (targets.length === 0) return [];
      const needs = subscriptionNeeds(records);
      const subscriptions = [
        ...await w.push.subscriptionsTo('events', needs.eventCalendars),
        ...await w.push.subscriptionsTo('acls', needs.aclCalendars),
        ...await w.push.listSubscriptionsOf(needs.listUsers),
      ];
      const intents = decidePushes(records, targets, subscriptions);
      const now = this.deps.clock.now();
      const deliveries: Delivery[] = [];
      if (intents.length > 0) {
        const userIds = new Set(intents.flatMap((i) => [...i.subscribers, ...(i.type === 'acl_created' || i.type === 'acl_deleted' ? i.audience : [])]));
        const users = new Map((await w.directory.users([...userIds])).map((u) => [u.id, u]));
        const configs = new Map(targets.map((t) => [t.appId, t.config]));
        for (const intent of intents) {
          const acl = intent.type === 'acl_created' ? await w.calendars.aclById(intent.calendarId, intent.aclId) : undefined;
          const eventId = eventIdOf(intent);
          const { eventType, body } = render(intent, eventId, { users, config: configs.get(intent.appId) ?? {}, ...(acl ? { acl } : {}) });
          deliveries.push({
            id: eventId, appId: intent.appId, tenantKey: intent.tenantKey, eventId, eventType, seq: intent.seq, body,
            status: 'pending', attempts: 0, nextAt: now, createdAt: now,
          });
        }
        await w.push.addDeliveries(deliveries);
      }
      for (const t of targets) await w.push.setCursor(t.appId, last);
      return deliveries.map((d) => d.id);
    });
    if (recorded.length > 0) {
      this.delivered(recorded);
      this.queued();
    }
    return recorded.length;
  }

  /** Pending deliveries due now. */
  due(limit: number): Promise<Delivery[]> {
    const now = this.deps.clock.now();
    return this.deps.store.read((r) => r.push.dueDeliveries(now, limit));
  }

  nextDueAt(): Promise<number | undefined> {
    return this.deps.store.read((r) => r.push.nextDueAt());
  }

  /** Takes a due delivery for one attempt of at most `leaseMs`; false when another process took it. */
  claim(delivery: Delivery, leaseMs: number): Promise<boolean> {
    return this.deps.store.transact((w) => w.push.claimDelivery(delivery.id, delivery.nextAt, this.deps.clock.now() + leaseMs));
  }

  async recordAttempt(id: string, outcome: { status: DeliveryStatus; attempts: number; nextAt: number; lastAttempt: DeliveryAttempt }): Promise<void> {
    await this.deps.store.transact((w) => w.push.recordAttempt(id, outcome));
    this.delivered([id]);
  }

  list(filter: DeliveryFilter): Promise<Delivery[]> {
    return this.deps.store.read((r) => r.push.deliveries(filter));
  }

  get(id: string): Promise<Delivery | undefined> {
    return this.deps.store.read((r) => r.push.delivery(id));
  }

  /** Sends a delivery again (same event_id) with its retries renewed; false when there is no such delivery. */
  async redeliver(id: string): Promise<boolean> {
    const queued = await this.deps.store.transact((w) => w.push.requeue(id, this.deps.clock.now()));
    if (queued) {
      this.delivered([id]);
      this.queued();
    }
    return queued;
  }
}
