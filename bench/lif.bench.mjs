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
//  (e) the native ceiling beside (a) (bench/peers/lif_native.c, built with gcc when present): the
//      same noisy step in C on the same random numbers, scalar / SSE2 (f64x2) / AVX2 (f64x4), each
//      built with -march=native without FMA (-ffp-contract=off: the kernel's bits) and with it, and
//      scalar / SSE2 with plain -O3 (x86-64 baseline, no FMA); neuron-steps/s (median
//      of 5 timed runs of 10^7 neuron-steps) and the ratio WASM EM / native, from the same run; and
//      the bit-identity check: spike count and final V, I of a fresh network (N = 10^4, 1000 steps
//      from V = (q mod 997)/997, I = μ) against every native variant.
// The machine is shared: numbers are noisy (see docs/lif.md). Last line: JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as nd from '../dist/index.js';
import {
  bitDiff,
  buildLifNative,
  gccMissing,
  LIF_NATIVE_BUILDS,
  LIF_NATIVE_UNFUSED,
  lifNativeV0,
  removeLifNative,
  runLifNative,
} from './lif-native.mjs';
import { runSuite } from './util.mjs';

await nd.init();
const S1 = { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 };
const h = 0.1;
let sink = 0;
const out = { noisy: {}, cuba: {}, memory: {}, heterogeneous: {} };
const hetOnly = process.argv.includes('--het');
let gccWhy = hetOnly ? 'not run with --het' : gccMissing();
let nativeBins = null;
if (!gccWhy) {
  try {
    nativeBins = Object.fromEntries(Object.keys(LIF_NATIVE_BUILDS).map((b) => [b, buildLifNative(b)]));
  } catch (e) {
    gccWhy = e.message;
  }
}
if (gccWhy && !hetOnly) console.log(`native ceiling skipped: ${gccWhy}`);
const nativeKey = nd.keyOfSeed({ seed: 1 });
const nativeParams = { h, ...S1, vLeak: 0, vThreshold: 1, vReset: 0 };
const nativeTag = { nofma: 'no FMA', fma: 'FMA', base: '-O3 x86-64 baseline' };

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
  if (nativeBins) {
    // (e) native ceiling: 5 repetitions, each a timed WASM run of 10^7 neuron-steps (the EM
    // network above, continuing, after one untimed run of the same length) back to back with one
    // timed run of every native variant (each also after an untimed run); the
    // ratios are medians of the per-repetition ratios (the machine is shared: its load drifts).
    const steps = Math.max(1, Math.round(1e7 / N));
    const em = nets['euler-maruyama'];
    const wasmRuns = [];
    const nativeRuns = {};
    const ratioRuns = {};
    const load0 = loadavg()[0];
    for (let rep = 0; rep < 5; rep++) {
      sink += em.run(h * steps); // warm caches after the previous native process, as the C program's check run does
      const t0 = performance.now();
      sink += em.run(h * steps);
      const wasm = (N * steps) / ((performance.now() - t0) / 1000);
      wasmRuns.push(wasm);
      for (const b of Object.keys(nativeBins)) {
        const r = runLifNative(nativeBins[b], { N, steps, reps: 1, key: nativeKey, ...nativeParams });
        for (const v of r.variants) {
          const name = `${v} ${nativeTag[b]}`;
          (nativeRuns[name] ??= []).push(r[v].neuronStepsPerSecond);
          (ratioRuns[name] ??= []).push(wasm / r[v].neuronStepsPerSecond);
        }
      }
    }
    const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
    const native = Object.fromEntries(Object.entries(nativeRuns).map(([k, a]) => [k, Math.round(median(a))]));
    const ratio = Object.fromEntries(Object.entries(ratioRuns).map(([k, a]) => [k, median(a)]));
    const m = (x) => `${(x / 1e6).toFixed(2).padStart(9)} M/s`;
    console.log(
      `  native ceiling (bench/peers/lif_native.c; gcc -O3 -march=native unless noted), ${steps} steps × ${N}, median of 5 back-to-back runs, load ${load0.toFixed(2)}-${loadavg()[0].toFixed(2)}:`,
    );
    console.log(`    wasm euler-maruyama + linear (these runs) ${m(median(wasmRuns))}`);
    for (const k of Object.keys(native)) console.log(`    native ${k.padEnd(30)} ${m(native[k])}  wasm / native ×${ratio[k].toFixed(2)}`);
    out.noisy[N].wasmEmBackToBack = Math.round(median(wasmRuns));
    out.noisy[N].native = native;
    out.noisy[N].ratioWasmEmVsNative = ratio;
    out.noisy[N].loadAverage = [load0, loadavg()[0]];
  }
  for (const n of Object.values(nets)) n.dispose();
}

// (e) bit-identity of the native variants with the kernel: a fresh network and each native build
// from the same state, 1000 steps; spike count and the 64 bits of every final V and I.
if (nativeBins) {
  const N = 10_000;
  const steps = 1000;
  const net = new nd.LifNetwork({ dt: h, integrator: 'euler-maruyama', spikeRule: 'linear', seed: 1 });
  net.addPopulation('p', N, { tauMem: S1.tauMem, mu: S1.mu, sigma: S1.sigma, v0: lifNativeV0(N) });
  net.run(h * steps);
  const st = net.state();
  const check = { N, steps, wasmSpikes: net.spikeCount };
  net.dispose();
  let identical = true;
  console.log(`\nnative vs kernel, N = ${N}, ${steps} steps from step 0: kernel ${check.wasmSpikes} spikes`);
  for (const b of Object.keys(nativeBins)) {
    const r = runLifNative(nativeBins[b], { N, steps, reps: 0, key: nativeKey, ...nativeParams }, true);
    for (const v of r.variants) {
      const dv = bitDiff(r.state[v].v, st.v);
      const di = bitDiff(r.state[v].i, st.i);
      const same = r[v].spikes === check.wasmSpikes && dv.differ === 0 && di.differ === 0;
      if (LIF_NATIVE_UNFUSED[b]) identical &&= same;
      check[`${v} ${nativeTag[b]}`] = {
        spikes: r[v].spikes,
        vBitsDiffer: dv.differ,
        iBitsDiffer: di.differ,
        maxAbsV: dv.maxAbs,
        maxAbsI: di.maxAbs,
      };
      console.log(
        `  ${`${v} ${nativeTag[b]}`.padEnd(30)} ${r[v].spikes} spikes, V differs in ${dv.differ} of ${N} (max ${dv.maxAbs.toExponential(1)}), I in ${di.differ} (max ${di.maxAbs.toExponential(1)})${same ? ': bit-identical' : ''}`,
      );
    }
  }
  check.identicalWithoutFma = identical;
  check.loadAverage = loadavg();
  out.nativeCheck = check;
  console.log(
    `  builds without FMA bit-identical with the kernel: ${identical}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  for (const bin of Object.values(nativeBins)) removeLifNative(bin);
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
