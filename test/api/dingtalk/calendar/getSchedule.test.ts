import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { at, calls, dingtalkFixture, failure, iso, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk GetSchedule (querySchedule)`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('busy time of each user; a tentative answer is TENTATIVE; an unknown user gets an error entry', async () => {
      const { id } = await api.create('on_zhangsan', meeting('busy', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      await api.respond('on_lisi', id, 'tentative');
      await api.create('on_zhangsan', meeting('free time', at(0, 14), { freeBusyStatus: 'free' }));
      const res = await api.schedule('on_wangwu', { userIds: ['on_zhangsan', 'on_lisi', 'on_wangwu', 'on_hank'], startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) });
      const [zhangsan, lisi, wangwu, hank] = res.scheduleInformation;
      assert.deepEqual(zhangsan, {
        userId: 'on_zhangsan',
        scheduleItems: [{ status: 'BUSY', start: { dateTime: '2030-01-07T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2030-01-07T11:00:00+08:00', timeZone: 'Asia/Shanghai' } }],
      });
      assert.equal(lisi.scheduleItems[0].status, 'TENTATIVE');
      assert.deepEqual(wangwu.scheduleItems, []);
      assert.equal(hank.userId, 'on_hank');
      assert.equal(hank.error, 'user not found in this organization');
    });

    test('refusals: paramIllegal for no users, over 20, bad or reversed times', async () => {
      const window = { startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) };
      for (const body of [
        { ...window, userIds: [] },
        { ...window, userIds: Array.from({ length: 21 }, () => 'on_lisi') },
        { userIds: ['on_lisi'], startTime: 'now', endTime: window.endTime },
        { userIds: ['on_lisi'], startTime: window.endTime, endTime: window.startTime },
      ]) {
        const res = await failure(api.schedule('on_zhangsan', body));
        assert.deepEqual([res.status, res.code], [400, 'paramIllegal'], JSON.stringify(body).slice(0, 80));
      }
    });
  });
}
