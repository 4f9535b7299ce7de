import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../helpers/stores.js';
import { readEventsUntil, startSandboxServer } from './sandbox-server.js';
import type { SandboxTestServer } from './sandbox-server.js';

for (const kind of STORES) {
  describe(`${kind}: the request journal`, () => {
    let s: SandboxTestServer;
    before(async () => { s = await startSandboxServer(kind); });
    after(() => s.close());

    const tenantToken = async () => {
      const res = await s.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } });
      assert.equal(res.body.code, 0);
      return res.body.tenant_access_token as string;
    };

    test('records each platform request with its answer, secrets and tokens redacted', async () => {
      await s.call('DELETE', '/rili/v1/requests');
      const tenant = await tenantToken();
      const user = (await s.call('POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'lisi' } })).body.access_token as string;
      const primary = await s.call('POST', '/open-apis/calendar/v4/calendars/primary', { headers: { authorization: `Bearer ${user}` } });
      assert.equal(primary.status, 200);
      const ding = await s.call('POST', '/v1.0/oauth2/accessToken', { body: { appKey: 'dingacme', appSecret: 'acme-secret' } });
      assert.equal(ding.status, 200);
      const dingToken = ding.body.accessToken as string;
      await s.call('GET', '/v1.0/calendar/users/on_zhangsan/calendars', { headers: { 'x-acs-dingtalk-access-token': dingToken } });

      const { status, body } = await s.call('GET', '/rili/v1/requests');
      assert.equal(status, 200);
      const paths = body.requests.map((r: any) => `${r.method} ${r.path}`);
      // The admin API itself is not journaled.
      assert.deepEqual(paths, [
        'POST /open-apis/auth/v3/tenant_access_token/internal',
        'POST /open-apis/calendar/v4/calendars/primary',
        'POST /v1.0/oauth2/accessToken',
        'GET /v1.0/calendar/users/on_zhangsan/calendars',
      ]);
      const [token, cal, dingTokenEntry, dingList] = body.requests;
      assert.equal(token.dialect, 'feishu');
      assert.equal(token.request.body.app_id, 'cli_acme');
      assert.equal(token.request.body.app_secret, '[redacted]');
      assert.equal(token.response.body.tenant_access_token, '[redacted]');
      assert.equal(token.response.body.code, 0, 'the platform\'s code in an answer stays');
      assert.equal(cal.request.headers.authorization, '[redacted]');
      assert.equal(cal.status, 200);
      assert.equal(cal.app_id, 'cli_acme');
      assert.ok(cal.user_id, 'a user token names its user');
      assert.equal(cal.response.body.data.calendars[0].calendar.summary, '李四');
      assert.equal(dingTokenEntry.dialect, 'dingtalk');
      assert.equal(dingTokenEntry.request.body.appSecret, '[redacted]');
      assert.equal(dingTokenEntry.response.body.accessToken, '[redacted]');
      assert.equal(dingList.request.headers['x-acs-dingtalk-access-token'], '[redacted]');
      assert.equal(dingList.app_id, 'dingacme');
      const everything = JSON.stringify(body);
      for (const secret of ['acme-secret', tenant, user, dingToken]) assert.ok(!everything.includes(secret), `a secret leaked: ${secret.slice(0, 12)}…`);
      assert.ok(token.seq < cal.seq && cal.seq < dingList.seq);
      assert.equal(cal.id, primary.headers.get('x-request-id'));
    });

    test('filters by dialect, app, user, path, status, since and after; DELETE clears', async () => {
      await s.call('DELETE', '/rili/v1/requests');
      const user = (await s.call('POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'lisi' } })).body.access_token as string;
      await s.call('POST', '/open-apis/calendar/v4/calendars/primary', { headers: { authorization: `Bearer ${user}` } });
      await s.call('POST', '/open-apis/calendar/v4/calendars/primary', { headers: { authorization: 'Bearer u-nonsense' } });
      await s.call('GET', '/v1.0/calendar/users/on_zhangsan/calendars');
      const list = async (query: string) => (await s.call('GET', `/rili/v1/requests?${query}`)).body.requests as any[];
      assert.equal((await list('dialect=feishu')).length, 2);
      assert.equal((await list('dialect=dingtalk')).length, 1);
      assert.equal((await list('app=cli_acme')).length, 1);
      const [mine] = await list('app=cli_acme');
      assert.equal((await list(`user=${mine.user_id}`)).length, 1);
      assert.equal((await list('status=4xx')).length, 2);
      assert.equal((await list('status=200')).length, 1);
      assert.equal((await list('path=/v1.0/')).length, 1);
      assert.equal((await list('path=/v1.0/calendar/users/*/calendars')).length, 1);
      assert.equal((await list('path=/open-apis/**/primary')).length, 2);
      assert.equal((await list(`after=${mine.seq}`)).length, 2);
      assert.equal((await list('limit=1')).length, 1);
      s.clock.advance(60);
      assert.equal((await list(`since=${s.clock.now()}`)).length, 0);
      assert.equal((await list(`since=${s.clock.now() - 120_000}`)).length, 3);
      assert.equal((await s.call('GET', '/rili/v1/requests?status=42')).status, 400);
      assert.equal((await s.call('GET', '/rili/v1/requests?dialect=nope')).status, 400);
      assert.deepEqual((await s.call('DELETE', '/rili/v1/requests')).body, { cleared: 3 });
      assert.equal((await list('')).length, 0);
    });

    test('the live stream delivers a request as it is answered, and replays after a seq', { timeout: 60_000 }, async () => {
      await s.call('DELETE', '/rili/v1/requests');
      const abort = new AbortController();
      const res = await fetch(`${s.url}/rili/v1/stream?types=request&dialect=dingtalk`, { signal: abort.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
      const reading = readEventsUntil(res, (e) => e.data.path === '/v1.0/calendar/users/on_lisi/calendars');
      await s.call('GET', '/open-apis/calendar/v4/calendars'); // filtered out: another dialect
      await s.call('GET', '/v1.0/calendar/users/on_lisi/calendars');
      const events = await reading;
      abort.abort();
      assert.deepEqual(events.map((e) => e.event), ['request']);
      assert.equal(events[0].data.status, 400, 'no token: DingTalk answers 400');
      assert.equal(events[0].id, `request-${events[0].data.seq}`);

      // A test that noted a seq sees what came after it, even if it connects later.
      const before = (await s.call('GET', '/rili/v1/requests')).body.requests.at(-1).seq as number;
      await s.call('GET', '/v1.0/calendar/users/on_wangwu/calendars');
      const late = new AbortController();
      const replay = await fetch(`${s.url}/rili/v1/stream?after=${before}`, { signal: late.signal });
      const replayed = await readEventsUntil(replay, (e) => e.event === 'request');
      late.abort();
      assert.equal(replayed[0].data.path, '/v1.0/calendar/users/on_wangwu/calendars');
      assert.equal(replayed[0].data.seq, before + 1);
    });
  });
}

describe('a bounded journal', () => {
  let s: SandboxTestServer;
  before(async () => { s = await startSandboxServer('sqlite', { journal: { maxEntries: 3, maxBodyBytes: 50 } }); });
  after(() => s.close());

  test('keeps only the newest entries and truncates large bodies', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await s.call('GET', `/v1.0/nothing/${name}`);
    const { body } = await s.call('GET', '/rili/v1/requests');
    assert.deepEqual(body.requests.map((r: any) => r.path), ['/v1.0/nothing/c', '/v1.0/nothing/d', '/v1.0/nothing/e']);
    assert.equal(body.kept, 3);
    await s.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret', padding: 'x'.repeat(200) } });
    const last = (await s.call('GET', '/rili/v1/requests')).body.requests.at(-1);
    assert.equal(last.request.body.truncated, true);
    assert.ok(last.request.body.bytes > 200);
    assert.equal(last.response.body.truncated, true, 'answers are bounded the same way');
    assert.ok(!JSON.stringify(last).includes('acme-secret'), 'a body too large to keep is not kept at all');
  });
});

describe('--journal-entries 0', () => {
  let s: SandboxTestServer;
  before(async () => { s = await startSandboxServer('sqlite', { journal: { maxEntries: 0 } }); });
  after(() => s.close());

  test('keeps nothing, and faults still fire', async () => {
    await s.call('PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'dingtalk', error: 'system.busy', times: 1 }] } });
    assert.equal((await s.call('GET', '/v1.0/calendar/users/on_lisi/calendars')).status, 429);
    assert.equal((await s.call('GET', '/v1.0/calendar/users/on_lisi/calendars')).status, 400);
    assert.deepEqual((await s.call('GET', '/rili/v1/requests')).body.requests, []);
  });
});
