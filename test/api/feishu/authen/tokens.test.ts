import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../helpers/server.js';
import type { TestServer } from '../../../helpers/server.js';
import { CALLBACK, pkcePair, signIn, v2Token } from './sign-in-helpers.js';

const primaryId = async (s: TestServer, token: string) =>
  (await s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(token))).data!.calendars![0].calendar!.calendar_id;

const createEvent = (s: TestServer, token: string, calendarId: string) => s.lark().calendar.v4.calendarEvent.create({
  path: { calendar_id: calendarId },
  data: { summary: 'signed in', start_time: { timestamp: '1790000000' }, end_time: { timestamp: '1790003600' } },
}, lark.withUserAccessToken(token));

for (const kind of STORES) {
  describe(`${kind}: Feishu sign-in tokens`, () => {
    let s: TestServer;
    before(async () => { s = await startServer(kind); });
    after(() => s.close());

    test('login_hint skips the page; the redirect carries a 64-character code and the state', async () => {
      const res = await fetch(`${s.url}/open-apis/authen/v1/authorize?client_id=cli_acme&redirect_uri=${encodeURIComponent(`${CALLBACK}?keep=1`)}&state=a%26b&login_hint=lisi`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.origin + location.pathname, CALLBACK);
      assert.equal(location.searchParams.get('keep'), '1');
      assert.equal(location.searchParams.get('state'), 'a&b');
      assert.match(location.searchParams.get('code')!, /^[A-Za-z0-9_-]{64,}$/);
    });

    test('the SDK: userAccessToken.initWithCode then get; user_info; an event created as that user; refresh through get', async () => {
      const client = s.lark();
      const code = await signIn(s, { user: 'wangwu' });
      const init = await client.userAccessToken.initWithCode({ wangwu: code });
      assert.match(init.wangwu.token!, /^u-/);
      assert.match(init.wangwu.refreshToken!, /^ur-/);
      const token = (await client.userAccessToken.get('wangwu')) as string;
      assert.equal(token, init.wangwu.token);
      const info = await client.authen.userInfo.get({}, lark.withUserAccessToken(token));
      assert.equal(info.data!.name, '王五');
      assert.equal(info.data!.open_id, 'ou_wangwu');
      const created = await createEvent(s, token, await primaryId(s, token));
      assert.equal(created.code, 0);
      assert.equal(created.data!.event!.event_organizer!.display_name, '王五');

      // Make the cached token due: get() refreshes with the refresh token.
      await client.userAccessToken.update({ wangwu: { token, refreshToken: init.wangwu.refreshToken, expiredTime: 0 } });
      const refreshed = (await client.userAccessToken.get('wangwu')) as string;
      assert.ok(refreshed && refreshed !== token);
      assert.equal((await client.authen.userInfo.get({}, lark.withUserAccessToken(refreshed))).data!.user_id, 'wangwu');
      // The spent refresh token fails (HTTP 200 on v1), with the refresh-token code.
      const again = await client.authen.oidcRefreshAccessToken.create({ data: { grant_type: 'refresh_token', refresh_token: init.wangwu.refreshToken! } });
      assert.equal(again.code, 20026);
    });

    test('v1 OIDC: the response shape; bad app token 20014; another app\'s code 20024; a used code 20036 (all HTTP 200)', async () => {
      const client = s.lark();
      const ok = await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: await signIn(s) } });
      assert.equal(ok.code, 0);
      assert.equal(ok.data!.token_type, 'Bearer');
      assert.equal(ok.data!.expires_in, 7199);
      assert.equal(ok.data!.refresh_expires_in, 2591999);

      const bad = await fetch(`${s.url}/open-apis/authen/v1/oidc/access_token`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t-forged' }, body: JSON.stringify({ grant_type: 'authorization_code', code: 'x' }),
      });
      assert.equal(bad.status, 200);
      assert.equal((await bad.json()).code, 20014);

      const foreign = await s.lark('cli_acme2').authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: await signIn(s) } });
      assert.equal(foreign.code, 20024);

      const code = await signIn(s);
      assert.equal((await client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } })).code, 0);
      const twice = await feishuFailure(client.authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } }));
      assert.deepEqual([twice.status, twice.code], [200, 20036]);
    });

    test('older v1 access_token and refresh_access_token carry the profile', async () => {
      const client = s.lark();
      const first = await client.authen.accessToken.create({ data: { grant_type: 'authorization_code', code: await signIn(s, { user: 'zhaoliu', path: 'index' }) } });
      assert.equal(first.code, 0);
      assert.equal(first.data!.name, '赵六');
      assert.equal(first.data!.tenant_key, 'acme');
      const next = await client.authen.refreshAccessToken.create({ data: { grant_type: 'refresh_token', refresh_token: first.data!.refresh_token! } });
      assert.equal(next.code, 0);
      assert.equal(next.data!.open_id, 'ou_zhaoliu');
      assert.notEqual(next.data!.refresh_token, first.data!.refresh_token);
    });

    test('v2 authorization_code: a flat body; PKCE S256 and plain; a wrong or missing verifier is 20049', async () => {
      const { verifier, challenge } = pkcePair();
      const wrong = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { challenge, method: 'S256' }), code_verifier: `${verifier}x` });
      assert.deepEqual([wrong.status, wrong.body.code, wrong.body.error], [400, 20049, 'invalid_grant']);
      const missing = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { challenge, method: 'S256' }) });
      assert.deepEqual([missing.status, missing.body.code], [400, 20049]);
      const ok = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { challenge, method: 'S256', scope: 'calendar:calendar offline_access' }), code_verifier: verifier, redirect_uri: CALLBACK });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.code, 0);
      assert.equal(ok.body.expires_in, 7200);
      assert.equal(ok.body.refresh_token_expires_in, 604800);
      assert.equal(ok.body.token_type, 'Bearer');
      assert.equal(ok.body.scope, 'calendar:calendar offline_access');
      assert.equal(ok.body.data, undefined);
      const plainVerifier = 'p'.repeat(43);
      const plain = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { challenge: plainVerifier }), code_verifier: plainVerifier });
      assert.equal(plain.body.code, 0);
      // A PKCE code cannot be redeemed where no verifier can be sent.
      const v1 = await s.lark().authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code: await signIn(s, { challenge, method: 'S256' }) } });
      assert.equal(v1.code, 20036);
    });

    test('v2 error codes: 20001 missing, 20002 bad client, 20003 unknown code, 20004 expired, 20071 redirect mismatch', async () => {
      assert.equal((await v2Token(s, { code: 'x' })).body.code, 20001);
      assert.equal((await v2Token(s, { grant_type: 'authorization_code' })).body.code, 20001);
      const badClient = await v2Token(s, { grant_type: 'authorization_code', code: 'x', client_secret: 'nope' });
      assert.deepEqual([badClient.status, badClient.body.code, badClient.body.error], [400, 20002, 'invalid_client']);
      assert.equal((await v2Token(s, { grant_type: 'authorization_code', code: 'no-such-code' })).body.code, 20003);
      const mismatch = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s), redirect_uri: 'http://127.0.0.1:9/other' });
      assert.equal(mismatch.body.code, 20071);
      const late = await signIn(s);
      s.clock.advance(301);
      try {
        const expired = await v2Token(s, { grant_type: 'authorization_code', code: late });
        assert.deepEqual([expired.status, expired.body.code], [400, 20004]);
      } finally {
        s.clock.advance(-301);
      }
    });

    test('a code used twice: 20065, and what the first use issued is revoked (access 99991668, refresh 20064)', async () => {
      const code = await signIn(s, { scope: 'calendar:calendar offline_access' });
      const first = await v2Token(s, { grant_type: 'authorization_code', code });
      assert.equal(first.body.code, 0);
      await primaryId(s, first.body.access_token);
      const second = await v2Token(s, { grant_type: 'authorization_code', code });
      assert.deepEqual([second.status, second.body.code], [400, 20065]);
      const call = await feishuFailure(s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(first.body.access_token)));
      assert.equal(call.code, 99991668);
      const refresh = await v2Token(s, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      assert.equal(refresh.body.code, 20064);
    });

    test('concurrent exchanges of one code, and of one refresh token: exactly one wins', async () => {
      const code = await signIn(s, { scope: 'calendar:calendar offline_access' });
      const both = await Promise.all([1, 2, 3].map(() => v2Token(s, { grant_type: 'authorization_code', code })));
      assert.deepEqual(both.map((r) => r.body.code).sort(), [0, 20065, 20065]);
      const refresh = both.find((r) => r.body.code === 0)!.body.refresh_token;
      const refreshed = await Promise.all([1, 2, 3].map(() => v2Token(s, { grant_type: 'refresh_token', refresh_token: refresh })));
      // The grant was revoked by the code's reuse, so no refresh may win either.
      assert.deepEqual(refreshed.map((r) => r.body.code), [20064, 20064, 20064]);
      const other = (await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { scope: 'offline_access' }) })).body.refresh_token;
      const raced = await Promise.all([1, 2, 3].map(() => v2Token(s, { grant_type: 'refresh_token', refresh_token: other })));
      assert.deepEqual(raced.map((r) => r.body.code).sort(), [0, 20026, 20026]);
    });

    test('v2 refresh rotates: the old refresh token fails 20026; the old access token has a minute\'s grace; no offline_access, no refresh token', async () => {
      const first = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { scope: 'calendar:calendar offline_access' }) });
      const second = await v2Token(s, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      assert.equal(second.body.code, 0);
      assert.notEqual(second.body.refresh_token, first.body.refresh_token);
      const reused = await v2Token(s, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      assert.deepEqual([reused.status, reused.body.code, reused.body.error], [400, 20026, 'invalid_grant']);
      await primaryId(s, first.body.access_token);
      s.clock.advance(61);
      try {
        assert.equal((await feishuFailure(s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(first.body.access_token)))).code, 99991668);
        await primaryId(s, second.body.access_token);
      } finally {
        s.clock.advance(-61);
      }
      // A v2 refresh token is refused on v1 and the reverse.
      const onV1 = await s.lark().authen.oidcRefreshAccessToken.create({ data: { grant_type: 'refresh_token', refresh_token: second.body.refresh_token } });
      assert.equal(onV1.code, 20026);
      const online = await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { scope: 'calendar:calendar' }) });
      assert.equal(online.body.code, 0);
      assert.equal(online.body.refresh_token, undefined);
    });

    test('scopes: readonly reads but cannot create (99991679 naming the scopes); event:update may patch; sandbox tokens hold every scope', async () => {
      const ro = (await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { scope: 'calendar:calendar:readonly' }) })).body.access_token;
      const cal = await primaryId(s, ro);
      const refused = await feishuFailure(createEvent(s, ro, cal));
      assert.deepEqual([refused.status, refused.code], [400, 99991679]);
      assert.ok(refused.body.error.permission_violations.some((v: { subject: string }) => v.subject === 'calendar:calendar'));
      const full = await s.userToken('zhangsan');
      const event = (await createEvent(s, full, cal)).data!.event!;
      const updater = (await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { scope: 'calendar:calendar.event:update' }) })).body.access_token;
      const patched = await s.lark().calendar.v4.calendarEvent.patch({ path: { calendar_id: cal, event_id: event.event_id }, data: { summary: 'renamed' } }, lark.withUserAccessToken(updater));
      assert.equal(patched.code, 0);
      const cannotRead = await feishuFailure(s.lark().calendar.v4.calendarEvent.get({ path: { calendar_id: cal, event_id: event.event_id } }, lark.withUserAccessToken(updater)));
      assert.equal(cannotRead.code, 99991679);
    });

    test('sandbox revoke: by refresh token or access token; both stop working', async () => {
      const issued = (await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s, { scope: 'calendar:calendar offline_access' }) })).body;
      const revoke = (token: string) => fetch(`${s.url}/rili/v1/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      assert.equal((await revoke(issued.refresh_token)).status, 200);
      assert.equal((await v2Token(s, { grant_type: 'refresh_token', refresh_token: issued.refresh_token })).body.code, 20064);
      assert.equal((await feishuFailure(s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(issued.access_token)))).code, 99991668);
      const other = (await v2Token(s, { grant_type: 'authorization_code', code: await signIn(s) })).body;
      assert.equal((await revoke(other.access_token)).status, 200);
      assert.equal((await feishuFailure(s.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(other.access_token)))).code, 99991668);
      assert.equal((await revoke(await s.userToken('lisi'))).status, 400);
      assert.equal((await revoke('ur-nothing')).status, 404);
    });
  });
}
