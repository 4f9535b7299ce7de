import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ABANDONED_AFTER, CLIENT_TOKEN_TTL, requestHash } from '../../../src/api/dingtalk/client-token.js';
import { freshLocation, STORES } from '../../helpers/stores.js';
import { at, calls, dingtalkFixture, failure, meeting } from './calendar/fixtures.js';
import type { DingtalkFixture } from './calendar/fixtures.js';

const EVENTS_URL = '/v1.0/calendar/users/on_zhangsan/calendars/primary/events';

for (const kind of STORES) {
  describe(`${kind}: DingTalk x-client-token idempotency`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    const count = async () => (await api.list('on_zhangsan', { maxResults: 100 })).events.length;
    const now = () => Math.floor(f.s.clock.now() / 1000);

    test('the same token with the same request replays the first response and writes nothing', async () => {
      const before = await count();
      const first = await api.create('on_zhangsan', meeting('once only'), { clientToken: 'create-1' });
      const again = await api.create('on_zhangsan', meeting('once only'), { clientToken: 'create-1' });
      assert.deepEqual(again, first);
      assert.equal(await count(), before + 1);

      const put = await api.patch('on_zhangsan', first.id, { id: first.id, summary: 'renamed' }, { clientToken: 'put-1' });
      await api.patch('on_zhangsan', first.id, { id: first.id, summary: 'renamed again' });
      const replayed = await api.patch('on_zhangsan', first.id, { id: first.id, summary: 'renamed' }, { clientToken: 'put-1' });
      assert.deepEqual(replayed, put);
      assert.equal((await api.get('on_zhangsan', first.id)).summary, 'renamed again', 'the replay wrote nothing');

      const deleted = await api.del('on_zhangsan', first.id, {}, { clientToken: 'del-1' });
      assert.equal((await api.del('on_zhangsan', first.id, {}, { clientToken: 'del-1' })).statusCode, deleted.statusCode);
    });

    test('the same token with another request is 409 invalidRequest.duplicateClientToken', async () => {
      await api.create('on_zhangsan', meeting('first'), { clientToken: 'dup-1' });
      const res = await failure(api.create('on_zhangsan', meeting('second'), { clientToken: 'dup-1' }));
      assert.deepEqual([res.status, res.code, res.message], [409, 'invalidRequest.duplicateClientToken', 'Duplicate ClientToken detected. Please generate a new client token and retry.']);
      const other = await failure(api.create('on_lisi', meeting('first'), { clientToken: 'dup-1' }));
      assert.equal(other.code, 'invalidRequest.duplicateClientToken', 'another user is another request');
    });

    test('a repeat while the first is still running is 400 idempotencyProcessing', async () => {
      const body = meeting('slow');
      const hash = requestHash({ principal: 'a:dingacme', method: 'POST', url: EVENTS_URL, body });
      await f.s.server.ctx.store.transact((w) => w.clientTokens.claimClientToken({ appId: 'dingacme', token: 'slow-1', requestHash: hash, createdAt: now() }));
      const res = await failure(api.create('on_zhangsan', body, { clientToken: 'slow-1' }));
      assert.deepEqual([res.status, res.code, res.message], [400, 'idempotencyProcessing', 'Idempotency processing']);
      // A claim left processing by a process that died is taken over once it is stale.
      f.s.clock.advance(ABANDONED_AFTER + 1);
      assert.equal((await api.create('on_zhangsan', body, { clientToken: 'slow-1' })).summary, 'slow');
    });

    test('concurrent repeats: one runs, the others replay or are told it is processing', async () => {
      const before = await count();
      const results = await Promise.all(Array.from({ length: 8 }, () =>
        api.create('on_zhangsan', meeting('burst'), { clientToken: 'burst-1' }).then((b) => ({ ok: b.id as string }), (e) => ({ code: e.code as string }))));
      const ids = new Set(results.filter((r) => 'ok' in r).map((r) => r.ok));
      assert.equal(ids.size, 1);
      assert.ok(results.every((r) => 'ok' in r || r.code === 'idempotencyProcessing'), JSON.stringify(results));
      assert.equal(await count(), before + 1);
    });

    test('a failed request frees its token; after a day a token is new again; tokens are per app', async () => {
      const refused = await failure(api.create('on_zhangsan', { summary: 'no times' }, { clientToken: 'retry-1' }));
      assert.equal(refused.code, 'invalidParameter');
      assert.equal((await api.create('on_zhangsan', meeting('fixed'), { clientToken: 'retry-1' })).summary, 'fixed');

      // A claim made a day and a second ago (moving the clock that far would expire the access token too).
      const old = { appId: 'dingacme', token: 'daily-1', requestHash: 'day one', createdAt: now() - CLIENT_TOKEN_TTL - 1 };
      await f.s.server.ctx.store.transact(async (w) => {
        await w.clientTokens.claimClientToken(old);
        await w.clientTokens.finishClientToken(old, { status: 200, body: '{}' });
      });
      assert.equal((await api.create('on_zhangsan', meeting('day two'), { clientToken: 'daily-1' })).summary, 'day two');

      await api.create('on_zhangsan', meeting('acme'), { clientToken: 'shared-1' });
      assert.equal((await api.create('on_hank', meeting('globex'), { clientToken: 'shared-1', token: f.globexToken })).summary, 'globex');
    });

    test('also for attendee changes and replies', async () => {
      const { id } = await api.create('on_zhangsan', meeting('people', at(0, 10)));
      await api.addAttendees('on_zhangsan', id, { attendeesToAdd: [{ id: 'on_lisi' }] }, { clientToken: 'add-1' });
      await api.removeAttendees('on_zhangsan', id, { attendeesToRemove: [{ id: 'on_lisi' }] });
      await api.addAttendees('on_zhangsan', id, { attendeesToAdd: [{ id: 'on_lisi' }] }, { clientToken: 'add-1' });
      assert.deepEqual((await api.get('on_zhangsan', id)).attendees.map((a: any) => a.id), ['on_zhangsan'], 'the replayed add wrote nothing');
      assert.equal((await failure(api.addAttendees('on_zhangsan', id, { attendeesToAdd: [{ id: 'on_wangwu' }] }, { clientToken: 'add-1' }))).status, 409);
    });
  });

  describe(`${kind}: x-client-token across two processes on one store`, () => {
    let a: DingtalkFixture;
    let b: DingtalkFixture;
    let drop: () => Promise<void>;
    before(async () => {
      let location: string;
      if (kind === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'rili-dt-'));
        location = join(dir, 'rili.db');
        drop = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const fresh = await freshLocation(kind);
        location = fresh.location;
        drop = fresh.drop;
      }
      a = await dingtalkFixture(kind, { location });
      b = await dingtalkFixture(kind, { location, seed: false });
    });
    after(async () => {
      await a.close();
      await b.close();
      await drop();
    });

    test('the same token sent to both at once creates one event', async () => {
      const [apiA, apiB] = [calls(a), calls(b)];
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? apiA : apiB)
        .create('on_zhangsan', meeting('twin'), { clientToken: 'twin-1' }).then((r) => ({ ok: r.id as string }), (e) => ({ code: e.code as string }))));
      const ids = new Set(results.filter((r) => 'ok' in r).map((r) => r.ok));
      assert.equal(ids.size, 1, JSON.stringify(results));
      assert.ok(results.every((r) => 'ok' in r || r.code === 'idempotencyProcessing'));
      const listed = (await apiB.list('on_zhangsan', {})).events.filter((e: any) => e.summary === 'twin');
      assert.equal(listed.length, 1);
      // The other process replays what the first answered.
      assert.equal((await apiB.create('on_zhangsan', meeting('twin'), { clientToken: 'twin-1' })).id, [...ids][0]);
    });
  });
}
