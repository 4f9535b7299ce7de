import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessTokenLive, decideCodeExchange, decideRefresh, parseScopes } from '../../src/core/oauth.js';
import type { OAuthCode, OAuthGrant } from '../../src/core/oauth.js';

const code: OAuthCode = {
  codeHash: 'h', platform: 'feishu', appId: 'cli_a', tenantKey: 't', userId: 'u', scopes: undefined, redirectUri: 'http://x/cb',
  codeChallenge: 'c'.repeat(43), challengeMethod: 'S256', createdAt: 1000, expiresAt: 1300, usedAt: undefined, grantId: undefined,
};
const given = { appId: 'cli_a', redirectUri: undefined, verifier: { S256: 'c'.repeat(43), plain: 'v' }, acceptsVerifier: true };

test('a code: unknown, another app\'s, used, expired, redirect mismatch, PKCE; in that order', () => {
  assert.equal(decideCodeExchange(undefined, given, 1000), 'code_invalid');
  assert.equal(decideCodeExchange(code, { ...given, appId: 'cli_b' }, 1000), 'app_mismatch');
  assert.equal(decideCodeExchange({ ...code, usedAt: 1001 }, given, 1400), 'code_used');
  assert.equal(decideCodeExchange(code, given, 1300), 'code_expired');
  assert.equal(decideCodeExchange(code, given, 1299), undefined);
  assert.equal(decideCodeExchange(code, { ...given, redirectUri: 'http://x/other' }, 1000), 'redirect_mismatch');
  assert.equal(decideCodeExchange(code, { ...given, verifier: undefined }, 1000), 'pkce_missing');
  assert.equal(decideCodeExchange(code, { ...given, acceptsVerifier: false }, 1000), 'pkce_missing');
  assert.equal(decideCodeExchange(code, { ...given, verifier: { S256: 'wrong', plain: 'c'.repeat(43) } }, 1000), 'pkce_failed');
  assert.equal(decideCodeExchange({ ...code, challengeMethod: 'plain' }, { ...given, verifier: { S256: 'x', plain: 'c'.repeat(43) } }, 1000), undefined);
});

const grant: OAuthGrant = {
  id: 'g', platform: 'feishu', flow: 'v2', appId: 'cli_a', tenantKey: 't', userId: 'u', scopes: ['calendar:calendar'], generation: 3,
  refreshHash: 'r3', refreshExpiresAt: 5000, rotatedAt: 2000, revokedAt: undefined, createdAt: 1000,
};

test('a refresh: only the token in force, of this app and flow, unrevoked and unexpired', () => {
  const ok = { appId: 'cli_a', refreshHash: 'r3', flow: 'v2' as const };
  assert.equal(decideRefresh(grant, ok, 4999), undefined);
  assert.equal(decideRefresh(grant, { ...ok, refreshHash: 'r2' }, 3000), 'refresh_invalid');
  assert.equal(decideRefresh(grant, { ...ok, appId: 'cli_b' }, 3000), 'app_mismatch');
  assert.equal(decideRefresh(grant, { ...ok, flow: 'v1' }, 3000), 'wrong_flow');
  assert.equal(decideRefresh({ ...grant, revokedAt: 2500 }, ok, 3000), 'refresh_revoked');
  assert.equal(decideRefresh(grant, ok, 5000), 'refresh_expired');
});

test('access tokens: the current generation; the previous one for 60 s after a rotation; none once revoked', () => {
  assert.ok(accessTokenLive(grant, 3, 9999));
  assert.ok(accessTokenLive(grant, 2, 2059));
  assert.ok(!accessTokenLive(grant, 2, 2060));
  assert.ok(!accessTokenLive(grant, 1, 2000));
  assert.ok(!accessTokenLive({ ...grant, revokedAt: 2100 }, 3, 2101));
  assert.ok(!accessTokenLive(undefined, 1, 0));
});

test('scopes are split on whitespace, deduplicated, in order', () => {
  assert.deepEqual(parseScopes(' calendar:calendar  offline_access calendar:calendar '), ['calendar:calendar', 'offline_access']);
  assert.deepEqual(parseScopes(''), []);
});
