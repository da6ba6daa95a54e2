/**
 * Linear complementarity problems LCP(q, M): find z ≥ 0 with w = Mz + q ≥ 0 and zᵀw = 0.
 * The equilibria of the LTN ẋ = −Dx + [Wx + u]_+ are the solutions of LCP(−u, D − W)
 * (lif-ltn.md §2.2 [R]: −Dx + [Wx+u]_+ = −min(Dx, Mx − u) vanishes iff x ≥ 0, Mx − u ≥ 0,
 * xᵀ(Mx − u) = 0, because D ≻ 0).
 * @packageDocumentation
 */
import { NumericalError } from '../kernel/errors.js';
import { luFactor, luSolve, principal } from './linalg.js';

/** Result of a single-solution LCP solver. */
export interface LcpSolution {
  /** The solution z (the equilibrium x*). */
  z: Float64Array;
  /** w = Mz + q. */
  w: Float64Array;
  /** Pivots (Lemke, principal pivoting) or sweeps (projected iteration). */
  iterations: number;
  /** Natural-map residual ‖min(z, w)‖_∞ (0 at an exact solution). */
  residual: number;
}

/** @internal w = Mz + q. */
export function lcpW(m: ArrayLike<number>, q: ArrayLike<number>, z: ArrayLike<number>, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = q[i];
    for (let j = 0; j < n; j++) s += m[i * n + j] * z[j];
    w[i] = s;
  }
  return w;
}

/** @internal ‖min(z, w)‖_∞. */
export function lcpResidual(z: ArrayLike<number>, w: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < z.length; i++) r = Math.max(r, Math.abs(Math.min(z[i], w[i])));
  return r;
}

/** Result of {@link lcpEnumerate}. */
export interface LcpEnumeration {
  /** Every isolated solution, sorted lexicographically, duplicates removed. */
  solutions: Float64Array[];
  /** Supports S whose block M_SS was singular (solution sets there may be continua: not listed). */
  singularSupports: number;
}

/**
 * @internal Support enumeration: for every S ⊆ {0..n−1} solve M_SS z_S = −q_S and keep z ≥ 0,
 * w ≥ 0 (tolerance `tol` relative to the data scale). O(2ⁿ n³): small n only.
 */
export function lcpEnumerate(m: Float64Array, q: Float64Array, n: number, tol = 1e-10): LcpEnumeration {
  let scale = 1;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(q[i]));
  const sols: Float64Array[] = [];
  let singular = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(i);
    const z = new Float64Array(n);
    if (s.length > 0) {
      const f = luFactor(principal(m, n, s), s.length);
      if (!f) {
        singular++;
        continue;
      }
      const zs = luSolve(
        f,
        s.map((i) => -q[i]),
        s.length,
      );
      let ok = true;
      for (let k = 0; k < s.length; k++) {
        if (zs[k] < -tol * scale) ok = false;
        z[s[k]] = Math.max(0, zs[k]);
      }
      if (!ok) continue;
    }
    const w = lcpW(m, q, z, n);
    let ok = true;
    for (let i = 0; i < n; i++) if (!(mask & (1 << i)) && w[i] < -tol * scale) ok = false;
    if (!ok) continue;
    if (!sols.some((x) => x.every((v, i) => Math.abs(v - z[i]) <= 1e-9 * scale))) sols.push(z);
  }
  sols.sort((a, b) => {
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  });
  return { solutions: sols, singularSupports: singular };
}

/**
 * @internal Murty's least-index principal pivoting (Murty 1974): finite for P-matrices. Keeps a
 * support S, sets z_S = −M_SS⁻¹ q_S, and toggles the smallest index that violates z ≥ 0 or w ≥ 0.
 */
export function lcpPrincipalPivoting(m: Float64Array, q: Float64Array, n: number, maxIter = 10_000): LcpSolution {
  const inS = new Uint8Array(n);
  let scale = 1;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(q[i]));
  const tol = 1e-12 * scale;
  let last = -1; // the unit toggled last: the one whose move led to a singular block or ran out of pivots
  for (let it = 0; it <= maxIter; it++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) if (inS[i]) s.push(i);
    const z = new Float64Array(n);
    if (s.length) {
      const f = luFactor(principal(m, n, s), s.length);
      if (!f)
        throw new NumericalError(
          'lcpPrincipalPivoting (singular principal block; index = the unit toggled last, value = the block determinant)',
          {
            kind: 'domain',
            step: it,
            index: last,
            time: 0,
            value: 0,
          },
        );
      const zs = luSolve(
        f,
        s.map((i) => -q[i]),
        s.length,
      );
      s.forEach((i, k) => {
        z[i] = zs[k];
      });
    }
    const w = lcpW(m, q, z, n);
    let viol = -1;
    for (let i = 0; i < n; i++) {
      if ((inS[i] && z[i] < -tol) || (!inS[i] && w[i] < -tol)) {
        viol = i;
        break;
      }
    }
    if (viol < 0) {
      for (let i = 0; i < n; i++) {
        if (inS[i]) {
          z[i] = Math.max(z[i], 0);
          w[i] = 0;
        }
      }
      return { z, w, iterations: it, residual: lcpResidual(z, lcpW(m, q, z, n)) };
    }
    inS[viol] ^= 1;
    last = viol;
  }
  throw new NumericalError(`lcpPrincipalPivoting (no solution after ${maxIter} pivots; index = the unit toggled last)`, {
    kind: 'domain',
    step: maxIter,
    index: last,
    time: 0,
    value: maxIter,
  });
}

/**
 * @internal Lemke's complementary pivoting with covering vector e = (1,…,1) (Cottle, Pang &
 * Stone §4.4). Terminates with a solution for P-matrices (and copositive-plus M when one exists);
 * a secondary ray raises a `domain` NumericalError.
 */
export function lcpLemke(m: Float64Array, q: Float64Array, n: number, maxIter = 50_000): LcpSolution {
  let r0 = 0;
  for (let i = 1; i < n; i++) if (q[i] < q[r0]) r0 = i;
  if (q[r0] >= 0) return { z: new Float64Array(n), w: Float64Array.from(q), iterations: 0, residual: 0 };
  const cols = 2 * n + 2;
  const T = new Float64Array(n * cols);
  const rhs = 2 * n + 1;
  const z0 = 2 * n;
  for (let i = 0; i < n; i++) {
    T[i * cols + i] = 1;
    for (let j = 0; j < n; j++) T[i * cols + n + j] = -m[i * n + j];
    T[i * cols + z0] = -1;
    T[i * cols + rhs] = q[i];
  }
  const basis = new Int32Array(n);
  for (let i = 0; i < n; i++) basis[i] = i;
  const pivot = (r: number, c: number) => {
    const prc = T[r * cols + c];
    for (let j = 0; j < cols; j++) T[r * cols + j] /= prc;
    for (let i = 0; i < n; i++) {
      if (i === r) continue;
      const f = T[i * cols + c];
      if (f !== 0) for (let j = 0; j < cols; j++) T[i * cols + j] -= f * T[r * cols + j];
    }
    const leaving = basis[r];
    basis[r] = c;
    return leaving;
  };
  let leaving = pivot(r0, z0);
  let it = 1;
  for (; it < maxIter; it++) {
    const entering = leaving < n ? leaving + n : leaving - n;
    let r = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const a = T[i * cols + entering];
      if (a > 1e-12) {
        const ratio = T[i * cols + rhs] / a;
        // ties: let z0 leave first (ends the path), else the smallest index
        if (ratio < best - 1e-12 || (Math.abs(ratio - best) <= 1e-12 && basis[i] === z0)) {
          best = ratio;
          r = i;
        }
      }
    }
    if (r < 0)
      throw new NumericalError('lcpLemke (secondary ray; index = the unit whose variable would enter)', {
        kind: 'domain',
        step: it,
        index: entering % n,
        time: 0,
        value: Number.NaN,
      });
    leaving = pivot(r, entering);
    if (leaving === z0) break;
  }
  if (leaving !== z0)
    throw new NumericalError(`lcpLemke (no solution after ${maxIter} pivots; index = the unit whose variable left last)`, {
      kind: 'domain',
      step: it,
      index: leaving % n,
      time: 0,
      value: maxIter,
    });
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) if (basis[i] >= n && basis[i] < 2 * n) z[basis[i] - n] = Math.max(0, T[i * cols + rhs]);
  const w = lcpW(m, q, z, n);
  return { z, w, iterations: it, residual: lcpResidual(z, w) };
}

/**
 * @internal Projected iteration z ← [z − h(Mz + q)]_+ (projected Euler of the PDS). Under LDS with
 * certificate P = diag(p) it is a contraction in the P-norm for 0 < h < λ_min(P^{-1/2}(PM+MᵀP)P^{-1/2}) /
 * ‖P^{1/2}MP^{-1/2}‖₂² (lif-ltn.md §2.4 [R]); the caller picks h.
 */
export function lcpProjected(m: Float64Array, q: Float64Array, n: number, h: number, tol = 1e-12, maxIter = 1_000_000): LcpSolution {
  let z = new Float64Array(n);
  let nz = new Float64Array(n);
  let scale = 1;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(q[i]));
  let worst = -1;
  let change = 0;
  for (let it = 1; it <= maxIter; it++) {
    change = 0;
    for (let i = 0; i < n; i++) {
      let s = q[i];
      for (let j = 0; j < n; j++) s += m[i * n + j] * z[j];
      const v = Math.max(0, z[i] - h * s);
      const dv = Math.abs(v - z[i]);
      if (dv > change) worst = i;
      change = Math.max(change, dv);
      nz[i] = v;
    }
    [z, nz] = [nz, z];
    if (change <= tol * scale * h) {
      const w = lcpW(m, q, z, n);
      return { z, w, iterations: it, residual: lcpResidual(z, w) };
    }
  }
  throw new NumericalError(`lcpProjected (no convergence in ${maxIter} sweeps; index = the unit that moved most in the last one)`, {
    kind: 'domain',
    step: maxIter,
    index: worst,
    time: 0,
    value: change,
  });
}
