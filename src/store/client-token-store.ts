import type { Kysely } from 'kysely';
import type { ClientTokenRecord, ClientTokenWriter } from '../core/ports.js';
import type { Database } from './schema/index.js';

/** The DingTalk client-token port over Kysely; `db` is a transaction when writing. */
export function clientTokenStore(db: Kysely<Database>): ClientTokenWriter {
  const key = (appId: string, token: string) => db.updateTable('dingtalk_client_tokens').where('app_id', '=', appId).where('token', '=', token);
  return {
    async clientToken(appId, token) {
      const r = await db.selectFrom('dingtalk_client_tokens').selectAll().where('app_id', '=', appId).where('token', '=', token).executeTakeFirst();
      return r && {
        appId: r.app_id, token: r.token, requestHash: r.request_hash, state: r.state as ClientTokenRecord['state'],
        status: r.status, body: r.body, createdAt: r.created_at,
      };
    },
    async claimClientToken(claim) {
      const result = await db.insertInto('dingtalk_client_tokens')
        .values({ app_id: claim.appId, token: claim.token, request_hash: claim.requestHash, state: 'processing', status: null, body: null, created_at: claim.createdAt })
        .onConflict((oc) => oc.columns(['app_id', 'token']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async takeOverClientToken(claim, previous) {
      const result = await key(claim.appId, claim.token)
        .set({ request_hash: claim.requestHash, state: 'processing', status: null, body: null, created_at: claim.createdAt })
        .where('created_at', '=', previous.createdAt).where('state', '=', previous.state)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async finishClientToken(claim, response) {
      await key(claim.appId, claim.token).set({ state: 'done', status: response.status, body: response.body })
        .where('created_at', '=', claim.createdAt).where('request_hash', '=', claim.requestHash).where('state', '=', 'processing')
        .execute();
    },
    async releaseClientToken(claim) {
      await db.deleteFrom('dingtalk_client_tokens').where('app_id', '=', claim.appId).where('token', '=', claim.token)
        .where('created_at', '=', claim.createdAt).where('request_hash', '=', claim.requestHash).where('state', '=', 'processing')
        .execute();
    },
    async purgeClientTokens(createdBefore) {
      const result = await db.deleteFrom('dingtalk_client_tokens').where('created_at', '<', createdBefore).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
