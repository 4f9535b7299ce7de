import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { WebSocket } from 'ws';
import { STORES } from '../helpers/stores.js';
import { at, calls, dingtalkFixture, meeting } from '../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import type { Received } from './feishu-receiver.js';
import { SdkWsReceiver, WS_APP, WS_SECRET, WS_SEED } from './feishu-ws-receiver.js';

const ZHANGSAN = { union_id: 'on_zhangsan', user_id: 'zhangsan', open_id: 'ou_zhangsan' };
const LISI = { union_id: 'on_lisi', user_id: 'lisi', open_id: 'ou_lisi' };

/** The fields a handler sees, without the per-push ones (event_id, create_time). */
const fields = (r: Received) => {
  const { event_id, create_time, ...rest } = Object.fromEntries(Object.entries(r));
  assert.match(String(event_id), /^[0-9a-f]{32}$/);
  assert.match(String(create_time), /^\d{13}$/);
  return rest;
};

interface LogEntry { id: string; event_id: string; status: string; attempts: number; last_attempt: { mode: string; note?: string; answer: { status: number; body: string } | null } | null }

async function deliveries(f: DingtalkFixture): Promise<LogEntry[]> {
  return ((await (await fetch(`${f.s.url}/rili/v1/deliveries?app_id=${WS_APP}`)).json()) as { deliveries: LogEntry[] }).deliveries;
}

/** The log once `ready` holds for it (the SDK's handler runs before its acknowledgement is recorded). */
async function logWhen(f: DingtalkFixture, ready: (log: LogEntry[]) => boolean): Promise<LogEntry[]> {
  let log = await deliveries(f);
  for (let i = 0; i < 300 && !ready(log); i++) {
    await new Promise((r) => setTimeout(r, 50));
    log = await deliveries(f);
  }
  return log;
}

for (const kind of STORES) {
  describe(`${kind}: Feishu events over the long connection, to the SDK's WSClient`, () => {
    let f: DingtalkFixture;
    let receiver: SdkWsReceiver;
    let client: lark.Client;
    let zhangsan: ReturnType<typeof lark.withUserAccessToken>;
    let lisi: ReturnType<typeof lark.withUserAccessToken>;
    let primary: string;
    const header = { schema: '2.0', token: '', app_id: WS_APP, tenant_key: 'acme' };
    const eventChange = (eventId: string, changeType: string, extra: object = {}) => ({
      ...header, event_type: 'calendar.calendar.event.changed_v4',
      calendar_id: primary, user_id_list: [ZHANGSAN], calendar_event_id: eventId, change_type: changeType, ...extra,
    });

    before(async () => {
      // Retries after 1 s of the (frozen) test clock; the SDK reconnects at once after a drop.
      f = await dingtalkFixture(kind, { seedFile: WS_SEED, push: { retryMs: [1_000, 1_000, 1_000] }, longConnection: { ReconnectInterval: 1, ReconnectNonce: 0 } });
      receiver = new SdkWsReceiver(f.s.url, WS_APP, WS_SECRET);
      await receiver.start();
      assert.deepEqual(receiver.errors, []);
      assert.equal(receiver.state(), 'connected');
      client = f.s.lark();
      zhangsan = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
      lisi = lark.withUserAccessToken(await f.s.userToken('lisi'));
      primary = (await client.calendar.v4.calendar.primary({}, zhangsan)).data!.calendars![0].calendar!.calendar_id!;
      // zhangsan subscribes through the long-connection app.
      const wsClient = f.s.lark(WS_APP, WS_SECRET);
      const sub = await wsClient.calendar.v4.calendarEvent.subscription({ path: { calendar_id: primary } },
        lark.withUserAccessToken(await f.s.userToken('zhangsan', WS_APP)));
      assert.equal(sub.code, 0, sub.msg);
    });
    after(async () => {
      receiver.close();
      await f.close();
    });

    test('create, update, rsvp and delete made through the Feishu SDK arrive over the long connection', async () => {
      const made = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: primary },
        data: { summary: 'ws', start_time: { timestamp: String(at(0, 10)) }, end_time: { timestamp: String(at(0, 11)) } },
      }, zhangsan);
      const eventId = made.data!.event!.event_id;
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'create')]);
      await client.calendar.v4.calendarEvent.patch({ path: { calendar_id: primary, event_id: eventId }, data: { summary: 'ws 2' } }, zhangsan);
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'update')]);
      await client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: primary, event_id: eventId }, params: { user_id_type: 'user_id' },
        data: { attendees: [{ type: 'user', user_id: 'lisi' }] },
      }, zhangsan);
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'update')]);
      const reply = await client.calendar.v4.calendarEvent.reply({ path: { calendar_id: primary, event_id: eventId }, data: { rsvp_status: 'tentative' } }, lisi);
      assert.equal(reply.code, 0, reply.msg);
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'rsvp', { rsvp_infos: [{ from_user_id: LISI, rsvp_status: 'tentative' }] })]);
      await client.calendar.v4.calendarEvent.delete({ path: { calendar_id: primary, event_id: eventId } }, zhangsan);
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(eventId, 'delete')]);

      const log = await logWhen(f, (l) => l.every((d) => d.status !== 'pending'));
      assert.equal(log.length, 5);
      for (const d of log) {
        assert.equal(d.status, 'delivered');
        assert.equal(d.last_attempt!.mode, 'websocket');
        assert.deepEqual(JSON.parse(d.last_attempt!.answer!.body), { code: 200, data: Buffer.from('"ok"').toString('base64') });
      }
    });

    test('create, update, rsvp and delete made through DingTalk arrive over the long connection', async () => {
      const api = calls(f);
      const made = await api.create('on_zhangsan', meeting('from DingTalk', at(1, 10)));
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'create')]);
      await api.addAttendees('on_zhangsan', made.id, { attendeesToAdd: [{ id: 'on_lisi' }] });
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'update')]);
      await api.patch('on_zhangsan', made.id, { id: made.id, summary: 'from DingTalk 2' });
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'update')]);
      await api.respond('on_lisi', made.id, 'declined');
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'rsvp', { rsvp_infos: [{ from_user_id: LISI, rsvp_status: 'decline' }] })]);
      await api.del('on_zhangsan', made.id);
      assert.deepEqual((await receiver.take(1)).map(fields), [eventChange(made.id, 'delete')]);
    });

    test('a handler that throws is acknowledged with 500, and the event comes again with the same event_id', async () => {
      receiver.fail = 1;
      const made = await calls(f).create('on_zhangsan', meeting('retried', at(2, 10)));
      // The failed attempt is in the log; its retry is due 1 s later on the test clock.
      const failed = (await logWhen(f, (l) => l.some((d) => d.attempts === 1 && d.status === 'pending'))).find((d) => d.attempts === 1 && d.status === 'pending');
      assert.ok(failed, 'the failed attempt is logged');
      assert.equal(failed.last_attempt!.mode, 'websocket');
      assert.equal(JSON.parse(failed.last_attempt!.answer!.body).code, 500);
      f.s.clock.advance(1);
      const [again] = await receiver.take(1);
      assert.deepEqual(fields(again), eventChange(made.id, 'create'));
      assert.equal(again.event_id, failed.event_id);
      const done = (await logWhen(f, (l) => l.find((d) => d.id === failed.id)?.status === 'delivered')).find((d) => d.id === failed.id)!;
      assert.equal(done.status, 'delivered');
      assert.equal(done.attempts, 2);
    });

    test('while the app is disconnected its events wait, and arrive when it connects again', async () => {
      receiver.close();
      const api = calls(f);
      const made = await api.create('on_zhangsan', meeting('while away', at(3, 10)));
      await api.patch('on_zhangsan', made.id, { id: made.id, summary: 'while away 2' });
      // Each waits for a connection (or, sent as the socket went, failed with it and waits for its retry).
      const notes = ['waiting for the app\'s long connection', 'the long connection closed before the client acknowledged'];
      const isWaiting = (d: LogEntry) => d.status === 'pending' && notes.includes(d.last_attempt?.note ?? '');
      const waiting = (await logWhen(f, (l) => l.filter(isWaiting).length === 2)).filter(isWaiting);
      assert.equal(waiting.length, 2, 'both events wait for the connection');
      assert.ok(waiting.every((d) => d.last_attempt!.note === notes[0] ? d.attempts === 0 : d.attempts === 1), 'waiting spends no retries');
      receiver = new SdkWsReceiver(f.s.url, WS_APP, WS_SECRET);
      await receiver.start();
      const got = (await receiver.take(2)).map(fields).sort((a, b) => String(a.change_type).localeCompare(String(b.change_type)));
      assert.deepEqual(got, [eventChange(made.id, 'create'), eventChange(made.id, 'update')]);
    });

    test('after the server drops the connection the SDK reconnects and events go on arriving', async () => {
      assert.equal(f.s.server.longConnections.drop(WS_APP), 1);
      const made = await calls(f).create('on_zhangsan', meeting('after a drop', at(4, 10)));
      // At least once: an event sent as a socket went may come again (same event_id), also an earlier one.
      const got: Received[] = [];
      for (let i = 0; i < 5 && !got.some((r) => r.calendar_event_id === made.id); i++) got.push(...await receiver.take(1));
      const mine = got.filter((r) => r.calendar_event_id === made.id);
      assert.deepEqual([...new Map(mine.map((r) => [r.event_id, fields(r)])).values()], [eventChange(made.id, 'create')]);
      assert.equal(f.s.server.longConnections.count(WS_APP), 1);
    });

    test('wrong credentials: the endpoint answers code 514 and the SDK gives up (onError)', async () => {
      const wrong = new SdkWsReceiver(f.s.url, WS_APP, 'not-the-secret');
      await wrong.start();
      assert.equal(wrong.errors.length, 1);
      assert.match(wrong.errors[0].message, /code=514/);
      wrong.close();
      const res = await fetch(`${f.s.url}/callback/ws/endpoint`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ AppID: 'cli_0000000000000000', AppSecret: 'x' }),
      });
      assert.deepEqual({ status: res.status, code: ((await res.json()) as { code: number }).code }, { status: 200, code: 514 });
      // A forged ticket is refused before the upgrade, with the gateway's handshake headers.
      const refused = await new Promise<{ status: number; code: string | undefined }>((resolve, reject) => {
        const socket = new WebSocket(`${f.s.url.replace('http', 'ws')}/ws/v2?fpid=1&device_id=1&service_id=1&ticket=forged`);
        socket.on('unexpected-response', (_req, res) => {
          resolve({ status: res.statusCode!, code: res.headers['handshake-autherrcode'] as string | undefined });
          socket.terminate();
        });
        socket.on('open', () => reject(new Error('a forged ticket opened a connection')));
        socket.on('error', () => {});
      });
      assert.deepEqual(refused, { status: 403, code: '514' });
    });
  });
}
