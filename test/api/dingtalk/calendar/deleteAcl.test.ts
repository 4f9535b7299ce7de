import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { aclCalls, grant, sharedCalendarOf } from './acl-fixtures.js';
import { dingtalkFixture, failure } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk DeleteAcl`, () => {
    let f: DingtalkFixture;
    let acls: ReturnType<typeof aclCalls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      acls = aclCalls(f);
    });
    after(() => f.close());

    test('the owner withdraws a share: it leaves the list and the grantee loses access', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Withdrawn');
      const kept = await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_lisi'), sendMsg: false });
      const gone = await acls.create('on_zhangsan', calendarId, { ...grant('writer', 'on_wangwu'), sendMsg: false });
      const res = await acls.del('on_zhangsan', calendarId, gone.aclId);
      assert.equal(res.statusCode, 200);
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, [kept]);
      // wangwu, no longer a writer, cannot read the calendar through Feishu either.
      const token = await f.s.userToken('wangwu');
      const read = await fetch(`${f.s.url}/open-apis/calendar/v4/calendars/${calendarId}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(((await read.json()) as { code: number }).code, 191002);
    });

    test('a share and its withdrawal land in the change log, each once, as the acting user; a refusal writes none', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Logged');
      const { store, directory } = f.s.server.ctx;
      const idOf = async (unionId: string) => (await directory.userByExternalId('acme', 'union_id', unionId))!.id;
      const [zhangsan, lisi] = [await idOf('on_zhangsan'), await idOf('on_lisi')];
      const from = await store.read((r) => r.changes.latestSeq());
      const acl = await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_lisi'), sendMsg: false });
      await failure(acls.del('on_zhangsan', calendarId, 'user_doesnotexist'));
      await failure(acls.create('on_zhangsan', calendarId, { ...grant('title_reader', 'on_lisi'), sendMsg: false }));
      await acls.del('on_zhangsan', calendarId, acl.aclId);
      const records = (await store.read((r) => r.changes.since(from, 100, calendarId))).filter((c) => c.object === 'acl');
      assert.deepEqual(records.map((c) => [c.kind, c.objectId, c.userId, c.appId]), [
        ['acl_created', acl.aclId, zhangsan, 'dingacme'],
        ['acl_deleted', acl.aclId, zhangsan, 'dingacme'],
      ]);
      assert.ok(records.every((c) => c.audience?.includes(lisi)), 'the grantee\'s view changed');
    });

    test('an unknown aclId is resourceNotFound, and a second delete too; nothing else changes', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Twice');
      const acl = await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_zhaoliu'), sendMsg: false });
      const unknown = await failure(acls.del('on_zhangsan', calendarId, 'user_doesnotexist'));
      assert.deepEqual([unknown.status, unknown.code], [404, 'resourceNotFound']);
      assert.match(unknown.message, /user_doesnotexist/);
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, [acl]);
      await acls.del('on_zhangsan', calendarId, acl.aclId);
      const again = await failure(acls.del('on_zhangsan', calendarId, acl.aclId));
      assert.deepEqual([again.status, again.code], [404, 'resourceNotFound']);
    });

    test('only the owner withdraws: a writer is permissionDeny and the share stays', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Stays');
      const writer = await acls.create('on_zhangsan', calendarId, { ...grant('writer', 'on_sunqi'), sendMsg: false });
      const res = await failure(acls.del('on_sunqi', calendarId, writer.aclId));
      assert.deepEqual([res.status, res.code], [400, 'permissionDeny']);
      const blank = await failure(acls.del('on_zhangsan', ' ', writer.aclId));
      assert.deepEqual([blank.status, blank.code], [400, 'invalidParameter']);
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, [writer]);
    });
  });
}
