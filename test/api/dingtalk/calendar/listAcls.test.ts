import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { aclCalls, grant, sharedCalendarOf } from './acl-fixtures.js';
import { dingtalkFixture, failure } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk ListAcls`, () => {
    let f: DingtalkFixture;
    let acls: ReturnType<typeof aclCalls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      acls = aclCalls(f);
    });
    after(() => f.close());

    test('a calendar nobody shares lists no ACLs', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Alone');
      assert.deepEqual(await acls.list('on_zhangsan', calendarId), { acls: [] });
    });

    test('every ACL is listed, each privilege by its DingTalk name, grantees by unionId', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Everyone');
      const wanted: Array<[string, string]> = [['on_lisi', 'owner'], ['on_wangwu', 'writer'], ['on_zhaoliu', 'reader'], ['on_sunqi', 'free_busy_reader']];
      const made = new Map<string, string>();
      for (const [unionId, privilege] of wanted) made.set(unionId, (await acls.create('on_zhangsan', calendarId, { ...grant(privilege, unionId), sendMsg: false })).aclId);
      const listed = (await acls.list('on_zhangsan', calendarId)).acls;
      const byUser = new Map(listed.map((a: any) => [a.scope.userId, a]));
      assert.equal(listed.length, 4);
      for (const [unionId, privilege] of wanted) assert.deepEqual(byUser.get(unionId), { aclId: made.get(unionId), ...grant(privilege, unionId) });
    });

    test('with a user token, the owner lists their own calendar', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'By user token');
      await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_lisi'), sendMsg: false });
      const token = await f.userToken('zhangsan');
      assert.deepEqual((await acls.list('on_zhangsan', calendarId, { token })).acls.map((a: any) => a.scope.userId), ['on_lisi']);
    });

    test('only the owner lists: a reader is permissionDeny, an unknown calendar resourceNotFound, a stranger invalidParameter', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Private sharing');
      await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_zhouba'), sendMsg: false });
      const reader = await failure(acls.list('on_zhouba', calendarId));
      assert.deepEqual([reader.status, reader.code], [400, 'permissionDeny']);
      const missing = await failure(acls.list('on_zhangsan', 'no_such_calendar'));
      assert.deepEqual([missing.status, missing.code], [404, 'resourceNotFound']);
      const stranger = await failure(acls.list('on_nobody', calendarId));
      assert.deepEqual([stranger.status, stranger.code], [400, 'invalidParameter']);
      assert.match(stranger.message, /userId on_nobody/);
      const noToken = await failure(acls.list('on_zhangsan', calendarId, { token: 'not-a-token' }));
      assert.deepEqual([noToken.status, noToken.code], [400, 'InvalidAuthentication']);
    });
  });
}
