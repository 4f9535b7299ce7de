import type { Kysely, Selectable } from 'kysely';
import type { EventTime } from '../core/events/types.js';
import type { ExchangeBinding, ExchangeStatus, TimeoffEvent } from '../core/extras.js';
import type { ExtrasWriter } from '../core/ports.js';
import type { ExchangeBindingTable, TimeoffEventTable } from './schema/extras.js';
import type { Database } from './schema/index.js';
import { compiledStatement } from './compiled.js';

const toTimeoff = (r: Selectable<TimeoffEventTable>): TimeoffEvent => ({
  timeoffEventId: r.timeoff_event_id, tenantKey: r.tenant_key, userId: r.user_id, appId: r.app_id, uid: r.uid, calendarId: r.calendar_id,
  timeZone: r.timezone, start: JSON.parse(r.start_time) as EventTime, end: JSON.parse(r.end_time) as EventTime,
  title: r.title, description: r.description, seq: Number(r.seq),
});

const toBinding = (r: Selectable<ExchangeBindingTable>): ExchangeBinding => ({
  bindingId: r.exchange_binding_id, tenantKey: r.tenant_key, adminAccount: r.admin_account, exchangeAccount: r.exchange_account,
  userId: r.user_id, status: r.status as ExchangeStatus, createdAt: Number(r.created_at), seq: Number(r.seq),
});

// Every Feishu event GET reads the event's meeting chat and minutes: compiled once (compiled.ts).
const meetingLinksOf = compiledStatement((db, chatUid: string, minutesUid: string) => db.selectNoFrom((eb) => [
  eb.selectFrom('meeting_chats').select('chat_id').where('uid', '=', chatUid).as('chat_id'),
  eb.selectFrom('meeting_minutes').select('doc_url').where('uid', '=', minutesUid).as('doc_url'),
]));

/** The extras port over Kysely; `db` is a transaction when writing. */
export function extrasStore(db: Kysely<Database>): ExtrasWriter {
  return {
    async timeoff(tenantKey, timeoffEventId) {
      const r = await db.selectFrom('timeoff_events').selectAll().where('tenant_key', '=', tenantKey).where('timeoff_event_id', '=', timeoffEventId).executeTakeFirst();
      return r && toTimeoff(r);
    },
    async meetingChat(uid) {
      const r = await db.selectFrom('meeting_chats').selectAll().where('uid', '=', uid).executeTakeFirst();
      return r && { uid: r.uid, chatId: r.chat_id, tenantKey: r.tenant_key, owner: r.owner, seq: Number(r.seq) };
    },
    async meetingMinute(uid) {
      const r = await db.selectFrom('meeting_minutes').selectAll().where('uid', '=', uid).executeTakeFirst();
      return r && { uid: r.uid, tenantKey: r.tenant_key, docUrl: r.doc_url, seq: Number(r.seq) };
    },
    async meetingLinks(uid) {
      const [r] = await meetingLinksOf(db, uid, uid);
      return { ...(r?.chat_id ? { chatId: r.chat_id } : {}), ...(r?.doc_url ? { docUrl: r.doc_url } : {}) };
    },
    async exchangeBinding(tenantKey, bindingId) {
      const r = await db.selectFrom('exchange_bindings').selectAll().where('tenant_key', '=', tenantKey).where('exchange_binding_id', '=', bindingId).executeTakeFirst();
      return r && toBinding(r);
    },
    async exchangeBindingOf(tenantKey, exchangeAccount) {
      const r = await db.selectFrom('exchange_bindings').selectAll().where('tenant_key', '=', tenantKey).where('account_key', '=', exchangeAccount.toLowerCase()).executeTakeFirst();
      return r && toBinding(r);
    },
    async putTimeoff(t) {
      await db.insertInto('timeoff_events').values({
        tenant_key: t.tenantKey, timeoff_event_id: t.timeoffEventId, user_id: t.userId, app_id: t.appId, uid: t.uid, calendar_id: t.calendarId,
        timezone: t.timeZone, start_time: JSON.stringify(t.start), end_time: JSON.stringify(t.end), title: t.title, description: t.description, seq: t.seq,
      }).execute();
    },
    async deleteTimeoff(tenantKey, timeoffEventId) {
      await db.deleteFrom('timeoff_events').where('tenant_key', '=', tenantKey).where('timeoff_event_id', '=', timeoffEventId).execute();
    },
    async putMeetingChat(c) {
      await db.insertInto('meeting_chats').values({ uid: c.uid, chat_id: c.chatId, tenant_key: c.tenantKey, owner: c.owner, seq: c.seq }).execute();
    },
    async deleteMeetingChat(uid) {
      await db.deleteFrom('meeting_chats').where('uid', '=', uid).execute();
    },
    async putMeetingMinute(m) {
      await db.insertInto('meeting_minutes').values({ uid: m.uid, tenant_key: m.tenantKey, doc_url: m.docUrl, seq: m.seq }).execute();
    },
    async putExchangeBinding(b) {
      await db.insertInto('exchange_bindings').values({
        tenant_key: b.tenantKey, exchange_binding_id: b.bindingId, admin_account: b.adminAccount, exchange_account: b.exchangeAccount,
        account_key: b.exchangeAccount.toLowerCase(), user_id: b.userId, status: b.status, created_at: b.createdAt, seq: b.seq,
      }).execute();
    },
    async deleteExchangeBinding(tenantKey, bindingId) {
      await db.deleteFrom('exchange_bindings').where('tenant_key', '=', tenantKey).where('exchange_binding_id', '=', bindingId).execute();
    },
  };
}
