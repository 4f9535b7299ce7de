import type { Kysely, Selectable } from 'kysely';
import type { CalendarAccess, CalendarWriter } from '../core/ports.js';
import type { Calendar, CalendarAcl, CalendarPermissions, CalendarType, SubscribedCalendarInfo, Subscription } from '../core/types.js';
import type { QuerySpecifics } from './database.js';
import { containsIgnoringCase } from './text-match.js';
import type { CalendarTable, SubscriptionTable } from './schema/calendar.js';
import type { Database } from './schema/index.js';
import { compiledStatement } from './compiled.js';

const toCalendar = (r: Selectable<CalendarTable>): Calendar => ({
  calendarId: r.calendar_id,
  tenantKey: r.tenant_key,
  type: r.type as CalendarType,
  owner: r.owner,
  summary: r.summary,
  description: r.description,
  permissions: r.permissions as CalendarPermissions,
  color: r.color,
  isDeleted: r.is_deleted === 1,
  createdAt: r.created_at,
  seq: r.seq,
});

const toSubscription = (r: Selectable<SubscriptionTable>): Subscription => ({
  principal: r.principal,
  calendarId: r.calendar_id,
  summaryAlias: r.summary_alias,
  color: r.color,
  active: r.active === 1,
  seq: r.seq,
});

const toAcl = (r: { acl_id: string; calendar_id: string; role: string; user_id: string }): CalendarAcl => ({
  aclId: r.acl_id, calendarId: r.calendar_id, role: r.role as CalendarAcl['role'], userId: r.user_id,
});

/** The calendar's columns, then the caller's ACL and subscription: listed, not `c.*`, so their number and order are fixed (the event read pads its other rows to them). */
const CALENDAR_COLUMNS = ['c.calendar_id', 'c.tenant_key', 'c.type', 'c.owner', 'c.summary', 'c.description', 'c.permissions', 'c.color', 'c.is_deleted',
  'c.created_at', 'c.seq'] as const;
const CALLER_COLUMNS = ['a.acl_id', 'a.role as acl_role', 'a.user_id as acl_user_id', 's.principal as sub_principal', 's.summary_alias as sub_summary_alias',
  's.color as sub_color', 's.active as sub_active', 's.seq as sub_seq'] as const;
/** How many columns `calendarWithCaller` selects. */
export const CALENDAR_WITH_CALLER_WIDTH = CALENDAR_COLUMNS.length + CALLER_COLUMNS.length;

/** A calendar with the caller's ACL and subscription on it, in one statement. */
const calendarWithCaller = (db: Kysely<Database>, principal: string, userId: string) => db.selectFrom('calendars as c')
  .leftJoin('calendar_acls as a', (j) => j.onRef('a.calendar_id', '=', 'c.calendar_id').on('a.user_id', '=', userId))
  .leftJoin('subscriptions as s', (j) => j.onRef('s.calendar_id', '=', 'c.calendar_id').on('s.principal', '=', principal))
  .select(CALENDAR_COLUMNS)
  .select(CALLER_COLUMNS);
/** The calendar `calendarId` with the caller's ACL and subscription. */
export const calendarWithCallerById = (db: Kysely<Database>, principal: string, userId: string, calendarId: string) =>
  calendarWithCaller(db, principal, userId).where('c.calendar_id', '=', calendarId);
/** `owner`'s primary calendar with the caller's ACL and subscription. */
export const primaryCalendarWithCaller = (db: Kysely<Database>, principal: string, userId: string, owner: string) =>
  calendarWithCaller(db, principal, userId).where('c.owner', '=', owner).where('c.type', '=', 'primary');
// Every event request reads its calendar: compiled once (compiled.ts).
const calendarByIdFor = compiledStatement(calendarWithCallerById);
const primaryCalendarFor = compiledStatement(primaryCalendarWithCaller);
// The UPDATE takes the row lock, so concurrent writers receive sequence numbers in commit order.
const takeSeq = compiledStatement((db, step: number) => db.updateTable('change_seq').set((eb) => ({ value: eb('value', '+', step) }))
  .where('id', '=', 1).returning('value'));

/** Takes `step` numbers from the shared change sequence (events' seq and the change log's); returns the last. */
export async function takeSequence(db: Kysely<Database>, step: number): Promise<number> {
  const [r] = await takeSeq(db, step);
  if (!r) throw new Error('change_seq has no row');
  return r.value;
}

/** The row of `calendarWithCaller` as the port's CalendarAccess. */
export type CalendarWithCallerRow = Selectable<CalendarTable> & {
  acl_id: string | null; acl_role: string | null; acl_user_id: string | null; sub_principal: string | null;
  sub_summary_alias: string | null; sub_color: number | null; sub_active: number | null; sub_seq: number | null;
};
export const toCalendarAccess = (r: CalendarWithCallerRow): CalendarAccess => ({
  calendar: toCalendar(r),
  acl: r.acl_id !== null ? toAcl({ acl_id: r.acl_id, calendar_id: r.calendar_id, role: r.acl_role!, user_id: r.acl_user_id! }) : undefined,
  subscription: r.sub_principal !== null ? toSubscription({
    principal: r.sub_principal, calendar_id: r.calendar_id, summary_alias: r.sub_summary_alias!, color: r.sub_color, active: r.sub_active!, seq: r.sub_seq!,
  }) : undefined,
});

/** The calendar port over Kysely; `db` is a transaction when writing. */
export function calendarStore(db: Kysely<Database>, specifics: QuerySpecifics): CalendarWriter {
  return {
    async calendar(id) {
      const r = await db.selectFrom('calendars').selectAll().where('calendar_id', '=', id).executeTakeFirst();
      return r && toCalendar(r);
    },
    async calendars(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('calendars').selectAll().where('calendar_id', 'in', [...ids]).execute();
      return rows.map(toCalendar);
    },
    async calendarsOwnedBy(owner) {
      const rows = await db.selectFrom('calendars').selectAll().where('owner', '=', owner).orderBy('calendar_id').execute();
      return rows.map(toCalendar);
    },
    async primaryCalendar(owner) {
      const r = await db.selectFrom('calendars').selectAll()
        .where('owner', '=', owner).where('type', '=', 'primary').executeTakeFirst();
      return r && toCalendar(r);
    },
    async calendarFor(principal, userId, calendarId) {
      const [r] = calendarId === undefined
        ? await primaryCalendarFor(db, principal, userId ?? '', principal)
        : await calendarByIdFor(db, principal, userId ?? '', calendarId);
      return r && toCalendarAccess(r);
    },
    async acl(calendarId, userId) {
      const r = await db.selectFrom('calendar_acls').selectAll()
        .where('calendar_id', '=', calendarId).where('user_id', '=', userId).executeTakeFirst();
      return r && toAcl(r);
    },
    async aclById(calendarId, aclId) {
      const r = await db.selectFrom('calendar_acls').selectAll()
        .where('calendar_id', '=', calendarId).where('acl_id', '=', aclId).executeTakeFirst();
      return r && toAcl(r);
    },
    async acls(calendarId, after, limit) {
      let q = db.selectFrom('calendar_acls').selectAll().where('calendar_id', '=', calendarId);
      if (after !== undefined) q = q.where('acl_id', '>', after);
      const rows = await q.orderBy('acl_id').limit(limit).execute();
      return rows.map(toAcl);
    },
    async subscription(principal, calendarId) {
      const r = await db.selectFrom('subscriptions').selectAll()
        .where('principal', '=', principal).where('calendar_id', '=', calendarId).executeTakeFirst();
      return r && toSubscription(r);
    },
    async subscriptions(principal, after, limit) {
      let q = db.selectFrom('subscriptions').selectAll().where('principal', '=', principal).where('active', '=', 1);
      if (after !== undefined) q = q.where('calendar_id', '>', after);
      const rows = await q.orderBy('calendar_id').limit(limit).execute();
      return rows.map(toSubscription);
    },
    async subscriptionsChangedSince(principal, sinceSeq) {
      const rows = await db.selectFrom('subscriptions as s')
        .innerJoin('calendars as c', 'c.calendar_id', 's.calendar_id')
        .selectAll('s')
        .where('s.principal', '=', principal)
        .where((eb) => eb.or([eb('s.seq', '>', sinceSeq), eb('c.seq', '>', sinceSeq)]))
        .orderBy('s.calendar_id')
        .execute();
      return rows.map(toSubscription);
    },
    async countSubscriptions(principal) {
      const r = await db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('principal', '=', principal).where('active', '=', 1).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async searchCalendars(tenantKey, query, after, limit) {
      let q = db.selectFrom('calendars').selectAll()
        .where('tenant_key', '=', tenantKey).where('is_deleted', '=', 0)
        .where(containsIgnoringCase(specifics, 'summary', query));
      if (after !== undefined) q = q.where('calendar_id', '>', after);
      const rows = await q.orderBy('calendar_id').limit(limit).execute();
      return rows.map(toCalendar);
    },
    async currentSeq() {
      const r = await db.selectFrom('change_seq').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
      return r.value;
    },
    async subscribedCalendar(calendarId) {
      const r = await db.selectFrom('subscribed_calendars').selectAll().where('calendar_id', '=', calendarId).executeTakeFirst();
      if (!r) return undefined;
      const list = (json: string) => JSON.parse(json) as string[];
      const info: SubscribedCalendarInfo = {
        calendarId: r.calendar_id, tenantKey: r.tenant_key, author: r.author, managers: list(r.managers),
        scope: { userIds: list(r.scope_users), chatIds: list(r.scope_chats), tenantKeys: list(r.scope_tenants) },
        seq: Number(r.seq),
      };
      return info;
    },
    nextSeq: async (reserve = 0) => (await takeSequence(db, 1 + reserve)) - reserve,
    async putCalendar(c) {
      const row = {
        calendar_id: c.calendarId, tenant_key: c.tenantKey, type: c.type, owner: c.owner, summary: c.summary,
        description: c.description, permissions: c.permissions, color: c.color, is_deleted: c.isDeleted ? 1 : 0,
        created_at: c.createdAt, seq: c.seq,
      };
      await db.insertInto('calendars').values(row)
        .onConflict((oc) => oc.column('calendar_id').doUpdateSet({
          summary: row.summary, description: row.description, permissions: row.permissions, color: row.color,
          is_deleted: row.is_deleted, seq: row.seq,
        }))
        .execute();
    },
    async putAcl(a) {
      await db.insertInto('calendar_acls')
        .values({ acl_id: a.aclId, calendar_id: a.calendarId, role: a.role, user_id: a.userId })
        .onConflict((oc) => oc.columns(['calendar_id', 'acl_id']).doUpdateSet({ role: a.role }))
        .execute();
    },
    async deleteAcl(calendarId, aclId) {
      await db.deleteFrom('calendar_acls').where('calendar_id', '=', calendarId).where('acl_id', '=', aclId).execute();
    },
    async putSubscribedCalendar(i) {
      const row = {
        calendar_id: i.calendarId, tenant_key: i.tenantKey, author: i.author, managers: JSON.stringify(i.managers),
        scope_users: JSON.stringify(i.scope.userIds), scope_chats: JSON.stringify(i.scope.chatIds),
        scope_tenants: JSON.stringify(i.scope.tenantKeys), seq: i.seq,
      };
      await db.insertInto('subscribed_calendars').values(row)
        .onConflict((oc) => oc.column('calendar_id').doUpdateSet({
          managers: row.managers, scope_users: row.scope_users, scope_chats: row.scope_chats, scope_tenants: row.scope_tenants, seq: row.seq,
        }))
        .execute();
    },
    async putSubscription(s) {
      const row = {
        principal: s.principal, calendar_id: s.calendarId, summary_alias: s.summaryAlias, color: s.color,
        active: s.active ? 1 : 0, seq: s.seq,
      };
      await db.insertInto('subscriptions').values(row)
        .onConflict((oc) => oc.columns(['principal', 'calendar_id']).doUpdateSet({
          summary_alias: row.summary_alias, color: row.color, active: row.active, seq: row.seq,
        }))
        .execute();
    },
  };
}
