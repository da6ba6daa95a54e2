import { describe, expect, test } from 'vitest';
import { crossingSpeedStatistics, LifLabSimulation, lifRateColouredNoise, riceRate } from '../../src/index.js';

describe('crossing speeds of a simulated noisy population', () => {
  // 50 independent neurons, S1 parameters, 10 s at h = 0.02 ms (EM + linear rule).
  const n = 50;
  const sim = new LifLabSimulation({ n, mu: 0.05, sigma: 0.02 }, { h: 0.02, seed: 'palm', chunk: 50 });
  const V: number[] = [];
  const I: number[] = [];
  for (let k = 0; k < 10_000; k++) {
    sim.advance(50);
    const s = sim.state;
    for (let i = 0; i < n; i++) {
      V.push(s.V[i]);
      I.push(s.I[i]);
    }
  }
  const sp = sim.spikes();
  sim.dispose();
  const T = 10_000;

  test('P(A < α)/α² stays bounded as α → 0 (near-tangential crossings are O(α²))', () => {
    expect(sp.A.length).toBeGreaterThan(8000);
    const rows = crossingSpeedStatistics(sp.A, { alphas: [0.016, 0.008, 0.004, 0.002], duration: n * T });
    // If the Palm density of A were positive at 0, the ratio would double at each halving of α.
    const r = rows.map((x) => x.nearTangentialOverAlpha2);
    expect(r[3]).toBeLessThan(2.5 * r[0]);
    expect(rows[0].nearTangential).toBeGreaterThan(0);
    // E[A⁻² 1{A ≥ α}] grows at most logarithmically: the increments per halving stay bounded.
    const inc = rows.slice(1).map((x, k) => x.inverseSquare - rows[k].inverseSquare);
    expect(inc[2]).toBeLessThan(3 * inc[0] + 1e3);
  });

  test('Rice (threshold-flux) rate from state samples agrees with the counted rate', () => {
    const counted = sp.A.length / (n * T); // 1/ms
    const rice = riceRate(V, I, { tauMem: 20, vThreshold: 1, width: 0.02 }) / 1000; // Hz → 1/ms
    expect(Math.abs(rice / counted - 1)).toBeLessThan(0.1);
    // And the coloured-noise Siegert/Fourcaud–Brunel rate is in the same range (approximation for τ_s/τ_m = 1/4).
    const fb = lifRateColouredNoise({ tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.05, sigma: 0.02 }) / 1000;
    expect(Math.abs(fb / counted - 1)).toBeLessThan(0.25);
  });
});
