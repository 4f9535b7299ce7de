import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { invite, newEvent, refused, sdk, stateOf, user } from '../calendarEventAttendee/attendee-fixtures.js';
import type { Sdk } from '../calendarEventAttendee/attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent.reply`, () => {
    let s: TestServer;
    let api: Sdk;
    let zhangsan: string;
    let lisi: string;
    let wangwu: string;
    let zhaoliu: string;
    before(async () => {
      s = await startServer(kind);
      api = sdk(s.lark());
      [zhangsan, lisi, wangwu, zhaoliu] = await Promise.all(['zhangsan', 'lisi', 'wangwu', 'zhaoliu'].map((u) => s.userToken(u)));
    });
    after(() => s.close());

    test('an invited user answers: self_rsvp_status and the attendee list follow', async () => {
      const eventId = await newEvent(api, zhangsan);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const organizerSync = (await api.listEvents(zhangsan, 'primary')).data!.sync_token!;
      for (const rsvp of ['accept', 'tentative', 'decline'] as const) {
        const res = await api.reply(lisi, 'primary', eventId, rsvp);
        assert.equal(res.code, 0);
        assert.deepEqual(res.data, {});
        assert.equal((await api.getEvent(lisi, 'primary', eventId)).data!.event!.self_rsvp_status, rsvp);
        const listed = (await api.list(zhangsan, 'primary', eventId)).data!.items!;
        assert.equal(listed.find((a) => a.user_id === 'ou_lisi')!.rsvp_status, rsvp);
      }
      // The organizer's own answer is theirs to change too.
      assert.equal((await api.getEvent(zhangsan, 'primary', eventId)).data!.event!.self_rsvp_status, 'accept');
      await api.reply(zhangsan, 'primary', eventId, 'tentative');
      assert.equal((await api.getEvent(zhangsan, 'primary', eventId)).data!.event!.self_rsvp_status, 'tentative');
      const changes = await api.listEvents(zhangsan, 'primary', { sync_token: organizerSync });
      assert.deepEqual(changes.data!.items!.map((e) => e.event_id), [eventId]);
    });

    test('a member invited through a chat answers for themselves', async () => {
      const eventId = await newEvent(api, zhangsan);
      const [chat] = await invite(api, zhangsan, 'primary', eventId, [{ type: 'chat', chat_id: 'oc_team' }]);
      assert.equal((await api.reply(wangwu, 'primary', eventId, 'accept')).code, 0);
      const members = (await api.members(zhangsan, 'primary', eventId, chat.attendee_id!)).data!.items!;
      assert.deepEqual(members.map((m) => [m.open_id, m.rsvp_status]).sort(), [['ou_lisi', 'needs_action'], ['ou_wangwu', 'accept']]);
      // Invited later in their own right, wangwu keeps the answer.
      const [direct] = await invite(api, zhangsan, 'primary', eventId, [user('ou_wangwu')]);
      assert.equal(direct.rsvp_status, 'accept');
      assert.equal((await api.getEvent(wangwu, 'primary', eventId)).data!.event!.self_rsvp_status, 'accept');
    });

    test('only an invited user may reply; bad rsvp_status is 190002; nothing changes on refusal', async () => {
      const eventId = await newEvent(api, zhangsan);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const before = await stateOf(s, eventId);
      // Not invited: the event is not in zhaoliu's calendar; through the organizer's calendar, not an attendee.
      await refused(api.reply(zhaoliu, 'primary', eventId, 'accept'), 404, 193001);
      const zhangsanPrimary = await api.primary(zhangsan);
      await refused(api.reply(zhaoliu, zhangsanPrimary, eventId, 'accept'), 403, 193002);
      // The tenant's app sees the calendar's free/busy, but a bot is never an attendee.
      await refused(api.reply(undefined, zhangsanPrimary, eventId, 'accept'), 403, 193002);
      const globex = sdk(s.lark('cli_globex'));
      await refused(globex.reply(undefined, zhangsanPrimary, eventId, 'accept'), 404, 191000);
      for (const bad of ['needs_action', 'removed', 'maybe', '']) {
        await refused(api.reply(lisi, 'primary', eventId, bad), 400, 190002, 'rsvp_status');
      }
      await refused(s.lark().calendar.v4.calendarEvent.reply(
        { path: { calendar_id: 'primary', event_id: eventId }, data: {} as any }, { headers: {} }), 400, 190002);
      await refused(api.reply(lisi, 'primary', 'nope', 'accept'), 400, 193000);
      assert.equal(await stateOf(s, eventId), before);
    });
  });
}
