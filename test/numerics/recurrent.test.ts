import { describe, expect, test } from 'vitest';
import { randomLabNetwork, rateSynchronyStudy, ValidationError } from '../../src/index.js';

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
  test('bad input', async () => {
    expect(() => randomLabNetwork({ n: 10, p: 2, jump: 0.01, mu: 0.05, sigma: 0.02, seed: 1 })).toThrow(/^p|p:/);
    await expect(rateSynchronyStudy({ network: { n: 2, mu: 0.05, sigma: 0.02 }, T: 10, trials: 1, seed: 1, workers: 0 })).rejects.toThrow(
      ValidationError,
    );
  });
});
