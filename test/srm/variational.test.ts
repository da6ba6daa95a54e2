import { describe, expect, test } from 'vitest';
import { SrmNetwork, type SrmSpikeTrain, SrmVariational, Streams, uniforms, ValidationError } from '../../src/index.js';

const P = { tau: 5, tauAdapt: 10, eta0: 2, rho0: 0.05, theta: 0, deltaU: 0.7, dt: 1 };
const n = 5;
const visible = [1, 1, 1, 0, 0];

/** Weights with no hidden → visible synapses (so log P(X_V) is computable exactly). */
function weights(seed: number, hiddenToVisible: boolean): number[] {
  const u = uniforms(seed, 0, n * n, { stream: Streams.init });
  return Array.from(u, (x, k) => {
    const i = Math.floor(k / n);
    const j = k % n;
    if (!hiddenToVisible && visible[i] && !visible[j]) return 0;
    return 2 * (x - 0.5);
  });
}

function visibleData(): SrmSpikeTrain {
  const gen = new SrmNetwork({ n: 3, weights: [0, 1, 0, 0, 0, 1, 1, 0, 0], bias: 0.5, ...P });
  const d = gen.sample(600, { seed: 'data' }).train;
  gen.dispose();
  return d;
}

describe('SrmVariational', () => {
  const data = visibleData();

  test('Q = M on hidden rows and no hidden→visible synapses: F̂ = −log P(X_V) exactly, for every sample', () => {
    const wM = weights(1, false);
    const v = new SrmVariational({ n, visible, ...P, weightsM: wM, weightsQ: wM, biasM: -0.3, biasQ: -0.3 });
    // log P(X_V): the visible sub-network (its synapses among visible neurons) on the data
    const sub = new SrmNetwork({ n: 3, weights: [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => wM[i * n + j])), bias: -0.3, ...P });
    const logPV = sub.logLikelihood(data).total;
    for (let trial = 0; trial < 5; trial++) {
      const e = v.estimate(data, { seed: 3, trial });
      expect(Math.abs(e.freeEnergy + logPV)).toBeLessThan(1e-9 * Math.abs(logPV));
      expect(e.logQ).toBeLessThan(0);
    }
    v.dispose();
    sub.dispose();
  });

  test('for Q ≠ M, E_Q[F̂] ≥ −log P(X_V) (the gap is KL(Q‖P(X_H|X_V)) > 0); Q learning shrinks it', () => {
    const wM = weights(2, false);
    const v = new SrmVariational({ n, visible, ...P, weightsM: wM, weightsQ: weights(3, true), biasM: -0.3, biasQ: 0.3 });
    const sub = new SrmNetwork({ n: 3, weights: [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => wM[i * n + j])), bias: -0.3, ...P });
    const logPV = sub.logLikelihood(data).total;
    const gaps = (from: number, m: number) => {
      const g: number[] = [];
      for (let t = from; t < from + m; t++) g.push(v.estimate(data, { seed: 'gap', trial: t }).freeEnergy + logPV);
      const mean = g.reduce((a, b) => a + b, 0) / m;
      const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / (m - 1));
      return { mean, se: sd / Math.sqrt(m) };
    };
    const before = gaps(0, 40);
    expect(before.mean - 3 * before.se).toBeGreaterThan(0);
    // Q learning only (M fixed): the expected gap (= F + log P(X_V)) must shrink
    for (let e = 0; e < 300; e++) v.learnStep(data, { learningRateM: 0, learningRateQ: 2e-3, seed: 'learn', trial: e, normalize: true });
    const after = gaps(1000, 40);
    expect(after.mean).toBeLessThan(before.mean - 3 * Math.hypot(before.se, after.se));
    expect(after.mean - 3 * after.se).toBeLessThan(before.mean);
    v.dispose();
    sub.dispose();
  });

  test('M learning increases the ELBO on average; results are reproducible from the seed', () => {
    const run = () => {
      const v = new SrmVariational({ n, visible, ...P, biasM: -1, biasQ: -1 });
      const f: number[] = [];
      for (let e = 0; e < 200; e++)
        f.push(v.learnStep(data, { learningRateM: 0.005, learningRateQ: 1e-3, seed: 's', trial: e }).freeEnergy);
      const w = v.model.weights();
      v.dispose();
      return { f, w };
    };
    const a = run();
    const first = a.f.slice(0, 20).reduce((x, y) => x + y, 0) / 20;
    const last = a.f.slice(-20).reduce((x, y) => x + y, 0) / 20;
    expect(last).toBeLessThan(first);
    const b = run();
    expect(Array.from(b.w)).toEqual(Array.from(a.w));
  });

  test('masks: wrong shape or a plastic visible row in Q are rejected, naming the argument', () => {
    expect(() => new SrmVariational({ n, visible, maskM: [1, 1] })).toThrow(/maskM.length: expected 25, got 2/);
    expect(() => new SrmVariational({ n, visible: [1, 0] })).toThrow(/visible.length: expected 5/);
    const bad = new Array(25).fill(0);
    bad[1] = 1; // row 0 is visible
    expect(() => new SrmVariational({ n, visible, maskQ: bad })).toThrow(/maskQ\[1\]: expected 0 \(row 0 is a visible neuron/);
    expect(() => new SrmVariational({ n, visible: [0, 0, 0, 0, 0] })).toThrow(ValidationError);
    const v = new SrmVariational({ n, visible });
    expect(() => v.estimate({ n: 5, steps: 1, spikes: new Uint8Array(5) })).toThrow(/data.n: expected 3/);
    expect(() => v.learnStep(data, { learningRateM: -1, learningRateQ: 0 })).toThrow(/learningRateM/);
    v.dispose();
  });
});
