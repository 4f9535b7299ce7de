import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk GetEvent`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the event with status confirmed; maxAttendees caps the attendee list', async () => {
      const { id } = await api.create('on_zhangsan', meeting('big', at(0, 10), { attendees: ['on_lisi', 'on_wangwu', 'on_zhaoliu'].map((u) => ({ id: u })) }));
      const full = await api.get('on_zhangsan', id);
      assert.equal(full.status, 'confirmed');
      assert.equal(full.attendees.length, 4);
      assert.equal((await api.get('on_zhangsan', id, { maxAttendees: 2 })).attendees.length, 2);
      for (const maxAttendees of [0, 501]) {
        const res = await failure(api.get('on_zhangsan', id, { maxAttendees }));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', 'maxAttendees must be between 1 and 500']);
      }
    });

    test('an occurrence of a series: its own id, seriesMasterId and originStart (UTC)', async () => {
      const series = await api.create('on_zhangsan', meeting('standup', at(0, 9), { recurrence: { pattern: { type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 5 } } }));
      const second = `${series.id.slice(0, -2)}_${at(1, 9)}`;
      const e = await api.get('on_zhangsan', second);
      assert.deepEqual([e.id, e.seriesMasterId, e.originStart], [second, series.id, { dateTime: '2030-01-08T01:00:00Z' }]);
      assert.equal(e.start.dateTime, '2030-01-08T09:00:00+08:00');
      assert.equal(e.recurrence, undefined);
      assert.equal(series.recurrence.pattern.type, 'daily');
    });

    test('unknown and malformed ids are itemNotFound; a deleted event is instanceNotExist', async () => {
      for (const id of [UNKNOWN_EVENT_ID, 'cnNTbWxxx']) {
        const res = await failure(api.get('on_zhangsan', id));
        assert.deepEqual([res.status, res.code], [404, 'itemNotFound']);
      }
      const { id } = await api.create('on_zhangsan', meeting('gone'));
      await api.del('on_zhangsan', id);
      const res = await failure(api.get('on_zhangsan', id));
      assert.deepEqual([res.status, res.code, res.message], [404, 'instanceNotExist', 'instance not exist']);
    });

    test('another user\'s event is not in this user\'s calendar', async () => {
      const { id } = await api.create('on_zhangsan', meeting('private'));
      const res = await failure(api.get('on_sunqi', id));
      assert.deepEqual([res.status, res.code], [404, 'itemNotFound']);
    });
  });
}
