import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { at, calls, dingtalkFixture, failure, iso, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListEventsView`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('series are expanded in the window, ordered by start, with seriesMasterId; changed and deleted occurrences apply', async () => {
      const weekly = await api.create('on_sunqi', meeting('weekly', at(0, 9), { recurrence: { pattern: { type: 'weekly', daysOfWeek: 'monday,wednesday' }, range: { type: 'noEnd' } } }));
      const single = await api.create('on_sunqi', meeting('single', at(1, 15)));
      const window = { timeMin: iso(at(0, 0)), timeMax: iso(at(14, 0)) };
      const before = await api.view('on_sunqi', window);
      assert.deepEqual(before.events.map((e: any) => [e.summary, e.start.dateTime]), [
        ['weekly', '2030-01-07T09:00:00+08:00'], ['single', '2030-01-08T15:00:00+08:00'], ['weekly', '2030-01-09T09:00:00+08:00'],
        ['weekly', '2030-01-14T09:00:00+08:00'], ['weekly', '2030-01-16T09:00:00+08:00'],
      ]);
      assert.ok(before.events.filter((e: any) => e.summary === 'weekly').every((e: any) => e.seriesMasterId === weekly.id));
      assert.equal(before.events[1].id, single.id);
      assert.equal(before.events[1].seriesMasterId, undefined);
      // Move the Wednesday, drop the next Monday.
      const wednesday = before.events[2].id;
      await api.patch('on_sunqi', wednesday, { id: wednesday, summary: 'weekly (late)', start: { dateTime: iso(at(2, 17)), timeZone: 'Asia/Shanghai' }, end: { dateTime: iso(at(2, 18)), timeZone: 'Asia/Shanghai' } });
      await api.del('on_sunqi', before.events[3].id);
      const after = await api.view('on_sunqi', window);
      assert.deepEqual(after.events.map((e: any) => [e.summary, e.start.dateTime]), [
        ['weekly', '2030-01-07T09:00:00+08:00'], ['single', '2030-01-08T15:00:00+08:00'], ['weekly (late)', '2030-01-09T17:00:00+08:00'],
        ['weekly', '2030-01-16T09:00:00+08:00'],
      ]);
    });

    test('pages with nextToken; no syncToken', async () => {
      const window = { timeMin: iso(at(0, 0)), timeMax: iso(at(60, 0)), maxResults: 5 };
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await api.view('on_sunqi', { ...window, ...(nextToken ? { nextToken } : {}) });
        assert.equal(page.syncToken, undefined);
        seen.push(...page.events.map((e: any) => e.id));
        nextToken = page.nextToken;
        pages++;
      } while (nextToken);
      assert.equal(new Set(seen).size, seen.length);
      assert.ok(pages >= 3);
      const once = await api.view('on_sunqi', { ...window, maxResults: 100 });
      assert.deepEqual(once.events.map((e: any) => e.id), seen);
    });

    test('refusals: maxResults over 100, a bad nextToken', async () => {
      assert.deepEqual((await failure(api.view('on_sunqi', { maxResults: 101 }))).code, 'params.invalid');
      assert.deepEqual((await failure(api.view('on_sunqi', { nextToken: 'nope' }))).code, 'params.invalid');
    });
  });
}
