import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedFromJson } from '../../src/seed.js';

const seedWith = (events: object) => ({ tenants: [{ tenant_key: 'acme', apps: [{ platform: 'dingtalk', app_key: 'dingacme', events }] }] });
const AES = 'b'.repeat(42) + 'A';

test('a DingTalk app\'s seeded receiver: request_url, token, aes_key; Feishu\'s fields and a bad aes_key are refused', () => {
  const seed = seedFromJson(seedWith({ request_url: 'http://127.0.0.1:1/cb', token: 't', aes_key: AES }));
  assert.deepEqual(seed.tenants[0].pushConfigs, [{ appId: 'dingacme', config: { requestUrl: 'http://127.0.0.1:1/cb', encryptKey: AES, verificationToken: 't' } }]);
  assert.throws(() => seedFromJson(seedWith({ request_url: 'http://x/', token: 't', aes_key: 'short' })), /aes_key/);
  assert.throws(() => seedFromJson(seedWith({ request_url: 'http://x/', token: 't' })), /needs token and aes_key/);
  assert.throws(() => seedFromJson(seedWith({ encrypt_key: 'k' })), /encrypt_key is not a dingtalk setting/);
  assert.throws(() => seedFromJson({ tenants: [{ tenant_key: 'acme', apps: [{ platform: 'feishu', app_id: 'cli_a', events: { token: 't' } }] }] }), /token is not a feishu setting/);
});
