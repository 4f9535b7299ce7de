import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_CATEGORIES } from '../../../../src/core/categories.js';
import { STORES } from '../../../helpers/stores.js';
import { dingtalkFixture, failure, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListCategories`, () => {
    let f: DingtalkFixture;
    const list = async (token?: string) =>
      JSON.parse(JSON.stringify((await f.client.listCategoriesWithOptions('on_zhangsan', f.headers('ListCategories', { token }), runtime())).body));
    before(async () => { f = await dingtalkFixture(kind); });
    after(() => f.close());

    test('the seed\'s categories, in order; a tenant whose seed names none has the defaults', async () => {
      assert.deepEqual(await list(), { categories: [
        { openCategoryId: 'cat_review', displayName: '评审' },
        { openCategoryId: (await list()).categories[1].openCategoryId, displayName: '周会' },
      ] });
      assert.match((await list()).categories[1].openCategoryId, /^cat_[0-9a-f]{16}$/);
      assert.deepEqual((await list(f.globexToken)).categories, DEFAULT_CATEGORIES.map((c) => ({ openCategoryId: c.categoryId, displayName: c.displayName })));
    });

    test('a bad token is refused with DingTalk\'s body', async () => {
      const bad = await failure(list('not-a-token'));
      assert.deepEqual([bad.status, bad.code, typeof bad.data.requestid], [400, 'InvalidAuthentication', 'string']);
    });
  });
}
