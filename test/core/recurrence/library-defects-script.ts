/**
 * Evidence script, not a test: runs every libical vector through rrule-temporal alone (floating
 * UTC, the rule's UNTIL passed through, no normalization) and prints the vectors it gets wrong.
 * docs/recurrence.md lists the result. Run with:
 *   node --import tsx test/core/recurrence/library-defects-script.ts
 */
import { readFileSync } from 'node:fs';
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';

const text = readFileSync(new URL('../../fixtures/libical/icalrecur_test.txt', import.meta.url), 'utf8');
const lines = text.split('\n');
const epoch = (s: string): number =>
  Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +(s.slice(9, 11) || 0), +(s.slice(11, 13) || 0), +(s.slice(13, 15) || 0)) / 1000;

let failures = 0;
lines.forEach((line, index) => {
  if (!line.startsWith('RRULE:')) return;
  const field = (name: string): string | undefined => {
    for (let i = index; i < lines.length && lines[i].trim() !== ''; i++) {
      if (lines[i].startsWith(`${name}:`)) return lines[i].slice(name.length + 1);
    }
    return undefined;
  };
  const rrule = line.slice(6).replace(/;$/, '');
  const dtstart = field('DTSTART')!;
  const startAt = field('START-AT');
  let expected = field('INSTANCES')!.split(',');
  if (startAt) expected = expected.filter((s) => epoch(s) >= epoch(startAt));
  let actual: string;
  try {
    const dt = Temporal.Instant.fromEpochMilliseconds(epoch(dtstart) * 1000).toZonedDateTimeISO('UTC');
    const lib = new RRuleTemporal({ rruleString: rrule, dtstart: dt, tzid: 'UTC', cache: false, maxIterations: 100_000 });
    const from = startAt ? epoch(startAt) : -Infinity;
    actual = lib
      .all((_, i) => i < expected.length + 400)
      .filter((z) => z.epochMilliseconds / 1000 >= from)
      .slice(0, expected.length + 5)
      .map((z) => {
        const s = z.toPlainDateTime().toString().replace(/[-:]/g, '');
        return dtstart.length === 8 ? s.slice(0, 8) : s.slice(0, 15) + (dtstart.endsWith('Z') ? 'Z' : '');
      })
      .join(',');
  } catch (err) {
    actual = `ERROR ${(err as Error).message}`;
  }
  if (actual !== expected.join(',')) {
    failures++;
    console.log(`line ${index + 1}: ${rrule} @ ${dtstart}${startAt ? ` from ${startAt}` : ''}`);
    console.log(`  expected ${expected.join(',').slice(0, 160)}`);
    console.log(`  actual   ${actual.slice(0, 160)}`);
  }
});
console.log(`${failures} vectors differ`);
