import type { Kysely, Selectable } from 'kysely';
import type { CaldavCredential, CaldavWriter } from '../core/caldav-ports.js';
import type { CaldavCredentialTable } from './schema/caldav.js';
import type { Database } from './schema/index.js';

const toCredential = (r: Selectable<CaldavCredentialTable>): CaldavCredential => ({
  userName: r.user_name, passwordHash: r.password_hash, feedTokenHash: r.feed_token_hash, platform: r.platform as CaldavCredential['platform'],
  appId: r.app_id, tenantKey: r.tenant_key, userId: r.user_id, deviceName: r.device_name, createdAt: Number(r.created_at),
});

/** The CalDAV port over Kysely; `db` is a transaction when writing. */
export function caldavStore(db: Kysely<Database>): CaldavWriter {
  const credentials = () => db.selectFrom('caldav_credentials').selectAll();
  return {
    async credential(userName) {
      const r = await credentials().where('user_name', '=', userName).executeTakeFirst();
      return r && toCredential(r);
    },
    async credentialByFeedToken(hash) {
      const r = await credentials().where('feed_token_hash', '=', hash).executeTakeFirst();
      return r && toCredential(r);
    },
    async credentialsOf(userId) {
      return (await credentials().where('user_id', '=', userId).orderBy('device_name').execute()).map(toCredential);
    },
    async resourceByName(calendarId, name) {
      const r = await db.selectFrom('caldav_resources').selectAll().where('calendar_id', '=', calendarId).where('name', '=', name).executeTakeFirst();
      return r && { calendarId: r.calendar_id, name: r.name, uid: r.uid, icalUid: r.ical_uid };
    },
    async resourcesOf(calendarId, uids) {
      if (uids.length === 0) return [];
      const rows = await db.selectFrom('caldav_resources').selectAll().where('calendar_id', '=', calendarId).where('uid', 'in', [...uids]).execute();
      return rows.map((r) => ({ calendarId: r.calendar_id, name: r.name, uid: r.uid, icalUid: r.ical_uid }));
    },
    async putCredential(c) {
      await db.deleteFrom('caldav_credentials').where('user_id', '=', c.userId).where('device_name', '=', c.deviceName).execute();
      await db.insertInto('caldav_credentials').values({
        user_name: c.userName, password_hash: c.passwordHash, feed_token_hash: c.feedTokenHash, platform: c.platform, app_id: c.appId,
        tenant_key: c.tenantKey, user_id: c.userId, device_name: c.deviceName, created_at: c.createdAt,
      }).execute();
    },
    async deleteCredential(userName) {
      const result = await db.deleteFrom('caldav_credentials').where('user_name', '=', userName).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async putResource(r) {
      await db.insertInto('caldav_resources').values({ calendar_id: r.calendarId, name: r.name, uid: r.uid, ical_uid: r.icalUid })
        .onConflict((oc) => oc.columns(['calendar_id', 'name']).doUpdateSet({ uid: r.uid, ical_uid: r.icalUid })).execute();
    },
    async deleteResource(calendarId, name) {
      await db.deleteFrom('caldav_resources').where('calendar_id', '=', calendarId).where('name', '=', name).execute();
    },
  };
}
