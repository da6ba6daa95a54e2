// The test command (`npm test`): build, type-check, lint, then the Node suite (vitest), the Deno
// suite (built package, Web Workers) and the Chromium suite (built package in real headless
// Chromium). Prints one closing line `N passed, N failed` and exits non-zero on any failure.
// Flags: --no-build (reuse dist/), --only=node|deno|browser|checks (comma-separated).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const only = (args.find((a) => a.startsWith('--only=')) ?? '--only=checks,node,deno,browser').slice(7).split(',');
let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, cmdArgs, opts = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${label}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, {
    stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (opts.capture) process.stdout.write(r.stdout ?? '');
  console.log(`=== ${label}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

function check(label, cmd, cmdArgs) {
  const r = run(label, cmd, cmdArgs);
  if (r.status === 0) passed++;
  else {
    failed++;
    failures.push(label);
  }
  return r.status === 0;
}

mkdirSync('build', { recursive: true });
// Before the build, which regenerates them: committed generated files equal a fresh generation.
if (only.includes('checks')) check('generated files are fresh', 'node', ['scripts/check-generated.mjs']);
if (!args.includes('--no-build')) {
  if (!check('build', 'npm', ['run', 'build', '--silent'])) {
    console.log(`\n${passed} passed, ${failed} failed`);
    process.exit(1);
  }
}

if (only.includes('checks')) {
  check('typecheck src', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  check('typecheck assembly', 'npx', ['tsc', '--noEmit', '-p', 'assembly/tsconfig.json']);
  check('typecheck kernel boundary (test/types)', 'npx', ['tsc', '-p', 'test/types']);
  check('lint (biome)', 'npx', ['biome', 'check', '.']);
  check('import cycles (src)', 'node', ['scripts/check-cycles.mjs']);
}

function vitest(label, extra, jsonFile) {
  const r = run(label, 'npx', ['vitest', 'run', ...extra, '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`]);
  if (existsSync(jsonFile)) {
    const j = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    // A suite that failed to load counts as one failure.
    const broken = j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
    failed += broken;
    if (j.numFailedTests || broken) failures.push(label);
  } else {
    failed++;
    failures.push(label);
  }
  return r;
}

if (only.includes('node')) vitest('node suite (vitest)', [], 'build/vitest-node.json');

if (only.includes('deno')) {
  const r = run(
    'deno suite (built package)',
    'npx',
    ['deno', 'test', '--no-check', '--allow-read', '--allow-write=build', '--allow-env', 'test/deno/'],
    { capture: true },
  );
  const m = /(\d+) passed \| (\d+) failed/.exec(r.stdout ?? '');
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
    if (Number(m[2]) > 0) failures.push('deno');
  } else {
    failed++;
    failures.push('deno (no summary)');
  }
}

if (only.includes('browser'))
  vitest('chromium suite (built package)', ['--config', 'vitest.browser.config.ts'], 'build/vitest-browser.json');

if (failures.length) console.log(`\nfailed parts: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
