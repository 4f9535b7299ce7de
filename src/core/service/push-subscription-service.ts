import type { PushSubscription, PushTopic } from '../push/subscriptions.js';
import type { Actor } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';

type UserActor = Extract<Actor, { kind: 'user' }>;

/**
 * Turning pushes on and off for a user through an app. A subscription is the app's state, not a
 * calendar's: it changes no one's view, so it appends no change record.
 */
export class PushSubscriptionService {
  constructor(private readonly deps: CoreDeps, private readonly calendars: CalendarService) {}

  /**
   * Subscribes the caller's app to a topic: `calendar_list` for the user's own list (no calendar),
   * `events` or `acls` for a calendar the user may read (reader, writer or owner).
   */
  subscribe(actor: UserActor, topic: PushTopic, calendarId?: string): Promise<PushSubscription> {
    return this.deps.store.transact(async (w) => {
      const id = topic === 'calendar_list' ? '' : (await this.calendars.view(w, actor, calendarId ?? '', 'reader')).calendar.calendarId;
      const subscription: PushSubscription = {
        appId: actor.appId, tenantKey: actor.tenantKey, userId: actor.userId, topic, calendarId: id, createdAt: this.deps.clock.now(),
      };
      await w.push.putSubscription(subscription);
      return subscription;
    });
  }

  /** Turns a subscription off; unsubscribing from what was never subscribed succeeds, as on the platform. */
  unsubscribe(actor: UserActor, topic: PushTopic, calendarId?: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      // No role needed: a user whose access was taken away may still turn the pushes off.
      const id = topic === 'calendar_list' ? '' : await this.calendars.resolveId(w, actor, calendarId ?? '');
      await w.push.removeSubscription({ appId: actor.appId, userId: actor.userId, topic, calendarId: id });
    });
  }
}
