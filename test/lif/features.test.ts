// Connectors, drive, shared noise, monitors, run options and worker trials.
import { describe, expect, test } from 'vitest';
import { AbortedError, LifNetwork, type Progress, runTrials } from '../../src/index.js';

describe('connectors', () => {
  test('fixedInDegree gives every target exactly k distinct sources, no autapses', () => {
    const net = new LifNetwork({ dt: 0.1, seed: 4 });
    net.addPopulation('a', 50);
    net.connect('a', 'a', { connector: { type: 'fixedInDegree', k: 7 }, weight: 1 });
    const p = net.getProjection(0);
    const inDeg = new Int32Array(50);
    for (let j = 0; j < 50; j++) {
      const seen = new Set<number>();
      for (let s = p.rowPtr[j]; s < p.rowPtr[j + 1]; s++) {
        expect(p.cols[s]).not.toBe(j);
        expect(seen.has(p.cols[s])).toBe(false);
        seen.add(p.cols[s]);
        inDeg[p.cols[s]]++;
      }
    }
    expect([...inDeg].every((d) => d === 7)).toBe(true);
    net.dispose();
  });

  test('fixedProbability: synapse count within 4 SD of the binomial mean; the wiring ignores the trial', () => {
    const counts: number[] = [];
    for (const trial of [0, 1]) {
      const net = new LifNetwork({ dt: 0.1, seed: 4, trial });
      net.addPopulation('a', 300);
      net.addPopulation('b', 200);
      net.connect('a', 'b', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 1 });
      counts.push(net.getProjection(0).cols.length);
      net.dispose();
    }
    const mean = 300 * 200 * 0.1;
    expect(Math.abs(counts[0] - mean)).toBeLessThan(4 * Math.sqrt(mean * 0.9));
    expect(counts[1]).toBe(counts[0]);
  });

  test('dense [post][pre] matrix maps W_ij to the synapse j -> i, zeros dropped; weightUnit conversions', () => {
    const net = new LifNetwork({ dt: 0.1 });
    net.addPopulation('a', 2);
    net.addPopulation('b', 3, { tauSyn: 4, tauMem: 10 });
    // W (3 x 2): W[1][0] = 0.5, W[2][1] = -1
    net.connect('a', 'b', { connector: { type: 'dense', matrix: [0, 0, 0.5, 0, 0, -1] } });
    net.connect('a', 'b', { connector: { type: 'allToAll' }, weight: 2, weightUnit: 'charge' });
    net.connect('a', 'b', { connector: { type: 'allToAll' }, weight: 2, weightUnit: 'voltage' });
    const p = net.getProjection(0);
    expect(Array.from(p.rowPtr)).toEqual([0, 1, 2]);
    expect(Array.from(p.cols)).toEqual([1, 2]);
    expect(Array.from(p.weights ?? [])).toEqual([0.5, -1]);
    expect(net.getProjection(1).weight).toBe(2 / 4);
    expect(net.getProjection(2).weight).toBeCloseTo(2 / 10, 15);
    net.dispose();
  });

  test('addLayers builds a feedforward chain: activity reaches the last layer only through the others', () => {
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed: 2 });
    const names = net.addLayers([100, 100, 100], {
      params: { mu: 0.03, sigma: 0.01 },
      projection: { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.02 },
    });
    net.setState({});
    expect(names).toEqual(['L0', 'L1', 'L2']);
    const r0 = net.addRateMonitor({ population: 'L2', binSize: 100 });
    net.run(100);
    expect(r0.rates().count.reduce((a, b) => a + b, 0)).toBe(0); // μ below threshold, no drive yet
    net.dispose();
    const net2 = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed: 2 });
    net2.addPopulation('L0', 100, { mu: 0.07, sigma: 0.01, v0: { uniform: [0, 1] } });
    net2.addPopulation('L1', 100, { mu: 0.03, sigma: 0.01 });
    net2.addPopulation('L2', 100, { mu: 0.03, sigma: 0.01 });
    net2.connect('L0', 'L1', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.02 });
    net2.connect('L1', 'L2', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.02 });
    const m = net2.addSpikeMonitor({ population: 'L2' });
    net2.run(300);
    expect(m.count).toBeGreaterThan(50);
    net2.dispose();
  });
});

describe('drive and noise', () => {
  test('Poisson drive: stationary mean and variance of I match shot-noise theory (Campbell)', () => {
    // I = μ + Σ J e^{−(t−t_k)/τ_s}: mean μ + νJτ_s, variance νJ²τ_s/2 (ν per ms).
    const nu = 2; // 2000 Hz
    const J = 0.01;
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', seed: 8 });
    net.addPopulation('p', 4000, { mu: 0, sigma: 0, i0: 0, vThreshold: 1e9, poisson: { rate: 2000, weight: J } });
    net.run(60);
    const { i } = net.state();
    const mean = i.reduce((a, b) => a + b) / i.length;
    const variance = i.reduce((a, b) => a + (b - mean) ** 2, 0) / (i.length - 1);
    expect(mean / (nu * J * 5)).toBeCloseTo(1, 1);
    expect(variance / ((nu * J * J * 5) / 2)).toBeGreaterThan(0.9);
    expect(variance / ((nu * J * J * 5) / 2)).toBeLessThan(1.1);
    net.dispose();
  });

  test('shared noise c: the correlation of I between neurons is c', () => {
    const c = 0.3;
    const trials: number[][] = [];
    const net = new LifNetwork({ dt: 0.5, integrator: 'exact', seed: 6 });
    net.addPopulation('p', 2, { mu: 0, sigma: 1, vThreshold: 1e9, sharedNoise: c });
    for (let k = 0; k < 4000; k++) {
      net.run(5);
      const { i } = net.state();
      trials.push([i[0], i[1]]);
    }
    const m0 = trials.reduce((a, t) => a + t[0], 0) / trials.length;
    const m1 = trials.reduce((a, t) => a + t[1], 0) / trials.length;
    let s01 = 0;
    let s00 = 0;
    let s11 = 0;
    for (const t of trials) {
      s01 += (t[0] - m0) * (t[1] - m1);
      s00 += (t[0] - m0) ** 2;
      s11 += (t[1] - m1) ** 2;
    }
    expect(s01 / Math.sqrt(s00 * s11)).toBeGreaterThan(c - 0.06);
    expect(s01 / Math.sqrt(s00 * s11)).toBeLessThan(c + 0.06);
    net.dispose();
  });
});

describe('monitors and run options', () => {
  test('rate monitor bins sum to the spike count; state monitor keeps the last maxSamples', () => {
    const net = new LifNetwork({ dt: 0.1, seed: 1 });
    net.addPopulation('p', 100, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
    const r = net.addRateMonitor({ binSize: 10 });
    const sm = net.addStateMonitor({ neurons: [3, 7], interval: 1, maxSamples: 5 });
    net.run(100);
    const rt = r.rates();
    expect(rt.count.reduce((a, b) => a + b, 0)).toBe(net.spikeCount);
    const d = sm.samples();
    expect(Array.from(d.step)).toEqual([960, 960, 970, 970, 980, 980, 990, 990, 1000, 1000]);
    expect(Array.from(d.neuron)).toEqual([3, 7, 3, 7, 3, 7, 3, 7, 3, 7]);
    expect(d.v[9]).toBe(net.state().v[7]);
    expect(rt.rate[0]).toBeCloseTo(rt.count[0] / (100 * 0.01), 10);
    net.dispose();
  });

  test('onProgress gets the one Progress type per chunk; an aborted signal stops run() with AbortedError, spikes kept', () => {
    const net = new LifNetwork({ dt: 0.1, seed: 1 });
    net.addPopulation('p', 100, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
    const m = net.addSpikeMonitor();
    const ac = new AbortController();
    const seen: Progress[] = [];
    let abortedAt = -1;
    let err: unknown;
    try {
      net.run(1000, {
        signal: ac.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.time !== undefined && p.time >= 300 && abortedAt < 0) {
            abortedAt = net.step;
            ac.abort();
          }
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as AbortedError).partial).toEqual({ step: abortedAt, time: abortedAt * 0.1 });
    // done/total count steps of this call; time is the network time in ms.
    for (const p of seen) {
      expect(p.unit).toBe('step');
      expect(p.total).toBe(10_000);
      expect(p.time).toBeCloseTo(p.done * 0.1, 9);
      expect(p.fraction).toBe(p.done / 10_000);
    }
    expect(seen[seen.length - 1].done).toBe(abortedAt);
    expect(net.step).toBe(abortedAt);
    expect(abortedAt).toBeGreaterThanOrEqual(3000);
    expect(m.count).toBe(net.spikeCount);
    expect(m.count).toBeGreaterThan(0);
    net.dispose();
  });
});

describe('runAsync', () => {
  test('gives the same result as run(); an abort from a timer stops it between slices', async () => {
    const mk = () => {
      const n = new LifNetwork({ dt: 0.1, seed: 3 });
      n.addPopulation('p', 200, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
      return n;
    };
    const a = mk();
    a.run(300);
    const b = mk();
    await b.runAsync(300, { sliceMs: 1 });
    expect(Array.from(b.state().v)).toEqual(Array.from(a.state().v));
    const c = mk();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 5);
    let err: unknown;
    try {
      await c.runAsync(1e6, { signal: ac.signal, sliceMs: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AbortedError);
    expect(c.step).toBeGreaterThan(0);
    expect(c.step).toBeLessThan(1e7);
    for (const n of [a, b, c]) n.dispose();
  });
});

describe('worker trials', () => {
  test('lif.population: rows identical inline and with 2 workers; trials differ', async () => {
    const opts = {
      seed: 'w',
      range: [0, 3] as [number, number],
      params: {
        size: 50,
        dt: 0.1,
        duration: 100,
        integrator: 'exact' as const,
        params: { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] as [number, number] } },
      },
    };
    const inline = await runTrials('lif.population', { ...opts, workers: 0 });
    const pooled = await runTrials('lif.population', { ...opts, workers: 2, workerUrl: new URL('../../dist/worker.js', import.meta.url) });
    expect(JSON.stringify(pooled.rows)).toBe(JSON.stringify(inline.rows));
    const r = inline.rows.map((x) => (x.ok ? (x.value as { v: number[] }).v[0] : null));
    expect(r[0]).not.toBe(r[1]);
  });
});

describe('lifSteps (functional level)', () => {
  test('chaining two calls equals one call and equals LifNetwork; inputs untouched', async () => {
    const { lifSteps } = await import('../../src/index.js');
    const v = Float64Array.from({ length: 64 }, (_, k) => k / 64);
    const i = new Float64Array(64).fill(0.055);
    const p = { mu: 0.055, sigma: 0.03 };
    const o = { dt: 0.1, seed: 'f', trial: 1, integrator: 'exact' as const };
    const one = lifSteps({ v, i }, p, { ...o, duration: 50 });
    const a = lifSteps({ v, i }, p, { ...o, duration: 20 });
    expect(a.endStep).toBe(200);
    const b = lifSteps(a, p, { ...o, duration: 30, startStep: a.endStep });
    expect(Array.from(b.v)).toEqual(Array.from(one.v));
    expect(a.spikes.length + b.spikes.length).toBe(one.spikes.length);
    expect(Array.from(b.spikes.time)).toEqual(Array.from(one.spikes.time).slice(a.spikes.length));
    expect(v[5]).toBe(5 / 64);
    const net = new LifNetwork({ dt: 0.1, seed: 'f', trial: 1, integrator: 'exact' });
    net.addPopulation('p', 64, { ...p, v0: v, i0: i });
    net.run(50);
    expect(Array.from(net.state().v)).toEqual(Array.from(one.v));
    net.dispose();
  });
});
