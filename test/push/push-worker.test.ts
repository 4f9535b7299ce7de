// The worker against a receiver that never answers: at most `perAppConcurrency` attempts of that app in
// flight, its backlog left in the store (not re-read every 50 ms while the attempts hang), and another
// app's deliveries still claimed and sent. The push service is a stand-in that records the worker's calls.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Socket, AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Delivery } from '../../src/core/push/deliveries.js';
import type { ChangeFeed } from '../../src/core/service/change-feed.js';
import type { PushService } from '../../src/core/service/push-service.js';
import { PushWorker } from '../../src/push/push-worker.js';

test('a hung receiver holds only its own app\'s attempts; its backlog is left out of the reads until an attempt ends', async () => {
  const sockets = new Set<Socket>();
  let hungRequests = 0;
  let okRequests = 0;
  const receiver = createServer((req, res) => {
    if (req.url === '/hung') {
      hungRequests++;
      return;
    }
    okRequests++;
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  receiver.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const now = () => Date.now();
  const pending = new Map<string, Delivery>();
  const add = (appId: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const id = `${appId}-${i}`;
      pending.set(id, { id, appId, tenantKey: 't', eventId: id, eventType: 'calendar.calendar.changed_v4', seq: i, body: '{}', status: 'pending', attempts: 0, nextAt: 0, createdAt: 0 });
    }
  };
  add('hung', 10);
  const dueCalls: string[][] = [];
  const nextDueCalls: string[][] = [];
  const recorded: string[] = [];
  const push = {
    onQueued: () => () => {},
    startPosition: async () => undefined,
    due: async (perApp: number, exceptApps: readonly string[] = []) => {
      dueCalls.push([...exceptApps]);
      const due = [...pending.values()].filter((d) => d.nextAt <= now() && !exceptApps.includes(d.appId));
      return due.filter((d) => due.filter((o) => o.appId === d.appId).indexOf(d) < perApp);
    },
    nextDueAt: async (exceptApps: readonly string[] = []) => {
      nextDueCalls.push([...exceptApps]);
      const next = [...pending.values()].filter((d) => !exceptApps.includes(d.appId)).map((d) => d.nextAt);
      return next.length ? Math.min(...next) : undefined;
    },
    claimAll: async (ds: readonly Delivery[], leaseMs: number) => ds.filter((d) => {
      const held = pending.get(d.id);
      if (!held || held.nextAt !== d.nextAt) return false;
      pending.set(d.id, { ...held, nextAt: now() + leaseMs });
      return true;
    }),
    config: async (appId: string) => ({ requestUrl: `${base}/${appId}` }),
    recordAttempt: async (id: string, o: { status: string; nextAt: number }) => {
      recorded.push(`${id}:${o.status}`);
      const held = pending.get(id)!;
      if (o.status === 'pending') pending.set(id, { ...held, nextAt: o.nextAt });
      else pending.delete(id);
    },
  };
  const warnings: string[] = [];
  const worker = new PushWorker(
    { push: push as unknown as PushService, feed: {} as ChangeFeed, clock: { now }, log: { warn: (_d, m) => warnings.push(m) } },
    { perAppConcurrency: 2, timeoutMs: 60_000, retryMs: [60_000] },
  );
  try {
    await worker.start();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(hungRequests, 2, 'two attempts of the hung app in flight, no more');
    const readsWhileHung = dueCalls.length;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(dueCalls.length - readsWhileHung <= 1, `the backlog is not re-read while the attempts hang: ${dueCalls.length - readsWhileHung} reads in 500 ms`);
    assert.deepEqual(nextDueCalls.at(-1), ['hung'], 'the next wake-up ignores the app at its bound');

    // Another app's deliveries go out beside the hung ones.
    add('ok', 3);
    worker.wake();
    for (let i = 0; i < 100 && recorded.filter((r) => r.startsWith('ok-')).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(recorded.filter((r) => r.startsWith('ok-')).sort(), ['ok-0:delivered', 'ok-1:delivered', 'ok-2:delivered']);
    assert.equal(okRequests, 3);
    assert.ok(dueCalls.slice(readsWhileHung).every((except) => except.includes('hung')), 'every read while the hung app is at its bound leaves it out');
    assert.equal(hungRequests, 2);
    assert.deepEqual(warnings, []);
  } finally {
    for (const s of sockets) s.destroy();
    await worker.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
