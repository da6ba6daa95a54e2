import { describe, expect, test } from 'vitest';
import { randomNetwork, rateSynchronyStudy, ValidationError } from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);

describe('recurrent rates and synchrony (LifNetwork)', () => {
  test('loop-truncated mean-field rate vs simulation (weakly coupled excitatory network)', async () => {
    const network = randomNetwork({ size: 60, p: 0.1, weight: 0.004, mu: 0.045, sigma: 0.02 });
    const r = await rateSynchronyStudy({ network, duration: 2000, trials: 3, seed: 'rs', workers: 0, order: 4 });
    // Recurrent excitation raises the rate above the uncoupled (order-0) estimate…
    expect(r.loopTruncatedRate[4]).toBeGreaterThan(r.loopTruncatedRate[0]);
    expect(r.rate.value).toBeGreaterThan(r.loopTruncatedRate[0]);
    // …and successive loop orders converge (contraction of the loop series).
    expect(Math.abs(r.loopTruncatedRate[4] - r.loopTruncatedRate[3])).toBeLessThan(
      Math.abs(r.loopTruncatedRate[1] - r.loopTruncatedRate[0]),
    );
    // The truncated estimate is within 20% of the simulation (Fourcaud–Brunel is approximate at τ_s/τ_m = 1/4).
    expect(Math.abs(r.loopTruncatedRate[4] / r.rate.value - 1)).toBeLessThan(0.2);
    // Asynchronous state: χ small, near 1/√n, and weak positive spike-count correlations.
    expect(r.chi.value).toBeLessThan(0.35);
    expect(r.chi.value).toBeGreaterThan(0.5 / Math.sqrt(60));
    expect(Math.abs(r.meanCorrelation.value)).toBeLessThan(0.1);
    expect(JSON.parse(JSON.stringify(r)).kind).toBe('numerics.rateSynchrony');
  });

  test('loop-truncated synchrony estimate vs simulation: holds for weak coupling, flagged invalid for strong coupling', async () => {
    // Weak coupling: loop gain ρ(|K|) ≈ 0.1–0.2, |J|/σ_eff ≤ 0.25. Long count windows
    // (250 ms ≫ τ_s, τ_m, ISI) approach the zero-frequency limit the estimate describes.
    const common = { duration: 20000, dt: 0.1, binSize: 250, sampleEverySteps: 50, seed: 'sync', workers: 2, workerUrl };
    for (const [weight, mu] of [
      [-0.005, 0.05],
      [0.0025, 0.045],
    ]) {
      const network = randomNetwork({ size: 40, p: 0.2, weight, mu, sigma: 0.02 });
      const r = await rateSynchronyStudy({ ...common, network, trials: 6 });
      const e = r.synchronyEstimate;
      expect(e.valid).toBe(true);
      // Independent neurons would give ρ = 0 and χ = 1/√40 = 0.158: the simulation rejects that…
      expect(Math.sign(weight) * r.meanCorrelation.value).toBeGreaterThan(2 * r.meanCorrelation.se);
      expect(Math.abs(r.countChi.value - 1 / Math.sqrt(40))).toBeGreaterThan(3 * r.countChi.se);
      // …and agrees with the estimate: mean correlation within 3 Monte-Carlo SE, count χ within 5%.
      expect(Math.abs(r.meanCorrelation.value - e.meanCorrelation)).toBeLessThan(3 * r.meanCorrelation.se);
      expect(Math.abs(r.countChi.value / e.countChi - 1)).toBeLessThan(0.05);
    }
    // Strong coupling: the loop series diverges (runaway excitation); the estimate says so.
    const strong = randomNetwork({ size: 40, p: 0.2, weight: 0.03, mu: 0.045, sigma: 0.02 });
    const s = await rateSynchronyStudy({ ...common, duration: 1000, network: strong, trials: 2 });
    expect(s.synchronyEstimate.valid).toBe(false);
    expect(s.synchronyEstimate.reason).toMatch(/loop gain/);
    expect(s.synchronyEstimate.loopGain).toBeGreaterThan(1);
    expect(s.rate.value).toBeGreaterThan(5 * s.loopTruncatedRate[4]);
  }, 120_000);

  test('a network outside the mean-field frame is simulated, its estimate left out with the reason; bad input is named', async () => {
    const mixed = {
      populations: [
        { name: 'a', size: 4, params: { mu: 0.05, sigma: 0.02 } },
        { name: 'b', size: 4, params: { mu: 0.05, sigma: 0.02, tauMem: 10 } },
      ],
    };
    const r = await rateSynchronyStudy({ network: mixed, duration: 200, trials: 2, seed: 1, workers: 0 });
    expect(r.rate.value).toBeGreaterThan(0);
    expect(r.loopTruncatedRate).toEqual([]);
    expect(r.synchronyEstimate.valid).toBe(false);
    expect(r.synchronyEstimate.reason).toMatch(/gL/);
    expect(() => randomNetwork({ size: 10, p: 2, weight: 0.01, mu: 0.05, sigma: 0.02 })).toThrow(/options.p/);
    await expect(rateSynchronyStudy({ network: mixed, duration: 10, trials: 1, seed: 1, workers: 0 })).rejects.toThrow(ValidationError);
    await expect(rateSynchronyStudy({ network: mixed, duration: 10, trials: 2, bin: 5, workers: 0 } as never)).rejects.toThrow(
      /did you mean 'binSize'/,
    );
  });
});
