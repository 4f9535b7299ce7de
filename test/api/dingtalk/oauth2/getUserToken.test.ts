import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { calendar as $Calendar, contact as $Contact, dingtalkConfig, oauth2 as $Oauth2 } from '../../../helpers/dingtalk.js';
import { STORES } from '../../../helpers/stores.js';
import { startServer } from '../../../helpers/server.js';
import type { TestServer } from '../../../helpers/server.js';

const CALLBACK = 'http://127.0.0.1:9/dingtalk/callback';

/** Runs an SDK call expected to fail; returns its code and status. */
async function failure(call: Promise<unknown>): Promise<{ code: string; statusCode: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code: string; statusCode: number; message: string };
    return { code: e.code, statusCode: e.statusCode, message: e.message };
  }
  throw new Error('the call succeeded');
}

for (const kind of STORES) {
  describe(`${kind}: DingTalk sign-in (oauth2_1_0 GetUserToken, contact_1_0 GetUser)`, () => {
    let s: TestServer;
    let oauth: InstanceType<typeof $Oauth2.default>;
    let contact: InstanceType<typeof $Contact.default>;
    before(async () => {
      s = await startServer(kind);
      oauth = new $Oauth2.default(dingtalkConfig(s.url));
      contact = new $Contact.default(dingtalkConfig(s.url));
    });
    after(() => s.close());

    const authCode = async (user: string) => {
      const res = await fetch(`${s.url}/oauth2/auth?redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&client_id=dingacme&scope=openid&state=dt&prompt=consent&login_hint=${user}`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.searchParams.get('state'), 'dt');
      assert.equal(location.searchParams.get('code'), null, 'DingTalk names it authCode');
      return location.searchParams.get('authCode')!;
    };
    const me = (token: string) => contact.getUserWithOptions('me', new $Contact.GetUserHeaders({ xAcsDingtalkAccessToken: token }), {});
    const userToken = (fields: Record<string, string>) => oauth.getUserToken(new $Oauth2.GetUserTokenRequest({ clientId: 'dingacme', clientSecret: 'acme-secret', ...fields }));

    test('the page lists the users; a code becomes a user token; users/me; the token reads the calendar', async () => {
      const page = await fetch(`${s.url}/oauth2/auth?redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&client_id=dingacme&scope=openid&state=dt`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.ok(html.includes('张三') && html.includes('action="/oauth2/auth"'));

      const res = await userToken({ code: await authCode('lisi'), grantType: 'authorization_code' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.body!.expireIn, 7200);
      assert.equal(res.body!.corpId, 'acme');
      assert.equal(typeof res.body!.refreshToken, 'string');
      const profile = await me(res.body!.accessToken);
      assert.equal(profile.body!.nick, '李四');
      assert.equal(profile.body!.unionId, 'on_lisi');
      const cal = new $Calendar.default(dingtalkConfig(s.url));
      const calendars = await cal.listCalendarsWithOptions('on_lisi', new $Calendar.ListCalendarsHeaders({ xAcsDingtalkAccessToken: res.body!.accessToken }), {});
      assert.equal(calendars.statusCode, 200);
    });

    test('refresh rotates; the spent refresh token and a code used twice are refused; bad client is invalidClientIdOrSecret', async () => {
      const code = await authCode('wangwu');
      const first = await userToken({ code, grantType: 'authorization_code' });
      const again = await failure(userToken({ code, grantType: 'authorization_code' }));
      assert.deepEqual([again.statusCode, again.code], [400, 'invalidParameter']);
      // The code's second use revoked what the first issued.
      assert.equal((await failure(me(first.body!.accessToken))).code, 'InvalidAuthentication');

      const fresh = await userToken({ code: await authCode('wangwu'), grantType: 'authorization_code' });
      const next = await userToken({ refreshToken: fresh.body!.refreshToken!, grantType: 'refresh_token' });
      assert.notEqual(next.body!.refreshToken, fresh.body!.refreshToken);
      assert.equal((await me(next.body!.accessToken)).body!.nick, '王五');
      const spent = await failure(userToken({ refreshToken: fresh.body!.refreshToken!, grantType: 'refresh_token' }));
      assert.equal(spent.code, 'invalidParameter');
      const badClient = await failure(oauth.getUserToken(new $Oauth2.GetUserTokenRequest({ clientId: 'dingacme', clientSecret: 'nope', code: 'x', grantType: 'authorization_code' })));
      assert.deepEqual([badClient.statusCode, badClient.code], [400, 'invalidClientIdOrSecret']);
      const feishuCode = await failure(userToken({ code: 'not-a-code', grantType: 'authorization_code' }));
      assert.equal(feishuCode.code, 'invalidParameter');
    });

    test('users/me with an app token is refused', async () => {
      const app = await oauth.getAccessToken(new $Oauth2.GetAccessTokenRequest({ appKey: 'dingacme', appSecret: 'acme-secret' }));
      assert.equal((await failure(me(app.body!.accessToken))).code, 'InvalidAuthentication');
    });
  });
}
