import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, calls, dingtalkFixture, failure, iso, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListEventsViewByMe`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const viewByMe = (token: string, query: object) =>
      (f.client).listEventsViewByMeWithOptions('primary', new $Calendar.ListEventsViewByMeRequest(query), f.headers('ListEventsViewByMe', { token }), runtime())
        .then((res: any) => JSON.parse(JSON.stringify(res.body)));
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the token\'s user\'s view: the same answer as ListEventsView for that user', async () => {
      await api.create('on_sunqi', meeting('one', at(0, 10)));
      await api.create('on_zhangsan', meeting('invited', at(1, 10), { attendees: [{ id: 'on_sunqi' }] }));
      await api.create('on_zhangsan', meeting('not mine', at(1, 12)));
      const query = { timeMin: iso(at(0, 0)), timeMax: iso(at(3, 0)) };
      const mine = await viewByMe(await f.userToken('sunqi'), query);
      assert.deepEqual(mine.events.map((e: any) => e.summary), ['one', 'invited']);
      assert.deepEqual(mine, await api.view('on_sunqi', query));
    });

    test('an app token is permissionDeny; a bad window names its field', async () => {
      const app = await failure(viewByMe(f.token, { timeMin: iso(at(0, 0)), timeMax: iso(at(3, 0)) }));
      assert.equal(app.code, 'permissionDeny');
      const bad = await failure(viewByMe(await f.userToken('sunqi'), { timeMin: 'yesterday', timeMax: iso(at(3, 0)) }));
      assert.deepEqual([bad.code, /timeMin/.test(bad.message)], ['invalidParameter', true]);
    });
  });
}
