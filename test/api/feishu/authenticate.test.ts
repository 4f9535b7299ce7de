import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { tokenSigner } from '../../../src/auth/tokens.js';
import { STORES } from '../../helpers/stores.js';
import { TEST_SECRET, feishuFailure, startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: Feishu tokens and authentication`, () => {
    let s: TestServer;
    before(async () => { s = await startServer(kind); });
    after(() => s.close());

    const call = (headers: Record<string, string>) =>
      fetch(`${s.url}/open-apis/calendar/v4/calendars/primary`, { method: 'POST', headers }).then(async (r) => ({ status: r.status, body: await r.json() }));

    test('tenant_access_token/internal through the SDK: flat body, expire well above 180 s', async () => {
      const res = await s.lark().auth.v3.tenantAccessToken.internal({ data: { app_id: 'cli_acme', app_secret: 'acme-secret' } });
      assert.equal(res.code, 0);
      const body = res as any;
      assert.match(body.tenant_access_token, /^t-/);
      assert.ok(body.expire > 1800 && body.expire <= 7200, `expire ${body.expire}`);
      assert.equal(body.data, undefined);
      // The same app asking again within the half hour gets the same token.
      const again = (await s.lark().auth.v3.tenantAccessToken.internal({ data: { app_id: 'cli_acme', app_secret: 'acme-secret' } })) as any;
      assert.equal(again.tenant_access_token, body.tenant_access_token);
    });

    test('app_access_token/internal returns the app token (and the tenant token) for a self-built app', async () => {
      const res = (await s.lark().auth.v3.appAccessToken.internal({ data: { app_id: 'cli_acme', app_secret: 'acme-secret' } })) as any;
      assert.equal(res.code, 0);
      assert.match(res.app_access_token, /^t-/);
      assert.equal(res.tenant_access_token, res.app_access_token);
    });

    test('bad credentials: HTTP 200 with code 10003', async () => {
      const res = await feishuFailure(s.lark().auth.v3.tenantAccessToken.internal({ data: { app_id: 'cli_acme', app_secret: 'wrong' } }));
      assert.deepEqual([res.status, res.code], [200, 10003]);
      const unknown = await feishuFailure(s.lark().auth.v3.appAccessToken.internal({ data: { app_id: 'cli_nope', app_secret: 'x' } }));
      assert.deepEqual([unknown.status, unknown.code], [200, 10003]);
      // A DingTalk app's key is not a Feishu app.
      const dingtalk = await feishuFailure(s.lark().auth.v3.tenantAccessToken.internal({ data: { app_id: 'dingacme', app_secret: 'acme-secret' } }));
      assert.equal(dingtalk.code, 10003);
      // The SDK itself refuses to go on without a token.
      await assert.rejects(s.lark('cli_acme', 'wrong').calendar.v4.calendar.primary({}));
    });

    test('missing token: 99991661 (also without the Bearer prefix), with error.log_id and X-Tt-Logid', async () => {
      for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 't-abc' }] as Array<Record<string, string>>) {
        const res = await fetch(`${s.url}/open-apis/calendar/v4/calendars/primary`, { method: 'POST', headers });
        const body = await res.json();
        assert.equal(res.status, 400);
        assert.equal(body.code, 99991661);
        assert.match(body.error.log_id, /^\d{14}[0-9A-F]{20}$/);
        assert.equal(res.headers.get('x-tt-logid'), body.error.log_id);
        assert.match(body.error.troubleshooter, /log_id=/);
      }
    });

    test('forged tokens: 99991663 for t-, 99991668 for u- and JWT-like, 99991671 for other shapes', async () => {
      const forger = tokenSigner('not-the-secret');
      const now = Math.floor(Date.now() / 1000);
      const fakeTenant = forger.issue({ kind: 'tenant', tenantKey: 'acme', appId: 'cli_acme' }, now).token;
      const fakeUser = forger.issue({ kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: 'x' }, now).token;
      const cases: Array<[string, number]> = [
        [fakeTenant, 99991663], ['t-garbage', 99991663], [fakeUser, 99991668], ['u-garbage', 99991668], ['eyJhbGciOi.x.y', 99991668], ['zzz', 99991671],
      ];
      for (const [token, code] of cases) {
        const res = await call({ authorization: `Bearer ${token}` });
        assert.deepEqual([res.status, res.body.code], [400, code], token);
      }
    });

    test('expired tokens: 99991677 for a user token, 99991663 for a tenant token', async () => {
      const signer = tokenSigner(TEST_SECRET);
      const user = await s.server.ctx.store.read((r) => r.directory.userByAnyId('acme', 'zhangsan'));
      const long = Math.floor(s.clock.now() / 1000) - 10_000;
      const expiredUser = signer.issue({ kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: user!.id }, long).token;
      const expiredTenant = signer.issue({ kind: 'tenant', tenantKey: 'acme', appId: 'cli_acme' }, long).token;
      assert.deepEqual((await call({ authorization: `Bearer ${expiredUser}` })).body.code, 99991677);
      assert.deepEqual((await call({ authorization: `Bearer ${expiredTenant}` })).body.code, 99991663);
      const sdk = await feishuFailure(s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(expiredUser)));
      assert.deepEqual([sdk.status, sdk.code], [400, 99991677]);
    });

    test('a token is checked before the parameters', async () => {
      const res = await fetch(`${s.url}/open-apis/calendar/v4/calendars`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"summary": 5}' });
      assert.equal((await res.json()).code, 99991661);
    });

    test('a DingTalk token is not a Feishu token', async () => {
      const dt = await s.userToken('zhangsan', 'dingacme');
      const res = await call({ authorization: `Bearer ${dt}` });
      assert.equal(res.body.code, 99991671);
    });
  });
}
