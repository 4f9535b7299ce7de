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

test('src/api reaches state only through core services: no store import, no ctx.store, no store reader or writer', () => {
  const offenders = files(join(ROOT, 'src/api'))
    .filter((f) => /from '[^']*\/store\/|\bctx\.store\b|\.store\.(read|transact)\(|\bStore(Reader|Writer)\b/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});

/**
 * Platform vocabulary the core must not speak; each dialect owns its own (src/api/<dialect>):
 * - the platforms' URLs and hosts (VC meeting links, app links);
 * - Feishu's wire names for event fields whose names differ between the dialects (times, check-in,
 *   vchat), in the text of a domain error: a domain error names the domain field (`start`, `end`,
 *   `checkIn.checkInStartTime`, `vchat.meetingSettings.password`) and the dialect maps it to its wire
 *   name where it builds its envelope (src/api/feishu/field-names.ts, src/api/dingtalk/field-names.ts).
 * Identifiers that name the same thing in the domain (`event_id`, `calendar_id`, `recurrence`) and the
 * external user id kinds (`open_id`, `union_id`, `user_id`: the seed format and the directory port
 * name them so) are not on the list.
 */
const PLATFORM_URLS = /https?:\/\/|applink\.|vc\.feishu|open\.feishu|dingtalk\.com|calendar\.feishu\.cn/;
const WIRE_FIELD_NAMES = [
  'start_time', 'end_time', 'event_check_in', 'check_in_start_time', 'check_in_end_time', 'enable_check_in', 'time_type',
  'vc_type', 'meeting_url', 'meeting_settings', 'assign_hosts', 'allow_attendees_start', 'owner_id', 'open_id', 'union_id',
  'third_party_email', 'approval_reason', 'attendee_ids', 'delete_ids',
];

test('core speaks no platform: no platform URLs, and domain errors name domain fields, not wire fields', () => {
  const urls = files(join(ROOT, 'src/core')).filter((f) => PLATFORM_URLS.test(readFileSync(f, 'utf8')));
  assert.deepEqual(urls.map((f) => relative(ROOT, f)), []);
  const wireWord = new RegExp(`\\b(${WIRE_FIELD_NAMES.join('|')})\\b`);
  const errorLines = files(join(ROOT, 'src/core')).flatMap((f) => readFileSync(f, 'utf8').split('\n')
    .map((line, i) => ({ at: `${relative(ROOT, f)}:${i + 1}`, line }))
    .filter(({ line }) => /invalidArgument\(|DomainError\(/.test(line) && wireWord.test(line)));
  assert.deepEqual(errorLines.map((l) => `${l.at}: ${l.line.trim()}`), []);
});

test('a domain permission rule is not decided in an api file', () => {
  // mayEdit (who sees a meeting's settings) lives in core/events/access.ts.
  const offenders = files(join(ROOT, 'src/api')).filter((f) => /\bconst mayEdit\b|function mayEdit\b/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => relative(ROOT, f)), []);
});
