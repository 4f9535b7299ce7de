import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { calls, dingtalkFixture, failure, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk RemoveAttendee`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the organizer removes users; the event leaves their calendars; someone not invited is passed over', async () => {
      const { id } = await api.create('on_zhangsan', meeting('trimmed', undefined, { attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }] }));
      const res = await api.removeAttendees('on_zhangsan', id, { attendeesToRemove: [{ id: 'on_lisi' }, { id: 'on_sunqi' }, { id: 'on_zhangsan' }] });
      assert.equal(res.statusCode, 200);
      assert.deepEqual((await api.get('on_zhangsan', id)).attendees.map((a: any) => a.id).sort(), ['on_wangwu', 'on_zhangsan']);
      await assert.rejects(api.get('on_lisi', id), (e: any) => e.code === 'itemNotFound');
    });

    test('refusals: none named, over 500, an attendee removing others', async () => {
      const { id } = await api.create('on_zhangsan', meeting('guarded', undefined, { attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }] }));
      assert.equal((await failure(api.removeAttendees('on_zhangsan', id, { attendeesToRemove: [] }))).code, 'invalidParameter');
      const many = await failure(api.removeAttendees('on_zhangsan', id, { attendeesToRemove: Array.from({ length: 501 }, () => ({ id: 'on_lisi' })) }));
      assert.deepEqual([many.code, many.message], ['invalidParameter', 'at most 500 attendees per call, got 501']);
      const denied = await failure(api.removeAttendees('on_lisi', id, { attendeesToRemove: [{ id: 'on_wangwu' }] }));
      assert.deepEqual([denied.status, denied.code], [400, 'permissionDeny']);
    });
  });
}
