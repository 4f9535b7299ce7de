import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk DeleteEvent`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the organizer deletes for everyone (pushNotification accepted)', async () => {
      const { id } = await api.create('on_zhangsan', meeting('cancelled', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      const res = await api.del('on_zhangsan', id, { pushNotification: true });
      assert.equal(res.statusCode, 200);
      for (const user of ['on_zhangsan', 'on_lisi']) {
        await assert.rejects(api.get(user, id), (e: any) => e.statusCode === 404, user);
      }
    });

    test('an attendee removes only their own copy', async () => {
      const { id } = await api.create('on_zhangsan', meeting('kept', at(0, 10), { attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }] }));
      await api.del('on_lisi', id, { pushNotification: false });
      await assert.rejects(api.get('on_lisi', id), (e: any) => e.code === 'itemNotFound');
      assert.equal((await api.get('on_zhangsan', id)).summary, 'kept');
      assert.equal((await api.get('on_wangwu', id)).summary, 'kept');
      const seen = (await api.get('on_zhangsan', id)).attendees.find((a: any) => a.id === 'on_lisi');
      assert.equal(seen.responseStatus, 'declined');
    });

    test('an unknown event is itemNotFound; a second delete too', async () => {
      const missing = await failure(api.del('on_zhangsan', UNKNOWN_EVENT_ID));
      assert.deepEqual([missing.status, missing.code], [404, 'itemNotFound']);
      const { id } = await api.create('on_zhangsan', meeting('twice'));
      await api.del('on_zhangsan', id);
      const again = await failure(api.del('on_zhangsan', id));
      assert.deepEqual([again.status, again.code], [404, 'itemNotFound']);
    });
  });
}
