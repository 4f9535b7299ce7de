import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TEST_SEED } from '../helpers/seed.js';
import { STORES } from '../helpers/stores.js';
import { dingtalkAppToken, sandboxToken, send } from '../reliability/lib/http.js';
import { privateDatabase } from '../reliability/lib/pg.js';
import { freePort, startRiliChild } from '../reliability/lib/rili-child.js';
import type { RiliChild } from '../reliability/lib/rili-child.js';
import { DingtalkReceiver, newAesKey } from './dingtalk-receiver.js';
import { SdkReceiver } from './feishu-receiver.js';

/**
 * Durable push (issue 15, item 7): `rili serve` as a child process, its apps' receivers down (503)
 * while events change, SIGKILLed with deliveries pending (some perhaps not yet recorded), restarted.
 * Every expected push then arrives, Feishu's with the event_id recorded before the kill, DingTalk's
 * with the same content; another tenant's apps hear nothing.
 */

const SECRET = 'rili-push-crash-secret';
/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600;

/** A door in front of a receiver: 503 while shut, the receiver's own answer while open. */
class Gate {
  open = false;
  private server: Server | undefined;
  url = '';
  constructor(private readonly target: () => string) {}
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!this.open) return void res.writeHead(503).end('down');
        const to = new URL(this.target());
        const from = new URL(req.url ?? '/', 'http://x');
        to.search = from.search;
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-') || k === 'content-type')) as Record<string, string>;
        fetch(to, { method: 'POST', headers, body: Buffer.concat(chunks) })
          .then(async (r) => res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' }).end(await r.text()))
          .catch(() => res.writeHead(502).end());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/push`;
    return this;
  }
  close(): Promise<void> {
    return new Promise((resolve) => { this.server?.closeAllConnections(); this.server?.close(() => resolve()); });
  }
}

/** Records whatever reaches it (another tenant's apps point here). */
async function recorder(): Promise<{ url: string; got: string[]; close(): Promise<void> }> {
  const got: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => { got.push(`${req.url} ${body}`); res.writeHead(500).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/globex`, got,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const ok = (a: { status: number; text: string; json: any }, what: string) => {
  assert.ok(a.status === 200 && (a.json?.code === undefined || a.json.code === 0), `${what}: ${a.status} ${a.text}`);
  return a.json;
};

for (const kind of STORES) {
  describe(`${kind}: push survives SIGKILL with deliveries pending`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rili-push-crash-'));
    let server: RiliChild | undefined;
    let drop: (() => Promise<void>) | undefined;
    const closers: Array<() => Promise<void>> = [];
    after(async () => {
      await server?.kill();
      for (const c of closers) await c();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test('every expected event arrives after the restart, none to another tenant', { timeout: 240_000 }, async () => {
      let db = join(dir, 'rili.db');
      if (kind === 'postgres') {
        const database = await privateDatabase('pushcrash');
        drop = () => database.drop();
        db = database.schema('pushcrash').location;
      }
      const encryptKey = 'crash-encrypt-key';
      const verificationToken = 'crash-verification-token';
      const feishu = await SdkReceiver.start({ encryptKey, verificationToken });
      const dingtalk = await new DingtalkReceiver('crash-token', newAesKey(), 'dingacme').start();
      const feishuGate = await new Gate(() => feishu.url).start();
      const dingtalkGate = await new Gate(() => dingtalk.url).start();
      const globex = await recorder();
      closers.push(() => feishu.close(), () => dingtalk.close(), () => feishuGate.close(), () => dingtalkGate.close(), () => globex.close());

      // The receivers come from the seed (no handshake), shut for now.
      const seed = structuredClone(TEST_SEED);
      for (const t of seed.tenants) {
        for (const a of t.apps ?? []) {
          const app = a as { app_id?: string; app_key?: string; events?: object };
          if (app.app_id === 'cli_acme') app.events = { request_url: feishuGate.url, encrypt_key: encryptKey, verification_token: verificationToken };
          if (app.app_key === 'dingacme') app.events = { request_url: dingtalkGate.url, token: dingtalk.token, aes_key: dingtalk.aesKey };
          if (app.app_id === 'cli_globex') app.events = { request_url: globex.url };
          if (app.app_key === 'dingglobex') app.events = { request_url: globex.url, token: 'g', aes_key: newAesKey() };
        }
      }
      const seedPath = join(dir, 'seed.json');
      writeFileSync(seedPath, JSON.stringify(seed));
      const port = await freePort();
      // Retries every second for a minute: the restart comes well within it.
      // No merge window: the test expects one push per change (a create and an update within 3 s would be one).
      const args = ['--push-retry', Array(60).fill('1s').join(','), '--push-merge-ms', '0'];
      server = await startRiliChild({ db, port, secret: SECRET, seedPath, args });
      const base = server.url;

      const user = await sandboxToken(base, 'cli_acme', 'zhangsan');
      const auth = { authorization: `Bearer ${user}` };
      const calendarId = ok(await send(base, { method: 'POST', path: '/open-apis/calendar/v4/calendars/primary', headers: auth }), 'primary')
        .data.calendars[0].calendar.calendar_id as string;
      ok(await send(base, { method: 'POST', path: `/open-apis/calendar/v4/calendars/${calendarId}/events/subscription`, headers: auth }), 'subscribe');
      const ding = { 'x-acs-dingtalk-access-token': await dingtalkAppToken(base, 'dingacme', 'acme-secret') };

      /** What each receiver must get: event id and change type (Feishu's words). */
      const expected: Array<{ id: string; change: 'create' | 'update' }> = [];
      for (let i = 0; i < 3; i++) {
        const start = T0 + 86_400 + i * 7200;
        const made = ok(await send(base, {
          method: 'POST', path: `/open-apis/calendar/v4/calendars/${calendarId}/events`, headers: auth,
          body: { summary: `feishu ${i}`, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 3600) } },
        }), 'feishu create');
        expected.push({ id: made.data.event.event_id, change: 'create' });
        const dt = await send(base, {
          method: 'POST', path: '/v1.0/calendar/users/on_zhangsan/calendars/primary/events', headers: ding,
          body: { summary: `dingtalk ${i}`, start: { dateTime: new Date((start + 86_400) * 1000).toISOString(), timeZone: 'UTC' }, end: { dateTime: new Date((start + 90_000) * 1000).toISOString(), timeZone: 'UTC' } },
        });
        assert.equal(dt.status, 200, dt.text);
        expected.push({ id: dt.json.id, change: 'create' });
      }
      ok(await send(base, { method: 'PATCH', path: `/open-apis/calendar/v4/calendars/${calendarId}/events/${expected[0].id}`, headers: auth, body: { summary: 'patched' } }), 'patch');
      expected.push({ id: expected[0].id, change: 'update' });
      const patched = await send(base, { method: 'PUT', path: `/v1.0/calendar/users/on_zhangsan/calendars/primary/events/${expected[1].id}`, headers: ding, body: { id: expected[1].id, summary: 'patched' } });
      assert.equal(patched.status, 200, patched.text);
      expected.push({ id: expected[1].id, change: 'update' });

      // Wait until at least one delivery has failed against the shut door, then kill with the rest pending.
      let before: Array<{ event_id: string; app_id: string; status: string; attempts: number }> = [];
      for (let i = 0; i < 600; i++) {
        before = (await send(base, { method: 'GET', path: '/rili/v1/deliveries?limit=100' })).json.deliveries;
        if (before.some((d) => d.attempts > 0)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(before.some((d) => d.attempts > 0 && d.status === 'pending'), 'a delivery failed and waits for its retry');
      await server.kill();
      server = undefined;

      feishuGate.open = true;
      dingtalkGate.open = true;
      server = await startRiliChild({ db, port, secret: SECRET, args });

      const feishuGot = await feishu.take(expected.length, 120_000);
      const dingtalkGot = await dingtalk.take(expected.length, 120_000);
      const key = (id: string, change: string) => `${id} ${change}`;
      const want = new Set(expected.map((e) => key(e.id, e.change)));
      assert.deepEqual(new Set(feishuGot.map((r) => key(r.calendar_event_id, r.change_type))), want, 'Feishu: every change, at least once');
      const dingtalkChange: Record<string, string> = { created: 'create', updated: 'update' };
      assert.deepEqual(new Set(dingtalkGot.map((m) => key(m.calendarEventId, dingtalkChange[m.changeType]))), want, 'DingTalk: every change, at least once');
      // A DingTalk push sent twice carries the same content.
      const byChange = new Map<string, string>();
      for (const m of dingtalkGot) {
        const k = key(m.calendarEventId, m.changeType);
        if (byChange.has(k)) assert.equal(JSON.stringify(m), byChange.get(k));
        byChange.set(k, JSON.stringify(m));
      }
      // Feishu: the event_ids recorded before the kill are the ones that arrived.
      const received = new Set(feishuGot.map((r) => r.event_id as string));
      for (const d of before.filter((x) => x.app_id === 'cli_acme')) assert.ok(received.has(d.event_id), `event_id ${d.event_id} arrived`);
      assert.equal(received.size, expected.length, 'one event_id per change, however often it was sent');

      const after = (await send(server.url, { method: 'GET', path: '/rili/v1/deliveries?limit=100' })).json.deliveries as Array<{ app_id: string }>;
      assert.deepEqual([...new Set(after.map((d) => d.app_id))].sort(), ['cli_acme', 'dingacme']);
      assert.deepEqual(globex.got, [], 'another tenant heard nothing');
      assert.deepEqual(dingtalk.rejected, []);
    });
  });
}
