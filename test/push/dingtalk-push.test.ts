import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Delivery } from '../../src/core/push/deliveries.js';
import { at, calls, dingtalkFixture, meeting } from '../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import type { TestServer } from '../helpers/server.js';
import { STORES } from '../helpers/stores.js';
import { DingtalkReceiver, newAesKey } from './dingtalk-receiver.js';
import type { DingtalkMessage } from './dingtalk-receiver.js';

/** The fields a receiver sees, without the per-push ones (eventId, calendarEventUpdateTime). */
const fields = (m: DingtalkMessage) => {
  const { eventId, calendarEventUpdateTime, ...rest } = m;
  assert.match(String(eventId), /^[0-9a-f]{32}$/);
  assert.equal(typeof calendarEventUpdateTime, 'number');
  return rest;
};

const put = (s: TestServer, appId: string, body: object) => fetch(`${s.url}/rili/v1/apps/${appId}/events`, {
  method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

/** Waits until the app's deliveries number `count` and satisfy `done`, moving the server's clock so retries fall due. */
async function deliveries(s: TestServer, appId: string, done: (list: Delivery[]) => boolean): Promise<Delivery[]> {
  for (let i = 0; i < 300; i++) {
    const list = await s.server.ctx.push.list({ appId, limit: 100 });
    if (done(list)) return list;
    await new Promise((resolve) => setTimeout(resolve, 50));
    s.clock.advance(0.2);
  }
  return s.server.ctx.push.list({ appId, limit: 100 });
}

for (const kind of STORES) {
  describe(`${kind}: DingTalk calendar_event_change to a receiver built from the published algorithm`, () => {
    let f: DingtalkFixture;
    let receiver: DingtalkReceiver;
    let globex: DingtalkReceiver;
    let zhangsanPrimary: string;
    let lisiPrimary: string;
    const token = 'rili-dingtalk-token';
    const aesKey = newAesKey();
    const corp = { EventType: 'calendar_event_change', corpId: 'acme' };

    before(async () => {
      receiver = await new DingtalkReceiver(token, aesKey, 'dingacme').start();
      globex = await new DingtalkReceiver('globex-token', newAesKey(), 'dingglobex').start();
      f = await dingtalkFixture(kind, { push: { retryMs: [100, 100, 100] } });
      const ok = await put(f.s, 'dingacme', { request_url: receiver.url, token, aes_key: aesKey });
      assert.equal(ok.status, 200, await ok.clone().text());
      assert.deepEqual(await (await fetch(`${f.s.url}/rili/v1/apps/dingacme/events`)).json(),
        { app_id: 'dingacme', request_url: receiver.url, token, aes_key: aesKey });
      const other = await put(f.s, 'dingglobex', { request_url: globex.url, token: 'globex-token', aes_key: globex.aesKey });
      assert.equal(other.status, 200, await other.clone().text());
      const client = f.s.lark();
      const primaryOf = async (user: string) => (await client.calendar.v4.calendar.primary({}, lark.withUserAccessToken(await f.s.userToken(user)))).data!.calendars![0].calendar!.calendar_id;
      zhangsanPrimary = await primaryOf('zhangsan');
      lisiPrimary = await primaryOf('lisi');
    });
    after(async () => {
      await f.close();
      await receiver.close();
      await globex.close();
    });

    test('create, an invitation, update and delete made through DingTalk', async () => {
      const api = calls(f);
      const made = await api.create('on_zhangsan', meeting('from DingTalk', at(1, 10)));
      const change = (calendarId: string, changeType: string, unionIdList: string[]) => ({
        ...corp, calendarEventId: made.id, calendarId, unionIdList, changeType, operator: { unionId: 'on_zhangsan' },
      });
      assert.deepEqual((await receiver.take(1)).map(fields), [change(zhangsanPrimary, 'created', ['on_zhangsan'])]);
      // The event now shows in two calendars: a push for each, naming both users.
      await api.addAttendees('on_zhangsan', made.id, { attendeesToAdd: [{ id: 'on_lisi' }] });
      const both = ['on_lisi', 'on_zhangsan'].sort();
      const sortedUnion = (m: DingtalkMessage) => ({ ...fields(m), unionIdList: [...m.unionIdList as string[]].sort() });
      const byCalendar = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.calendarId).localeCompare(String(b.calendarId));
      assert.deepEqual((await receiver.take(2)).map(sortedUnion).sort(byCalendar),
        [change(lisiPrimary, 'created', both), change(zhangsanPrimary, 'updated', both)].sort(byCalendar));
      await api.patch('on_zhangsan', made.id, { id: made.id, summary: 'from DingTalk 2' });
      assert.deepEqual((await receiver.take(2)).map(sortedUnion).sort(byCalendar),
        [change(lisiPrimary, 'updated', both), change(zhangsanPrimary, 'updated', both)].sort(byCalendar));
      await api.del('on_zhangsan', made.id);
      assert.deepEqual((await receiver.take(2)).map(sortedUnion).sort(byCalendar),
        [change(lisiPrimary, 'deleted', both), change(zhangsanPrimary, 'deleted', both)].sort(byCalendar));
    });

    test('create, update and delete made through the Feishu SDK; the app needs no subscription', async () => {
      const client = f.s.lark();
      const zhangsan = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
      const made = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: zhangsanPrimary },
        data: { summary: 'from Feishu', start_time: { timestamp: String(at(2, 10)) }, end_time: { timestamp: String(at(2, 11)) } },
      }, zhangsan);
      const eventId = made.data!.event!.event_id;
      const change = (changeType: string) => ({
        ...corp, calendarEventId: eventId, calendarId: zhangsanPrimary, unionIdList: ['on_zhangsan'], changeType, operator: { unionId: 'on_zhangsan' },
      });
      assert.deepEqual((await receiver.take(1)).map(fields), [change('created')]);
      await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: zhangsanPrimary, event_id: eventId }, data: { summary: 'from Feishu 2' } }, zhangsan);
      assert.deepEqual((await receiver.take(1)).map(fields), [change('updated')]);
      await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: zhangsanPrimary, event_id: eventId } }, zhangsan);
      assert.deepEqual((await receiver.take(1)).map(fields), [change('deleted')]);
    });

    test('an answer that is not the encrypted success is a failure, retried with the same content', async () => {
      receiver.answer = 'plain';
      const made = await calls(f).create('on_zhangsan', meeting('retried', at(3, 10)));
      const failing = await deliveries(f.s, 'dingacme', (list) => (list.find((d) => d.body.includes(made.id))?.attempts ?? 0) >= 2);
      const d = failing.find((x) => x.body.includes(made.id))!;
      assert.equal(d.eventType, 'calendar_event_change');
      assert.match(d.lastAttempt!.note ?? '', /lacks msg_signature/);
      receiver.answer = 'success';
      const done = await deliveries(f.s, 'dingacme', (list) => list.find((x) => x.id === d.id)?.status === 'delivered');
      assert.equal(done.find((x) => x.id === d.id)!.status, 'delivered');
      const got = await receiver.take(3);
      assert.ok(got.length >= 3, `each attempt reached the receiver (${got.length})`);
      // Every attempt carried the same push: same eventId and fields.
      assert.equal(new Set(got.map((m) => JSON.stringify(m))).size, 1);
      assert.equal(got[0].calendarEventId, made.id);
    });

    test('check_url: a wrong or late answer refuses the URL with the reason; bad keys are refused', async () => {
      const other = await new DingtalkReceiver('t2', newAesKey(), 'dingacme').start();
      try {
        other.answer = 'plain';
        const wrong = await put(f.s, 'dingacme', { request_url: other.url, token: 't2', aes_key: other.aesKey });
        assert.equal(wrong.status, 400);
        const body = await wrong.json() as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'url_verification_failed');
        assert.match(body.error.message, /check_url: the answer lacks msg_signature/);
        other.answer = 'hang';
        const late = await put(f.s, 'dingacme', { request_url: other.url, token: 't2', aes_key: other.aesKey });
        assert.equal(late.status, 400);
        assert.match((await late.json() as { error: { message: string } }).error.message, /not answered within 1500 ms/);
        // A receiver with another token answers a signature rili cannot check.
        const mismatched = await new DingtalkReceiver('t3', other.aesKey, 'dingacme').start();
        const unsigned = await put(f.s, 'dingacme', { request_url: mismatched.url, token: 't2', aes_key: other.aesKey });
        assert.equal(unsigned.status, 400);
        await mismatched.close();
        assert.equal((await put(f.s, 'dingacme', { request_url: other.url, token: 't2', aes_key: 'short' })).status, 400);
        assert.equal((await put(f.s, 'dingacme', { request_url: other.url, aes_key: other.aesKey })).status, 400);
        assert.equal((await put(f.s, 'dingacme', { encrypt_key: 'feishu-only' })).status, 400);
        assert.equal((await put(f.s, 'cli_acme', { token: 'dingtalk-only' })).status, 400);
        // Nothing was saved: the receiver set in `before` still stands.
        assert.deepEqual(await (await fetch(`${f.s.url}/rili/v1/apps/dingacme/events`)).json(),
          { app_id: 'dingacme', request_url: receiver.url, token, aes_key: aesKey });
      } finally {
        await other.close();
      }
    });

    test('another tenant\'s DingTalk app heard nothing', async () => {
      assert.deepEqual(globex.received, []);
      assert.deepEqual(globex.rejected, []);
      assert.deepEqual(await f.s.server.ctx.push.list({ appId: 'dingglobex', limit: 10 }), []);
    });
  });
}
