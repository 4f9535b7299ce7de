import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListEventsInstances`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    let seriesId: string;
    const list = (user: string, query: object) =>
      (f.client).listEventsInstancesWithOptions(user, 'primary', new $Calendar.ListEventsInstancesRequest(query), f.headers('ListEventsInstances'), runtime())
        .then((res: any) => JSON.parse(JSON.stringify(res.body)));
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      seriesId = (await api.create('on_zhangsan', meeting('daily', at(0, 9), {
        attendees: [{ id: 'on_lisi' }],
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 5 } },
      }))).id;
    });
    after(() => f.close());

    test('every occurrence in order; maxResults; startRecurrenceId continues from an occurrence', async () => {
      const all = (await list('on_zhangsan', { seriesMasterId: seriesId })).events;
      assert.equal(all.length, 5);
      assert.ok(all.every((e: any) => e.seriesMasterId === seriesId && e.summary === 'daily'));
      const starts = all.map((e: any) => Date.parse(e.start.dateTime));
      assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
      // An occurrence changed on its own shows as it is now; the attendee sees the same list.
      await api.patch('on_zhangsan', all[1].id, { id: all[1].id, summary: 'moved' });
      const first = (await list('on_lisi', { seriesMasterId: seriesId, maxResults: 2 })).events;
      assert.deepEqual(first.map((e: any) => [e.id, e.summary]), [[all[0].id, 'daily'], [all[1].id, 'moved']]);
      const rest = (await list('on_lisi', { seriesMasterId: seriesId, startRecurrenceId: all[2].id, maxResults: 10 })).events;
      assert.deepEqual(rest.map((e: any) => e.id), all.slice(2).map((e: any) => e.id));
      // A cancelled occurrence is left out.
      await api.del('on_zhangsan', all[3].id);
      assert.deepEqual((await list('on_zhangsan', { seriesMasterId: seriesId, startRecurrenceId: all[2].id })).events.map((e: any) => e.id), [all[2].id, all[4].id]);
    });

    test('errors name their field', async () => {
      const missing = await failure(list('on_zhangsan', {}));
      assert.deepEqual([missing.status, missing.code, /seriesMasterId/.test(missing.message)], [400, 'invalidParameter', true]);
      const all = (await list('on_zhangsan', { seriesMasterId: seriesId })).events;
      const notSeries = await failure(list('on_zhangsan', { seriesMasterId: all[1].id }));
      assert.match(notSeries.message, /seriesMasterId/);
      const foreign = await failure(list('on_zhangsan', { seriesMasterId: seriesId, startRecurrenceId: UNKNOWN_EVENT_ID.replace(/_0$/, '_1893974400') }));
      assert.deepEqual([foreign.code, /startRecurrenceId/.test(foreign.message)], ['invalidParameter', true]);
      const tooMany = await failure(list('on_zhangsan', { seriesMasterId: seriesId, maxResults: 101 }));
      assert.match(tooMany.message, /maxResults/);
      const unknown = await failure(list('on_zhangsan', { seriesMasterId: UNKNOWN_EVENT_ID }));
      assert.deepEqual([unknown.status, unknown.code], [404, 'itemNotFound']);
      const stranger = await failure(list('on_wangwu', { seriesMasterId: seriesId }));
      assert.equal(stranger.status, 404);
    });
  });
}
