import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { calls, dingtalkFixture, failure, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk RespondEvent`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the path user answers their invitation', async () => {
      const { id } = await api.create('on_zhangsan', meeting('answer me', undefined, { attendees: [{ id: 'on_lisi' }] }));
      for (const status of ['accepted', 'tentative', 'declined']) {
        assert.equal((await api.respond('on_lisi', id, status)).statusCode, 200);
        const lisi = (await api.get('on_zhangsan', id)).attendees.find((a: any) => a.id === 'on_lisi');
        assert.equal(lisi.responseStatus, status);
      }
    });

    test('refusals: needsAction or nonsense, and someone not invited', async () => {
      const { id } = await api.create('on_zhangsan', meeting('answer me', undefined, { attendees: [{ id: 'on_lisi' }] }));
      for (const status of ['needsAction', 'maybe']) {
        const res = await failure(api.respond('on_lisi', id, status));
        assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', 'responseStatus must be one of accepted, declined, tentative']);
      }
      const stranger = await failure(api.respond('on_sunqi', id, 'accepted'));
      assert.deepEqual([stranger.status, stranger.code], [404, 'itemNotFound']);
    });
  });
}
