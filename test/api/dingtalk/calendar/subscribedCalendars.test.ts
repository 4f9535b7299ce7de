import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../helpers/stores.js';
import { assertLogRebuildsCalendars } from './change-log-check.js';
import { $Calendar, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk subscribed calendars`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const plain = async (p: Promise<any>) => JSON.parse(JSON.stringify((await p).body ?? null));
    const create = (user: string, body: object) =>
      plain(f.client.createSubscribedCalendarWithOptions(user, new $Calendar.CreateSubscribedCalendarRequest(body), f.headers('CreateSubscribedCalendar'), runtime()));
    const get = (user: string, id: string) =>
      plain(f.client.getSubscribedCalendarWithOptions(user, id, f.headers('GetSubscribedCalendar'), runtime()));
    // The SDK's UpdateSubscribedCalendars takes calendarId before userId.
    const update = (user: string, id: string, body: object) =>
      plain(f.client.updateSubscribedCalendarsWithOptions(id, user, new $Calendar.UpdateSubscribedCalendarsRequest(body), f.headers('UpdateSubscribedCalendars'), runtime()));
    const remove = (user: string, id: string) =>
      plain(f.client.deleteSubscribedCalendarWithOptions(user, id, f.headers('DeleteSubscribedCalendar'), runtime()));
    const subscribe = (user: string, id: string) =>
      f.client.subscribeCalendarWithOptions(user, id, f.headers('SubscribeCalendar'), runtime());
    const unsubscribe = (user: string, id: string) =>
      plain(f.client.unsubscribeCalendarWithOptions(user, id, f.headers('UnsubscribeCalendar'), runtime()));
    const listed = async (user: string) => (await api.calendars(user)).response.calendars.map((c: any) => c.id);
    const feishuListed = async (user: string) => {
      const res = await f.s.lark().calendar.v4.calendar.list({ params: { page_size: 500 } }, lark.withUserAccessToken(await f.s.userToken(user)));
      assert.equal(res.code, 0, res.msg);
      return res.data!.calendar_list!.map((c) => c.calendar_id);
    };
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('created with managers and a scope; read back by who it reaches, refused to others', async () => {
      const { calendarId } = await create('on_zhangsan', {
        name: '发布日历', description: 'releases', managers: ['on_lisi'],
        subscribeScope: { unionIds: ['on_zhaoliu'], openConversationIds: ['oc_team'] },
      });
      assert.ok(calendarId);
      const seen = await get('on_zhangsan', calendarId);
      assert.deepEqual(seen, {
        calendarId, name: '发布日历', description: 'releases', author: 'on_zhangsan', managers: ['on_zhangsan', 'on_lisi'],
        subscribeScope: { unionIds: ['on_zhaoliu'], openConversationIds: ['oc_team'], corpIds: [] },
      });
      // A named user and a member of the named group conversation read it; others may not.
      assert.equal((await get('on_zhaoliu', calendarId)).name, '发布日历');
      assert.equal((await get('on_wangwu', calendarId)).name, '发布日历');
      const outside = await failure(get('on_sunqi', calendarId));
      assert.deepEqual([outside.status, outside.code], [400, 'permissionDeny']);
      // It is on its author's list in both dialects.
      assert.ok((await listed('on_zhangsan')).includes(calendarId));
      assert.ok((await feishuListed('zhangsan')).includes(calendarId));
    });

    test('a subscriber sees it on both lists and reads its events; unsubscribing takes it away', async () => {
      const { calendarId } = await create('on_zhangsan', { name: 'Team days', subscribeScope: { corpIds: ['acme'] } });
      const { id } = await api.create('on_zhangsan', meeting('offsite', at(4, 10)), { calendarId });
      assert.ok(!(await listed('on_sunqi')).includes(calendarId));
      const denied = await failure(api.list('on_sunqi', {}, { calendarId }));
      assert.equal(denied.code, 'permissionDeny');
      await subscribe('on_sunqi', calendarId);
      await subscribe('on_sunqi', calendarId);
      assert.ok((await listed('on_sunqi')).includes(calendarId));
      assert.ok((await feishuListed('sunqi')).includes(calendarId));
      const events = (await api.list('on_sunqi', {}, { calendarId })).events;
      assert.deepEqual(events.map((e: any) => [e.id, e.summary]), [[id, 'offsite']]);
      // A reader does not write.
      const write = await failure(api.create('on_sunqi', meeting('mine', at(4, 12)), { calendarId }));
      assert.equal(write.code, 'permissionDeny');
      assert.deepEqual(await unsubscribe('on_sunqi', calendarId), { result: true });
      assert.ok(!(await listed('on_sunqi')).includes(calendarId));
      assert.ok(!(await feishuListed('sunqi')).includes(calendarId));
      assert.equal((await failure(api.list('on_sunqi', {}, { calendarId }))).code, 'permissionDeny');
      await assertLogRebuildsCalendars(f);
    });

    test('outside the scope no subscription; managers change it, others may not; delete takes it from every list', async () => {
      const { calendarId } = await create('on_zhangsan', { name: 'Ops', managers: ['on_lisi'], subscribeScope: { unionIds: ['on_wangwu'] } });
      const refused = await failure(subscribe('on_zhouba', calendarId));
      assert.deepEqual([refused.status, refused.code], [400, 'permissionDeny']);
      assert.ok(!(await listed('on_zhouba')).includes(calendarId));
      await subscribe('on_wangwu', calendarId);
      // A manager writes its events and changes it.
      await api.create('on_lisi', meeting('on call', at(5, 9)), { calendarId });
      assert.deepEqual(await update('on_lisi', calendarId, { name: 'Operations', managers: ['on_zhaoliu'], subscribeScope: { unionIds: ['on_wangwu', 'on_zhouba'] } }), { result: true });
      const now = await get('on_zhouba', calendarId);
      assert.deepEqual([now.name, now.managers, now.subscribeScope.unionIds], ['Operations', ['on_zhangsan', 'on_zhaoliu'], ['on_wangwu', 'on_zhouba']]);
      // lisi is no manager any more.
      assert.equal((await failure(update('on_lisi', calendarId, { name: 'mine' }))).code, 'permissionDeny');
      assert.equal((await failure(update('on_wangwu', calendarId, { name: 'mine' }))).code, 'permissionDeny');
      assert.equal((await failure(remove('on_wangwu', calendarId))).code, 'permissionDeny');
      // Before the delete: a deleted calendar keeps its rows, which the log rule counts as gone.
      await assertLogRebuildsCalendars(f);
      assert.deepEqual(await remove('on_zhaoliu', calendarId), { result: true });
      const gone = await failure(get('on_zhangsan', calendarId));
      assert.deepEqual([gone.status, gone.code], [404, 'resourceNotFound']);
      assert.ok(!(await listed('on_wangwu')).includes(calendarId));
      assert.ok(!(await listed('on_zhangsan')).includes(calendarId));
    });

    test('bad input names its field and changes nothing', async () => {
      const blank = await failure(create('on_zhangsan', { name: ' ' }));
      assert.deepEqual([blank.status, blank.code, /name/.test(blank.message)], [400, 'invalidParameter', true]);
      const manager = await failure(create('on_zhangsan', { name: 'x', managers: ['on_nobody'] }));
      assert.deepEqual([manager.code, /managers\[0\]/.test(manager.message)], ['invalidParameter', true]);
      const chat = await failure(create('on_zhangsan', { name: 'x', subscribeScope: { openConversationIds: ['oc_nowhere'] } }));
      assert.deepEqual([chat.code, /openConversationIds\[0\]/.test(chat.message)], ['invalidParameter', true]);
      const corp = await failure(create('on_zhangsan', { name: 'x', subscribeScope: { corpIds: ['globex'] } }));
      assert.deepEqual([corp.code, /corpIds\[0\]/.test(corp.message)], ['invalidParameter', true]);
      const before = await listed('on_zhangsan');
      const unknown = await failure(get('on_zhangsan', 'no_such_calendar'));
      assert.deepEqual([unknown.status, unknown.code, typeof unknown.data.requestid], [404, 'resourceNotFound', 'string']);
      // A plain shared calendar is no subscribed calendar.
      const primary = (await api.calendars('on_zhangsan')).response.calendars.find((c: any) => c.id === 'primary');
      assert.ok(primary);
      assert.equal((await failure(subscribe('on_lisi', 'primary'))).code, 'resourceNotFound');
      const other = await failure(create('on_zhangsan', { name: 'x' }).then(() => get('on_zhangsan', 'x')));
      assert.equal(other.code, 'resourceNotFound');
      assert.equal((await listed('on_zhangsan')).length, before.length + 1);
    });
  });
}
