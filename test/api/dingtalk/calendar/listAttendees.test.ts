import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { calls, dingtalkFixture, failure, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListAttendees`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('pages through users and email addresses, each once', async () => {
      const { id } = await api.create('on_zhangsan', meeting('crowd'));
      // Email attendees come in through PUT (CreateEvent's attendee model has no email).
      await api.patch('on_zhangsan', id, { id, attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }, { id: 'on_zhaoliu' }, { email: 'guest@example.com' }] });
      const seen: any[] = [];
      let nextToken: string | undefined;
      do {
        const page = await api.attendees('on_lisi', id, { maxResults: 2, ...(nextToken ? { nextToken } : {}) });
        assert.ok(page.attendees.length <= 2);
        seen.push(...page.attendees);
        nextToken = page.nextToken;
      } while (nextToken);
      assert.deepEqual(seen.map((a) => a.id ?? a.displayName).sort(), ['guest@example.com', 'on_lisi', 'on_wangwu', 'on_zhangsan', 'on_zhaoliu']);
      const me = seen.find((a) => a.id === 'on_lisi');
      assert.deepEqual(me, { id: 'on_lisi', displayName: '李四', responseStatus: 'needsAction', self: true, isOptional: false });
    });

    test('refusals: maxResults over 500 and a bad nextToken are params.invalid', async () => {
      const { id } = await api.create('on_zhangsan', meeting('x'));
      assert.equal((await failure(api.attendees('on_zhangsan', id, { maxResults: 501 }))).code, 'params.invalid');
      assert.equal((await failure(api.attendees('on_zhangsan', id, { nextToken: 'x' }))).code, 'params.invalid');
    });
  });
}
