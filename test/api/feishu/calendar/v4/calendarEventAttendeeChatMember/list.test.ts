import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withUserAccessToken } from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { email, invite, newEvent, refused, sdk, user } from '../calendarEventAttendee/attendee-fixtures.js';
import type { Sdk } from '../calendarEventAttendee/attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEventAttendeeChatMember.list`, () => {
    let s: TestServer;
    let api: Sdk;
    let zhangsan: string;
    let lisi: string;
    let zhaoliu: string;
    before(async () => {
      s = await startServer(kind);
      api = sdk(s.lark());
      [zhangsan, lisi, zhaoliu] = await Promise.all(['zhangsan', 'lisi', 'zhaoliu'].map((u) => s.userToken(u)));
    });
    after(() => s.close());

    test('lists the members invited through a chat attendee, with open_id whatever user_id_type says', async () => {
      const eventId = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'can_see_others' });
      const [chat] = await invite(api, zhangsan, 'primary', eventId, [{ type: 'chat', chat_id: 'oc_team', is_optional: true }], { add_operator_to_attendee: false });
      assert.equal(chat.chat_members!.length, 3);
      const res = await api.members(zhangsan, 'primary', eventId, chat.attendee_id!, { user_id_type: 'user_id' });
      assert.equal(res.code, 0);
      assert.equal(res.data!.has_more, false);
      assert.equal('page_token' in res.data!, false);
      const byName = Object.fromEntries(res.data!.items!.map((m) => [m.display_name, m]));
      assert.deepEqual(Object.keys(byName).sort(), ['张三', '李四', '王五'].sort());
      assert.deepEqual(byName['张三'], { rsvp_status: 'accept', is_optional: true, display_name: '张三', open_id: 'ou_zhangsan', is_organizer: true, is_external: false });
      assert.equal(byName['李四'].open_id, 'ou_lisi');
      assert.equal(byName['李四'].is_organizer, false);
      // A member sees the list too (attendee_ability can_see_others); the iterator yields one page.
      const pages = [];
      for await (const page of await s.lark().calendar.v4.calendarEventAttendeeChatMember.listWithIterator(
        { path: { calendar_id: 'primary', event_id: eventId, attendee_id: chat.attendee_id! }, params: { page_size: 5 } }, withUserAccessToken(lisi))) {
        pages.push(page!.items!.length);
      }
      assert.deepEqual(pages, [3]);
      await refused(api.members(zhangsan, 'primary', eventId, chat.attendee_id!, { page_size: 101 }), 400, 190002, 'page_size');
      await refused(api.members(zhangsan, 'primary', eventId, chat.attendee_id!, { page_token: 'x' }), 400, 190008);
    });

    test('the caller must see the attendees and, as a user, be in the chat; an app organizer may', async () => {
      const eventId = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'can_see_others' });
      const [chat] = await invite(api, zhangsan, 'primary', eventId, [{ type: 'chat', chat_id: 'oc_team' }, user('ou_zhaoliu')]);
      // zhaoliu may see the attendee list but is not in oc_team.
      assert.equal((await api.list(zhaoliu, 'primary', eventId)).code, 0);
      await refused(api.members(zhaoliu, 'primary', eventId, chat.attendee_id!), 403, 193002);
      const hidden = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'none' });
      const [hiddenChat] = await invite(api, zhangsan, 'primary', hidden, [{ type: 'chat', chat_id: 'oc_team' }]);
      await refused(api.members(lisi, 'primary', hidden, hiddenChat.attendee_id!), 403, 193002);

      const botEvent = await newEvent(api, undefined);
      const [botChat] = await invite(api, undefined, 'primary', botEvent, [{ type: 'chat', chat_id: 'oc_team' }]);
      assert.equal((await api.members(undefined, 'primary', botEvent, botChat.attendee_id!)).data!.items!.length, 3);
      const globex = sdk(s.lark('cli_globex'));
      await refused(globex.members(undefined, 'primary', botEvent, botChat.attendee_id!), 404, 193001);
      await refused(globex.members(undefined, await api.primary(zhangsan), eventId, chat.attendee_id!), 404, 191000);
    });

    test('an unknown attendee id, or one that is not a chat, is 194000', async () => {
      const eventId = await newEvent(api, zhangsan);
      const [guest] = await invite(api, zhangsan, 'primary', eventId, [email(1)]);
      await refused(api.members(zhangsan, 'primary', eventId, 'chat_nope'), 404, 194000, 'attendee_id');
      await refused(api.members(zhangsan, 'primary', eventId, guest.attendee_id!), 404, 194000, 'attendee_id');
    });
  });
}
