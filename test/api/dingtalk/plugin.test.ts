import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { dingtalkRoutes } from '../../../src/api/dingtalk/plugin.js';
import { STORES } from '../../helpers/stores.js';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

/** `GET /v1.0/calendar/users/${userId}/…` in the SDK's client → `GET /calendar/users/:userId/…`. */
function sdkOperations(): Map<string, string> {
  const source = readFileSync(new URL('../../../node_modules/@alicloud/dingtalk/dist/calendar_1_0/client.js', import.meta.url), 'utf8');
  const ops = new Map<string, string>();
  for (const m of source.matchAll(/action: "(\w+)",[^]*?pathname: `\/v1\.0([^`]+)`,\s*method: "(\w+)"/g)) {
    ops.set(m[1], `${m[3]} ${m[2].replace(/\$\{(\w+)\}/g, ':$1')}`);
  }
  return ops;
}

test('every operation rili claims is served at the SDK\'s method and path, one file each', () => {
  const ops = sdkOperations();
  const served = new Set(dingtalkRoutes.map((r) => `${r.method} ${r.url}`));
  const wanted = ['CreateEvent', 'GetEvent', 'ListEvents', 'PatchEvent', 'DeleteEvent', 'AddAttendee', 'RemoveAttendee', 'ListAttendees',
    'RespondEvent', 'ListEventsView', 'ListInstances', 'GetSchedule', 'ListCalendars'];
  for (const action of wanted) {
    assert.ok(served.has(ops.get(action)!), `${action}: ${ops.get(action)}`);
    const file = new URL(`../../../src/api/dingtalk/calendar/${action[0].toLowerCase()}${action.slice(1)}.ts`, import.meta.url);
    assert.ok(readFileSync(file, 'utf8').includes(`export const ${action[0].toLowerCase()}${action.slice(1)} =`), action);
  }
});

for (const kind of STORES) {
  describe(`${kind}: the DingTalk plugin`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer(kind);
    });
    after(() => s.close());

    test('unknown paths and methods answer DingTalk\'s JSON error body', async () => {
      for (const [method, path] of [['GET', '/v1.0/calendar/users/on_zhangsan/nothing'], ['PATCH', '/v1.0/calendar/users/on_zhangsan/calendars/primary/events/x']]) {
        const res = await fetch(`${s.url}${path}`, { method });
        const body = await res.json();
        assert.deepEqual([res.status, body.code], [404, 'resourceNotFound']);
        assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'requestid']);
      }
    });
  });
}
