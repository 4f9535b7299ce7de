import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { seedFromJson } from '../../../src/seed.js';
import { TEST_SEED } from '../../helpers/seed.js';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';
import { readEventsUntil } from './sandbox-server.js';

/** A push receiver that answers 200 `{}` (what the SDK's dispatcher answers to an accepted event). */
async function okReceiver() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

for (const kind of STORES) {
  describe(`${kind}: the live stream carries changes and push deliveries`, () => {
    let s: TestServer;
    let receiver: Awaited<ReturnType<typeof okReceiver>>;
    let calendarId: string;
    let lisi: ReturnType<typeof lark.withUserAccessToken>;
    before(async () => {
      receiver = await okReceiver();
      s = await startServer(kind, { seed: false });
      const seed = structuredClone(TEST_SEED);
      const apps = seed.tenants[0].apps!;
      apps[1] = { ...apps[1], events: { request_url: receiver.url } };
      await s.server.ctx.directory.applySeed(seedFromJson(seed));
      lisi = lark.withUserAccessToken(await s.userToken('lisi', 'cli_acme2'));
      calendarId = (await s.lark('cli_acme2').calendar.v4.calendar.primary({}, lisi)).data!.calendars![0].calendar!.calendar_id;
    });
    after(async () => {
      await s.close();
      await receiver.close();
    });

    const create = (summary: string) => s.lark('cli_acme2').calendar.v4.calendarEvent.create({
      path: { calendar_id: calendarId }, data: { summary, start_time: { timestamp: '1893974400' }, end_time: { timestamp: '1893978000' } },
    }, lisi);

    test('a change committed after the stream opened arrives as `event: change`', async () => {
      const abort = new AbortController();
      const res = await fetch(`${s.url}/rili/v1/stream?types=change`, { signal: abort.signal });
      assert.equal(res.status, 200);
      const reading = readEventsUntil(res, (e) => e.event === 'change' && e.data.object === 'event' && e.data.kind === 'created');
      const made = await create('seen on the stream');
      assert.equal(made.code, 0, made.msg);
      const events = await reading;
      abort.abort();
      assert.ok(events.every((e) => e.event === 'change'), 'types=change: nothing else');
      const change = events.at(-1)!;
      assert.equal(change.id, `change-${change.data.seq}`);
      assert.equal(change.data.calendar_id, calendarId);
      assert.equal(change.data.app_id, 'cli_acme2');
      assert.equal(change.data.tenant_key, 'acme');
      assert.equal(`${change.data.uid}_0`, made.data!.event!.event_id);
      assert.equal(typeof change.data.at_ms, 'number');
    });

    test('change_after replays the log after a noted seq, in order', async () => {
      const from = await s.server.ctx.changeFeed.position();
      const first = await create('first after the mark');
      const second = await create('second after the mark');
      const abort = new AbortController();
      const res = await fetch(`${s.url}/rili/v1/stream?types=change&change_after=${from}`, { signal: abort.signal });
      const secondUid = second.data!.event!.event_id.replace(/_0$/, '');
      const events = await readEventsUntil(res, (e) => e.data.uid === secondUid);
      abort.abort();
      const uids = events.filter((e) => e.data.object === 'event').map((e) => e.data.uid);
      assert.deepEqual(uids, [first.data!.event!.event_id.replace(/_0$/, ''), secondUid]);
      const seqs = events.map((e) => e.data.seq as number);
      assert.ok(seqs[0] > from && seqs.every((q, i) => i === 0 || q > seqs[i - 1]), 'after the mark, increasing');
    });

    test('a push delivery arrives as `event: delivery`, pending then delivered', async () => {
      const client = s.lark('cli_acme2');
      // The earlier tests' events must be behind the push worker before lisi subscribes: recorded
      // after the subscription (the worker trails the log, further on PostgreSQL), they would be pushed too.
      const logEnd = await s.server.ctx.changeFeed.position();
      for (let i = 0; i < 200 && ((await s.server.ctx.push.startPosition()) ?? 0) < logEnd; i++) await new Promise((r) => setTimeout(r, 50));
      await client.calendar.v4.calendarEvent.subscription({ path: { calendar_id: calendarId } }, lisi);
      const abort = new AbortController();
      const res = await fetch(`${s.url}/rili/v1/stream?types=delivery`, { signal: abort.signal });
      const reading = readEventsUntil(res, (e) => e.event === 'delivery' && e.data.status === 'delivered');
      const made = await create('pushed and streamed');
      assert.equal(made.code, 0, made.msg);
      const events = await reading;
      abort.abort();
      assert.ok(events.every((e) => e.event === 'delivery'));
      const done = events.at(-1)!;
      assert.equal(done.id, `delivery-${done.id.split('-')[1]}`);
      assert.equal(done.data.app_id, 'cli_acme2');
      assert.equal(done.data.event_type, 'calendar.calendar.event.changed_v4');
      assert.equal(done.data.attempts, 1);
      assert.equal(done.data.last_attempt.answer.status, 200);
      assert.equal(done.data.event.event.calendar_event_id, made.data!.event!.event_id);
      // The same delivery was on the stream when it was recorded, before its attempt.
      assert.ok(events.some((e) => e.data.id === done.data.id && e.data.status === 'pending' && e.data.attempts === 0));
    });
  });
}
