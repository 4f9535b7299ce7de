import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DINGTALK_ERRORS } from '../../src/api/dingtalk/errors.js';
import { FEISHU_ERRORS } from '../../src/api/feishu/errors.js';

const doc = readFileSync(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');
const section = (title: string) => doc.split(/^## /m).find((s) => s.startsWith(title)) ?? '';

test('every Feishu code in the errors table is in docs/compatibility.md, and no other', () => {
  const documented = new Set([...section('Feishu error codes').matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])));
  assert.deepEqual([...documented].sort(), Object.keys(FEISHU_ERRORS).map(Number).sort());
});

test('every DingTalk code in the errors table is in docs/compatibility.md, and no other', () => {
  const documented = new Set([...section('DingTalk error codes').matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), Object.keys(DINGTALK_ERRORS).sort());
});

test('the seed\'s Feishu PATCH error table codes that rili can meet are all in the table', () => {
  // The seed's table, copied into the repository as codes and meanings (test/fixtures/seeds/README.md).
  const fixture = JSON.parse(readFileSync(new URL('../fixtures/seeds/feishu-event-patch-errors.json', import.meta.url), 'utf8')) as {
    errors: { code: number }[];
  };
  const seedCodes = fixture.errors.map((e) => e.code);
  assert.ok(seedCodes.length >= 28, 'the fixture lists the seed\'s whole table');
  // Encryption-key and content-risk codes belong to features rili does not have (docs/compatibility.md).
  const unreachable = new Set([190006, 190007, 190011, 190012, 190013]);
  const missing = seedCodes.filter((c) => !unreachable.has(c) && !(c in FEISHU_ERRORS));
  assert.deepEqual(missing, []);
});
