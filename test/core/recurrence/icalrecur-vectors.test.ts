/**
 * Every vector of libical's icalrecur_test.txt. Format: blank-line separated records of
 * `RRULE:`, `DTSTART:` (date, floating or UTC date-time), optional `START-AT:` (iterate from there;
 * expected = INSTANCES at or after it) and `INSTANCES:`; `#` lines are comments.
 * Floating DTSTARTs are expanded in UTC, DATE DTSTARTs as all-day series.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { expandOccurrences, parseRecurrenceRule, RecurrenceRuleError } from '../../../src/core/recurrence/index.js';
import type { SeriesStart } from '../../../src/core/recurrence/index.js';

// libical's vectors, copied into the repository with their origin and licence (test/fixtures/libical/README.md).
const VECTORS = new URL('../../fixtures/libical/icalrecur_test.txt', import.meta.url);

interface Vector {
  readonly line: number;
  readonly comment: string;
  readonly rrule: string;
  readonly dtstart: string;
  readonly startAt?: string;
  readonly instances: string;
}

function readVectors(): Vector[] {
  const vectors: Vector[] = [];
  let comment: string[] = [];
  let current: Record<string, string> = {};
  let line = 0;
  const flush = (): void => {
    if (current.RRULE !== undefined) {
      vectors.push({
        line,
        comment: comment.join(' '),
        rrule: current.RRULE,
        dtstart: current.DTSTART,
        ...(current['START-AT'] !== undefined && { startAt: current['START-AT'] }),
        instances: current.INSTANCES ?? '',
      });
    }
    current = {};
    comment = [];
  };
  readFileSync(VECTORS, 'utf8').split('\n').forEach((raw, index) => {
    const text = raw.trimEnd();
    if (text === '') return flush();
    if (text.startsWith('#')) return void comment.push(text.slice(1).trim());
    const colon = text.indexOf(':');
    if (text.startsWith('RRULE:')) line = index + 1;
    current[text.slice(0, colon)] = text.slice(colon + 1);
  });
  flush();
  return vectors;
}

/** Epoch seconds of `YYYYMMDD[THHMMSS[Z]]`, read as UTC. */
function epochOf(value: string): number {
  const n = (from: number, to: number): number => Number(value.slice(from, to) || 0);
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(9, 11), n(11, 13), n(13, 15)) / 1000;
}

function startOf(dtstart: string): SeriesStart {
  if (dtstart.length === 8) return { kind: 'date', date: `${dtstart.slice(0, 4)}-${dtstart.slice(4, 6)}-${dtstart.slice(6, 8)}` };
  return { kind: 'timed', epochSeconds: epochOf(dtstart), timeZone: 'UTC' };
}

function format(epoch: number, dtstart: string): string {
  const iso = new Date(epoch * 1000).toISOString().replace(/[-:]/g, '');
  if (dtstart.length === 8) return iso.slice(0, 8);
  return iso.slice(0, 15) + (dtstart.endsWith('Z') ? 'Z' : '');
}

/** Why a vector is skipped, or undefined if it must pass. */
function skipReason(v: Vector): string | undefined {
  if (/FREQ=(SECONDLY|MINUTELY)/.test(v.rrule)) return 'FREQ=SECONDLY/MINUTELY are deliberately unsupported';
  if (v.instances.includes('UNIMPLEMENTED')) return 'libical has no expected instances (UNIMPLEMENTED); see bounded.test.ts';
  return undefined;
}

const vectors = readVectors();

test('the vector file is complete', () => {
  assert.equal(vectors.length, 146);
});

for (const v of vectors) {
  const name = `line ${v.line}: ${v.comment || 'untitled'} — ${v.rrule} @ ${v.dtstart}${v.startAt ? ` from ${v.startAt}` : ''}`;
  test(name, (t) => {
    const reason = skipReason(v);
    if (reason?.startsWith('FREQ')) {
      assert.throws(() => parseRecurrenceRule(v.rrule), RecurrenceRuleError);
    }
    if (reason) return t.skip(reason);
    let expected = v.instances.split(',');
    if (v.startAt) expected = expected.filter((s) => epochOf(s) >= epochOf(v.startAt!));
    const from = epochOf(v.startAt ?? v.dtstart);
    const actual = [
      ...expandOccurrences({ rule: v.rrule, start: startOf(v.dtstart), fromEpoch: from, maxOccurrences: expected.length + 10 }),
    ].map((e) => format(e, v.dtstart));
    assert.deepEqual(actual, expected);
  });
}
