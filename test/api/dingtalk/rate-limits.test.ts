import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClock } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';
import { calls, dingtalkFixture, failure } from './calendar/fixtures.js';
import type { DingtalkFixture } from './calendar/fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk rate limits`, () => {
    let f: DingtalkFixture;
    const clock = new TestClock(Date.parse('2030-01-01T00:00:00.100Z'));
    before(async () => { f = await dingtalkFixture(kind, { clock, rateLimit: 'on' }); });
    after(() => f.close());

    test('20 calls a second per app and API; the 21st is 403 Forbidden.AccessDenied.QpsLimitForApi', async () => {
      const api = calls(f);
      for (let i = 0; i < 20; i++) assert.ok((await api.calendars('on_lisi')).response, `call ${i}`);
      const refused = await failure(api.calendars('on_lisi'));
      assert.deepEqual([refused.status, refused.code], [403, 'Forbidden.AccessDenied.QpsLimitForApi']);
      assert.ok(refused.data.requestid);
      clock.advance(1);
      assert.ok((await api.calendars('on_lisi')).response);
    });

    test('100 calls a second per app across APIs; past that 429 system.busy', async () => {
      clock.advance(1);
      const headers = { 'x-acs-dingtalk-access-token': f.token };
      const base = `${f.s.url}/v1.0/calendar/users/on_lisi`;
      const bogus = '00000000-0000-4000-8000-000000000000_0';
      // Five APIs, 20 calls each: every per-API budget is spent, and the app's 100 with them.
      const apis = [`${base}/calendars`, `${base}/calendars/primary/events`, `${base}/calendars/primary/eventsview`,
        `${base}/calendars/primary/events/${bogus}`, `${base}/calendars/primary/events/${bogus}/attendees`];
      for (const url of apis) {
        for (let i = 0; i < 20; i++) {
          const r = await fetch(url, { headers });
          await r.arrayBuffer();
          assert.notEqual(r.status, 429, `${url} call ${i}`);
          assert.notEqual(r.status, 403, `${url} call ${i}`);
        }
      }
      // A sixth API has its own budget left, but the app has none.
      const busy = await fetch(`${base}/calendars/primary/events/${bogus}/instances`, { headers });
      const body = (await busy.json()) as { code: string; requestid: string };
      assert.deepEqual([busy.status, body.code], [429, 'system.busy']);
      assert.ok(body.requestid);
    });
  });
}
