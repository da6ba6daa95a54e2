import { describe, expect, test } from 'vitest';
import {
  AbortedError,
  feedforwardNetwork,
  lyapunovStudy,
  lyapunovTrial,
  meanConfidence,
  randomNetwork,
  ValidationError,
} from '../../src/index.js';

const uncoupled = (size: number) => ({ populations: [{ name: 'p', size, params: { mu: 0.05, sigma: 0.02 } }] });

describe('Lyapunov estimators on LifNetwork', () => {
  test('uncoupled neurons: tangent = per-neuron identity; finite differences of the linear rule agree; the flux formula agrees within its error', () => {
    const rows = [0, 1, 2, 3, 4, 5].map((trial) =>
      lyapunovTrial({ network: uncoupled(8), dt: 0.02, duration: 3000, burnIn: 100, seed: 'lyap', trial, tangents: 8 }),
    );
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // Uncoupled: the cocycle is block-diagonal, the V exponents are the identity's, and the mean of
    // the top 8 tangent exponents is their mean (to rounding).
    for (const r of rows) expect(Math.abs(mean(r.spectrum) - mean(r.vExponent))).toBeLessThan(1e-8);
    const tang = rows.flatMap((r) => r.vExponent);
    const fd = rows.flatMap((r) => r.fdNeuron);
    const flux = rows.map((r) => r.fluxFormula[0]);
    const mt = meanConfidence(tang);
    const mx = meanConfidence(flux);
    // Noise drives λ_V below 0 (stable, reliable spiking).
    expect(mt.value).toBeLessThan(0);
    // Same path: per-neuron tangent and finite difference of the scheme differ by O(h) only.
    for (let i = 0; i < tang.length; i++) expect(Math.abs(tang[i] - fd[i])).toBeLessThan(1e-3);
    expect(Math.abs(mt.value - meanConfidence(fd).value)).toBeLessThan(3e-4);
    // Independent estimator (threshold density from state samples): within its statistical error, and 2 %.
    expect(Math.abs(mx.value - mt.value)).toBeLessThan(3 * Math.hypot(mx.se, mt.se) + 1e-4);
    expect(Math.abs(mx.value / mt.value - 1)).toBeLessThan(0.02);
    // Top exponent = the largest neuron's own (block-diagonal), up to the boundary term g_L T*/T.
    for (const r of rows) expect(Math.abs(r.spectrum[0] - Math.max(...r.vExponent))).toBeLessThan(3e-3);
  });

  test('recurrent network: the top QR exponent (saltation with kick terms) agrees with finite differences', () => {
    const network = randomNetwork({ size: 20, p: 0.3, weight: 0.02, mu: 0.045, sigma: 0.02 });
    for (const trial of [0, 1, 2]) {
      const r = lyapunovTrial({ network, dt: 0.05, duration: 3000, burnIn: 200, seed: 'recly', trial, tangents: 3 });
      expect(r.rate[0]).toBeGreaterThan(10);
      expect(r.spectrum[0]).toBeLessThan(0);
      expect(r.spectrum[0]).toBeGreaterThan(r.spectrum[1]);
      expect(Math.abs(r.spectrum[0] - r.fdTop)).toBeLessThan(1.5e-3);
    }
  });

  test('feedforward network (the example): tangent vs flux formula within 2 %, over 2 trials on 0 workers', async () => {
    const r = await lyapunovStudy({
      network: feedforwardNetwork({ sizes: [10, 10] }),
      dt: 0.05,
      duration: 1500,
      trials: 2,
      seed: 'ff',
      workers: 0,
    });
    expect(r.rows.length).toBe(2);
    // Block-triangular cocycle: the top-N sum is the diagonal sum up to boundary terms O(1/T).
    expect(Math.abs(r.tangent.value - r.identity.value)).toBeLessThan(1e-6);
    expect(Math.abs(r.fluxFormula.value / r.tangent.value - 1)).toBeLessThan(0.02);
    expect(JSON.parse(JSON.stringify(r)).kind).toBe('numerics.lyapunov');
  });

  test('refusals and bad input name the reason; a timer-fired abort stops a 0-worker study within 50 ms', { retry: 2 }, async () => {
    expect(() => lyapunovTrial({ network: uncoupled(1), duration: 10, seed: 1, spikeRule: 'grid' as 'linear' })).toThrow(/tangent/);
    expect(() => lyapunovTrial({ network: uncoupled(1), duration: 10, seed: 1, T: 10 } as never)).toThrow(/did you mean 'duration'/);
    expect(() => lyapunovTrial({ network: uncoupled(2), duration: 10, tangents: 7 })).toThrow(ValidationError);
    const delayed = {
      ...uncoupled(2),
      projections: [{ from: 'p', to: 'p', connector: { type: 'allToAll' as const }, weight: 0.01, delay: 1 }],
    };
    expect(() => lyapunovTrial({ network: delayed, duration: 10 })).toThrow(/delay/);
    const ac = new AbortController();
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      ac.abort();
    }, 100);
    await expect(lyapunovStudy({ network: uncoupled(20), duration: 1e6, trials: 2, workers: 0, signal: ac.signal })).rejects.toBeInstanceOf(
      AbortedError,
    );
    expect(performance.now() - fired).toBeLessThan(50);
  });
});
