// Fokker–Planck (seed 001): cell-updates/s on a 400 × 200 (v × w) grid, measured side by side in
// one benchmark.js suite per configuration:
//   1. the semi-implicit Scharfetter–Gummel v-step alone (eq. (1)): WASM kernel vs the plain TS
//      reference of the same scheme (src/fp/reference.ts), and vs a vectorised NumPy version of the
//      same scheme (bench/peers/fp_numpy.py, Debian /usr/bin/python3);
//   2. the full step with Hebbian learning (eq. (9)): v-step, learning field Φ = N̄·N(w)·K(w) and
//      the explicit Rusanov w-step, WASM vs the plain TS references of both steps.
// Timings on a shared 2-core machine are noisy; compare the ratios, which come from one run.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const NV = 400;
const NW = 200;
const grid = { vMin: -6, vReset: 1, vThreshold: 2, nv: NV, wMin: -1, wMax: 0, nw: NW };
const a = 1;
const dt = 0.01;
const eps = 0.1;
const nu = 1e-4;
const K = (w) => (w <= 0 ? -1 : 1);
const p0 = nd.fpGaussianDensity(grid, { mean: 0, sd: 0.5 });
const CHUNK = 10; // steps per run call, also recordEverySteps: one kernel call per run
const fp = new nd.FokkerPlanckSolver({ grid, a, dt, input: 0.5, initial: p0, recordEverySteps: CHUNK });
const fpL = new nd.FokkerPlanckSolver({
  grid,
  a,
  dt,
  input: 0.5,
  initial: p0,
  learning: { rule: 'hebbian', epsilon: eps, nu, K },
  recordEverySteps: CHUNK,
});
fp.run(0.5); // warm-up (V8 tiers WASM up between calls, not inside one)
fpL.run(0.5);
const g = fp.grid;
const Kw = g.w.map(K);

/** A plain-TS solver state: density, rates and scratch. */
function tsState() {
  const p = p0.slice();
  const rates = new Float64Array(NW);
  for (let k = 0; k < NW; k++) rates[k] = (a * p[k * NV + NV - 1]) / g.h;
  return {
    p,
    rates,
    c: new Float64Array(NW),
    work: nd.fpReferenceWork({ nv: NV, h: g.h, a }),
    workW: nd.fpReferenceWorkW({ nv: NV, nw: NW }),
  };
}
const nbarOf = (rates) => {
  let s = 0;
  for (let k = 0; k < NW; k++) s += rates[k];
  return s * g.dw;
};
const tsStep = (st, learn) => {
  const nbar = nbarOf(st.rates);
  for (let k = 0; k < NW; k++) st.c[k] = 0.5 + g.w[k] * nbar;
  nd.fpReferenceStep(st.p, st.rates, st.c, { grid: g, a, dt, work: st.work });
  if (learn) nd.fpReferenceStepW(st.p, st.rates, Kw, { nbar: nbarOf(st.rates), grid: g, epsilon: eps, nu, dt, work: st.workW });
};
const sV = tsState();
const sL = tsState();
for (let i = 0; i < 50; i++) {
  tsStep(sV, false);
  tsStep(sL, true);
}
const cells = NV * NW;
const W1 = 'wasm (FokkerPlanckSolver, 10 steps/call)';
const T1 = 'plain TS (fpReferenceStep)';
const rowsV = await runSuite(
  `semi-implicit SG v-step, ${NV} × ${NW} cells`,
  {
    [W1]: { units: cells * CHUNK, fn: () => fp.run(CHUNK * dt) },
    [T1]: { units: cells, fn: () => tsStep(sV, false) },
  },
  T1,
  { minSamples: 5, maxTime: 4 },
);
const W2 = 'wasm (hebbian learning, 10 steps/call)';
const T2 = 'plain TS (fpReferenceStep + StepW)';
const rowsL = await runSuite(
  `full step with Hebbian learning (ε = ${eps}, ν = ${nu}), ${NV} × ${NW} cells`,
  {
    [W2]: { units: cells * CHUNK, fn: () => fpL.run(CHUNK * dt) },
    [T2]: { units: cells, fn: () => tsStep(sL, true) },
  },
  T2,
  { minSamples: 5, maxTime: 4 },
);
const py = spawnSync('/usr/bin/python3', ['bench/peers/fp_numpy.py', String(NV), String(NW), '20'], { encoding: 'utf8' });
let numpy = null;
if (py.status === 0) numpy = JSON.parse(py.stdout.trim().split('\n').pop());
else console.log('numpy peer failed:', py.stderr);
// Native ceiling (bench/peers/fp_native.c): the same recurrences in C, built here when gcc exists.
// Not a peer: it tells how far this machine can take the loop with the instruction set WASM SIMD
// has (2 lanes, no fused multiply-add) and with the one it lacks (AVX2 4 lanes + FMA).
function nativeCeiling() {
  const run = (flags, nch) => {
    const bin = join(tmpdir(), `neurodyn-fp-native-${nch}-${flags.length}`);
    const cc = spawnSync('gcc', ['-O3', '-march=native', ...flags, `-DNCH=${nch}`, '-o', bin, 'bench/peers/fp_native.c', '-lm']);
    if (cc.status !== 0) return null;
    const r = spawnSync(bin, ['100'], { encoding: 'utf8' });
    return r.status === 0 ? JSON.parse(r.stdout.trim()) : null;
  };
  const two = run(['-ffp-contract=off'], 2);
  const four = run(['-ffp-contract=off'], 4);
  const fourFma = run([], 4); // GCC contracts a·b + c into FMA by default
  if (!two || !four || !fourFma) return null;
  return {
    scalar: two.scalar,
    sse2TwoChains: two.sse2,
    sse2FourChains: four.sse2,
    minorsTwoChains: two.minors,
    sse2FourChainsFma: fourFma.sse2,
    avx2Fma: four.avx2,
  };
}
const native = nativeCeiling();
const wasm = rowsV[W1].perSecond;
const ts = rowsV[T1].perSecond;
if (native) {
  const m = (x) => `${(x / 1e6).toFixed(1).padStart(9)} M/s`;
  console.log('  native C ceiling, same recurrences (bench/peers/fp_native.c, gcc -O3 -march=native):');
  console.log(`    scalar, no FMA                                   ${m(native.scalar)}`);
  console.log(`    f64x2, no FMA (WASM SIMD's instructions), 2 chains ${m(native.sse2TwoChains)}`);
  console.log(`    same, 4 chains (the WASM kernel's layout)        ${m(native.sse2FourChains)}`);
  console.log(`    same, 2 chains, minors form                      ${m(native.minorsTwoChains)}`);
  console.log(`    f64x2 with FMA, 4 chains (not in WASM)           ${m(native.sse2FourChainsFma)}`);
  console.log(`    AVX2 4 lanes + FMA, 2 chains (not in WASM)       ${m(native.avx2Fma)}`);
}
if (numpy) console.log(`  numpy v-step (bench/peers/fp_numpy.py)   ${(numpy.cellUpdatesPerSecond / 1e6).toFixed(2).padStart(9)} M/s`);
console.log(
  JSON.stringify({
    grid: [NV, NW],
    cellUpdatesPerSecond: {
      wasm: Math.round(wasm),
      ts: Math.round(ts),
      numpy: numpy ? Math.round(numpy.cellUpdatesPerSecond) : null,
      wasmLearning: Math.round(rowsL[W2].perSecond),
      tsLearning: Math.round(rowsL[T2].perSecond),
    },
    ratios: {
      wasmOverTs: wasm / ts,
      wasmOverNumpy: numpy ? wasm / numpy.cellUpdatesPerSecond : null,
      wasmOverTsLearning: rowsL[W2].perSecond / rowsL[T2].perSecond,
      wasmOverNativeSse2: native ? wasm / native.sse2FourChains : null,
    },
    nativeCeiling: native,
    massAfter: [fp.mass(), fpL.mass()],
  }),
);
fp.dispose();
fpL.dispose();
