// A/B of the LIF engine between two builds, side by side in ONE process (benchmark.js via
// runSuite): `node bench/lif-ab.bench.mjs --old <dir>` where <dir> is a copy of another build's
// dist/ (e.g. `git stash; npm run build; cp -r dist /tmp/old-dist; git stash pop; npm run build`).
// Rows: homogeneous populations on every SIMD specialisation (EM, exact, noise-free, Poisson,
// off-grid tRef) and, with --fine, shared noise and fineSteps 4. 10^4 neurons; CUBA (4000); and
// 10^4 noisy neurons coupled with a 1.5 ms delay (the delay ring). Without --old it
// prints a note and exits (so `npm run bench` skips it). Units: fine neuron-steps/s.
// `--shared` (no --old needed): this build's ordinary kernel (threads: 1) against its shared-memory
// kernel on one thread (a `threads: 2` network run synchronously: build/threads.wasm on the main
// thread), the single-thread cost of the multi-threaded LifNetwork's second build.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nw from '../dist/index.js';
import { runSuite } from './util.mjs';

const k = process.argv.indexOf('--old');
const oldDir = k > 0 ? process.argv[k + 1] : undefined;
const shared = process.argv.includes('--shared');
if (!shared && (!oldDir || !existsSync(resolve(oldDir, 'index.js')))) {
  console.log('lif-ab: pass --old <copy of another build dist/> to compare two builds; skipped');
  process.exit(0);
}
const od = shared ? nw : await import(pathToFileURL(resolve(oldDir, 'index.js')).href);
await nw.init();
await od.init();
const fine = process.argv.includes('--fine');
const N = 10_000;
const h = 0.1;
let sink = 0;
const base = { tauMem: 20, sigma: 0.02, mu: 0.055 };
const variants = fine
  ? [
      ['EM F=4', 'euler-maruyama', base, 4],
      ['exact F=4', 'exact', base, 4],
      ['EM shared 0.2', 'euler-maruyama', { ...base, sharedNoise: 0.2 }, 1],
      ['exact shared 0.2', 'exact', { ...base, sharedNoise: 0.2 }, 1],
    ]
  : [
      ['EM', 'euler-maruyama', base, 1],
      ['exact', 'exact', base, 1],
      ['EM quiet', 'euler-maruyama', { tauMem: 20, sigma: 0, mu: 0.06 }, 1],
      ['EM Poisson', 'euler-maruyama', { ...base, poisson: { rate: 1000, weight: 0.002 } }, 1],
      ['exact tRef 2.05', 'exact', { ...base, tRef: 2.05 }, 1],
    ];
const cases = {};
for (const [tag, integrator, p, F] of variants)
  for (const [lib, nd] of [
    [shared ? 'ordinary' : 'old', od],
    [shared ? 'shared' : 'new', nw],
  ]) {
    const threads = lib === 'shared' ? 2 : 1;
    const net = new nd.LifNetwork({
      dt: h,
      integrator,
      spikeRule: 'linear',
      seed: 1,
      noise: { fineSteps: F },
      ...(shared ? { threads } : {}),
    });
    net.addPopulation('p', N, { ...p, v0: { uniform: [0, 1] } });
    net.run(2); // warm-up
    const steps = F > 1 ? 20 : 50;
    cases[`${lib} ${tag}`] = { units: N * steps * F, fn: () => (sink += net.run(h * steps)) };
  }
// CUBA (4000 neurons, recurrent, ~320 k synapses): the spike delivery loop.
for (const [lib, nd] of [
  [shared ? 'ordinary' : 'old', od],
  [shared ? 'shared' : 'new', nw],
]) {
  const net = nd.createLifCuba({ seed: 1, ...(shared ? { threads: lib === 'shared' ? 2 : 1 } : {}) });
  net.run(2);
  cases[`${lib} CUBA 4000`] = { units: 4000 * 200, fn: () => (sink += net.run(20)) };
}
// Noisy neurons coupled at in-degree 80 with a 1.5 ms delay (10 000, ~800 k synapses): delivery
// into the delay ring, then the ring read by the SIMD path.
for (const [lib, nd] of [
  [shared ? 'ordinary' : 'old', od],
  [shared ? 'shared' : 'new', nw],
]) {
  const net = new nd.LifNetwork({ dt: h, seed: 1, ...(shared ? { threads: lib === 'shared' ? 2 : 1 } : {}) });
  net.addPopulation('p', N, { tauMem: 20, tauSyn: 5, mu: 0.05, sigma: 0.02, v0: { uniform: [0, 1] } });
  net.connect('p', 'p', { connector: { type: 'fixedInDegree', k: 80 }, weight: 0.001, delay: 1.5 });
  net.run(2);
  cases[`${lib} delayed 10000`] = { units: N * 200, fn: () => (sink += net.run(20)) };
}
await runSuite(
  shared
    ? `A/B ordinary vs shared-memory kernel on one thread, homogeneous N = ${N}, and CUBA`
    : `A/B old vs new build, homogeneous N = ${N}, and CUBA`,
  cases,
  Object.keys(cases)[0],
  { minSamples: 5, maxTime: 1 },
);
console.log(JSON.stringify({ sink: sink !== 0 }));
