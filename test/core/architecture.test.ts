import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('src/core imports nothing from the shell: no HTTP, SQL, store or api modules', () => {
  const offenders = files(join(ROOT, 'src/core')).filter((f) =>
    /from '(fastify|kysely|better-sqlite3|pg|typebox|ajv)[^']*'|from '[^']*\/(store|api)\//.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});

test('core decisions are synchronous and read no clock; only src/core/service awaits', () => {
  const offenders = files(join(ROOT, 'src/core'))
    .filter((f) => !f.includes('/service/'))
    .filter((f) => /\basync\b|await |Date\.now\(|new Date\(\)|Temporal\.Now|process\.|console\./.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});

test('Date.now() appears only in the clock, and new Kysely( only where a store opens', () => {
  const all = files(join(ROOT, 'src'));
  const clock = all.filter((f) => /Date\.now\(\)/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
  assert.deepEqual(clock, ['src/context.ts']);
  const kysely = all.filter((f) => /new Kysely[<(]/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f)).sort();
  assert.deepEqual(kysely, ['src/store/postgres/postgres-open.ts', 'src/store/sqlite/sqlite-open.ts']);
});

test('error code literals live only in the dialects\' errors tables', () => {
  // errors.ts maps refusals to codes; rate-limits.ts says which code each limit answers with.
  const feishu = files(join(ROOT, 'src/api/feishu')).filter((f) => !f.endsWith('errors.ts') && !f.endsWith('rate-limits.ts'))
    .filter((f) => /code: *[0-9]{4,}/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(feishu.map((f) => relative(ROOT, f)), []);
});
