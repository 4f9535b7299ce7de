import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface FunctionTime {
  readonly name: string;
  /** file:line (1-based), shortened to the repository or the package. */
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
  readonly totalMs: number;
  readonly totalPct: number;
}

export interface ProfileSummary {
  readonly file: string;
  /** Sampled time the process was doing something (everything but "(idle)"), ms. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly topSelf: FunctionTime[];
  /** Inclusive time of rili's own functions (src/): where the time goes from rili's point of view. */
  readonly topSrcTotal: FunctionTime[];
  /** Self time grouped by where the code lives (rili src, each package, node internals, GC...). */
  readonly byArea: Array<{ area: string; selfMs: number; selfPct: number }>;
}

const ROOT = new URL('../../', import.meta.url).pathname;

function shorten(url: string): string {
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(ROOT)) u = u.slice(ROOT.length);
  const nm = u.lastIndexOf('node_modules/');
  return nm >= 0 ? u.slice(nm + 'node_modules/'.length) : u;
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const u = shorten(url);
  if (u.startsWith('node:')) return 'node internals';
  if (u.startsWith('src/')) return u.split('/').slice(0, 2).join('/');
  if (url.includes('node_modules/')) return u.startsWith('@') ? u.split('/').slice(0, 2).join('/') : u.split('/')[0];
  return u;
}

/**
 * Self and inclusive time per function of a V8 .cpuprofile (as `node --cpu-prof` writes it).
 * `lastMs`: only the samples of the profile's last `lastMs` milliseconds (the load, not start-up).
 * Sampled time is wall time the thread was not idle: on a crowded machine it includes time the
 * process was runnable but waiting for a core, so read it as shares, not as CPU seconds.
 */
export function summarize(file: string, options: { top?: number; lastMs?: number } = {}): ProfileSummary {
  const top = options.top ?? 25;
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const from = options.lastMs === undefined ? -Infinity : p.endTime - options.lastMs * 1000;
  let at = p.startTime;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}\u0000${n.callFrame.url}\u0000${n.callFrame.lineNumber}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the time after it is the next delta.
    at += p.timeDeltas[i];
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    if (at < from) continue;
    const node = byId.get(p.samples[i])!;
    if (node.callFrame.functionName === '(idle)') { idle += dt; continue; }
    busy += dt;
    const k = keyOf(node);
    self.set(k, (self.get(k) ?? 0) + dt);
    const a = area(node.callFrame.url, node.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const kk = keyOf(byId.get(id)!);
      if (seen.has(kk)) continue;
      seen.add(kk);
      total.set(kk, (total.get(kk) ?? 0) + dt);
    }
  }
  const row = (k: string): FunctionTime => {
    const [name, url, line] = k.split('\u0000');
    const s = self.get(k) ?? 0;
    const t = total.get(k) ?? 0;
    return {
      // tsx compiles each source file onto one line: line numbers say nothing there, so only the file.
      name, where: url ? `${shorten(url)}${Number(line) > 0 ? `:${Number(line) + 1}` : ''}` : '', selfMs: Math.round(s), selfPct: round1((100 * s) / busy),
      totalMs: Math.round(t), totalPct: round1((100 * t) / busy),
    };
  };
  const topSelf = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k]) => row(k));
  const topSrcTotal = [...total.entries()].filter(([k]) => k.includes('/src/')).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k]) => row(k));
  const byArea = [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([a, ms]) => ({ area: a, selfMs: Math.round(ms), selfPct: round1((100 * ms) / busy) }));
  return { file, busyMs: Math.round(busy), idleMs: Math.round(idle), topSelf, topSrcTotal, byArea };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A plain-text rendering of a summary, for the console. */
export function formatSummary(s: ProfileSummary, label: string): string {
  const lines = [`--- ${label}: ${s.file} (busy ${s.busyMs} ms, idle ${s.idleMs} ms)`, 'self%  self ms  total%  function  (where)'];
  for (const f of s.topSelf) lines.push(`${f.selfPct.toFixed(1).padStart(5)} ${String(f.selfMs).padStart(8)} ${f.totalPct.toFixed(1).padStart(6)}  ${f.name}  (${f.where})`);
  lines.push('inclusive, rili src:');
  for (const f of s.topSrcTotal) lines.push(`${f.totalPct.toFixed(1).padStart(5)}% ${String(f.totalMs).padStart(8)} ms  ${f.name}  (${f.where})`);
  lines.push('self time by area:');
  for (const a of s.byArea.slice(0, 15)) lines.push(`${a.selfPct.toFixed(1).padStart(5)}% ${String(a.selfMs).padStart(8)} ms  ${a.area}`);
  return lines.join('\n');
}

// `node --import tsx bench/lib/cpuprofile.ts FILE.cpuprofile [TOP]` prints a summary.
if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  console.log(formatSummary(summarize(process.argv[2], { top: Number(process.argv[3] ?? 25) }), 'profile'));
}
