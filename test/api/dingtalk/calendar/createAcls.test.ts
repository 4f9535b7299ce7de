import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { aclCalls, grant, sharedCalendarOf } from './acl-fixtures.js';
import { calls, dingtalkFixture, failure } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk CreateAcls`, () => {
    let f: DingtalkFixture;
    let acls: ReturnType<typeof aclCalls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      acls = aclCalls(f);
    });
    after(() => f.close());

    test('the owner shares the primary calendar; the grantee sees it with that privilege', async () => {
      const made = await acls.create('on_zhangsan', 'primary', { ...grant('reader', 'on_lisi'), sendMsg: true });
      assert.match(made.aclId, /^user_[A-Za-z0-9]+$/);
      assert.deepEqual({ privilege: made.privilege, scope: made.scope }, grant('reader', 'on_lisi'));
      const listed = await acls.list('on_zhangsan', 'primary');
      assert.deepEqual(listed.acls, [{ aclId: made.aclId, ...grant('reader', 'on_lisi') }]);
    });

    test('granting the same user again changes the privilege and keeps the aclId', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Regrant');
      const first = await acls.create('on_zhangsan', calendarId, { ...grant('free_busy_reader', 'on_wangwu'), sendMsg: false });
      assert.equal(first.privilege, 'free_busy_reader');
      const second = await acls.create('on_zhangsan', calendarId, { ...grant('writer', 'on_wangwu'), sendMsg: false });
      assert.deepEqual(second, { aclId: first.aclId, ...grant('writer', 'on_wangwu') });
      // ListCalendars' spelling of the free/busy role is taken as the same privilege.
      const third = await acls.create('on_zhangsan', calendarId, { ...grant('freeBusyReader', 'on_wangwu'), sendMsg: false });
      assert.equal(third.privilege, 'free_busy_reader');
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, [third]);
    });

    test('the grantee\'s ListCalendars reports the privilege once the calendar is on their list', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Writers');
      await acls.create('on_zhangsan', calendarId, { ...grant('writer', 'on_zhaoliu'), sendMsg: false });
      const token = await f.s.userToken('zhaoliu');
      const sub = await fetch(`${f.s.url}/open-apis/calendar/v4/calendars/${calendarId}/subscribe`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal(sub.status, 200);
      const listed = await calls(f).calendars('on_zhaoliu');
      const entry = listed.response.calendars.find((c: any) => c.id === calendarId);
      assert.equal(entry?.privilege, 'writer');
    });

    test('bad input names the field and changes nothing', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Refusals');
      const cases: Array<[object, RegExp]> = [
        [{ scope: { scopeType: 'user', userId: 'on_lisi' }, sendMsg: false }, /privilege/],
        [{ ...grant('title_reader', 'on_lisi'), sendMsg: false }, /privilege title_reader/],
        [{ ...grant('none', 'on_lisi'), sendMsg: false }, /privilege none/],
        [{ privilege: 'reader', sendMsg: false }, /scope is required/],
        [{ privilege: 'reader', scope: { scopeType: 'department', userId: 'on_lisi' }, sendMsg: false }, /scope\.scopeType/],
        [{ privilege: 'reader', scope: { scopeType: 'user' }, sendMsg: false }, /scope\.userId is required/],
        [{ ...grant('reader', 'on_nobody'), sendMsg: false }, /scope\.userId on_nobody/],
        [{ ...grant('reader', 'on_hank'), sendMsg: false }, /scope\.userId on_hank/],
      ];
      for (const [body, message] of cases) {
        const res = await failure(acls.create('on_zhangsan', calendarId, body));
        assert.deepEqual([res.status, res.code], [400, 'invalidParameter'], JSON.stringify(body));
        assert.match(res.message, message);
        assert.equal(typeof res.data.requestid, 'string');
      }
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls, []);
    });

    test('only the owner shares: a writer is permissionDeny; an unknown calendar resourceNotFound; another user\'s token permissionDeny', async () => {
      const calendarId = await sharedCalendarOf(f, 'zhangsan', 'Owner only');
      await acls.create('on_zhangsan', calendarId, { ...grant('writer', 'on_sunqi'), sendMsg: false });
      const writer = await failure(acls.create('on_sunqi', calendarId, { ...grant('reader', 'on_zhouba'), sendMsg: false }));
      assert.deepEqual([writer.status, writer.code], [400, 'permissionDeny']);
      const missing = await failure(acls.create('on_zhangsan', 'no_such_calendar', { ...grant('reader', 'on_lisi'), sendMsg: false }));
      assert.deepEqual([missing.status, missing.code], [404, 'resourceNotFound']);
      const lisiToken = await f.userToken('lisi');
      const other = await failure(acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_lisi'), sendMsg: false }, { token: lisiToken }));
      assert.deepEqual([other.status, other.code], [400, 'permissionDeny']);
      const outsider = await failure(acls.create('on_zhangsan', calendarId, { ...grant('reader', 'on_lisi'), sendMsg: false }, { token: f.globexToken }));
      assert.deepEqual([outsider.status, outsider.code], [400, 'invalidParameter']);
      assert.deepEqual((await acls.list('on_zhangsan', calendarId)).acls.map((a: any) => a.scope.userId), ['on_sunqi']);
    });
  });
}
