import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../helpers/stores.js';
import { at, calls, dingtalkFixture, meeting } from '../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import { SdkReceiver } from './feishu-receiver.js';
import type { Received } from './feishu-receiver.js';

const ZHANGSAN = { union_id: 'on_zhangsan', user_id: 'zhangsan', open_id: 'ou_zhangsan' };
const LISI = { union_id: 'on_lisi', user_id: 'lisi', open_id: 'ou_lisi' };

/** The fields a handler sees, without the per-push ones (event_id, create_time). */
const fields = (r: Received) => {
  // Object.entries leaves out the SDK's symbol-keyed event type.
  const { event_id, create_time, ...rest } = Object.fromEntries(Object.entries(r));
  assert.match(String(event_id), /^[0-9a-f]{32}$/);
  assert.match(String(create_time), /^\d{13}$/);
  return rest;
};

for (const kind of STORES) {
  for (const encryptKey of ['rili-encrypt-key', undefined]) {
    describe(`${kind}: Feishu push to an SDK receiver, ${encryptKey ? 'with' : 'without'} an Encrypt Key`, () => {
      let f: DingtalkFixture;
      let receiver: SdkReceiver;
      let client: lark.Client;
      let zhangsan: ReturnType<typeof lark.withUserAccessToken>;
      let lisi: ReturnType<typeof lark.withUserAccessToken>;
      let primary: string;
      const token = 'rili-verification-token';
      const header = { schema: '2.0', token, app_id: 'cli_acme', tenant_key: 'acme' };
      before(async () => {
        receiver = await SdkReceiver.start({ ...(encryptKey ? { encryptKey } : {}), verificationToken: token });
        f = await dingtalkFixture(kind);
        // Saved as an app does in the console: rili sends the url_verification challenge, the SDK answers it.
        const put = await fetch(`${f.s.url}/rili/v1/apps/cli_acme/events`, {
          method: 'PUT', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ request_url: receiver.url, verification_token: token, ...(encryptKey ? { encrypt_key: encryptKey } : {}) }),
        });
        assert.equal(put.status, 200, await put.clone().text());
        assert.deepEqual(await (await fetch(`${f.s.url}/rili/v1/apps/cli_acme/events`)).json(),
          { app_id: 'cli_acme', request_url: receiver.url, encrypt_key: encryptKey ?? null, verification_token: token });
        client = f.s.lark();
        zhangsan = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
        lisi = lark.withUserAccessToken(await f.s.userToken('lisi'));
        primary = (await client.calendar.v4.calendar.primary({}, zhangsan)).data!.calendars![0].calendar!.calendar_id!;
        await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: primary } }, zhangsan);
        await client.calendar.v4.calendarAcl.subscription({ path: { calendar_id: primary } }, zhangsan);
      });
      after(async () => {
        await f.close();
        await receiver.close();
      });

      const eventChange = (eventId: string, changeType: string, extra: object = {}) => ({
        ...header, event_type: 'calendar.calendar.event.changed_v4',
        calendar_id: primary, user_id_list: [ZHANGSAN], calendar_event_id: eventId, change_type: changeType, ...extra,
      });
      const lisiAnswered = (status: string) => ({ rsvp_infos: [{ from_user_id: LISI, rsvp_status: status }] });

      test('create, update, rsvp and delete made through the Feishu SDK', async () => {
        const made = await client.calendar.v4.calendarEvent.create({
          path: { calendar_id: primary },
          data: { summary: 'push', start_time: { timestamp: String(at(0, 10)) }, end_time: { timestamp: String(at(0, 11)) } },
        }, zhangsan);
        const eventId = made.data!.event!.event_id;
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'create')]);

        await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: primary, event_id: eventId }, data: { summary: 'push 2' } }, zhangsan);
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'update')]);

        await client.calendar.v4.calendarEventAttendee.create({
          path: { calendar_id: primary, event_id: eventId }, params: { user_id_type: 'user_id' },
          data: { attendees: [{ type: 'user', user_id: 'lisi' }] },
        }, zhangsan);
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'update')]);

        const reply = await client.calendar.v4.calendarEvent.reply({ path: { calendar_id: primary, event_id: eventId }, data: { rsvp_status: 'accept' } }, lisi);
        assert.equal(reply.code, 0, reply.msg);
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'rsvp', lisiAnswered('accept'))]);

        await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: primary, event_id: eventId } }, zhangsan);
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'delete')]);
      });

      test('create, update, rsvp and delete made through DingTalk', async () => {
        const api = calls(f);
        const made = await api.create('on_zhangsan', meeting('from DingTalk', at(1, 10)));
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'create')]);
        await api.addAttendees('on_zhangsan', made.id, { attendeesToAdd: [{ id: 'on_lisi' }] });
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'update')]);
        await api.patch('on_zhangsan', made.id, { id: made.id, summary: 'from DingTalk 2' });
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'update')]);
        await api.respond('on_lisi', made.id, 'accepted');
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'rsvp', lisiAnswered('accept'))]);
        await api.del('on_zhangsan', made.id);
        assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'delete')]);
      });

      test('ACL created and deleted, each naming the grant\'s role and grantee', async () => {
        const acl = await client.calendar.v4.calendarAcl.create(
          { path: { calendar_id: primary }, data: { role: 'writer', scope: { type: 'user', user_id: 'ou_lisi' } } }, zhangsan);
        const aclId = acl.data!.acl_id;
        assert.deepEqual((await receiver.take(1)).map(fields), [{
          ...header, event_type: 'calendar.calendar.acl.created_v4',
          acl_id: aclId, role: 'writer', scope: { type: 'user', user_id: LISI }, user_id_list: [ZHANGSAN],
        }]);
        await client.calendar.v4.calendarAcl.delete({ path: { calendar_id: primary, acl_id: aclId } }, zhangsan);
        assert.deepEqual((await receiver.take(1)).map(fields), [{
          ...header, event_type: 'calendar.calendar.acl.deleted_v4',
          acl_id: aclId, role: 'writer', scope: { type: 'user', user_id: LISI }, user_id_list: [ZHANGSAN],
        }]);
      });
    });
  }
}

for (const kind of STORES) {
  describe(`${kind}: Feishu push goes only to subscribers who may still read the calendar`, () => {
    let f: DingtalkFixture;
    let owners: SdkReceiver;
    let others: SdkReceiver;
    before(async () => {
      owners = await SdkReceiver.start({});
      others = await SdkReceiver.start({});
      f = await dingtalkFixture(kind);
      for (const [app, receiver] of [['cli_acme', owners], ['cli_acme2', others]] as const) {
        const put = await fetch(`${f.s.url}/rili/v1/apps/${app}/events`, {
          method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_url: receiver.url }),
        });
        assert.equal(put.status, 200, await put.clone().text());
      }
    });
    after(async () => {
      await f.close();
      await owners.close();
      await others.close();
    });

    test('a subscriber whose ACL was deleted hears no more of the calendar; the owner still does', async () => {
      const client = f.s.lark();
      const zhangsan = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
      // lisi reads zhangsan's calendar through another app.
      const lisi = lark.withUserAccessToken(await f.s.userToken('lisi', 'cli_acme2'));
      const primary = (await client.calendar.v4.calendar.primary({}, zhangsan)).data!.calendars![0].calendar!.calendar_id;
      const acl = await client.calendar.v4.calendarAcl.create(
        { path: { calendar_id: primary }, data: { role: 'reader', scope: { type: 'user', user_id: 'ou_lisi' } } }, zhangsan);
      assert.equal(acl.code, 0, acl.msg);
      assert.equal((await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: primary } }, zhangsan)).code, 0);
      const subscribed = await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: primary } }, lisi);
      assert.equal(subscribed.code, 0, subscribed.msg);

      const create = async (summary: string, day: number) => (await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: primary },
        data: { summary, start_time: { timestamp: String(at(day, 10)) }, end_time: { timestamp: String(at(day, 11)) } },
      }, zhangsan)).data!.event!.event_id;
      const seen = async (r: SdkReceiver) => (await r.take(1)).map((e) => [e.calendar_event_id, e.user_id_list]);

      const first = await create('while shared', 0);
      assert.deepEqual(await seen(owners), [[first, [ZHANGSAN]]]);
      assert.deepEqual(await seen(others), [[first, [LISI]]]);

      const removed = await client.calendar.v4.calendarAcl.delete({ path: { calendar_id: primary, acl_id: acl.data!.acl_id } }, zhangsan);
      assert.equal(removed.code, 0, removed.msg);
      const second = await create('after the ACL went', 1);
      // Both apps' pushes for a record are recorded in one transaction: once the owner's arrived, lisi's app had its turn.
      assert.deepEqual(await seen(owners), [[second, [ZHANGSAN]]]);
      const log = await (await fetch(`${f.s.url}/rili/v1/deliveries?app_id=cli_acme2`)).json() as { deliveries: any[] };
      assert.deepEqual(log.deliveries.map((d) => d.event.event.calendar_event_id), [first]);
      assert.deepEqual(others.received, []);
    });
  });
}
