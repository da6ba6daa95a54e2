// Stationary theory (seed 001, Sections 3–7) against independent facts: scipy's value of the
// explicit rate, two independent evaluations of Z (Laplace form vs erfcx form), the profile's
// normalisation and flux, the steady-state count for one excitatory weight (one for b ≤ V_F − V_R,
// two for 1 < b < b_c ≈ 2.101, none above; research notes 3.4), round trips, and eq. (46) by
// finite differences.
import { describe, expect, test } from 'vitest';
import {
  fpDiscrimination,
  fpInverseProblem,
  fpLearningEquilibrium,
  fpLogZ,
  fpReducedSlowEvolve,
  fpReducedSlowStationary,
  fpStationaryProfile,
  fpStationaryRate,
  fpStationaryStates,
  ValidationError,
} from '../../src/index.js';

const M = { a: 1, vReset: 1, vThreshold: 2 };
const I = (w: number) => 1.5 * Math.exp(-((w + 0.5) ** 2) / 0.01);

describe('Z and N = a/Z (eqs. (18)–(20))', () => {
  test('N = 0.1199759652 for a = 1, V_F = 2, V_R = 1 (scipy quad of the erfcx form)', () => {
    expect(Math.abs(fpStationaryRate(0, M) - 0.1199759652391049)).toBeLessThan(1e-13);
  });
  test('Laplace and erfcx evaluations agree; no overflow for large |w|', () => {
    for (const mu of [-60, -20, -3, -0.5, 0, 0.7, 1.5, 2, 3, 10, 100]) {
      for (const m of [M, { a: 0.3, vReset: 0, vThreshold: 1 }]) {
        const a = fpLogZ(mu, m);
        const b = fpLogZ(mu, { ...m, method: 'erfcx' });
        expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.max(1, Math.abs(a)));
      }
    }
    expect(fpStationaryRate(-1e4, M)).toBe(0); // e^{−5e7} underflows to 0, not NaN
    expect(Number.isFinite(fpLogZ(-1e4, M))).toBe(true);
    expect(fpLogZ(-1e4, M)).toBeGreaterThan(4.9e7);
    const big = fpStationaryRate(1e4, M); // deterministic limit 1/log((μ−V_R)/(μ−V_F)) ≈ μ/(V_F−V_R)
    expect(Math.abs(big - 1 / Math.log((1e4 - 1) / (1e4 - 2))) / big).toBeLessThan(1e-3);
  });
  test('profile Q (eq. (18)) integrates to 1, vanishes at V_F and has flux −aQ′(V_F) = N', () => {
    const mu = 0.4;
    const n = 40000;
    const lo = -8;
    const v = Float64Array.from({ length: n + 1 }, (_, j) => lo + ((2 - lo) * j) / n);
    const q = fpStationaryProfile(mu, v, M);
    const h = (2 - lo) / n;
    let s = 0.5 * (q[0] + q[n]);
    for (let j = 1; j < n; j++) s += q[j];
    expect(Math.abs(s * h - 1)).toBeLessThan(1e-6);
    expect(q[n]).toBe(0);
    const d = (-3 * q[n] + 4 * q[n - 1] - q[n - 2]) / (2 * h); // −Q′(V_F), one-sided 2nd order
    expect(Math.abs(M.a * d - fpStationaryRate(mu, M))).toBeLessThan(1e-6);
  });
});

describe('fixed point ψ(N̄) = N̄ (eq. (28))', () => {
  const one = (b: number) => fpStationaryStates({ ...M, w: [b], dw: 1, H: [1], input: 0 });
  test('one excitatory weight: 1, 2, 0 steady states for b = 0.5, 1.5, 2.5', () => {
    expect(one(0.5).states).toHaveLength(1);
    expect(one(1.5).states).toHaveLength(2);
    expect(one(2.5).states).toHaveLength(0);
    for (const r of [one(0.5), one(1.5), one(2.5)]) expect(r.complete).toBe(true);
    for (const s of one(1.5).states) expect(Math.abs(fpStationaryRate(1.5 * s.nbar, M) - s.nbar)).toBeLessThan(1e-12);
  });
  test('inhibitory network: unique root, self-consistent', () => {
    const w = Float64Array.from({ length: 40 }, (_, k) => -2 + (k + 0.5) * 0.05);
    const r = fpStationaryStates({ ...M, w, dw: 0.05, H: w.map(() => 1), input: w.map(I) });
    expect(r.states).toHaveLength(1);
    expect(r.complete).toBe(true);
    const s = r.states[0];
    expect(s.slope).toBeLessThan(0); // ψ decreasing: crosses the diagonal from above
    let sum = 0;
    for (let k = 0; k < 40; k++) sum += s.N[k] * 0.05;
    expect(Math.abs(sum - s.nbar)).toBeLessThan(1e-12);
  });
});

describe('inverse problem (Theorem 4.1)', () => {
  test('S from a known H is mapped back to that H and N̄', () => {
    const w = Float64Array.from({ length: 60 }, (_, k) => -1.5 + (k + 0.5) * 0.025);
    const H = w.map((x) => Math.exp(-((x + 0.7) ** 2) / 0.1));
    let m = 0;
    for (const x of H) m += x * 0.025;
    const Hn = H.map((x) => x / m);
    const s = fpStationaryStates({ ...M, w, dw: 0.025, H: Hn, input: w.map(I) }).states[0];
    const S = s.N.map((x) => x / s.nbar);
    const inv = fpInverseProblem({ ...M, w, dw: 0.025, S, input: w.map(I) });
    expect(inv.solutions).toHaveLength(1);
    expect(inv.complete).toBe(true);
    const sol = inv.solutions[0];
    expect(Math.abs(sol.nbar - s.nbar) / s.nbar).toBeLessThan(1e-10);
    for (let k = 0; k < 60; k++) expect(Math.abs(sol.H[k] - Hn[k])).toBeLessThan(1e-9 * Math.max(1, Hn[k]));
  });
});

describe('learning equilibria (Proposition 6.2) and noise selection (Theorem 7.1)', () => {
  const model = { a: 1, vReset: 0, vThreshold: 1 };
  const e = fpLearningEquilibrium({ ...model, input: I }).equilibria;
  test('K = −1: one equilibrium, support [−√2 N̄, 0], ∫H = 1, N̄ = ∫H·N_{N̄,I}', () => {
    expect(e).toHaveLength(1);
    const { nbar, support, H } = e[0];
    expect(Math.abs(support[0] + Math.SQRT2 * nbar)).toBeLessThan(1e-14);
    const n = 20000;
    let mass = 0;
    let act = 0;
    for (let j = 0; j < n; j++) {
      const x = support[0] * (1 - (j + 0.5) / n);
      const h = H(x);
      mass += h;
      act += h * fpStationaryRate(I(x) + x * nbar, model);
    }
    const dx = -support[0] / n;
    expect(Math.abs(mass * dx - 1)).toBeLessThan(1e-6);
    expect(Math.abs(act * dx - nbar)).toBeLessThan(1e-6);
    expect(H(support[0] - 1e-9)).toBe(0);
  });
  test('a K given as a function gives the same equilibrium as the constant', () => {
    const a = fpLearningEquilibrium({ ...model, input: I, K: -2 }).equilibria[0];
    const b = fpLearningEquilibrium({ ...model, input: I, K: () => -2 }).equilibria[0];
    expect(Math.abs(a.nbar - b.nbar)).toBeLessThan(1e-9);
    expect(Math.abs(a.support[0] + 2 * a.nbar)).toBeLessThan(1e-12); // φ² = −2K N̄²
  });
  test('reduced slow equation: H_ν solves (46) and tends to Proposition 6.2 as ν → 0', () => {
    const target = e[0];
    const dists: number[] = [];
    let last: ReturnType<typeof fpReducedSlowStationary> | null = null;
    for (const nu of [0.02, 0.005, 0.00125]) {
      const r = fpReducedSlowStationary({ ...model, input: I, nu, points: 1201, wMin: -1.5 });
      let d = 0;
      for (let j = 0; j < r.w.length; j++) d += Math.abs(r.H[j] - target.H(r.w[j])) * (1.5 / 1200);
      dists.push(d);
      last = r;
      // eq. (46) by centred differences at interior points
      const dw = 1.5 / 1200;
      for (const j of [300, 600, 900, 1150]) {
        const Hp = (r.H[j + 1] - r.H[j - 1]) / (2 * dw);
        const R = fpStationaryRate(I(r.w[j]) + r.w[j] * r.nbar, model);
        const rhs = (r.nbar * R * r.H[j] + r.w[j]) * r.H[j];
        expect(Math.abs(-nu * Hp - rhs)).toBeLessThan(2e-3 * Math.max(1, Math.abs(rhs)));
      }
    }
    console.log('L1(H_ν − H_Prop6.2) for ν = 0.02, 0.005, 0.00125:', dists.map((d) => d.toFixed(4)).join(', '));
    expect(dists[1]).toBeLessThan(dists[0]);
    expect(dists[2]).toBeLessThan(dists[1]);
    expect(dists[2]).toBeLessThan(0.1);
    expect(Math.abs((last as { nbar: number }).nbar - target.nbar) / target.nbar).toBeLessThan(0.02);
  });
});

describe('discrimination (Section 5, bound (30))', () => {
  const w = Float64Array.from({ length: 40 }, (_, k) => -1 + (k + 0.5) * 0.025);
  const H = w.map(() => 1);
  const Iw = w.map(I);
  const Jw = w.map((x) => 0.5 * Math.exp(-((x + 0.2) ** 2) / 0.01) + 0.5 * Math.exp(-((x + 0.6) ** 2) / 0.01));
  test('same input ⇒ distance 0; different inputs ⇒ positive distance and bound integral', () => {
    const same = fpDiscrimination({ ...M, w, dw: 0.025, H, I: Iw, J: Iw });
    expect(same.distance).toBe(0);
    const d = fpDiscrimination({ ...M, w, dw: 0.025, H, I: Iw, J: Jw });
    expect(d.distance).toBeGreaterThan(0.01);
    expect(d.boundIntegral).toBeGreaterThan(0);
    expect(Number.isFinite(d.ratio)).toBe(true);
  });
  test('bad inputs name the argument', () => {
    expect(() => fpDiscrimination({ ...M, a: 0, w, dw: 0.025, H, I: Iw, J: Jw })).toThrow(ValidationError);
    expect(() => fpStationaryRate(Number.NaN, M)).toThrow(/mu/);
    expect(() => fpStationaryStates({ ...M, vReset: 3, w, dw: 0.025, H, input: 0 })).toThrow(/vReset/);
  });
});

describe('reduced slow equation (43)–(45) in time', () => {
  test('converges to the Bernoulli steady state of (46); mass conserved', () => {
    const model = { a: 1, vReset: 0, vThreshold: 1 };
    const nw = 300;
    const H0 = Array.from({ length: nw }, (_, k) => (-1.5 + (k + 0.5) * (1.5 / nw) > -1 ? 1 : 0));
    const ev = fpReducedSlowEvolve({ ...model, input: I, nu: 0.01, H0, wMin: -1.5, dt: 0.01, duration: 30 });
    const st = fpReducedSlowStationary({ ...model, input: I, nu: 0.01, wMin: -1.5, points: 1201 });
    let d = 0;
    let mass = 0;
    for (let k = 0; k < nw; k++) {
      const x = (ev.w[k] + 1.5) / (1.5 / 1200);
      const j = Math.min(1199, Math.floor(x));
      d += Math.abs(ev.H[k] - (st.H[j] + (x - j) * (st.H[j + 1] - st.H[j]))) * (1.5 / nw);
      mass += ev.H[k] * (1.5 / nw);
      expect(ev.H[k]).toBeGreaterThanOrEqual(0);
    }
    // measured: L1 0.027 (0.016 with nw = 600: first order, the Rusanov diffusion), N̄ 0.5327 vs 0.5306
    expect(d).toBeLessThan(0.04);
    expect(Math.abs(ev.nbar - st.nbar) / st.nbar).toBeLessThan(0.01);
    expect(Math.abs(mass - 1)).toBeLessThan(1e-12);
  });
});
