import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withUserAccessToken } from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { ATTENDEE_ID, MEETING_URL, email, eventIdsIn, invite, newEvent, refused, sdk, stateOf, user } from './attendee-fixtures.js';
import type { Sdk } from './attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEventAttendee.create`, () => {
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

    test('invites a user, a chat, a room and an email; the organizer joins as accepted organizer', async () => {
      const eventId = await newEvent(api, zhangsan);
      const added = await invite(api, zhangsan, 'primary', eventId, [
        user('on_lisi', { is_optional: true }),
        { type: 'chat', chat_id: 'oc_team' },
        { type: 'resource', room_id: 'omm_room1', approval_reason: 'weekly sync' },
        { type: 'third_party', third_party_email: 'Guest@Example.org' },
      ], {}, { user_id_type: 'union_id' });
      assert.equal(added.length, 5);
      for (const a of added) assert.match(a.attendee_id!, ATTENDEE_ID);
      const [lisiA, chat, room, guest, organizer] = added;
      assert.deepEqual(
        { type: lisiA.type, user_id: lisiA.user_id, rsvp: lisiA.rsvp_status, optional: lisiA.is_optional, organizer: lisiA.is_organizer, external: lisiA.is_external, name: lisiA.display_name },
        { type: 'user', user_id: 'on_lisi', rsvp: 'needs_action', optional: true, organizer: false, external: false, name: '李四' },
      );
      assert.match(lisiA.attendee_id!, /^user_/);
      assert.deepEqual({ type: chat.type, chat_id: chat.chat_id, name: chat.display_name, rsvp: chat.rsvp_status }, { type: 'chat', chat_id: 'oc_team', name: 'Team', rsvp: 'needs_action' });
      assert.match(chat.attendee_id!, /^chat_/);
      // zhangsan (the organizer) and lisi are attendees in their own right: only wangwu comes through the chat.
      assert.deepEqual(chat.chat_members, [{ rsvp_status: 'needs_action', is_optional: false, display_name: '王五', is_organizer: false, is_external: false }]);
      assert.deepEqual(
        { type: room.type, room_id: room.room_id, name: room.display_name, rsvp: room.rsvp_status, optional: room.is_optional, reason: room.approval_reason },
        { type: 'resource', room_id: 'omm_room1', name: 'Room 1', rsvp: 'accept', optional: false, reason: 'weekly sync' },
      );
      assert.match(room.attendee_id!, /^resource_/);
      assert.deepEqual(
        { type: guest.type, email: guest.third_party_email, external: guest.is_external, name: guest.display_name },
        { type: 'third_party', email: 'Guest@Example.org', external: true, name: 'Guest@Example.org' },
      );
      assert.match(guest.attendee_id!, /^third_party_/);
      assert.deepEqual(
        { type: organizer.type, user_id: organizer.user_id, organizer: organizer.is_organizer, rsvp: organizer.rsvp_status },
        { type: 'user', user_id: 'on_zhangsan', organizer: true, rsvp: 'accept' },
      );
    });

    test('the first attendees give an event without a meeting a Feishu VC link; an explicit no_meeting stays', async () => {
      const eventId = await newEvent(api, zhangsan);
      assert.equal((await api.getEvent(zhangsan, 'primary', eventId)).data!.event!.vchat, undefined);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const vchat = (await api.getEvent(zhangsan, 'primary', eventId)).data!.event!.vchat!;
      assert.equal(vchat.vc_type, 'vc');
      assert.match(vchat.meeting_url!, MEETING_URL);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_wangwu')]);
      assert.equal((await api.getEvent(zhangsan, 'primary', eventId)).data!.event!.vchat!.meeting_url, vchat.meeting_url);

      const quiet = await newEvent(api, zhangsan, 'primary', { vchat: { vc_type: 'no_meeting' } });
      await invite(api, zhangsan, 'primary', quiet, [user('ou_lisi')]);
      assert.deepEqual((await api.getEvent(zhangsan, 'primary', quiet)).data!.event!.vchat, { vc_type: 'no_meeting' });
    });

    test('inviting the same user, chat, room or email again returns the existing attendee and changes nothing', async () => {
      const eventId = await newEvent(api, zhangsan);
      const first = await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi'), { type: 'chat', chat_id: 'oc_team' }, { type: 'resource', room_id: 'omm_room2' }, email(1)]);
      const before = await stateOf(s, eventId);
      const same = await invite(api, zhangsan, 'primary', eventId, [email(1), { type: 'resource', room_id: 'omm_room2' }, { chat_id: 'oc_team' }, user('ou_lisi'), user('ou_lisi')]);
      assert.deepEqual(same.map((a) => a.attendee_id), [first[3], first[2], first[1], first[0]].map((a) => a.attendee_id));
      assert.equal(await stateOf(s, eventId), before);
      // The email match ignores case.
      const upper = await invite(api, zhangsan, 'primary', eventId, [{ type: 'third_party', third_party_email: 'GUEST1@example.org' }]);
      assert.equal(upper[0].attendee_id, first[3].attendee_id);
    });

    test('add_operator_to_attendee: false leaves the organizer out; a room\'s operate_id joins as an attendee', async () => {
      const eventId = await newEvent(api, zhangsan);
      const added = await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')], { add_operator_to_attendee: false });
      assert.deepEqual(added.map((a) => a.user_id), ['ou_lisi']);
      const listed = await api.list(zhangsan, 'primary', eventId);
      assert.deepEqual(listed.data!.items!.map((a) => a.user_id), ['ou_lisi']);

      const withRoom = await invite(api, zhangsan, 'primary', eventId, [{ type: 'resource', room_id: 'omm_room1', operate_id: 'ou_wangwu' }]);
      assert.equal(withRoom[0].operate_id, 'ou_wangwu');
      assert.deepEqual(withRoom.slice(1).map((a) => [a.user_id, a.is_organizer]).sort(), [['ou_wangwu', false], ['ou_zhangsan', true]]);
    });

    test('an invited user finds the event in their primary calendar, with their own rsvp', async () => {
      const eventId = await newEvent(api, zhangsan, 'primary', { summary: 'Offsite' });
      const lisiPrimary = await api.primary(lisi);
      assert.ok(!(await eventIdsIn(api, lisi, lisiPrimary)).includes(eventId));
      await refused(api.getEvent(lisi, 'primary', eventId), 404, 193001);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const got = await api.getEvent(lisi, 'primary', eventId);
      assert.equal(got.code, 0);
      assert.equal(got.data!.event!.summary, 'Offsite');
      assert.equal(got.data!.event!.self_rsvp_status, 'needs_action');
      assert.ok((await eventIdsIn(api, lisi, lisiPrimary)).includes(eventId));
      // A chat member is invited too: wangwu sees it through oc_team.
      await invite(api, zhangsan, 'primary', eventId, [{ type: 'chat', chat_id: 'oc_team' }]);
      assert.ok((await eventIdsIn(api, wangwu, 'primary')).includes(eventId));
    });

    test('an invitation is a change of the invitee\'s calendar for incremental sync', async () => {
      const eventId = await newEvent(api, zhangsan);
      const first = await api.listEvents(zhaoliu, 'primary');
      const syncToken = first.data!.sync_token!;
      await invite(api, zhangsan, 'primary', eventId, [user('ou_zhaoliu')]);
      const changes = await api.listEvents(zhaoliu, 'primary', { sync_token: syncToken });
      assert.deepEqual(changes.data!.items!.map((e) => e.event_id), [eventId]);
    });

    test('an app inviting to its own calendar: no organizer attendee (a bot is not a user)', async () => {
      const bot = undefined;
      const eventId = await newEvent(api, bot);
      const added = await invite(api, bot, 'primary', eventId, [user('ou_lisi')]);
      assert.deepEqual(added.map((a) => [a.user_id, a.is_organizer]), [['ou_lisi', false]]);
      assert.ok((await eventIdsIn(api, lisi, 'primary')).includes(eventId));
    });

    test('who may invite: the organizer side with writer, attendees only with can_invite_others or can_modify_event', async () => {
      const shared = (await s.lark().calendar.v4.calendar.create({ data: { summary: 'Team', permissions: 'private' } }, withUserAccessToken(zhangsan))).data!.calendar!.calendar_id;
      await api.grant(zhangsan, shared, 'lisi', 'writer');
      await api.grant(zhangsan, shared, 'wangwu', 'reader');
      const onShared = await newEvent(api, zhangsan, shared);
      assert.equal((await invite(api, lisi, shared, onShared, [email(7)]))[0].third_party_email, 'guest7@example.org');
      await refused(api.add(wangwu, shared, onShared, [email(8)]), 403, 191002);

      for (const [ability, allowed] of [['none', false], ['can_see_others', false], ['can_invite_others', true], ['can_modify_event', true]] as const) {
        const eventId = await newEvent(api, zhangsan, 'primary', { attendee_ability: ability });
        await invite(api, zhangsan, 'primary', eventId, [user('ou_zhaoliu')]);
        const before = await stateOf(s, eventId);
        const res = api.add(zhaoliu, 'primary', eventId, [user('ou_sunqi')]);
        if (allowed) {
          assert.equal((await res).code, 0, ability);
          assert.ok((await eventIdsIn(api, await s.userToken('sunqi'), 'primary')).includes(eventId), ability);
        } else {
          await refused(res, 403, 193002);
          assert.equal(await stateOf(s, eventId), before, ability);
        }
      }
    });

    test('other callers: an app without rights on the calendar, another tenant\'s app', async () => {
      const eventId = await newEvent(api, zhangsan);
      const zhangsanPrimary = await api.primary(zhangsan);
      // The tenant's bot sees a colleague's primary calendar as free/busy only.
      await refused(api.add(undefined, zhangsanPrimary, eventId, [email(1)]), 403, 191002);
      const globex = sdk(s.lark('cli_globex'));
      await refused(globex.add(undefined, zhangsanPrimary, eventId, [email(1)]), 404, 191000);
      await refused(globex.add(undefined, 'primary', eventId, [email(1)]), 404, 193001);
      // A user of another tenant cannot be invited.
      await refused(api.add(zhangsan, 'primary', eventId, [user('ou_hank')]), 404, 195100, 'attendees[0].user_id');
    });

    test('limits: 1000 attendees and 100 rooms per request, 3000 per event', async () => {
      const eventId = await newEvent(api, zhangsan);
      const before = await stateOf(s, eventId);
      const many = Array.from({ length: 1001 }, (_, i) => email(i));
      await refused(api.add(zhangsan, 'primary', eventId, many), 400, 190002, 'attendees');
      const rooms = Array.from({ length: 101 }, () => ({ type: 'resource', room_id: 'omm_room1' }));
      await refused(api.add(zhangsan, 'primary', eventId, rooms), 400, 190002, 'attendees');
      assert.equal(await stateOf(s, eventId), before);

      // 100 rooms (the same one, so one attendee) is within the limit.
      assert.equal((await invite(api, zhangsan, 'primary', eventId, rooms.slice(0, 100), { add_operator_to_attendee: false })).length, 1);
      for (let batch = 0; batch < 3; batch++) {
        const emails = Array.from({ length: batch < 2 ? 1000 : 999 }, (_, i) => email(batch * 1000 + i));
        assert.equal((await invite(api, zhangsan, 'primary', eventId, emails, { add_operator_to_attendee: false })).length, emails.length);
      }
      const full = await stateOf(s, eventId);
      await refused(api.add(zhangsan, 'primary', eventId, [email(5000)], { add_operator_to_attendee: false }), 400, 190002, 'attendees');
      // The organizer joining would be the 3001st too.
      await refused(api.add(zhangsan, 'primary', eventId, [email(0)]), 400, 190002, 'attendees');
      assert.equal(await stateOf(s, eventId), full);
      // Someone already invited is still fine.
      assert.equal((await invite(api, zhangsan, 'primary', eventId, [email(0)], { add_operator_to_attendee: false })).length, 1);
    });

    test('bad input is refused with 190002 / 195100 naming the field, never a 500, and changes nothing', async () => {
      const eventId = await newEvent(api, zhangsan);
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const before = await stateOf(s, eventId);
      const rows: Array<[string, object, number, number, string]> = [
        ['no attendees', {}, 400, 190002, 'attendees'],
        ['empty attendees', { attendees: [] }, 400, 190002, 'attendees'],
        ['unknown type', { attendees: [{ type: 'robot', user_id: 'ou_lisi' }] }, 400, 190002, 'attendees.0.type'],
        ['type without its id', { attendees: [{ type: 'user', chat_id: 'oc_team' }] }, 400, 190002, 'attendees[0].user_id'],
        ['no type and two ids', { attendees: [{ user_id: 'ou_lisi', chat_id: 'oc_team' }] }, 400, 190002, 'attendees[0].type'],
        ['no type and no id', { attendees: [{ is_optional: true }] }, 400, 190002, 'attendees[0].type'],
        ['optional room', { attendees: [{ type: 'resource', room_id: 'omm_room1', is_optional: true }] }, 400, 190002, 'attendees[0].is_optional'],
        ['unknown room', { attendees: [{ type: 'resource', room_id: 'omm_nope' }] }, 400, 190002, 'attendees[0].room_id'],
        ['unknown chat', { attendees: [user('ou_wangwu'), { type: 'chat', chat_id: 'oc_nope' }] }, 400, 190002, 'attendees[1].chat_id'],
        ['bad email', { attendees: [{ type: 'third_party', third_party_email: 'not-an-email' }] }, 400, 190002, 'attendees[0].third_party_email'],
        ['unknown user', { attendees: [user('ou_wangwu'), user('ou_nobody')] }, 404, 195100, 'attendees[1].user_id'],
        ['unknown operate_id', { attendees: [{ type: 'resource', room_id: 'omm_room1', operate_id: 'ou_nobody' }] }, 404, 195100, 'attendees[0].operate_id'],
        ['user_id of the wrong type', { attendees: [{ type: 'user', user_id: 5 }] }, 400, 190002, 'attendees.0.user_id'],
        ['approval_reason too long', { attendees: [{ type: 'resource', room_id: 'omm_room1', approval_reason: 'x'.repeat(201) }] }, 400, 190002, 'attendees.0.approval_reason'],
        ['add_operator_to_attendee not boolean', { attendees: [user('ou_wangwu')], add_operator_to_attendee: 'yes' }, 400, 190002, 'add_operator_to_attendee'],
      ];
      const client = s.lark();
      for (const [name, data, status, code, field] of rows) {
        const call = client.calendar.v4.calendarEventAttendee.create(
          { path: { calendar_id: 'primary', event_id: eventId }, data: data }, withUserAccessToken(zhangsan));
        await refused(call, status, code, field).catch((e) => assert.fail(`${name}: ${(e as Error).message}`));
        assert.equal(await stateOf(s, eventId), before, name);
      }
      await refused(api.add(zhangsan, 'primary', 'not-an-event', [email(1)]), 400, 193000);
      await refused(api.add(zhangsan, 'primary', '00000000-0000-4000-8000-000000000000_0', [email(1)]), 404, 193001);
      await refused(api.add(zhangsan, 'not a calendar', eventId, [email(1)]), 400, 191001);
      await refused(api.add(zhangsan, 'primary', eventId, [email(1)], {}, { user_id_type: 'email' }), 400, 190002, 'user_id_type');
    });

    test('a deleted event takes no attendees', async () => {
      const eventId = await newEvent(api, zhangsan);
      await s.lark().calendar.v4.calendarEvent.delete({ path: { calendar_id: 'primary', event_id: eventId } }, withUserAccessToken(zhangsan));
      await refused(api.add(zhangsan, 'primary', eventId, [email(1)]), 403, 193003);
    });
  });
}
