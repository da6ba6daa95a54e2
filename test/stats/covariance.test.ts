import { describe, expect, test } from 'vitest';
import {
  isiStatistics,
  LifLabSimulation,
  lifCvColouredNoise,
  lifRateColouredNoise,
  loopTruncatedCovariance,
  spikeCountCorrelations,
  spikeTrainsByNeuron,
} from '../../src/index.js';

const base = { tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5 };

describe('loop-truncated synchrony estimate', () => {
  test('ISI CV formula vs simulation in the near-white-noise limit (τ_s = 0.25 ms)', () => {
    // Short τ_s with σ scaled by √(5/0.25) keeps the voltage noise σ_V = σ√(2 τ_s τ_m) of S1.
    const p = { ...base, tauSyn: 0.25, mu: 0.045, sigma: 0.02 * Math.sqrt(20) };
    const n = 40;
    const sim = new LifLabSimulation(
      { n, mu: p.mu, sigma: p.sigma, tauSyn: p.tauSyn },
      { h: 0.01, seed: 3, integrator: 'exact', rule: 'hermite' },
    );
    sim.advance(150000); // 1.5 s
    const sp = sim.spikes();
    sim.dispose();
    let cv = 0;
    for (const t of spikeTrainsByNeuron(sp, { n }).times) cv += isiStatistics(t.slice(3), { ddof: 1 }).cv / n;
    // Measured 0.578 (2 s run) vs formula 0.579; rate 15.2 vs 15.3 Hz. Tolerance 5% (MC + h).
    expect(Math.abs(cv / lifCvColouredNoise(p) - 1)).toBeLessThan(0.05);
    expect(Math.abs(sp.neuron.length / n / 1.5 / lifRateColouredNoise(p) - 1)).toBeLessThan(0.05);
    // Limits: deterministic firing has CV 0; a silent neuron has none.
    expect(lifCvColouredNoise({ ...base, mu: 0.06, sigma: 0 })).toBe(0);
    expect(lifCvColouredNoise({ ...base, mu: 0.01, sigma: 0 })).toBeNaN();
  });

  test('two neurons j → i: order 1 is K C⁰ + C⁰ Kᵀ, high order tends to (1 − K)⁻¹ C⁰ (1 − Kᵀ)⁻¹', () => {
    // J[i·n + j]: neuron 0 receives from neuron 1 (jump 0.004) and neuron 1 from 0 (jump 0.002).
    const J = [0, 0.004, 0.002, 0];
    const e1 = loopTruncatedCovariance({ ...base, mu: [0.045, 0.05], sigma: [0.02, 0.02], J }, { order: 1 });
    const K = e1.K;
    const nu = e1.rateHz;
    expect(K[1]).toBeCloseTo(5 * 0.004 * (e1.gainHz[0] / 1000), 14);
    const C0 = [nu[0] * e1.cv[0] ** 2, nu[1] * e1.cv[1] ** 2];
    // Off-diagonal at order 1: K_01 C⁰_11 + C⁰_00 K_10.
    expect(e1.covariance[1]).toBeCloseTo(K[1] * C0[1] + C0[0] * K[2], 12);
    expect(e1.covariance[0]).toBeCloseTo(C0[0], 12);
    const eInf = loopTruncatedCovariance({ ...base, mu: [0.045, 0.05], sigma: [0.02, 0.02], J }, { order: 60 });
    // (1 − K)⁻¹ for the 2×2 case by hand.
    const det = 1 - K[1] * K[2];
    const Minv = [1 / det, K[1] / det, K[2] / det, 1 / det];
    const full = [0, 0, 0, 0];
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++) for (let k = 0; k < 2; k++) full[a * 2 + b] += Minv[a * 2 + k] * C0[k] * Minv[b * 2 + k];
    for (let q = 0; q < 4; q++) expect(eInf.covariance[q]).toBeCloseTo(full[q], 10);
    expect(eInf.valid).toBe(true);
    // No coupling: zero correlation, χ = 1/√n.
    const e0 = loopTruncatedCovariance({
      ...base,
      mu: [0.045, 0.045, 0.045, 0.045],
      sigma: [0.02, 0.02, 0.02, 0.02],
      J: new Float64Array(16),
    });
    expect(e0.meanCorrelation).toBe(0);
    expect(e0.countChi).toBeCloseTo(0.5, 14);
    expect(e0.loopGain).toBe(0);
  });

  test('count χ of the binned counts: 1 for identical trains, 1/√n-ish for disjoint ones', () => {
    const t = [5, 17, 33, 61, 62, 90, 140, 141, 142, 180];
    const same = spikeCountCorrelations(
      { neuron: [...t.map(() => 0), ...t.map(() => 1)], time: [...t, ...t] },
      { n: 2, tStop: 200, binSize: 20 },
    );
    expect(same.countChi).toBeCloseTo(1, 12);
    expect(same.meanPairwise).toBeCloseTo(1, 12);
  });

  test('bad input names the argument', () => {
    expect(() => loopTruncatedCovariance({ ...base, mu: [0.045], sigma: [0.02], J: [0, 0] })).toThrow(
      /network.J.length: expected 1, got 2/,
    );
    expect(() => loopTruncatedCovariance({ ...base, mu: [0.045], sigma: [0.02], J: [0] }, { order: -1 })).toThrow(/options.order/);
    expect(() => loopTruncatedCovariance({ ...base, tauSyn: 0, mu: [0.045], sigma: [0.02], J: [0] })).toThrow(/network.tauSyn/);
    expect(() => loopTruncatedCovariance({ ...base, gL: 0.05, mu: [0.045], sigma: [0.02], J: [0] } as never)).toThrow(
      /unknown option 'gL'/,
    );
    expect(() => lifRateColouredNoise({ ...base, mu: 0.05, sigma: 0.02, vTh: 1 } as never)).toThrow(/did you mean 'vThreshold'\?/);
  });
});
