import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startServer } from '../helpers/server.js';
import { TEST_SEED } from '../helpers/seed.js';
import { STORES } from '../helpers/stores.js';
import type { StoreKind } from '../../src/store/open-store.js';
import { dingtalk, dingtalkAppToken, feishu, isFeishuOk, sandboxToken } from './lib/http.js';
import type { Answer, FeishuCaller } from './lib/http.js';
import { privateDatabase } from './lib/pg.js';
import type { PgDatabase } from './lib/pg.js';
import { cliHasFlag, freePort, startRiliChild } from './lib/rili-child.js';
import { sized } from './lib/size.js';

/**
 * No lost update: many writes to one event at the same moment, each changing something different,
 * all land. Idempotency under concurrency: one key, one event.
 */

const CHANGES = 100;
const IDEMPOTENT_CREATES = sized('RILI_CONCURRENT_CREATES', 20, 100);
const PAIRS = sized('RILI_CONCURRENT_PAIRS', 10, 50);
const T0 = 1_767_225_600;
const iso = (epoch: number) => new Date((epoch + 8 * 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** Where the requests go: rili in this process, or `rili serve` as processes of its own. */
interface Target {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

interface Callers {
  readonly zhangsan: FeishuCaller;
  readonly ding: string;
  readonly calendarId: string;
}

async function callers(url: string): Promise<Callers> {
  // Enough sockets that every request of a burst is really in flight at once.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const zhangsan: FeishuCaller = { base: url, token: await sandboxToken(url, 'cli_acme', 'zhangsan'), agent };
  const primary = await feishu(zhangsan, 'POST', '/calendar/v4/calendars/primary');
  assert.ok(isFeishuOk(primary), primary.text);
  return { zhangsan, ding: await dingtalkAppToken(url, 'dingacme', 'acme-secret'), calendarId: primary.json.data.calendars[0].calendar.calendar_id };
}

const eventsPath = (c: Callers) => `/calendar/v4/calendars/${encodeURIComponent(c.calendarId)}/events`;
const dtEvents = '/calendar/users/on_zhangsan/calendars/primary/events';

async function createEvent(c: Callers, summary: string, start = T0): Promise<string> {
  const a = await feishu(c.zhangsan, 'POST', eventsPath(c), { summary, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 3600) } });
  assert.ok(isFeishuOk(a), a.text);
  return a.json.data.event.event_id;
}

/** One change and how to see that it landed. */
interface Change {
  readonly name: string;
  send(c: Callers, eventId: string): Promise<Answer>;
}

const patch = (name: string, body: object): Change => ({
  name, send: (c, id) => feishu(c.zhangsan, 'PATCH', `${eventsPath(c)}/${id}`, body),
});
const dtPut = (name: string, body: object): Change => ({
  name, send: (c, id) => dingtalk(c.zhangsan.base, c.ding, 'PUT', `${dtEvents}/${id}`, { id, ...body }),
});
const invite = (name: string, attendee: object): Change => ({
  name, send: (c, id) => feishu(c.zhangsan, 'POST', `${eventsPath(c)}/${id}/attendees?user_id_type=user_id`, { attendees: [attendee] }),
});

const NEW_START = T0 + 86_400;
const USERS = ['lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba'];
const ROOMS = ['omm_room1', 'omm_room2'];

/** A hundred changes to one event, each to a different field, personal setting, extension or attendee. */
function hundredChanges(): Change[] {
  const fields: Change[] = [
    patch('summary', { summary: 'changed summary' }),
    patch('description', { description: 'changed description' }),
    patch('location', { location: { name: 'changed location' } }),
    patch('attendee_ability', { attendee_ability: 'can_see_others' }),
    patch('source', { source: 'changed-source' }),
    patch('schemas', { schemas: [{ ui_name: 'ForwardIcon', ui_status: 'hide' }] }),
    patch('vchat', { vchat: { vc_type: 'third_party', meeting_url: 'https://meet.example/changed' } }),
    patch('recurrence', { recurrence: 'FREQ=DAILY;COUNT=3' }),
    patch('start_time + end_time', { start_time: { timestamp: String(NEW_START) }, end_time: { timestamp: String(NEW_START + 1800) } }),
    patch('color (personal)', { color: 12345 }),
    patch('reminders (personal)', { reminders: [{ minutes: 42 }] }),
    patch('visibility (personal)', { visibility: 'public' }),
    patch('free_busy_status (personal)', { free_busy_status: 'free' }),
    dtPut('DingTalk extra', { extra: { changed: 'yes' } }),
    dtPut('DingTalk categories', { categories: [{ categoryId: 'c1', displayName: 'changed category' }] }),
    dtPut('DingTalk uiConfigs', { uiConfigs: [{ uiName: 'recorder', uiStatus: 'hide' }] }),
    dtPut('DingTalk richTextDescription', { richTextDescription: { text: 'changed rich text' } }),
  ];
  const people: Change[] = [
    ...USERS.map((u) => invite(`attendee ${u}`, { type: 'user', user_id: u })),
    invite('attendee chat oc_team', { type: 'chat', chat_id: 'oc_team' }),
    ...ROOMS.map((r) => invite(`attendee room ${r}`, { type: 'resource', room_id: r })),
  ];
  const emails = Array.from({ length: CHANGES - fields.length - people.length }, (_, i) =>
    invite(`attendee guest${i}`, { type: 'third_party', third_party_email: `guest${i}@example.com` }));
  return [...fields, ...people, ...emails];
}

/** What must be true of the event once every change has landed; answers the changes that did not. */
async function missingChanges(c: Callers, eventId: string, changes: readonly Change[]): Promise<string[]> {
  const missing: string[] = [];
  const got = await feishu(c.zhangsan, 'GET', `${eventsPath(c)}/${eventId}`);
  assert.ok(isFeishuOk(got), got.text);
  const e = got.json.data.event;
  const expect = (name: string, ok: boolean) => {
    if (!ok) missing.push(name);
  };
  expect('summary', e.summary === 'changed summary');
  expect('description', e.description === 'changed description');
  expect('location', e.location?.name === 'changed location');
  expect('attendee_ability', e.attendee_ability === 'can_see_others');
  expect('source', e.source === 'changed-source');
  expect('schemas', e.schemas?.[0]?.ui_name === 'ForwardIcon');
  expect('vchat', e.vchat?.meeting_url === 'https://meet.example/changed');
  expect('recurrence', e.recurrence === 'FREQ=DAILY;COUNT=3');
  expect('start_time + end_time', e.start_time?.timestamp === String(NEW_START) && e.end_time?.timestamp === String(NEW_START + 1800));
  expect('color (personal)', e.color === 12345);
  expect('reminders (personal)', e.reminders?.[0]?.minutes === 42);
  expect('visibility (personal)', e.visibility === 'public');
  expect('free_busy_status (personal)', e.free_busy_status === 'free');
  const dt = await dingtalk(c.zhangsan.base, c.ding, 'GET', `${dtEvents}/${eventId}?maxAttendees=500`);
  assert.equal(dt.status, 200, dt.text);
  expect('DingTalk extra', dt.json.extra?.changed === 'yes');
  expect('DingTalk categories', dt.json.categories?.[0]?.displayName === 'changed category');
  expect('DingTalk uiConfigs', dt.json.uiConfigs?.[0]?.uiName === 'recorder');
  expect('DingTalk richTextDescription', dt.json.richTextDescription?.text === 'changed rich text');
  const keys = new Set<string>();
  let pageToken: string | undefined;
  do {
    const a = await feishu(c.zhangsan, 'GET', `${eventsPath(c)}/${eventId}/attendees?user_id_type=user_id&page_size=100${pageToken ? `&page_token=${pageToken}` : ''}`);
    assert.ok(isFeishuOk(a), a.text);
    for (const item of a.json.data.items) keys.add(item.user_id ?? item.chat_id ?? item.room_id ?? item.third_party_email);
    pageToken = a.json.data.has_more ? a.json.data.page_token : undefined;
  } while (pageToken);
  for (const u of USERS) expect(`attendee ${u}`, keys.has(u));
  expect('attendee chat oc_team', keys.has('oc_team'));
  for (const r of ROOMS) expect(`attendee room ${r}`, keys.has(r));
  for (const ch of changes) {
    const guest = /^attendee (guest\d+)$/.exec(ch.name);
    if (guest) expect(ch.name, keys.has(`${guest[1]}@example.com`));
  }
  return missing;
}

async function countBySummary(c: Callers, summary: string): Promise<{ ids: Set<string>; count: number }> {
  const ids = new Set<string>();
  let count = 0;
  let pageToken: string | undefined;
  do {
    const a = await feishu(c.zhangsan, 'GET', `${eventsPath(c)}?page_size=1000${pageToken ? `&page_token=${pageToken}` : ''}`);
    assert.ok(isFeishuOk(a), a.text);
    for (const e of a.json.data.items ?? []) {
      if (e.summary !== summary) continue;
      count++;
      ids.add(e.event_id);
    }
    pageToken = a.json.data.has_more ? a.json.data.page_token : undefined;
  } while (pageToken);
  return { ids, count };
}

/** The concurrency checks, over one target. */
function concurrencySuite(targetOf: () => Promise<Target>, label: string) {
  let target: Target | undefined;
  let c: Callers;
  const ready = async () => {
    if (!target) {
      target = await targetOf();
      c = await callers(target.url);
    }
    return c;
  };
  after(async () => {
    await target?.close();
  });

  test(`${label}: ${CHANGES} concurrent writes to one event, each of a different field or attendee, all land`, async () => {
    const c = await ready();
    const eventId = await createEvent(c, 'the contended event');
    const changes = hundredChanges();
    assert.equal(changes.length, CHANGES);
    const answers = await Promise.all(changes.map((ch) => ch.send(c, eventId).then((a) => ({ ch, a }))));
    const refused = answers.filter(({ a }) => a.status !== 200 || (a.json?.code !== undefined && a.json.code !== 0));
    assert.deepEqual(refused.map(({ ch, a }) => `${ch.name}: ${a.status} ${a.text.slice(0, 200)}`), [], 'every write answers success');
    const missing = await missingChanges(c, eventId, changes);
    console.log(`[reliability] concurrency ${label}: ${CHANGES} concurrent writes to one event, ${CHANGES - missing.length} landed, slowest ${Math.round(Math.max(...answers.map(({ a }) => a.ms)))} ms`);
    assert.deepEqual(missing, [], 'lost updates');
  });

  test(`${label}: ${IDEMPOTENT_CREATES} concurrent Feishu creates with one idempotency_key make one event`, async () => {
    const c = await ready();
    const summary = `idempotent ${Date.now()}`;
    const body = { summary, start_time: { timestamp: String(T0) }, end_time: { timestamp: String(T0 + 3600) } };
    const answers = await Promise.all(Array.from({ length: IDEMPOTENT_CREATES }, () => feishu(c.zhangsan, 'POST', `${eventsPath(c)}?idempotency_key=same-key-${summary.replace(/\D/g, '')}`, body)));
    const bad = answers.filter((a) => !isFeishuOk(a));
    assert.deepEqual(bad.map((a) => `${a.status} ${a.text.slice(0, 200)}`), [], 'every create answers success');
    const answered = new Set(answers.map((a) => a.json.data.event.event_id as string));
    assert.equal(answered.size, 1, `every answer names the same event: ${[...answered].join(', ')}`);
    const stored = await countBySummary(c, summary);
    assert.equal(stored.count, 1, 'one event stored');
    assert.deepEqual([...stored.ids], [...answered]);
  });

  test(`${label}: ${IDEMPOTENT_CREATES} concurrent DingTalk CreateEvent with one x-client-token make one event`, async () => {
    const c = await ready();
    const summary = `client token ${Date.now()}`;
    const token = `ct-${summary.replace(/\D/g, '')}`;
    const body = { summary, start: { dateTime: iso(T0), timeZone: 'Asia/Shanghai' }, end: { dateTime: iso(T0 + 3600), timeZone: 'Asia/Shanghai' } };
    const create = () => dingtalk(c.zhangsan.base, c.ding, 'POST', dtEvents, body, { 'x-client-token': token });
    const answers = await Promise.all(Array.from({ length: IDEMPOTENT_CREATES }, create));
    // The first runs; the others replay it or, while it still runs, are told so (400 idempotencyProcessing).
    const odd = answers.filter((a) => a.status !== 200 && !(a.status === 400 && a.json?.code === 'idempotencyProcessing'));
    assert.deepEqual(odd.map((a) => `${a.status} ${a.text.slice(0, 200)}`), [], 'each answer is the event or idempotencyProcessing');
    const ids = new Set(answers.filter((a) => a.status === 200).map((a) => a.json.id as string));
    assert.equal(ids.size, 1, `the successes name one event: ${[...ids].join(', ')}`);
    const retry = await create();
    assert.equal(retry.status, 200, retry.text);
    assert.deepEqual(new Set([retry.json.id]), ids, 'a later retry replays the same event');
    const stored = await countBySummary(c, summary);
    assert.equal(stored.count, 1, 'one event stored');
  });

  test(`${label}: DingTalk PatchEvent with only start and one with only end, at once: both land`, {
  }, async () => {
    const c = await ready();
    const lost: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const start = T0 + (i + 10) * 86_400;
      const id = await createEvent(c, `pair ${i}`, start);
      const put = (body: object) => dingtalk(c.zhangsan.base, c.ding, 'PUT', `${dtEvents}/${id}`, { id, ...body });
      // The start moves an hour earlier, the end an hour later: each alone is valid, and so are both.
      const [a, b] = await Promise.all([
        put({ start: { dateTime: iso(start - 3600), timeZone: 'Asia/Shanghai' } }),
        put({ end: { dateTime: iso(start + 7200), timeZone: 'Asia/Shanghai' } }),
      ]);
      assert.equal(a.status, 200, a.text);
      assert.equal(b.status, 200, b.text);
      const got = await feishu(c.zhangsan, 'GET', `${eventsPath(c)}/${id}`);
      const e = got.json.data.event;
      if (e.start_time.timestamp !== String(start - 3600) || e.end_time.timestamp !== String(start + 7200)) {
        lost.push(`pair ${i}: start ${Number(e.start_time.timestamp) - start}, end ${Number(e.end_time.timestamp) - start} (want -3600, 7200)`);
      }
    }
    assert.deepEqual(lost, [], `lost updates in ${lost.length} of ${PAIRS} pairs`);
  });
}

const pgDatabases: PgDatabase[] = [];
after(async () => {
  for (const d of pgDatabases) await d.drop();
});

async function inProcess(kind: StoreKind): Promise<Target> {
  let location: string | undefined;
  if (kind === 'postgres') {
    const database = await privateDatabase('conc');
    pgDatabases.push(database);
    location = database.schema('c').location;
  }
  const s = await startServer(kind, location ? { location } : {});
  return { name: kind, url: s.url, close: () => s.close() };
}

async function workers(count: number): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'rili-workers-'));
  const seedPath = join(dir, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(TEST_SEED));
  const child = await startRiliChild({ db: join(dir, 'rili.db'), port: await freePort(), secret: 'rili-workers-secret', seedPath, args: ['--workers', String(count)] });
  return {
    name: `sqlite --workers ${count}`,
    url: child.url,
    async close() {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

for (const kind of STORES) {
  describe(`${kind}: concurrency`, () => {
    concurrencySuite(() => inProcess(kind), kind);
  });
}

const workersSkip = !STORES.includes('sqlite') ? 'RILI_TEST_STORES leaves out sqlite'
  : !cliHasFlag('--workers') ? '`rili serve --help` has no --workers flag yet' : false;
describe('sqlite: concurrency across processes (rili serve --workers 2)', { skip: workersSkip }, () => {
  concurrencySuite(() => workers(2), 'sqlite --workers 2');
});
