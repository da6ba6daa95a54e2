// numerics bench (noisy on a shared machine: read ratios, not absolutes).
// (a) Lab kernel step loop, neuron-steps/s: WASM kernel vs the plain-TS reference of the same loop
//     (both fed by the kernel RNG, so the ratio is the step arithmetic + per-call overhead), one run.
// (b) A standard convergence study (3 × 20 neurons, T = 200 ms, hs = 0.4 … 0.05 ms, h_ref = h_min/8,
//     the three Euler–Maruyama rules): trials/s on 1 and 2 workers.
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const N = 1000;
const STEPS = 100;
const net = nd.resolveLabNetwork({ n: N, mu: 0.05, sigma: 0.02 });
const sim = new nd.LifLabSimulation(net, { h: 0.05, seed: 1, chunk: STEPS });
const key = nd.seedToKey(1);
const s0 = sim.state;
const run = { V: s0.V, I: s0.I, spikes: [] };
let tsStep = 0;
const z = new Float64Array(N * STEPS);
const rows = await runSuite(
  `lab LIF step loop (EM/linear), ${N} neurons × ${STEPS} steps per call, RNG included`,
  {
    'wasm numLifRun': { units: N * STEPS, fn: () => sim.advance(STEPS) },
    'plain TS labRunReference': {
      units: N * STEPS,
      fn: () => {
        for (let s = 0; s < STEPS; s++) z.set(nd.normals(key, tsStep + s, N, { stream: nd.Streams.noise }), s * N);
        labRun();
      },
    },
  },
  'plain TS labRunReference',
  { maxTime: 2 },
);
function labRun() {
  nd.labRunReference(net, { h: 0.05, hFine: 0.05, integrator: 'euler-maruyama', rule: 'linear' }, run, z, STEPS, tsStep);
  tsStep += STEPS;
  run.spikes.length = 0;
}
// Same loop without the RNG: both sides read one fixed window of fine normals.
const sim2 = new nd.LifLabSimulation(net, { h: 0.05, seed: 1, chunk: STEPS });
const noise = new nd.CoupledNoise(key, N, STEPS);
noise.fill(0, STEPS);
const zFixed = new Float64Array(N * STEPS);
for (let s = 0; s < STEPS; s++) zFixed.set(nd.normals(key, s, N, { stream: nd.Streams.noise }), s * N);
const run2 = { V: sim2.state.V, I: sim2.state.I, spikes: [] };
const rowsNoRng = await runSuite(
  `same loop without RNG (fixed window of normals), ${N} neurons × ${STEPS} steps per call`,
  {
    'wasm numLifRun': {
      units: N * STEPS,
      fn: () => {
        sim2.step = 0; // replay the same window (bench only)
        sim2.advance(STEPS, noise);
      },
    },
    'plain TS labRunReference': {
      units: N * STEPS,
      fn: () => {
        nd.labRunReference(net, { h: 0.05, hFine: 0.05, integrator: 'euler-maruyama', rule: 'linear' }, run2, zFixed, STEPS, 0);
        run2.spikes.length = 0;
      },
    },
  },
  'plain TS labRunReference',
  { maxTime: 2 },
);
// Fine-normal fill alone: the shared scalar fillNormalSteps vs the lab's SIMD Philox fill
// (numFillNormalSteps, bit-identical output).
const fillBuf = new nd.CoupledNoise(key, N, STEPS);
let tFill = 0;
const rowsFill = await runSuite(
  `fine-normal fill, ${N} neurons × ${STEPS} steps per call`,
  {
    'SIMD numFillNormalSteps': { units: N * STEPS, fn: () => fillBuf.fill((tFill += STEPS), STEPS) },
    'scalar fillNormalSteps': { units: N * STEPS, fn: () => fillBuf.fillScalar((tFill += STEPS), STEPS) },
  },
  'scalar fillNormalSteps',
  { maxTime: 2 },
);
fillBuf.dispose();
sim.dispose();
sim2.dispose();
noise.dispose();

const study = {
  network: nd.feedforwardLabNetwork({ sizes: [20, 20, 20] }),
  T: 200,
  hs: [0.4, 0.2, 0.1, 0.05],
  seed: 'bench',
  schemes: ['grid', 'linear', 'hermite'].map((rule) => ({ integrator: 'euler-maruyama', rule })),
};
const trialsPerSecond = {};
for (const workers of [1, 2]) {
  const pool = await nd.WorkerPool.create({ workers });
  await nd.convergenceStudy({ ...study, trials: workers, pool }); // warm-up
  const trials = 12;
  const t0 = performance.now();
  await nd.convergenceStudy({ ...study, trials, pool });
  trialsPerSecond[workers] = trials / ((performance.now() - t0) / 1000);
  pool.close();
  console.log(`  convergence study, ${workers} worker(s): ${trialsPerSecond[workers].toFixed(2)} trials/s`);
}
console.log(
  JSON.stringify({
    neuronStepsPerSecond: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Math.round(v.perSecond)])),
    normalsPerSecondFill: Object.fromEntries(Object.entries(rowsFill).map(([k, v]) => [k, Math.round(v.perSecond)])),
    neuronStepsPerSecondNoRng: Object.fromEntries(Object.entries(rowsNoRng).map(([k, v]) => [k, Math.round(v.perSecond)])),
    trialsPerSecond,
    speedup2vs1: trialsPerSecond[2] / trialsPerSecond[1],
  }),
);
