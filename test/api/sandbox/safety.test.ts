import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isLoopbackAddress, isLoopbackHost } from '../../../src/api/sandbox/admin-guard.js';
import { startSandboxServer } from './sandbox-server.js';
import type { SandboxTestServer } from './sandbox-server.js';

test('loopback addresses and host names', () => {
  for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopbackAddress(a), a);
  for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) assert.ok(!isLoopbackAddress(a), String(a));
  for (const h of ['localhost', 'localhost:8080', 'app.localhost:3000', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['evil.example', 'evil.example:8080', '127.0.0.1.evil.example', 'localhost.evil.example', '10.0.0.1:8080', undefined]) assert.ok(!isLoopbackHost(h), String(h));
});

describe('the admin API without an admin token', () => {
  let s: SandboxTestServer;
  before(async () => { s = await startSandboxServer('sqlite'); });
  after(() => s.close());

  test('answers loopback peers naming a loopback host only', async () => {
    const app = s.server.app;
    assert.equal((await app.inject({ method: 'GET', url: '/rili/v1/clock', remoteAddress: '127.0.0.1', headers: { host: 'localhost:8080' } })).statusCode, 200);
    const far = await app.inject({ method: 'GET', url: '/rili/v1/clock', remoteAddress: '192.0.2.7', headers: { host: 'localhost:8080' } });
    assert.equal(far.statusCode, 403);
    assert.equal(far.json().error.code, 'loopback_only');
    // A browser on a page whose name was rebound to 127.0.0.1 sends that name.
    for (const browser of [{ 'sec-fetch-site': 'same-origin' }, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' }, { origin: 'http://evil.example:8080' }]) {
      const rebound = await app.inject({ method: 'GET', url: '/rili/v1/requests', remoteAddress: '127.0.0.1', headers: { host: 'evil.example:8080', ...browser } });
      assert.equal(rebound.statusCode, 403, JSON.stringify(browser));
      assert.equal(rebound.json().error.code, 'host_refused');
    }
    for (const path of ['/rili/', '/rili/v1/directory']) {
      const farConsole = await app.inject({ method: 'GET', url: path, remoteAddress: '192.0.2.7', headers: { host: 'localhost:8080' } });
      assert.equal(farConsole.statusCode, 403, `${path}: the console is loopback-only too`);
    }
    const script = await app.inject({ method: 'GET', url: '/rili/v1/requests', remoteAddress: '127.0.0.1', headers: { host: 'rili.test' } });
    assert.equal(script.statusCode, 200, 'a script on this machine may name any host');
    // The platform APIs are not the admin API: they answer anyone.
    const feishu = await app.inject({ method: 'POST', url: '/open-apis/auth/v3/tenant_access_token/internal', remoteAddress: '192.0.2.7', payload: { app_id: 'cli_acme', app_secret: 'acme-secret' } });
    assert.equal(feishu.json().code, 0);
  });

  test('refuses browser writes from another origin', async () => {
    const write = (headers: Record<string, string>) => s.call('PUT', '/rili/v1/clock', { body: { advance_ms: 0 }, headers });
    const origin = new URL(s.url).origin;
    const crossOrigin: Record<string, string>[] = [{ origin: 'http://evil.example' }, { origin: 'http://localhost:1' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site', origin }, { origin: 'null' }];
    for (const headers of crossOrigin) {
      const res = await write(headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.body.error.code, 'cross_origin_refused');
    }
    assert.equal((await write({ origin })).status, 200, 'the console\'s own origin');
    assert.equal((await write({ 'sec-fetch-site': 'same-origin', origin })).status, 200);
    assert.equal((await write({})).status, 200, 'curl and test code send no Origin');
    assert.equal((await s.call('GET', '/rili/v1/clock', { headers: { origin: 'http://evil.example' } })).status, 200, 'reads are not writes (and no CORS header lets the page read them)');
  });
});

describe('the admin API with --admin-token', () => {
  let s: SandboxTestServer;
  before(async () => { s = await startSandboxServer('sqlite', { adminToken: 'let-me-in' }); });
  after(() => s.close());

  test('needs the token as a Bearer, from any address', async () => {
    const missing = await s.call('GET', '/rili/v1/clock');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'admin_token_required');
    assert.match(missing.headers.get('www-authenticate')!, /^Bearer/);
    assert.equal((await s.call('GET', '/rili/v1/clock', { headers: { authorization: 'Bearer let-me-out' } })).status, 401);
    assert.equal((await s.call('POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'lisi' } })).status, 401);
    assert.equal((await s.call('GET', '/rili/v1/clock', { headers: { authorization: 'Bearer let-me-in' } })).status, 200);
    const far = await s.server.app.inject({ method: 'GET', url: '/rili/v1/clock', remoteAddress: '192.0.2.7', headers: { host: 'rili.example', authorization: 'Bearer let-me-in' } });
    assert.equal(far.statusCode, 200);
    const tenant = await s.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } });
    assert.equal(tenant.body.code, 0, 'the platform APIs need no admin token');
  });

  test('the console\'s page and assets load without it (they hold nothing); its API calls need it', async () => {
    for (const path of ['/rili/', '/rili/assets/console.js', '/rili/assets/fullcalendar.js']) {
      const far = await s.server.app.inject({ method: 'GET', url: path, remoteAddress: '192.0.2.7', headers: { host: 'rili.example' } });
      assert.equal(far.statusCode, 200, path);
    }
    const data = await s.server.app.inject({ method: 'GET', url: '/rili/v1/directory', remoteAddress: '192.0.2.7', headers: { host: 'rili.example' } });
    assert.equal(data.statusCode, 401);
    const post = await s.server.app.inject({ method: 'POST', url: '/rili/', remoteAddress: '192.0.2.7', headers: { host: 'rili.example' } });
    assert.equal(post.statusCode, 401, 'only reading the page is open');
  });
});

describe('--sandbox off', () => {
  let s: SandboxTestServer;
  before(async () => { s = await startSandboxServer('sqlite', { enabled: false }); });
  after(() => s.close());

  test('refuses minting user tokens and every sandbox-only write', async () => {
    for (const [method, path, body] of [
      ['POST', '/rili/v1/user-tokens', { app: 'cli_acme', user: 'lisi' }],
      ['PUT', '/rili/v1/clock', { advance_ms: 1000 }],
      ['PUT', '/rili/v1/faults', { rules: [{ dialect: 'feishu', error: 190004 }] }],
      ['DELETE', '/rili/v1/faults', undefined],
      ['POST', '/rili/v1/reset', {}],
    ] as const) {
      const res = await s.call(method, path, { body });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(res.body.error.code, 'sandbox_off');
    }
  });

  /**
   * Writes that a real calendar backend needs too, so they stay with --sandbox off, and why: an app's
   * push receiver is set at run time, a failed push is sent again, a user's sign-in or CalDAV
   * credential is revoked, and the journal (process memory, no data) is cleared. Every other admin write is a sandbox's alone.
   */
  const KEPT_WITH_SANDBOX_OFF = new Set([
    'PUT /rili/v1/apps/{app_id}/events',
    'POST /rili/v1/deliveries/{id}/redeliver',
    'POST /rili/v1/oauth/revoke',
    'DELETE /rili/v1/caldav-credentials/{user_name}',
    'DELETE /rili/v1/requests',
  ]);

  test('every admin write in the OpenAPI document is refused, but the few a real backend needs', async () => {
    const doc = (await s.call('GET', '/rili/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const writes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/rili/v1/'))
      .flatMap(([path, ops]) => Object.keys(ops).filter((m) => m !== 'get').map((m) => `${m.toUpperCase()} ${path}`));
    assert.ok(writes.length >= 12, `found the admin writes: ${writes.join(', ')}`);
    for (const kept of KEPT_WITH_SANDBOX_OFF) assert.ok(writes.includes(kept), `${kept} is still served`);
    for (const write of writes) {
      const [method, template] = write.split(' ');
      const path = template.replace(/\{[^}]+\}/g, 'x1');
      const res = await s.call(method, path, { body: method === 'DELETE' ? undefined : {} });
      if (KEPT_WITH_SANDBOX_OFF.has(write)) assert.notEqual(res.body?.error?.code, 'sandbox_off', write);
      else {
        assert.equal(res.status, 403, write);
        assert.equal(res.body.error.code, 'sandbox_off', write);
      }
    }
  });

  test('the console still shows what rili holds', async () => {
    assert.equal((await s.call('GET', '/rili/')).status, 200);
    const directory = await s.call('GET', '/rili/v1/directory');
    assert.equal(directory.status, 200);
    assert.ok(directory.body.tenants.length > 0);
  });

  test('the clock is the real one and reads still work', async () => {
    assert.deepEqual((await s.call('GET', '/rili/v1/clock')).body, { now_ms: s.clock.now(), frozen: false });
    assert.deepEqual((await s.call('GET', '/rili/v1/faults')).body, { rules: [] });
    const tenant = await s.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', { body: { app_id: 'cli_acme', app_secret: 'acme-secret' } });
    assert.equal(tenant.body.code, 0);
    assert.equal((await s.call('GET', '/rili/v1/requests?dialect=feishu')).body.requests.length, 1);
  });
});
