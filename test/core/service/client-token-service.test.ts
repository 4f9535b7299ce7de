import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClientTokenRecord } from '../../../src/core/ports.js';
import { ABANDONED_AFTER, CLIENT_TOKEN_TTL, claimDecision } from '../../../src/core/service/client-token-service.js';

const NOW = 1_900_000_000;
const row = (state: ClientTokenRecord['state'], age: number, requestHash = 'h'): ClientTokenRecord =>
  ({ appId: 'app', token: 't', requestHash, state, status: state === 'done' ? 200 : null, body: state === 'done' ? '{}' : null, createdAt: NOW - age });

test('a token already claimed: taken over once expired or abandoned, else refused or replayed', () => {
  const rows: Array<[string, ClientTokenRecord, string, ReturnType<typeof claimDecision>]> = [
    ['done, same request', row('done', 10), 'h', 'replay'],
    ['done, another request', row('done', 10), 'other', 'conflict'],
    ['processing, same request', row('processing', 10), 'h', 'processing'],
    ['processing, another request', row('processing', 10), 'other', 'conflict'],
    ['processing past ABANDONED_AFTER', row('processing', ABANDONED_AFTER), 'other', 'take_over'],
    ['done past ABANDONED_AFTER: only a processing claim is abandoned', row('done', ABANDONED_AFTER + 1), 'h', 'replay'],
    ['done past the TTL', row('done', CLIENT_TOKEN_TTL), 'other', 'take_over'],
    ['done just inside the TTL', row('done', CLIENT_TOKEN_TTL - 1), 'other', 'conflict'],
  ];
  for (const [name, existing, hash, expected] of rows) assert.equal(claimDecision(existing, hash, NOW), expected, name);
});
