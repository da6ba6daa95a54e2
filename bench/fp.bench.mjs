// Fokker–Planck (seed 001): cell-updates/s of the semi-implicit Scharfetter–Gummel v-step on a
// 400 × 200 (v × w) grid — WASM kernel vs the plain TS reference of the same scheme (measured
// side by side in one benchmark.js suite), and vs a vectorised NumPy version of the same scheme
// (bench/peers/fp_numpy.py, Debian /usr/bin/python3). Timings on a shared 2-core machine are noisy.
import { spawnSync } from 'node:child_process';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const NV = 400;
const NW = 200;
const grid = { vMin: -6, vR: 1, vF: 2, nv: NV, wMin: -1, wMax: 0, nw: NW };
const a = 1;
const dt = 0.01;
const p0 = nd.fpGaussianDensity(grid, 1, 0, 0.5);
const fp = new nd.FokkerPlanckSolver({ grid, a, dt, input: 0.5, initial: p0 });
fp.run(0.5); // warm-up
const g = fp.grid;
const p = p0.slice();
const rates = new Float64Array(NW).fill(0.1);
const work = nd.fpReferenceWork(NV, g.h, a);
const c = new Float64Array(NW);
const tsStep = () => {
  let nbar = 0;
  for (let k = 0; k < NW; k++) nbar += rates[k] * g.dw;
  for (let k = 0; k < NW; k++) c[k] = 0.5 + g.w[k] * nbar;
  nd.fpReferenceStep(p, rates, c, g, a, dt, work);
};
tsStep();
const CHUNK = 10;
const rows = await runSuite(
  `semi-implicit SG step, ${NV} × ${NW} cells`,
  {
    'wasm (FokkerPlanckSolver, 10 steps/call)': { units: NV * NW * CHUNK, fn: () => fp.run(CHUNK * dt, { recordEvery: CHUNK }) },
    'plain TS (fpReferenceStep)': { units: NV * NW, fn: tsStep },
  },
  'plain TS (fpReferenceStep)',
  { minSamples: 5, maxTime: 4 },
);
const py = spawnSync('/usr/bin/python3', ['bench/peers/fp_numpy.py', String(NV), String(NW), '20'], { encoding: 'utf8' });
let numpy = null;
if (py.status === 0) numpy = JSON.parse(py.stdout.trim().split('\n').pop());
else console.log('numpy peer failed:', py.stderr);
const wasm = rows['wasm (FokkerPlanckSolver, 10 steps/call)'].perSecond;
const ts = rows['plain TS (fpReferenceStep)'].perSecond;
if (numpy) console.log(`  numpy (bench/peers/fp_numpy.py)          ${(numpy.cellUpdatesPerSecond / 1e6).toFixed(2).padStart(9)} M/s`);
console.log(
  JSON.stringify({
    grid: [NV, NW],
    cellUpdatesPerSecond: { wasm: Math.round(wasm), ts: Math.round(ts), numpy: numpy ? Math.round(numpy.cellUpdatesPerSecond) : null },
    ratios: { wasmOverTs: wasm / ts, wasmOverNumpy: numpy ? wasm / numpy.cellUpdatesPerSecond : null },
    massAfter: fp.mass(),
  }),
);
fp.dispose();
