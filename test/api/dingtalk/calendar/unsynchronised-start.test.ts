/**
 * A series whose start does not match its rule: weekly on Wednesday, 3 occurrences, from Tuesday
 * 2027-01-05 10:00 UTC. The start is the first occurrence and counts toward the 3 (RFC 5545), so
 * the series is Tue 5, Wed 6, Wed 13 on every path; Wed 20 is not an occurrence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { calls, dingtalkFixture, failure, iso, timed } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

const DAY = 86_400;
const START = Date.parse('2027-01-05T10:00:00Z') / 1000; // a Tuesday
const EXPECTED = [START, START + DAY, START + 8 * DAY];
const FOURTH_WEDNESDAY = START + 15 * DAY;
const startsOf = (events: any[]) => events.map((e) => Date.parse(e.start.dateTime) / 1000);

for (const kind of STORES) {
  describe(`${kind}: DingTalk, a series start that does not match its rule counts toward the number of occurrences`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    let seriesId = '';
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      const series = await api.create('on_zhangsan', {
        summary: 'Off-rule start', ...timed(START, START + 3600, 'UTC'),
        recurrence: { pattern: { type: 'weekly', daysOfWeek: 'wednesday', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
      });
      seriesId = series.id;
    });
    after(() => f.close());
    const window = { timeMin: iso(START - DAY), timeMax: iso(START + 30 * DAY) };

    test('ListInstances and ListEventsView: exactly three, the start first', async () => {
      assert.deepEqual(startsOf((await api.instances('on_zhangsan', seriesId, window)).events), EXPECTED);
      assert.deepEqual(startsOf((await api.instances('on_zhangsan', seriesId)).events), EXPECTED);
      assert.deepEqual(startsOf((await api.view('on_zhangsan', window)).events), EXPECTED);
    });

    test('GetSchedule: exactly three busy slots', async () => {
      const res = await api.schedule('on_zhangsan', { userIds: ['on_zhangsan'], startTime: window.timeMin, endTime: window.timeMax });
      const items = res.scheduleInformation[0].scheduleItems;
      assert.deepEqual(items.map((i: any) => [i.status, Date.parse(i.start.dateTime) / 1000]), EXPECTED.map((t) => ['BUSY', t]));
    });

    test('ListEvents with a window holding only Wednesday the 20th leaves the series out', async () => {
      const res = await api.list('on_zhangsan', { timeMin: iso(START + 14 * DAY), timeMax: iso(START + 17 * DAY) });
      assert.deepEqual(res.events.map((e: any) => e.summary), []);
    });

    test('the id of Wednesday the 20th is no occurrence: get, patch and delete answer itemNotFound', async () => {
      const id = `${seriesId.slice(0, 36)}_${FOURTH_WEDNESDAY}`;
      const answers = [
        ['get', await failure(api.get('on_zhangsan', id))],
        ['patch', await failure(api.patch('on_zhangsan', id, { id, summary: 'no' }))],
        ['delete', await failure(api.del('on_zhangsan', id))],
      ] as const;
      assert.deepEqual(answers.map(([call, res]) => [call, res.status, res.code]), [['get', 404, 'itemNotFound'], ['patch', 404, 'itemNotFound'], ['delete', 404, 'itemNotFound']]);
      const third = await api.get('on_zhangsan', `${seriesId.slice(0, 36)}_${START + 8 * DAY}`);
      assert.equal(Date.parse(third.start.dateTime) / 1000, EXPECTED[2]);
    });
  });
}
