import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VirtualClock } from '../../../src/sandbox/virtual-clock.js';
import { TestClock } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';
import { startSandboxServer } from './sandbox-server.js';
import type { SandboxTestServer } from './sandbox-server.js';

const HOUR = 3_600_000;

test('VirtualClock: set freezes, advance moves, freeze(false) runs on from there, real goes back', () => {
  const base = new TestClock(1_000_000);
  const clock = new VirtualClock(base);
  assert.equal(clock.now(), 1_000_000);
  clock.set(5_000);
  base.advance(10);
  assert.deepEqual(clock.state(), { now_ms: 5_000, frozen: true });
  clock.advance(1_000);
  assert.equal(clock.now(), 6_000);
  clock.freeze(false);
  base.advance(1);
  assert.deepEqual(clock.state(), { now_ms: 7_000, frozen: false });
  clock.advance(500);
  assert.equal(clock.now(), 7_500);
  clock.real();
  assert.deepEqual(clock.state(), { now_ms: base.now(), frozen: false });
});

for (const kind of STORES) {
  describe(`${kind}: the virtual clock`, () => {
    let s: SandboxTestServer;
    before(async () => { s = await startSandboxServer(kind); });
    after(() => s.close());

    test('GET shows the time; PUT sets, advances, freezes and goes back to real time', async () => {
      assert.deepEqual((await s.call('GET', '/rili/v1/clock')).body, { now_ms: s.clock.now(), frozen: false });
      assert.deepEqual((await s.call('PUT', '/rili/v1/clock', { body: { now_ms: 1_800_000_000_000 } })).body, { now_ms: 1_800_000_000_000, frozen: true });
      s.clock.advance(5);
      assert.deepEqual((await s.call('GET', '/rili/v1/clock')).body, { now_ms: 1_800_000_000_000, frozen: true });
      assert.deepEqual((await s.call('PUT', '/rili/v1/clock', { body: { advance_ms: 60_000 } })).body, { now_ms: 1_800_000_060_000, frozen: true });
      assert.deepEqual((await s.call('PUT', '/rili/v1/clock', { body: { frozen: false } })).body, { now_ms: 1_800_000_060_000, frozen: false });
      s.clock.advance(1);
      assert.equal((await s.call('GET', '/rili/v1/clock')).body.now_ms, 1_800_000_061_000);
      assert.deepEqual((await s.call('PUT', '/rili/v1/clock', { body: { real: true } })).body, { now_ms: s.clock.now(), frozen: false });
    });

    test('malformed changes are refused', async () => {
      for (const body of [{}, { now_ms: 1, advance_ms: 1 }, { advance_ms: -1 }, { real: false }, { real: true, frozen: true }, { now_ms: 'soon' }]) {
        const res = await s.call('PUT', '/rili/v1/clock', { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, 'invalid_argument');
      }
    });

    test('3 hours on, 2-hour tenant and user access tokens are expired, without waiting', async () => {
      const tokenRes = await s.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } });
      assert.ok(tokenRes.body.expire <= 7200, 'at most 2 hours left');
      const tenant = tokenRes.body.tenant_access_token as string;
      const minted = (await s.call('POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'lisi', expire_in: 7200 } })).body;
      assert.equal(minted.expire, 7200);
      const ding = (await s.call('POST', '/v1.0/oauth2/accessToken', { body: { appKey: 'dingacme', appSecret: 'acme-secret' } })).body;
      assert.ok(ding.expireIn <= 7200);
      const listCalendars = (token: string) => s.call('GET', '/open-apis/calendar/v4/calendars', { headers: { authorization: `Bearer ${token}` } });
      const dingCalendars = () => s.call('GET', '/v1.0/calendar/users/on_zhangsan/calendars', { headers: { 'x-acs-dingtalk-access-token': ding.accessToken } });
      assert.equal((await listCalendars(tenant)).body.code, 0);
      assert.equal((await listCalendars(minted.access_token)).body.code, 0);
      assert.equal((await dingCalendars()).status, 200);

      await s.call('PUT', '/rili/v1/clock', { body: { advance_ms: 3 * HOUR } });
      const tenantLate = await listCalendars(tenant);
      assert.equal(tenantLate.body.code, 99991663);
      assert.match(tenantLate.body.msg, /expired/);
      assert.equal((await listCalendars(minted.access_token)).body.code, 99991677);
      const dingLate = await dingCalendars();
      assert.equal(dingLate.status, 400);
      assert.equal(dingLate.body.code, 'InvalidAuthentication');
      // The journal stamps requests with the moved clock too.
      const last = (await s.call('GET', '/rili/v1/requests')).body.requests.at(-1);
      assert.ok(last.at_ms >= s.clock.now() + 3 * HOUR);

      await s.call('PUT', '/rili/v1/clock', { body: { real: true } });
      assert.equal((await listCalendars(tenant)).body.code, 0, 'back in real time the token is live again');
    });
  });
}
