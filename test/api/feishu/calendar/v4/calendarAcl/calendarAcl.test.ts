import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarAcl`, () => {
    let s: TestServer;
    let client: lark.Client;
    let owner: string;
    let lisi: string;
    let calendarId: string;
    before(async () => {
      s = await startServer(kind);
      client = s.lark();
      owner = await s.userToken('zhangsan');
      lisi = await s.userToken('lisi');
      const cal = await client.calendar.v4.calendar.create({ data: { summary: 'Shared', permissions: 'private' } }, lark.withUserAccessToken(owner));
      calendarId = cal.data!.calendar!.calendar_id!;
    });
    after(() => s.close());

    test('create grants a role that later calls honour; list shows it; delete removes it', async () => {
      const before = await feishuFailure(client.calendar.v4.calendar.get({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi)));
      assert.equal(before.code, 191002);
      const acl = await client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, params: { user_id_type: 'user_id' }, data: { role: 'writer', scope: { type: 'user', user_id: 'lisi' } } },
        lark.withUserAccessToken(owner),
      );
      assert.equal(acl.code, 0);
      assert.match(acl.data!.acl_id, /^user_[A-Za-z0-9]+$/);
      assert.deepEqual({ role: acl.data!.role, scope: acl.data!.scope }, { role: 'writer', scope: { type: 'user', user_id: 'lisi' } });
      const got = await client.calendar.v4.calendar.get({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi));
      assert.equal((got.data as any).role, 'writer');

      // Granting again changes the role in place, keeping the acl_id.
      const again = await client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, data: { role: 'reader', scope: { type: 'user', user_id: 'ou_lisi' } } },
        lark.withUserAccessToken(owner),
      );
      assert.equal(again.data!.acl_id, acl.data!.acl_id);
      assert.equal(again.data!.scope.user_id, 'ou_lisi');

      const listed = await client.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId }, params: { user_id_type: 'union_id' } }, lark.withUserAccessToken(owner));
      assert.deepEqual(listed.data!.acls, [{ acl_id: acl.data!.acl_id, role: 'reader', scope: { type: 'user', user_id: 'on_lisi' } }]);
      assert.equal(listed.data!.has_more, false);

      const removed = await client.calendar.v4.calendarAcl.delete({ path: { calendar_id: calendarId, acl_id: acl.data!.acl_id } }, lark.withUserAccessToken(owner));
      assert.equal(removed.code, 0);
      const after = await feishuFailure(client.calendar.v4.calendar.get({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([after.status, after.code], [403, 191002]);
    });

    test('only the owner manages ACLs: a writer gets 191002', async () => {
      await client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, data: { role: 'writer', scope: { type: 'user', user_id: 'ou_wangwu' } } }, lark.withUserAccessToken(owner));
      const writer = await s.userToken('wangwu');
      const res = await feishuFailure(client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, data: { role: 'owner', scope: { type: 'user', user_id: 'ou_zhaoliu' } } }, lark.withUserAccessToken(writer)));
      assert.deepEqual([res.status, res.code], [403, 191002]);
      const list = await feishuFailure(client.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(writer)));
      assert.equal(list.code, 191002);
    });

    test('list pages with listWithIterator (page_size under 10 counts as 10)', async () => {
      const cal = await client.calendar.v4.calendar.create({ data: { summary: 'Many' } }, lark.withUserAccessToken(owner));
      const id = cal.data!.calendar!.calendar_id;
      const users = ['lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba'];
      for (const u of users) {
        await client.calendar.v4.calendarAcl.create({ path: { calendar_id: id }, params: { user_id_type: 'user_id' }, data: { role: 'reader', scope: { type: 'user', user_id: u } } }, lark.withUserAccessToken(owner));
      }
      const page = await client.calendar.v4.calendarAcl.list({ path: { calendar_id: id }, params: { page_size: 2 } }, lark.withUserAccessToken(owner));
      assert.equal(page.data!.acls!.length, 5, 'page_size 2 counts as 10');
      const seen: string[] = [];
      for await (const p of await client.calendar.v4.calendarAcl.listWithIterator({ path: { calendar_id: id }, params: { page_size: 10 } }, lark.withUserAccessToken(owner))) {
        for (const a of p?.acls ?? []) seen.push(a.acl_id);
      }
      assert.equal(new Set(seen).size, 5);
    });

    test('bad role, unknown user and unknown acl are refused', async () => {
      const role = await feishuFailure(client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, data: { role: 'unknown', scope: { type: 'user', user_id: 'ou_lisi' } } }, lark.withUserAccessToken(owner)));
      assert.deepEqual([role.status, role.code], [400, 190002]);
      assert.match(role.msg, /role/);
      const user = await feishuFailure(client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, data: { role: 'reader', scope: { type: 'user', user_id: 'ou_hank' } } }, lark.withUserAccessToken(owner)));
      assert.deepEqual([user.status, user.code], [404, 195100]);
      const acl = await feishuFailure(client.calendar.v4.calendarAcl.delete({ path: { calendar_id: calendarId, acl_id: 'user_nope' } }, lark.withUserAccessToken(owner)));
      assert.deepEqual([acl.status, acl.code], [400, 190002]);
      assert.match(acl.msg, /acl/);
    });

    test('ACLs exist only on primary or shared calendars the caller owns: the bot manages its own', async () => {
      const botPrimary = await client.calendar.v4.calendar.primary({});
      const id = botPrimary.data!.calendars![0].calendar!.calendar_id;
      const res = await client.calendar.v4.calendarAcl.create({ path: { calendar_id: id }, data: { role: 'reader', scope: { type: 'user', user_id: 'ou_lisi' } } });
      assert.equal(res.code, 0);
      const got = await client.calendar.v4.calendar.get({ path: { calendar_id: id } }, lark.withUserAccessToken(lisi));
      assert.equal((got.data as any).role, 'reader');
    });
  });
}
