/**
 * Plain TypeScript versions of the ltn kernels (assembly/ltn/index.ts), line for line the same
 * loops: the baseline of `bench/ltn.bench.mjs` and a second implementation for the tests. The
 * public entry points (`ltnReference.ltnBatchRunReference`, `ltnReference.ltnLdsAscentReference`)
 * take one checked parameter object; the loops behind them are internal.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkInteger, checkPositive } from '../kernel/validate.js';
import { jacobiSweep } from './linalg.js';
import { checkWork, LTN_MAX_WORK } from './work.js';

/** Batch methods shared with the kernel. */
export const LtnBatchMethod = {
  /** Explicit Euler on LTN_γ ẋ = −γDx + [(W + (γ−1)D)x + u]_+. */
  euler: 0,
  /** Classical 4th-order Runge–Kutta on LTN_γ. */
  rk4: 1,
  /** Projected Euler on the fast-limit PDS, x ← [x + h(u − (D − W)x)]_+ (γ ignored). */

  pdsProjectedEuler: 2,
} as const;

/** Row·x with two accumulators (even / odd j), the kernel's summation order. */
function dot2(w: Float64Array, wo: number, x: Float64Array, xo: number, n: number): number {
  let a0 = 0;
  let a1 = 0;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    a0 += w[wo + j] * x[xo + j];
    a1 += w[wo + j + 1] * x[xo + j + 1];
  }
  if (j < n) a0 += w[wo + j] * x[xo + j];
  return a0 + a1;
}

function rhs(
  n: number,
  d: Float64Array,
  w: Float64Array,
  u: Float64Array,
  uo: number,
  g: number,
  x: Float64Array,
  xo: number,
  out: Float64Array,
  oo: number,
) {
  for (let i = 0; i < n; i++) {
    const s = u[uo + i] + (g - 1) * d[i] * x[xo + i] + dot2(w, i * n, x, xo, n);
    // biome-ignore lint/complexity/useMathMinMax: same select as the kernel (NaN ↦ 0 here, not NaN)
    out[oo + i] = -g * d[i] * x[xo + i] + (s > 0 ? s : 0);
  }
}

/** @internal The loop of {@link ltnBatchRunReference} (positional, unchecked). */
export function batchRunLoop(
  n: number,
  m: number,
  d: Float64Array,
  w: Float64Array,
  u: Float64Array,
  uStride: number,
  gammas: Float64Array,
  x: Float64Array,
  h: number,
  steps: number,
  method: number,
): number {
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const t = new Float64Array(n);
  for (let k = 0; k < m; k++) {
    const xo = k * n;
    const uo = k * uStride;
    const g = gammas[k];
    for (let s = 0; s < steps; s++) {
      if (method === 0) {
        rhs(n, d, w, u, uo, g, x, xo, k1, 0);
        for (let i = 0; i < n; i++) x[xo + i] += h * k1[i];
      } else if (method === 1) {
        rhs(n, d, w, u, uo, g, x, xo, k1, 0);
        for (let i = 0; i < n; i++) t[i] = x[xo + i] + 0.5 * h * k1[i];
        rhs(n, d, w, u, uo, g, t, 0, k2, 0);
        for (let i = 0; i < n; i++) t[i] = x[xo + i] + 0.5 * h * k2[i];
        rhs(n, d, w, u, uo, g, t, 0, k3, 0);
        for (let i = 0; i < n; i++) t[i] = x[xo + i] + h * k3[i];
        rhs(n, d, w, u, uo, g, t, 0, k4, 0);
        for (let i = 0; i < n; i++) x[xo + i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      } else {
        for (let i = 0; i < n; i++) {
          k1[i] = u[uo + i] - d[i] * x[xo + i] + dot2(w, i * n, x, xo, n);
        }
        for (let i = 0; i < n; i++) {
          const v = x[xo + i] + h * k1[i];
          // biome-ignore lint/complexity/useMathMinMax: same select as the kernel (NaN ↦ 0 here, not NaN)
          x[xo + i] = v > 0 ? v : 0;
        }
      }
      for (let i = 0; i < n; i++) if (!Number.isFinite(x[xo + i])) return 1;
    }
  }
  return 0;
}

/** Smallest eigenpair of a symmetric matrix by cyclic Jacobi (same sweeps as the kernel). */
function minEig(a: Float64Array, v: Float64Array, n: number, vec: Float64Array): number {
  v.fill(0);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    jacobiSweep(a, v, n);
  }
  let imin = 0;
  for (let i = 1; i < n; i++) if (a[i * n + i] < a[imin * n + imin]) imin = i;
  for (let k = 0; k < n; k++) vec[k] = v[k * n + imin];
  return a[imin * n + imin];
}

/**
 * @internal Reference of `ltnLdsAscent`, resumable like the kernel: iterations k = kFrom … kTo of the
 * exponentiated-gradient ascent, with the state (cur, best iterate p, running xbar, and
 * `state` = [best φ, Σ weights]) kept between chunks. Returns 1 when the ascent stopped early
 * (zero supergradient), else 0.
 */
export function ltnLdsAscentChunkReference(
  n: number,
  mat: Float64Array,
  kFrom: number,
  kTo: number,
  eta0: number,
  p: Float64Array,
  cur: Float64Array,
  xbar: Float64Array,
  state: Float64Array,
): number {
  const s = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  const vec = new Float64Array(n);
  const g = new Float64Array(n);
  let best = state[0];
  let wsum = state[1];
  let stopped = 0;
  for (let k = kFrom; k <= kTo; k++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = cur[i] * mat[i * n + j] + mat[j * n + i] * cur[j];
    const lam = minEig(s, v, n, vec);
    if (lam > best) {
      best = lam;
      for (let i = 0; i < n; i++) p[i] = cur[i];
    }
    let gmax = 0;
    for (let i = 0; i < n; i++) {
      let mv = 0;
      for (let j = 0; j < n; j++) mv += mat[i * n + j] * vec[j];
      g[i] = 2 * vec[i] * mv;
      if (Math.abs(g[i]) > gmax) gmax = Math.abs(g[i]);
    }
    if (gmax === 0) {
      stopped = 1;
      break;
    }
    const eta = eta0 / Math.sqrt(k);
    const wk = eta / gmax;
    wsum += wk;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) xbar[i * n + j] += wk * vec[i] * vec[j];
    let z = 0;
    for (let i = 0; i < n; i++) {
      cur[i] *= Math.exp((eta * g[i]) / gmax);
      z += cur[i];
    }
    for (let i = 0; i < n; i++) cur[i] /= z;
  }
  state[0] = best;
  state[1] = wsum;
  return stopped;
}

/** @internal The whole ascent in one chunk (positional, unchecked). */
function ldsAscentLoop(n: number, mat: Float64Array, iters: number, eta0: number, p: Float64Array, xbar: Float64Array): number {
  const cur = Float64Array.from(p);
  const state = Float64Array.of(Number.NEGATIVE_INFINITY, 0);
  xbar.fill(0);
  ltnLdsAscentChunkReference(n, mat, 1, iters, eta0, p, cur, xbar, state);
  const wsum = state[1];
  if (wsum > 0) for (let i = 0; i < n * n; i++) xbar[i] /= wsum;
  return state[0];
}

/** Parameters of {@link ltnBatchRunReference}. */
export interface LtnBatchRunParams {
  /** Units per trajectory. */
  n: number;
  /** Number of trajectories. */
  m: number;
  /** Dissipation rates d (n). */
  d: Float64Array;
  /** Weights W, row-major n×n. */
  w: Float64Array;
  /** Inputs: one row of n per trajectory when `uStride` = n, or one shared row when 0. */
  u: Float64Array;
  /** Offset between the input rows of consecutive trajectories: 0 (shared) or n. @default 0 */
  uStride?: number;
  /** γ_k per trajectory (m). */
  gammas: Float64Array;
  /** States, m rows of n, advanced in place. */
  x: Float64Array;
  /** Step size (dimensionless time). */
  dt: number;
  /** Number of steps. */
  steps: number;
  /** "euler", "rk4" or "pds" (projected Euler of the fast limit; γ ignored). */
  method: 'euler' | 'rk4' | 'pds';
}

function f64(name: string, v: unknown, length: number): Float64Array {
  if (!(v instanceof Float64Array)) throw new ValidationError(name, `a Float64Array of length ${length}`, v);
  if (v.length !== length) throw new ValidationError(`${name}.length`, `${length}`, v.length);
  for (let i = 0; i < length; i++) if (!Number.isFinite(v[i])) throw new ValidationError(`${name}[${i}]`, 'a finite number', v[i]);
  return v;
}

/**
 * Reference of the batch kernel `ltnBatchRun`: integrates m trajectories (rows of x, in place) of
 * LTN_γ ẋ = −γDx + [(W + (γ−1)D)x + u]_+ for `steps` steps of size dt, with the kernel's
 * summation order, so it agrees with `LtnBatch` bit for bit. Returns 0, or 1 when a state became
 * non-finite. Work bound: steps·m·(n+1)² (×4 for rk4) ≤ `LTN_MAX_WORK`.
 * @example
 * ```ts
 * const x = Float64Array.of(0, 0);
 * ltnReference.ltnBatchRunReference({ n: 2, m: 1, d, w, u, gammas: Float64Array.of(1), x, dt: 0.01, steps: 100, method: 'rk4' });
 * ```
 */
export function ltnBatchRunReference(params: LtnBatchRunParams): number {
  const where = 'ltnReference.ltnBatchRunReference';
  if (params === null || typeof params !== 'object') throw new ValidationError('params', `a parameter object for ${where}`, params);
  const o = strictOptions(
    where,
    'params',
    params,
    optionKeys<LtnBatchRunParams>()(['n', 'm', 'd', 'w', 'u', 'uStride', 'gammas', 'x', 'dt', 'steps', 'method']),
  );
  const n = checkInteger('params.n', o.n, 1, 1 << 20);
  const m = checkInteger('params.m', o.m, 1, 1 << 28);
  const uStride = o.uStride ?? 0;
  if (uStride !== 0 && uStride !== n) throw new ValidationError('params.uStride', `0 or n = ${n}`, uStride);
  const method = checkChoice('params.method', o.method, ['euler', 'rk4', 'pds']);
  const dt = checkPositive('params.dt', o.dt);
  const steps = checkInteger('params.steps', o.steps, 0);
  checkWork(
    'params.steps',
    steps,
    steps * m * (n + 1) * (n + 1) * (method === 'rk4' ? 4 : 1),
    () => 'fewer steps',
    () => `${where}: ${m} trajectories of ${n} units`,
  );
  return batchRunLoop(
    n,
    m,
    f64('params.d', o.d, n),
    f64('params.w', o.w, n * n),
    f64('params.u', o.u, uStride ? m * n : n),
    uStride,
    f64('params.gammas', o.gammas, m),
    f64('params.x', o.x, m * n),
    dt,
    steps,
    method === 'euler' ? 0 : method === 'rk4' ? 1 : 2,
  );
}

/** Parameters of {@link ltnLdsAscentReference}. */
export interface LtnLdsAscentParams {
  /** Size of the matrix. */
  n: number;
  /** The matrix M, row-major n×n. */
  matrix: Float64Array;
  /** Ascent iterations. */
  iterations: number;
  /** Step scale η₀ of η_k = η₀/√k. */
  eta0: number;
  /** Start weights on entry (n, Σp = 1), the best iterate on exit. */
  p: Float64Array;
  /** Receives the dual iterate (n×n). */
  xbar: Float64Array;
}

/**
 * Reference of the LDS-ascent kernel `ltnLdsAscent` (the `backend: 'ts'` of `ldsTest`):
 * exponentiated-gradient ascent of φ(p) = λ_min(PM + MᵀP) over the simplex (lif-ltn.md §2.4 [R]),
 * p ← p∘exp(η_k g/‖g‖_∞)/Σ, η_k = eta0/√k, supergradient g_i = 2 v_i (Mv)_i. `p` holds the start
 * on entry and the best iterate on exit; `xbar` receives the weighted average of the minimising
 * eigenprojectors v vᵀ (weights η_k/‖g_k‖_∞), the dual iterate. Returns the best φ.
 */
export function ltnLdsAscentReference(params: LtnLdsAscentParams): number {
  const where = 'ltnReference.ltnLdsAscentReference';
  if (params === null || typeof params !== 'object') throw new ValidationError('params', `a parameter object for ${where}`, params);
  const o = strictOptions(where, 'params', params, optionKeys<LtnLdsAscentParams>()(['n', 'matrix', 'iterations', 'eta0', 'p', 'xbar']));
  const n = checkInteger('params.n', o.n, 1, 64);
  const iters = checkInteger('params.iterations', o.iterations, 1, 10_000_000);
  checkWork(
    'params.iterations',
    iters,
    2 * iters * (n + 1) ** 3,
    () => `at most ${Math.floor(LTN_MAX_WORK / (2 * (n + 1) ** 3))}`,
    () => where,
  );
  return ldsAscentLoop(
    n,
    f64('params.matrix', o.matrix, n * n),
    iters,
    checkPositive('params.eta0', o.eta0),
    f64('params.p', o.p, n),
    f64('params.xbar', o.xbar, n * n),
  );
}
