import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk CreateEventByMe`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const createByMe = (token: string, body: object, o: { clientToken?: string } = {}) =>
      (f.client).createEventByMeWithOptions('primary', new $Calendar.CreateEventByMeRequest(body), f.headers('CreateEventByMe', { token, ...o }), runtime())
        .then((res: any) => JSON.parse(JSON.stringify(res.body)));
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the token\'s user organizes the event on their own calendar', async () => {
      const token = await f.userToken('lisi');
      const made = await createByMe(token, meeting('mine', at(0, 10), { attendees: [{ id: 'on_wangwu' }] }));
      assert.equal(made.organizer.id, 'on_lisi');
      assert.equal(made.summary, 'mine');
      const seen = await api.get('on_lisi', made.id);
      assert.deepEqual(seen.attendees.map((a: any) => a.id).sort(), ['on_lisi', 'on_wangwu']);
      assert.equal((await api.get('on_wangwu', made.id)).summary, 'mine');
      // x-client-token makes a retry answer the first event.
      const first = await createByMe(token, meeting('once', at(1, 10)), { clientToken: 'by-me-1' });
      const again = await createByMe(token, meeting('once', at(1, 10)), { clientToken: 'by-me-1' });
      assert.equal(again.id, first.id);
    });

    test('an app token names no user: permissionDeny; a bad body names its field; nothing is made', async () => {
      const before = (await api.list('on_lisi', {})).events.length;
      const app = await failure(createByMe(f.token, meeting('app')));
      assert.deepEqual([app.status, app.code], [400, 'permissionDeny']);
      const token = await f.userToken('lisi');
      const noEnd = await failure(createByMe(token, { summary: 'x', start: { dateTime: '2030-01-07T10:00:00+08:00', timeZone: 'Asia/Shanghai' } }));
      assert.deepEqual([noEnd.code, /end/i.test(noEnd.message)], ['invalidParameter', true]);
      const empty = await failure(createByMe(token, {}));
      assert.equal(empty.code, 'invalidParameter');
      assert.equal((await api.list('on_lisi', {})).events.length, before);
    });
  });
}
