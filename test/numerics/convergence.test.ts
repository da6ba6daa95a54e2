import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  convergenceStudy,
  feedforwardLabNetwork,
  kernelMemory,
  LifLabSimulation,
  mergeConvergenceShards,
  NumericalError,
  ValidationError,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

const EM = [
  { integrator: 'euler-maruyama', rule: 'grid' },
  { integrator: 'euler-maruyama', rule: 'linear' },
  { integrator: 'euler-maruyama', rule: 'hermite' },
] as const;

describe('coupled paths', () => {
  test('a coarse EM run on the summed fine increments equals a run whose own draws are those sums', () => {
    // With σ = 0 except neuron 0, and identical initial state, the h = 2 h_f run must use
    // ΔB = √h_f (z_{2n} + z_{2n+1}): compare with a hand-rolled EM loop on the same normals.
    const net = { n: 2, mu: 0.05, sigma: [0.02, 0.03] };
    const hf = 0.05;
    const sim = new LifLabSimulation(net, { h: 2 * hf, hFine: hf, seed: 9, rule: 'grid' });
    const s0 = sim.state;
    sim.advance(50);
    const { normals, Streams, seedToKey } = awaitLib;
    const key = seedToKey(9);
    const V = Array.from(s0.V);
    const I = Array.from(s0.I);
    for (let s = 0; s < 50; s++) {
      const z0 = normals(key, 2 * s, 2, { stream: Streams.noise });
      const z1 = normals(key, 2 * s + 1, 2, { stream: Streams.noise });
      for (let i = 0; i < 2; i++) {
        const dB = Math.sqrt(hf) * (z0[i] + z1[i]);
        let v = V[i] + 0.1 * (-0.05 * V[i] + I[i]);
        const c = I[i] + (0.1 * (0.05 - I[i])) / 5 + net.sigma[i] * Math.sqrt(2 / 5) * dB;
        if (v >= 1) v = 0;
        V[i] = v;
        I[i] = c;
      }
    }
    const st = sim.state;
    for (let i = 0; i < 2; i++) {
      expect(st.V[i]).toBeCloseTo(V[i], 12);
      expect(st.I[i]).toBeCloseTo(I[i], 12);
    }
    sim.dispose();
  });

  test('results do not depend on chunking; memory is released', () => {
    const before = kernelMemory();
    const net = feedforwardLabNetwork({ sizes: [3, 3] });
    const a = new LifLabSimulation(net, { h: 0.1, seed: 4, chunk: 7 });
    const b = new LifLabSimulation(net, { h: 0.1, seed: 4, chunk: 100 });
    a.advance(333);
    b.advance(100);
    b.advance(233);
    expect(a.spikes()).toEqual(b.spikes());
    expect(a.state).toEqual(b.state);
    a.dispose();
    b.dispose();
    expect(kernelMemory().bytes).toBe(before.bytes);
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('a state that becomes non-finite raises NumericalError with step and neuron; spikes so far stay readable', () => {
    const sim = new LifLabSimulation({ n: 3, mu: [0.06, 0.06, 1.7e308], sigma: [0.02, 0.02, 1e308] }, { h: 0.1, seed: 1, chunk: 10 });
    let err: unknown;
    try {
      sim.advance(50);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as NumericalError).index).toBe(2);
    expect(Number.isFinite((err as NumericalError).step)).toBe(true);
    expect(() => sim.spikes()).not.toThrow();
    sim.dispose();
  });

  test('bad input names the argument', () => {
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0.02 }, { h: -1, seed: 1 })).toThrow(/options.h/);
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0.02 }, { h: 0.3, hFine: 0.1, seed: 1 })).toThrow(/options.h/);
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0.02, vReset: 2 }, { h: 0.1, seed: 1 })).toThrow(/network.vReset/);
    expect(() => new LifLabSimulation({ n: 2, mu: [0.05], sigma: 0.02 }, { h: 0.1, seed: 1 })).toThrow(/network.mu.length/);
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: -1 }, { h: 0.1, seed: 1 })).toThrow(/network.sigma/);
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0.02, J: [0, 1, Number.NaN, 0] }, { h: 0.1, seed: 1 })).toThrow(
      /network.J\[2\]/,
    );
    expect(() => new LifLabSimulation({ n: 2, mu: 0.05, sigma: 0.02 }, { h: 0.1, seed: 1, rule: 'cubic' as 'grid' })).toThrow(
      ValidationError,
    );
  });
});

// Loaded once for the hand-rolled EM test.
const awaitLib = await import('../../src/index.js');

describe('convergence study (3-layer feedforward, Euler–Maruyama)', () => {
  const network = feedforwardLabNetwork({ sizes: [12, 12, 12] });
  const base = { network, T: 200, hs: [0.4, 0.2, 0.1, 0.05], seed: 'conv', schemes: [...EM] };
  let progress = 0;
  const studyP = convergenceStudy({ ...base, trials: 16, workers: 2, workerUrl, onProgress: () => progress++ });

  test('strong spike-time order ≥ 1/2 (the proven rate) for every rule; linear beats grid in median error', async () => {
    const r = await studyP;
    expect(progress).toBe(16);
    expect(r.trials).toBe(16);
    for (const s of EM) {
      const o = r.schemes[`${s.integrator}/${s.rule}`].orders;
      expect(o.strong.value).toBeGreaterThanOrEqual(0.5);
      expect(o.median.value).toBeGreaterThan(0.8);
      for (const l of o.strongByLayer) expect(l.value).toBeGreaterThanOrEqual(0.5);
    }
    const g = r.schemes['euler-maruyama/grid'].levels;
    const l = r.schemes['euler-maruyama/linear'].levels;
    for (let k = 0; k < g.length; k++) expect(l[k].medianErr).toBeLessThan(g[k].medianErr);
    // Grid snapping costs about h/2 in median on the input layer.
    expect(g[0].layers[0].medianErr / 0.4).toBeGreaterThan(0.35);
    expect(g[0].layers[0].medianErr / 0.4).toBeLessThan(0.65);
    // Unmatched fraction and bad-set probability shrink with h.
    expect(g[3].unmatched).toBeLessThan(g[0].unmatched);
    expect(g[3].goodBad[0].badProbability).toBeLessThanOrEqual(g[0].goodBad[0].badProbability);
  });

  test('weak spike-count bias: significant at coarse h, order ≈ 1', async () => {
    const r = await studyP;
    for (const name of ['euler-maruyama/grid', 'euler-maruyama/linear']) {
      const s = r.schemes[name];
      const c = s.levels[0].weakCount;
      expect(c.ci[0] > 0 || c.ci[1] < 0).toBe(true);
      expect(s.orders.weakCount.value).toBeGreaterThan(0.6);
      expect(s.orders.weakCount.value).toBeLessThan(2.2);
    }
  });

  test('identical for any worker count; shards merge exactly', async () => {
    const small = { ...base, hs: [0.4, 0.2], T: 100 };
    const a = await convergenceStudy({ ...small, trials: 4, workers: 0 });
    const b = await convergenceStudy({ ...small, trials: 4, workers: 1, workerUrl });
    const s1 = await convergenceStudy({ ...small, range: [0, 1], workers: 0 });
    const s2 = await convergenceStudy({ ...small, range: [1, 4], workers: 2, workerUrl });
    expect(b).toEqual(a);
    expect(mergeConvergenceShards([s2, s1], small)).toEqual(a);
  });

  test('bad options name the argument', async () => {
    await expect(convergenceStudy({ ...base, hs: [0.3, 0.2], trials: 1, workers: 0 })).rejects.toThrow(/hs\[0\]/);
    await expect(convergenceStudy({ ...base, T: 201, trials: 1, workers: 0 })).rejects.toThrow(/T/);
    await expect(convergenceStudy({ ...base, trials: 0, workers: 0 })).rejects.toThrow(/options.trials/);
  });
});
