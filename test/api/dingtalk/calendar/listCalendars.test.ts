import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { calls, dingtalkFixture, failure } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListCalendars`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the user\'s calendars, wrapped in response; the own primary one is `primary`', async () => {
      const client = f.s.lark();
      const token = await f.s.userToken('lisi');
      const created = await client.calendar.v4.calendar.create({ data: { summary: 'Team' } }, (await import('@larksuiteoapi/node-sdk')).withUserAccessToken(token));
      assert.equal(created.code, 0);
      const { response } = await api.calendars('on_lisi');
      const byType = Object.fromEntries(response.calendars.map((c: any) => [c.type, c]));
      assert.deepEqual(byType.primary, { id: 'primary', summary: '李四', description: '', type: 'primary', timeZone: 'Asia/Shanghai', eTag: byType.primary.eTag, privilege: 'owner' });
      assert.equal(byType.shared.id, created.data!.calendar!.calendar_id);
      assert.equal(byType.shared.summary, 'Team');
    });

    test('an unknown user is invalidParameter', async () => {
      const res = await failure(api.calendars('on_nobody'));
      assert.deepEqual([res.status, res.code], [400, 'invalidParameter']);
    });
  });
}
