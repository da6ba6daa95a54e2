// Builds dist/ when it is missing (fresh clone: `npm ci && npm start`), and the files the build
// generates into src/generated/ (the inlined kernel, the kernel's export types) that `tsc` needs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const outputs = ['dist/index.js', 'dist/worker.js', 'src/generated/wasm-bytes.ts', 'src/generated/kernel.ts'];
if (!outputs.every((f) => existsSync(f))) {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
