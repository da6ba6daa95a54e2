/**
 * Matrix classes behind LTN stability (lif-ltn.md §2.4; standard results recalled there as [R]):
 * P-matrix (all principal minors > 0 ⇔ LCP(q, M) uniquely solvable for every q), nonsingular
 * M-matrix, H-matrix, and Lyapunov diagonal stability (LDS: ∃ P = diag(p) ≻ 0 with
 * PM + MᵀP ≻ 0). LDS ⇒ P-matrix; for n = 2 the two coincide.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type AsyncRunOptions, ProgressTracker, type RunOptions } from '../contract/progress.js';
import { Result } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { Region } from '../kernel/region.js';
import { checkChoice, checkInteger, checkPositive } from '../kernel/validate.js';
import { cholesky, det, principal, symEig } from './linalg.js';
import { checkSquare } from './network.js';
import { ltnLdsAscentChunkReference } from './reference.js';
import { checkWork, LTN_MAX_WORK, relay, runWork, runWorkAsync, type Work } from './work.js';

/** A square matrix: n rows of n numbers, or row-major of length n². */
export type LtnMatrix = ArrayLike<number>[] | ArrayLike<number>;

const MAX_ENUM_N = 16;

/** Result of {@link isPMatrix}. */
export class PMatrixResult extends Result {
  /** Result type. */
  readonly kind = 'ltn.pMatrix';
  /** All 2ⁿ − 1 principal minors are > 0. */
  declare readonly isP: boolean;
  /** The smallest principal minor. */
  declare readonly minMinor: number;
  /** Indices of the principal submatrix with the smallest minor. */
  declare readonly witness: number[];
  /** @internal */
  constructor(f: Fields<PMatrixResult>) {
    super();
    Object.assign(this, f);
  }
}

/** @internal The data fields of a result class. */
type Fields<T> = Omit<T, 'kind' | 'toJSON'>;

/** Largest matrix for the M- and H-matrix tests (n leading minors by LU: about n⁴/12 operations). */
const MAX_MINORS_N = 512;
/** Largest matrix for the LDS test and the rate bounds (a dense eigen-solve per iteration). */
const MAX_LDS_N = 64;
/** Largest matrix for {@link pdsRateBound} (one Jacobi eigen-solve). */
const MAX_EIG_N = 512;

/**
 * Options of the matrix tests that have none: the argument exists so that a misplaced option is
 * rejected (strictly, like every options object) instead of ignored.
 */
export type LtnNoOptions = Record<string, never>;

/** @internal Checks an options object that must have no keys. */
export function noOptions(where: string, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ValidationError('options', `no options (${where} takes none)`, options);
  for (const k of Object.keys(options))
    throw new ValidationError(k, `no options (${where} takes none)`, k, `unknown option '${k}' for ${where}; it takes no options`);
}

function checkSize(name: string, n: number, max: number, what: string): void {
  if (n > max) throw new ValidationError(`${name}.length`, `at most ${max} rows (${what})`, n);
}

/**
 * P-matrix test by enumerating all principal minors (LU determinants), O(2ⁿ n³); n ≤ 16.
 * @example
 * ```ts
 * isPMatrix([[1, 0, 3], [3, 1, 0], [0, 3, 1]]).isP; // true (yet not LDS: see ldsTest)
 * ```
 */
export function isPMatrix(m: LtnMatrix, options?: LtnNoOptions): PMatrixResult {
  const { a, n } = checkSquare('M', m);
  noOptions('isPMatrix', options);
  if (n > MAX_ENUM_N) throw new ValidationError('M.length', `at most ${MAX_ENUM_N} rows (2ⁿ principal minors)`, n);
  let minMinor = Number.POSITIVE_INFINITY;
  let witness: number[] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const s: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(i);
    const v = det(principal(a, n, s), s.length);
    if (v < minMinor) {
      minMinor = v;
      witness = s;
    }
  }
  return new PMatrixResult({ isP: minMinor > 0, minMinor, witness });
}

/** Result of {@link isMMatrix}. */
export class MMatrixResult extends Result {
  /** Result type. */
  readonly kind = 'ltn.mMatrix';
  /** Nonsingular M-matrix: a Z-matrix with all leading principal minors > 0. */
  declare readonly isM: boolean;
  /** Off-diagonal entries ≤ 0 (for M = D − W: purely excitatory recurrence W_ij ≥ 0, i ≠ j). */
  declare readonly isZ: boolean;
  /** Leading principal minors det M[0..k, 0..k], k = 0..n−1. */
  declare readonly leadingMinors: number[];
  /** @internal */
  constructor(f: Fields<MMatrixResult>) {
    super();
    Object.assign(this, f);
  }
}

/**
 * Nonsingular M-matrix test: M is a Z-matrix and its leading principal minors are positive
 * (equivalent to M⁻¹ ≥ 0, to positive stability and, for Z-matrices, to LDS).
 * @example
 * ```ts
 * isMMatrix([[2, -1], [-1, 2]]).isM; // true
 * ```
 */
export function isMMatrix(m: LtnMatrix, options?: LtnNoOptions): MMatrixResult {
  const { a, n } = checkSquare('M', m);
  noOptions('isMMatrix', options);
  checkSize('M', n, MAX_MINORS_N, 'n leading minors');
  return mTest(a, n);
}

function mTest(a: Float64Array, n: number): MMatrixResult {
  let isZ = true;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && a[i * n + j] > 0) isZ = false;
  const leadingMinors: number[] = [];
  for (let k = 1; k <= n; k++) leadingMinors.push(det(principal(a, n, range(k)), k));
  return new MMatrixResult({ isM: isZ && leadingMinors.every((v) => v > 0), isZ, leadingMinors });
}

/** Result of {@link isHMatrix}. */
export class HMatrixResult extends Result {
  /** Result type. */
  readonly kind = 'ltn.hMatrix';
  /** The comparison matrix (|m_ii| on the diagonal, −|m_ij| off it) is a nonsingular M-matrix. */
  declare readonly isH: boolean;
  /** All diagonal entries > 0. An H-matrix with positive diagonal is LDS (sufficient condition). */
  declare readonly positiveDiagonal: boolean;
  /** The M-matrix test of the comparison matrix. */
  declare readonly comparison: MMatrixResult;
  /** @internal */
  constructor(f: Fields<HMatrixResult>) {
    super();
    Object.assign(this, f);
  }
}

/**
 * H-matrix test via the comparison matrix. With a positive diagonal this is a sufficient
 * condition for LDS (lif-ltn.md §2.4 item 5), e.g. strict diagonal dominance.
 * @example
 * ```ts
 * isHMatrix([[3, 1], [-2, 3]]); // { isH: true, positiveDiagonal: true, ... }
 * ```
 */
export function isHMatrix(m: LtnMatrix, options?: LtnNoOptions): HMatrixResult {
  const { a, n } = checkSquare('M', m);
  noOptions('isHMatrix', options);
  checkSize('M', n, MAX_MINORS_N, 'n leading minors of the comparison matrix');
  const c = new Float64Array(n * n);
  let positiveDiagonal = true;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = a[i * n + j];
      c[i * n + j] = i === j ? Math.abs(v) : -Math.abs(v);
      if (i === j && !(v > 0)) positiveDiagonal = false;
    }
  const comparison = mTest(c, n);
  return new HMatrixResult({ isH: comparison.isM, positiveDiagonal, comparison });
}

function range(k: number): number[] {
  return Array.from({ length: k }, (_, i) => i);
}

/** Result of {@link ldsTwoByTwo}. */
export class Lds2x2Result extends Result {
  /** Result type. */
  readonly kind = 'ltn.lds2x2';
  /** LDS ⇔ m11 > 0, m22 > 0, det M > 0 (n = 2: LDS ⇔ P-matrix). */
  declare readonly isLds: boolean;
  /** Diagonal of a certificate P = diag(1, t) when LDS, else null. */
  declare readonly p: [number, number] | null;
  /** det(PM + MᵀP) for that P (closed form 4 m11 m22 det M / m21² when m21 ≠ 0). */
  declare readonly detS: number | null;
  /** @internal */
  constructor(f: Fields<Lds2x2Result>) {
    super();
    Object.assign(this, f);
  }
}

/**
 * Closed form for n = 2 (lif-ltn.md §2.4 item 2, derived there [R]): M is LDS iff it is a
 * P-matrix, with certificate P = diag(1, t*), t* = (2 m11 m22 − m12 m21)/m21² (m21 ≠ 0), giving
 * det(PM + MᵀP) = 4 m11 m22 det M / m21². For m21 = 0 we use t = 1 + m12²/(2 m11 m22), which gives
 * det = 2 m12² + 4 m11 m22 > 0.
 * @example
 * ```ts
 * ldsTwoByTwo([[0.8, 1.5], [-1, 2.5]]).p; // [1, 5.5]
 * ```
 */
export function ldsTwoByTwo(m: LtnMatrix, options?: LtnNoOptions): Lds2x2Result {
  const { a, n } = checkSquare('M', m);
  noOptions('ldsTwoByTwo', options);
  if (n !== 2) throw new ValidationError('M.length', '2 rows (closed form is for n = 2)', n);
  const [m11, m12, m21, m22] = a;
  const dm = m11 * m22 - m12 * m21;
  if (!(m11 > 0 && m22 > 0 && dm > 0)) return new Lds2x2Result({ isLds: false, p: null, detS: null });
  const t = m21 !== 0 ? (2 * m11 * m22 - m12 * m21) / (m21 * m21) : 1 + (m12 * m12) / (2 * m11 * m22);
  const off = m12 + t * m21;
  return new Lds2x2Result({ isLds: true, p: [1, t], detS: 4 * t * m11 * m22 - off * off });
}

/** Options of {@link ldsTest}. */
export interface LdsTestOptions extends RunOptions {
  /** Ascent iterations; at most `LTN_MAX_WORK / (2(n+1)³)` (docs/ltn.md, "Work bounds"). @default 4000 */
  iterations?: number;
  /** Step scale η₀ of η_k = η₀/√k. @default 0.5 */
  eta0?: number;
  /** Run the ascent in the WASM kernel or in plain TS (same algorithm). @default "wasm" */
  backend?: 'wasm' | 'ts';
}

const LDS_KEYS = optionKeys<LdsTestOptions>()(['iterations', 'eta0', 'backend', 'signal', 'onProgress']);

/** Result of {@link ldsTest}. */
export class LdsTestResult extends Result {
  /** Result type. */
  readonly kind = 'ltn.ldsTest';
  /**
   * "lds": P = diag(p) verified by a Cholesky factorisation of PM + MᵀP − εI;
   * "not-lds": a dual certificate X was verified; "inconclusive": neither.
   */
  declare verdict: 'lds' | 'not-lds' | 'inconclusive';
  /** Best φ(p) = λ_min(PM + MᵀP) found with Σp = 1: a lower bound on the LDS margin max_p φ(p). */
  declare margin: number;
  /**
   * Weak-duality upper bound max_i (MX + XMᵀ)_ii ≥ max_p φ(p) from the averaged dual iterate X.
   * Negative ⇒ not LDS.
   */
  declare upperBound: number;
  /** The maximising weights p (Σp = 1). */
  declare p: Float64Array;
  /** When LDS: P = diag(p) and ε > 0 with PM + MᵀP − εI Cholesky-factorised. */
  declare certificate: {
    /** Diagonal weights p > 0 of P = diag(p), Σp = 1. */
    p: Float64Array;
    /** Margin ε > 0 with PM + MᵀP − εI verified positive definite (Cholesky). */
    epsilon: number;
  } | null;
  /**
   * When not LDS: X ⪰ 0, tr X = 1 (row-major), with diag(MX + XMᵀ) ≤ 0 (up to 1e-12·max|m_ij|
   * rounding). Then for every p > 0, ⟨PM + MᵀP, X⟩ = Σ p_i (MX + XMᵀ)_ii ≤ 0, so no diagonal P
   * makes PM + MᵀP positive definite (Barker–Berman–Plemmons alternative).
   */
  declare dual: {
    /** Dual matrix X ⪰ 0, tr X = 1, row-major n×n. */
    X: Float64Array;
    /** diag(MX + XMᵀ), all ≤ 0 up to rounding. */
    diag: Float64Array;
    /** Smallest eigenvalue of X (≥ 0 up to rounding: the PSD check). */
    minEigenvalue: number;
  } | null;
  /** n = 2 only: the closed form of {@link ldsTwoByTwo}. */
  declare closedForm?: Lds2x2Result;
  /** @internal */
  constructor(f: Fields<LdsTestResult>) {
    super();
    Object.assign(this, f);
  }
}

/** @internal A checked LDS problem: matrix, size, iterations, step scale, backend. */
export interface LdsProblem {
  a: Float64Array;
  n: number;
  iters: number;
  eta0: number;
  backend: 'wasm' | 'ts';
}

/** @internal Work units of the LDS ascent: 2(n+1)³ per iteration. */
export const ldsWork = (n: number, iters: number) => 2 * iters * (n + 1) ** 3;

/** @internal Validates the arguments of ldsTest (also used by callers that run the ascent inside their own work). */
export function checkLds(where: string, m: LtnMatrix, o: { iterations?: number; eta0?: number; backend?: 'wasm' | 'ts' }): LdsProblem {
  const { a, n } = checkSquare('M', m);
  checkSize('M', n, MAX_LDS_N, 'dense eigen-solves per iteration');
  const iters = checkInteger('options.iterations', o.iterations ?? 4000, 1, 10_000_000);
  checkWork(
    'options.iterations',
    iters,
    ldsWork(n, iters),
    () => `at most ${Math.floor(LTN_MAX_WORK / (2 * (n + 1) ** 3))} for n = ${n}`,
    () => `${where}: ${iters} iterations × 2(n+1)³ units`,
  );
  const eta0 = checkPositive('options.eta0', o.eta0 ?? 0.5);
  const backend = checkChoice('options.backend', o.backend ?? 'wasm', ['wasm', 'ts']);
  return { a, n, iters, eta0, backend };
}

/**
 * @internal The LDS test as resumable work: the ascent in chunks of about 2^16 work units
 * (iterations in the progress reports), then the certificate checks. The kernel region is freed
 * when the work ends, fails or is abandoned.
 */
export function* ldsWorkGen(q: LdsProblem): Work<LdsTestResult> {
  const { a, n, iters, eta0, backend } = q;
  const p = new Float64Array(n).fill(1 / n);
  const xbar = new Float64Array(n * n);
  const chunk = Math.max(1, Math.floor(2 ** 16 / (n + 1) ** 3));
  let margin: number;
  if (backend === 'ts') {
    const cur = Float64Array.from(p);
    const state = Float64Array.of(Number.NEGATIVE_INFINITY, 0);
    for (let k = 1; k <= iters; k += chunk) {
      const stop = ltnLdsAscentChunkReference(n, a, k, Math.min(iters, k + chunk - 1), eta0, p, cur, xbar, state);
      if (stop) break;
      yield { done: Math.min(iters, k + chunk - 1) };
    }
    margin = state[0];
    if (state[1] > 0) for (let i = 0; i < n * n; i++) xbar[i] /= state[1];
  } else {
    const k = kernel();
    const nb = n * 8;
    // layout: M (n²) | p (n) | cur (n) | xbar (n²) | scratch (2n² + 2n) | state (2)
    const r = new Region(nb * n * 4 + nb * 4 + 16, 'ltn.lds');
    try {
      const mp = r.ptr;
      const pp = mp + nb * n;
      const cp = pp + nb;
      const xp = cp + nb;
      const sp = xp + nb * n;
      const st = sp + nb * n * 2 + nb * 2;
      r.f64(0, n * n).set(a);
      r.f64(nb * n, n).set(p);
      r.f64(nb * n + nb, n).set(p);
      r.f64(xp - mp, n * n).fill(0);
      r.f64(st - mp, 2).set([Number.NEGATIVE_INFINITY, 0]);
      for (let k0 = 1; k0 <= iters; k0 += chunk) {
        const k1 = Math.min(iters, k0 + chunk - 1);
        const stop = k.ltnLdsAscent(n, mp, k0, k1, eta0, pp, cp, xp, sp, st);
        if (stop) break;
        yield { done: k1 };
      }
      p.set(r.f64(nb * n, n));
      xbar.set(r.f64(xp - mp, n * n));
      const state = r.f64(st - mp, 2);
      margin = state[0];
      const wsum = state[1];
      if (wsum > 0) for (let i = 0; i < n * n; i++) xbar[i] /= wsum;
    } finally {
      r.free();
    }
  }
  return ldsVerdict(a, n, p, xbar, margin);
}

function ldsVerdict(a: Float64Array, n: number, p: Float64Array, xbar: Float64Array, margin: number): LdsTestResult {
  const result = new LdsTestResult({
    verdict: 'inconclusive',
    margin,
    upperBound: Number.POSITIVE_INFINITY,
    p,
    certificate: null,
    dual: null,
  });
  if (n === 2) result.closedForm = ldsTwoByTwo(a);
  // dual iterate: symmetrise, shift to PSD if rounding made it slightly indefinite, renormalise
  let mmax = 0;
  for (let i = 0; i < n * n; i++) mmax = Math.max(mmax, Math.abs(a[i]));
  const X = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) X[i * n + j] = 0.5 * (xbar[i * n + j] + xbar[j * n + i]);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += X[i * n + i];
  if (tr > 0) {
    const lmin = symEig(X, n).values[0];
    if (lmin < 0) for (let i = 0; i < n; i++) X[i * n + i] -= lmin;
    tr = 0;
    for (let i = 0; i < n; i++) tr += X[i * n + i];
    for (let i = 0; i < n * n; i++) X[i] /= tr;
    const dg = dualDiag(a, X, n);
    result.upperBound = Math.max(...dg);
    // ≤ 0 suffices (⟨PM+MᵀP, X⟩ ≤ 0 contradicts PM+MᵀP ≻ 0 for X ⪰ 0, X ≠ 0); allow rounding
    if (result.upperBound <= 1e-12 * mmax) result.dual = { X, diag: dg, minEigenvalue: symEig(X, n).values[0] };
  }
  // margins at rounding level certify nothing
  if (margin > 1e-12 * mmax) {
    const s = lyapSym(a, p, n);
    for (const eps of [margin * (1 - 1e-9), margin * 0.5, margin * 0.01]) {
      const t = Float64Array.from(s);
      for (let i = 0; i < n; i++) t[i * n + i] -= eps;
      if (cholesky(t, n)) {
        result.certificate = { p: Float64Array.from(p), epsilon: eps };
        break;
      }
    }
  }
  if (result.certificate) result.verdict = 'lds';
  else if (result.dual) result.verdict = 'not-lds';
  return result;
}

/**
 * Lyapunov diagonal stability test for small n (≤ 64; lif-ltn.md §2.4, algorithm [R]): maximises
 * the concave φ(p) = λ_min(PM + MᵀP) over the simplex by exponentiated-gradient ascent (WASM
 * kernel `ltnLdsAscent`) and averages the minimising eigenprojectors into a dual iterate X. The
 * verdict is only "lds" or "not-lds" when a certificate checks out; otherwise "inconclusive".
 * For the LTN use M = D − W (γ-independent for the family LTN_γ). Progress counts iterations;
 * `signal` is checked between chunks of the ascent.
 * @example
 * ```ts
 * const r = ldsTest([[0.8, 1.5], [-1, 2.5]]);
 * r.verdict; // "lds"; r.certificate.p is a diagonal Lyapunov weight
 * ```
 */
export function ldsTest(m: LtnMatrix, options?: LdsTestOptions): LdsTestResult {
  const o = strictOptions('ldsTest', 'options', options, LDS_KEYS);
  const q = checkLds('ldsTest', m, o);
  return runWork(ldsWorkGen(q), new ProgressTracker('ldsTest', q.iters, 'iteration', o));
}

/** {@link ldsTest}, yielding to the event loop every `sliceMs`; same result, bit for bit. */
export async function ldsTestAsync(m: LtnMatrix, options?: LdsTestOptions & AsyncRunOptions): Promise<LdsTestResult> {
  const o = strictOptions('ldsTestAsync', 'options', options, [...LDS_KEYS, 'sliceMs']);
  const q = checkLds('ldsTestAsync', m, o);
  return runWorkAsync(ldsWorkGen(q), new ProgressTracker('ldsTestAsync', q.iters, 'iteration', o));
}

/** @internal PM + MᵀP. */
export function lyapSym(a: ArrayLike<number>, p: ArrayLike<number>, n: number): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = p[i] * a[i * n + j] + a[j * n + i] * p[j];
  return s;
}

function dualDiag(a: Float64Array, x: Float64Array, n: number): Float64Array {
  const dg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * x[k * n + i];
    dg[i] = 2 * s;
  }
  return dg;
}

/**
 * Exponential rate bound of the fast-limit PDS under LDS (lif-ltn.md §2.3 [R]): with
 * V(x) = (x − x*)ᵀP(x − x*), V̇ ≤ −(x − x*)ᵀ(PM + MᵀP)(x − x*) ≤ −κV, κ = λ_min(PM + MᵀP)/max_i p_i
 * (in units of d, the inverse of the dimensionless time). n ≤ 512.
 * @example
 * ```ts
 * pdsRateBound([[2, 0], [0, 1]], [0.5, 0.5]); // 2
 * ```
 */
export function pdsRateBound(m: LtnMatrix, p: ArrayLike<number>, options?: LtnNoOptions): number {
  const { a, n } = checkSquare('M', m);
  noOptions('pdsRateBound', options);
  checkSize('M', n, MAX_EIG_N, 'one dense eigen-solve');
  if (p === null || typeof p !== 'object' || p.length !== n) throw new ValidationError('p', `an array of ${n} positive weights`, p);
  let pmax = 0;
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ValidationError(`p[${i}]`, 'a finite number > 0', v);
    pmax = Math.max(pmax, v);
  }
  return symEig(lyapSym(a, p, n), n).values[0] / pmax;
}

/** Result of {@link pdsBestRate}. */
export class PdsBestRate extends Result {
  /** Result type. */
  readonly kind = 'ltn.pdsBestRate';
  /** κ = λ_min(PM + MᵀP)/max p for the best p found (≤ 0 when none certifies a rate; units of d). */
  declare readonly kappa: number;
  /** The weights (max p = 1). */
  declare readonly p: Float64Array;
  /** @internal */
  constructor(f: Fields<PdsBestRate>) {
    super();
    Object.assign(this, f);
  }
}

/** Options of {@link pdsBestRate}. */
export interface PdsBestRateOptions extends RunOptions {
  /** Ascent iterations; at most `LTN_MAX_WORK / (2(n+1)³)`. @default 3000 */
  iterations?: number;
  /** Starting weights p > 0. @default the weights of `ldsTest(M)` */
  start?: ArrayLike<number>;
}

const BEST_KEYS = optionKeys<PdsBestRateOptions>()(['iterations', 'start', 'signal', 'onProgress']);

/** @internal A checked best-rate problem. */
export interface BestRateProblem {
  a: Float64Array;
  n: number;
  iters: number;
  start: Float64Array | null;
}

/** @internal Validates the arguments of pdsBestRate. */
export function checkBestRate(where: string, m: LtnMatrix, o: { iterations?: number; start?: ArrayLike<number> }): BestRateProblem {
  const { a, n } = checkSquare('M', m);
  checkSize('M', n, MAX_LDS_N, 'dense eigen-solves per iteration');
  const iters = checkInteger('options.iterations', o.iterations ?? 3000, 1, 10_000_000);
  const lds = o.start === undefined ? ldsWork(n, 4000) : 0;
  checkWork(
    'options.iterations',
    iters,
    ldsWork(n, iters) + lds,
    () => `at most ${Math.floor((LTN_MAX_WORK - lds) / (2 * (n + 1) ** 3))} for n = ${n}`,
    () => `${where}: ${iters} iterations × 2(n+1)³ units${lds ? ' after the default LDS test' : ''}`,
  );
  let start: Float64Array | null = null;
  if (o.start !== undefined) {
    if (o.start === null || typeof o.start !== 'object' || o.start.length !== n)
      throw new ValidationError('options.start', `${n} positive weights`, o.start);
    start = Float64Array.from(o.start);
    for (let i = 0; i < n; i++)
      if (!(start[i] > 0) || !Number.isFinite(start[i])) throw new ValidationError(`options.start[${i}]`, 'a finite number > 0', start[i]);
  }
  return { a, n, iters, start };
}

/** @internal pdsBestRate as resumable work (iterations in the progress reports, the default LDS start counted as 0). */
export function* bestRateWork(q: BestRateProblem): Work<PdsBestRate> {
  const { a, n, iters } = q;
  let p: Float64Array;
  if (q.start) p = Float64Array.from(q.start);
  else p = Float64Array.from((yield* relay(ldsWorkGen({ a, n, iters: 4000, eta0: 0.5, backend: 'wasm' }), () => ({ done: 0 }))).p);
  let pm = 0;
  for (let i = 0; i < n; i++) pm = Math.max(pm, p[i]);
  for (let i = 0; i < n; i++) p[i] = Math.max(1e-9, p[i] / pm);
  let best = Number.NEGATIVE_INFINITY;
  let bestP = Float64Array.from(p);
  const g = new Float64Array(n);
  const tickEvery = Math.max(1, Math.floor(2 ** 15 / (n + 1) ** 3));
  for (let k = 1; k <= iters; k++) {
    const e = symEig(lyapSym(a, p, n), n);
    let mx = 0;
    for (let i = 0; i < n; i++) mx = Math.max(mx, p[i]);
    const kap = e.values[0] / mx;
    if (kap > best) {
      best = kap;
      bestP = Float64Array.from(p);
    }
    let gmax = 0;
    for (let i = 0; i < n; i++) {
      let mv = 0;
      for (let j = 0; j < n; j++) mv += a[i * n + j] * e.vectors[j * n];
      g[i] = 2 * e.vectors[i * n] * mv;
      gmax = Math.max(gmax, Math.abs(g[i]));
    }
    if (gmax === 0) break;
    const eta = 0.2 / Math.sqrt(k);
    for (let i = 0; i < n; i++) p[i] = Math.min(1, Math.max(1e-9, p[i] + (eta * g[i]) / gmax));
    if (k % tickEvery === 0) yield { done: k };
  }
  let mx = 0;
  for (let i = 0; i < n; i++) mx = Math.max(mx, bestP[i]);
  for (let i = 0; i < n; i++) bestP[i] /= mx;
  return new PdsBestRate({ kappa: best, p: bestP });
}

/**
 * Tightens the PDS rate bound: κ(p) = λ_min(PM + MᵀP)/max p is scale-invariant, so its maximum is
 * max λ_min(PM + MᵀP) over the box 0 < p ≤ 1 (concave; by homogeneity the optimum has max p = 1).
 * Projected supergradient ascent p ← clip(p + η_k g/‖g‖_∞, 1e-9, 1), η_k = 0.2/√k, from `start`
 * (default: the LDS-test weights). Any p > 0 with κ(p) > 0 gives a valid bound V̇ ≤ −κV. n ≤ 64.
 * @example
 * ```ts
 * pdsBestRate([[0.8, 1.5], [-1, 2.5]]).kappa; // ≈ 1.528 (vs 1.426 from the LDS-margin weights)
 * ```
 */
export function pdsBestRate(m: LtnMatrix, options?: PdsBestRateOptions): PdsBestRate {
  const o = strictOptions('pdsBestRate', 'options', options, BEST_KEYS);
  const q = checkBestRate('pdsBestRate', m, o);
  return runWork(bestRateWork(q), new ProgressTracker('pdsBestRate', q.iters, 'iteration', o));
}

/** {@link pdsBestRate}, yielding to the event loop every `sliceMs`; same result, bit for bit. */
export async function pdsBestRateAsync(m: LtnMatrix, options?: PdsBestRateOptions & AsyncRunOptions): Promise<PdsBestRate> {
  const o = strictOptions('pdsBestRateAsync', 'options', options, [...BEST_KEYS, 'sliceMs']);
  const q = checkBestRate('pdsBestRateAsync', m, o);
  return runWorkAsync(bestRateWork(q), new ProgressTracker('pdsBestRateAsync', q.iters, 'iteration', o));
}
