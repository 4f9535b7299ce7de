import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedFromJson } from '../../../../src/seed.js';
import { STORES } from '../../../helpers/stores.js';
import { startServer } from '../../../helpers/server.js';
import type { TestServer } from '../../../helpers/server.js';
import { CALLBACK } from './sign-in-helpers.js';

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

for (const kind of STORES) {
  describe(`${kind}: the sign-in page`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer(kind);
      // A user whose name would be markup if it were not escaped.
      await s.server.ctx.directory.applySeed(seedFromJson({ tenants: [{ tenant_key: 'acme', users: [{ user_id: 'evil', name: '<img src=x onerror=alert(1)>"&' }] }] }));
    });
    after(() => s.close());

    const page = (query: string) => fetch(`${s.url}/open-apis/authen/v1/authorize?${query}`, { redirect: 'manual' });

    test('lists the tenant\'s users, escaped, with safe headers and a SameSite=Strict CSRF cookie', async () => {
      const res = await page(`client_id=cli_acme&redirect_uri=${encodeURIComponent(CALLBACK)}&scope=calendar:calendar&state=s`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.match(res.headers.get('set-cookie')!, /HttpOnly; SameSite=Strict/);
      const html = await res.text();
      for (const name of ['张三', '李四', '周八']) assert.ok(html.includes(name), name);
      assert.ok(!html.includes('Hank'), 'another tenant\'s user is not listed');
      assert.ok(!html.includes('<img'), 'markup in a name is escaped');
      assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&amp;'));
      assert.match(html, /<form method="post" action="\/open-apis\/authen\/v1\/authorize">/);
      assert.ok(html.includes('value="deny"'));
    });

    test('no redirect to an unknown app\'s or an unregistered URI: an error page instead', async () => {
      const unknown = await page(`client_id=cli_nope&redirect_uri=${encodeURIComponent(CALLBACK)}`);
      assert.equal(unknown.status, 400);
      assert.equal(unknown.headers.get('location'), null);
      // cli_acme2 registered https://app.acme.example/callback only.
      const unregistered = await page(`client_id=cli_acme2&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&login_hint=lisi`);
      assert.equal(unregistered.status, 400);
      assert.equal(unregistered.headers.get('location'), null);
      assert.match(await unregistered.text(), /not registered/);
      const registered = await page(`client_id=cli_acme2&redirect_uri=${encodeURIComponent('https://app.acme.example/callback')}&login_hint=lisi`);
      assert.equal(registered.status, 302);
      assert.match(registered.headers.get('location')!, /^https:\/\/app\.acme\.example\/callback\?code=/);
      const relative = await page(`client_id=cli_acme&redirect_uri=${encodeURIComponent('/local')}`);
      assert.equal(relative.status, 400);
      const js = await page(`client_id=cli_acme&redirect_uri=${encodeURIComponent('javascript:alert(1)')}`);
      assert.equal(js.status, 400);
    });

    test('request errors with a trusted redirect URI go back to the app', async () => {
      const res = await page(`client_id=cli_acme&redirect_uri=${encodeURIComponent(CALLBACK)}&code_challenge_method=S512&state=z`);
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location')!);
      assert.equal(location.searchParams.get('error'), 'invalid_request');
      assert.equal(location.searchParams.get('state'), 'z');
    });

    test('the form: a choice needs the cookie and the untouched ticket; Deny gives access_denied', async () => {
      const res = await page(`client_id=cli_acme&redirect_uri=${encodeURIComponent(CALLBACK)}&state=s1`);
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      const html = await res.text();
      const ticket = hidden(html, 'ticket')!;
      const csrf = hidden(html, 'csrf')!;
      const userId = /name="user" value="([^"]+)">李四/.exec(html)![1];
      const post = (fields: Record<string, string>, withCookie = true) => fetch(`${s.url}/open-apis/authen/v1/authorize`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withCookie ? { cookie } : {}) },
        body: new URLSearchParams(fields).toString(),
      });
      // Another site posting the same form has no cookie (SameSite=Strict): refused, nothing issued.
      assert.equal((await post({ ticket, csrf, user: userId }, false)).status, 403);
      assert.equal((await post({ ticket: `${ticket}x`, csrf, user: userId })).status, 400);
      const hank = (await s.server.ctx.store.read((r) => r.directory.userByAnyId('globex', 'hank')))!;
      assert.equal((await post({ ticket, csrf, user: hank.id })).status, 400);
      const denied = await post({ ticket, csrf, decision: 'deny' });
      assert.equal(denied.status, 302);
      const deniedAt = new URL(denied.headers.get('location')!);
      assert.deepEqual([deniedAt.searchParams.get('error'), deniedAt.searchParams.get('state'), deniedAt.searchParams.get('code')], ['access_denied', 's1', null]);
      const chosen = await post({ ticket, csrf, user: userId });
      assert.equal(chosen.status, 302);
      const code = new URL(chosen.headers.get('location')!).searchParams.get('code')!;
      const token = await s.lark().authen.oidcAccessToken.create({ data: { grant_type: 'authorization_code', code } });
      assert.equal(token.code, 0);
      // The page expires after ten minutes.
      s.clock.advance(601);
      try {
        assert.equal((await post({ ticket, csrf, user: userId })).status, 400);
      } finally {
        s.clock.advance(-601);
      }
    });

    test('the legacy /authen/v1/index page shows the same consent', async () => {
      const res = await fetch(`${s.url}/open-apis/authen/v1/index?app_id=cli_acme&redirect_uri=${encodeURIComponent(CALLBACK)}&state=x`);
      assert.equal(res.status, 200);
      assert.ok((await res.text()).includes('王五'));
    });
  });
}
