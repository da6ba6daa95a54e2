// Heterogeneous populations (per-neuron parameters) on the SIMD path: bit-identical to the general
// scalar path (an independent implementation of the same step) for every flag combination, run
// chunking, shared noise; plus closed-form checks that each lane got its own neuron's parameters.
import { describe, expect, test } from 'vitest';
import { fingerprint, LifNetwork, type LifPopulationParams, lifReferenceRun } from '../../src/index.js';

type Integrator = 'euler-maruyama' | 'exact';
type Rule = 'grid' | 'linear' | 'hermite';

/** Deterministic spread in [lo, hi) (golden-ratio sequence), so every neighbouring pair differs. */
function spread(n: number, lo: number, hi: number, shift: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => lo + (hi - lo) * (((k + shift) * 0.6180339887498949) % 1));
}

/** Every per-neuron parameter varies (tRef optional, on the grid or not). */
function hetParams(n: number, tRef: 'off' | 'time' | 'grid', poisson: boolean): LifPopulationParams {
  return {
    tauMem: spread(n, 12, 28, 0),
    vLeak: spread(n, -0.1, 0.1, 1),
    vThreshold: spread(n, 0.9, 1.15, 2),
    vReset: spread(n, -0.2, 0.1, 3),
    tauSyn: spread(n, 2, 8, 4),
    tauSyn2: spread(n, 6, 12, 5),
    mu: spread(n, 0.05, 0.07, 6),
    sigma: spread(n, 0.01, 0.04, 7),
    tRef: tRef === 'off' ? 0 : tRef === 'grid' ? Float64Array.from({ length: n }, (_, k) => [1, 2, 0.5][k % 3]) : spread(n, 0.35, 2.55, 8),
    v0: { uniform: [0, 1] },
    i20: spread(n, -0.01, 0.01, 9),
    ...(poisson ? { poisson: { rate: 900, weight: 0.004 } } : {}),
  };
}

/**
 * A homogeneous population of 37 (so the heterogeneous one starts at an odd index: one neuron on
 * the general path, then blocks of 8, a pair and a lone neuron), a heterogeneous one of 212, a
 * delayed recurrent projection (ring buffer, heterogeneous targets) and a zero-delay one.
 */
function network(
  integrator: Integrator,
  spikeRule: Rule,
  tRef: 'off' | 'time' | 'grid',
  poisson: boolean,
  fastPath: boolean,
  sharedNoise = 0,
  fineSteps = 1,
): LifNetwork {
  const net = new LifNetwork({ dt: 0.1, integrator, spikeRule, seed: 11, fastPath, noise: { fineSteps } });
  net.addPopulation('h0', 37, { mu: 0.06, sigma: 0.02, v0: { uniform: [0, 1] } });
  net.addPopulation('het', 212, { ...hetParams(212, tRef, poisson), sharedNoise });
  net.connect('h0', 'het', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.01, delay: 0.37 });
  net.connect('het', 'het', { connector: { type: 'fixedInDegree', k: 5 }, weight: -0.004, channel: 1 });
  return net;
}

function run(net: LifNetwork, chunks: number[]): { fp: string; spikes: number } {
  const m = net.addSpikeMonitor();
  for (const c of chunks) net.run(c);
  const s = m.spikes();
  const st = net.state();
  const fp = fingerprint(s.neuron, s.step, s.offset, s.A, st.v, st.i, st.i2, st.refUntil);
  net.dispose();
  return { fp, spikes: s.neuron.length };
}

const combos: [Integrator, Rule, 'off' | 'time' | 'grid', boolean][] = [];
for (const integrator of ['euler-maruyama', 'exact'] as const)
  for (const rule of ['grid', 'linear', 'hermite'] as const)
    for (const tRef of rule === 'grid' ? (['off', 'time', 'grid'] as const) : (['off', 'time'] as const))
      for (const poisson of [false, true]) combos.push([integrator, rule, tRef, poisson]);

describe('heterogeneous populations on the SIMD path', () => {
  test.each(combos)(
    '%s + %s, tRef %s, Poisson %s: SIMD path = general path bit for bit, any chunking',
    (integrator, rule, tRef, poisson) => {
      const general = run(network(integrator, rule, tRef, poisson, false), [60]);
      const simd = run(network(integrator, rule, tRef, poisson, true), [60]);
      const chunked = run(network(integrator, rule, tRef, poisson, true), [7, 0.1, 22.9, 30]);
      expect(general.spikes).toBeGreaterThan(60);
      expect(simd.fp).toBe(general.fp);
      expect(chunked.fp).toBe(general.fp);
    },
  );

  test.each(['euler-maruyama', 'exact'] as const)(
    '%s with shared noise (homogeneous and heterogeneous): SIMD path = general path',
    (integrator) => {
      for (const tRef of ['off', 'time'] as const) {
        const general = run(network(integrator, 'linear', tRef, true, false, 0.3), [50]);
        const simd = run(network(integrator, 'linear', tRef, true, true, 0.3), [20, 30]);
        expect(general.spikes).toBeGreaterThan(40);
        expect(simd.fp).toBe(general.fp);
      }
      // Homogeneous populations with shared noise also run on the SIMD path now.
      const homo = (fastPath: boolean) => {
        const net = new LifNetwork({ dt: 0.1, integrator, seed: 4, fastPath });
        net.addPopulation('a', 101, { mu: 0.06, sigma: 0.03, sharedNoise: 0.5, tRef: 1.25, v0: { uniform: [0, 1] } });
        return run(net, [40]);
      };
      expect(homo(true).fp).toBe(homo(false).fp);
    },
  );

  test.each([
    ['euler-maruyama', 2],
    ['exact', 3],
    ['exact', 4],
  ] as const)('%s with fineSteps %i (shared noise, Poisson, tRef): SIMD path = general path', (integrator, F) => {
    for (const [tRef, shared, poisson] of [
      ['time', 0.3, true],
      ['off', 0, false],
      ['off', 0, true],
    ] as const) {
      const general = run(network(integrator, 'hermite', tRef, poisson, false, shared, F), [40]);
      const simd = run(network(integrator, 'hermite', tRef, poisson, true, shared, F), [13, 27]);
      expect(general.spikes).toBeGreaterThan(20);
      expect(simd.fp).toBe(general.fp);
    }
    // Homogeneous, no Poisson (the noise-only loop), odd size; and noise-free with Poisson drive
    // (lane masks over the F fine steps), heterogeneous.
    const homo = (fastPath: boolean) => {
      const net = new LifNetwork({ dt: 0.2, integrator, seed: 9, fastPath, noise: { fineSteps: F } });
      net.addPopulation('a', 61, { mu: 0.06, sigma: 0.03, v0: { uniform: [0, 1] } });
      net.addPopulation('q', 50, {
        mu: spread(50, 0.04, 0.05, 0),
        sigma: 0,
        poisson: { rate: 2000, weight: 0.02 },
        v0: { uniform: [0, 1] },
      });
      return run(net, [40]);
    };
    const fast = homo(true);
    expect(fast.spikes).toBeGreaterThan(50);
    expect(fast.fp).toBe(homo(false).fp);
  });

  test('the plain-TS reference loop with per-neuron parameters reproduces the SIMD path spike for spike (EM + linear)', () => {
    const N = 203;
    const p = {
      tauMem: spread(N, 1 / 28, 1 / 12, 0).map((g) => 1 / g),
      vLeak: spread(N, -0.1, 0.1, 1),
      vThreshold: spread(N, 0.9, 1.1, 2),
      vReset: spread(N, -0.2, 0.1, 3),
      tauSyn: spread(N, 2, 8, 4),
      mu: spread(N, 0.05, 0.07, 5),
      sigma: spread(N, 0.01, 0.04, 6),
    };
    const net = new LifNetwork({ dt: 0.1, integrator: 'euler-maruyama', spikeRule: 'linear', seed: 9 });
    net.addPopulation('p', N, { ...p, v0: 0.5 });
    const m = net.addSpikeMonitor();
    net.run(200);
    const v = new Float64Array(N).fill(0.5);
    const i = p.mu.slice();
    const ref: number[] = [];
    lifReferenceRun({ v, i }, p, { dt: 0.1, duration: 200, seed: 9, onSpike: (n, st, o) => ref.push(n, st, o) });
    const s = m.spikes();
    expect(s.neuron.length).toBeGreaterThan(300);
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

  test('σ = 0, exact + hermite: each neuron fires with its own closed-form period (lanes get their own parameters)', () => {
    // Constant I = μ_i from V_r: T_i = τ_i ln((μ_i − g_i(V_r,i − V_L,i)) / (μ_i − g_i(V_th,i − V_L,i))).
    const n = 64;
    const tauMem = spread(n, 10, 30, 0);
    const vLeak = spread(n, -0.1, 0.1, 1);
    const vThreshold = spread(n, 0.9, 1.1, 2);
    const vReset = spread(n, -0.2, 0.1, 3);
    const mu = spread(n, 0.12, 0.2, 4);
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'hermite' });
    net.addPopulation('p', n, { tauMem, vLeak, vThreshold, vReset, mu, sigma: 0, v0: vReset });
    const m = net.addSpikeMonitor();
    net.run(100);
    let worst = 0;
    for (let k = 0; k < n; k++) {
      const g = 1 / tauMem[k];
      const T = tauMem[k] * Math.log((mu[k] - g * (vReset[k] - vLeak[k])) / (mu[k] - g * (vThreshold[k] - vLeak[k])));
      const t = m.timesOf(k);
      expect(t.length).toBe(Math.floor(100 / T));
      t.forEach((x, j) => {
        worst = Math.max(worst, Math.abs(x - (j + 1) * T));
      });
    }
    expect(worst).toBeLessThan(1e-7);
    net.dispose();
  });

  test('exact integrator: stationary Var I = σ_i² per neuron group (alternating σ catches swapped lanes)', () => {
    const n = 4000;
    const sigma = Float64Array.from({ length: n }, (_, k) => (k % 2 ? 0.03 : 0.01));
    const tauSyn = Float64Array.from({ length: n }, (_, k) => (k % 4 < 2 ? 4 : 6));
    const net = new LifNetwork({ dt: 0.1, integrator: 'exact', seed: 3 });
    net.addPopulation('p', n, { sigma, tauSyn, mu: 0, vThreshold: 100, i0: 0 });
    net.run(60); // > 10 τ_s: the start-up transient e^{-2t/τ_s} is below 1e-6
    const { i } = net.state();
    for (const [par, sd] of [
      [0, 0.01],
      [1, 0.03],
    ]) {
      let s2 = 0;
      let m = 0;
      for (let k = par; k < n; k += 2) {
        s2 += i[k] * i[k];
        m++;
      }
      // 2000 samples: the variance estimate has relative SD √(2/2000) ≈ 3.2 %; allow 12 %.
      expect(Math.abs(s2 / m / (sd * sd) - 1)).toBeLessThan(0.12);
    }
    net.dispose();
  });

  test('memory(): pair blocks of 8 (EM), 12 (exact) or 15 (exact, fineSteps > 1) f64 per neuron on top of the 176 B coefficient rows', () => {
    for (const [integrator, F, perNeuron] of [
      ['euler-maruyama', 1, 64],
      ['euler-maruyama', 2, 64],
      ['exact', 1, 96],
      ['exact', 2, 120],
    ] as const) {
      const net = network(integrator, 'linear', 'off', false, true, 0, F);
      const mem = net.memory();
      // h0: one homogeneous row; het: 212 rows + 107 pair blocks (start 37 is odd: 213 lanes).
      expect(mem.paramBytes).toBe(176 + 212 * 176 + 107 * 2 * perNeuron);
      net.dispose();
      const slow = network(integrator, 'linear', 'off', false, false);
      expect(slow.memory().paramBytes).toBe(176 + 212 * 176);
      slow.dispose();
    }
  });
});
