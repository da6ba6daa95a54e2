// Particle network vs the Fokker–Planck equation (seed 001 eq. (1)): the stationary per-neuron
// rates of M stochastic LIF neurons grouped by weight must match the PDE's N(w)/H(w) and the
// semi-explicit N_{N̄,I}(w) = a/Z (eq. (20)) within Monte-Carlo error.
import { describe, expect, test } from 'vitest';
import { FokkerPlanckSolver, FpParticleNetwork, fingerprint, fpGaussianDensity, kernelMemory, ValidationError } from '../../src/index.js';

const I = (w: number) => 1.2 * Math.exp(-((w + 0.5) ** 2) / 0.05);
const G = 10; // weight groups, H uniform on [−1, 0]
const PER = 1000;

describe('FpParticleNetwork', () => {
  test('stationary rates match the PDE within Monte-Carlo error', () => {
    const weights = new Float64Array(G * PER);
    for (let g = 0; g < G; g++) weights.fill(-1 + (g + 0.5) / G, g * PER, (g + 1) * PER);
    const net = new FpParticleNetwork({ weights, input: I, a: 1, vReset: 0, vThreshold: 1, dt: 0.004, seed: 2017, tauRate: 0.1 });
    net.run(4);
    net.resetCounters();
    const T = 24;
    net.run(T);
    const counts = net.counts();

    const grid = { vMin: -5, vReset: 0, vThreshold: 1, nv: 480, wMin: -1, wMax: 0, nw: G };
    const fp = new FokkerPlanckSolver({
      grid,
      a: 1,
      dt: 0.02,
      input: (_t, w) => w.map(I),
      initial: fpGaussianDensity(grid, { mean: 0, sd: 0.5 }),
    });
    fp.run(30);
    const N = fp.rates();
    const H = fp.weightDistribution();
    let worstZ = 0;
    const rel: number[] = [];
    for (let g = 0; g < G; g++) {
      let c = 0;
      for (let j = g * PER; j < (g + 1) * PER; j++) c += counts[j];
      const pde = N[g] / H[g]; // per-neuron rate
      const mc = c / (PER * T);
      const se = Math.sqrt(c) / (PER * T); // Poisson bound (LIF spike trains are more regular: CV < 1)
      worstZ = Math.max(worstZ, Math.abs(mc - pde) / se);
      rel.push((mc - pde) / pde);
    }
    console.log('particle vs PDE per-group relative differences:', rel.map((x) => x.toFixed(4)).join(' '), 'max |z| =', worstZ.toFixed(2));
    console.log('N̄ particle', net.meanNbar(), 'PDE', fp.nbar);
    expect(worstZ).toBeLessThan(4);
    expect(Math.abs(net.meanNbar() - fp.nbar) / fp.nbar).toBeLessThan(0.01);
    net.dispose();
    fp.dispose();
  });

  test('results depend on the seed only, not on chunking', () => {
    const weights = Float64Array.from({ length: 101 }, (_, j) => -j / 100);
    const make = () => new FpParticleNetwork({ weights, input: 0.8, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 'x', trial: 3 });
    const a = make();
    a.run(3);
    const b = make();
    for (let j = 0; j < 30; j++) b.run(0.1);
    expect(fingerprint(a.potentials(), a.counts())).toBe(fingerprint(b.potentials(), b.counts()));
    const c = new FpParticleNetwork({ weights, input: 0.8, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 'x', trial: 4 });
    c.run(3);
    expect(fingerprint(c.potentials())).not.toBe(fingerprint(a.potentials()));
    for (const n of [a, b, c]) n.dispose();
  });

  test('validation and memory', () => {
    const base = { weights: [0, -1], input: 0, a: 1, vReset: 0, vThreshold: 1, dt: 0.01, seed: 1 };
    const bad: [string, Record<string, unknown>][] = [
      ['a', { a: 0 }],
      ['vReset', { vReset: 2 }],
      ['dt', { dt: -1 }],
      ['weights[1]', { weights: [0, Number.NaN] }],
      ['v0[0]', { v0: [1.5, 0] }],
    ];
    for (const [arg, o] of bad) {
      let err: unknown;
      try {
        new FpParticleNetwork({ ...base, ...o } as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).argument).toBe(arg);
    }
    const before = kernelMemory().bytes;
    for (let j = 0; j < 10; j++) new FpParticleNetwork(base).dispose();
    expect(kernelMemory().bytes).toBe(before);
  });
});

describe("worker task 'fp.particles'", () => {
  test('rows are identical inline and on 2 workers; replicas differ', async () => {
    const { runTrials } = await import('../../src/index.js');
    const workerUrl = new URL('../../dist/worker.js', import.meta.url);
    const params = {
      weights: Array.from({ length: 40 }, (_, j) => -j / 40),
      input: 1,
      a: 1,
      vReset: 0,
      vThreshold: 1,
      dt: 0.01,
      burnIn: 1,
      duration: 2,
      group: 10,
    };
    const inline = await runTrials('fp.particles', { seed: 5, range: [0, 4], params, workers: 0 });
    const pooled = await runTrials('fp.particles', { seed: 5, range: [0, 4], params, workers: 2, workerUrl });
    const fps = (r: typeof inline) => r.rows.map((x) => (x.ok ? (x.value as { fingerprint: string }).fingerprint : 'error'));
    expect(fps(pooled)).toEqual(fps(inline));
    expect(new Set(fps(inline)).size).toBe(4);
    const v = inline.rows[0].ok ? (inline.rows[0].value as { rates: number[] }) : null;
    expect(v?.rates).toHaveLength(4);
  });
});
