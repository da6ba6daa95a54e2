// Escape-noise SRM network: network-steps/s of simulation (spike sampling from the Philox
// stream) + eligibility accumulation, WASM kernel vs the plain-TS reference of the same loops
// (src/srm/reference.ts), measured side by side in one run. Two accumulation methods:
//  - forward: dense eligibility e_ij += s_i φ_j every step (O(n²) per step; the online rule's cost)
//  - backward: scores stored, event-driven backward pass G[:, j] += R at each spike of j
//    (O(n·(1 + spikes)) per step; what SrmNetwork.gradient uses)
// Numbers on a shared 2-core machine are noisy: compare the ratios, not the absolute values.
import { spawnSync } from 'node:child_process';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const ref = nd.srmReference;
const P = { tauMem: 10, tauAdapt: 20, eta0: 3, rho0: 20, vThreshold: 0, deltaU: 1, dt: 1 };
const results = {};
let sink = 0;

for (const [n, fSteps, bSteps] of [
  [100, 400, 2000],
  [1000, 20, 2000],
]) {
  const u = nd.uniforms('bench', 0, n * n, { stream: nd.Streams.init });
  const w = Array.from(u, (x) => (4 / Math.sqrt(n)) * (x - 0.5));
  const net = new nd.SrmNetwork({ n, weights: w, ...P, seed: 1, silence: ['srm.saturation'] });
  const probe = net.sample(bSteps);
  const rateHz = (probe.train.spikes.reduce((a, b) => a + b, 0) / n / bSteps) * 1000;
  const key = nd.seedToKey(1);
  const pr = {
    n,
    kPsp: Math.exp(-P.dt / P.tauMem),
    kAdapt: Math.exp(-P.dt / P.tauAdapt),
    eta0: P.eta0,
    invDu: 1 / P.deltaU,
    logC: Math.log((P.rho0 / 1000) * P.dt) - P.vThreshold / P.deltaU,
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
  // Second measurement in CPU time (process.cpuUsage), interleaved, median of 7: on a loaded
  // machine it is far less inflated by waiting for a core than benchmark.js's wall time.
  const cases = {
    'wasm forward': [fSteps, () => (sink += net.sample(fSteps, { gradient: 'forward' }).gradient.dW[7])],
    'TS forward': [fSteps, tsForward],
    'wasm backward': [bSteps, () => (sink += net.sample(bSteps, { gradient: 'backward' }).gradient.dW[7])],
    'TS backward': [bSteps, tsBackward],
  };
  const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let rep = 0; rep < 7; rep++) {
    for (const [k, [units, fn]] of Object.entries(cases)) {
      const c0 = process.cpuUsage();
      fn();
      const d = process.cpuUsage(c0);
      cpu[k].push(units / ((d.user + d.system) / 1e6));
    }
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  const cpuRate = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, med(v)]));
  for (const [k, v] of Object.entries(cpuRate))
    console.log(`  cpu-time: ${k.padEnd(30)} ${Math.round(v).toString().padStart(9)} network-steps/s`);
  console.log(
    `  cpu-time ratio WASM/TS: forward ×${(cpuRate['wasm forward'] / cpuRate['TS forward']).toFixed(2)}, backward ×${(cpuRate['wasm backward'] / cpuRate['TS backward']).toFixed(2)}`,
  );
  const r = (a, b) => rows[a].perSecond / rows[b].perSecond;
  results[n] = {
    rateHz,
    stepsPerSecond: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Math.round(v.perSecond)])),
    wasmOverTsForward: r('wasm forward (dense eligibility)', 'plain TS forward (dense eligibility)'),
    wasmOverTsBackward: r('wasm backward (event-driven)', 'plain TS backward (event-driven)'),
    cpuTimeStepsPerSecond: Object.fromEntries(Object.entries(cpuRate).map(([k, v]) => [k, Math.round(v)])),
  };
  for (const [k, v] of Object.entries(rows))
    console.log(`  ${k.padEnd(40)} ${Math.round(v.perSecond).toString().padStart(9)} network-steps/s`);
  console.log(
    `  ratio WASM/TS: forward ×${results[n].wasmOverTsForward.toFixed(2)}, backward ×${results[n].wasmOverTsBackward.toFixed(2)}`,
  );
  // Peer: NumPy (bench/peers/srm_numpy.py) evaluates the exact log-likelihood and gradient of the
  // same clamped train from the equations; we compare values and report its speed (the Python
  // loop over steps with vector ops per step, dense eligibility).
  const pSteps = n === 100 ? 2000 : 200;
  const pt = net.sample(pSteps).train;
  const peer = spawnSync('/usr/bin/python3', ['bench/peers/srm_numpy.py'], {
    input: JSON.stringify({ n, steps: pSteps, ...P, weights: w, bias: new Array(n).fill(0), spikes: Array.from(pt.spikes) }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (peer.status === 0) {
    const pj = JSON.parse(peer.stdout);
    const ours = net.gradient(pt);
    let rel = 0;
    let scale = 0;
    for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(ours.dW[k]));
    for (let k = 0; k < n * n; k++) rel = Math.max(rel, Math.abs(ours.dW[k] - pj.dW[k]) / scale);
    const c0 = process.cpuUsage();
    net.gradient(pt, { method: 'forward' });
    const d = process.cpuUsage(c0);
    results[n].numpy = {
      stepsPerSecond: Math.round(pj.stepsPerSecond),
      wasmForwardGradientStepsPerSecond: Math.round(pSteps / ((d.user + d.system) / 1e6)),
      logLikRelDiff: Math.abs(pj.logLik / ours.logLik - 1),
      gradMaxDiffOverMax: rel,
    };
    console.log(
      `  peer numpy (dense gradient of a clamped train): ${results[n].numpy.stepsPerSecond} steps/s vs wasm ${results[n].numpy.wasmForwardGradientStepsPerSecond}; |Δ log p|/|log p| = ${results[n].numpy.logLikRelDiff.toExponential(1)}, max |ΔG|/max|G| = ${rel.toExponential(1)}`,
    );
  } else console.log(`  peer numpy failed: ${peer.stderr.slice(0, 300)}`);
  net.dispose();
}
console.log(JSON.stringify({ srm: results, sink: sink !== 0 }));
