import { createHash } from 'node:crypto';
import type { ChangeRecord } from '../changes.js';
import type { DeliveryFilter, StoreWriter } from '../ports.js';
import type { PushConfig } from '../push/config.js';
import type { Delivery, DeliveryAttempt, DeliveryStatus } from '../push/deliveries.js';
import { decidePushes, subscriptionNeeds } from '../push/decide-pushes.js';
import { decideDingtalkPushes } from '../push/dingtalk-pushes.js';
import type { EventChangedIntent, PushIntent, RsvpInfo } from '../push/decide-pushes.js';
import { entitledSubscriptions } from '../push/subscriptions.js';
import { FEISHU_MERGE_MS, mergeEventChange, mergeKeyOf } from '../push/merge.js';
import type { CalendarAcl, User } from '../types.js';
import type { CoreDeps } from './calendar-service.js';

/** What rendering a push may need beyond the intent: the users it names and, for an ACL, the grant. */
export interface PushFacts {
  readonly users: ReadonlyMap<string, User>;
  readonly acl?: CalendarAcl;
  readonly config: PushConfig;
  /** The app's dialect, which picks the envelope. */
  readonly platform: 'feishu' | 'dingtalk';
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
  async recordPage(records: readonly ChangeRecord[], renderer: PushRenderer, options: { mergeMs?: number } = {}): Promise<number> {
    const mergeMs = options.mergeMs ?? FEISHU_MERGE_MS;
    if (records.length === 0) return 0;
    const last = records[records.length - 1].seq;
    // Most deployments have no receiver: a read settles that without taking the write lock per commit.
    const waiting = await this.deps.store.read(async (r) => (await r.push.targets()).some((t) => t.cursor < last));
    if (!waiting) return 0;
    const recorded = await this.deps.store.transact(async (w) => {
      const targets = (await w.push.targets()).filter((t) => t.cursor < last);
      if (targets.length === 0) return [];
      const needs = subscriptionNeeds(records);
      const subscribed = [
        ...await w.push.subscriptionsTo('events', needs.eventCalendars),
        ...await w.push.subscriptionsTo('acls', needs.aclCalendars),
        ...await w.push.listSubscriptionsOf(needs.listUsers),
      ];
      // Only subscribers who may still read the calendar now are pushed its changes (their roles read here, in this transaction).
      const onCalendars = subscribed.filter((s) => s.topic !== 'calendar_list');
      const calendars = new Map((await w.calendars.calendars([...new Set(onCalendars.map((s) => s.calendarId))])).map((c) => [c.calendarId, c]));
      const grants: CalendarAcl[] = [];
      for (const key of new Set(onCalendars.map((s) => `${s.calendarId}\u0000${s.userId}`))) {
        const [calendarId, userId] = key.split('\u0000');
        const acl = await w.calendars.acl(calendarId, userId);
        if (acl) grants.push(acl);
      }
      const subscriptions = entitledSubscriptions(subscribed, calendars, grants);
      const intents = [
        ...decidePushes(records, targets.filter((t) => t.platform !== 'dingtalk'), subscriptions),
        ...decideDingtalkPushes(records, targets.filter((t) => t.platform === 'dingtalk')),
      ];
      const now = this.deps.clock.now();
      const byApp = new Map(targets.map((t) => [t.appId, t]));
      const users = new Map<string, User>();
      const render = async (intent: PushIntent, eventId: string) => {
        const ids = [...intent.subscribers, ...(intent.type === 'acl_created' || intent.type === 'acl_deleted' ? [...intent.audience, ...(intent.grant ? [intent.grant.userId] : [])] : []),
          ...(intent.type === 'event_changed' ? (intent.rsvps ?? []).map((r) => r.userId) : []),
          ...(intent.type === 'event_changed' && intent.actorUserId !== undefined ? [intent.actorUserId] : [])];
        const missing = [...new Set(ids)].filter((id) => !users.has(id));
        if (missing.length > 0) for (const u of await w.directory.users(missing)) users.set(u.id, u);
        // A record written before grants were kept: the grant's row, while it lasts.
        const acl = intent.type === 'acl_created' && !intent.grant ? await w.calendars.aclById(intent.calendarId, intent.aclId) : undefined;
        return renderer(intent, eventId, {
          users, config: byApp.get(intent.appId)?.config ?? {}, platform: byApp.get(intent.appId)?.platform ?? 'feishu', ...(acl ? { acl } : {}),
        });
      };
      // Ids of the deliveries recorded (merged ones update a held delivery and are not new).
      const recordedHere: string[] = [];
      for (const decided of intents) {
        const intent = decided.type === 'event_changed' ? await this.withRsvps(w, decided) : decided;
        // The 3-second merge is Feishu's; DingTalk pushes each change.
        if (intent.type === 'event_changed' && mergeMs > 0 && byApp.get(intent.appId)?.platform !== 'dingtalk') {
          const key = mergeKeyOf(intent);
          const held = await w.push.heldForMerge(key, intent.at);
          if (held?.merge) {
            const outcome = mergeEventChange(held.merge.intent, intent);
            if (outcome.kind === 'cancelled' && await w.push.dropHeld(held.id, held.merge.until)) continue;
            if (outcome.kind === 'merged') {
              const { body } = await render(outcome.intent, held.eventId);
              if (await w.push.updateHeld(held.id, held.merge.until, body, outcome.intent)) continue;
            }
          }
          const eventId = eventIdOf(intent);
          const until = intent.at + mergeMs;
          const { eventType, body } = await render(intent, eventId);
          await w.push.addDeliveries([{
            id: eventId, appId: intent.appId, tenantKey: intent.tenantKey, eventId, eventType, seq: intent.seq, body,
            status: 'pending', attempts: 0, nextAt: until, createdAt: now, merge: { key, until, intent },
          }]);
          recordedHere.push(eventId);
          continue;
        }
        const eventId = eventIdOf(intent);
        const { eventType, body } = await render(intent, eventId);
        await w.push.addDeliveries([{
          id: eventId, appId: intent.appId, tenantKey: intent.tenantKey, eventId, eventType, seq: intent.seq, body,
          status: 'pending', attempts: 0, nextAt: now, createdAt: now,
        }]);
        recordedHere.push(eventId);
      }
      for (const t of targets) await w.push.setCursor(t.appId, last);
      return recordedHere;
    });
    if (recorded.length > 0) {
      this.delivered(recorded);
      this.queued();
    }
    return recorded.length;
  }

  /** Who answered what, for an `rsvp` change: the user attendees among the rows that answered, as they stand now. */
  private async withRsvps(w: StoreWriter, intent: EventChangedIntent): Promise<EventChangedIntent> {
    if (!intent.replied) return intent;
    const { replied, ...rest } = intent;
    const answered = new Set(replied.attendeeIds);
    const rsvps: RsvpInfo[] = [];
    for (const a of await w.events.attendees(replied.uid)) {
      if (!answered.has(a.attendeeId) || a.type !== 'user' || !a.userId) continue;
      if (a.rsvp === 'accept' || a.rsvp === 'decline' || a.rsvp === 'tentative') rsvps.push({ userId: a.userId, status: a.rsvp });
    }
    return { ...rest, ...(rsvps.length > 0 ? { rsvps } : {}) };
  }

  /**
   * An app opened a long connection: from the first one on it is a push target (its cursor starts at
   * the log's end unless it already had a request URL), and what waits for a retry is sent now.
   */
  async longConnectionOpened(appId: string): Promise<void> {
    const now = this.deps.clock.now();
    const hurried = await this.deps.store.transact(async (w) => {
      const before = await w.push.config(appId);
      if (await w.push.markLongConnection(appId, now) && before?.requestUrl === undefined) {
        await w.push.setCursor(appId, Math.max(await w.changes.latestSeq(), await w.changes.prunedThrough()));
      }
      return w.push.hurryPending(appId, now);
    });
    if (hurried > 0) this.queued();
  }

  /** Pending deliveries due now, at most `perApp` of each app, of apps not in `exceptApps`. */
  due(perApp: number, exceptApps: readonly string[] = []): Promise<Delivery[]> {
    const now = this.deps.clock.now();
    return this.deps.store.read((r) => r.push.dueDeliveries(now, perApp, exceptApps));
  }

  nextDueAt(exceptApps: readonly string[] = []): Promise<number | undefined> {
    return this.deps.store.read((r) => r.push.nextDueAt(exceptApps));
  }

  /**
   * Takes due deliveries for one attempt each of at most `leaseMs`, in one transaction (one turn on
   * the write lock the API's writes need, not one per delivery); answers those no other process took.
   */
  claimAll(deliveries: readonly Delivery[], leaseMs: number): Promise<Delivery[]> {
    if (deliveries.length === 0) return Promise.resolve([]);
    return this.deps.store.transact(async (w) => {
      const leaseUntil = this.deps.clock.now() + leaseMs;
      const claimed: Delivery[] = [];
      for (const d of deliveries) if (await w.push.claimDelivery(d.id, d.nextAt, leaseUntil)) claimed.push(d);
      return claimed;
    });
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
