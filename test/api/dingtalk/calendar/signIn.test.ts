import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { TestClock } from '../../../helpers/server.js';
import { dingtalkConfig, oauth2 as $Oauth2 } from '../../../helpers/dingtalk.js';
import { $Calendar, HOUR, UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk check-in, sign-in and sign-out`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const clock = new TestClock();
    const plain = async (p: Promise<any>) => JSON.parse(JSON.stringify((await p).body ?? null));
    // The clock moves across days: an app token issued at the clock's time, as a client fetches one.
    let token = '';
    const h = (name: string) => f.headers(name, { token });
    const checkIn = (user: string, id: string) => plain(f.client.checkInWithOptions(user, 'primary', id, h('CheckIn'), runtime()));
    const signIn = (user: string, id: string) => plain(f.client.signInWithOptions(user, 'primary', id, h('SignIn'), runtime()));
    const signOut = (user: string, id: string) => plain(f.client.signOutWithOptions(user, 'primary', id, h('SignOut'), runtime()));
    // The SDK's link calls take calendarId before userId.
    const inLink = (user: string, id: string) => plain(f.client.getSignInLinkWithOptions('primary', user, id, h('GetSignInLink'), runtime()));
    const outLink = (user: string, id: string) => plain(f.client.getSignOutLinkWithOptions('primary', user, id, h('GetSignOutLink'), runtime()));
    const inList = (user: string, id: string, q: object) =>
      plain(f.client.getSignInListWithOptions(user, 'primary', id, new $Calendar.GetSignInListRequest(q), h('GetSignInList'), runtime()));
    const outList = (user: string, id: string, q: object) =>
      plain(f.client.getSignOutListWithOptions(user, 'primary', id, new $Calendar.GetSignOutListRequest(q), h('GetSignOutList'), runtime()));
    const setTime = async (epochSeconds: number) => {
      clock.ms = epochSeconds * 1000;
      const oauth = new $Oauth2.default(dingtalkConfig(f.s.url));
      token = (await oauth.getAccessToken(new $Oauth2.GetAccessTokenRequest({ appKey: 'dingacme', appSecret: 'acme-secret' }))).body!.accessToken!;
    };
    before(async () => {
      f = await dingtalkFixture(kind, { clock });
      api = calls(f);
      await setTime(at(0, 8));
    });
    after(() => f.close());

    test('the organizer and attendees sign in inside the window; the first time stays; others may not', async () => {
      const start = at(0, 10);
      const { id } = await api.create('on_zhangsan', meeting('standup', start, { attendees: [{ id: 'on_lisi' }, { id: 'on_wangwu' }] }), { token });
      await setTime(start - 20 * 60);
      const early = await failure(signIn('on_lisi', id));
      assert.deepEqual([early.status, early.code, /eventId/.test(early.message)], [400, 'invalidParameter', true]);
      await setTime(start - 10 * 60);
      assert.deepEqual(await signIn('on_lisi', id), { checkInTime: clock.ms });
      const first = clock.ms;
      await setTime(start + 60);
      assert.deepEqual(await checkIn('on_lisi', id), { checkInTime: first });
      assert.deepEqual(await checkIn('on_zhangsan', id), { checkInTime: clock.ms });
      // Not invited: the event is not on their calendar.
      const stranger = await failure(signIn('on_sunqi', id));
      assert.equal(stranger.code, 'itemNotFound');
      await setTime(start + HOUR + 60);
      const late = await failure(signIn('on_wangwu', id));
      assert.deepEqual([late.code, /closed/.test(late.message)], ['invalidParameter', true]);
      assert.deepEqual(await signOut('on_wangwu', id), { checkOutTime: clock.ms });
      await setTime(start + 3 * HOUR);
      assert.equal((await failure(signOut('on_lisi', id))).code, 'invalidParameter');
      const missing = await failure(signIn('on_zhangsan', UNKNOWN_EVENT_ID));
      assert.deepEqual([missing.status, missing.code], [404, 'itemNotFound']);
    });

    test('lists page with nextToken and maxResults, for the organizer only', async () => {
      const start = at(1, 10);
      const { id } = await api.create('on_zhangsan', meeting('review', start, {
        attendees: ['on_lisi', 'on_wangwu', 'on_zhaoliu', 'on_sunqi'].map((u) => ({ id: u })),
      }), { token });
      await setTime(start);
      for (const u of ['on_lisi', 'on_wangwu', 'on_zhaoliu']) await signIn(u, id);
      const seen: any[] = [];
      let nextToken: string | undefined;
      do {
        const page = await inList('on_zhangsan', id, { type: 'check_in', maxResults: 2, ...(nextToken ? { nextToken } : {}) });
        assert.ok(page.users.length <= 2);
        seen.push(...page.users);
        nextToken = page.nextToken;
      } while (nextToken);
      assert.deepEqual(seen.map((u) => u.userId).sort(), ['on_lisi', 'on_wangwu', 'on_zhaoliu']);
      assert.ok(seen.every((u) => u.checkInTime === start * 1000 && typeof u.displayName === 'string'));
      const waiting = await inList('on_zhangsan', id, { type: 'not_yet_check_in', maxResults: 100 });
      assert.deepEqual(waiting.users.map((u: any) => u.userId).sort(), ['on_sunqi', 'on_zhangsan']);
      assert.equal(waiting.nextToken, undefined);
      await setTime(start + HOUR);
      await signOut('on_lisi', id);
      const out = await outList('on_zhangsan', id, { type: 'check_out', maxResults: 10 });
      assert.deepEqual(out.users.map((u: any) => [u.userId, u.checkOutTime]), [['on_lisi', clock.ms]]);
      const attendee = await failure(inList('on_lisi', id, { type: 'check_in', maxResults: 10 }));
      assert.equal(attendee.code, 'permissionDeny');
      const type = await failure(inList('on_zhangsan', id, { type: 'check_out', maxResults: 10 }));
      assert.deepEqual([type.code, /type/.test(type.message)], ['invalidParameter', true]);
      const size = await failure(inList('on_zhangsan', id, { type: 'check_in', maxResults: 1000 }));
      assert.deepEqual([size.code, /maxResults/.test(size.message)], ['invalidParameter', true]);
      const garbage = await failure(inList('on_zhangsan', id, { type: 'check_in', maxResults: 10, nextToken: 'garbage' }));
      assert.match(garbage.message, /nextToken/);
    });

    test('the links rili hands out resolve: opening one signs that person in or out', async () => {
      const start = at(2, 10);
      const { id } = await api.create('on_zhangsan', meeting('all hands', start, { attendees: [{ id: 'on_lisi' }] }), { token });
      const { signInLink } = await inLink('on_zhangsan', id);
      const { signOutLink } = await outLink('on_zhangsan', id);
      assert.ok(signInLink.startsWith(f.s.url));
      assert.equal((await failure(inLink('on_lisi', id))).code, 'permissionDeny');
      const page = await fetch(signInLink);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.ok(html.includes('李四') && html.includes('张三'));
      await setTime(start + 5 * 60);
      const opened = await fetch(`${signInLink}&userId=on_lisi`);
      assert.equal(opened.status, 200);
      assert.match(await opened.text(), new RegExp(`data-at="${clock.ms}"`));
      const list = await inList('on_zhangsan', id, { type: 'check_in', maxResults: 10 });
      assert.deepEqual(list.users.map((u: any) => [u.userId, u.checkInTime]), [['on_lisi', clock.ms]]);
      await setTime(start + HOUR + 5 * 60);
      assert.equal((await fetch(`${signOutLink}&userId=on_lisi`)).status, 200);
      assert.equal((await outList('on_zhangsan', id, { type: 'check_out', maxResults: 10 })).users[0].userId, 'on_lisi');
      const stranger = await fetch(`${signInLink}&userId=on_sunqi`);
      assert.equal(stranger.status, 400);
      assert.equal((await stranger.json()).code, 'permissionDeny');
      const forged = await fetch(signInLink.replace(/sig=[^&]+/, 'sig=forged'));
      assert.equal(forged.status, 404);
    });

    test('an event whose Feishu check-in settings are off takes no sign-in; its own window applies when on', async () => {
      const start = at(3, 10);
      const { id } = await api.create('on_zhangsan', meeting('settings', start), { token });
      const [uid] = id.split('_');
      const store = f.s.server.ctx.store;
      const event = (await store.read((r) => r.events.event(id)))!;
      const { eventRange } = await import('../../../../src/core/service/event-service.js');
      const put = (checkIn: object) => store.transact((w) => w.events.putEvent({ ...event, checkIn } as any, eventRange(event)));
      await put({ enableCheckIn: false });
      await setTime(start);
      assert.match((await failure(signIn('on_zhangsan', id))).message, /switched off/);
      await put({ enableCheckIn: true, checkInStartTime: { timeType: 'after_event_start', duration: 5 }, checkInEndTime: { timeType: 'after_event_start', duration: 15 } });
      assert.match((await failure(signIn('on_zhangsan', id))).message, /opens/);
      await setTime(start + 10 * 60);
      assert.deepEqual(await signIn('on_zhangsan', id), { checkInTime: clock.ms });
      assert.ok(uid);
    });
  });
}
