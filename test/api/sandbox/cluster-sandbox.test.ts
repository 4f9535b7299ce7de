import assert from 'node:assert/strict';
import type { Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { SandboxChannel } from '../../../src/sandbox/cluster-channel.js';
import type { SandboxMessage } from '../../../src/sandbox/cluster-channel.js';
import type { StreamEvent } from '../../../src/sandbox/event-hub.js';
import { PrimarySandbox } from '../../../src/sandbox/primary-sandbox.js';
import { createSandbox } from '../../../src/sandbox/sandbox.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { TestClock } from '../../helpers/server.js';

/**
 * The cluster protocol in one process: each "worker" is a sandbox whose channel reaches a
 * PrimarySandbox through a fake IPC pipe (messages copied and delivered on a later turn, as IPC
 * does), which counts what crosses it.
 */
function cluster(workers: number) {
  const primary = new PrimarySandbox(new TestClock());
  let crossed = 0;
  const kinds: string[] = [];
  const sandboxes: Sandbox[] = [];
  for (let i = 0; i < workers; i++) {
    const primarySide = new EventEmitter() as EventEmitter & Partial<Worker>;
    const workerSide = new EventEmitter();
    const deliver = (to: EventEmitter, message: SandboxMessage) => {
      crossed++;
      kinds.push(message.riliSandbox);
      const copy = JSON.parse(JSON.stringify(message));
      setImmediate(() => to.emit('message', copy));
    };
    primarySide.isConnected = () => true;
    (primarySide as { send: unknown }).send = (message: SandboxMessage) => deliver(workerSide, message);
    primary.attach(primarySide as Worker);
    const channel = new SandboxChannel((message) => deliver(primarySide, message), (receive) => workerSide.on('message', receive));
    sandboxes.push(createSandbox({}, new TestClock(), channel));
  }
  return { sandboxes, crossed: () => crossed, kinds: () => kinds };
}

const draft = (path: string) => ({
  id: path, at_ms: 0, duration_ms: 1, dialect: 'feishu' as const, method: 'GET', path, url: path, status: 200,
  request: { headers: {} }, response: { headers: {} },
});

const known = () => true;

test('nothing crosses between workers per request without fault rules or stream subscribers', async () => {
  const { sandboxes: [a, b], crossed } = cluster(2);
  await Promise.all([a.ready, b.ready]);
  const before = crossed();
  for (let i = 0; i < 100; i++) {
    a.journal.record(draft(`/a/${i}`));
    b.journal.record(draft(`/b/${i}`));
    assert.equal(a.shared.faultsActive, false);
    assert.equal(b.hub.size, 0);
  }
  await new Promise((r) => setImmediate(r));
  assert.equal(crossed(), before);
});

test('the clock and the fault rules set on one worker hold on the other when the change resolves', async () => {
  const { sandboxes: [a, b] } = cluster(2);
  await Promise.all([a.ready, b.ready]);
  await a.shared.changeClock({ now_ms: 1_900_000_000_000 });
  assert.deepEqual(b.virtualClock!.state(), { now_ms: 1_900_000_000_000, frozen: true });
  await b.shared.changeClock({ advance_ms: 5 });
  assert.equal(a.clock.now(), 1_900_000_000_005);
  await a.shared.replaceFaults([{ dialect: 'feishu', error: 190004, times: 3 }], known, () => 1);
  assert.equal(b.shared.faultsActive, true);
  const hits = [];
  for (let i = 0; i < 6; i++) hits.push(await (i % 2 ? a : b).shared.faultHit('feishu', 'GET', '/x'));
  assert.deepEqual(hits.map((h) => h?.index), [0, 0, 0, undefined, undefined, undefined]);
  assert.equal((await b.shared.listFaults())[0].fired, 3);
  await assert.rejects(b.shared.replaceFaults([{ dialect: 'any', error: 190004 }], known, () => 1), /needs a dialect/);
  assert.equal((await a.shared.listFaults()).length, 1, 'an invalid set leaves the old rules');
  assert.equal(await b.shared.clearFaults(), 1);
  assert.equal(a.shared.faultsActive, false);
});

test('the journal is gathered from every worker in seq order; a cut leaves nothing for after= to miss', async () => {
  const { sandboxes: [a, b] } = cluster(2);
  await Promise.all([a.ready, b.ready]);
  const order: string[] = [];
  for (let i = 0; i < 6; i++) {
    const s = i % 3 ? a : b;
    order.push(s.journal.record(draft(`/r/${i}`)).id);
  }
  const page = await b.shared.listRequests({});
  assert.deepEqual(page.requests.map((e) => e.id), order);
  assert.equal(page.kept, 6);
  assert.deepEqual((await a.shared.listRequests({}, 2)).requests.map((e) => e.id), order.slice(4));
  const last = page.requests.at(-1)!.seq;
  const later = [a.journal.record(draft('/later/a')).id, b.journal.record(draft('/later/b')).id];
  assert.deepEqual((await a.shared.listRequests({ after: last })).requests.map((e) => e.id), later);
  await assert.rejects(a.shared.listRequests({ status: 'x' }), /status/);
  assert.equal(await a.shared.clearRequests(), 8);
  assert.deepEqual((await b.shared.listRequests({})).requests, []);
});

test('a subscriber on one worker receives what every worker publishes, only while it listens', async () => {
  const { sandboxes: [a, b, c], crossed, kinds } = cluster(3);
  await Promise.all([a.ready, b.ready, c.ready]);
  const seen: StreamEvent[] = [];
  const unsubscribe = await a.hub.subscribeEverywhere((e) => seen.push(e));
  assert.equal(b.hub.size, 1, 'b knows someone listens');
  b.journal.record(draft('/from/b'));
  c.hub.publish({ type: 'delivery', id: 1, data: { any: 'type' } });
  a.journal.record(draft('/from/a'));
  while (seen.length < 3) await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen.map((e) => (e.type === 'request' ? (e.data as { path: string }).path : e.type)).sort(), ['/from/a', '/from/b', 'delivery']);
  unsubscribe();
  while (b.hub.size > 0 || c.hub.size > 0) await new Promise((r) => setImmediate(r));
  const quiet = crossed();
  b.journal.record(draft('/unheard'));
  await new Promise((r) => setImmediate(r));
  assert.equal(crossed(), quiet, `sent ${kinds().slice(quiet).join(', ')}`);
});
