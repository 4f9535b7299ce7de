import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { STORES } from '../../helpers/stores.js';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

/**
 * The whole sign-in in a real browser: Debian's chromium, driven by playwright-core pinned to the
 * release that bundles the same Chromium major (docs/decisions.md). A tiny app redirects to rili's
 * page; the test clicks a user; the app gets the code, exchanges it through the Feishu SDK and
 * creates an event as that user. Without /usr/bin/chromium the test skips and says why.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../../test-artifacts/', import.meta.url).pathname;
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run the browser sign-in test`;

/** The app under test: /login starts a sign-in; /callback finishes it and shows what happened. */
function loopbackApp(s: TestServer): Promise<{ url: string; server: HttpServer }> {
  const client = s.lark();
  // The handler answers every outcome itself (its catch), so nothing needs its promise.
  const server = createServer((req, res) => void (async () => {
    const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = new URL(req.url!, self);
    const send = (status: number, text: string) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
    try {
      if (url.pathname === '/login') {
        const authorize = new URL('/open-apis/authen/v1/authorize', s.url);
        authorize.search = new URLSearchParams({ client_id: 'cli_acme', redirect_uri: `${self}/callback`, scope: 'calendar:calendar offline_access', state: 'browser-state', response_type: 'code' }).toString();
        return res.writeHead(302, { location: authorize.toString() }).end();
      }
      if (url.pathname === '/callback') {
        if (url.searchParams.get('state') !== 'browser-state') return send(400, 'state mismatch');
        const error = url.searchParams.get('error');
        if (error) return send(200, `refused: ${error}`);
        const code = url.searchParams.get('code')!;
        await client.userAccessToken.initWithCode({ visitor: code });
        const token = (await client.userAccessToken.get('visitor')) as string;
        const me = await client.authen.userInfo.get({}, lark.withUserAccessToken(token));
        const primary = await client.calendar.v4.calendar.primary({}, lark.withUserAccessToken(token));
        const created = await client.calendar.v4.calendarEvent.create({
          path: { calendar_id: primary.data!.calendars![0].calendar!.calendar_id },
          data: { summary: 'made in the browser test', start_time: { timestamp: '1790000000' }, end_time: { timestamp: '1790003600' } },
        }, lark.withUserAccessToken(token));
        return send(200, `signed in as ${me.data!.name}; event ${created.data!.event!.event_id} organised by ${created.data!.event!.event_organizer!.display_name}`);
      }
      return send(404, 'not found');
    } catch (e) {
      return send(500, String(e));
    }
  })());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

for (const kind of STORES) {
  describe(`${kind}: signing in through the page in headless Chromium`, { skip }, () => {
    let s: TestServer;
    let app: { url: string; server: HttpServer };
    let browser: BrowserContext;
    let profile: string;
    before(async () => {
      s = await startServer(kind);
      app = await loopbackApp(s);
      profile = mkdtempSync(join(tmpdir(), 'rili-chromium-'));
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });
    after(async () => {
      await browser?.close();
      await new Promise((resolve) => app?.server.close(resolve));
      await s?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    test('a click on a user signs them in: the app gets a code, exchanges it with the SDK and creates an event as them', async () => {
      const page = await browser.newPage();
      await page.goto(`${app.url}/login`);
      assert.match(await page.title(), /Sign in to Acme Bot/);
      mkdirSync(ARTIFACTS, { recursive: true });
      const shot = join(ARTIFACTS, `sign-in-page-${kind}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      assert.ok(statSync(shot).size > 1000);
      await page.getByRole('button', { name: /李四/ }).click();
      await page.waitForURL(/\/callback\?/);
      const text = await page.locator('body').innerText();
      assert.match(text, /^signed in as 李四; event \S+ organised by 李四$/);
      const eventId = /event (\S+) organised/.exec(text)![1];
      const stored = await s.server.ctx.store.read((r) => r.events.event(eventId));
      assert.equal(stored?.summary, 'made in the browser test');
    });

    test('Deny sends the browser back with error=access_denied', async () => {
      const page = await browser.newPage();
      await page.goto(`${app.url}/login`);
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL(/\/callback\?/);
      assert.equal(await page.locator('body').innerText(), 'refused: access_denied');
      assert.equal(new URL(page.url()).searchParams.get('error'), 'access_denied');
    });
  });
}
