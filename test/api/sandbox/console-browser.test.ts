import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { STORES } from '../../helpers/stores.js';
import { at, calls, dingtalkFixture, meeting } from '../dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../dingtalk/calendar/fixtures.js';

/**
 * The console in a real browser: Debian's chromium driven by playwright-core (the pairing the
 * sign-in test uses, docs/decisions.md). Events made through the official SDKs show in the calendar
 * views, the journal shows a request as it is answered, and a reset empties what the test added.
 * Screenshots go to test-artifacts/console/. Without /usr/bin/chromium the tests skip and say why.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../../../test-artifacts/console/', import.meta.url).pathname;
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) to run the console's browser tests`;

/** 2030-01-07, a Monday: the week every event of this test falls in. */
const WEEK = '2030-01-07';

interface Calendars { lisi: string; zhangsan: string }

async function calendarsOf(f: DingtalkFixture): Promise<Calendars> {
  const res = await fetch(`${f.s.url}/rili/v1/directory`);
  const body = await res.json() as { tenants: Array<{ tenant_key: string; users: Array<{ user_id: string; union_id: string; calendars: Array<{ calendar_id: string; type: string }> }> }> };
  const acme = body.tenants.find((t) => t.tenant_key === 'acme')!;
  const primaryOf = (union: string) => acme.users.find((u) => u.union_id === union)!.calendars.find((c) => c.type === 'primary')!.calendar_id;
  return { lisi: primaryOf('on_lisi'), zhangsan: primaryOf('on_zhangsan') };
}

for (const kind of STORES) {
  describe(`${kind}: the console in headless Chromium`, { skip }, () => {
    let f: DingtalkFixture;
    let browser: Browser;
    let page: Page;
    let cals: Calendars;
    const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${kind}-${name}.png`, fullPage: true });

    before(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      f = await dingtalkFixture(kind);
      cals = await calendarsOf(f);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      page = await browser.newPage({ viewport: { width: 1400, height: 900 }, timezoneId: 'Asia/Shanghai', locale: 'en-GB' });
      page.on('pageerror', (error) => assert.fail(`the console threw: ${error.message}`));
      // The reset button asks first.
      page.on('dialog', (dialog) => void dialog.accept());
    });
    after(async () => {
      await browser?.close();
      await f?.close();
    });

    const openWeek = async (calendarId: string, view = 'timeGridWeek') => {
      await page.goto(`${f.s.url}/rili/#calendar&cal=${encodeURIComponent(calendarId)}&date=${WEEK}&view=${view}`);
      await page.locator('.fc').waitFor();
    };

    test('serves the page, its script and FullCalendar itself (nothing from a CDN)', async () => {
      const html = await fetch(`${f.s.url}/rili/`);
      assert.equal(html.status, 200);
      assert.match(html.headers.get('content-type')!, /^text\/html/);
      assert.match(html.headers.get('content-security-policy')!, /default-src 'self'/);
      const text = await html.text();
      assert.doesNotMatch(text, /https?:\/\//, 'no outside URL in the page');
      const fc = await fetch(`${f.s.url}/rili/assets/fullcalendar.js`);
      assert.equal(fc.status, 200);
      assert.match(await fc.text(), /FullCalendar/);
      assert.equal((await fetch(`${f.s.url}/rili/assets/nope.js`)).status, 404);
      const bare = await fetch(`${f.s.url}/rili`, { redirect: 'manual' });
      assert.equal(bare.status, 302);
      assert.equal(bare.headers.get('location'), '/rili/');
    });

    test('an event created through the Feishu SDK appears in the week view with its title', async () => {
      const client = f.s.lark();
      const lisi = lark.withUserAccessToken(await f.s.userToken('lisi'));
      const made = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: cals.lisi },
        data: { summary: 'Design review (Feishu SDK)', start_time: { timestamp: String(at(2, 14)) }, end_time: { timestamp: String(at(2, 15)) } },
      }, lisi);
      assert.equal(made.code, 0, made.msg);

      await openWeek(cals.lisi);
      const event = page.locator('.fc-timegrid-event', { hasText: 'Design review (Feishu SDK)' });
      await event.waitFor();
      await event.click();
      await page.locator('#event-detail:not([hidden])').waitFor();
      assert.equal(await page.locator('#event-title').textContent(), 'Design review (Feishu SDK)');
      assert.match((await page.locator('#event-json').textContent())!, new RegExp(made.data!.event!.event_id));
      await shot('feishu-week');
    });

    test('a DingTalk-created series shows its instances', async () => {
      const api = calls(f);
      const series = await api.create('on_zhangsan', meeting('Standup (DingTalk)', at(0, 10), {
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 5 } },
      }));
      assert.ok(series.id);
      // Thursday's standup moved an hour later through Feishu: an exception in place of its instance.
      const uid = (series.id as string).replace(/_0$/, '');
      const moved = await f.s.lark().calendar.v4.calendarEvent.patch({
        path: { calendar_id: cals.zhangsan, event_id: `${uid}_${at(3, 10)}` },
        data: { summary: 'Standup, moved (Feishu SDK)', start_time: { timestamp: String(at(3, 11)) }, end_time: { timestamp: String(at(3, 12)) } },
      }, lark.withUserAccessToken(await f.s.userToken('zhangsan')));
      assert.equal(moved.code, 0, moved.msg);

      await openWeek(cals.zhangsan);
      const instances = page.locator('.fc-timegrid-event.kind-instance', { hasText: 'Standup (DingTalk)' });
      await page.waitForFunction(() => document.querySelectorAll('.fc-timegrid-event.kind-instance').length >= 4);
      assert.equal(await instances.count(), 4, 'Monday to Friday, but Thursday');
      const exception = page.locator('.fc-timegrid-event.kind-exception', { hasText: 'Standup, moved (Feishu SDK)' });
      await exception.click();
      assert.match((await page.locator('#event-fields').textContent())!, /exception of a series/);
      await instances.nth(2).click();
      assert.match((await page.locator('#event-fields').textContent())!, /instance of a series/);
      await shot('dingtalk-series-week');

      await openWeek(cals.zhangsan, 'dayGridMonth');
      await page.waitForFunction(() => document.querySelectorAll('.fc-daygrid-event.kind-instance').length >= 4);
      await shot('dingtalk-series-month');
      await openWeek(cals.zhangsan, 'timeGridDay');
      await page.locator('.fc-timegrid-event.kind-instance', { hasText: 'Standup (DingTalk)' }).waitFor();
    });

    test('the directory lists users, apps with their credentials and rooms; a user token is minted', async () => {
      await page.goto(`${f.s.url}/rili/#directory`);
      const acme = page.locator('article.tenant[data-tenant="acme"]');
      await acme.waitFor();
      assert.match((await acme.textContent())!, /cli_acme/);
      assert.match((await acme.textContent())!, /Room 1/);
      assert.doesNotMatch((await acme.textContent())!, /acme-secret/, 'secrets are copied, not shown');
      await acme.locator('form.mint button').click();
      const token = acme.locator('form.mint output code.token');
      await token.waitFor();
      const minted = (await token.textContent())!;
      const res = await fetch(`${f.s.url}/open-apis/calendar/v4/calendars/primary`, { method: 'POST', headers: { authorization: `Bearer ${minted}` } });
      assert.equal(((await res.json()) as { code: number }).code, 0, 'the minted token works');
      await shot('directory');
    });

    test('the journal shows a request as it happens', async () => {
      await page.goto(`${f.s.url}/rili/#journal`);
      await page.locator('#journal-live.on').waitFor();
      const path = '/open-apis/calendar/v4/calendars/' + cals.lisi;
      const res = await fetch(`${f.s.url}${path}`, { headers: { authorization: `Bearer ${await f.s.userToken('lisi')}` } });
      assert.equal(res.status, 200);
      const row = page.locator(`#journal-rows tr[data-path="${path}"]`);
      await row.waitFor();
      await row.click();
      await page.locator('#journal-detail:not([hidden])').waitFor();
      assert.match((await page.locator('#journal-title').textContent())!, new RegExp(`GET ${path} → 200`));
      assert.match((await page.locator('#journal-response').textContent())!, /"calendar_id"/);
      assert.doesNotMatch((await page.locator('#journal-request').textContent())!, /Bearer [^"\]]{20}/, 'the token is redacted');
      await shot('journal');
    });

    test('reset empties what the test added', async () => {
      await openWeek(cals.lisi);
      await page.locator('.fc-timegrid-event', { hasText: 'Design review (Feishu SDK)' }).waitFor();
      await page.goto(`${f.s.url}/rili/#sandbox`);
      await page.locator('#reset').click();
      await page.locator('#banner', { hasText: 'reset to the seed' }).waitFor();
      await shot('sandbox');
      await openWeek(cals.lisi);
      await page.locator('#calendar-note', { hasText: '0 in view' }).waitFor();
      assert.equal(await page.locator('.fc-event').count(), 0);
      await openWeek(cals.zhangsan);
      await page.locator('#calendar-note', { hasText: '0 in view' }).waitFor();
      assert.equal(await page.locator('.fc-event').count(), 0);
    });
  });
}
