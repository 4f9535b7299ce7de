/**
 * Series whose start does not match the rule ("unsynchronised" starts), checked against an
 * independent expansion by python-dateutil (test/core/recurrence/dateutil-expand.py, run with
 * Debian's /usr/bin/python3 and python3-dateutil).
 *
 * Semantics checked (RFC 5545 §3.8.5.3 and §3.3.10): with `startIsOccurrence`, the recurrence set
 * is the start plus the rule's occurrences, and COUNT bounds that set with the start counted as the
 * first occurrence. In dateutil terms: an rruleset holding the rule without its COUNT, with the
 * start added as an RDATE, of which the first COUNT members are taken. UNTIL bounds the rule's
 * occurrences only, so a start after UNTIL is the series' only occurrence. Without the option the
 * engine keeps libical's reading (the start is no occurrence unless the rule yields it), which is
 * dateutil's rule alone; both readings are checked.
 *
 * The table mixes BYDAY, BYMONTHDAY, BYSETPOS, BYMONTH, BYHOUR and BYWEEKNO, DAILY to YEARLY, COUNT
 * and UNTIL, in three zones with DST (several rules land on a spring-forward or fall-back day at
 * 02:30), plus all-day series. dateutil and libical differ on FREQ=YEARLY;BYMONTHDAY without
 * BYMONTH (docs/recurrence.md), so every YEARLY rule here names its months. Timed rules use a UTC
 * UNTIL: dateutil refuses a floating or date UNTIL with a zoned start.
 *
 * The test skips, saying why, only where python3-dateutil cannot be imported.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { expandOccurrences, seriesLastStart } from '../../../src/core/recurrence/index.js';
import type { SeriesStart } from '../../../src/core/recurrence/index.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./dateutil-expand.py', import.meta.url));

const probe = spawnSync(PYTHON, ['-c', 'import dateutil.rrule, zoneinfo'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false
  : `python3-dateutil cannot be imported by ${PYTHON} (apt-get install -y python3-dateutil): ${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()}`;

const ZONES = ['America/New_York', 'Europe/Berlin', 'Australia/Sydney'];

/** A rule and a local start that the rule does not yield, with a COUNT and an UNTIL to bound it. */
interface Row { rule: string; start: string; count: number; until: string }
const TIMED: Row[] = [
  // Sundays at 02:30: New York's gap on Mar 14, Berlin's on Mar 28, Sydney's overlap on Apr 4.
  { rule: 'FREQ=DAILY;BYDAY=SU,WE', start: '2027-03-06T02:30:00', count: 12, until: '20270412T000000Z' },
  { rule: 'FREQ=WEEKLY;BYDAY=WE', start: '2027-01-05T10:00:00', count: 3, until: '20270115T000000Z' },
  { rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', start: '2027-03-02T09:00:00', count: 8, until: '20270501T000000Z' },
  { rule: 'FREQ=WEEKLY;BYDAY=SU;WKST=SU', start: '2027-09-29T02:30:00', count: 6, until: '20271108T000000Z' },
  { rule: 'FREQ=DAILY;INTERVAL=5;BYMONTH=3,4', start: '2027-02-20T23:30:00', count: 10, until: '20280501T000000Z' },
  { rule: 'FREQ=DAILY;BYHOUR=9,17', start: '2027-03-10T12:00:00', count: 6, until: '20270314T000000Z' },
  { rule: 'FREQ=MONTHLY;BYMONTHDAY=15', start: '2027-01-03T09:00:00', count: 6, until: '20271201T000000Z' },
  { rule: 'FREQ=MONTHLY;BYMONTHDAY=31', start: '2027-02-05T12:00:00', count: 4, until: '20280101T000000Z' },
  { rule: 'FREQ=MONTHLY;BYDAY=-1FR', start: '2027-02-10T18:00:00', count: 5, until: '20271101T000000Z' },
  { rule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', start: '2027-03-10T08:00:00', count: 6, until: '20271001T000000Z' },
  { rule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO', start: '2027-01-20T07:15:00', count: 4, until: '20280301T000000Z' },
  // The second Sunday of March at 02:30 is in New York's gap every year.
  { rule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', start: '2027-01-20T02:30:00', count: 3, until: '20300101T000000Z' },
  { rule: 'FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1,15', start: '2027-06-01T09:00:00', count: 5, until: '20300101T000000Z' },
  // The first Sunday of October at 02:30 is in Sydney's gap; BYSETPOS picks October of April/October.
  { rule: 'FREQ=YEARLY;BYMONTH=4,10;BYDAY=1SU;BYSETPOS=-1', start: '2027-05-01T02:30:00', count: 4, until: '20310101T000000Z' },
  { rule: 'FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', start: '2027-01-10T10:00:00', count: 3, until: '20300101T000000Z' },
  { rule: 'FREQ=YEARLY;BYYEARDAY=100,200;BYDAY=MO,TU,WE,TH,FR', start: '2027-01-10T10:00:00', count: 5, until: '20300101T000000Z' },
];
const ALL_DAY: Array<{ rule: string; start: string }> = [
  { rule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=3', start: '2027-01-05' },
  { rule: 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=5', start: '2027-02-10' },
  { rule: 'FREQ=MONTHLY;BYMONTHDAY=31;UNTIL=20271231', start: '2027-02-05' },
  { rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3', start: '2027-01-01' },
  { rule: 'FREQ=DAILY;BYMONTH=4;BYDAY=MO;UNTIL=20270430', start: '2027-03-30' },
];
/** Starts after UNTIL (the start is the only occurrence) and synchronised starts (nothing changes). */
const EDGES: Array<{ rule: string; start: string }> = [
  { rule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20270101T000000Z', start: '2027-01-05T10:00:00' },
  { rule: 'FREQ=WEEKLY;BYDAY=WE;UNTIL=20270106T095959Z', start: '2027-01-05T10:00:00' },
  { rule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4', start: '2027-01-05T10:00:00' },
  { rule: 'FREQ=MONTHLY;BYDAY=2SU;COUNT=4', start: '2027-03-14T09:00:00' },
];

interface Case { name: string; rule: string; start: string; zone: string | null }
const CASES: Case[] = [
  ...TIMED.flatMap((r) => ZONES.flatMap((zone) => [
    { name: `${r.rule};COUNT=${r.count} from ${r.start} ${zone}`, rule: `${r.rule};COUNT=${r.count}`, start: r.start, zone },
    { name: `${r.rule};UNTIL=${r.until} from ${r.start} ${zone}`, rule: `${r.rule};UNTIL=${r.until}`, start: r.start, zone },
  ])),
  ...ALL_DAY.map((r) => ({ name: `${r.rule} from ${r.start} (all day)`, rule: r.rule, start: r.start, zone: null })),
  ...EDGES.flatMap((r) => ZONES.map((zone) => ({ name: `${r.rule} from ${r.start} ${zone}`, rule: r.rule, start: r.start, zone }))),
];

interface Expected { start: number; series: number[]; rule: number[] }
function expectations(): Expected[] {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ cases: CASES }), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`dateutil-expand.py failed: ${run.error?.message ?? run.stderr}`);
  return JSON.parse(run.stdout) as Expected[];
}

const iso = (epochs: readonly number[]) => epochs.map((t) => new Date(t * 1000).toISOString());

describe('a start that does not match its rule, against python-dateutil', { skip }, () => {
  const expected = skip ? [] : expectations();
  CASES.forEach((c, i) => {
    test(c.name, () => {
      const want = expected[i];
      const start: SeriesStart = c.zone === null ? { kind: 'date', date: c.start } : { kind: 'timed', epochSeconds: want.start, timeZone: c.zone };
      const all = (from: number, to?: number, startIsOccurrence = true) =>
        [...expandOccurrences({ rule: c.rule, start, fromEpoch: from, toEpoch: to, startIsOccurrence })];
      assert.equal(want.series[0], want.start, 'the reference counts the start as the first occurrence');
      assert.ok(!c.rule.includes('COUNT=') || want.series.length === Number(/COUNT=(\d+)/.exec(c.rule)![1]));

      assert.deepEqual(iso(all(0)), iso(want.series), 'the whole series');
      assert.equal(seriesLastStart(c.rule, start, [], { startIsOccurrence: true }), want.series.at(-1), 'its last start');
      // Windows: one that opens after the start, and one inside the series.
      assert.deepEqual(iso(all(want.start + 1)), iso(want.series.slice(1)));
      const mid = Math.floor(want.series.length / 2);
      assert.deepEqual(iso(all(want.series[mid], want.series.at(-1))), iso(want.series.slice(mid, -1)));
      // Without the option: libical's reading, the rule alone.
      assert.deepEqual(iso(all(0, undefined, false)), iso(want.rule), 'the rule alone');
      assert.equal(seriesLastStart(c.rule, start), want.rule.at(-1) ?? null);
    });
  });
});
