import type { Kysely, Selectable } from 'kysely';
import type { OAuthCode, OAuthFlow, OAuthGrant } from '../core/oauth.js';
import type { OAuthWriter } from '../core/ports.js';
import type { Platform } from '../core/types.js';
import type { Database } from './schema/index.js';
import type { OAuthCodeTable, OAuthGrantTable } from './schema/oauth.js';

const scopesOf = (text: string | null): string[] | undefined => (text === null ? undefined : text === '' ? [] : text.split(' '));
const scopeText = (scopes: readonly string[] | undefined): string | null => (scopes === undefined ? null : scopes.join(' '));
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

const toCode = (r: Selectable<OAuthCodeTable>): OAuthCode => ({
  codeHash: r.code_hash, platform: r.platform as Platform, appId: r.app_id, tenantKey: r.tenant_key, userId: r.user_id,
  scopes: scopesOf(r.scope), redirectUri: opt(r.redirect_uri), codeChallenge: opt(r.code_challenge),
  challengeMethod: opt(r.challenge_method) as OAuthCode['challengeMethod'], createdAt: r.created_at, expiresAt: r.expires_at,
  usedAt: opt(r.used_at), grantId: opt(r.grant_id),
});

const toGrant = (r: Selectable<OAuthGrantTable>): OAuthGrant => ({
  id: r.id, platform: r.platform as Platform, flow: r.flow as OAuthFlow, appId: r.app_id, tenantKey: r.tenant_key, userId: r.user_id,
  scopes: scopesOf(r.scope), generation: r.generation, refreshHash: opt(r.refresh_hash), refreshExpiresAt: opt(r.refresh_expires_at),
  rotatedAt: opt(r.rotated_at), revokedAt: opt(r.revoked_at), createdAt: r.created_at,
});

/** The sign-in port over Kysely; `db` is a transaction when writing. */
export function oauthStore(db: Kysely<Database>): OAuthWriter {
  return {
    async code(codeHash) {
      const r = await db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
      return r && toCode(r);
    },
    async grant(id) {
      const r = await db.selectFrom('oauth_grants').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toGrant(r);
    },
    async putCode(c) {
      await db.insertInto('oauth_codes').values({
        code_hash: c.codeHash, platform: c.platform, app_id: c.appId, tenant_key: c.tenantKey, user_id: c.userId,
        scope: scopeText(c.scopes), redirect_uri: c.redirectUri ?? null, code_challenge: c.codeChallenge ?? null,
        challenge_method: c.challengeMethod ?? null, created_at: c.createdAt, expires_at: c.expiresAt,
        used_at: c.usedAt ?? null, grant_id: c.grantId ?? null,
      }).execute();
    },
    async spendCode(codeHash, usedAt, grantId) {
      const result = await db.updateTable('oauth_codes').set({ used_at: usedAt, grant_id: grantId })
        .where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async putGrant(g) {
      await db.insertInto('oauth_grants').values({
        id: g.id, platform: g.platform, flow: g.flow, app_id: g.appId, tenant_key: g.tenantKey, user_id: g.userId,
        scope: scopeText(g.scopes), generation: g.generation, refresh_hash: g.refreshHash ?? null,
        refresh_expires_at: g.refreshExpiresAt ?? null, rotated_at: g.rotatedAt ?? null, revoked_at: g.revokedAt ?? null,
        created_at: g.createdAt,
      }).execute();
    },
    async rotateGrant(id, fromHash, next) {
      const result = await db.updateTable('oauth_grants')
        .set({ refresh_hash: next.refreshHash ?? null, refresh_expires_at: next.refreshExpiresAt ?? null, generation: next.generation, rotated_at: next.rotatedAt })
        .where('id', '=', id).where('refresh_hash', '=', fromHash).where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async revokeGrant(id, at) {
      await db.updateTable('oauth_grants').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    },
    async purgeCodes(expiredBefore) {
      const result = await db.deleteFrom('oauth_codes').where('expires_at', '<', expiredBefore).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
