import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withUserAccessToken } from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { email, invite, newEvent, refused, sdk, user } from './attendee-fixtures.js';
import type { Sdk } from './attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEventAttendee.list and calendarEvent.get need_attendee`, () => {
    let s: TestServer;
    let api: Sdk;
    let zhangsan: string;
    let lisi: string;
    let wangwu: string;
    before(async () => {
      s = await startServer(kind);
      api = sdk(s.lark());
      [zhangsan, lisi, wangwu] = await Promise.all(['zhangsan', 'lisi', 'wangwu'].map((u) => s.userToken(u)));
    });
    after(() => s.close());

    test('lists top-level attendees by attendee_id, user ids in user_id_type, a chat with its members', async () => {
      const eventId = await newEvent(api, zhangsan);
      const added = await invite(api, zhangsan, 'primary', eventId, [{ type: 'chat', chat_id: 'oc_team' }, user('ou_sunqi'), email(1)]);
      const res = await api.list(zhangsan, 'primary', eventId, { user_id_type: 'user_id' });
      assert.equal(res.code, 0);
      const items = res.data!.items!;
      assert.equal(res.data!.has_more, false);
      assert.equal('page_token' in res.data!, false);
      assert.deepEqual(items.map((a) => a.attendee_id), added.map((a) => a.attendee_id).sort());
      assert.deepEqual(items.filter((a) => a.type === 'user').map((a) => a.user_id).sort(), ['sunqi', 'zhangsan']);
      const chat = items.find((a) => a.type === 'chat')!;
      assert.deepEqual(chat.chat_members!.map((m) => m.display_name).sort(), ['李四', '王五']);
    });

    test('page_size: under 10 counts as 10, over 100 is 190002; listWithIterator walks 250 attendees', async () => {
      const eventId = await newEvent(api, zhangsan);
      for (let i = 0; i < 250; i += 125) {
        await invite(api, zhangsan, 'primary', eventId, Array.from({ length: 125 }, (_, j) => email(i + j)), { add_operator_to_attendee: false });
      }
      const small = await api.list(zhangsan, 'primary', eventId, { page_size: 3 });
      assert.equal(small.data!.items!.length, 10);
      assert.equal(small.data!.has_more, true);
      assert.ok(small.data!.page_token);
      const byDefault = await api.list(zhangsan, 'primary', eventId);
      assert.equal(byDefault.data!.items!.length, 20);
      await refused(api.list(zhangsan, 'primary', eventId, { page_size: 101 }), 400, 190002, 'page_size');
      await refused(api.list(zhangsan, 'primary', eventId, { page_token: 'garbage' }), 400, 190008);

      const pages: number[] = [];
      const emails: string[] = [];
      const iterator = await s.lark().calendar.v4.calendarEventAttendee.listWithIterator(
        { path: { calendar_id: 'primary', event_id: eventId }, params: { page_size: 100 } }, withUserAccessToken(zhangsan));
      for await (const page of iterator) {
        pages.push(page!.items!.length);
        emails.push(...page!.items!.map((a) => a.third_party_email!));
      }
      assert.deepEqual(pages, [100, 100, 50]);
      assert.equal(new Set(emails).size, 250);
      assert.deepEqual(new Set(emails), new Set(Array.from({ length: 250 }, (_, i) => `guest${i}@example.org`)));

      // The last page has has_more false and no page_token key at all.
      let token: string | undefined;
      let last;
      do {
        last = await api.list(zhangsan, 'primary', eventId, { page_size: 100, ...(token ? { page_token: token } : {}) });
        token = last.data!.page_token;
      } while (last.data!.has_more);
      assert.equal('page_token' in last.data!, false);
    });

    test('who may list: the organizer side always, attendees unless attendee_ability is none, readers of the organizer calendar', async () => {
      for (const [ability, allowed] of [['none', false], ['can_see_others', true], ['can_invite_others', true], ['can_modify_event', true]] as const) {
        const eventId = await newEvent(api, zhangsan, 'primary', { attendee_ability: ability });
        await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
        assert.equal((await api.list(zhangsan, 'primary', eventId)).data!.items!.length, 2, ability);
        if (allowed) assert.equal((await api.list(lisi, 'primary', eventId)).data!.items!.length, 2, ability);
        else await refused(api.list(lisi, 'primary', eventId), 403, 193002);
      }
      const eventId = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'none' });
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const zhangsanPrimary = await api.primary(zhangsan);
      // wangwu sees zhangsan's primary as free/busy only: too little to list.
      await refused(api.list(wangwu, zhangsanPrimary, eventId), 403, 191002);
      await api.grant(zhangsan, zhangsanPrimary, 'wangwu', 'reader');
      assert.equal((await api.list(wangwu, zhangsanPrimary, eventId)).data!.items!.length, 2);
      // A private event shows a reader only its busy time: no attendee list either.
      const secret = await newEvent(api, zhangsan, 'primary', { visibility: 'private' });
      await invite(api, zhangsan, 'primary', secret, [user('ou_lisi')]);
      await refused(api.list(wangwu, zhangsanPrimary, secret), 403, 193002);
      const globex = sdk(s.lark('cli_globex'));
      await refused(globex.list(undefined, zhangsanPrimary, eventId), 404, 191000);
      await refused(globex.list(undefined, 'primary', eventId), 404, 193001);
    });

    test('get with need_attendee: attendees (max_attendee_num, default 10) and has_more_attendee', async () => {
      const eventId = await newEvent(api, zhangsan);
      assert.equal((await api.getEvent(zhangsan, 'primary', eventId, { need_attendee: true })).data!.event!.has_more_attendee, false);
      await invite(api, zhangsan, 'primary', eventId, [{ type: 'chat', chat_id: 'oc_team' }, ...Array.from({ length: 11 }, (_, i) => email(i))]);
      const plain = await api.getEvent(zhangsan, 'primary', eventId);
      assert.equal(plain.data!.event!.attendees, undefined);
      const first = await api.getEvent(zhangsan, 'primary', eventId, { need_attendee: true });
      assert.equal(first.data!.event!.attendees!.length, 10);
      assert.equal(first.data!.event!.has_more_attendee, true);
      const all = await api.getEvent(zhangsan, 'primary', eventId, { need_attendee: true, max_attendee_num: 100, user_id_type: 'union_id' });
      const attendees = all.data!.event!.attendees!;
      assert.equal(attendees.length, 13);
      assert.equal(all.data!.event!.has_more_attendee, false);
      assert.equal(attendees.find((a) => a.is_organizer)!.user_id, 'on_zhangsan');
      assert.deepEqual(attendees.find((a) => a.type === 'chat')!.chat_members!.map((m) => m.display_name).sort(), ['李四', '王五']);
      await refused(api.getEvent(zhangsan, 'primary', eventId, { need_attendee: true, max_attendee_num: 101 }), 400, 190002, 'max_attendee_num');
      // An invitee who may not see the list still gets the event, with an empty list.
      const hidden = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'none' });
      await invite(api, zhangsan, 'primary', hidden, [user('ou_lisi')]);
      const asLisi = await api.getEvent(lisi, 'primary', hidden, { need_attendee: true });
      assert.deepEqual([asLisi.data!.event!.attendees, asLisi.data!.event!.has_more_attendee], [[], false]);
    });
  });
}
