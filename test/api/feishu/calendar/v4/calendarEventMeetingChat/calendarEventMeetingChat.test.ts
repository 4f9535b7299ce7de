import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { invite, newEvent, refused, sdk, user } from '../calendarEventAttendee/attendee-fixtures.js';
import type { Sdk } from '../calendarEventAttendee/attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEventMeetingChat`, () => {
    let s: TestServer;
    let c: lark.Client;
    let api: Sdk;
    let zhangsan: string;
    let lisi: string;
    let zhaoliu: string;
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      api = sdk(c);
      [zhangsan, lisi, zhaoliu] = await Promise.all(['zhangsan', 'lisi', 'zhaoliu'].map((u) => s.userToken(u)));
    });
    after(() => s.close());

    const create = (who: string | undefined, calendarId: string, eventId: string) =>
      c.calendar.v4.calendarEventMeetingChat.create({ path: { calendar_id: calendarId, event_id: eventId } }, ...(who ? [lark.withUserAccessToken(who)] : []));
    const unbind = (who: string, calendarId: string, eventId: string, chatId: string) =>
      c.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: calendarId, event_id: eventId }, params: { meeting_chat_id: chatId } }, lark.withUserAccessToken(who));
    const seq = () => s.server.ctx.store.read((r) => r.calendars.currentSeq());
    const schemaLink = async (who: string, eventId: string, uiName: string) =>
      (await api.getEvent(who, 'primary', eventId)).data!.event!.schemas?.find((x) => x.ui_name === uiName)?.app_link;

    test('the organizer makes the chat: its members are the event\'s users, it shows on the event, and it is a chat like any other', async () => {
      const eventId = await newEvent(api, zhangsan);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi'), { type: 'chat', chat_id: 'oc_team' }, { type: 'third_party', third_party_email: 'guest@example.org' }]);
      const res = await create(zhangsan, 'primary', eventId);
      assert.equal(res.code, 0, JSON.stringify(res));
      const chatId = res.data!.meeting_chat_id!;
      assert.match(chatId, /^oc_[0-9a-f]{32}$/);
      assert.equal(res.data!.applink, `https://applink.feishu.cn/client/chat/open?openChatId=${chatId}`);
      assert.equal(await schemaLink(zhangsan, eventId, 'MeetingChatIcon'), res.data!.applink);

      // Invited to another event, the chat brings its members: the organizer and every user attendee.
      const other = await newEvent(api, zhangsan);
      const [chat] = await invite(api, zhangsan, 'primary', other, [{ type: 'chat', chat_id: chatId }], { add_operator_to_attendee: false });
      const members = (await api.members(zhangsan, 'primary', other, chat.attendee_id!)).data!.items!;
      assert.deepEqual(members.map((m) => m.open_id).sort(), ['ou_lisi', 'ou_wangwu', 'ou_zhangsan']);

      // One chat per event.
      const before = await seq();
      await refused(create(zhangsan, 'primary', eventId), 400, 190002, 'event_id');
      assert.equal(await seq(), before);

      // Unbinding: the chat's id must be the event's, the caller its owner.
      await refused(unbind(zhangsan, 'primary', eventId, 'oc_team'), 400, 190002, 'meeting_chat_id');
      await refused(unbind(lisi, 'primary', eventId, chatId), 403, 193002);
      assert.equal(await seq(), before);
      assert.equal((await unbind(zhangsan, 'primary', eventId, chatId)).code, 0);
      assert.equal(await schemaLink(zhangsan, eventId, 'MeetingChatIcon'), undefined);
      await refused(unbind(zhangsan, 'primary', eventId, chatId), 400, 190002, 'meeting_chat_id');
      // The chat itself stays (its members still list); the event may have a new one.
      assert.equal((await api.members(zhangsan, 'primary', other, chat.attendee_id!)).data!.items!.length, 3);
      const again = await create(zhangsan, 'primary', eventId);
      assert.equal(again.code, 0);
      assert.notEqual(again.data!.meeting_chat_id, chatId);
    });

    test('refusals: an attendee, an event without attendees, another calendar than the caller\'s primary; nothing is written', async () => {
      const eventId = await newEvent(api, zhangsan);
      const lonely = await newEvent(api, zhangsan);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const before = await seq();
      // lisi holds the event as an attendee, not its organizer.
      await refused(create(lisi, 'primary', eventId), 403, 193002);
      await refused(create(zhangsan, 'primary', lonely), 400, 190002, 'event_id');
      assert.equal(await seq(), before);
      // The app has no writer role on the organizer's calendar (nor is it the app's primary calendar).
      const zhangsanPrimary = await api.primary(zhangsan);
      await refused(create(undefined, zhangsanPrimary, eventId), 403, 191002);
      // A writer on zhangsan's calendar still acts on a calendar that is not their own primary.
      await api.grant(zhangsan, zhangsanPrimary, 'zhaoliu', 'writer');
      const granted = await seq();
      await refused(create(zhaoliu, zhangsanPrimary, eventId), 403, 193002);
      assert.equal(await seq(), granted);
      // Not in zhaoliu's calendar at all.
      await refused(create(zhaoliu, 'primary', eventId), 404, 193001);
      await refused(create(zhangsan, 'primary', 'nope'), 400, 193000);
      await refused(c.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: 'primary', event_id: eventId }, params: {} as any }, lark.withUserAccessToken(zhangsan)), 400, 190002, 'meeting_chat_id');
      assert.equal(await seq(), granted);
    });

    test('an app makes the chat of an event on its own calendar; it owns the chat', async () => {
      const eventId = await newEvent(api, undefined);
      await invite(api, undefined, 'primary', eventId, [user('ou_lisi')]);
      const res = await create(undefined, 'primary', eventId);
      assert.equal(res.code, 0, JSON.stringify(res));
      const del = await c.calendar.v4.calendarEventMeetingChat.delete({ path: { calendar_id: 'primary', event_id: eventId }, params: { meeting_chat_id: res.data!.meeting_chat_id! } });
      assert.equal(del.code, 0);
    });
  });
}
