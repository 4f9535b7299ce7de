import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, calls, dingtalkFixture, failure, iso, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk GetScheduleByMe`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const scheduleByMe = (token: string, body: object) =>
      (f.client).getScheduleByMeWithOptions(new $Calendar.GetScheduleByMeRequest(body), f.headers('GetScheduleByMe', { token }), runtime())
        .then((res: any) => JSON.parse(JSON.stringify(res.body)));
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('asked by the token\'s user: the same busy time as GetSchedule', async () => {
      await api.create('on_wangwu', meeting('busy', at(0, 10)));
      const body = { userIds: ['on_wangwu'], startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) };
      const mine = await scheduleByMe(await f.userToken('zhaoliu'), body);
      assert.equal(mine.scheduleInformation[0].userId, 'on_wangwu');
      assert.equal(mine.scheduleInformation[0].scheduleItems.length, 1);
      assert.deepEqual(mine, await api.schedule('on_zhaoliu', body));
    });

    test('an app token is permissionDeny; bad input names its field', async () => {
      const body = { userIds: ['on_wangwu'], startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) };
      assert.equal((await failure(scheduleByMe(f.token, body))).code, 'permissionDeny');
      const bad = await failure(scheduleByMe(await f.userToken('zhaoliu'), { ...body, userIds: [] }));
      assert.match(bad.message, /userIds/);
    });
  });
}
