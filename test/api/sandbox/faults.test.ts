import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seededRandom } from '../../../src/sandbox/faults.js';
import { STORES } from '../../helpers/stores.js';
import { startSandboxServer } from './sandbox-server.js';
import type { SandboxTestServer } from './sandbox-server.js';

test('seededRandom: the same seed gives the same draws, another seed others', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const drawsA = Array.from({ length: 8 }, a);
  assert.deepEqual(drawsA, Array.from({ length: 8 }, b));
  assert.notDeepEqual(drawsA, Array.from({ length: 8 }, c));
  assert.ok(drawsA.every((x) => x >= 0 && x < 1));
});

for (const kind of STORES) {
  describe(`${kind}: fault injection`, () => {
    let s: SandboxTestServer;
    let user: string;
    before(async () => {
      s = await startSandboxServer(kind);
      user = (await s.call('POST', '/rili/v1/user-tokens', { body: { app: 'cli_acme', user: 'lisi' } })).body.access_token;
    });
    after(() => s.close());
    const auth = () => ({ authorization: `Bearer ${user}` });
    const primary = () => s.call('POST', '/open-apis/calendar/v4/calendars/primary', { headers: auth() });

    test('a Feishu code is answered in Feishu\'s envelope and status, as often as `times` says', async () => {
      const put = await s.call('PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'feishu', method: 'post', path: '/open-apis/calendar/v4/calendars/*', error: 190004, times: 1 }] } });
      assert.equal(put.status, 200);
      assert.equal(put.body.rules[0].method, 'POST');
      assert.equal(typeof put.body.rules[0].seed, 'number', 'a seed is chosen and shown');
      const hit = await primary();
      assert.equal(hit.status, 429);
      assert.equal(hit.body.code, 190004);
      assert.match(hit.body.msg, /method rate limited/);
      assert.equal(hit.body.error.log_id, hit.headers.get('x-tt-logid'));
      assert.equal((await primary()).status, 200, 'times: 1 fired once');
      const listed = (await s.call('GET', '/rili/v1/faults')).body.rules;
      assert.equal(listed[0].fired, 1);
      const journal = (await s.call('GET', '/rili/v1/requests?status=429')).body.requests;
      assert.equal(journal.at(-1).fault, 0, 'the journal names the rule that answered');
      await s.call('DELETE', '/rili/v1/faults');
    });

    test('a DingTalk code is answered in DingTalk\'s body; other dialects and the admin API are untouched', async () => {
      await s.call('PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'dingtalk', error: 'system.busy' }] } });
      const hit = await s.call('POST', '/v1.0/oauth2/accessToken', { body: { appKey: 'dingacme', appSecret: 'acme-secret' } });
      assert.equal(hit.status, 429);
      assert.equal(hit.body.code, 'system.busy');
      assert.equal(hit.body.requestid, hit.headers.get('x-request-id'));
      assert.match(hit.body.message, /系统繁忙/);
      assert.equal((await primary()).status, 200);
      assert.equal((await s.call('GET', '/rili/v1/health')).status, 200);
      assert.deepEqual((await s.call('DELETE', '/rili/v1/faults')).body, { cleared: 1 });
      assert.deepEqual((await s.call('GET', '/rili/v1/faults')).body, { rules: [] });
      assert.equal((await s.call('POST', '/v1.0/oauth2/accessToken', { body: { appKey: 'dingacme', appSecret: 'acme-secret' } })).status, 200);
    });

    test('with a seed, the same requests are hit on every run', async () => {
      const run = async () => {
        await s.call('PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'feishu', path: '/open-apis/**', probability: 0.5, seed: 7, error: 190003 }] } });
        const statuses: number[] = [];
        for (let i = 0; i < 16; i++) statuses.push((await primary()).status);
        const { rules } = (await s.call('GET', '/rili/v1/faults')).body;
        return { statuses, rule: rules[0] };
      };
      const first = await run();
      const second = await run();
      assert.deepEqual(second.statuses, first.statuses);
      assert.ok(first.statuses.includes(500) && first.statuses.includes(200), `both outcomes in ${first.statuses.join(', ')}`);
      assert.equal(first.rule.matched, 16);
      assert.equal(first.rule.fired, first.statuses.filter((x) => x === 500).length);
      await s.call('DELETE', '/rili/v1/faults');
    });

    test('a latency-only rule delays and then answers normally', async () => {
      await s.call('PUT', '/rili/v1/faults', { body: { rules: [{ latency_ms: 20, times: 1 }] } });
      assert.equal((await primary()).status, 200);
      const [rule] = (await s.call('GET', '/rili/v1/faults')).body.rules;
      assert.equal(rule.dialect, 'any');
      assert.equal(rule.fired, 1);
      assert.equal((await s.call('GET', '/rili/v1/requests')).body.requests.at(-1).fault, 0);
      await s.call('DELETE', '/rili/v1/faults');
    });

    test('rules that cannot be answered are refused, and the old rules stay', async () => {
      await s.call('PUT', '/rili/v1/faults', { body: { rules: [{ dialect: 'feishu', error: 190004, probability: 0 }] } });
      const refused = async (rule: unknown) => {
        const res = await s.call('PUT', '/rili/v1/faults', { body: { rules: [rule] } });
        assert.equal(res.status, 400, JSON.stringify(rule));
        return res.body.error.message as string;
      };
      assert.match(await refused({ error: 190004 }), /needs a dialect/);
      assert.match(await refused({ dialect: 'feishu', error: 12345 }), /not a feishu error code/);
      assert.match(await refused({ dialect: 'dingtalk', error: 190004 }), /not a dingtalk error code/);
      assert.match(await refused({ dialect: 'feishu' }), /error, a latency_ms/);
      await refused({ dialect: 'feishu', error: 190004, probability: 2 });
      assert.equal((await s.call('GET', '/rili/v1/faults')).body.rules[0].error, 190004);
      await s.call('DELETE', '/rili/v1/faults');
    });
  });
}
