// Escape-noise SRM network: network-steps/s of simulation (spike sampling from the Philox
// stream) + eligibility accumulation, WASM kernel vs the plain-TS reference of the same loops
// (src/srm/reference.ts), measured side by side in one run. Two accumulation methods:
//  - forward: dense eligibility e_ij += s_i φ_j every step (O(n²) per step; the online rule's cost)
//  - backward: scores stored, event-driven backward pass G[:, j] += R at each spike of j
//    (O(n·(1 + spikes)) per step; what SrmNetwork.gradient uses)
// Numbers on a shared 2-core machine are noisy: compare the ratios, not the absolute values.
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const ref = nd.srmReference;
const P = { tau: 10, tauAdapt: 20, eta0: 3, rho0: 0.02, theta: 0, deltaU: 1, dt: 1 };
const results = {};
let sink = 0;

for (const [n, fSteps, bSteps] of [
  [100, 400, 2000],
  [1000, 20, 400],
]) {
  const u = nd.uniforms('bench', 0, n * n, { stream: nd.Streams.init });
  const w = Array.from(u, (x) => (4 / Math.sqrt(n)) * (x - 0.5));
  const net = new nd.SrmNetwork({ n, weights: w, ...P, seed: 1, silence: ['srm.saturation'] });
  const probe = net.sample(bSteps);
  const rateHz = (probe.train.spikes.reduce((a, b) => a + b, 0) / n / bSteps) * 1000;
  const key = nd.seedToKey(1);
  const pr = {
    n,
    kPsp: Math.exp(-P.dt / P.tau),
    kAdapt: Math.exp(-P.dt / P.tauAdapt),
    eta0: P.eta0,
    invDu: 1 / P.deltaU,
    logC: Math.log(P.rho0 * P.dt) - P.theta / P.deltaU,
    form: 0,
    k0: key.k0,
    k1: key.k1,
    stream: nd.Streams.spikes,
  };
  const wT = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) wT[j * n + i] = w[i * n + j];
  const fresh = () => ({ wT, bias: new Float64Array(n), phi: new Float64Array(n), adapt: new Float64Array(n), usyn: new Float64Array(n) });
  const tsForward = () => {
    const b = {
      clamp: null,
      data: null,
      spikes: new Uint8Array(fSteps * n),
      score: null,
      sbuf: new Float64Array(n),
      ll: new Float64Array(n),
      gb: new Float64Array(n),
      elig: new Float64Array(n * n),
      kElig: 1,
    };
    ref.srmRunRef(pr, fresh(), b, fSteps, 0);
    sink += b.elig[7];
  };
  const tsBackward = () => {
    const b = {
      clamp: null,
      data: null,
      spikes: new Uint8Array(bSteps * n),
      score: new Float64Array(bSteps * n),
      sbuf: new Float64Array(n),
      ll: new Float64Array(n),
      gb: new Float64Array(n),
      elig: null,
      kElig: 0,
    };
    ref.srmRunRef(pr, fresh(), b, bSteps, 0);
    const g = new Float64Array(n * n);
    ref.srmBackwardRef(n, bSteps, b.spikes, b.score, pr.kPsp, new Float64Array(n), g);
    sink += g[7];
  };
  // same draws, same result (to rounding): check before timing
  const wb = net.sample(bSteps, { gradient: 'backward' });
  sink += wb.gradient.dW[0];
  const rows = await runSuite(
    `SRM n=${n} (${rateHz.toFixed(1)} Hz): network-steps/s, simulation + eligibility`,
    {
      'wasm forward (dense eligibility)': { units: fSteps, fn: () => (sink += net.sample(fSteps, { gradient: 'forward' }).gradient.dW[7]) },
      'plain TS forward (dense eligibility)': { units: fSteps, fn: tsForward },
      'wasm backward (event-driven)': { units: bSteps, fn: () => (sink += net.sample(bSteps, { gradient: 'backward' }).gradient.dW[7]) },
      'plain TS backward (event-driven)': { units: bSteps, fn: tsBackward },
    },
    'plain TS forward (dense eligibility)',
    { minSamples: 5, maxTime: 2 },
  );
  const r = (a, b) => rows[a].perSecond / rows[b].perSecond;
  results[n] = {
    rateHz,
    stepsPerSecond: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Math.round(v.perSecond)])),
    wasmOverTsForward: r('wasm forward (dense eligibility)', 'plain TS forward (dense eligibility)'),
    wasmOverTsBackward: r('wasm backward (event-driven)', 'plain TS backward (event-driven)'),
  };
  for (const [k, v] of Object.entries(rows))
    console.log(`  ${k.padEnd(40)} ${Math.round(v.perSecond).toString().padStart(9)} network-steps/s`);
  console.log(
    `  ratio WASM/TS: forward ×${results[n].wasmOverTsForward.toFixed(2)}, backward ×${results[n].wasmOverTsBackward.toFixed(2)}`,
  );
  net.dispose();
}
console.log(JSON.stringify({ srm: results, sink: sink !== 0 }));
