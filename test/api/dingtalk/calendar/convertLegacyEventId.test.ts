import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ConvertLegacyEventId`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const convert = async (user: string, legacyEventIds: unknown) =>
      JSON.parse(JSON.stringify((await f.client.convertLegacyEventIdWithOptions(user, new $Calendar.ConvertLegacyEventIdRequest({ legacyEventIds }), f.headers('ConvertLegacyEventId'), runtime())).body));
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('a legacy id (the event\'s uid) maps to its current id for the organizer and invitees only', async () => {
      const { id } = await api.create('on_zhangsan', meeting('old one', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      const series = await api.create('on_zhangsan', meeting('weekly', at(1, 10), {
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
      }));
      const legacy = id.replace(/_0$/, '');
      const legacySeries = series.id.replace(/_0$/, '');
      assert.deepEqual(await convert('on_zhangsan', [legacy, legacySeries, 'unknown-legacy', id]), {
        legacyEventIdMap: { [legacy]: id, [legacySeries]: series.id },
      });
      assert.deepEqual(await convert('on_lisi', [legacy, legacySeries]), { legacyEventIdMap: { [legacy]: id } });
      assert.deepEqual(await convert('on_sunqi', [legacy]), { legacyEventIdMap: {} });
      await api.del('on_zhangsan', id);
      assert.deepEqual(await convert('on_zhangsan', [legacy]), { legacyEventIdMap: {} });
    });

    test('bad input names its field', async () => {
      const empty = await failure(convert('on_zhangsan', []));
      assert.deepEqual([empty.status, empty.code, /legacyEventIds/.test(empty.message)], [400, 'invalidParameter', true]);
      const many = await failure(convert('on_zhangsan', Array.from({ length: 101 }, (_, i) => `x${i}`)));
      assert.deepEqual([many.code, /legacyEventIds/.test(many.message)], ['invalidParameter', true]);
      const user = await failure(convert('on_nobody', ['x']));
      assert.deepEqual([user.code, /userId/.test(user.message)], ['invalidParameter', true]);
    });
  });
}
