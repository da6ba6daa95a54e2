// CI check (one check in scripts/test-all.mjs): every committed generated file equals a fresh
// generation from its one definition. Runs each generator with --check (nothing is written):
//   scripts/gen-layout.mjs    layouts shared by assembly/ and src/, LIF specialisation wrappers
//   scripts/gen-fp-block.mjs  assembly/fp/block.ts
// (src/generated/ is not committed: the build writes it, see scripts/gen-kernel-types.mjs.)
import { spawnSync } from 'node:child_process';

let bad = 0;
for (const script of ['scripts/gen-layout.mjs', 'scripts/gen-fp-block.mjs']) {
  const r = spawnSync(process.execPath, [script, '--check'], { stdio: 'inherit' });
  if (r.status !== 0) bad++;
}
process.exit(bad ? 1 : 0);
