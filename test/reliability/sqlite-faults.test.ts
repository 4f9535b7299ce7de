import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { seedFromJson } from '../../src/seed.js';
import { buildServer } from '../../src/server.js';
import type { Server } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { TEST_SECRET } from '../helpers/server.js';
import { TEST_SEED } from '../helpers/seed.js';
import { STORES } from '../helpers/stores.js';
import { dingtalk, dingtalkAppToken, feishu, isFeishuOk, sandboxToken, send } from './lib/http.js';
import type { Answer, FeishuCaller } from './lib/http.js';

/**
 * Store faults are survived (SQLite): another process holding the write lock past the busy timeout,
 * and I/O errors (disk full, read-only file, a failed write), fail only the requests that meet them,
 * with the dialect's retryable answer (Feishu 429 190010, DingTalk 503 serviceBusy), quickly; the
 * server serves on, and the same requests sent again succeed, a create making one event.
 */

/** The busy timeout of this test's store: a write waits this long for another process's lock. */
const BUSY_MS = 1_500;
/** "Quickly": far above BUSY_MS, far below a hang. */
const ANSWER_BUDGET_MS = 10_000;
const T0 = 1_767_225_600;
const DT_EVENTS = '/calendar/users/on_zhangsan/calendars/primary/events';
const iso = (epoch: number) => new Date((epoch + 8 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** Stands between the server and its store and, while `fault` is set, throws it inside every read and transaction. */
class FaultInjector {
  fault: Error | undefined;

  wrap(store: OpenedStore): OpenedStore {
    const hit = () => {
      if (this.fault) throw this.fault;
    };
    return {
      ...store,
      read: (fn) => store.read(async (r) => {
        hit();
        return fn(r);
      }),
      transact: (fn) => store.transact(async (w) => {
        hit();
        return fn(w);
      }),
    };
  }
}

const isFeishuRetryable = (a: Answer) => a.status === 429 && a.json?.code === 190010;
const isDingtalkRetryable = (a: Answer) => a.status === 503 && a.json?.code === 'serviceBusy';

describe('sqlite: store faults', { skip: !STORES.includes('sqlite') && 'SQLite not in RILI_TEST_STORES' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rili-sqlite-faults-'));
  const path = join(dir, 'rili.db');
  const injector = new FaultInjector();
  let server: Server;
  let url: string;
  let zhangsan: FeishuCaller;
  let ding: string;
  let eventsPath: string;

  before(async () => {
    const store = await openStore(path, { busyTimeoutMs: BUSY_MS });
    server = await buildServer({ db: path, secret: TEST_SECRET, logLevel: 'silent' }, { store: injector.wrap(store) });
    await server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
    url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    zhangsan = { base: url, token: await sandboxToken(url, 'cli_acme', 'zhangsan') };
    const primary = await feishu(zhangsan, 'POST', '/calendar/v4/calendars/primary');
    assert.ok(isFeishuOk(primary), primary.text);
    eventsPath = `/calendar/v4/calendars/${encodeURIComponent(primary.json.data.calendars[0].calendar.calendar_id)}/events`;
    ding = await dingtalkAppToken(url, 'dingacme', 'acme-secret');
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let n = 0;
  const feishuCreate = (key: string, summary: string) => {
    const start = T0 + ++n * 3600;
    return feishu(zhangsan, 'POST', `${eventsPath}?idempotency_key=${key}`, { summary, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 1800) } });
  };
  const dingtalkCreate = (token: string, summary: string) => {
    const start = T0 + ++n * 3600;
    return dingtalk(url, ding, 'POST', DT_EVENTS, { summary, start: { dateTime: iso(start), timeZone: 'Asia/Shanghai' }, end: { dateTime: iso(start + 1800), timeZone: 'Asia/Shanghai' } }, { 'x-client-token': token });
  };
  /** How many events of zhangsan's calendar have this summary. */
  const countOf = async (summary: string): Promise<number> => {
    const a = await feishu(zhangsan, 'GET', `${eventsPath}?page_size=1000`);
    assert.ok(isFeishuOk(a), a.text);
    return (a.json.data.items ?? []).filter((e: { summary: string }) => e.summary === summary).length;
  };
  /** The same create again, until DingTalk stops saying the first is still processing (a claim let go in the background). */
  const dingtalkAgain = async (token: string, summary: string): Promise<Answer> => {
    for (let i = 0; ; i++) {
      const a = await dingtalkCreate(token, summary);
      if (a.status !== 400 || a.json?.code !== 'idempotencyProcessing' || i > 50) return a;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  test('another connection holding the write lock past the busy timeout: writes answer retryably and quickly, reads go on, then writes succeed', async () => {
    const holder = new BetterSqlite3(path);
    holder.exec('begin exclusive');
    let released = false;
    try {
      // While the write waits for the lock, the process serves on: a read sent after it is answered before it.
      let writeAnswered = false;
      const waiting = feishuCreate('busy-f', 'busy feishu').then((a) => {
        writeAnswered = true;
        return a;
      });
      await new Promise((r) => setTimeout(r, 100));
      const during = await feishu(zhangsan, 'GET', `${eventsPath}?page_size=10`);
      assert.ok(isFeishuOk(during), during.text);
      assert.equal(writeAnswered, false, 'the read waited for the write\'s wait for the lock');
      const f = await waiting;
      assert.ok(isFeishuRetryable(f), `Feishu create under a held lock: ${f.status} ${f.text}`);
      assert.match(f.json.msg, /busy/);
      assert.ok(f.ms < ANSWER_BUDGET_MS, `answered in ${Math.round(f.ms)} ms`);
      const d = await dingtalkCreate('busy-d', 'busy dingtalk');
      assert.ok(isDingtalkRetryable(d), `DingTalk create under a held lock: ${d.status} ${d.text}`);
      assert.ok(d.ms < ANSWER_BUDGET_MS, `answered in ${Math.round(d.ms)} ms`);
      // WAL: readers do not wait for the writer.
      const list = await feishu(zhangsan, 'GET', `${eventsPath}?page_size=10`);
      assert.ok(isFeishuOk(list), list.text);
      const health = await send(url, { method: 'GET', path: '/rili/v1/health' });
      assert.equal(health.status, 200);
      console.log(`[reliability] sqlite busy: write lock held by another connection past the ${BUSY_MS} ms busy timeout; `
        + `Feishu create answered 429 190010 in ${Math.round(f.ms)} ms, DingTalk create 503 serviceBusy in ${Math.round(d.ms)} ms; `
        + `a read sent meanwhile answered 200 in ${Math.round(during.ms)} ms`);
      holder.exec('rollback');
      released = true;
      const f2 = await feishuCreate('busy-f', 'busy feishu');
      assert.ok(isFeishuOk(f2), f2.text);
      const d2 = await dingtalkAgain('busy-d', 'busy dingtalk');
      assert.equal(d2.status, 200, d2.text);
      assert.equal(await countOf('busy feishu'), 1);
      assert.equal(await countOf('busy dingtalk'), 1);
    } finally {
      if (!released) holder.exec('rollback');
      holder.close();
    }
  });

  for (const code of ['SQLITE_IOERR_WRITE', 'SQLITE_FULL', 'SQLITE_READONLY']) {
    test(`${code} in the store: reads and writes of both dialects answer retryably; once it passes, they succeed`, async () => {
      const summary = `fault ${code}`;
      injector.fault = new BetterSqlite3.SqliteError(`injected ${code}`, code);
      try {
        const f = await feishuCreate(`key-${code}`, `${summary} feishu`);
        assert.ok(isFeishuRetryable(f), `Feishu create: ${f.status} ${f.text}`);
        const read = await feishu(zhangsan, 'GET', `${eventsPath}?page_size=10`);
        assert.ok(isFeishuRetryable(read), `Feishu list: ${read.status} ${read.text}`);
        const d = await dingtalkCreate(`token-${code}`, `${summary} dingtalk`);
        assert.ok(isDingtalkRetryable(d), `DingTalk create: ${d.status} ${d.text}`);
        const dRead = await dingtalk(url, ding, 'GET', '/calendar/users/on_zhangsan/calendars');
        assert.ok(isDingtalkRetryable(dRead), `DingTalk list calendars: ${dRead.status} ${dRead.text}`);
        const health = await send(url, { method: 'GET', path: '/rili/v1/health' });
        assert.equal(health.status, 200, 'the process serves on');
      } finally {
        injector.fault = undefined;
      }
      const f2 = await feishuCreate(`key-${code}`, `${summary} feishu`);
      assert.ok(isFeishuOk(f2), f2.text);
      const d2 = await dingtalkAgain(`token-${code}`, `${summary} dingtalk`);
      assert.equal(d2.status, 200, d2.text);
      assert.equal(await countOf(`${summary} feishu`), 1);
      assert.equal(await countOf(`${summary} dingtalk`), 1);
    });
  }

  test('a constraint violation is not a store fault: it stays the generic error, not the retryable one', async () => {
    injector.fault = new BetterSqlite3.SqliteError('UNIQUE constraint failed: events.uid', 'SQLITE_CONSTRAINT_UNIQUE');
    try {
      const f = await feishuCreate('key-constraint', 'constraint');
      assert.equal(f.status, 500, f.text);
      assert.equal(f.json.code, 190003);
      const d = await dingtalkCreate('token-constraint', 'constraint');
      assert.equal(d.status, 500, d.text);
      assert.equal(d.json.code, 'internalError');
    } finally {
      injector.fault = undefined;
    }
  });
});
