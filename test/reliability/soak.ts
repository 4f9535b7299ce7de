import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

/**
 * `npm run soak`: the reliability suite at soak size (RILI_SOAK=1: 200 SIGKILL rounds, 400 fuzz cases
 * per endpoint, bigger concurrent bursts), on SQLite and PostgreSQL unless RILI_TEST_STORES says
 * otherwise. Prints the `[reliability]` lines (the counts RELIABILITY.md quotes) again at the end.
 * Extra arguments go to `node --test`, e.g. `npm run soak -- --test-name-pattern=crash`.
 */
const dir = new URL('./', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}${f}`);
const env = { ...process.env, RILI_SOAK: '1', RILI_TEST_STORES: process.env.RILI_TEST_STORES ?? 'sqlite,postgres' };
const started = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { env, stdio: ['ignore', 'pipe', 'inherit'] });
const summary: string[] = [];
let pending = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) if (line.includes('[reliability]')) summary.push(line.replace(/^#\s*/, '').trim());
});
child.on('exit', (code) => {
  process.stdout.write(`\nsoak (RILI_TEST_STORES=${env.RILI_TEST_STORES}) finished in ${Math.round((Date.now() - started) / 1000)} s, exit ${code}\n${summary.join('\n')}\n`);
  process.exit(code ?? 1);
});
