import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  convergenceStudy,
  coupledPaths,
  feedforwardNetwork,
  kernelMemory,
  mergeConvergenceShards,
  normals,
  type Progress,
  Streams,
  trialKey,
  ValidationError,
} from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);
if (!existsSync(workerUrl)) throw new Error('dist/worker.js is missing: run `npm run build` first');

const EM = [
  { integrator: 'euler-maruyama', spikeRule: 'grid' },
  { integrator: 'euler-maruyama', spikeRule: 'linear' },
  { integrator: 'euler-maruyama', spikeRule: 'hermite' },
] as const;

describe('coupled paths', () => {
  test('Euler–Maruyama at h = 2 h_f uses ΔB = √h_f (z_2n + z_2n+1): a hand-rolled EM loop on the same normals', () => {
    // Threshold out of reach, so V and I follow the EM recursion; the fine normals of neuron i at
    // fine step t are normal(key, noise, i, t) (the counter contract).
    const hf = 0.05;
    const sig = [0.02, 0.03];
    const network = {
      populations: sig.map((sigma, k) => ({
        name: `p${k}`,
        size: 1,
        params: { mu: 0.05, sigma, vThreshold: 100, v0: 0.2 + 0.1 * k, i0: 0.04 },
      })),
    };
    const r = coupledPaths({ network, duration: 5, dts: [2 * hf, hf], schemes: [EM[0]], seed: 9, trial: 0 });
    const key = trialKey(9, 0);
    const V = [0.2, 0.3];
    const I = [0.04, 0.04];
    for (let s = 0; s < 50; s++) {
      const z0 = normals(key, 2 * s, 2, { stream: Streams.noise });
      const z1 = normals(key, 2 * s + 1, 2, { stream: Streams.noise });
      for (let i = 0; i < 2; i++) {
        const v = V[i] + 0.1 * (-0.05 * (V[i] - 0) + I[i]);
        const c = I[i] - 0.1 * (1 / 5) * (I[i] - 0.05) + sig[i] * Math.sqrt(2 / 5) * Math.sqrt(hf) * (z0[i] + z1[i]);
        V[i] = v;
        I[i] = c;
      }
    }
    for (let i = 0; i < 2; i++) expect(r.runs[0].v[i]).toBeCloseTo(V[i], 12);
  });

  test('exact integrator: a run at h = 4 h_f is the run at h_f at the coarse grid points (the same path, composed exactly)', () => {
    const network = { populations: [{ name: 'p', size: 5, params: { mu: 0.05, sigma: 0.03, vThreshold: 100 } }] };
    const r = coupledPaths({ network, duration: 40, dts: [0.2, 0.05], schemes: [{ integrator: 'exact', spikeRule: 'linear' }], seed: 2 });
    for (let i = 0; i < 5; i++) expect(Math.abs(r.runs[0].v[i] - r.runs[1].v[i])).toBeLessThan(1e-12);
    // And the path really is random: V moved away from its deterministic limit.
    expect(Math.abs(r.runs[0].v[0] - r.runs[0].v[1])).toBeGreaterThan(1e-3);
  });

  test('results do not depend on how the study is run; memory is released; spikes come as a table in ms', () => {
    const before = kernelMemory();
    const o = { network: feedforwardNetwork({ sizes: [3, 3] }), duration: 40, dts: [0.2, 0.1], schemes: [EM[1]], seed: 4 };
    const a = coupledPaths(o);
    const b = coupledPaths(o);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.runs[0].spikes.column('time').unit).toBe('ms');
    expect(a.toJSON().kind).toBe('numerics.coupledPaths');
    expect(kernelMemory().bytes).toBe(before.bytes);
    expect(kernelMemory().regions).toBe(before.regions);
  });

  test('bad options name the argument', () => {
    const network = feedforwardNetwork({ sizes: [2] });
    expect(() => coupledPaths({ network, duration: 10, dts: [0.3, 0.1] })).toThrow(/options.dts\[0\]/);
    expect(() => coupledPaths({ network, duration: 10.05, dts: [0.2, 0.1] })).toThrow(/options.duration/);
    expect(() =>
      coupledPaths({ network, duration: 10, dts: [0.2], schemes: [{ integrator: 'euler-maruyama', spikeRule: 'cubic' as 'grid' }] }),
    ).toThrow(/spikeRule/);
    expect(() =>
      coupledPaths({ network, duration: 10, dts: [0.2], schemes: [{ integrator: 'euler-maruyama', rule: 'grid' } as never] }),
    ).toThrow(/did you mean 'spikeRule'/);
    expect(() =>
      coupledPaths({ network: { populations: [{ name: 'p', size: 2, params: { vReset: 2 } }] }, duration: 10, dts: [0.2] }),
    ).toThrow(/vReset/);
  });
});

describe('convergence study (3-layer feedforward, Euler–Maruyama)', () => {
  const network = feedforwardNetwork({ sizes: [12, 12, 12] });
  const base = { network, duration: 200, dts: [0.4, 0.2, 0.1, 0.05], seed: 'conv', schemes: [...EM] };
  const progress: Progress[] = [];
  const studyP = convergenceStudy({ ...base, trials: 16, workers: 2, workerUrl, onProgress: (p) => progress.push(p) });

  test('strong spike-time order ≥ 1/2 (the proven rate) for every rule; linear beats grid in median error', async () => {
    const r = await studyP;
    expect(progress.length).toBe(16);
    expect(progress[15]).toMatchObject({ done: 16, total: 16, unit: 'trial', fraction: 1 });
    expect(r.trials).toBe(16);
    for (const s of EM) {
      const o = r.schemes[`${s.integrator}/${s.spikeRule}`].orders;
      expect(o.strong.value).toBeGreaterThanOrEqual(0.5);
      expect(o.median.value).toBeGreaterThan(0.8);
      for (const l of o.strongByPopulation) expect(l.value).toBeGreaterThanOrEqual(0.45);
    }
    const g = r.schemes['euler-maruyama/grid'].levels;
    const l = r.schemes['euler-maruyama/linear'].levels;
    for (let k = 0; k < g.length; k++) expect(l[k].medianError).toBeLessThan(g[k].medianError);
    // Grid snapping costs about h/2 in median on the input layer.
    expect(g[0].populations[0].medianError / 0.4).toBeGreaterThan(0.35);
    expect(g[0].populations[0].medianError / 0.4).toBeLessThan(0.65);
    // Unmatched fraction and bad-set probability shrink with h.
    expect(g[3].unmatched).toBeLessThan(g[0].unmatched);
    expect(g[3].goodBad[0].badProbability).toBeLessThanOrEqual(g[0].goodBad[0].badProbability);
    // Tables with units; JSON round trip.
    const t = r.levelsTable();
    expect(t.length).toBe(12);
    expect(t.column('rmsError').unit).toBe('ms');
    expect(JSON.parse(JSON.stringify(r)).kind).toBe('numerics.convergence');
    expect(r.ordersTable().column('strong').data[1]).toBe(r.schemes['euler-maruyama/linear'].orders.strong.value);
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
    const small = { ...base, dts: [0.4, 0.2], duration: 100 };
    const a = await convergenceStudy({ ...small, trials: 4, workers: 0 });
    const b = await convergenceStudy({ ...small, trials: 4, workers: 1, workerUrl });
    const s1 = await convergenceStudy({ ...small, range: [0, 1], workers: 0 });
    const s2 = await convergenceStudy({ ...small, range: [1, 4], workers: 2, workerUrl });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(JSON.stringify(mergeConvergenceShards([s2, s1], small))).toBe(JSON.stringify(a));
  });

  // A latency bound on a shared 2-core machine: two retries if another process took the CPU.
  test('a timer-fired abort stops a 0-worker study within 50 ms; the settled trials are in the error', { retry: 2 }, async () => {
    const ac = new AbortController();
    const t0 = performance.now();
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      ac.abort();
    }, 150);
    let err: unknown;
    try {
      await convergenceStudy({ ...base, trials: 1000, workers: 0, signal: ac.signal });
    } catch (e) {
      err = e;
    }
    const stopped = performance.now();
    expect(err).toBeInstanceOf(AbortedError);
    expect(fired).toBeGreaterThan(t0);
    expect(stopped - fired).toBeLessThan(50);
    expect(Array.isArray((err as AbortedError).partial)).toBe(true);
  });

  test('bad options name the argument, with a suggestion for a typo', async () => {
    await expect(convergenceStudy({ ...base, dts: [0.3, 0.2], trials: 1, workers: 0 })).rejects.toThrow(/dts\[0\]/);
    await expect(convergenceStudy({ ...base, duration: 201, trials: 1, workers: 0 })).rejects.toThrow(/duration/);
    await expect(convergenceStudy({ ...base, trials: 0, workers: 0 })).rejects.toThrow(/options.trials/);
    await expect(convergenceStudy({ ...base, T: 200, trials: 1, workers: 0 } as never)).rejects.toThrow(/did you mean 'duration'/);
    await expect(convergenceStudy({ ...base, hs: [0.4], trials: 1, workers: 0 } as never)).rejects.toThrow(ValidationError);
    await expect(convergenceStudy({ ...base, reference: { h: 0.01 } as never, trials: 1, workers: 0 })).rejects.toThrow(
      /did you mean 'dt'/,
    );
  });
});
