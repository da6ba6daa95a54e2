import { describe, expect, test } from 'vitest';
import { randomLabNetwork, rateSynchronyStudy, ValidationError } from '../../src/index.js';

const workerUrl = new URL('../../dist/worker.js', import.meta.url);

describe('recurrent rates and synchrony', () => {
  test('loop-truncated mean-field rate vs simulation (weakly coupled excitatory network)', async () => {
    const network = randomLabNetwork({ n: 60, p: 0.1, jump: 0.004, mu: 0.045, sigma: 0.02, seed: 'er' });
    const r = await rateSynchronyStudy({ network, T: 2000, trials: 3, seed: 'rs', workers: 0, order: 4 });
    // Recurrent excitation raises the rate above the uncoupled (order-0) estimate…
    expect(r.loopTruncatedHz[4]).toBeGreaterThan(r.loopTruncatedHz[0]);
    expect(r.rateHz.value).toBeGreaterThan(r.loopTruncatedHz[0]);
    // …and successive loop orders converge (contraction of the loop series).
    expect(Math.abs(r.loopTruncatedHz[4] - r.loopTruncatedHz[3])).toBeLessThan(Math.abs(r.loopTruncatedHz[1] - r.loopTruncatedHz[0]));
    // The truncated estimate is within 20% of the simulation (Fourcaud–Brunel is approximate at τ_s/τ_m = 1/4).
    expect(Math.abs(r.loopTruncatedHz[4] / r.rateHz.value - 1)).toBeLessThan(0.2);
    // Asynchronous state: χ small, near 1/√n, and weak positive spike-count correlations.
    expect(r.chi.value).toBeLessThan(0.35);
    expect(r.chi.value).toBeGreaterThan(0.5 / Math.sqrt(60));
    expect(Math.abs(r.meanCorrelation.value)).toBeLessThan(0.1);
  });
  test('loop-truncated synchrony estimate vs simulation: holds for weak coupling, flagged invalid for strong coupling', async () => {
    // Weak coupling: loop gain ρ(|K|) ≈ 0.1–0.2, |J|/σ_eff ≤ 0.25. Long count windows
    // (250 ms ≫ τ_s, τ_m, ISI) approach the zero-frequency limit the estimate describes.
    // Measured (6 trials × 20 s): inhibitory J = −0.005: ρ̄ −0.0074 ± 0.0006 vs estimate −0.0073,
    // count χ 0.133 vs 0.134; excitatory J = 0.0025: ρ̄ 0.0082 ± 0.0016 vs 0.0058, χ 0.181 vs 0.175.
    const common = { T: 20000, h: 0.1, bin: 250, sampleEvery: 50, seed: 'sync', workers: 2, workerUrl };
    for (const [jump, mu] of [
      [-0.005, 0.05],
      [0.0025, 0.045],
    ]) {
      const net = randomLabNetwork({ n: 40, p: 0.2, jump, mu, sigma: 0.02, seed: 1 });
      const r = await rateSynchronyStudy({ ...common, network: net, trials: 6 });
      const e = r.synchronyEstimate;
      expect(e.valid).toBe(true);
      // Independent neurons would give ρ = 0 and χ = 1/√40 = 0.158: the simulation rejects that…
      expect(Math.sign(jump) * r.meanCorrelation.value).toBeGreaterThan(2 * r.meanCorrelation.se);
      expect(Math.abs(r.countChi.value - 1 / Math.sqrt(40))).toBeGreaterThan(3 * r.countChi.se);
      // …and agrees with the estimate: mean correlation within 3 Monte-Carlo SE, count χ within 5%.
      expect(Math.abs(r.meanCorrelation.value - e.meanCorrelation)).toBeLessThan(3 * r.meanCorrelation.se);
      expect(Math.abs(r.countChi.value / e.countChi - 1)).toBeLessThan(0.05);
    }
    // Strong coupling: the loop series diverges (runaway excitation); the estimate says so.
    const strong = randomLabNetwork({ n: 40, p: 0.2, jump: 0.03, mu: 0.045, sigma: 0.02, seed: 1 });
    // Measured: 8897 Hz (every step fires) against a loop-truncated 84 Hz.
    const s = await rateSynchronyStudy({ ...common, T: 1000, network: strong, trials: 2 });
    expect(s.synchronyEstimate.valid).toBe(false);
    expect(s.synchronyEstimate.reason).toMatch(/loop gain/);
    expect(s.synchronyEstimate.loopGain).toBeGreaterThan(1);
    expect(s.rateHz.value).toBeGreaterThan(5 * s.loopTruncatedHz[4]);
  }, 60_000);
  test('bad input', async () => {
    expect(() => randomLabNetwork({ n: 10, p: 2, jump: 0.01, mu: 0.05, sigma: 0.02, seed: 1 })).toThrow(/^p|p:/);
    await expect(rateSynchronyStudy({ network: { n: 2, mu: 0.05, sigma: 0.02 }, T: 10, trials: 1, seed: 1, workers: 0 })).rejects.toThrow(
      ValidationError,
    );
  });
});
