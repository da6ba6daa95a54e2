import { describe, expect, test } from 'vitest';
import {
  isHMatrix,
  isMMatrix,
  isPMatrix,
  ldsTest,
  ldsTwoByTwo,
  ltnFamilyMember,
  ltnMatrix,
  ltnReference,
  pdsBestRate,
  pdsRateBound,
} from '../../src/index.js';
import { CYCLIC_M, CYCLIC_NET, LDS_NET, randomLdsNet, rng } from './helpers.js';

// Independent check of a symmetric 2×2 or 3×3 being positive definite (Sylvester's criterion).
function posDef(s: number[][]): boolean {
  const n = s.length;
  if (!(s[0][0] > 0)) return false;
  const d2 = s[0][0] * s[1][1] - s[0][1] * s[1][0];
  if (!(d2 > 0)) return false;
  if (n === 2) return true;
  const d3 =
    s[0][0] * (s[1][1] * s[2][2] - s[1][2] * s[2][1]) -
    s[0][1] * (s[1][0] * s[2][2] - s[1][2] * s[2][0]) +
    s[0][2] * (s[1][0] * s[2][1] - s[1][1] * s[2][0]);
  return d3 > 0;
}
function lyap(m: number[][], p: ArrayLike<number>): number[][] {
  return m.map((row, i) => row.map((_, j) => p[i] * m[i][j] + m[j][i] * p[j]));
}

describe('P-, M-, H-matrix tests', () => {
  test('known cases', () => {
    expect(
      isPMatrix([
        [2, -1],
        [-1, 2],
      ]).isP,
    ).toBe(true);
    expect(
      isPMatrix([
        [1, 2],
        [2, 1],
      ]).isP,
    ).toBe(false); // det = −3
    expect(
      isPMatrix([
        [1, 2],
        [2, 1],
      ]).minMinor,
    ).toBeCloseTo(-3, 12);
    expect(
      isPMatrix([
        [0, 1],
        [-1, 1],
      ]).isP,
    ).toBe(false); // m11 = 0
    expect(isPMatrix(CYCLIC_M).isP).toBe(true); // minors 1, 1, 1 + 27
    expect(isPMatrix(CYCLIC_M).minMinor).toBe(1);
    expect(
      isMMatrix([
        [2, -1],
        [-1, 2],
      ]).isM,
    ).toBe(true);
    expect(
      isMMatrix([
        [1, -2],
        [-2, 1],
      ]).isM,
    ).toBe(false); // Z but det < 0
    expect(
      isMMatrix([
        [2, 1],
        [1, 2],
      ]).isZ,
    ).toBe(false);
    expect(
      isHMatrix([
        [3, 1],
        [-2, 3],
      ]).isH,
    ).toBe(true); // comparison [[3,-1],[-2,3]], det 7
    expect(
      isHMatrix([
        [1, 2],
        [2, 1],
      ]).isH,
    ).toBe(false);
    expect(
      isHMatrix([
        [-3, 1],
        [1, -3],
      ]).positiveDiagonal,
    ).toBe(false);
  });
});

describe('Lyapunov diagonal stability', () => {
  test('n = 2: the ascent agrees with the closed form (LDS ⇔ P-matrix) on 200 random matrices', () => {
    const r = rng(3);
    let lds = 0;
    let not = 0;
    for (let k = 0; k < 200; k++) {
      const m = [
        [r(-0.5, 2), r(-2, 2)],
        [r(-2, 2), r(-0.5, 2)],
      ];
      const cf = ldsTwoByTwo(m);
      const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
      const closeToBoundary = Math.min(Math.abs(m[0][0]), Math.abs(m[1][1]), Math.abs(det)) < 0.05;
      if (cf.isLds) {
        // the closed-form certificate is positive definite (checked independently)
        expect(posDef(lyap(m, cf.p as [number, number]))).toBe(true);
        if (m[1][0] !== 0) expect(cf.detS).toBeCloseTo((4 * m[0][0] * m[1][1] * det) / (m[1][0] * m[1][0]), 8);
      }
      if (closeToBoundary) continue;
      const t = ldsTest(m, { iterations: 3000 });
      if (cf.isLds) {
        expect(t.verdict).toBe('lds');
        expect(posDef(lyap(m, t.certificate?.p as Float64Array))).toBe(true);
        lds++;
      } else {
        expect(t.verdict).not.toBe('lds');
        expect(t.margin).toBeLessThanOrEqual(0);
        not++;
      }
    }
    expect(lds).toBeGreaterThan(20);
    expect(not).toBeGreaterThan(20);
  });

  test('n = 2: the margin equals max over p = (t, 1−t) of λ_min(PM+MᵀP), found by a grid search here', () => {
    const lmin = (m: number[][], t: number) => {
      const s = lyap(m, [t, 1 - t]);
      const tr = s[0][0] + s[1][1];
      const det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
      return tr / 2 - Math.sqrt((tr * tr) / 4 - det);
    };
    for (const m of [
      [
        [0.8, 1.5],
        [-1, 2.5],
      ],
      [
        [1, 3],
        [0.2, 1],
      ],
      [
        [2, -1],
        [4, 0.5],
      ],
    ]) {
      let best = -Infinity;
      for (let k = 0; k <= 200000; k++) best = Math.max(best, lmin(m, k / 200000));
      const t = ldsTest(m, { iterations: 20000 });
      expect(Math.abs(t.margin - best)).toBeLessThan(1e-4 * Math.max(1, Math.abs(best)));
      expect(t.upperBound).toBeGreaterThanOrEqual(best - 1e-12);
    }
  });

  test('symmetric positive definite M: margin = max_p λ_min(PM+MᵀP); diagonal M = diag(a) gives 2/Σ(1/a_i)', () => {
    // φ(p) = min_i 2 p_i a_i on the simplex is maximised at p_i ∝ 1/a_i: value 2/Σ(1/a)
    const a = [1, 2, 4];
    const t = ldsTest(
      [
        [1, 0, 0],
        [0, 2, 0],
        [0, 0, 4],
      ],
      { iterations: 20000 },
    );
    expect(t.verdict).toBe('lds');
    expect(t.margin).toBeCloseTo(2 / (1 + 1 / 2 + 1 / 4), 3);
    expect(t.upperBound).toBeGreaterThanOrEqual(t.margin - 1e-12);
    expect(a.length).toBe(3);
  });

  test('a P-matrix that is not LDS is reported as not LDS with a verified dual certificate', () => {
    // eigenvalues of CYCLIC_M are 1 + 3ω (ω³ = 1): real part 1 − 3/2 < 0, so M is not even
    // positive stable, hence not LDS, although all principal minors are positive
    const t = ldsTest(CYCLIC_M, { iterations: 4000 });
    expect(isPMatrix(CYCLIC_M).isP).toBe(true);
    expect(t.verdict).toBe('not-lds');
    expect(t.margin).toBeLessThan(0);
    expect(t.upperBound).toBeLessThan(0);
    const X = t.dual?.X as Float64Array;
    const Xr = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X[i * 3 + j]));
    // X ⪰ 0 (shift by 1e-12 for the rank deficiency), trace 1, diag(MX + XMᵀ) < 0
    expect(posDef(Xr.map((row, i) => row.map((v, j) => v + (i === j ? 1e-9 : 0))))).toBe(true);
    expect(X[0] + X[4] + X[8]).toBeCloseTo(1, 12);
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += CYCLIC_M[i][k] * Xr[k][i] + Xr[i][k] * CYCLIC_M[i][k];
      expect(s).toBeLessThan(0);
    }
  });

  test('LDS margin of D_γ − W_γ is γ-independent', () => {
    const base = ldsTest(ltnMatrix(LDS_NET));
    for (const g of [1e-3, 0.1, 7, 1e3]) {
      const t = ldsTest(ltnMatrix(ltnFamilyMember(LDS_NET, { gamma: g })));
      expect(t.verdict).toBe('lds');
      expect(Math.abs(t.margin - base.margin)).toBeLessThan(1e-9);
    }
    const c = ldsTest(ltnMatrix(CYCLIC_NET));
    for (const g of [0.01, 100])
      expect(Math.abs(ldsTest(ltnMatrix(ltnFamilyMember(CYCLIC_NET, { gamma: g }))).margin - c.margin)).toBeLessThan(1e-9);
  });

  test('WASM ascent equals the plain-TS reference', () => {
    const a = ldsTest(CYCLIC_M, { iterations: 500 });
    const b = ldsTest(CYCLIC_M, { iterations: 500, backend: 'ts' });
    expect(Math.abs(a.margin - b.margin)).toBeLessThan(1e-12);
    expect(Array.from(a.p).map((v, i) => Math.abs(v - b.p[i]))).toSatisfy((d: number[]) => d.every((v) => v < 1e-12));
    // the public twin with its parameter object gives the same ascent
    const p = new Float64Array(3).fill(1 / 3);
    const margin = ltnReference.ltnLdsAscentReference({
      n: 3,
      matrix: Float64Array.from(CYCLIC_M.flat()),
      iterations: 500,
      eta0: 0.5,
      p,
      xbar: new Float64Array(9),
    });
    expect(margin).toBe(b.margin);
    expect(p).toEqual(b.p);
    expect(() => ltnReference.ltnLdsAscentReference({ n: 3, matrix: new Float64Array(8) } as never)).toThrow(/params/);
  });

  test('κ = λ_min(PM+MᵀP)/max p: closed form for diagonal M', () => {
    expect(
      pdsRateBound(
        [
          [2, 0],
          [0, 1],
        ],
        [0.5, 0.5],
      ),
    ).toBeCloseTo(2, 14);
    expect(
      pdsRateBound(
        [
          [2, 0],
          [0, 1],
        ],
        [1, 2],
      ),
    ).toBeCloseTo(2, 14); // min(4, 4)/2
  });

  test('pdsBestRate: κ* = max over p ∈ (0,1]² of λ_min(PM+MᵀP) (grid search here); diagonal M gives 2 min a_i', () => {
    const m = [
      [0.8, 1.5],
      [-1, 2.5],
    ];
    let grid = -Infinity;
    for (let k = 1; k <= 20000; k++) {
      const t = k / 20000;
      for (const p of [
        [1, t],
        [t, 1],
      ]) {
        const s = lyap(m, p);
        const tr = s[0][0] + s[1][1];
        grid = Math.max(grid, tr / 2 - Math.sqrt((tr * tr) / 4 - (s[0][0] * s[1][1] - s[0][1] * s[1][0])));
      }
    }
    const b = pdsBestRate(m);
    expect(Math.abs(b.kappa - grid)).toBeLessThan(1e-4);
    expect(b.kappa).toBeGreaterThan(pdsRateBound(m, ldsTest(m).p));
    expect(
      pdsBestRate([
        [1, 0, 0],
        [0, 2, 0],
        [0, 0, 4],
      ]).kappa,
    ).toBeCloseTo(2, 6);
  });

  test('n = 6: diagonally dominant random networks are certified LDS; a negative diagonal entry is certified not LDS', () => {
    const r = rng(11);
    for (let k = 0; k < 4; k++) {
      const net = randomLdsNet(r, 6);
      const M = ltnMatrix(net);
      expect(isHMatrix(M).isH && isHMatrix(M).positiveDiagonal).toBe(true); // sufficient condition
      expect(ldsTest(M).verdict).toBe('lds');
      M[2][2] = -0.1; // m_ii < 0 ⇒ not P ⇒ not LDS
      expect(isPMatrix(M).isP).toBe(false);
      const t = ldsTest(M);
      expect(t.verdict).toBe('not-lds');
      expect(t.upperBound).toBeLessThanOrEqual(1e-12);
    }
  });

  test('Z-matrix (excitatory W): LDS ⇔ M-matrix', () => {
    const ok = [
      [2, -1, 0],
      [-0.5, 1, -0.2],
      [0, -1, 3],
    ];
    const bad = [
      [1, -2, 0],
      [-1, 1, 0],
      [0, 0, 1],
    ];
    expect(isMMatrix(ok).isM).toBe(true);
    expect(ldsTest(ok).verdict).toBe('lds');
    expect(isMMatrix(bad).isM).toBe(false);
    expect(ldsTest(bad).verdict).toBe('not-lds');
  });
});
