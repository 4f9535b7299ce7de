import type { Kysely, Selectable } from 'kysely';
import type { PushWriter } from '../core/ports.js';
import type { PushSubscription, PushTopic } from '../core/push/subscriptions.js';
import type { Database } from './schema/index.js';
import type { PushSubscriptionTable } from './schema/push.js';

const toSubscription = (r: Selectable<PushSubscriptionTable>): PushSubscription => ({
  appId: r.app_id, userId: r.user_id, topic: r.topic as PushTopic, calendarId: r.calendar_id,
  tenantKey: r.tenant_key, createdAt: Number(r.created_at),
});

/** The push port over Kysely; `db` is a transaction when writing. */
export function pushStore(db: Kysely<Database>): PushWriter {
  return {
    async subscriptionsTo(topic, calendarIds) {
      if (calendarIds.length === 0) return [];
      const rows = await db.selectFrom('push_subscriptions').selectAll()
        .where('topic', '=', topic).where('calendar_id', 'in', [...calendarIds])
        .orderBy('app_id').orderBy('user_id').execute();
      return rows.map(toSubscription);
    },
    async listSubscriptionsOf(userIds) {
      if (userIds.length === 0) return [];
      const rows = await db.selectFrom('push_subscriptions').selectAll()
        .where('topic', '=', 'calendar_list').where('user_id', 'in', [...userIds])
        .orderBy('app_id').orderBy('user_id').execute();
      return rows.map(toSubscription);
    },
    async putSubscription(s) {
      await db.insertInto('push_subscriptions').values({
        app_id: s.appId, user_id: s.userId, topic: s.topic, calendar_id: s.calendarId, tenant_key: s.tenantKey, created_at: s.createdAt,
      }).onConflict((oc) => oc.columns(['app_id', 'user_id', 'topic', 'calendar_id']).doNothing()).execute();
    },
    async removeSubscription(k) {
      const result = await db.deleteFrom('push_subscriptions')
        .where('app_id', '=', k.appId).where('user_id', '=', k.userId).where('topic', '=', k.topic).where('calendar_id', '=', k.calendarId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
