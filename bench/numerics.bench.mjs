// numerics bench (noisy on a shared machine: read ratios, not absolutes). Every analysis runs the
// LIF engine (LifNetwork); what the numerics module adds is the noise window shared by the
// networks of a coupled study and the tangent pass. Measured in ONE run:
// (a) coupled paths, 3 × 20 feedforward network, the 5 runs of one scheme (h = 0.4 … 0.05 ms and
//     h_ref = 0.00625 ms, 200 ms): one noise window for all (normals drawn once) vs every network
//     drawing its own normals (fine normals per second of the fine grid, both bit-identical);
// (b) the tangent pass: 1000 uncoupled neurons, K = 20 tangent vectors, vs the same network
//     without tangents (neuron-steps/s);
// (c) a standard convergence study (3 × 20 neurons, T = 200 ms, dts = 0.4 … 0.05 ms,
//     h_ref = h_min/8, the three Euler–Maruyama rules): trials/s on 0 (inline), 1 and 2 workers.
// A/B against another build: bench/numerics-ab.bench.mjs.
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const spec = nd.feedforwardNetwork({ sizes: [20, 20, 20] });
const N = 60;
const REF = 0.00625;
const RATIOS = [1, 8, 16, 32, 64];
const FINE = Math.round(200 / REF);
let sink = 0;
let trial = 0;
function coupled(window) {
  const w = window ? new nd.LifNoiseWindow({ neurons: N, capacitySteps: 4096, seed: 'bench', trial }) : null;
  const nets = RATIOS.map((r) => {
    const net = nd.buildLifNetwork(spec, { dt: r * REF, spikeRule: 'linear', seed: 'bench', trial, fineSteps: r });
    if (w) net.useNoiseWindow(w);
    return [net, r];
  });
  for (let t0 = 0; t0 < FINE; t0 += 4096) {
    const s = Math.min(4096, FINE - t0);
    w?.fill({ start: t0, steps: s });
    for (const [net, r] of nets) net.run((s / r) * r * REF);
  }
  for (const [net] of nets) {
    sink += net.spikeCount;
    net.dispose();
  }
  w?.dispose();
  trial++;
}
const rowsCoupled = await runSuite(
  'coupled paths, 3 × 20 neurons, 5 step sizes on one path (fine normals of the path per second)',
  {
    'noise window (drawn once)': { units: N * FINE, fn: () => coupled(true) },
    'own draws (each network)': { units: N * FINE, fn: () => coupled(false) },
  },
  'own draws (each network)',
  { minSamples: 5, maxTime: 2 },
);

const NT = 1000;
const mk = (K) => {
  const net = new nd.LifNetwork({ dt: 0.05, seed: 1 });
  net.addPopulation('p', NT, { mu: 0.05, sigma: 0.02, v0: { uniform: [0, 1] } });
  const tan = K ? net.addTangents({ count: K }) : null;
  net.run(10);
  return { net, tan };
};
const plain = mk(0);
const withTan = mk(20);
const rowsTangent = await runSuite(
  `tangent pass, ${NT} uncoupled neurons, 100 steps per call`,
  {
    'no tangents': { units: NT * 100, fn: () => (sink += plain.net.run(5)) },
    'K = 20 tangent vectors': {
      units: NT * 100,
      fn: () => {
        sink += withTan.net.run(5);
        withTan.tan.orthonormalise();
      },
    },
  },
  'no tangents',
  { minSamples: 5, maxTime: 2 },
);
plain.net.dispose();
withTan.net.dispose();

const study = {
  network: spec,
  duration: 200,
  dts: [0.4, 0.2, 0.1, 0.05],
  seed: 'bench',
  schemes: ['grid', 'linear', 'hermite'].map((spikeRule) => ({ integrator: 'euler-maruyama', spikeRule })),
};
const trialsPerSecond = {};
for (const workers of [0, 1, 2]) {
  const pool = await nd.WorkerPool.create({ workers });
  await nd.convergenceStudy({ ...study, trials: Math.max(1, workers), pool }); // warm-up
  const trials = 12;
  const t0 = performance.now();
  await nd.convergenceStudy({ ...study, trials, pool });
  trialsPerSecond[workers] = trials / ((performance.now() - t0) / 1000);
  pool.close();
  console.log(`  convergence study, ${workers} worker(s): ${trialsPerSecond[workers].toFixed(2)} trials/s`);
}
console.log(
  JSON.stringify({
    finePathNormalsPerSecond: Object.fromEntries(Object.entries(rowsCoupled).map(([k, v]) => [k, Math.round(v.perSecond)])),
    tangentNeuronStepsPerSecond: Object.fromEntries(Object.entries(rowsTangent).map(([k, v]) => [k, Math.round(v.perSecond)])),
    trialsPerSecond,
    speedup2vs1: trialsPerSecond[2] / trialsPerSecond[1],
    sink: sink > 0,
  }),
);
