import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { seedFromJson } from '../../src/seed.js';
import { buildServer } from '../../src/server.js';
import type { Server } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore, StoreKind } from '../../src/store/open-store.js';
import { TEST_SECRET } from '../helpers/server.js';
import { TEST_SEED } from '../helpers/seed.js';
import { STORES, freshLocation } from '../helpers/stores.js';
import { dingtalkAppToken, send, sandboxToken } from './lib/http.js';
import type { Answer } from './lib/http.js';
import { freePort, startRiliChild } from './lib/rili-child.js';
import { changedTables, snapshot } from './lib/snapshot.js';

/**
 * `--request-timeout`: a request whose body does not arrive in time gets 408 in its dialect's envelope
 * and a closed connection, and writes nothing; a request whose answer is not ready in time gets 504 in
 * its dialect's envelope, once, while its handler runs on (a write it carries may still land); answers
 * in time are untouched; a shutdown is not held up by a stuck request.
 *
 * A handler is stuck deterministically by a gate in front of the store (`StoreGate`), not by a
 * test-only route: the requests are the real endpoints.
 */

/** The in-process servers' timeout: long enough that ordinary requests on a busy 2-core machine finish well inside it. */
const TIMEOUT_MS = 2_000;
/** How late an answer may come after the timeout on a shared machine. */
const SLACK_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stands in front of a store; while held, writes (and reads, if asked) wait at the gate. */
class StoreGate {
  private held?: { open: () => void; promise: Promise<void>; reads: boolean };
  /** Store calls that entered the gate and have not finished. */
  inFlight = 0;
  private idle: (() => void)[] = [];

  hold(options: { reads: boolean }): void {
    let open!: () => void;
    const promise = new Promise<void>((r) => {
      open = r;
    });
    this.held = { open, promise, reads: options.reads };
  }

  release(): void {
    this.held?.open();
    this.held = undefined;
  }

  /** Resolves once every store call through the gate has finished (its transaction committed or failed). */
  settled(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((r) => this.idle.push(r));
  }

  private async pass<T>(read: boolean, run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      const held = this.held;
      if (held && (!read || held.reads)) await held.promise;
      return await run();
    } finally {
      if (--this.inFlight === 0) for (const r of this.idle.splice(0)) r();
    }
  }

  wrap(store: OpenedStore): OpenedStore {
    return {
      ...store,
      read: (fn) => this.pass(true, () => store.read(fn)),
      transact: (fn) => this.pass(false, () => store.transact(fn)),
    };
  }
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly json: any;
}

/**
 * One TCP connection spoken to byte by byte: a client that sends a head and then its body slowly or
 * not at all, and sees every byte the server sends back, how many answers, and when it closed.
 */
class RawConnection {
  readonly socket: net.Socket;
  private received = '';
  readonly opened = performance.now();
  /** Milliseconds from opening to the server's close, once closed. */
  closedAfter?: number;
  private readonly closedPromise: Promise<void>;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = net.connect(Number(port), hostname);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (d: string) => {
      this.received += d;
    });
    this.socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) => this.socket.once('close', () => {
      this.closedAfter = performance.now() - this.opened;
      resolve();
    }));
  }

  write(text: string): void {
    if (!this.socket.destroyed) this.socket.write(text);
  }

  /** Every complete answer received so far (each has a Content-Length). */
  responses(): RawResponse[] {
    const out: RawResponse[] = [];
    let rest = this.received;
    for (;;) {
      const end = rest.indexOf('\r\n\r\n');
      if (end < 0) return out;
      const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const length = Number(headers['content-length']);
      const body = Buffer.from(rest.slice(end + 4), 'utf8');
      if (!Number.isInteger(length) || body.length < length) return out;
      const text = body.subarray(0, length).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      out.push({ status: Number(statusLine.split(' ')[1]), headers, json });
      rest = body.subarray(length).toString('utf8');
    }
  }

  /** Waits until `n` answers have arrived; fails after `ms`. */
  async answers(n: number, ms: number): Promise<RawResponse[]> {
    const deadline = performance.now() + ms;
    while (this.responses().length < n) {
      if (performance.now() > deadline) assert.fail(`${this.responses().length} of ${n} answers after ${ms} ms; received: ${JSON.stringify(this.received.slice(0, 500))}`);
      if (this.socket.destroyed && this.responses().length < n) assert.fail(`connection closed after ${this.responses().length} of ${n} answers: ${JSON.stringify(this.received.slice(0, 500))}`);
      await sleep(20);
    }
    return this.responses();
  }

  /** Waits for the server to close the connection; fails after `ms`. */
  async closed(ms: number): Promise<number> {
    const timer = sleep(ms).then(() => 'late' as const);
    const outcome = await Promise.race([this.closedPromise.then(() => 'closed' as const), timer]);
    assert.equal(outcome, 'closed', `the server did not close the connection within ${ms} ms`);
    return this.closedAfter!;
  }

  /** Whether the server has sent anything beyond `n` answers. */
  extraBytesAfter(n: number): boolean {
    const answers = this.responses();
    return answers.length > n || this.received.split('HTTP/1.1 ').length - 1 > n;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A request head for RawConnection.write. */
function head(method: string, path: string, headers: Record<string, string | number>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: rili.test\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** A request whole, as RawConnection.write takes it. */
function whole(method: string, path: string, headers: Record<string, string>, body?: unknown): string {
  const text = body === undefined ? '' : JSON.stringify(body);
  return head(method, path, { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }) }) + text;
}

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const eventBody = (summary: string, extra: object = {}) => ({
  summary, start_time: { timestamp: String(T0 + 3600) }, end_time: { timestamp: String(T0 + 7200) }, ...extra,
});

interface Env {
  readonly kind: StoreKind;
  readonly url: string;
  readonly server: Server;
  readonly store: OpenedStore;
  readonly gate: StoreGate;
  /** zhangsan's Feishu user token (cli_acme). */
  readonly feishu: string;
  /** dingacme's DingTalk app token. */
  readonly ding: string;
  /** Closes the server (once), leaving the gate as it is. */
  closeServer(): Promise<void>;
  /** Opens the gate, closes the server, drops the database. */
  close(): Promise<void>;
}

async function startEnv(kind: StoreKind): Promise<Env> {
  const fresh = await freshLocation(kind);
  const store = await openStore(fresh.location);
  const gate = new StoreGate();
  const server = await buildServer({ db: fresh.location, secret: TEST_SECRET, logLevel: process.env.RILI_TEST_LOG ?? 'silent', requestTimeout: TIMEOUT_MS }, { store: gate.wrap(store) });
  await server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const feishu = await sandboxToken(url, 'cli_acme', 'zhangsan');
  const ding = await dingtalkAppToken(url, 'dingacme', 'acme-secret');
  let closing: Promise<void> | undefined;
  const closeServer = () => (closing ??= server.close());
  return {
    kind, url, server, store, gate, feishu, ding, closeServer,
    async close() {
      gate.release();
      await closeServer();
      await fresh.drop();
    },
  };
}

const feishuAuth = (env: Env) => ({ authorization: `Bearer ${env.feishu}` });
const dingAuth = (env: Env) => ({ 'x-acs-dingtalk-access-token': env.ding });

async function feishuOk(env: Env, method: string, path: string, body?: unknown): Promise<Answer> {
  const a = await send(env.url, { method, path: `/open-apis${path}`, headers: feishuAuth(env), body });
  assert.equal(a.status, 200, `${method} ${path}: ${a.status} ${a.text}`);
  assert.equal(a.json?.code, 0, `${method} ${path}: ${a.text}`);
  return a;
}

/** The events on zhangsan's primary calendar with this summary (Feishu list, one page). */
async function eventsNamed(env: Env, summary: string): Promise<any[]> {
  const a = await feishuOk(env, 'GET', '/calendar/v4/calendars/primary/events?page_size=500');
  return ((a.json.data.items ?? []) as any[]).filter((e) => e.summary === summary);
}

for (const kind of STORES) {
  describe(`${kind}: --request-timeout (${TIMEOUT_MS} ms in process)`, () => {
    let env: Env;
    before(async () => {
      env = await startEnv(kind);
    });
    after(async () => {
      await env?.close();
    });

    test('a Feishu body arriving too slowly gets 408 with 190002, a closed connection, and writes nothing', async () => {
      const before = await snapshot(env.store.db, kind);
      const body = JSON.stringify({ summary: `slow ${'x'.repeat(300)}` });
      const c = new RawConnection(env.url);
      try {
        c.write(head('POST', '/open-apis/calendar/v4/calendars', { ...feishuAuth(env), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }));
        // A byte every 50 ms: still arriving, but 300 bytes take 15 s.
        let i = 0;
        const trickle = setInterval(() => c.write(body[i++] ?? ''), 50);
        try {
          const [answer] = await c.answers(1, TIMEOUT_MS + SLACK_MS);
          const closedAfter = await c.closed(SLACK_MS);
          assert.equal(answer.status, 408);
          assert.equal(answer.json?.code, 190002);
          assert.match(answer.json?.msg, /request body not received within 2000 ms/);
          assert.equal(answer.json?.error?.log_id, answer.headers['x-tt-logid']);
          assert.equal(answer.json?.error?.field_violations?.[0]?.field, 'body');
          assert.equal(answer.headers.connection, 'close');
          assert.ok(closedAfter >= TIMEOUT_MS - 20, `answered and closed after ${Math.round(closedAfter)} ms, before the timeout`);
          assert.ok(i < body.length, 'the body had arrived whole');
        } finally {
          clearInterval(trickle);
        }
      } finally {
        c.destroy();
      }
      await sleep(200);
      assert.deepEqual(changedTables(before, await snapshot(env.store.db, kind)), []);
    });

    test('a DingTalk body that stops halfway gets 408 invalidParameter with its requestid, a closed connection, and writes nothing', async () => {
      const before = await snapshot(env.store.db, kind);
      const body = JSON.stringify({ summary: 'never whole', start: { dateTime: '2026-01-02T10:00:00+08:00' }, end: { dateTime: '2026-01-02T11:00:00+08:00' } });
      const c = new RawConnection(env.url);
      try {
        c.write(head('POST', '/v1.0/calendar/users/on_zhangsan/calendars/primary/events', { ...dingAuth(env), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }));
        c.write(body.slice(0, body.length >> 1));
        const [answer] = await c.answers(1, TIMEOUT_MS + SLACK_MS);
        await c.closed(SLACK_MS);
        assert.equal(answer.status, 408);
        assert.deepEqual(Object.keys(answer.json ?? {}).sort(), ['code', 'message', 'requestid']);
        assert.equal(answer.json.code, 'invalidParameter');
        assert.equal(answer.json.requestid, answer.headers['x-request-id']);
        assert.match(answer.json.message, /request body not received within 2000 ms/);
      } finally {
        c.destroy();
      }
      assert.deepEqual(changedTables(before, await snapshot(env.store.db, kind)), []);
    });

    test('a request head that never ends gets 408 and a closed connection (Node\'s parser: no route yet, so no envelope)', async () => {
      const c = new RawConnection(env.url);
      try {
        c.write('GET /open-apis/calendar/v4/calendars HTTP/1.1\r\nHost: rili.test\r\n');
        // Node checks heads once a second: the answer comes within the timeout and one check.
        const [answer] = await c.answers(1, TIMEOUT_MS + 1_000 + SLACK_MS);
        await c.closed(SLACK_MS);
        assert.equal(answer.status, 408);
      } finally {
        c.destroy();
      }
    });

    test('a Feishu write stuck in the store gets 504 with 190003 once; its late result is not sent; the write still lands', async () => {
      const created = await feishuOk(env, 'POST', '/calendar/v4/calendars/primary/events', eventBody('before the stall'));
      const eventId = created.json.data.event.event_id as string;
      const path = `/open-apis/calendar/v4/calendars/primary/events/${eventId}`;
      const c = new RawConnection(env.url);
      try {
        env.gate.hold({ reads: false });
        c.write(whole('PATCH', path, feishuAuth(env), { summary: 'landed late' }));
        const [answer] = await c.answers(1, TIMEOUT_MS + SLACK_MS);
        assert.equal(answer.status, 504);
        assert.equal(answer.json?.code, 190003);
        assert.match(answer.json?.msg, /^internal service error: request not answered within 2000 ms; a write it carries may still complete$/);
        assert.equal(answer.json?.error?.log_id, answer.headers['x-tt-logid']);
        assert.notEqual(answer.headers.connection, 'close');
        assert.ok(env.gate.inFlight > 0, 'the handler was no longer running when the 504 came');

        // The handler runs on once the store lets it: its write commits (a client that got 504 must
        // expect that), and its own answer goes nowhere.
        env.gate.release();
        await env.gate.settled();
        const got = await feishuOk(env, 'GET', `/calendar/v4/calendars/primary/events/${eventId}`);
        assert.equal(got.json.data.event.summary, 'landed late');
        // Time for the handler to finish and try to send its answer.
        await sleep(300);
        assert.equal(c.extraBytesAfter(1), false, 'the late result was sent after the 504');
        // The connection is still good for the next request, whose answer is the next thing on it.
        c.write(whole('GET', path, feishuAuth(env)));
        const answers = await c.answers(2, SLACK_MS);
        assert.equal(answers.length, 2);
        assert.equal(answers[1].status, 200);
        assert.equal(answers[1].json?.data?.event?.summary, 'landed late');
      } finally {
        env.gate.release();
        c.destroy();
      }
    });

    test('after a 504 on a create, a retry with the same idempotency_key makes no second event', async () => {
      const summary = `retried after a timeout ${kind}`;
      const key = `timeout-retry-${kind}-${Date.now()}`;
      const path = `/open-apis/calendar/v4/calendars/primary/events?idempotency_key=${key}`;
      env.gate.hold({ reads: false });
      let first: Answer;
      try {
        first = await send(env.url, { method: 'POST', path, headers: feishuAuth(env), body: eventBody(summary), timeoutMs: TIMEOUT_MS + SLACK_MS });
      } finally {
        env.gate.release();
      }
      assert.equal(first.status, 504, first.text);
      assert.equal(first.json?.code, 190003);
      const retry = await feishuOk(env, 'POST', path.slice('/open-apis'.length), eventBody(summary));
      await env.gate.settled();
      const events = await eventsNamed(env, summary);
      assert.deepEqual(events.map((e) => e.event_id), [retry.json.data.event.event_id]);
    });

    test('after a 504 on a DingTalk CreateEvent, a retry with the same x-client-token answers the event made', async () => {
      const summary = `DingTalk retried after a timeout ${kind}`;
      const token = `ct-timeout-${kind}-${Date.now()}`;
      const body = { summary, start: { dateTime: '2026-01-03T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2026-01-03T11:00:00+08:00', timeZone: 'Asia/Shanghai' } };
      const create = () => send(env.url, {
        method: 'POST', path: '/v1.0/calendar/users/on_zhangsan/calendars/primary/events', headers: { ...dingAuth(env), 'x-client-token': token }, body, timeoutMs: TIMEOUT_MS + SLACK_MS,
      });
      env.gate.hold({ reads: false });
      let first: Answer;
      try {
        first = await create();
      } finally {
        env.gate.release();
      }
      assert.equal(first.status, 504, first.text);
      assert.equal(first.json?.code, 'serviceBusy');
      // The first request runs on after its 504 (claim, create, record: several transactions); while
      // it does, a retry is told so; once it has finished, the retry gets what it made.
      let retry = await create();
      const deadline = performance.now() + SLACK_MS;
      while (retry.status === 400 && retry.json?.code === 'idempotencyProcessing' && performance.now() < deadline) {
        await sleep(50);
        retry = await create();
      }
      assert.equal(retry.status, 200, retry.text);
      const events = await eventsNamed(env, summary);
      assert.equal(events.length, 1, JSON.stringify(events));
      assert.ok(events[0].event_id.startsWith(retry.json.id), `${retry.json.id} vs ${events[0].event_id}`);
    });

    test('a DingTalk request stuck in the store gets 504 serviceBusy with its requestid', async () => {
      env.gate.hold({ reads: true });
      let a: Answer;
      try {
        a = await send(env.url, { method: 'GET', path: '/v1.0/calendar/users/on_zhangsan/calendars', headers: dingAuth(env), timeoutMs: TIMEOUT_MS + SLACK_MS });
        assert.ok(env.gate.inFlight > 0, 'the handler was no longer running when the 504 came');
      } finally {
        env.gate.release();
      }
      assert.equal(a.status, 504, a.text);
      assert.deepEqual(Object.keys(a.json ?? {}).sort(), ['code', 'message', 'requestid']);
      assert.equal(a.json.code, 'serviceBusy');
      assert.equal(a.json.requestid, a.headers['x-request-id']);
      assert.match(a.json.message, /request not answered within 2000 ms/);
      await env.gate.settled();
    });

    test('answers given in time are untouched: nothing follows them on the connection once the timeout has passed', async () => {
      const c = new RawConnection(env.url);
      try {
        const requests = [
          whole('POST', '/open-apis/calendar/v4/calendars/primary', feishuAuth(env), {}),
          whole('POST', '/open-apis/calendar/v4/calendars/primary/events', feishuAuth(env), eventBody('in time')),
          whole('GET', '/open-apis/calendar/v4/calendars/primary/events?page_size=50', feishuAuth(env)),
          whole('GET', '/v1.0/calendar/users/on_zhangsan/calendars', dingAuth(env)),
          whole('POST', '/rili/v1/user-tokens', {}, { app: 'cli_acme', user: 'lisi' }),
          whole('GET', '/open-apis/no/such/path', {}),
        ];
        for (const [i, r] of requests.entries()) {
          c.write(r);
          const answers = await c.answers(i + 1, SLACK_MS);
          assert.ok([200, 404].includes(answers[i].status), `request ${i}: ${answers[i].status} ${JSON.stringify(answers[i].json)}`);
        }
        // Each request's timer would have fired by now; none may add anything.
        await sleep(TIMEOUT_MS + 500);
        assert.equal(c.extraBytesAfter(requests.length), false);
        assert.equal(c.closedAfter, undefined, 'the connection was closed');
        c.write(whole('GET', '/rili/v1/health', {}));
        const answers = await c.answers(requests.length + 1, SLACK_MS);
        assert.equal(answers[requests.length].status, 200);
      } finally {
        c.destroy();
      }
    });
  });

  describe(`${kind}: a shutdown with a stuck request`, () => {
    test('close() answers the stuck request and returns within the timeout and the grace, keep-alive or not', async () => {
      const env = await startEnv(kind);
      const agent = new http.Agent({ keepAlive: true });
      try {
        env.gate.hold({ reads: true });
        const stuck = send(env.url, { method: 'GET', path: '/open-apis/calendar/v4/calendars?page_size=50', headers: feishuAuth(env), agent, timeoutMs: TIMEOUT_MS + SLACK_MS });
        await sleep(100);
        const started = performance.now();
        const closing = env.closeServer();
        const answer = await stuck;
        assert.equal(answer.status, 504);
        assert.equal(answer.json?.code, 190003);
        const outcome = await Promise.race([closing.then(() => 'closed'), sleep(TIMEOUT_MS + SLACK_MS).then(() => 'still open')]);
        assert.equal(outcome, 'closed', 'close() waited on the kept-alive connection');
        assert.ok(performance.now() - started < TIMEOUT_MS + SLACK_MS);
      } finally {
        agent.destroy();
        env.gate.release();
        await env.close();
      }
    });
  });
}

describe('rili serve --request-timeout', () => {
  test('a stalled body gets the 408 envelope from a served rili; SIGTERM with one in flight exits 0 within the grace', async () => {
    const timeout = 300;
    const child = await startRiliChild({ db: ':memory:', port: await freePort(), secret: 'rili-timeout-secret', args: ['--request-timeout', String(timeout)] });
    try {
      const body = JSON.stringify({ summary: 'never whole' });
      const open = () => {
        const c = new RawConnection(child.url);
        c.write(head('POST', '/open-apis/calendar/v4/calendars', { 'content-type': 'application/json', 'content-length': body.length }));
        c.write(body.slice(0, 5));
        return c;
      };
      const c = open();
      try {
        const [answer] = await c.answers(1, timeout + SLACK_MS);
        await c.closed(SLACK_MS);
        assert.equal(answer.status, 408);
        assert.equal(answer.json?.code, 190002);
        assert.match(answer.json?.msg, /within 300 ms/);
      } finally {
        c.destroy();
      }

      // Shutdown with a request in flight: it is answered at its timeout, then the process exits.
      const inFlight = open();
      try {
        await sleep(50);
        const started = performance.now();
        await child.stop(timeout + 5_000 + SLACK_MS);
        const took = performance.now() - started;
        assert.equal(child.child.exitCode, 0, `exit ${child.child.exitCode} ${child.child.signalCode}: ${child.stderrTail()}`);
        assert.ok(took < timeout + 5_000, `shutdown took ${Math.round(took)} ms`);
        assert.equal(inFlight.responses()[0]?.status, 408);
      } finally {
        inFlight.destroy();
      }
    } finally {
      await child.kill();
    }
  });
});
