// Network behaviour: chunking independence, snapshot/restore, coupling across step sizes,
// delays, connectors, CUBA rate, validation and numerical failure.
import { describe, expect, test } from 'vitest';
import {
  createLifCuba,
  fingerprint,
  kernelMemory,
  LifNetwork,
  type LifNetworkOptions,
  lifCurrentResponse,
  NumericalError,
  rngReference,
  trialKey,
  ValidationError,
} from '../../src/index.js';

function recurrent(o: Partial<LifNetworkOptions> = {}, delay = 0.25): LifNetwork {
  const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed: 7, ...o });
  net.addPopulation('e', 60, { mu: 0.05, sigma: 0.02, v0: { uniform: [0, 1] }, sharedNoise: 0.2 });
  net.addPopulation('i', 20, {
    mu: 0.05,
    sigma: 0.02,
    tauSyn2: 10,
    tRef: 2,
    v0: { uniform: [0, 1] },
    poisson: { rate: 500, weight: 0.002 },
  });
  net.connect('e', 'e', { connector: { type: 'fixedProbability', p: 0.2 }, weight: 0.004, delay });
  net.connect('e', 'i', { connector: { type: 'fixedInDegree', k: 10 }, weight: 0.005, delay: 1.05 });
  net.connect('i', 'e', { connector: { type: 'allToAll' }, weight: -0.002, channel: 1 });
  return net;
}

function run(net: LifNetwork, chunks: number[]): string {
  const m = net.addSpikeMonitor();
  for (const c of chunks) net.run(c);
  const s = m.spikes();
  const st = net.state();
  return fingerprint(s.neuron, s.step, s.offset, s.A, st.v, st.i, st.i2);
}

describe('reproducibility', () => {
  test('results do not depend on how run() is chunked', () => {
    const a = run(recurrent(), [200]);
    const b = run(recurrent(), [50, 0.1, 99.9, 50]);
    const c = run(recurrent(), Array(40).fill(5));
    expect(b).toBe(a);
    expect(c).toBe(a);
    const n = recurrent();
    const m = n.addSpikeMonitor();
    n.run(200);
    expect(m.count).toBeGreaterThan(100);
    n.dispose();
  });

  test.each([
    ['euler-maruyama', 'hermite', 0.55],
    ['exact', 'hermite', 0.55],
    ['exact', 'grid', 2],
    ['euler-maruyama', 'linear', 0],
  ] as const)('%s + %s, tRef %s, Poisson + delays: the SIMD path equals the general path bit for bit', (integrator, spikeRule, tRef) => {
    const fp = (fastPath: boolean) => {
      const n = new LifNetwork({ dt: 0.1, integrator, spikeRule, seed: 1, fastPath });
      n.addPopulation('p', 301, { v0: { uniform: [0, 1] }, tRef, mu: 0.05, sigma: 0.02, poisson: { rate: 800, weight: 0.004 } });
      n.addPopulation('q', 37, { v0: { uniform: [0, 1] }, mu: 0.055, sigma: 0 });
      n.connect('p', 'q', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.01, delay: 0.33 });
      return run(n, [100]);
    };
    expect(fp(true)).toBe(fp(false));
  });

  test('snapshot()/restore() continues bit for bit (state, delay ring, RNG counters)', () => {
    const net = recurrent();
    net.run(60);
    const snap = net.snapshot();
    const m1 = net.addSpikeMonitor();
    net.run(80);
    const s1 = m1.spikes();
    const end1 = net.state();
    net.restore(snap);
    const m2 = net.addSpikeMonitor();
    net.run(80);
    const s2 = m2.spikes();
    const end2 = net.state();
    expect(fingerprint(s2.neuron, s2.step, s2.offset, s2.A)).toBe(fingerprint(s1.neuron, s1.step, s1.offset, s1.A));
    expect(fingerprint(end2.v, end2.i, end2.i2)).toBe(fingerprint(end1.v, end1.i, end1.i2));
    expect(s1.neuron.length).toBeGreaterThan(20);
    net.dispose();
  });

  test('snapshot()/restore() with grid refractoriness (refractory list rebuilt) continues bit for bit', () => {
    const net = createLifCuba({ neurons: 400, p: 0.1, seed: 5 });
    net.run(50);
    const snap = net.snapshot();
    const m1 = net.addSpikeMonitor();
    net.run(50);
    const a = m1.spikes();
    const e1 = net.state();
    net.restore(snap);
    const m2 = net.addSpikeMonitor();
    net.run(50);
    const b = m2.spikes();
    const e2 = net.state();
    expect(b.neuron.length).toBeGreaterThan(10);
    expect(fingerprint(b.neuron, b.step)).toBe(fingerprint(a.neuron, a.step));
    expect(fingerprint(e2.v, e2.i, e2.i2)).toBe(fingerprint(e1.v, e1.i, e1.i2));
    net.dispose();
  });

  test('trial keys: trial t uses trialKey(seed, t); different trials differ, same wiring', () => {
    const a = new LifNetwork({ dt: 0.1, seed: 's', trial: 3 });
    expect(a.key).toEqual(trialKey('s', 3));
    a.dispose();
    expect(run(recurrent({ trial: 1 }), [50])).not.toBe(run(recurrent({ trial: 2 }), [50]));
  });

  test('creating and disposing networks leaves kernelMemory() unchanged', () => {
    const before = kernelMemory();
    for (let k = 0; k < 20; k++) {
      const n = recurrent();
      n.run(1);
      n.dispose();
    }
    const after = kernelMemory();
    expect(after.regions).toBe(before.regions);
    expect(after.bytes).toBe(before.bytes);
  });
});

describe('noise', () => {
  test('the first normal of neuron i at step n is the counter-contract normal (key, stream 0, i, n)', () => {
    // EM, one step, V far below threshold: I^1 = I^0 − h(I^0 − μ)/τ_s + σ√(2/τ_s)√h z.
    const net = new LifNetwork({ dt: 0.1, seed: 5 });
    net.addPopulation('p', 5, { mu: 0, sigma: 0.3, i0: 0, vThreshold: 100 });
    net.run(0.1);
    const { i } = net.state();
    for (let k = 0; k < 5; k++) {
      const z = rngReference.normalAt(net.key.k0, net.key.k1, 0, k, 0);
      expect(i[k]).toBeCloseTo(0.3 * Math.sqrt(2 / 5) * Math.sqrt(0.1) * z, 14);
    }
    net.dispose();
  });

  test('coupling across step sizes: exact at h with fineSteps 4 equals exact at h/4 (same path)', () => {
    const mk = (dt: number, F: number) => {
      const n = new LifNetwork({ dt, integrator: 'exact', spikeRule: 'linear', seed: 11, noise: { fineSteps: F } });
      n.addPopulation('p', 10, { mu: 0.03, sigma: 0.05, vThreshold: 50, poisson: { rate: 200, weight: 0.01 } });
      n.run(50);
      const s = n.state();
      n.dispose();
      return s;
    };
    const coarse = mk(0.2, 4);
    const fine = mk(0.05, 1);
    for (let k = 0; k < 10; k++) {
      expect(coarse.v[k]).toBeCloseTo(fine.v[k], 11);
      expect(coarse.i[k]).toBeCloseTo(fine.i[k], 11);
    }
    // and an independent path differs at O(1)
    const other = new LifNetwork({ dt: 0.05, integrator: 'exact', seed: 12 });
    other.addPopulation('p', 10, { mu: 0.03, sigma: 0.05, vThreshold: 50, poisson: { rate: 200, weight: 0.01 } });
    other.run(50);
    expect(Math.abs(other.state().i[0] - fine.i[0])).toBeGreaterThan(1e-3);
    other.dispose();
  });

  test('coupling across step sizes: EM at h with fineSteps 2 uses ΔB = √(h/2)(z_{2n} + z_{2n+1})', () => {
    const h = 0.2;
    const net = new LifNetwork({ dt: h, seed: 3, noise: { fineSteps: 2 } });
    net.addPopulation('p', 3, { mu: 0, sigma: 0.1, i0: 0, vThreshold: 100 });
    net.run(h);
    const { i } = net.state();
    for (let k = 0; k < 3; k++) {
      const z = rngReference.normalAt(net.key.k0, net.key.k1, 0, k, 0) + rngReference.normalAt(net.key.k0, net.key.k1, 0, k, 1);
      expect(i[k]).toBeCloseTo(0.1 * Math.sqrt(2 / 5) * Math.sqrt(h / 2) * z, 14);
    }
    net.dispose();
  });

  test('exact integrator: stationary Var I = σ², Var V matches the OU covariance (2000 neurons)', () => {
    const net = new LifNetwork({ dt: 0.5, integrator: 'exact', seed: 1 });
    net.addPopulation('p', 2000, { mu: 0.02, sigma: 0.05, vThreshold: 1e6, vReset: -1e6, v0: 0.4 });
    net.run(200);
    const { v, i } = net.state();
    const mean = (x: Float64Array) => x.reduce((a, c) => a + c) / x.length;
    const vr = (x: Float64Array) => {
      const m = mean(x);
      return x.reduce((a, c) => a + (c - m) ** 2, 0) / (x.length - 1);
    };
    // Var V_∞ = σ²/(a(a+b)) for dV = (−aV + I)dt with OU I of rate b, std σ.
    const a = 0.05;
    const b = 0.2;
    expect(vr(i) / 0.05 ** 2).toBeGreaterThan(0.9);
    expect(vr(i) / 0.05 ** 2).toBeLessThan(1.1);
    const varV = 0.05 ** 2 / (a * (a + b));
    expect(vr(v) / varV).toBeGreaterThan(0.88);
    expect(vr(v) / varV).toBeLessThan(1.12);
    expect(mean(v)).toBeCloseTo(0.02 / a, 0);
    net.dispose();
  });
});

describe('spike delivery', () => {
  test('a spike with fractional delay reaches V with the exact response J·G(t − t_arrival)', () => {
    // Neuron 0 fires once (σ = 0, constant drive), neuron 1 sits at rest: V_1(t) after the
    // arrival is J G_b(t − t_s − d) exactly (exact integrator, linear superposition).
    const gL = 0.05;
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'hermite' });
    net.addPopulation('src', 1, { mu: 0.055, sigma: 0, tRef: 1000 });
    net.addPopulation('dst', 1, { mu: 0, sigma: 0, i0: 0, vThreshold: 10 });
    net.connect('src', 'dst', { connector: { type: 'allToAll' }, weight: 0.3, delay: 1.234 });
    const m = net.addSpikeMonitor();
    net.run(60);
    const ts = m.timesOf(0)[0];
    expect(ts).toBeCloseTo(Math.log(0.055 / 0.005) / gL, 8);
    const t = net.time;
    const want = 0.3 * lifCurrentResponse(t - ts - 1.234, { tauMem: 1 / gL, tauSyn: 5 });
    expect(net.state().v[1]).toBeCloseTo(want, 10);
    net.dispose();
  });
});

describe('CUBA (Brian2 example parameters)', () => {
  test('mean rate over 1 s at dt = 0.1 ms is in the range Brian2 gives (≈ 5.7 Hz)', () => {
    const net = createLifCuba({ seed: 1 });
    net.run(1000);
    const rate = net.spikeCount / 4000;
    // Brian2 2.5.1 (bench/peers/brian2_cuba.py, 5 seeds): 5.4–6.1 Hz.
    expect(rate).toBeGreaterThan(5.0);
    expect(rate).toBeLessThan(6.5);
    const mem = net.memory();
    expect(mem.stateBytesPerNeuron).toBeLessThanOrEqual(48);
    expect(mem.synapseBytesPerSynapse).toBeLessThanOrEqual(12);
    expect(mem.synapses / (4000 * 4000)).toBeCloseTo(0.02, 3);
    net.dispose();
  });
});

describe('validation and failure', () => {
  const bad: [string, () => unknown, string][] = [
    ['dt ≤ 0', () => new LifNetwork({ dt: 0 }), 'dt'],
    ['dt not finite', () => new LifNetwork({ dt: Number.NaN }), 'dt'],
    ['V_r ≥ V_th', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { vReset: 1, vThreshold: 1 }), 'params.vReset'],
    ['τ_s ≤ 0', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { tauSyn: -1 }), 'params.tauSyn'],
    ['τ_m ≤ 0 (array)', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 2, { tauMem: [20, 0] }), 'params.tauMem[1]'],
    ['wrong array length', () => new LifNetwork({ dt: 0.1 }).addPopulation('p', 3, { mu: [1, 2] }), 'params.mu.length'],
    ['EM step beyond its stability limit', () => new LifNetwork({ dt: 1 }).addPopulation('p', 2, { tauSyn: 0.4 }), 'dt'],
    ['unknown integrator', () => new LifNetwork({ dt: 0.1, integrator: 'rk4' as never }), 'integrator'],
    ['unknown spike rule', () => new LifNetwork({ dt: 0.1, spikeRule: 'cubic' as never }), 'spikeRule'],
    [
      'weight not finite',
      () => {
        const n = new LifNetwork({ dt: 0.1 });
        n.addPopulation('p', 2);
        n.connect('p', 'p', { connector: { type: 'allToAll' }, weight: Number.POSITIVE_INFINITY });
      },
      'options.weight',
    ],
    [
      'dense weights not finite',
      () => {
        const n = new LifNetwork({ dt: 0.1 });
        n.addPopulation('p', 2);
        n.connect('p', 'p', { connector: { type: 'dense', matrix: [0, 1, Number.NaN, 0] } });
      },
      'options.connector.matrix[2]',
    ],
    [
      'csr target out of range',
      () => {
        const n = new LifNetwork({ dt: 0.1 });
        n.addPopulation('p', 2);
        n.connect('p', 'p', { connector: { type: 'csr', rowPtr: [0, 1, 1], cols: [2] }, weight: 1 });
      },
      'options.connector.cols[0]',
    ],
  ];
  test.each(bad.map(([d, f, a]) => [`${d} ⇒ ValidationError naming ${a}`, f, a] as const))('%s', (_, f, arg) => {
    let err: unknown;
    try {
      f();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).argument).toBe(arg);
  });

  test('a state that becomes non-finite ⇒ NumericalError with step, neuron and time; spikes so far readable', () => {
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear' });
    net.addPopulation('ok', 1, { mu: 0.055, sigma: 0 });
    net.addPopulation('boom', 1, { mu: 0.055, sigma: 0 });
    net.connect('boom', 'boom', { connector: { type: 'allToAll', autapses: true }, weight: 1e308 });
    const m = net.addSpikeMonitor();
    let err: NumericalError | undefined;
    try {
      net.run(500);
    } catch (e) {
      err = e as NumericalError;
    }
    expect(err).toBeInstanceOf(NumericalError);
    expect(err?.index).toBe(1);
    expect(err?.step).toBeGreaterThan(470);
    expect(err?.time).toBeCloseTo((err?.step ?? 0) * 0.1, 9);
    expect(m.timesOf(0)[0]).toBeCloseTo(Math.log(11) * 20, 2);
    expect(m.timesOf(1).length).toBeGreaterThanOrEqual(1);
    net.dispose();
  });
});

describe('plain TypeScript reference loop', () => {
  test('lifReferenceRun reproduces the kernel (EM + linear, uncoupled, noisy) spike for spike', async () => {
    const { lifReferenceRun } = await import('../../src/index.js');
    const N = 200;
    const net = new LifNetwork({ dt: 0.1, integrator: 'euler-maruyama', spikeRule: 'linear', seed: 9 });
    net.addPopulation('p', N, { mu: 0.055, sigma: 0.02, v0: 0.5 });
    const m = net.addSpikeMonitor();
    net.run(300);
    const v = new Float64Array(N).fill(0.5);
    const i = new Float64Array(N).fill(0.055);
    const ref: number[] = [];
    lifReferenceRun(
      { v, i },
      { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 },
      { dt: 0.1, duration: 300, seed: 9, onSpike: (n, s, o) => ref.push(n, s, o) },
    );
    const s = m.spikes();
    expect(ref.length / 3).toBe(s.neuron.length);
    let maxDiff = 0;
    for (let k = 0; k < s.neuron.length; k++) {
      expect(ref[3 * k]).toBe(s.neuron[k]);
      expect(ref[3 * k + 1]).toBe(s.step[k]);
      maxDiff = Math.max(maxDiff, Math.abs(ref[3 * k + 2] - s.offset[k]));
    }
    // Only the ziggurat slow path (engine vs kernel exp/log) may differ, in the last bits.
    expect(maxDiff).toBeLessThan(1e-9);
    const st = net.state();
    for (let k = 0; k < N; k++) expect(v[k]).toBeCloseTo(st.v[k], 9);
    net.dispose();
  });
});
