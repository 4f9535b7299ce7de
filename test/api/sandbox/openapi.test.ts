import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dingtalkRoutes } from '../../../src/api/dingtalk/plugin.js';
import { feishuRoutes } from '../../../src/api/feishu/plugin.js';
import { startSandboxServer } from './sandbox-server.js';
import type { SandboxTestServer } from './sandbox-server.js';

const template = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('GET /rili/v1/openapi.json', () => {
  let s: SandboxTestServer;
  let doc: any;
  before(async () => {
    s = await startSandboxServer('sqlite');
    const res = await s.call('GET', '/rili/v1/openapi.json');
    assert.equal(res.status, 200);
    doc = res.body;
  });
  after(() => s.close());

  test('is OpenAPI 3.1 with every Feishu, DingTalk and sandbox operation', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const route of feishuRoutes) assert.ok(doc.paths[template(`/open-apis${route.url}`)]?.[route.method.toLowerCase()], `Feishu ${route.method} ${route.url}`);
    for (const route of dingtalkRoutes) assert.ok(doc.paths[template(`/v1.0${route.url}`)]?.[route.method.toLowerCase()], `DingTalk ${route.method} ${route.url}`);
    for (const [method, path] of [['post', '/rili/v1/user-tokens'], ['get', '/rili/v1/requests'], ['delete', '/rili/v1/requests'], ['get', '/rili/v1/stream'],
      ['put', '/rili/v1/faults'], ['get', '/rili/v1/faults'], ['delete', '/rili/v1/faults'], ['get', '/rili/v1/clock'], ['put', '/rili/v1/clock']]) {
      assert.equal(doc.paths[path]?.[method]?.tags[0], 'Sandbox', `${method} ${path}`);
    }
  });

  test('its schemas are the routes\' own: path parameters, query and bodies', () => {
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const operation of Object.values<any>(operations)) {
        const declared = (operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
        assert.deepEqual(declared, inPath, `${operation.operationId}`);
      }
    }
    const faults = doc.paths['/rili/v1/faults'].put.requestBody.content['application/json'].schema;
    assert.deepEqual(faults.required, ['rules']);
    assert.ok(faults.properties.rules.items.properties.probability);
    const clock = doc.paths['/rili/v1/clock'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(clock.properties).sort(), ['frozen', 'now_ms']);
    const requests = doc.paths['/rili/v1/requests'].get.parameters.map((p: any) => p.name);
    for (const filter of ['dialect', 'app', 'user', 'path', 'status', 'since']) assert.ok(requests.includes(filter), filter);
    const created = doc.paths['/open-apis/calendar/v4/calendars/{calendar_id}/events'].post;
    assert.ok(created.requestBody.content['application/json'].schema.properties.summary, 'the Feishu event body schema');
  });
});
