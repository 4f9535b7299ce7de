import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../helpers/stores.js';
import { feishuFailure, startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';

for (const kind of STORES) {
  describe(`${kind}: Feishu envelope, 404 and bad input`, () => {
    let s: TestServer;
    let token: string;
    before(async () => {
      s = await startServer(kind);
      token = await s.userToken('zhangsan');
    });
    after(() => s.close());

    const raw = (method: string, path: string, body?: string, contentType = 'application/json') =>
      fetch(`${s.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
        body,
      }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() }));

    test('success envelope and X-Tt-Logid header', async () => {
      const res = await raw('POST', '/open-apis/calendar/v4/calendars/primary');
      const body = JSON.parse(res.text);
      assert.equal(res.status, 200);
      assert.equal(body.code, 0);
      assert.equal(body.msg, 'success');
      assert.ok(body.data.calendars);
      assert.match(res.headers.get('x-tt-logid')!, /^\d{14}[0-9A-F]{20}$/);
    });

    test('an unknown path or method answers 404 page not found as text', async () => {
      for (const [method, path] of [['GET', '/open-apis/calendar/v4/nope'], ['PUT', '/open-apis/calendar/v4/calendars/primary'], ['GET', '/nothing']]) {
        const res = await raw(method, path);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.text, '404 page not found');
        assert.match(res.headers.get('content-type')!, /^text\/plain/);
        assert.ok(res.headers.get('x-tt-logid'));
      }
    });

    test('a JSON body on GET and DELETE is tolerated (the SDK sends {})', async () => {
      for (const method of ['GET', 'DELETE']) {
        const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = request(`${s.url}/open-apis/calendar/v4/calendars/primary`, {
            method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '2' },
          }, (r) => {
            let text = '';
            r.on('data', (c) => { text += c; });
            r.on('end', () => resolve({ status: r.statusCode!, text }));
          });
          req.on('error', reject);
          req.end('{}');
        });
        const body = JSON.parse(res.text);
        // GET answers the calendar; DELETE of a primary calendar is refused for its type, not for the body.
        if (method === 'GET') assert.deepEqual([res.status, body.data.type], [200, 'primary']);
        else assert.deepEqual([res.status, body.code], [403, 191004]);
      }
    });

    const badInputs: Array<{ name: string; method: string; path: string; body: string; code: number; field: RegExp }> = [
      { name: 'wrong type', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: '{"summary": 5}', code: 190002, field: /summary/ },
      { name: 'wrong type (number for string is not coerced)', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: '{"color": "red"}', code: 190002, field: /color/ },
      { name: 'over-long string', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: JSON.stringify({ summary: 'x'.repeat(256) }), code: 190002, field: /summary/ },
      { name: 'unknown enum value', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: '{"permissions": "everyone"}', code: 190002, field: /permissions/ },
      { name: 'int32 overflow', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: '{"color": 4294967296}', code: 190002, field: /color/ },
      { name: 'missing required field', method: 'POST', path: '/open-apis/calendar/v4/calendars/mget', body: '{}', code: 190002, field: /calendar_ids/ },
      { name: 'missing nested field', method: 'POST', path: '/open-apis/calendar/v4/calendars/primary/acls', body: '{"role":"reader","scope":{"type":"user"}}', code: 190002, field: /scope\.user_id/ },
      { name: 'malformed JSON', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: '{"summary": ', code: 190014, field: /JSON/ },
      { name: 'a JSON array for an object', method: 'POST', path: '/open-apis/calendar/v4/calendars', body: '[1,2]', code: 190002, field: /body|object/ },
      { name: 'bad user_id_type', method: 'POST', path: '/open-apis/calendar/v4/calendars/primary?user_id_type=email', body: '{}', code: 190002, field: /user_id_type/ },
    ];
    for (const c of badInputs) {
      test(`bad input, ${c.name}: HTTP 400, code ${c.code}, message names the field`, async () => {
        const before = await s.lark().calendar.v4.calendar.list({ params: { page_size: 1000 } }, lark.withUserAccessToken(token));
        const res = await raw(c.method, c.path, c.body);
        assert.equal(res.status, 400, res.text);
        const body = JSON.parse(res.text);
        assert.equal(body.code, c.code);
        assert.match(body.msg, c.field);
        assert.ok(body.error.log_id);
        const after = await s.lark().calendar.v4.calendar.list({ params: { page_size: 1000 } }, lark.withUserAccessToken(token));
        assert.equal(after.data!.calendar_list!.length, before.data!.calendar_list!.length, 'nothing stored');
      });
    }

    test('an oversize body is 413 in the Feishu envelope', async () => {
      const res = await raw('POST', '/open-apis/calendar/v4/calendars', JSON.stringify({ summary: 'x'.repeat(5 * 1024 * 1024) }));
      assert.equal(res.status, 413);
      assert.equal(JSON.parse(res.text).code, 190002);
    });

    test('SDK-level validation failure resolves with the error body via AxiosError', async () => {
      const res = await feishuFailure(s.lark().calendar.v4.calendar.create({ data: { summary: 'y'.repeat(300) } }, lark.withUserAccessToken(token)));
      assert.deepEqual([res.status, res.code], [400, 190002]);
      assert.equal(res.body.error.field_violations[0].field, 'summary');
    });
  });
}
