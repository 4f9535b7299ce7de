import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dingtalkConfig, oauth2 as $Oauth2 } from '../../../helpers/dingtalk.js';
import { STORES } from '../../../helpers/stores.js';
import { startServer } from '../../../helpers/server.js';
import type { TestServer } from '../../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk oauth2 GetAccessToken`, () => {
    let s: TestServer;
    let client: InstanceType<typeof $Oauth2.default>;
    before(async () => {
      s = await startServer(kind);
      client = new $Oauth2.default(dingtalkConfig(s.url));
    });
    after(() => s.close());

    test('good credentials give {accessToken, expireIn}; the token opens DingTalk, not Feishu', async () => {
      const res = await client.getAccessToken(new $Oauth2.GetAccessTokenRequest({ appKey: 'dingacme', appSecret: 'acme-secret' }));
      assert.equal(res.statusCode, 200);
      assert.equal(typeof res.body!.accessToken, 'string');
      assert.ok(res.body!.expireIn! > 1800 && res.body!.expireIn! <= 7200);
      const again = await client.getAccessToken(new $Oauth2.GetAccessTokenRequest({ appKey: 'dingacme', appSecret: 'acme-secret' }));
      assert.equal(again.body!.accessToken, res.body!.accessToken, 'repeat calls within the lifetime return the same token');
      const feishu = await fetch(`${s.url}/open-apis/calendar/v4/calendars/primary`, { method: 'POST', headers: { authorization: `Bearer ${res.body!.accessToken}` } });
      assert.equal(feishu.status, 400);
    });

    test('bad credentials: 400 invalidClientIdOrSecret, as a coded SDK error', async () => {
      for (const req of [{ appKey: 'dingacme', appSecret: 'wrong' }, { appKey: 'nobody', appSecret: 'x' }, { appKey: 'cli_acme', appSecret: 'acme-secret' }]) {
        await assert.rejects(client.getAccessToken(new $Oauth2.GetAccessTokenRequest(req)), (e: any) => {
          assert.equal(e.code, 'invalidClientIdOrSecret');
          assert.equal(e.statusCode, 400);
          assert.ok(e.data.requestid);
          return true;
        });
      }
    });

    test('an unknown /v1.0 path answers DingTalk\'s JSON error body', async () => {
      const res = await fetch(`${s.url}/v1.0/calendar/nothing`);
      const body = await res.json();
      assert.equal(res.status, 404);
      assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'requestid']);
    });
  });
}
