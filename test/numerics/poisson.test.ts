import { describe, expect, test } from 'vitest';
import {
  CoupledNoise,
  CoupledPoisson,
  convergenceStudy,
  feedforwardLabNetwork,
  kernelMemory,
  LifLabSimulation,
  resolveLabNetwork,
  seedToKey,
} from '../../src/index.js';

// External Poisson drive shared across step sizes: events drawn once on h_f, binned per level.
const hf = 0.0125;
const ratios = [1, 2, 4, 8, 16];
const SCHEMES = [
  { integrator: 'euler-maruyama', rule: 'grid' },
  { integrator: 'euler-maruyama', rule: 'linear' },
  { integrator: 'exact', rule: 'hermite' },
] as const;

function coupledRun(network: Parameters<typeof resolveLabNetwork>[0], seed: number, fineSteps: number) {
  const net = resolveLabNetwork(network);
  const key = seedToKey(seed);
  const window = 1024;
  const noise = new CoupledNoise(key, net.n, window);
  const poisson = new CoupledPoisson(key, net.poissonRate as Float64Array, hf);
  const sims = SCHEMES.flatMap((s) => ratios.map((r) => new LifLabSimulation(net, { ...s, h: r * hf, hFine: hf, seed: key })));
  const initial = sims[0].state;
  const events: { neuron: number; t: number }[] = [];
  for (let t0 = 0; t0 < fineSteps; t0 += window) {
    const w = Math.min(window, fineSteps - t0);
    noise.fill(t0, w);
    poisson.fill(t0, w);
    const e = poisson.events;
    for (let q = 0; q < e.neuron.length; q++) events.push({ neuron: e.neuron[q], t: (e.fineStep[q] + e.offset[q]) * hf });
    for (const sim of sims) sim.advance(w / sim.ratio, noise, poisson);
  }
  noise.dispose();
  return { net, sims, events, initial };
}

describe('Poisson input coupled across step sizes', () => {
  test('every level delivers exactly the fine events (bit-exact counts and Σ J); exact delivery matches the closed form', () => {
    // σ = 0, μ = 0 and a threshold out of reach: V and I are linear functionals of the events, so
    // I(T) = I_0 e^{−T/τ_s} + Σ J e^{−(T − t_e)/τ_s} and V(T) = V_0 e^{−g_L T} + I_0 K(T) + Σ J K(T − t_e).
    const network = {
      n: 6,
      mu: 0,
      sigma: 0,
      vTh: 1e3,
      poissonRate: [50, 200, 500, 1000, 2000, 4000],
      poissonJump: [0.01, -0.02, 0.005, 0.01, 0.003, 0.001],
    };
    const T = 16 * hf * 400; // 80 ms
    const { net, sims, events, initial } = coupledRun(network, 31, T / hf);
    const fine = new Float64Array(net.n);
    const fineJump = new Float64Array(net.n);
    for (const e of events) {
      fine[e.neuron]++;
      fineJump[e.neuron] += network.poissonJump[e.neuron];
    }
    expect(events.length).toBeGreaterThan(500);
    const { gL, tauSyn } = net;
    const K = (t: number) => (Math.exp(-t / tauSyn) - Math.exp(-gL * t)) / (gL - 1 / tauSyn);
    const Iex = new Float64Array(net.n);
    const Vex = new Float64Array(net.n);
    for (let i = 0; i < net.n; i++) {
      Iex[i] = initial.I[i] * Math.exp(-T / tauSyn);
      Vex[i] = initial.V[i] * Math.exp(-gL * T) + initial.I[i] * K(T);
    }
    for (const e of events) {
      Iex[e.neuron] += network.poissonJump[e.neuron] * Math.exp(-(T - e.t) / tauSyn);
      Vex[e.neuron] += network.poissonJump[e.neuron] * K(T - e.t);
    }
    for (const sim of sims) {
      expect(sim.poissonDelivered).toEqual(fine);
      expect(sim.poissonDeliveredJump).toEqual(fineJump); // same summation order: bit-exact
      const st = sim.state;
      for (let i = 0; i < net.n; i++) {
        if (sim.integrator === 'exact') {
          // Exact propagator + delivery at the event's own time: equal to rounding at every h.
          expect(Math.abs(st.I[i] - Iex[i])).toBeLessThan(1e-12);
          expect(Math.abs(st.V[i] - Vex[i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(Vex[i])));
        } else if (sim.rule !== 'grid') {
          // EM: I decays with (1 − h/τ_s)^k instead of e^{−kh/τ_s}; O(h) error, small at h ≤ 0.2.
          expect(Math.abs(st.I[i] - Iex[i])).toBeLessThan(0.02 * Math.max(0.05, Math.abs(Iex[i])) + 2e-3 * sim.h);
        }
      }
      sim.dispose();
    }
  });

  test('the event rate matches the requested rate (Hz) within Monte-Carlo error; no dependence on chunking', () => {
    const before = kernelMemory();
    const rate = 800; // Hz
    const n = 20;
    const T = 500; // ms
    const net = { n, mu: 0.045, sigma: 0.01, poissonRate: rate, poissonJump: 0.002 };
    const a = new LifLabSimulation(net, { h: 0.05, hFine: 0.0125, seed: 5, chunk: 7 });
    const b = new LifLabSimulation(net, { h: 0.05, hFine: 0.0125, seed: 5, chunk: 100 });
    a.advance(T / 0.05);
    b.advance(3333);
    b.advance(T / 0.05 - 3333);
    expect(a.spikes()).toEqual(b.spikes());
    expect(a.state).toEqual(b.state);
    expect(a.poissonDelivered).toEqual(b.poissonDelivered);
    const total = a.poissonDelivered.reduce((x, y) => x + y, 0);
    const expected = (rate / 1000) * T * n; // 8000 events
    expect(Math.abs(total - expected)).toBeLessThan(4 * Math.sqrt(expected));
    // Counts per neuron are Poisson: their variance ≈ mean (dispersion within a loose χ² band).
    const mean = total / n;
    const v = a.poissonDelivered.reduce((s, c) => s + (c - mean) ** 2, 0) / (n - 1);
    expect(v / mean).toBeGreaterThan(0.35);
    expect(v / mean).toBeLessThan(1.9);
    a.dispose();
    b.dispose();
    expect(kernelMemory().bytes).toBe(before.bytes);
  });

  test('convergence study with Poisson drive and σ = 0: strong order ≥ 1/2, weak count order ≈ 1', async () => {
    // Two layers driven only by Poisson events (plus a subthreshold μ): shot-noise mean
    // τ_s J ν = 5·0.004·0.8 = 0.016 on top of μ = 0.04 (I_th = 0.05).
    const network = feedforwardLabNetwork({ sizes: [10, 10], sigma: 0, mu: 0.04, jump: 0.004 });
    const r = await convergenceStudy({
      network: { ...network, poissonRate: 800, poissonJump: 0.004 },
      T: 200,
      hs: [0.4, 0.2, 0.1, 0.05],
      trials: 8,
      seed: 'poisson',
      workers: 0,
      schemes: [
        { integrator: 'euler-maruyama', rule: 'grid' },
        { integrator: 'euler-maruyama', rule: 'linear' },
        { integrator: 'exact', rule: 'grid' },
        { integrator: 'exact', rule: 'linear' },
      ],
    });
    for (const name of ['euler-maruyama/grid', 'euler-maruyama/linear']) {
      const s = r.schemes[name];
      expect(s.referenceRateHz[0]).toBeGreaterThan(5);
      expect(s.orders.strong.value).toBeGreaterThanOrEqual(0.5);
      expect(s.orders.median.value).toBeGreaterThan(0.8);
      expect(s.orders.weakCount.value).toBeGreaterThan(0.6);
      expect(s.orders.weakCount.value).toBeLessThan(1.6);
    }
    // Delivery at the events' own times: with the exact propagator the only error left is the
    // spike-time rule's, so linear is far ahead of grid (measured 0.011 vs 0.54 ms at h = 0.4)
    // and its median order is ≈ 2 (measured 1.85); binning events to t_{n+1} would cap it at 1.
    const eg = r.schemes['exact/grid'];
    const el = r.schemes['exact/linear'];
    expect(el.levels[0].medianErr).toBeLessThan(0.05 * eg.levels[0].medianErr);
    expect(el.orders.median.value).toBeGreaterThan(1.5);
  }, 60_000);

  test('Poisson drive reaches the workers: a study is identical for 0 and 2 workers', async () => {
    const network = {
      ...feedforwardLabNetwork({ sizes: [4, 4], sigma: 0.005, mu: 0.04 }),
      poissonRate: [500, 500, 500, 500, 900, 900, 900, 900], // Hz, per neuron
      poissonJump: 0.004,
    };
    const o = { network, T: 100, hs: [0.4, 0.2], seed: 'pw', trials: 3 };
    const a = await convergenceStudy({ ...o, workers: 0 });
    const b = await convergenceStudy({ ...o, workers: 2, workerUrl: new URL('../../dist/worker.js', import.meta.url) });
    expect(b).toEqual(a);
    const none = await convergenceStudy({ ...o, network: { ...network, poissonRate: 0 }, workers: 0 });
    expect(none).not.toEqual(a);
  });

  test('bad Poisson parameters name the argument', () => {
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0, poissonRate: -1, poissonJump: 0.01 }, { h: 0.1, seed: 1 })).toThrow(
      /network.poissonRate/,
    );
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0, poissonRate: [1], poissonJump: 0.01 }, { h: 0.1, seed: 1 })).toThrow(
      /network.poissonRate/,
    );
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0, poissonRate: 10, poissonJump: Number.NaN }, { h: 0.1, seed: 1 })).toThrow(
      /network.poissonJump/,
    );
  });
});
