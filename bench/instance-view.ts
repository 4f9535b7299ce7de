// instance_view of a calendar holding 1,000 open-ended daily and weekly series, 39-day window.
// Usage: node --import tsx bench/instance-view.ts [--db postgres://...] [--seconds 10]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCeiling } from './lib/ceiling.js';
import { drive, machine, sequential } from './lib/drive.js';
import { BENCH_SEED, startRili, userToken } from './lib/rili-process.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, seconds: { type: 'string', default: '10' }, series: { type: 'string', default: '1000' } } });
const seconds = Number(values.seconds);
const seriesCount = Number(values.series);
const rili = await startRili({ db: values.db, seed: BENCH_SEED, port: 18700 });
try {
  const token = await userToken(rili.url, 'cli_bench', 'u1');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const start = Date.parse('2026-01-05T01:00:00Z') / 1000;
  for (let i = 0; i < seriesCount; i++) {
    const s = start + (i % 48) * 1800;
    const body = {
      summary: `series ${i}`, start_time: { timestamp: String(s), timezone: 'Europe/Berlin' }, end_time: { timestamp: String(s + 1800), timezone: 'Europe/Berlin' },
      recurrence: i % 2 === 0 ? 'FREQ=DAILY' : `FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][i % 5]}`,
    };
    const res = await fetch(`${rili.url}/open-apis/calendar/v4/calendars/primary/events`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`create ${i}: ${res.status} ${await res.text()}`);
  }
  // 39 days crossing the October DST change, well after the series began.
  const from = Date.parse('2026-10-01T00:00:00Z') / 1000;
  const to = from + 39 * 86_400;
  const url = `${rili.url}/open-apis/calendar/v4/calendars/primary/events/instance_view?start_time=${from}&end_time=${to}`;
  // Feishu refuses windows over 1000 instances: find how many this window holds with a 1-day window count.
  const probe = await fetch(`${rili.url}/open-apis/calendar/v4/calendars/primary/events/instance_view?start_time=${from}&end_time=${from + 86_400}`, { headers });
  const probeBody = (await probe.json()) as { code: number; data?: { items: unknown[] } };
  const full = await fetch(url, { headers });
  const fullBody = (await full.json()) as { code: number };
  const seq = await sequential(20, async () => { await (await fetch(url, { headers })).arrayBuffer(); });
  const load = await drive({ url, headers, connections: 32, seconds });
  // A window that fits under Feishu's 1000-instance cap: every series expanded and returned.
  const dayUrl = `${rili.url}/open-apis/calendar/v4/calendars/primary/events/instance_view?start_time=${from}&end_time=${from + 86_400}`;
  const daySeq = await sequential(20, async () => { await (await fetch(dayUrl, { headers })).arrayBuffer(); });
  const dayLoad = await drive({ url: dayUrl, headers, connections: 32, seconds });
  const ceiling = await startCeiling(18701, Math.round(load.bytesPerRequest));
  const base = await drive({ url: ceiling.url, connections: 32, seconds });
  await ceiling.close();
  const result = {
    benchmark: 'instance_view, 1000 open-ended series, 39-day window',
    store: values.db ? 'postgres' : 'sqlite',
    machine: await machine(),
    series: seriesCount,
    oneDayInstances: probeBody.data?.items.length,
    fullWindowCode: fullBody.code,
    sequential: seq,
    load32: load,
    ceiling32: base,
    ratioToCeiling: load.requestsPerSecond / base.requestsPerSecond,
    oneDayWindow: { sequential: daySeq, load32: dayLoad },
  };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync(new URL(`./results/${result.machine.date}-instance-view-${result.store}.json`, import.meta.url), JSON.stringify(result, null, 2) + '\n');
} finally {
  await rili.stop();
}
