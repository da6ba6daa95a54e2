// LIF engine throughput, measured in ONE run:
//  (a) uncoupled noisy LIF (seed units, S1 parameters: g_L 0.05/ms, τ_s 5 ms, μ 0.055, σ 0.02,
//      h 0.1 ms, ≈ 20 Hz), 10^4 and 10^6 neurons: neuron-steps/s of the WASM kernel
//      (LifNetwork, Euler–Maruyama + linear rule, and exact + linear) vs the plain TypeScript
//      implementation of the same loop (src/lif/reference.ts: same RNG, same arithmetic);
//  (b) CUBA (Brian2 example), 1 s at dt = 0.1 ms: wall time of run(1000) (build excluded), median
//      of 5 fresh networks after a warm-up;
//  (c) kernel memory per neuron and per synapse;
//  (d) heterogeneous population (every per-neuron parameter varying), 10^4 neurons: the SIMD path
//      vs the general scalar path (fastPath: false) vs the homogeneous SIMD path, EM and exact, and
//      the plain TS loop with per-neuron parameters (lifReferenceRun with arrays, EM + linear).
//      `node bench/lif.bench.mjs --het` runs (d) only; `--het-n=1000000` sets its N (and prints
//      the build time of the heterogeneous networks).
// The machine is shared: numbers are noisy (see docs/lif.md). Last line: JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as nd from '../dist/index.js';
import { runSuite } from './util.mjs';

await nd.init();
const S1 = { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 };
const h = 0.1;
let sink = 0;
const out = { noisy: {}, cuba: {}, memory: {}, heterogeneous: {} };
const hetOnly = process.argv.includes('--het');

for (const [N, steps, tsSteps] of hetOnly
  ? []
  : [
      [10_000, 100, 10],
      [1_000_000, 10, 1],
    ]) {
  const nets = {};
  for (const integrator of ['euler-maruyama', 'exact']) {
    const net = new nd.LifNetwork({ dt: h, integrator, spikeRule: 'linear', seed: 1 });
    net.addPopulation('p', N, { tauMem: S1.tauMem, mu: S1.mu, sigma: S1.sigma, v0: { uniform: [0, 1] } });
    net.run(h * 20); // warm-up: V8 tiers WASM up between calls, not within one
    nets[integrator] = net;
  }
  const v = Float64Array.from({ length: N }, (_, k) => (k % 997) / 997);
  const i = new Float64Array(N).fill(S1.mu);
  let tsStep = 0;
  const rows = await runSuite(
    `uncoupled noisy LIF, N = ${N} (neuron-steps/s)`,
    {
      'wasm euler-maruyama + linear': { units: N * steps, fn: () => (sink += nets['euler-maruyama'].run(h * steps)) },
      'wasm exact + linear': { units: N * steps, fn: () => (sink += nets.exact.run(h * steps)) },
      'plain TS euler-maruyama + linear': {
        units: N * tsSteps,
        fn: () => {
          sink += nd.lifReferenceRun({ v, i }, S1, { dt: h, duration: h * tsSteps, startStep: tsStep, seed: 1 });
          tsStep += tsSteps;
        },
      },
    },
    'plain TS euler-maruyama + linear',
    { minSamples: 5, maxTime: N > 1e5 ? 4 : 3 },
  );
  out.noisy[N] = Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, Math.round(r.perSecond)]));
  out.noisy[N].ratioWasmEmVsTs = rows['wasm euler-maruyama + linear'].perSecond / rows['plain TS euler-maruyama + linear'].perSecond;
  const rate = nets['euler-maruyama'].spikeCount / N / (nets['euler-maruyama'].time / 1000);
  out.noisy[N].rateHz = rate;
  out.memory[`noisy${N}`] = nets['euler-maruyama'].memory();
  for (const n of Object.values(nets)) n.dispose();
}

// (b) CUBA
if (!hetOnly) {
  const warm = nd.createLifCuba({ seed: 99 });
  warm.run(200);
  warm.dispose();
  const times = [];
  const rates = [];
  let mem;
  for (let s = 1; s <= 5; s++) {
    const net = nd.createLifCuba({ seed: s });
    net.build();
    const t0 = performance.now();
    net.run(1000);
    times.push((performance.now() - t0) / 1000);
    rates.push(net.spikeCount / 4000);
    mem = net.memory();
    net.dispose();
  }
  const sorted = [...times].sort((a, b) => a - b);
  out.cuba = { wallSeconds: sorted[2], minSeconds: sorted[0], maxSeconds: sorted[4], rateHz: rates };
  out.memory.cuba = mem;
  console.log(
    `\nCUBA 4000 neurons, 1 s at dt 0.1 ms: median ${sorted[2].toFixed(3)} s (min ${sorted[0].toFixed(3)}, max ${sorted[4].toFixed(3)}), rates ${rates.map((r) => r.toFixed(2)).join(' ')} Hz`,
  );
  console.log(
    `memory: ${mem.stateBytesPerNeuron} B/neuron state, ${mem.synapseBytesPerSynapse.toFixed(2)} B/synapse (${mem.synapses} synapses)`,
  );
}
// (d) heterogeneous population: S1 parameters spread by ±10–20 % per neuron (golden-ratio sequence).
{
  const nArg = process.argv.find((a) => a.startsWith('--het-n='));
  const N = nArg ? Number(nArg.slice(8)) : 10_000;
  const steps = N > 1e5 ? 10 : 50;
  const spread = (k, lo, hi) => lo + (hi - lo) * ((k * 0.6180339887498949) % 1);
  const het = {
    tauMem: Float64Array.from({ length: N }, (_, k) => spread(k, 16, 24)),
    vLeak: Float64Array.from({ length: N }, (_, k) => spread(k + 7, -0.05, 0.05)),
    vThreshold: Float64Array.from({ length: N }, (_, k) => spread(k + 1, 0.9, 1.1)),
    vReset: Float64Array.from({ length: N }, (_, k) => spread(k + 2, -0.1, 0.1)),
    tauSyn: Float64Array.from({ length: N }, (_, k) => spread(k + 3, 4, 6)),
    mu: Float64Array.from({ length: N }, (_, k) => spread(k + 4, 0.05, 0.06)),
    sigma: Float64Array.from({ length: N }, (_, k) => spread(k + 5, 0.015, 0.025)),
  };
  const homo = { tauMem: S1.tauMem, mu: S1.mu, sigma: S1.sigma };
  const make = (integrator, params, fastPath) => {
    const t0 = performance.now();
    const net = new nd.LifNetwork({ dt: h, integrator, spikeRule: 'linear', seed: 1, fastPath });
    net.addPopulation('p', N, { ...params, v0: { uniform: [0, 1] } });
    net.build();
    if (params === het && fastPath)
      console.log(`build of ${N} heterogeneous neurons (${integrator}): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    net.run(h * 20); // warm-up
    return net;
  };
  const cases = {};
  const nets = [];
  for (const integrator of ['euler-maruyama', 'exact']) {
    const tag = integrator === 'exact' ? 'exact' : 'EM';
    for (const [name, params, fast] of [
      [`wasm SIMD homogeneous ${tag}`, homo, true],
      [`wasm SIMD heterogeneous ${tag}`, het, true],
      [`wasm general heterogeneous ${tag}`, het, false],
    ]) {
      const net = make(integrator, params, fast);
      nets.push([name, net]);
      cases[name] = { units: N * steps, fn: () => (sink += net.run(h * steps)) };
    }
  }
  const hetRef = { ...het };
  const v = Float64Array.from({ length: N }, (_, k) => (k % 997) / 997);
  const i = het.mu.slice();
  const tsSteps = 5;
  let tsStep = 0;
  cases['plain TS heterogeneous EM'] = {
    units: N * tsSteps,
    fn: () => {
      sink += nd.lifReferenceRun({ v, i }, hetRef, { dt: h, duration: h * tsSteps, startStep: tsStep, seed: 1 });
      tsStep += tsSteps;
    },
  };
  const rows = await runSuite(`heterogeneous noisy LIF, N = ${N}, linear rule (neuron-steps/s)`, cases, 'wasm general heterogeneous EM', {
    minSamples: 5,
    maxTime: 1.5,
  });
  out.heterogeneous = Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, Math.round(r.perSecond)]));
  const ps = (k) => rows[k].perSecond;
  out.heterogeneous.ratioSimdVsGeneralEm = ps('wasm SIMD heterogeneous EM') / ps('wasm general heterogeneous EM');
  out.heterogeneous.ratioSimdVsGeneralExact = ps('wasm SIMD heterogeneous exact') / ps('wasm general heterogeneous exact');
  out.heterogeneous.ratioSimdVsTsEm = ps('wasm SIMD heterogeneous EM') / ps('plain TS heterogeneous EM');
  out.heterogeneous.ratioHetVsHomoEm = ps('wasm SIMD heterogeneous EM') / ps('wasm SIMD homogeneous EM');
  for (const [name, net] of nets) {
    if (name.includes('SIMD heterogeneous')) out.memory[name] = net.memory();
    net.dispose();
  }
  // Shared noise and fineSteps > 1 (coupling hook), heterogeneous, SIMD vs general path.
  const cases2 = {};
  const nets2 = [];
  for (const [tag, integrator, F, shared] of [
    ['EM, sharedNoise 0.2', 'euler-maruyama', 1, 0.2],
    ['exact, fineSteps 4', 'exact', 4, 0],
  ]) {
    for (const fast of [true, false]) {
      const net = new nd.LifNetwork({ dt: h, integrator, spikeRule: 'linear', seed: 1, fastPath: fast, noise: { fineSteps: F } });
      net.addPopulation('p', N, { ...het, sharedNoise: shared, v0: { uniform: [0, 1] } });
      net.run(h * 10);
      nets2.push(net);
      const s2 = 20;
      cases2[`wasm ${fast ? 'SIMD' : 'general'} het ${tag}`] = { units: N * s2 * F, fn: () => (sink += net.run(h * s2)) };
    }
  }
  const rows2 = await runSuite(
    `heterogeneous noisy LIF, N = ${N}: shared noise, fineSteps (fine neuron-steps/s)`,
    cases2,
    'wasm general het EM, sharedNoise 0.2',
    { minSamples: 5, maxTime: 1 },
  );
  for (const [k, r] of Object.entries(rows2)) out.heterogeneous[k] = Math.round(r.perSecond);
  for (const n of nets2) n.dispose();
  const m = out.memory['wasm SIMD heterogeneous EM'];
  console.log(`heterogeneous memory: ${m.stateBytesPerNeuron} B/neuron state, ${m.paramBytes / N} B/neuron parameters (EM)`);
}

mkdirSync('out/lif', { recursive: true });
writeFileSync('out/lif/bench.json', JSON.stringify(out, null, 1));
console.log(JSON.stringify({ ...out, sink: sink !== 0 }));
