// Runs one autocannon load in this process and prints its summary as one JSON line.
// Spawned by bench/lib/load.ts so the load generator never shares the server's (or the harness's)
// event loop. Plain JavaScript: no tsx start-up in the child. Argument: the options as JSON.
import autocannon from 'autocannon';

const o = JSON.parse(process.argv[2]);
const opts = {
  url: o.url,
  method: o.method,
  headers: o.headers,
  body: o.body,
  connections: o.connections,
  duration: o.seconds,
  // A fixed rate across all connections (open loop): latency then shows interference, not saturation.
  ...(o.rate > 0 ? { overallRate: o.rate } : {}),
  // `[<id>]` in the body becomes a fresh id per request (patch and create vary their summary).
  idReplacement: o.idReplacement ?? false,
  ...(o.warmupSeconds > 0 ? { warmup: { connections: o.connections, duration: o.warmupSeconds } } : {}),
  // Every answer is checked, not just its status: Feishu answers some refusals with HTTP 200.
  ...(o.expectPrefix ? { verifyBody: (body) => typeof body === 'string' && body.startsWith(o.expectPrefix) } : {}),
  // Several paths: each request picks one at random (patch spreads over many events, not one hot row).
  ...(o.paths?.length ? {
    requests: [{ setupRequest: (req) => ({ ...req, path: o.paths[Math.floor(Math.random() * o.paths.length)] }) }],
  } : {}),
};
const r = await autocannon(opts);
const seconds = r.duration > 0 ? r.duration : o.seconds;
const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
process.stdout.write(JSON.stringify({
  requests: r.requests.total,
  seconds,
  requestsPerSecond: r.requests.total / seconds,
  p50Ms: r.latency.p50,
  p90Ms: r.latency.p90,
  p99Ms: r.latency.p99,
  maxMs: r.latency.max,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
  mismatches: r.mismatches ?? 0,
  statusCodes,
  bytesPerRequest: r.requests.total ? r.throughput.total / r.requests.total : 0,
  // The warm-up's own figures: its requests count for CPU per request; its failures still count.
  warmupRequests: r.warmup?.requests?.total ?? 0,
  warmupFailures: r.warmup ? r.warmup.non2xx + r.warmup.errors + r.warmup.timeouts + (r.warmup.mismatches ?? 0) : 0,
}) + '\n');
