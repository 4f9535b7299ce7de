import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Delivery } from '../../src/core/push/deliveries.js';
import { seedFromJson } from '../../src/seed.js';
import { TEST_SEED } from '../helpers/seed.js';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { STORES } from '../helpers/stores.js';

/** A receiver that answers each push from a script of statuses and bodies, recording what it got. */
async function scriptedReceiver(script: Array<{ status: number; body: string }>) {
  const got: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body });
      const answer = script.shift() ?? { status: 200, body: '{}' };
      res.writeHead(answer.status).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { got, base, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

async function settled(s: TestServer, appId: string, count: number): Promise<Delivery[]> {
  for (let i = 0; i < 200; i++) {
    const list = await s.server.ctx.push.list({ appId, limit: 50 });
    if (list.length >= count && list.every((d) => d.status !== 'pending')) return list;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Retries fall due on the server's clock, which the test moves.
    s.clock.advance(0.2);
  }
  return s.server.ctx.push.list({ appId, limit: 50 });
}

for (const kind of STORES) {
  describe(`${kind}: push delivery from the seed's receiver, retries and the delivery log`, () => {
    let s: TestServer;
    let receiver: Awaited<ReturnType<typeof scriptedReceiver>>;
    before(async () => {
      receiver = await scriptedReceiver([{ status: 500, body: 'busy' }, { status: 200, body: '' }]);
      s = await startServer(kind, { seed: false, push: { retryMs: [100, 100] } });
      const seed = structuredClone(TEST_SEED);
      const apps = seed.tenants[0].apps!;
      apps[1] = { ...apps[1], events: { request_url: `${receiver.base}/acme2`, verification_token: 'vt2' } };
      apps[0] = { ...apps[0], events: { request_url: `${receiver.base}/acme` } };
      await s.server.ctx.directory.applySeed(seedFromJson(seed));
    });
    after(async () => {
      await s.close();
      await receiver.close();
    });

    test('only the subscribed app hears of the change; a 500 is retried with the same event_id; 200 with an empty body is flagged', async () => {
      const client = s.lark('cli_acme2');
      const lisi = lark.withUserAccessToken(await s.userToken('lisi', 'cli_acme2'));
      const primary = (await client.calendar.v4.calendar.primary({}, lisi)).data!.calendars![0].calendar!.calendar_id;
      await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: primary } }, lisi);
      const made = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: primary }, data: { summary: 'retry me', start_time: { timestamp: '1893974400' }, end_time: { timestamp: '1893978000' } },
      }, lisi);
      assert.equal(made.code, 0, made.msg);

      const [delivery] = await settled(s, 'cli_acme2', 1);
      assert.equal(delivery.status, 'delivered');
      assert.equal(delivery.attempts, 2);
      assert.equal(delivery.eventType, 'calendar.calendar.event.changed_v4');
      assert.equal(delivery.lastAttempt?.status, 200);
      assert.match(delivery.lastAttempt?.note ?? '', /receiver probably rejected the signature/);

      // Both attempts: plain JSON (no Encrypt Key), the same event, to cli_acme2's URL only.
      assert.deepEqual(receiver.got.map((g) => g.path), ['/acme2', '/acme2']);
      const bodies = receiver.got.map((g) => JSON.parse(g.body) as { header: Record<string, string>; event: Record<string, unknown> });
      assert.equal(bodies[0].header.event_id, bodies[1].header.event_id);
      assert.equal(bodies[0].header.event_id, delivery.eventId);
      assert.deepEqual(bodies[0].header, { ...bodies[0].header, event_type: 'calendar.calendar.event.changed_v4', token: 'vt2', app_id: 'cli_acme2', tenant_key: 'acme' });
      assert.deepEqual(bodies[0].event, {
        calendar_id: primary, user_id_list: [{ union_id: 'on_lisi', user_id: 'lisi', open_id: 'ou_lisi' }],
        calendar_event_id: made.data!.event!.event_id, change_type: 'create',
      });
      assert.equal(receiver.got[0].headers['x-lark-signature'], undefined);
      assert.deepEqual(await s.server.ctx.push.list({ appId: 'cli_acme', limit: 10 }), []);
    });

    test('GET /rili/v1/deliveries shows each delivery with its last request and answer; redeliver sends the same event again', async () => {
      const log = await (await fetch(`${s.url}/rili/v1/deliveries?app_id=cli_acme2&event_type=calendar.calendar.event.changed_v4`)).json() as { deliveries: any[]; has_more: boolean };
      assert.equal(log.has_more, false);
      assert.equal(log.deliveries.length, 1);
      const [d] = log.deliveries;
      assert.deepEqual([d.app_id, d.tenant_key, d.status, d.attempts, d.event.header.event_id], ['cli_acme2', 'acme', 'delivered', 2, d.event_id]);
      assert.deepEqual(d.last_attempt.answer, { status: 200, body: '' });
      assert.equal(d.last_attempt.request.url, `${receiver.base}/acme2`);
      assert.equal(JSON.parse(d.last_attempt.request.body).header.event_id, d.event_id);
      assert.equal(typeof d.last_attempt.latency_ms, 'number');
      assert.match(d.last_attempt.note, /probably rejected the signature/);
      assert.deepEqual((await (await fetch(`${s.url}/rili/v1/deliveries?app_id=cli_acme`)).json() as { deliveries: unknown[] }).deliveries, []);

      const before = receiver.got.length;
      const again = await fetch(`${s.url}/rili/v1/deliveries/${d.id}/redeliver`, { method: 'POST' });
      assert.equal(again.status, 202);
      const [redelivered] = await settled(s, 'cli_acme2', 1);
      assert.deepEqual([redelivered.status, redelivered.attempts, redelivered.lastAttempt?.responseBody], ['delivered', 1, '{}']);
      assert.equal(receiver.got.length, before + 1);
      assert.equal((JSON.parse(receiver.got[before].body) as { header: { event_id: string } }).header.event_id, d.event_id);

      const missing = await fetch(`${s.url}/rili/v1/deliveries/nope/redeliver`, { method: 'POST' });
      assert.equal(missing.status, 404);
    });
  });
}
