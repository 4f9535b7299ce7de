// Fails when a file of the project refers to a path outside the clone (the shared folder beside it, an absolute path of
// the machine it was written on, or a relative path that climbs above the repository root), so that
// `npm ci && npm test` keeps passing on a fresh clone with nothing beside it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const folders = ['src', 'test', 'bench', 'bin', '.ci'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|js|mjs|cjs|json|sh)$/.test(name) || dirname(path).endsWith('.ci')) files.push(path);
  }
};
for (const folder of folders) {
  try { walk(join(root, folder)); } catch { /* a folder the project does not have */ }
}

const problems = [];
for (const file of files) {
  if (file === join(root, '.ci', 'stands-alone.mjs')) continue;
  readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
    const where = `${relative(root, file)}:${index + 1}`;
    if (line.includes('// stands-alone:')) return; // a path-like string that is data, with its reason
    if (/(\.\.\/)+shared\b|\bshared\/(seeds|reference)\b/.test(line)) problems.push(`${where}: refers to shared/`);
    if (/['"`]\/work\//.test(line)) problems.push(`${where}: an absolute path of this machine`);
    for (const m of line.matchAll(/['"`]((?:\.\.\/)+[^'"`]*)['"`]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (target !== root && !target.startsWith(root + sep)) problems.push(`${where}: ${m[1]} lies outside the repository`);
    }
  });
}
if (problems.length > 0) {
  console.error('These files refer to paths outside the repository; a fresh clone would fail there:');
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`stands alone: ${files.length} files refer to nothing outside the repository`);
