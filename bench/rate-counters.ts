// The cost of counting a request in PostgreSQL (issue R, finding 7): the shared limiter's one upsert
// for Feishu's three checks (five windows, scaled so nothing is refused) against a bare `select 1`
// round trip on the same pool, interleaved in six rounds, sequential and 8 at a time.
// Usage: node --import tsx bench/rate-counters.ts [postgres URL]
import { sql } from 'kysely';
import { localLimiter, scaled, sharedLimiter } from '../src/api/rate-limit.js';
import { FEISHU_RATE_LIMITS } from '../src/api/feishu/rate-limits.js';
import { openStore } from '../src/store/open-store.js';
const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_rate_${Math.random().toString(36).slice(2, 8)}`;
const store = await openStore(`${url}?schema=${schema}`, { poolSize: 10 });
const checks = FEISHU_RATE_LIMITS.map((r, i) => ({ key: `feishu|app${i}|GET x`, limits: scaled(r.limits, 1000) }));
const shared = sharedLimiter(store.rateCounters!, localLimiter(), (e) => console.error(e));
const select1 = { take: () => sql`select 1`.execute(store.db) };
async function run(l: { take(c: typeof checks, now: number): Promise<unknown> }, n: number, conc: number) {
  const t0 = performance.now(); const c0 = process.cpuUsage(); let i = 0;
  await Promise.all(Array.from({ length: conc }, async () => { while (i++ < n) await l.take(checks, Date.now()); }));
  const c = process.cpuUsage(c0);
  return { us: (1000 * (performance.now() - t0)) / n, cpu: (c.user + c.system) / n };
}
const rows: string[] = [];
const ratios: number[] = []; const cratios: number[] = [];
for (let r = 0; r < 6; r++) {
  const a = await run(select1, 600, 1); const b = await run(shared, 600, 1);
  const a8 = await run(select1, 1200, 8); const b8 = await run(shared, 1200, 8);
  ratios.push(b.us / a.us); cratios.push(b8.us / a8.us);
  rows.push(`round ${r}: sequential select1 ${a.us.toFixed(0)} µs (node CPU ${a.cpu.toFixed(0)}), take ${b.us.toFixed(0)} µs (node CPU ${b.cpu.toFixed(0)}) → ${(b.us / a.us).toFixed(2)}; 8 concurrent: select1 ${a8.us.toFixed(0)} µs/op, take ${b8.us.toFixed(0)} µs/op → ${(b8.us / a8.us).toFixed(2)}`);
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
console.log(rows.join('\n'));
console.log(`median ratio take/select1: sequential ${med(ratios).toFixed(2)}, 8 concurrent ${med(cratios).toFixed(2)}`);
await sql`drop schema ${sql.id(schema)} cascade`.execute(store.db);
await store.close();
