import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, iso, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListInstances`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('a series\' occurrences in order, paged; a window narrows them', async () => {
      const series = await api.create('on_zhaoliu', meeting('monthly', at(0, 14), {
        recurrence: { pattern: { type: 'relativeMonthly', index: 'first', daysOfWeek: 'monday' }, range: { type: 'numbered', numberOfOccurrences: 5 } },
      }));
      const first = await api.instances('on_zhaoliu', series.id, { maxResults: 3 });
      assert.deepEqual(first.events.map((e: any) => e.start.dateTime.slice(0, 10)), ['2030-01-07', '2030-02-04', '2030-03-04']);
      assert.ok(first.events.every((e: any) => e.seriesMasterId === series.id));
      const rest = await api.instances('on_zhaoliu', series.id, { maxResults: 3, nextToken: first.nextToken });
      assert.deepEqual(rest.events.map((e: any) => e.start.dateTime.slice(0, 10)), ['2030-04-01', '2030-05-06']);
      assert.equal(rest.nextToken, undefined);
      const windowed = await api.instances('on_zhaoliu', series.id, { timeMin: iso(at(25, 0)), timeMax: iso(at(80, 0)) });
      assert.deepEqual(windowed.events.map((e: any) => e.start.dateTime.slice(0, 10)), ['2030-02-04', '2030-03-04']);
      // Named by one of its occurrences, the series is the same.
      const byInstance = await api.instances('on_zhaoliu', first.events[1].id, { maxResults: 1 });
      assert.equal(byInstance.events[0].id, first.events[0].id);
    });

    test('a single event is its own only instance; an unknown one is itemNotFound', async () => {
      const single = await api.create('on_zhaoliu', meeting('once'));
      assert.deepEqual((await api.instances('on_zhaoliu', single.id)).events.map((e: any) => e.id), [single.id]);
      assert.equal((await failure(api.instances('on_zhaoliu', UNKNOWN_EVENT_ID))).code, 'itemNotFound');
    });
  });
}
