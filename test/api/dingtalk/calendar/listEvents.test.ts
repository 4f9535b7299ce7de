import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { at, calls, dingtalkFixture, failure, iso, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListEvents`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const ids: string[] = [];
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      for (let day = 0; day < 5; day++) ids.push((await api.create('on_zhouba', meeting(`day ${day}`, at(day, 10)))).id);
    });
    after(() => f.close());

    /** Every page of a listing; the last page's syncToken. */
    async function all(user: string, query: object) {
      const events: any[] = [];
      let nextToken: string | undefined;
      let last: any;
      let pages = 0;
      do {
        last = await api.list(user, { ...query, ...(nextToken ? { nextToken } : {}) });
        events.push(...last.events);
        nextToken = last.nextToken;
        pages++;
      } while (nextToken);
      return { events, syncToken: last.syncToken as string | undefined, pages };
    }

    test('pages of maxResults, then a syncToken', async () => {
      const first = await api.list('on_zhouba', { maxResults: 2 });
      assert.equal(first.events.length, 2);
      assert.ok(first.nextToken);
      assert.equal(first.syncToken, undefined);
      const { events, syncToken, pages } = await all('on_zhouba', { maxResults: 2 });
      assert.equal(pages, 3);
      assert.deepEqual(events.map((e) => e.id).sort(), [...ids].sort());
      assert.ok(syncToken);
    });

    test('a syncToken returns what changed since, deleted events as cancelled', async () => {
      const { syncToken } = await all('on_zhouba', {});
      const added = await api.create('on_zhouba', meeting('added', at(6, 10)));
      await api.patch('on_zhouba', ids[0], { id: ids[0], summary: 'day 0 (renamed)' });
      await api.del('on_zhouba', ids[1]);
      const changes = await all('on_zhouba', { syncToken, maxResults: 2 });
      const byId = new Map(changes.events.map((e) => [e.id, e]));
      assert.deepEqual([...byId.keys()].sort(), [added.id, ids[0], ids[1]].sort());
      assert.equal(byId.get(ids[1]).status, 'cancelled');
      assert.equal(byId.get(ids[0]).summary, 'day 0 (renamed)');
      assert.ok(changes.syncToken);
      assert.deepEqual((await all('on_zhouba', { syncToken: changes.syncToken })).events, []);
    });

    test('timeMin/timeMax keep events meeting the window; no syncToken when timeMax is given', async () => {
      const windowed = await all('on_zhouba', { timeMin: iso(at(2, 0)), timeMax: iso(at(4, 0)) });
      assert.deepEqual(windowed.events.map((e) => e.summary).sort(), ['day 2', 'day 3']);
      assert.equal(windowed.syncToken, undefined);
      const open = await all('on_zhouba', { timeMin: iso(at(3, 0)) });
      assert.ok(open.events.every((e) => e.start.dateTime >= '2030-01-10'));
      assert.ok(open.syncToken);
    });

    test('showDeleted lists deleted events too', async () => {
      const { id } = await api.create('on_zhouba', meeting('to delete', at(8, 10)));
      await api.del('on_zhouba', id);
      assert.ok(!(await all('on_zhouba', {})).events.some((e) => e.id === id));
      const withDeleted = await all('on_zhouba', { showDeleted: true, maxResults: 3 });
      assert.equal(withDeleted.events.find((e) => e.id === id)?.status, 'cancelled');
      assert.ok(withDeleted.syncToken);
    });

    test('seriesMasterId lists the series\' occurrences', async () => {
      const series = await api.create('on_zhouba', meeting('series', at(0, 8), { recurrence: { pattern: { type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 4 } } }));
      const page = await api.list('on_zhouba', { seriesMasterId: series.id, maxResults: 3 });
      assert.deepEqual(page.events.map((e: any) => e.start.dateTime), ['2030-01-07T08:00:00+08:00', '2030-01-08T08:00:00+08:00', '2030-01-09T08:00:00+08:00']);
      assert.ok(page.events.every((e: any) => e.seriesMasterId === series.id));
      const rest = await api.list('on_zhouba', { seriesMasterId: series.id, nextToken: page.nextToken });
      assert.deepEqual(rest.events.map((e: any) => e.start.dateTime), ['2030-01-10T08:00:00+08:00']);
      assert.equal(rest.nextToken, undefined);
    });

    test('refusals: maxResults over 100 and a bad nextToken are params.invalid (405)', async () => {
      for (const query of [{ maxResults: 101 }, { maxResults: 0 }, { nextToken: 'garbage' }]) {
        const res = await failure(api.list('on_zhouba', query));
        assert.deepEqual([res.status, res.code], [405, 'params.invalid'], JSON.stringify(query));
      }
      const rows: Array<[object, string]> = [
        [{ syncToken: 'garbage' }, 'syncToken is invalid or expired'],
        [{ syncToken: (await all('on_zhouba', {})).syncToken, timeMin: iso(at(0, 0)) }, 'syncToken cannot be used with timeMin or timeMax'],
        [{ timeMin: 'yesterday' }, 'timeMin must be an ISO-8601 date-time'],
        [{ timeMin: iso(at(2, 0)), timeMax: iso(at(1, 0)) }, 'timeMax must be after timeMin'],
        [{ timeMin: iso(at(0, 0)), timeMax: iso(at(400, 0)) }, 'timeMin and timeMax must be at most one year apart'],
      ];
      for (const [query, message] of rows) {
        const res = await failure(api.list('on_zhouba', query));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', message]);
      }
    });

    test('an unencoded + in timeMin (a space once decoded) is still the offset', async () => {
      const url = `${f.s.url}/v1.0/calendar/users/on_zhouba/calendars/primary/events?timeMin=2030-01-10T00:00:00+08:00&timeMax=2030-01-11T00:00:00+08:00`;
      const res = await fetch(url, { headers: { 'x-acs-dingtalk-access-token': f.token } });
      const body = await res.json();
      assert.equal(res.status, 200);
      // The series (Jan 7-10) meets the window too: ListEvents lists it as the series.
      assert.deepEqual(body.events.map((e: any) => e.summary).sort(), ['day 3', 'series']);
    });
  });
}
