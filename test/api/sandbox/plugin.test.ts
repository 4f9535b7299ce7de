import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../helpers/stores.js';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: sandbox user-tokens`, () => {
    let s: TestServer;
    before(async () => { s = await startServer(kind); });
    after(() => s.close());

    const post = (body: unknown) => fetch(`${s.url}/rili/v1/user-tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

    test('a Feishu app gives a u- token for a user named by any of their ids', async () => {
      for (const user of ['lisi', 'ou_lisi', 'on_lisi']) {
        const res = await post({ app: 'cli_acme', user });
        assert.equal(res.status, 200);
        assert.match(res.body.access_token, /^u-/);
        assert.ok(res.body.expire > 7000);
        const primary = await s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(res.body.access_token));
        assert.equal(primary.data!.calendars![0].calendar!.summary, '李四');
      }
    });

    test('a DingTalk app gives a DingTalk user token', async () => {
      const res = await post({ app: 'dingacme', user: 'zhangsan' });
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.body.access_token, /^u-/);
    });

    test('unknown app, a user of another tenant, and bad bodies are refused', async () => {
      assert.equal((await post({ app: 'cli_nope', user: 'lisi' })).status, 404);
      assert.equal((await post({ app: 'cli_acme', user: 'hank' })).body.error.code, 'user_not_found');
      const bad = await post({ app: 'cli_acme' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /user/);
    });

    test('health reports the store', async () => {
      const res = await fetch(`${s.url}/rili/v1/health`);
      assert.deepEqual(await res.json(), { status: 'ok', store: kind });
    });
  });
}
