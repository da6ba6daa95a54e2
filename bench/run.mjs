// `npm run bench [-- name ...]`: runs bench/<name>.bench.mjs (all when no name is given), each in
// its own process, against the built package (dist/). Benchmarks are never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

if (!existsSync('dist/index.js')) spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
const names = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => names.length === 0 || names.some((n) => f.startsWith(`${n}.`)));
for (const f of files) {
  console.log(`\n### bench/${f}`);
  const r = spawnSync('node', [`bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
