import { describe, expect, test } from 'vitest';
import {
  isPMatrix,
  LtnBatch,
  lcsSimulate,
  ldsTest,
  ltnEquilibria,
  ltnFamilyMember,
  ltnGammaGap,
  ltnMatrix,
  ltnSimulate,
  ltnStabilityReport,
  ltnVectorField,
  pdsRateBound,
  pdsSimulate,
} from '../../src/index.js';
import { CYCLIC_NET, LDS_EQ, LDS_NET, maxDiff, randomLdsNet, rng } from './helpers.js';

describe('equilibria (LCP)', () => {
  test('LDS example: x* = (1/0.8, 0) by every LCP method', () => {
    for (const method of ['enumerate', 'pivoting', 'lemke', 'projected'] as const) {
      const r = ltnEquilibria(LDS_NET, { method });
      expect(r.equilibria.length).toBe(1);
      expect(maxDiff(r.equilibria[0], LDS_EQ)).toBeLessThan(1e-10);
    }
  });

  test('mutual inhibition (M not a P-matrix): all three equilibria listed, each a fixed point', () => {
    const net = {
      d: [1, 1],
      W: [
        [0, -2],
        [-2, 0],
      ],
      u: [1, 1],
    };
    const r = ltnEquilibria(net);
    expect(r.equilibria.map((x) => Array.from(x))).toEqual(
      [
        [0, 1],
        [1 / 3, 1 / 3],
        [1, 0],
      ].map((x) => x.map((v) => expect.closeTo(v, 12))),
    );
    for (const x of r.equilibria) expect(maxDiff(ltnVectorField(net, x), [0, 0])).toBeLessThan(1e-14);
  });

  test('singular M (continuum of equilibria): the isolated one is listed, the singular support counted', () => {
    // M = [[1, −1], [−1, 1]], u = 0: every x1 = x2 ≥ 0 is an equilibrium
    const r = ltnEquilibria({
      d: [1, 1],
      W: [
        [0, 1],
        [1, 0],
      ],
      u: [0, 0],
    });
    expect(r.equilibria.map((x) => Array.from(x))).toEqual([[0, 0]]);
    expect(r.singularSupports).toBe(1);
    expect(
      ltnVectorField(
        {
          d: [1, 1],
          W: [
            [0, 1],
            [1, 0],
          ],
          u: [0, 0],
        },
        [0.7, 0.7],
      ),
    ).toEqual(new Float64Array([0, 0]));
  });

  test('random LDS networks (n = 4..30): enumeration, pivoting, Lemke and the projected iteration agree', () => {
    const r = rng(5);
    for (const n of [4, 6, 9, 20, 30]) {
      const net = randomLdsNet(r, n);
      const piv = ltnEquilibria(net, { method: 'pivoting' }).equilibria[0];
      const lem = ltnEquilibria(net, { method: 'lemke' }).equilibria[0];
      expect(maxDiff(piv, lem)).toBeLessThan(1e-10);
      if (n <= 9) {
        const all = ltnEquilibria(net, { method: 'enumerate' });
        expect(all.equilibria.length).toBe(1); // LDS ⇒ P-matrix ⇒ unique
        expect(maxDiff(all.equilibria[0], piv)).toBeLessThan(1e-10);
        expect(maxDiff(ltnEquilibria(net, { method: 'projected' }).equilibria[0], piv)).toBeLessThan(1e-8);
      }
      expect(maxDiff(ltnVectorField(net, piv), new Float64Array(n))).toBeLessThan(1e-10);
    }
  });

  test('equilibria are γ-independent across LTN_γ', () => {
    const r = rng(6);
    for (let k = 0; k < 5; k++) {
      const net = randomLdsNet(r, 5);
      const base = ltnEquilibria(net).equilibria;
      for (const g of [1e-3, 0.3, 30, 1e4]) {
        const eg = ltnEquilibria(ltnFamilyMember(net, { gamma: g })).equilibria;
        expect(eg.length).toBe(base.length);
        expect(maxDiff(eg[0], base[0])).toBeLessThan(1e-9);
      }
    }
    const cyc = ltnEquilibria(CYCLIC_NET).equilibria;
    expect(maxDiff(ltnEquilibria(ltnFamilyMember(CYCLIC_NET, { gamma: 50 })).equilibria[0], cyc[0])).toBeLessThan(1e-10);
  });
});

describe('LDS network: every method reaches the LCP solution; the PDS obeys V(t) ≤ V(0)e^{−κt}', () => {
  test('16 random initial conditions, 10 methods (LTN_γ for γ = 1 and 20)', () => {
    const r = rng(7);
    const starts = Array.from({ length: 16 }, () => [r(0, 4), r(0, 4)]);
    const T = 40; // slowest rate 0.8 ⇒ e^{−32}
    for (const x0 of starts) {
      for (const method of ['euler', 'rk4', 'dopri5', 'event-driven'] as const) {
        expect(maxDiff(ltnSimulate(LDS_NET, x0, { duration: T, method, dt: 5e-3 }).final, LDS_EQ)).toBeLessThan(1e-8);
      }
      expect(maxDiff(ltnSimulate(LDS_NET, x0, { duration: T, method: 'event-driven', gamma: 20 }).final, LDS_EQ)).toBeLessThan(1e-8);
      for (const method of ['projected-euler', 'event-driven'] as const) {
        expect(maxDiff(pdsSimulate(LDS_NET, x0, { duration: T, method, dt: 5e-3 }).final, LDS_EQ)).toBeLessThan(1e-8);
      }
      expect(maxDiff(lcsSimulate(LDS_NET, x0, { duration: T, dt: 5e-3 }).final, LDS_EQ)).toBeLessThan(1e-8);
    }
    for (const method of ['rk4', 'pds'] as const) {
      using b = new LtnBatch(LDS_NET, starts, { dt: 5e-3, method, gamma: 1 });
      const s = b.run(T).stateArray();
      for (let k = 0; k < starts.length; k++) expect(maxDiff(s.subarray(2 * k, 2 * k + 2), LDS_EQ)).toBeLessThan(1e-8);
    }
  });

  test('random LDS network, n = 5: batch RK4/PDS, DOPRI5, exact and the LCS reach the LCP solution from 12 starts', () => {
    const r = rng(10);
    const net = randomLdsNet(r, 5);
    expect(ldsTest(ltnMatrix(net)).verdict).toBe('lds');
    const xs = ltnEquilibria(net).equilibria[0];
    const starts = Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => r(-1, 4)));
    const pos = starts.map((x) => x.map((v) => Math.max(0, v)));
    const T = 60;
    for (const [method, init] of [
      ['rk4', starts],
      ['pds', pos],
    ] as const) {
      using b = new LtnBatch(net, init, { dt: 5e-3, method });
      const s = b.run(T).stateArray();
      for (let k = 0; k < init.length; k++) expect(maxDiff(s.subarray(5 * k, 5 * k + 5), xs)).toBeLessThan(1e-7);
    }
    for (let k = 0; k < 4; k++) {
      expect(maxDiff(ltnSimulate(net, starts[k], { duration: T, method: 'dopri5' }).final, xs)).toBeLessThan(1e-7);
      expect(maxDiff(ltnSimulate(net, starts[k], { duration: T, method: 'event-driven' }).final, xs)).toBeLessThan(1e-7);
      expect(maxDiff(lcsSimulate(net, starts[k], { duration: T, dt: 1e-2 }).final, xs)).toBeLessThan(1e-7);
    }
  });

  test('V(t) = (x − x*)ᵀP(x − x*) ≤ V(0)e^{−κt} along exact PDS trajectories (checked here, not by the report)', () => {
    const lds = ldsTest(ltnMatrix(LDS_NET));
    const p = lds.certificate?.p as Float64Array;
    const kappa = pdsRateBound(ltnMatrix(LDS_NET), p);
    expect(kappa).toBeGreaterThan(0);
    const r = rng(9);
    for (let k = 0; k < 10; k++) {
      const tr = pdsSimulate(LDS_NET, [r(0, 4), r(0, 4)], { duration: 10, method: 'event-driven', sampleInterval: 0.01 });
      const V = (s: number) => p[0] * (tr.x[2 * s] - LDS_EQ[0]) ** 2 + p[1] * (tr.x[2 * s + 1] - LDS_EQ[1]) ** 2;
      const v0 = V(0);
      for (let s = 1; s < tr.time.length; s++)
        expect(V(s)).toBeLessThanOrEqual(v0 * Math.exp(-kappa * tr.time[s]) * (1 + 1e-9) + 1e-15 * v0);
    }
  });

  test('stability report: κ, Lyapunov bound along exact PDS trajectories, measured rates', () => {
    const rep = ltnStabilityReport(LDS_NET, { trials: 12, seed: 3 });
    expect(rep.lds.verdict).toBe('lds');
    expect(rep.pMatrix?.isP).toBe(true);
    expect(maxDiff(rep.equilibrium as Float64Array, LDS_EQ)).toBeLessThan(1e-12);
    expect(rep.kappa).toBeGreaterThan(0);
    expect(rep.lyapunovBoundHolds).toBe(true);
    expect(rep.observedRate as number).toBeGreaterThanOrEqual(rep.kappa as number);
    // LTN (γ = 1) near x*: unit 2 silent (decays at d_2 = 3), unit 1 alone: rate m_11 = 0.8
    expect(Math.abs((rep.ltnObservedRate as number) - 0.8)).toBeLessThan(5e-3);
    expect(rep.ltnConverged).toBe(true);
  });

  test('random LDS networks (n = 3, 4): Lyapunov bound and convergence hold', () => {
    const r = rng(8);
    for (let k = 0; k < 3; k++) {
      const net = randomLdsNet(r, 3 + (k % 2));
      const rep = ltnStabilityReport(net, { trials: 4, seed: k });
      expect(rep.lds.verdict).toBe('lds');
      expect(rep.lyapunovBoundHolds).toBe(true);
      expect(rep.observedRate as number).toBeGreaterThanOrEqual(rep.kappa as number);
      expect(rep.ltnConverged).toBe(true);
    }
  });
});

describe('P-matrix, not LDS: oscillates', () => {
  test('the cyclic network is a P-matrix, not LDS, and its LTN keeps oscillating around the unique x*', () => {
    const M = ltnMatrix(CYCLIC_NET);
    expect(isPMatrix(M).isP).toBe(true);
    const lds = ldsTest(M);
    expect(lds.verdict).toBe('not-lds');
    expect(lds.margin).toBeLessThan(0);
    const eq = ltnEquilibria(CYCLIC_NET).equilibria;
    expect(eq.length).toBe(1);
    expect(maxDiff(eq[0], [0.25, 0.25, 0.25])).toBeLessThan(1e-12);
    const tr = ltnSimulate(CYCLIC_NET, [0.3, 0.2, 0.25], { duration: 150, method: 'event-driven', sampleInterval: 0.1 });
    const n = tr.time.length;
    let lo = Infinity;
    let hi = -Infinity;
    let minDist = Infinity;
    for (let k = n - 500; k < n; k++) {
      lo = Math.min(lo, tr.x[3 * k]);
      hi = Math.max(hi, tr.x[3 * k]);
      minDist = Math.min(minDist, maxDiff(tr.x.subarray(3 * k, 3 * k + 3), eq[0]));
    }
    expect(hi - lo).toBeGreaterThan(0.3); // sustained oscillation, not decay
    expect(minDist).toBeGreaterThan(0.05); // stays away from x*
    const rep = ltnStabilityReport(CYCLIC_NET, { trials: 1, duration: 60 });
    expect(rep.kappa).toBeNull();
    expect(rep.ltnConverged).toBe(false);
  });
});

describe('fast limit: gap between LTN_γ and the PDS', () => {
  test('sup_t ‖x_γ − x_PDS‖_∞ = O(1/γ): fitted log–log slope ≈ −1', () => {
    const r = ltnGammaGap(LDS_NET, [0.2, 1.5], [10, 30, 100, 300, 1000], { duration: 4 });
    for (let i = 1; i < r.gaps.length; i++) expect(r.gaps[i]).toBeLessThan(r.gaps[i - 1]);
    expect(r.slope).toBeGreaterThan(-1.1);
    expect(r.slope).toBeLessThan(-0.9);
  });
});
