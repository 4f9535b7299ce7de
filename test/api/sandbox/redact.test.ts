import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryMatcher, pathPattern } from '../../../src/sandbox/journal.js';
import type { JournalEntry } from '../../../src/sandbox/journal.js';
import { REDACTED, redact, redactUrl } from '../../../src/sandbox/redact.js';

test('redact: secrets at any depth, in either spelling; codes only in requests', () => {
  const request = redact({ app_id: 'cli', appSecret: 's', nested: [{ client_secret: 'c', refresh_token: 'r' }], code: 'auth-code', Authorization: 'Bearer x', empty: '' }, 'request');
  assert.deepEqual(request, { app_id: 'cli', appSecret: REDACTED, nested: [{ client_secret: REDACTED, refresh_token: REDACTED }], code: REDACTED, Authorization: REDACTED, empty: '' });
  const answer = redact({ code: 0, msg: 'ok', data: { access_token: 'u-1', refresh_token: 'ur-1', expires_in: 7200 }, accessToken: 'd' }, 'response');
  assert.deepEqual(answer, { code: 0, msg: 'ok', data: { access_token: REDACTED, refresh_token: REDACTED, expires_in: 7200 }, accessToken: REDACTED });
});

test('redactUrl: secret query parameters, the rest untouched', () => {
  assert.equal(redactUrl('/cb?code=abc&state=xyz', 'request'), `/cb?code=${encodeURIComponent(REDACTED)}&state=xyz`);
  assert.equal(redactUrl('/x?client_secret=1&a=2', 'request'), `/x?client_secret=${encodeURIComponent(REDACTED)}&a=2`);
  assert.equal(redactUrl('/x?a=1', 'request'), '/x?a=1');
  assert.equal(redactUrl('/x', 'request'), '/x');
});

test('pathPattern: * one segment, ** anything, :name a segment, regex characters literal', () => {
  assert.ok(pathPattern('/a/*/c').test('/a/b/c'));
  assert.ok(!pathPattern('/a/*/c').test('/a/b/x/c'));
  assert.ok(pathPattern('/a/**').test('/a/b/x/c'));
  assert.ok(pathPattern('/cal/:id/events').test('/cal/x.y/events'));
  assert.ok(!pathPattern('/cal/:id/events').test('/cal//events'));
  assert.ok(!pathPattern('/a.b').test('/aXb'));
});

test('entryMatcher: status classes and exact codes; a malformed status throws', () => {
  const entry = { seq: 3, status: 429, dialect: 'feishu', path: '/open-apis/x', at_ms: 10 } as JournalEntry;
  assert.ok(entryMatcher({ status: '4xx' })(entry));
  assert.ok(entryMatcher({ status: '429' })(entry));
  assert.ok(!entryMatcher({ status: '5xx' })(entry));
  assert.ok(!entryMatcher({ after: 3 })(entry));
  assert.throws(() => entryMatcher({ status: '42' }), /status/);
});
