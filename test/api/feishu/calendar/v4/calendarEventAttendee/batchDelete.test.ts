import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withUserAccessToken } from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { email, eventIdsIn, invite, newEvent, refused, sdk, stateOf, user } from './attendee-fixtures.js';
import type { Sdk } from './attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEventAttendee.batchDelete`, () => {
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

    const listed = async (eventId: string) =>
      (await api.list(zhangsan, 'primary', eventId, { user_id_type: 'user_id' })).data!.items!.map((a) => a.user_id ?? a.chat_id ?? a.room_id ?? a.third_party_email).sort();

    test('removes by attendee_ids and by delete_ids; a removed user\'s calendar loses the event', async () => {
      const eventId = await newEvent(api, zhangsan);
      const [zhaoliuA] = await invite(api, zhangsan, 'primary', eventId, [
        user('ou_zhaoliu'), user('ou_sunqi'), { type: 'resource', room_id: 'omm_room1' }, email(1), email(2), { type: 'chat', chat_id: 'oc_team' },
      ]);
      const zhaoliuPrimary = await api.primary(zhaoliu);
      assert.ok((await eventIdsIn(api, zhaoliu, zhaoliuPrimary)).includes(eventId));
      const organizerSync = (await api.listEvents(zhangsan, 'primary')).data!.sync_token!;

      const res = await api.remove(zhangsan, 'primary', eventId, {
        attendee_ids: [zhaoliuA.attendee_id],
        delete_ids: [
          { type: 'user', user_id: 'sunqi' }, { type: 'resource', room_id: 'omm_room1' }, { type: 'third_party', third_party_email: 'GUEST1@example.org' },
        ],
      }, { user_id_type: 'user_id' });
      assert.equal(res.code, 0);
      assert.deepEqual(res.data, {});
      assert.deepEqual(await listed(eventId), ['guest2@example.org', 'oc_team', 'zhangsan']);
      assert.ok(!(await eventIdsIn(api, zhaoliu, zhaoliuPrimary)).includes(eventId));
      await refused(api.getEvent(zhaoliu, 'primary', eventId), 404, 193001);
      // The change reaches incremental sync of the organizer's calendar.
      const changes = await api.listEvents(zhangsan, 'primary', { sync_token: organizerSync });
      assert.deepEqual(changes.data!.items!.map((e) => e.event_id), [eventId]);
    });

    test('a removed attendee\'s sync reports the event cancelled, with nothing the organizer writes afterwards', async () => {
      const eventId = await newEvent(api, zhangsan, 'primary', { summary: 'Before removal', description: 'seen while invited' });
      await invite(api, zhangsan, 'primary', eventId, [user('ou_wangwu')]);
      const wangwuSync = (await api.listEvents(wangwu, 'primary')).data!.sync_token!;
      assert.equal((await api.remove(zhangsan, 'primary', eventId, { delete_ids: [{ type: 'user', user_id: 'wangwu' }] }, { user_id_type: 'user_id' })).code, 0);
      assert.equal((await api.patchEvent(zhangsan, 'primary', eventId, { summary: 'AFTER REMOVAL', description: 'AFTER REMOVAL', location: { name: 'AFTER REMOVAL' } })).code, 0);
      const changes = await api.listEvents(wangwu, 'primary', { sync_token: wangwuSync });
      const gone = changes.data!.items!.filter((e) => e.event_id === eventId);
      assert.deepEqual(gone.map((e) => [e.status, e.summary, e.description]), [['cancelled', '', '']]);
      assert.equal(JSON.stringify(changes.data).includes('AFTER REMOVAL'), false);
    });

    test('a chat takes its members with it; a user removed in their own right stays invited through a chat', async () => {
      const eventId = await newEvent(api, zhangsan);
      const [lisiA, chat] = await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi'), { type: 'chat', chat_id: 'oc_team' }]);
      assert.deepEqual((await api.members(zhangsan, 'primary', eventId, chat.attendee_id!)).data!.items!.map((m) => m.open_id), ['ou_wangwu']);
      await api.remove(zhangsan, 'primary', eventId, { attendee_ids: [lisiA.attendee_id] });
      assert.ok((await eventIdsIn(api, lisi, 'primary')).includes(eventId));
      const members = (await api.members(zhangsan, 'primary', eventId, chat.attendee_id!)).data!.items!.map((m) => m.open_id).sort();
      assert.deepEqual(members, ['ou_lisi', 'ou_wangwu']);

      await api.remove(zhangsan, 'primary', eventId, { delete_ids: [{ type: 'chat', chat_id: 'oc_team' }] });
      assert.deepEqual(await listed(eventId), ['zhangsan']);
      assert.ok(!(await eventIdsIn(api, lisi, 'primary')).includes(eventId));
      assert.ok(!(await eventIdsIn(api, wangwu, 'primary')).includes(eventId));
    });

    test('only the organizer side removes, with writer on the calendar', async () => {
      const shared = (await s.lark().calendar.v4.calendar.create({ data: { summary: 'Team', permissions: 'private' } }, withUserAccessToken(zhangsan))).data!.calendar!.calendar_id;
      await api.grant(zhangsan, shared, 'lisi', 'writer');
      await api.grant(zhangsan, shared, 'wangwu', 'reader');
      const onShared = await newEvent(api, zhangsan, shared, { attendee_ability: 'can_modify_event' });
      await invite(api, zhangsan, shared, onShared, [email(1), email(2), user('ou_zhaoliu')]);
      assert.equal((await api.remove(lisi, shared, onShared, { delete_ids: [email(1)] })).code, 0);
      await refused(api.remove(wangwu, shared, onShared, { delete_ids: [email(2)] }), 403, 191002);
      // An attendee may not remove, whatever attendee_ability says.
      const before = await stateOf(s, onShared);
      await refused(api.remove(zhaoliu, 'primary', onShared, { delete_ids: [email(2)] }), 403, 193002);
      const globex = sdk(s.lark('cli_globex'));
      await refused(globex.remove(undefined, shared, onShared, { delete_ids: [email(2)] }), 404, 191000);
      await refused(globex.remove(undefined, 'primary', onShared, { delete_ids: [email(2)] }), 404, 193001);
      assert.equal(await stateOf(s, onShared), before);
    });

    test('at most 500 at once, at least one; every one named must be an attendee, or nothing is removed', async () => {
      const eventId = await newEvent(api, zhangsan);
      const [lisiA] = await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi'), email(1)]);
      const before = await stateOf(s, eventId);
      const rows: Array<[string, object, number, number, string]> = [
        ['501 attendee_ids', { attendee_ids: Array.from({ length: 501 }, (_, i) => `user_${i}`) }, 400, 190002, 'attendee_ids'],
        ['300 + 201', { attendee_ids: Array.from({ length: 300 }, (_, i) => `user_${i}`), delete_ids: Array.from({ length: 201 }, (_, i) => email(i)) }, 400, 190002, 'delete_ids'],
        ['nothing named', {}, 400, 190002, 'attendee_ids'],
        ['empty lists', { attendee_ids: [], delete_ids: [] }, 400, 190002, 'attendee_ids'],
        ['unknown attendee id', { attendee_ids: [lisiA.attendee_id, 'user_nope'] }, 404, 194000, 'attendee_ids[1]'],
        ['not an attendee', { delete_ids: [email(1), user('ou_wangwu')] }, 404, 194000, 'delete_ids[1]'],
        ['user of no tenant', { delete_ids: [user('ou_nobody')] }, 404, 195100, 'delete_ids[0].user_id'],
        ['unknown type', { delete_ids: [{ type: 'robot', user_id: 'ou_lisi' }] }, 400, 190002, 'delete_ids.0.type'],
        ['type without its id', { delete_ids: [{ type: 'chat' }] }, 400, 190002, 'delete_ids[0].chat_id'],
        ['attendee_ids not strings', { attendee_ids: [1] }, 400, 190002, 'attendee_ids.0'],
      ];
      for (const [name, data, status, code, field] of rows) {
        await refused(api.remove(zhangsan, 'primary', eventId, data), status, code, field).catch((e) => assert.fail(`${name}: ${(e as Error).message}`));
        assert.equal(await stateOf(s, eventId), before, name);
      }
      // 500 is fine (the unknown ones fail the call, but the count passes the limit first).
      await refused(api.remove(zhangsan, 'primary', eventId, { attendee_ids: Array.from({ length: 500 }, (_, i) => `user_${i}`) }), 404, 194000);
    });
  });
}
