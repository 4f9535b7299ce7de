import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeToken, encodeToken } from '../../../src/api/dingtalk/page-token.js';

test('tokens round-trip, URL-safe; another kind or garbage is params.invalid (or the code asked for)', () => {
  const token = encodeToken('event-list', { p: 'page', after: 'x_0', seq: 7 });
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeToken('event-list', token, 'nextToken'), { p: 'page', after: 'x_0', seq: 7 });
  assert.throws(() => decodeToken('event-view', token, 'nextToken'), (e: any) => e.code === 'params.invalid' && e.message === 'nextToken is invalid or expired');
  assert.throws(() => decodeToken('event-sync', '!!', 'syncToken', 'invalidParameter'), (e: any) => e.code === 'invalidParameter');
});
