import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../helpers/stores.js';
import { TestClock, feishuFailure, startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: Feishu rate limits`, () => {
    let s: TestServer;
    const clock = new TestClock(Date.parse('2030-01-01T00:00:00.200Z'));
    before(async () => { s = await startServer(kind, { clock, rateLimit: 'on' }); });
    after(() => s.close());

    test('50 calls a second per app and method; the 51st is 429 99991400 with x-ogw-ratelimit headers', async () => {
      const token = await s.userToken('zhangsan');
      const call = () => fetch(`${s.url}/open-apis/calendar/v4/calendars/primary`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 50; i++) assert.equal((await call()).status, 200, `call ${i}`);
      const refused = await call();
      const body = await refused.json();
      assert.equal(refused.status, 429);
      assert.equal(body.code, 99991400);
      assert.ok(body.error.log_id);
      assert.equal(refused.headers.get('x-ogw-ratelimit-limit'), '50');
      assert.equal(refused.headers.get('x-ogw-ratelimit-reset'), '1');
      // Another method of the same app has its own budget.
      const other = await s.lark().calendar.v4.calendar.list({}, lark.withUserAccessToken(token));
      assert.equal(other.code, 0);
      clock.advance(1);
      assert.equal((await call()).status, 200);
    });

    test('1000 calls a minute per app and method', async () => {
      clock.advance(60);
      const sdk = s.lark('cli_acme2');
      for (let second = 0; second < 20; second++) {
        for (let i = 0; i < 50; i++) assert.equal((await sdk.calendar.v4.calendar.primary({})).code, 0);
        clock.advance(1);
      }
      const res = await feishuFailure(sdk.calendar.v4.calendar.primary({}));
      assert.deepEqual([res.status, res.code], [429, 99991400]);
      assert.match(res.msg, /1000/);
    });
  });
}
