import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { PushTopic } from '../../../../../../src/core/push/subscriptions.js';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: calendar, calendarEvent and calendarAcl subscription`, () => {
    let s: TestServer;
    let client: lark.Client;
    let owner: string;
    let lisi: string;
    let calendarId: string;
    const stored = (topic: PushTopic, calendarIds: string[]) =>
      s.server.ctx.store.read((r) => r.push.subscriptionsTo(topic, calendarIds)).then((rows) => rows.map((x) => [x.appId, x.topic, x.calendarId, x.tenantKey]));
    before(async () => {
      s = await startServer(kind);
      client = s.lark();
      owner = await s.userToken('zhangsan');
      lisi = await s.userToken('lisi');
      const cal = await client.calendar.v4.calendar.create({ data: { summary: 'Team', permissions: 'private' } }, lark.withUserAccessToken(owner));
      calendarId = cal.data!.calendar!.calendar_id!;
    });
    after(() => s.close());

    test('event and ACL subscriptions are stored per app and user, answer an empty data, and unsubscribe removes them', async () => {
      const ev = await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(owner));
      assert.deepEqual(ev, { code: 0, msg: 'success', data: {} });
      // Twice is the same subscription.
      await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(owner));
      const acl = await client.calendar.v4.calendarAcl.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(owner));
      assert.equal(acl.code, 0);
      assert.deepEqual(await stored('events', [calendarId]), [['cli_acme', 'events', calendarId, 'acme']]);
      assert.deepEqual(await stored('acls', [calendarId]), [['cli_acme', 'acls', calendarId, 'acme']]);

      const off = await client.calendar.v4.calendarEvent.unsubscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(owner));
      assert.deepEqual(off, { code: 0, msg: 'success', data: {} });
      assert.deepEqual(await stored('events', [calendarId]), []);
      await client.calendar.v4.calendarAcl.unsubscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(owner));
      assert.deepEqual(await stored('acls', [calendarId]), []);
    });

    test('primary resolves to the caller\'s primary calendar', async () => {
      const primary = await client.calendar.v4.calendar.primary({}, lark.withUserAccessToken(lisi));
      const id = primary.data!.calendars![0].calendar!.calendar_id;
      await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: 'primary' } }, lark.withUserAccessToken(lisi));
      assert.deepEqual(await stored('events', [id]), [['cli_acme', 'events', id, 'acme']]);
      await client.calendar.v4.calendarEvent.unsubscription({ path: { calendar_id: 'primary' } }, lark.withUserAccessToken(lisi));
      assert.deepEqual(await stored('events', [id]), []);
    });

    test('the calendar-list subscription needs no calendar', async () => {
      const on = await client.calendar.v4.calendar.subscription({}, lark.withUserAccessToken(lisi));
      assert.deepEqual(on, { code: 0, msg: 'success', data: {} });
      assert.deepEqual(await stored('calendar_list', ['']), [['cli_acme', 'calendar_list', '', 'acme']]);
      await client.calendar.v4.calendar.unsubscription({}, lark.withUserAccessToken(lisi));
      assert.deepEqual(await stored('calendar_list', ['']), []);
    });

    test('a reader may subscribe; without a role the caller gets 191002, another tenant\'s calendar 191000', async () => {
      const denied = await feishuFailure(client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([denied.status, denied.code], [403, 191002]);
      const deniedAcl = await feishuFailure(client.calendar.v4.calendarAcl.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([deniedAcl.status, deniedAcl.code], [403, 191002]);
      // free_busy_reader is not enough.
      await client.calendar.v4.calendarAcl.create({ path: { calendar_id: calendarId }, data: { role: 'free_busy_reader', scope: { type: 'user', user_id: 'ou_lisi' } } }, lark.withUserAccessToken(owner));
      const busyOnly = await feishuFailure(client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi)));
      assert.equal(busyOnly.code, 191002);
      await client.calendar.v4.calendarAcl.create({ path: { calendar_id: calendarId }, data: { role: 'reader', scope: { type: 'user', user_id: 'ou_lisi' } } }, lark.withUserAccessToken(owner));
      const ok = await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi));
      assert.equal(ok.code, 0);
      await client.calendar.v4.calendarEvent.unsubscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(lisi));

      const hank = await s.userToken('hank', 'cli_globex');
      const outsider = await feishuFailure(s.lark('cli_globex').calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lark.withUserAccessToken(hank)));
      assert.deepEqual([outsider.status, outsider.code], [404, 191000]);
      const bad = await feishuFailure(client.calendar.v4.calendarAcl.subscription({ path: { calendar_id: 'not a calendar' } }, lark.withUserAccessToken(owner)));
      assert.equal(bad.code, 191001);
    });

    test('a tenant token is refused with 99991668 on all six', async () => {
      const calls = [
        () => client.calendar.v4.calendar.subscription({}),
        () => client.calendar.v4.calendar.unsubscription({}),
        () => client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }),
        () => client.calendar.v4.calendarEvent.unsubscription({ path: { calendar_id: calendarId } }),
        () => client.calendar.v4.calendarAcl.subscription({ path: { calendar_id: calendarId } }),
        () => client.calendar.v4.calendarAcl.unsubscription({ path: { calendar_id: calendarId } }),
      ];
      for (const call of calls) {
        const res = await feishuFailure(call());
        assert.deepEqual([res.status, res.code], [400, 99991668]);
      }
    });
  });
}
