/**
 * Quick measurement, not a test: expand 1,000 open-ended daily/weekly series (started years ago)
 * over a 39-day window, as the list-events benchmark will. Run with:
 *   node --import tsx test/core/recurrence/perf-script.ts
 */
import { cpus } from 'node:os';
import { expandOccurrences, parseRecurrenceRule } from '../../../src/core/recurrence/index.js';

const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC'];
const RULES = ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', 'FREQ=DAILY;INTERVAL=3'];
const from = Date.UTC(2025, 2, 1) / 1000; // fixed window: 2025-03-01 + 39 days (spans the EU/US DST change)
const to = from + 39 * 86_400;

function series(i: number) {
  return {
    rule: parseRecurrenceRule(RULES[i % RULES.length]),
    start: {
      kind: 'timed' as const,
      epochSeconds: Date.UTC(2020, 0, 1 + (i % 365), 1 + (i % 10), (i * 7) % 60) / 1000,
      timeZone: ZONES[i % ZONES.length],
    },
  };
}

function run(n: number): { ms: number; occurrences: number } {
  const list = Array.from({ length: n }, (_, i) => series(i));
  const t0 = performance.now();
  let occurrences = 0;
  for (const s of list) for (const _ of expandOccurrences({ ...s, fromEpoch: from, toEpoch: to })) occurrences++;
  return { ms: performance.now() - t0, occurrences };
}

run(200); // warm-up (JIT, zone timelines)
const results = Array.from({ length: 5 }, () => run(1000));
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
console.log(`1000 series × 39 days: median ${ms[2].toFixed(1)} ms (min ${ms[0].toFixed(1)}, max ${ms[4].toFixed(1)}), ${results[0].occurrences} occurrences`);
const cold = run(1000); // includes nothing new, kept for comparison
console.log(`one more run: ${cold.ms.toFixed(1)} ms`);
