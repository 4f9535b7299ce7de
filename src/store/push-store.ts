import type { Kysely, Selectable } from 'kysely';
import type { PushWriter } from '../core/ports.js';
import type { PushConfig } from '../core/push/config.js';
import type { Delivery, DeliveryAttempt, DeliveryStatus } from '../core/push/deliveries.js';
import type { PushSubscription, PushTopic } from '../core/push/subscriptions.js';
import type { EventChangedIntent } from '../core/push/decide-pushes.js';
import type { Database } from './schema/index.js';
import type { PushConfigTable, PushDeliveryTable, PushSubscriptionTable } from './schema/push.js';

const toConfig = (r: Pick<Selectable<PushConfigTable>, 'request_url' | 'encrypt_key' | 'verification_token' | 'long_connection_at'>): PushConfig => ({
  ...(r.request_url !== null ? { requestUrl: r.request_url } : {}),
  ...(r.long_connection_at !== null ? { longConnection: true } : {}),
  ...(r.encrypt_key !== null ? { encryptKey: r.encrypt_key } : {}),
  ...(r.verification_token !== null ? { verificationToken: r.verification_token } : {}),
});

const toDelivery = (r: Selectable<PushDeliveryTable>): Delivery => ({
  id: r.id, appId: r.app_id, tenantKey: r.tenant_key, eventId: r.event_id, eventType: r.event_type, seq: Number(r.seq),
  body: r.body, status: r.status as DeliveryStatus, attempts: r.attempts, nextAt: Number(r.next_at), createdAt: Number(r.created_at),
  ...(r.last_attempt !== null ? { lastAttempt: JSON.parse(r.last_attempt) as DeliveryAttempt } : {}),
  ...(r.merge_key !== null && r.merge_until !== null && r.merge_state !== null
    ? { merge: { key: r.merge_key, until: Number(r.merge_until), intent: JSON.parse(r.merge_state) as EventChangedIntent } } : {}),
});

const toSubscription = (r: Selectable<PushSubscriptionTable>): PushSubscription => ({
  appId: r.app_id, userId: r.user_id, topic: r.topic as PushTopic, calendarId: r.calendar_id,
  tenantKey: r.tenant_key, createdAt: Number(r.created_at),
});

/** Apps that have had a receiver (every delivery is for one of them), but those in `except`. */
async function appsWithReceivers(db: Kysely<Database>, except: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom('push_configs').select('app_id').orderBy('app_id').execute();
  return rows.map((r) => r.app_id).filter((appId) => !except.includes(appId));
}

/** At most this many apps' reads in one statement: SQLite's limit on a compound SELECT is 500 members. */
const APPS_PER_STATEMENT = 200;
const chunked = (apps: readonly string[]): string[][] => {
  const out: string[][] = [];
  for (let i = 0; i < apps.length; i += APPS_PER_STATEMENT) out.push(apps.slice(i, i + APPS_PER_STATEMENT));
  return out;
};

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
    async config(appId) {
      const r = await db.selectFrom('push_configs').selectAll().where('app_id', '=', appId).executeTakeFirst();
      return r && toConfig(r);
    },
    async targets() {
      const rows = await db.selectFrom('push_configs')
        .innerJoin('apps', 'apps.app_id', 'push_configs.app_id')
        .innerJoin('push_cursors', 'push_cursors.app_id', 'push_configs.app_id')
        .select(['push_configs.app_id', 'apps.tenant_key', 'apps.platform', 'push_cursors.seq', 'push_configs.request_url', 'push_configs.encrypt_key', 'push_configs.verification_token', 'push_configs.long_connection_at'])
        .where((eb) => eb.or([eb('push_configs.request_url', 'is not', null), eb('push_configs.long_connection_at', 'is not', null)]))
        .orderBy('push_configs.app_id').execute();
      return rows.map((r) => ({ appId: r.app_id, tenantKey: r.tenant_key, cursor: Number(r.seq), config: toConfig(r), platform: r.platform === 'dingtalk' ? 'dingtalk' as const : 'feishu' as const }));
    },
    async delivery(id) {
      const r = await db.selectFrom('push_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toDelivery(r);
    },
    async deliveries(f) {
      let q = db.selectFrom('push_deliveries').selectAll();
      if (f.appId !== undefined) q = q.where('app_id', '=', f.appId);
      if (f.eventType !== undefined) q = q.where('event_type', '=', f.eventType);
      if (f.status !== undefined) q = q.where('status', '=', f.status);
      if (f.beforeId !== undefined) {
        const at = await db.selectFrom('push_deliveries').select('created_at').where('id', '=', f.beforeId).executeTakeFirst();
        if (at) q = q.where((eb) => eb.or([eb('created_at', '<', at.created_at), eb.and([eb('created_at', '=', at.created_at), eb('id', '<', f.beforeId!)])]));
      }
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
      return rows.map(toDelivery);
    },
    // App by app on (app_id, status, next_at) (migration 031): one app's backlog is never scanned for
    // another's. Each app's read is one member of a UNION ALL, so the worker's look is one round trip
    // however many apps have receivers (SQLite caps a compound at 500 members, hence the chunks).
    async dueDeliveries(now, perApp, exceptApps = []) {
      const rows: Selectable<PushDeliveryTable>[] = [];
      for (const apps of chunked(await appsWithReceivers(db, exceptApps))) {
        const [first, ...rest] = apps.map((appId) => db.selectFrom((d) => d.selectFrom('push_deliveries').selectAll()
          .where('app_id', '=', appId).where('status', '=', 'pending').where('next_at', '<=', now)
          .orderBy('next_at').orderBy('id').limit(perApp).as('d')).selectAll());
        rows.push(...await (rest.length > 0 ? first.unionAll(rest) : first).execute());
      }
      return rows.map(toDelivery).sort((a, b) => a.nextAt - b.nextAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async nextDueAt(exceptApps = []) {
      let next: number | undefined;
      for (const apps of chunked(await appsWithReceivers(db, exceptApps))) {
        const [first, ...rest] = apps.map((appId) => db.selectFrom('push_deliveries').select((eb) => eb.fn.min('next_at').as('next'))
          .where('app_id', '=', appId).where('status', '=', 'pending'));
        const r = await db.selectFrom((rest.length > 0 ? first.unionAll(rest) : first).as('m'))
          .select((eb) => eb.fn.min('m.next').as('next')).executeTakeFirst();
        if (r?.next !== null && r?.next !== undefined) next = Math.min(next ?? Number.POSITIVE_INFINITY, Number(r.next));
      }
      return next;
    },
    async putConfig(appId, c, at) {
      const values = { request_url: c.requestUrl ?? null, encrypt_key: c.encryptKey ?? null, verification_token: c.verificationToken ?? null, updated_at: at };
      await db.insertInto('push_configs').values({ app_id: appId, ...values, long_connection_at: null })
        .onConflict((oc) => oc.column('app_id').doUpdateSet(values)).execute();
    },
    async setCursor(appId, seq) {
      await db.insertInto('push_cursors').values({ app_id: appId, seq })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ seq })).execute();
    },
    async addDeliveries(list) {
      for (const d of list) {
        await db.insertInto('push_deliveries').values({
          id: d.id, app_id: d.appId, tenant_key: d.tenantKey, event_id: d.eventId, event_type: d.eventType, seq: d.seq, body: d.body,
          status: d.status, attempts: d.attempts, next_at: d.nextAt, created_at: d.createdAt,
          last_attempt: d.lastAttempt ? JSON.stringify(d.lastAttempt) : null,
          merge_key: d.merge?.key ?? null, merge_until: d.merge?.until ?? null, merge_state: d.merge ? JSON.stringify(d.merge.intent) : null,
        }).onConflict((oc) => oc.column('id').doNothing()).execute();
      }
    },
    async claimDelivery(id, expectedNextAt, leaseUntil) {
      const result = await db.updateTable('push_deliveries').set({ next_at: leaseUntil })
        .where('id', '=', id).where('status', '=', 'pending').where('next_at', '=', expectedNextAt).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async recordAttempt(id, o) {
      await db.updateTable('push_deliveries')
        .set({ status: o.status, attempts: o.attempts, next_at: o.nextAt, last_attempt: JSON.stringify(o.lastAttempt) })
        .where('id', '=', id).execute();
    },
    async requeue(id, now) {
      const result = await db.updateTable('push_deliveries').set({ status: 'pending', attempts: 0, next_at: now }).where('id', '=', id).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async heldForMerge(key, at) {
      // Held: still pending, never tried, due at the window's end (a claim moves next_at to its lease).
      const r = await db.selectFrom('push_deliveries').selectAll()
        .where('merge_key', '=', key).where('merge_until', '>', at).where('status', '=', 'pending').where('attempts', '=', 0)
        .whereRef('next_at', '=', 'merge_until').orderBy('merge_until', 'desc').executeTakeFirst();
      return r && toDelivery(r);
    },
    async updateHeld(id, until, body, merged) {
      const result = await db.updateTable('push_deliveries').set({ body, merge_state: JSON.stringify(merged) })
        .where('id', '=', id).where('status', '=', 'pending').where('next_at', '=', until).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async dropHeld(id, until) {
      const result = await db.deleteFrom('push_deliveries').where('id', '=', id).where('status', '=', 'pending').where('next_at', '=', until).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async markLongConnection(appId, at) {
      const existing = await db.selectFrom('push_configs').select('long_connection_at').where('app_id', '=', appId).executeTakeFirst();
      if (existing?.long_connection_at !== null && existing !== undefined) return false;
      await db.insertInto('push_configs')
        .values({ app_id: appId, request_url: null, encrypt_key: null, verification_token: null, updated_at: at, long_connection_at: at })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ long_connection_at: at })).execute();
      return true;
    },
    async hurryPending(appId, now) {
      const result = await db.updateTable('push_deliveries').set({ next_at: now })
        .where('app_id', '=', appId).where('status', '=', 'pending').where('next_at', '>', now)
        // Never tried: not due yet or in its first attempt, which hurrying would send twice.
        .where('last_attempt', 'is not', null)
        .where((eb) => eb.or([eb('merge_until', 'is', null), eb('next_at', '<>', eb.ref('merge_until'))]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
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
