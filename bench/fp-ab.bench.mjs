// A/B of the Fokker–Planck solver and the particle network between two builds, side by side in ONE
// process (benchmark.js via runSuite): `node bench/fp-ab.bench.mjs --old <dir>` where <dir> is a
// copy of another build's dist/. Rows: the semi-implicit v-step and the full Hebbian step on the
// 400 × 200 grid of bench/fp.bench.mjs (10 steps per run call), and 10^4 particles (100 steps per
// call). The old build may use the pre-contract API (vR/vF, positional fpGaussianDensity); both
// are handled. Without --old it prints a note and exits (so `npm run bench` skips it).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as nw from '../dist/index.js';
import { runSuite } from './util.mjs';

const k = process.argv.indexOf('--old');
const oldDir = k > 0 ? process.argv[k + 1] : undefined;
if (!oldDir || !existsSync(resolve(oldDir, 'index.js'))) {
  console.log('fp-ab: pass --old <copy of another build dist/> to compare two builds; skipped');
  process.exit(0);
}
const od = await import(pathToFileURL(resolve(oldDir, 'index.js')).href);
await nw.init();
await od.init();
const NV = 400;
const NW = 200;
const CHUNK = 10;
const dt = 0.01;

/** A solver and a particle network from either build (new or old option names). */
function make(nd) {
  const legacy = !('FP_LIMITS' in nd);
  const g = { vMin: -6, vReset: 1, vThreshold: 2, nv: NV, wMin: -1, wMax: 0, nw: NW };
  const grid = legacy ? { vMin: g.vMin, vR: 1, vF: 2, nv: NV, wMin: -1, wMax: 0, nw: NW } : g;
  const p0 = legacy ? nd.fpGaussianDensity(grid, 1, 0, 0.5) : nd.fpGaussianDensity(grid, { mean: 0, sd: 0.5 });
  const extra = legacy ? {} : { recordEverySteps: CHUNK };
  const learning = { rule: 'hebbian', epsilon: 0.1, nu: 1e-4, K: (w) => (w <= 0 ? -1 : 1) };
  const v = new nd.FokkerPlanckSolver({ grid, a: 1, dt, input: 0.5, initial: p0, ...extra });
  const l = new nd.FokkerPlanckSolver({ grid, a: 1, dt, input: 0.5, initial: p0, learning, ...extra });
  const weights = Float64Array.from({ length: 10_000 }, (_, j) => -j / 10_000);
  const p = legacy
    ? new nd.FpParticleNetwork({ weights, input: 1.2, a: 1, vR: 0, vF: 1, dt: 0.01, seed: 1 })
    : new nd.FpParticleNetwork({ weights, input: 1.2, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 1, trial: 0 });
  const run = legacy ? (s) => s.run(CHUNK * dt, { recordEvery: CHUNK }) : (s) => s.run(CHUNK * dt);
  return { v, l, p, run };
}
const A = make(nw);
const B = make(od);
for (const s of [A, B]) {
  s.run(s.v);
  s.run(s.l);
  s.p.run(1);
}
const cells = NV * NW * CHUNK;
await runSuite(
  `semi-implicit v-step, ${NV} × ${NW}`,
  { new: { units: cells, fn: () => A.run(A.v) }, old: { units: cells, fn: () => B.run(B.v) } },
  'old',
  { minSamples: 10, maxTime: 4 },
);
await runSuite(
  `Hebbian step, ${NV} × ${NW}`,
  { new: { units: cells, fn: () => A.run(A.l) }, old: { units: cells, fn: () => B.run(B.l) } },
  'old',
  { minSamples: 10, maxTime: 4 },
);
await runSuite(
  'particles, 10^4 neurons × 100 steps',
  { new: { units: 1e6, fn: () => A.p.run(1) }, old: { units: 1e6, fn: () => B.p.run(1) } },
  'old',
  { minSamples: 10, maxTime: 4 },
);
