import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

/** PUT /rili/v1/apps/{app_id}/events refuses a URL that does not answer the challenge right, and says why. */
describe('PUT /rili/v1/apps/{app_id}/events: the url_verification challenge', () => {
  let s: TestServer;
  let base: string;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (req.url === '/wrong') res.end(JSON.stringify({ challenge: 'not it' }));
      else if (req.url === '/slow') setTimeout(() => res.end(JSON.stringify({ challenge: (JSON.parse(body) as { challenge: string }).challenge })), 1_500);
      else res.end(JSON.stringify({ challenge: (JSON.parse(body) as { challenge: string }).challenge }));
    });
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    s = await startServer('sqlite');
  });
  after(async () => {
    await s.close();
    server.closeAllConnections();
    server.close();
  });

  const put = (appId: string, body: object) => fetch(`${s.url}/rili/v1/apps/${appId}/events`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

  test('a wrong echo and a late one are refused with the reason; nothing is saved', async () => {
    const wrong = await put('cli_acme', { request_url: `${base}/wrong` });
    assert.equal(wrong.status, 400);
    const body = await wrong.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'url_verification_failed');
    assert.match(body.error.message, /did not echo the challenge/);
    const slow = await put('cli_acme', { request_url: `${base}/slow` });
    assert.equal(slow.status, 400);
    assert.match((await slow.json() as { error: { message: string } }).error.message, /not answered within 1000 ms/);
    assert.deepEqual(await (await fetch(`${s.url}/rili/v1/apps/cli_acme/events`)).json(),
      { app_id: 'cli_acme', request_url: null, encrypt_key: null, verification_token: null });
  });

  test('a right echo saves the URL; an unknown app is 404, a Feishu key on a DingTalk app 400', async () => {
    const ok = await put('cli_acme', { request_url: `${base}/ok`, verification_token: 'vt' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { app_id: 'cli_acme', request_url: `${base}/ok`, encrypt_key: null, verification_token: 'vt' });
    assert.equal((await put('cli_nope', {})).status, 404);
    assert.equal((await put('dingacme', { encrypt_key: 'feishu-only' })).status, 400);
  });
});
