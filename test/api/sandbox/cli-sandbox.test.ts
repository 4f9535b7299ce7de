import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELP, parseServeOptions } from '../../../src/cli.js';

const sandboxOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const o = parseServeOptions(argv, env);
  assert.ok(o !== 'help');
  return o.sandbox;
};

test('sandbox flags: defaults, variables, flags winning, bad values', () => {
  assert.deepEqual(sandboxOf([]), { enabled: true, journal: { maxEntries: 1000, maxBytes: 8 * 1024 * 1024 } });
  assert.deepEqual(sandboxOf([], { RILI_SANDBOX: 'off', RILI_ADMIN_TOKEN: 'env-token', RILI_JOURNAL_ENTRIES: '5', RILI_JOURNAL_BYTES: '4096' }),
    { enabled: false, adminToken: 'env-token', journal: { maxEntries: 5, maxBytes: 4096 } });
  assert.deepEqual(sandboxOf(['--sandbox', 'on', '--admin-token', 'flag-token', '--journal-entries', '7'], { RILI_SANDBOX: 'off', RILI_ADMIN_TOKEN: 'env-token' }),
    { enabled: true, adminToken: 'flag-token', journal: { maxEntries: 7, maxBytes: 8 * 1024 * 1024 } });
  assert.throws(() => sandboxOf(['--sandbox', 'maybe']), /--sandbox must be on or off/);
  assert.throws(() => sandboxOf(['--journal-entries', '-1']), /journal-entries/);
  for (const [flag, env] of [['--sandbox', 'RILI_SANDBOX'], ['--admin-token', 'RILI_ADMIN_TOKEN'], ['--journal-entries', 'RILI_JOURNAL_ENTRIES'], ['--journal-bytes', 'RILI_JOURNAL_BYTES']]) {
    assert.match(HELP, new RegExp(`${flag} .*${env}`), flag);
  }
});
