// Push isolation (issue 15, item 7): does a receiver that never answers slow the API? rili runs as a
// separate process on SQLite; GET one event and PATCH (64 events, a fresh summary each) are driven by
// autocannon from another process, first with no receiver set, then with a Feishu app (subscribed to
// the calendar) and a DingTalk app (hears every change of its tenant) whose URL accepts the
// connection and never answers, so every push waits out its 3 s limit; between them, the same apps
// with a receiver that answers at once (the cost of recording and sending pushes, without the hang).
// Modes alternate per round.
//
// By default each load sends as fast as answers come (closed loop): p99 then mostly says how busy
// the server is. `--rate GET,PATCH` sends at fixed rates instead (open loop), well under what the
// server can do, so p99 shows what a receiver's pushes add to a request's wait.
//
// Usage: node --import tsx bench/push-hang.ts [--quick] [--seconds S] [--connections C] [--rounds N] [--rate G,P]
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { encrypt, signature } from '../src/api/dingtalk/push/crypto.js';
import { machine } from './lib/drive.js';
import { load, loadProblems } from './lib/load.js';
import type { Load } from './lib/load.js';
import { BENCH_SEED, startRili, userToken } from './lib/rili-process.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '16' },
    rounds: { type: 'string' },
    port: { type: 'string', default: '18850' },
    rate: { type: 'string' },
  },
});
const [getRate, patchRate] = (values.rate ?? '').split(',').map((x) => (x ? Number(x) : undefined));
const seconds = Number(values.seconds ?? (values.quick ? 3 : 10));
const connections = Number(values.connections);
const rounds = Number(values.rounds ?? (values.quick ? 1 : 2));
const port = Number(values.port);
const AES_KEY = 'a'.repeat(42) + 'A';

/** A receiver that takes each request and never answers (or, `answering`, answers each at once: Feishu `{}`, DingTalk the encrypted success). */
async function receiverOf(answering: boolean): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    requests++;
    if (!answering) return;
    req.resume();
    req.on('end', () => {
      if (!req.url?.includes('signature=')) return void res.end('{}');
      const encrypted = encrypt('success', AES_KEY, 'dingbench');
      const timeStamp = String(Date.now());
      res.end(JSON.stringify({ msg_signature: signature('tok', timeStamp, 'n', encrypted), timeStamp, nonce: 'n', encrypt: encrypted }));
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hang`,
    requests: () => requests,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

interface Figures { mode: string; round: number; get: Load; patch: Load; pending?: number; receiverRequests?: number }

async function session(mode: 'none' | 'answering' | 'hanging', round: number): Promise<Figures> {
  const receiver = mode === 'none' ? undefined : await receiverOf(mode === 'answering');
  const seed = structuredClone(BENCH_SEED) as typeof BENCH_SEED & { tenants: Array<{ apps: Array<Record<string, unknown>> }> };
  if (receiver) {
    seed.tenants[0].apps[0].events = { request_url: receiver.url, verification_token: 'vt' };
    seed.tenants[0].apps[1].events = { request_url: receiver.url, token: 'tok', aes_key: AES_KEY };
  }
  const rili = await startRili({ seed, port, extraArgs: ['--push-retry', '1s,1s,1s'] });
  try {
    const token = await userToken(rili.url, 'cli_bench', 'u1');
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const api = async (method: string, path: string, body?: object) => {
      const res = await fetch(`${rili.url}${path}`, { method, headers: auth, body: JSON.stringify(body ?? {}) });
      const json = await res.json() as { code: number; data: Record<string, unknown> };
      if (json.code !== 0) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
      return json.data;
    };
    const primary = await api('POST', '/open-apis/calendar/v4/calendars/primary') as { calendars: Array<{ calendar: { calendar_id: string } }> };
    const calendarId = primary.calendars[0].calendar.calendar_id;
    const events = `/open-apis/calendar/v4/calendars/${calendarId}/events`;
    if (receiver) await api('POST', `${events}/subscription`);
    const ids: string[] = [];
    for (let i = 0; i < 64; i++) {
      const start = 1_893_974_400 + i * 3600;
      const made = await api('POST', events, { summary: `bench ${i}`, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 1800) } }) as { event: { event_id: string } };
      ids.push(made.event.event_id);
    }
    const get = await load({ url: `${rili.url}${events}/${ids[0]}`, headers: auth, connections, seconds, warmupSeconds: 1, expectPrefix: '{"code":0', ...(getRate ? { rate: getRate } : {}) });
    const patch = await load({
      url: `${rili.url}${events}/${ids[0]}`, method: 'PATCH', headers: auth, body: JSON.stringify({ summary: 'patched [<id>]' }), idReplacement: true,
      paths: ids.map((id) => `${events}/${id}`), connections, seconds, warmupSeconds: 1, expectPrefix: '{"code":0', ...(patchRate ? { rate: patchRate } : {}),
    });
    for (const [name, l] of [['get', get], ['patch', patch]] as const) {
      const problems = loadProblems(l);
      if (problems.length) console.error(`${mode} ${name}: ${problems.join('; ')}`);
    }
    const figures: Figures = { mode, round, get, patch };
    if (receiver) {
      const pending = await fetch(`${rili.url}/rili/v1/deliveries?status=pending&limit=100`).then((r) => r.json()) as { deliveries: unknown[]; has_more: boolean };
      figures.pending = pending.deliveries.length;
      figures.receiverRequests = receiver.requests();
    }
    return figures;
  } finally {
    await rili.stop();
    await receiver?.close();
  }
}

const results: Figures[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const mode of ['none', 'answering', 'hanging'] as const) {
    const f = await session(mode, round);
    results.push(f);
    const line = (name: string, l: Load) => `${name} p50 ${l.p50Ms} ms p99 ${l.p99Ms} ms ${l.requestsPerSecond.toFixed(0)} req/s`;
    console.log(`round ${round} ${mode.padEnd(7)} ${line('get', f.get)} | ${line('patch', f.patch)}${f.pending !== undefined ? ` | pending deliveries ${f.pending === 100 ? '≥' : ''}${f.pending}, receiver got ${f.receiverRequests} requests` : ''}`);
  }
}
const m = await machine();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(`./results/${m.date}-push-hang${values.quick ? '-quick' : ''}${values.rate ? `-rate-${values.rate.replace(',', '-')}` : ''}.json`, import.meta.url);
writeFileSync(file, `${JSON.stringify({ machine: m, seconds, connections, rounds, ...(values.rate ? { rate: { get: getRate, patch: patchRate } } : {}), results }, null, 2)}\n`);
console.log(`written ${file.pathname}`);
