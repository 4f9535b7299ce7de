import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../helpers/stores.js';
import { feishuFailure } from '../../../helpers/server.js';
import { aclCalls, grant, sharedCalendarOf } from './acl-fixtures.js';
import { dingtalkFixture } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: ACLs are the same in Feishu and DingTalk`, () => {
    let f: DingtalkFixture;
    let acls: ReturnType<typeof aclCalls>;
    let feishu: lark.Client;
    let owner: ReturnType<typeof lark.withUserAccessToken>;
    before(async () => {
      f = await dingtalkFixture(kind);
      acls = aclCalls(f);
      feishu = f.s.lark();
      owner = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
    });
    after(() => f.close());

    test('an ACL Feishu calendarAcl.create makes on the primary calendar is listed by DingTalk ListAcls, and DingTalk deletes it', async () => {
      const primary = await feishu.calendar.v4.calendar.primary({}, owner);
      const calendarId = primary.data!.calendars![0].calendar!.calendar_id;
      const made = await feishu.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, params: { user_id_type: 'open_id' }, data: { role: 'free_busy_reader', scope: { type: 'user', user_id: 'ou_lisi' } } }, owner);
      assert.equal(made.code, 0);
      const listed = await acls.list('on_zhangsan', 'primary');
      assert.deepEqual(listed.acls.filter((a: any) => a.aclId === made.data!.acl_id), [{ aclId: made.data!.acl_id, ...grant('free_busy_reader', 'on_lisi') }]);

      await acls.del('on_zhangsan', 'primary', made.data!.acl_id);
      const after = await feishu.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId } }, owner);
      assert.equal((after.data!.acls ?? []).some((a) => a.acl_id === made.data!.acl_id), false);
    });

    test('an ACL DingTalk CreateAcls makes is listed by Feishu calendarAcl.list and lets the grantee read the calendar in Feishu', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Shared from DingTalk');
      const event = await feishu.calendar.v4.calendarEvent.create(
        { path: { calendar_id: calendarId }, data: { summary: 'Planning', start_time: { timestamp: '1893996000' }, end_time: { timestamp: '1893999600' } } }, owner);
      assert.equal(event.code, 0);
      const grantee = lark.withUserAccessToken(await f.s.userToken('wangwu'));
      const before = await feishuFailure(feishu.calendar.v4.calendar.get({ path: { calendar_id: calendarId } }, grantee));
      assert.equal(before.code, 191002);

      const made = await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_wangwu'), sendMsg: false });
      const listed = await feishu.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId }, params: { user_id_type: 'union_id' } }, owner);
      assert.deepEqual(listed.data!.acls, [{ acl_id: made.aclId, role: 'reader', scope: { type: 'user', user_id: 'on_wangwu' } }]);

      const got = await feishu.calendar.v4.calendar.get({ path: { calendar_id: calendarId } }, grantee);
      assert.equal((got.data as any).role, 'reader');
      const events = await feishu.calendar.v4.calendarEvent.list({ path: { calendar_id: calendarId } }, grantee);
      assert.deepEqual((events.data!.items ?? []).map((e) => e.summary), ['Planning']);

      // Withdrawn through Feishu, the DingTalk share is gone in both.
      await feishu.calendar.v4.calendarAcl.delete({ path: { calendar_id: calendarId, acl_id: made.aclId } }, owner);
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, []);
      const gone = await feishuFailure(feishu.calendar.v4.calendar.get({ path: { calendar_id: calendarId } }, grantee));
      assert.equal(gone.code, 191002);
    });

    test('a DingTalk re-grant changes the role Feishu reports, and a Feishu re-grant the privilege DingTalk reports', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Both ways');
      const made = await acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_zhaoliu'), sendMsg: false });
      const regranted = await feishu.calendar.v4.calendarAcl.create(
        { path: { calendar_id: calendarId }, data: { role: 'writer', scope: { type: 'user', user_id: 'ou_zhaoliu' } } }, owner);
      assert.equal(regranted.data!.acl_id, made.aclId);
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, [{ aclId: made.aclId, ...grant('writer', 'on_zhaoliu') }]);
      await acls.create('on_zhangsan', calendarId, { ...grant('owner', 'on_zhaoliu'), sendMsg: false });
      const listed = await feishu.calendar.v4.calendarAcl.list({ path: { calendar_id: calendarId } }, owner);
      assert.deepEqual(listed.data!.acls!.map((a) => [a.acl_id, a.role]), [[made.aclId, 'owner']]);
    });
  });
}
