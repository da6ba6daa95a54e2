// The exact one-step propagator of the 2-D OU system (V, I): quadrature covariance vs the
// closed-form integrals, and the kernel's one-step increments vs that covariance.
import { describe, expect, test } from 'vitest';
import { LifNetwork, lifCurrentResponse, lifPropagator } from '../../src/index.js';

function closedForm(a: number, b: number, sigma: number, h: number) {
  const s2 = 2 * sigma * sigma * b;
  const E = (r: number) => (1 - Math.exp(-r * h)) / r;
  return {
    varI: sigma * sigma * (1 - Math.exp(-2 * b * h)),
    covVI: (s2 / (a - b)) * (E(2 * b) - E(a + b)),
    varV: (s2 / (a - b) ** 2) * (E(2 * b) - 2 * E(a + b) + E(2 * a)),
  };
}

describe('lifPropagator', () => {
  test.each([
    [0.05, 0.2, 0.02, 0.1],
    [0.05, 0.2, 0.02, 2],
    [0.1, 1, 0.3, 0.5],
  ])('a=%s b=%s σ=%s h=%s: covariance equals the closed-form integrals to 1e-9 relative', (a, b, sigma, h) => {
    const p = lifPropagator({ tauMem: 1 / a, tauSyn: 1 / b, sigma, dt: h });
    const c = closedForm(a, b, sigma, h);
    expect(p.varI / c.varI - 1).toBeLessThan(1e-12);
    expect(Math.abs(p.covVI / c.covVI - 1)).toBeLessThan(1e-9);
    expect(Math.abs(p.varV / c.varV - 1)).toBeLessThan(1e-9);
    expect(p.cI ** 2).toBeCloseTo(p.varI, 15);
    expect(Math.abs((p.cVI ** 2 + p.cVV ** 2) / p.varV - 1)).toBeLessThan(1e-12);
    expect(p.p21).toBeCloseTo((Math.exp(-b * h) - Math.exp(-a * h)) / (a - b), 14);
  });

  test('a = b (τ_s = τ_m) is handled: G(t) = t e^{−at}', () => {
    expect(lifCurrentResponse(3, { tauMem: 10, tauSyn: 10 })).toBeCloseTo(3 * Math.exp(-0.3), 15);
    const p = lifPropagator({ tauMem: 10, tauSyn: 10, sigma: 0.2, dt: 0.5 });
    expect(Number.isFinite(p.varV) && p.varV > 0).toBe(true);
  });

  test('kernel: one exact step from a fixed state has the propagator mean and covariance (10^5 neurons)', () => {
    const a = 0.05;
    const b = 0.5;
    const sigma = 0.1;
    const h = 1;
    const N = 100_000;
    const net = new LifNetwork({ dt: h, integrator: 'exact', seed: 77 });
    net.addPopulation('p', N, { tauMem: 1 / a, tauSyn: 1 / b, mu: 0.01, sigma, v0: 0.3, i0: 0.05, vThreshold: 100 });
    net.run(h);
    const { v, i } = net.state();
    const p = lifPropagator({ tauMem: 1 / a, tauSyn: 1 / b, sigma, dt: h });
    const vinf = 0.01 / a;
    const mv = vinf + (0.3 - vinf) * p.eA + (0.05 - 0.01) * p.p21;
    const mi = 0.01 + 0.04 * p.eB;
    let sv = 0;
    let si = 0;
    let svv = 0;
    let sii = 0;
    let svi = 0;
    for (let k = 0; k < N; k++) {
      const dv = v[k] - mv;
      const di = i[k] - mi;
      sv += dv;
      si += di;
      svv += dv * dv;
      sii += di * di;
      svi += dv * di;
    }
    expect(Math.abs(sv / N)).toBeLessThan(4 * Math.sqrt(p.varV / N));
    expect(Math.abs(si / N)).toBeLessThan(4 * Math.sqrt(p.varI / N));
    expect(svv / N / p.varV).toBeGreaterThan(0.98);
    expect(svv / N / p.varV).toBeLessThan(1.02);
    expect(sii / N / p.varI).toBeGreaterThan(0.98);
    expect(sii / N / p.varI).toBeLessThan(1.02);
    expect(svi / N / p.covVI).toBeGreaterThan(0.98);
    expect(svi / N / p.covVI).toBeLessThan(1.02);
    net.dispose();
  });
});
