/**
 * Trajectories of the linear-threshold network, of the one-parameter family LTN_γ and of its two
 * timescale limits (seed 004; lif-ltn.md §2.2–2.3). The family, the fast-limit PDS and the
 * slow-limit complementarity system are OUR reconstruction ([R] in the research note), consistent
 * with the seed's abstract-level statements; the paper's own definitions are not confirmed.
 *
 * - LTN_γ:  ẋ = −γDx + [(W + (γ−1)D)x + u]_+ = −min(γDx, Mx − u),  M = D − W  (γ = 1: the LTN)
 * - fast limit γ → ∞ (projected dynamical system on the orthant):
 *   ẋ = Π_{ℝⁿ₊}(x, u − Mx),  [Π(x, v)]_i = v_i if x_i > 0, max(v_i, 0) if x_i = 0
 * - slow limit γ → 0 in slow time s = γt (linear complementarity system, the hard-selector
 *   candidate): dx/ds = −Dx + λ, 0 ≤ λ ⊥ Mx − u ≥ 0
 * @packageDocumentation
 */
import { AbortedError, NumericalError, ValidationError } from '../kernel/errors.js';
import { checkBoolean, checkChoice, checkFinite, checkInteger, checkOptions, checkPositive, checkSignal } from '../kernel/validate.js';
import { lcpLemke, lcpPrincipalPivoting } from './lcp.js';
import { expm, matvec, principal, spectralRadiusBound } from './linalg.js';
import { checkNetwork, checkState, inputAt, type LtnNet, type LtnNetworkSpec } from './network.js';

/** A sampled trajectory. `x` holds `t.length` rows of n (row-major). */
export interface LtnTrajectory {
  /** Number of units. */
  n: number;
  /** Sample times (the system's own time: t, or slow time s for {@link lcsSimulate}). */
  t: Float64Array;
  /** States at the sample times, row-major (t.length × n). */
  x: Float64Array;
  /** State at the end of the run. */
  final: Float64Array;
  /** Accepted steps (or linear segments for "exact"). */
  steps: number;
  /** Rejected steps (adaptive method only). */
  rejected: number;
  /** Switching events located (exact methods only). */
  events: number;
  /** Method used. */
  method: string;
}

/** Options shared by the simulators. */
export interface LtnRunOptions {
  /** Length of the run (time units of 1/d). */
  duration: number;
  /** Time between recorded samples. @default duration / 200 */
  sampleInterval?: number;
  /** Fixed step for "euler", "rk4", "projected-euler" and "implicit". @default 1e-3 */
  dt?: number;
  /** Called after each recorded sample with the fraction done. */
  onProgress?: (fraction: number) => void;
  /** Cancels the run (AbortedError; checked every 16 samples). */
  signal?: AbortSignal;
}

/** Options of {@link ltnSimulate}. */
export interface LtnSimulateOptions extends LtnRunOptions {
  /** Family parameter γ > 0 of LTN_γ (γ = 1 is the LTN). @default 1 */
  gamma?: number;
  /**
   * "euler" (explicit, order 1), "rk4" (classical, order 4), "dopri5" (Dormand–Prince 5(4),
   * error-controlled) or "exact" (matrix exponential on each linear piece, switching times located
   * by bisection to ~1e-13; constant u only, n ≤ 16).
   * @default "dopri5"
   */
  method?: 'euler' | 'rk4' | 'dopri5' | 'exact';
  /** Relative tolerance of "dopri5". @default 1e-9 */
  rtol?: number;
  /** Absolute tolerance of "dopri5". @default 1e-12 */
  atol?: number;
  /**
   * Refuse ("euler"/"rk4") a step outside the linear stability region of some linear piece
   * (see {@link ltnMaxStableStep}): Euler on lightly damped pieces produces fake limit cycles.
   * @default true
   */
  checkStability?: boolean;
  /** Event budget of "exact" (guards against Zeno behaviour). @default 100000 */
  maxEvents?: number;
}

// ---------------------------------------------------------------------------------------------
// vector fields

/** @internal −γ d∘x + [(W + (γ−1)D)x + u]_+ */
export function ltnField(net: LtnNet, g: number, x: ArrayLike<number>, u: ArrayLike<number>, out: Float64Array): Float64Array {
  const { n, d, W } = net;
  for (let i = 0; i < n; i++) {
    let s = u[i] + (g - 1) * d[i] * x[i];
    for (let j = 0; j < n; j++) s += W[i * n + j] * x[j];
    // biome-ignore lint/complexity/useMathMinMax: same select as the kernel (NaN ↦ 0 here, not NaN)
    out[i] = -g * d[i] * x[i] + (s > 0 ? s : 0);
  }
  return out;
}

/** @internal Π(x, u − Mx). */
export function pdsField(net: LtnNet, x: ArrayLike<number>, u: ArrayLike<number>, out: Float64Array): Float64Array {
  const { n, M } = net;
  for (let i = 0; i < n; i++) {
    let v = u[i];
    for (let j = 0; j < n; j++) v -= M[i * n + j] * x[j];
    out[i] = x[i] > 0 ? v : Math.max(v, 0);
  }
  return out;
}

/**
 * The LTN_γ vector field f(x) = −γDx + [(W + (γ−1)D)x + u]_+ at time t (seed 004;
 * γ = 1 gives ẋ = −Dx + [Wx + u]_+).
 * @example
 * ```ts
 * ltnVectorField({ d: [1], W: [[0.5]], u: [1] }, [2]); // [-2 + 2] = [0]
 * ```
 */
export function ltnVectorField(spec: LtnNetworkSpec, x: ArrayLike<number>, options?: { gamma?: number; t?: number }): Float64Array {
  const net = checkNetwork(spec);
  const xv = checkState('x', x, net.n);
  const o = checkOptions('options', options);
  const g = checkPositive('options.gamma', o.gamma ?? 1);
  const t = checkFinite('options.t', o.t ?? 0);
  return ltnField(net, g, xv, inputAt(net, t, new Float64Array(net.n)), new Float64Array(net.n));
}

/**
 * The same field in complementarity form −min(γDx, Mx − u), M = D − W, computed independently
 * (lif-ltn.md §2.2 identity [R]: equal to {@link ltnVectorField} componentwise).
 * @example
 * ```ts
 * ltnMinForm({ d: [1], W: [[0.5]], u: [1] }, [2]); // [-min(2, 0)] = [0]
 * ```
 */
export function ltnMinForm(spec: LtnNetworkSpec, x: ArrayLike<number>, options?: { gamma?: number; t?: number }): Float64Array {
  const net = checkNetwork(spec);
  const xv = checkState('x', x, net.n);
  const o = checkOptions('options', options);
  const g = checkPositive('options.gamma', o.gamma ?? 1);
  const u = inputAt(net, checkFinite('options.t', o.t ?? 0), new Float64Array(net.n));
  const out = new Float64Array(net.n);
  const { n, d, M } = net;
  for (let i = 0; i < n; i++) {
    let f = -u[i];
    for (let j = 0; j < n; j++) f += M[i * n + j] * xv[j];
    out[i] = -Math.min(g * d[i] * xv[i], f);
  }
  return out;
}

/**
 * The fast-limit projected vector field Π_{ℝⁿ₊}(x, u − (D − W)x) (lif-ltn.md §2.3 [R]); x ≥ 0.
 * @example
 * ```ts
 * pdsVectorField({ d: [1], W: [[0]], u: [-1] }, [0]); // [max(-1, 0)] = [0]
 * ```
 */
export function pdsVectorField(spec: LtnNetworkSpec, x: ArrayLike<number>, options?: { t?: number }): Float64Array {
  const net = checkNetwork(spec);
  const xv = checkOrthant('x', x, net.n);
  const o = checkOptions('options', options);
  return pdsField(net, xv, inputAt(net, checkFinite('options.t', o.t ?? 0), new Float64Array(net.n)), new Float64Array(net.n));
}

function checkOrthant(name: string, x: unknown, n: number): Float64Array {
  const v = checkState(name, x, n);
  for (let i = 0; i < n; i++)
    if (v[i] < 0) throw new ValidationError(`${name}[${i}]`, 'a finite number >= 0 (the PDS lives on the orthant)', v[i]);
  return v;
}

// ---------------------------------------------------------------------------------------------
// stability of explicit steps

const rk4Poly = (z: number) => 1 + z + (z * z) / 2 + (z * z * z) / 6 + (z * z * z * z) / 24;

function amplification(a: Float64Array, k: number, h: number, method: 'euler' | 'rk4'): Float64Array {
  // R(hJ) with J = −A (A = M_SS): Euler I + hJ, RK4 Σ_{j≤4} (hJ)^j/j!
  const j = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) j[i] = -h * a[i];
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) r[i * k + i] = 1;
  let term = Float64Array.from(j);
  for (let i = 0; i < k * k; i++) r[i] += term[i];
  if (method === 'rk4') {
    for (let p = 2; p <= 4; p++) {
      const nt = new Float64Array(k * k);
      for (let a1 = 0; a1 < k; a1++)
        for (let b = 0; b < k; b++) {
          const v = term[a1 * k + b];
          if (v !== 0) for (let c = 0; c < k; c++) nt[a1 * k + c] += (v * j[b * k + c]) / p;
        }
      term = nt;
      for (let i = 0; i < k * k; i++) r[i] += term[i];
    }
  }
  return r;
}

/** Linear pieces checked by the stability test: all supports for n ≤ 10, else ∅-free singletons and the full set. */
function supports(n: number): number[][] {
  const out: number[][] = [];
  if (n <= 10) {
    for (let mask = 1; mask < 1 << n; mask++) {
      const s: number[] = [];
      for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(i);
      out.push(s);
    }
  } else {
    for (let i = 0; i < n; i++) out.push([i]);
    out.push(Array.from({ length: n }, (_, i) => i));
  }
  return out;
}

const STAB_TOL = 1e-6;

function stableAt(net: LtnNet, g: number, h: number, method: 'euler' | 'rk4', pieces: number[][], pdsOnly = false): boolean {
  // Linear pieces of LTN_γ: Jacobian rows −M on active units, −γ d_i e_i on inactive ones, so the
  // spectrum is eig(−M_SS) ∪ {−γ d_i : i ∉ S} (lif-ltn.md §2.6).
  if (!pdsOnly)
    for (let i = 0; i < net.n; i++)
      if (Math.abs(method === 'euler' ? 1 - h * g * net.d[i] : rk4Poly(-h * g * net.d[i])) > 1 + 1e-12) return false;
  for (const s of pieces) {
    const a = principal(net.M, net.n, s);
    if (spectralRadiusBound(amplification(a, s.length, h, method), s.length, 30) > 1 + STAB_TOL) return false;
  }
  return true;
}

/**
 * Largest step h for which explicit Euler or RK4 is linearly stable on every linear piece of
 * LTN_γ (spectrum eig(−M_SS) ∪ {−γd_i}), found by bisection with a Gelfand spectral-radius bound
 * of the amplification matrix (30 squarings, tolerance 1e-6). Exhaustive over supports for n ≤ 10, partial
 * (singletons and the full set) above.
 * @example
 * ```ts
 * ltnMaxStableStep({ d: [1], W: [[0]] }, { method: 'euler' }); // 2
 * ```
 */
export function ltnMaxStableStep(spec: LtnNetworkSpec, options?: { method?: 'euler' | 'rk4'; gamma?: number }): number {
  const net = checkNetwork(spec);
  const o = checkOptions('options', options);
  const method = checkChoice('options.method', o.method ?? 'rk4', ['euler', 'rk4']);
  const g = checkPositive('options.gamma', o.gamma ?? 1);
  const pieces = supports(net.n);
  let lo = 0;
  let hi = 1;
  while (stableAt(net, g, hi, method, pieces) && hi < 1e6) {
    lo = hi;
    hi *= 2;
  }
  for (let it = 0; it < 40; it++) {
    const mid = 0.5 * (lo + hi);
    if (stableAt(net, g, mid, method, pieces)) lo = mid;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// sampling helper

interface Sampler {
  times: number[];
  rows: number[];
  record(t: number, x: ArrayLike<number>): void;
}

function sampler(n: number): Sampler {
  const s: Sampler = {
    times: [],
    rows: [],
    record(t, x) {
      s.times.push(t);
      for (let i = 0; i < n; i++) s.rows.push(x[i]);
    },
  };
  return s;
}

function finish(
  n: number,
  s: Sampler,
  x: ArrayLike<number>,
  steps: number,
  rejected: number,
  events: number,
  method: string,
): LtnTrajectory {
  return { n, t: Float64Array.from(s.times), x: Float64Array.from(s.rows), final: Float64Array.from(x), steps, rejected, events, method };
}

function runCommon(o: LtnRunOptions) {
  const duration = checkPositive('options.duration', o.duration);
  const sampleInterval = checkPositive('options.sampleInterval', o.sampleInterval ?? duration / 200);
  const dt = checkPositive('options.dt', o.dt ?? 1e-3);
  const signal = checkSignal('options.signal', o.signal);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new ValidationError('options.onProgress', 'a function', o.onProgress);
  return { duration, sampleInterval, dt, signal, onProgress: o.onProgress };
}

function checkNonFinite(x: Float64Array, step: number, t: number, context: string) {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new NumericalError(context, { kind: 'non-finite', step, index: i, time: t, value: x[i] });
  }
}

function aborted(signal: AbortSignal | undefined, context: string) {
  if (signal?.aborted) throw new AbortedError(`${context} was aborted`);
}

/** Fixed-step driver: `step(x, t, h)` advances in place; samples every `sampleInterval`. */
function fixedStep(
  n: number,
  x: Float64Array,
  c: ReturnType<typeof runCommon>,
  step: (x: Float64Array, t: number, h: number) => void,
  context: string,
): { s: Sampler; steps: number } {
  const s = sampler(n);
  s.record(0, x);
  const nSteps = Math.max(1, Math.ceil(c.duration / c.dt - 1e-9));
  const every = Math.max(1, Math.round(c.sampleInterval / c.dt));
  for (let k = 0; k < nSteps; k++) {
    const t = k * c.dt;
    const h = k === nSteps - 1 ? c.duration - t : c.dt;
    step(x, t, h);
    if (k % 64 === 0) checkNonFinite(x, k, t + h, context);
    if ((k + 1) % every === 0 || k === nSteps - 1) {
      checkNonFinite(x, k, t + h, context);
      s.record(k === nSteps - 1 ? c.duration : t + h, x);
      if ((k + 1) % (every * 16) === 0) {
        aborted(c.signal, context);
        c.onProgress?.((k + 1) / nSteps);
      }
    }
  }
  c.onProgress?.(1);
  return { s, steps: nSteps };
}

// ---------------------------------------------------------------------------------------------
// LTN_γ

/**
 * Simulates LTN_γ ẋ = −γDx + [(W + (γ−1)D)x + u(t)]_+ from x0 (family [R], lif-ltn.md §2.3).
 * Order within a step: evaluate u at the stage times, then the field; samples are recorded after
 * the step that reaches each sample time.
 * @example
 * ```ts
 * const tr = ltnSimulate({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] }, [0, 0], { duration: 20 });
 * tr.final; // ≈ the LCP solution x* = [0.5, 0.4]
 * ```
 */
export function ltnSimulate(spec: LtnNetworkSpec, x0: ArrayLike<number>, options: LtnSimulateOptions): LtnTrajectory {
  const net = checkNetwork(spec);
  const x = checkState('x0', x0, net.n);
  const o = checkOptions('options', options);
  const c = runCommon(o);
  const g = checkPositive('options.gamma', o.gamma ?? 1);
  const method = checkChoice('options.method', o.method ?? 'dopri5', ['euler', 'rk4', 'dopri5', 'exact']);
  const n = net.n;
  if (method === 'exact') return exactLtn(net, g, x, c, checkInteger('options.maxEvents', o.maxEvents ?? 100_000, 1));
  if (method === 'dopri5') {
    const rtol = checkPositive('options.rtol', o.rtol ?? 1e-9);
    const atol = checkPositive('options.atol', o.atol ?? 1e-12);
    const ub = new Float64Array(n);
    return dopri5(n, x, c, (t, y, out) => ltnField(net, g, y, inputAt(net, t, ub), out), rtol, atol, 'ltnSimulate');
  }
  if (checkBoolean('options.checkStability', o.checkStability ?? true) && !stableAt(net, g, c.dt, method, supports(n))) {
    throw new ValidationError(
      'options.dt',
      `a step inside the ${method} stability region of every linear piece (at most ~${ltnMaxStableStep(spec, { method, gamma: g }).toPrecision(4)}; pass checkStability: false to override)`,
      c.dt,
    );
  }
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const ub = new Float64Array(n);
  const step =
    method === 'euler'
      ? (y: Float64Array, t: number, h: number) => {
          ltnField(net, g, y, inputAt(net, t, ub), k1);
          for (let i = 0; i < n; i++) y[i] += h * k1[i];
        }
      : (y: Float64Array, t: number, h: number) => {
          ltnField(net, g, y, inputAt(net, t, ub), k1);
          for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
          ltnField(net, g, tmp, inputAt(net, t + 0.5 * h, ub), k2);
          for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
          ltnField(net, g, tmp, inputAt(net, t + 0.5 * h, ub), k3);
          for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
          ltnField(net, g, tmp, inputAt(net, t + h, ub), k4);
          for (let i = 0; i < n; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        };
  const { s, steps } = fixedStep(n, x, c, step, 'ltnSimulate');
  return finish(n, s, x, steps, 0, 0, method);
}

// Dormand–Prince 5(4) (Dormand & Prince 1980; Hairer, Nørsett & Wanner I, Table 5.2), FSAL,
// 5th-order propagation, elementary controller h ← h·min(5, max(0.2, 0.9·err^{-1/5})). Steps are
// clipped to land on the sample times (no dense output needed).
const A2 = [1 / 5];
const A3 = [3 / 40, 9 / 40];
const A4 = [44 / 45, -56 / 15, 32 / 9];
const A5 = [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729];
const A6 = [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656];
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84];
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];

function dopri5(
  n: number,
  x: Float64Array,
  c: ReturnType<typeof runCommon>,
  f: (t: number, y: Float64Array, out: Float64Array) => void,
  rtol: number,
  atol: number,
  context: string,
): LtnTrajectory {
  const k = Array.from({ length: 7 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const ynew = new Float64Array(n);
  const A = [[], A2, A3, A4, A5, A6];
  const s = sampler(n);
  s.record(0, x);
  let t = 0;
  f(t, x, k[0]);
  let scale0 = 0;
  for (let i = 0; i < n; i++) scale0 = Math.max(scale0, Math.abs(k[0][i]) / (atol + rtol * Math.abs(x[i])));
  let h = Math.min(c.sampleInterval, scale0 > 0 ? 0.01 / scale0 ** 0.2 : c.sampleInterval);
  let steps = 0;
  let rejected = 0;
  let nextSample = c.sampleInterval;
  const maxSteps = 50_000_000;
  while (t < c.duration) {
    const target = Math.min(nextSample, c.duration);
    let hh = Math.min(h, target - t);
    const landing = hh >= target - t - 1e-14 * Math.max(1, t);
    if (landing) hh = target - t;
    for (let st = 1; st < 7; st++) {
      const row = st < 6 ? A[st] : B5;
      for (let i = 0; i < n; i++) {
        let v = x[i];
        for (let j = 0; j < row.length; j++) v += hh * row[j] * k[j][i];
        y[i] = v;
      }
      f(t + C[st] * hh, y, k[st]);
      if (st === 6) ynew.set(y);
    }
    let err = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += E[j] * k[j][i];
      e *= hh;
      const sc = atol + rtol * Math.max(Math.abs(x[i]), Math.abs(ynew[i]));
      err += (e / sc) ** 2;
    }
    err = Math.sqrt(err / n);
    if (!Number.isFinite(err)) throw new NumericalError(context, { kind: 'non-finite', step: steps, index: -1, time: t, value: err });
    const fac = Math.min(5, Math.max(0.2, 0.9 * (err > 0 ? err ** -0.2 : 5)));
    if (err <= 1) {
      t = landing ? target : t + hh;
      x.set(ynew);
      k[0].set(k[6]);
      steps++;
      if (landing) {
        s.record(t, x);
        nextSample += c.sampleInterval;
        if (s.times.length % 16 === 0) {
          aborted(c.signal, context);
          c.onProgress?.(t / c.duration);
        }
      }
      if (!landing || hh >= h) h = hh * fac;
    } else {
      rejected++;
      h = hh * Math.max(0.2, fac);
      if (h < 1e-14 * Math.max(1, t)) throw new NumericalError(context, { kind: 'blow-up', step: steps, index: -1, time: t, value: h });
    }
    if (steps + rejected > maxSteps) throw new NumericalError(context, { kind: 'blow-up', step: steps, index: -1, time: t, value: h });
  }
  c.onProgress?.(1);
  return finish(n, s, x, steps, rejected, 0, 'dopri5');
}

// ---------------------------------------------------------------------------------------------
// exact piecewise-linear integration

interface Piece {
  /** Augmented (n+1)×(n+1) generator [[A, b], [0, 0]]. */
  aug: Float64Array;
  /** Event functions g_k(x) = c_k·x + c0_k (rows of n+1: c then c0) and the sign they start with. */
  ev: Float64Array;
  evSign: Int8Array;
  /** PDS: units held at 0. */
  clamped?: Uint8Array;
}

function propagate(e: Float64Array, n1: number, x: Float64Array, out: Float64Array) {
  // [x; 1] ↦ E [x; 1]
  for (let i = 0; i < n1 - 1; i++) {
    let s = e[i * n1 + n1 - 1];
    for (let j = 0; j < n1 - 1; j++) s += e[i * n1 + j] * x[j];
    out[i] = s;
  }
}

function scaled(aug: Float64Array, tau: number): Float64Array {
  const a = new Float64Array(aug.length);
  for (let i = 0; i < a.length; i++) a[i] = aug[i] * tau;
  return a;
}

function evalEvents(p: Piece, x: ArrayLike<number>, n: number, out: Float64Array) {
  const m = p.evSign.length;
  for (let k = 0; k < m; k++) {
    let s = p.ev[k * (n + 1) + n];
    for (let j = 0; j < n; j++) s += p.ev[k * (n + 1) + j] * x[j];
    out[k] = s;
  }
}

/**
 * Generic driver: the piece is rebuilt from the state after each event; between events the flow
 * is e^{Aτ} applied to [x; 1]. Events are detected on a sub-grid of width ≤ `dmax` and located by
 * 60 bisections of the exact flow (bracket ≲ 1e-16·δ).
 */
function exactDriver(
  n: number,
  x: Float64Array,
  c: ReturnType<typeof runCommon>,
  build: (x: Float64Array) => Piece,
  after: (x: Float64Array) => void,
  dmax: number,
  maxEvents: number,
  context: string,
  method: string,
): LtnTrajectory {
  const s = sampler(n);
  s.record(0, x);
  const n1 = n + 1;
  let t = 0;
  let piece = build(x);
  let cacheTau = -1;
  let cacheE: Float64Array = new Float64Array(0);
  let nextSample = c.sampleInterval;
  const y = new Float64Array(n);
  const gv = new Float64Array(n * 2 + 2);
  let events = 0;
  let steps = 0;
  while (t < c.duration) {
    const target = Math.min(nextSample, c.duration);
    let tau = Math.min(dmax, target - t);
    const landing = tau >= target - t - 1e-14 * Math.max(1, t);
    if (landing) tau = target - t;
    if (tau !== cacheTau) {
      cacheE = expm(scaled(piece.aug, tau), n1);
      cacheTau = tau;
    }
    propagate(cacheE, n1, x, y);
    steps++;
    evalEvents(piece, y, n, gv);
    let crossed = false;
    for (let k = 0; k < piece.evSign.length; k++) if (gv[k] * piece.evSign[k] < 0) crossed = true;
    if (!crossed) {
      x.set(y);
      t = landing ? target : t + tau;
      if (landing) {
        checkNonFinite(x, steps, t, context);
        s.record(t, x);
        nextSample += c.sampleInterval;
        if (s.times.length % 16 === 0) {
          aborted(c.signal, context);
          c.onProgress?.(t / c.duration);
        }
      }
      continue;
    }
    // bisection for the first time any event function leaves its starting sign
    let lo = 0;
    let hi = tau;
    const z = new Float64Array(n);
    for (let it = 0; it < 60; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      propagate(expm(scaled(piece.aug, mid), n1), n1, x, z);
      evalEvents(piece, z, n, gv);
      let any = false;
      for (let k = 0; k < piece.evSign.length; k++) if (gv[k] * piece.evSign[k] < 0) any = true;
      if (any) hi = mid;
      else lo = mid;
    }
    propagate(expm(scaled(piece.aug, hi), n1), n1, x, z);
    x.set(z);
    t += hi;
    after(x);
    piece = build(x);
    cacheTau = -1;
    if (++events > maxEvents)
      throw new NumericalError(`${context} (event budget exceeded: Zeno or chattering?)`, {
        kind: 'blow-up',
        step: steps,
        index: -1,
        time: t,
        value: events,
      });
  }
  c.onProgress?.(1);
  return finish(n, s, x, steps, 0, events, method);
}

function requireConstantInput(net: LtnNet, context: string): Float64Array {
  if (!net.u)
    throw new ValidationError('u', `a constant input array for ${context} (a function u(t) is not piecewise linear)`, 'a function');
  if (net.n > 16) throw new ValidationError('d.length', `at most 16 units for ${context}`, net.n);
  return net.u;
}

function normInf(a: Float64Array, n: number): number {
  let best = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(a[i * n + j]);
    best = Math.max(best, s);
  }
  return best;
}

function exactLtn(net: LtnNet, g: number, x: Float64Array, c: ReturnType<typeof runCommon>, maxEvents: number): LtnTrajectory {
  const u = requireConstantInput(net, 'method "exact"');
  const { n, d, W } = net;
  const n1 = n + 1;
  // s(x) = W_γ x + u, W_γ = W + (γ−1)D; active units (s_i > 0) follow ẋ_i = −γd_i x_i + s_i(x)
  const wg = Float64Array.from(W);
  for (let i = 0; i < n; i++) wg[i * n + i] += (g - 1) * d[i];
  const build = (y: Float64Array): Piece => {
    const aug = new Float64Array(n1 * n1);
    const ev = new Float64Array(n * n1);
    const evSign = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      let si = u[i];
      for (let j = 0; j < n; j++) si += wg[i * n + j] * y[j];
      const active = si > 0;
      evSign[i] = active ? 1 : -1;
      for (let j = 0; j < n; j++) ev[i * n1 + j] = wg[i * n + j];
      ev[i * n1 + n] = u[i];
      if (active) {
        for (let j = 0; j < n; j++) aug[i * n1 + j] = wg[i * n + j];
        aug[i * n1 + n] = u[i];
      }
      aug[i * n1 + i] -= g * d[i];
    }
    return { aug, ev, evSign };
  };
  let dmax = c.sampleInterval;
  const mn = normInf(net.M, n);
  if (mn > 0) dmax = Math.min(dmax, 0.5 / mn);
  let dm = 0;
  for (let i = 0; i < n; i++) dm = Math.max(dm, g * d[i]);
  dmax = Math.min(dmax, 5 / dm);
  return exactDriver(n, x, c, build, () => {}, dmax, maxEvents, 'ltnSimulate', 'exact');
}

// ---------------------------------------------------------------------------------------------
// fast limit: projected dynamical system

/** Options of {@link pdsSimulate}. */
export interface PdsSimulateOptions extends LtnRunOptions {
  /**
   * "projected-euler": x ← [x + h(u(t) − Mx)]_+ (order 1, stays in the orthant; also the LCP
   * projected iteration); "exact": matrix exponential on each face of the orthant, with the
   * switching times (a free unit hits 0, a clamped unit's u_i − (Mx)_i turns positive) located by
   * bisection (constant u only, n ≤ 16).
   * @default "exact" for constant u, else "projected-euler"
   */
  method?: 'projected-euler' | 'exact';
  /** Event budget of "exact". @default 100000 */
  maxEvents?: number;
}

/**
 * Simulates the fast limit γ → ∞ of LTN_γ, the projected dynamical system
 * ẋ = Π_{ℝⁿ₊}(x, u − (D − W)x) on the orthant (our reconstruction, lif-ltn.md §2.3 [R]).
 * @example
 * ```ts
 * const tr = pdsSimulate({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] }, [2, 0], { duration: 20 });
 * ```
 */
export function pdsSimulate(spec: LtnNetworkSpec, x0: ArrayLike<number>, options: PdsSimulateOptions): LtnTrajectory {
  const net = checkNetwork(spec);
  const x = checkOrthant('x0', x0, net.n);
  const o = checkOptions('options', options);
  const c = runCommon(o);
  const method = checkChoice('options.method', o.method ?? (net.u ? 'exact' : 'projected-euler'), ['projected-euler', 'exact']);
  const n = net.n;
  if (method === 'exact') return exactPds(net, x, c, checkInteger('options.maxEvents', o.maxEvents ?? 100_000, 1));
  const f = new Float64Array(n);
  const ub = new Float64Array(n);
  const { s, steps } = fixedStep(
    n,
    x,
    c,
    (y, t, h) => {
      const u = inputAt(net, t, ub);
      for (let i = 0; i < n; i++) {
        let v = u[i];
        for (let j = 0; j < n; j++) v -= net.M[i * n + j] * y[j];
        f[i] = v;
      }
      for (let i = 0; i < n; i++) y[i] = Math.max(0, y[i] + h * f[i]);
    },
    'pdsSimulate',
  );
  return finish(n, s, x, steps, 0, 0, method);
}

function exactPds(net: LtnNet, x: Float64Array, c: ReturnType<typeof runCommon>, maxEvents: number): LtnTrajectory {
  const u = requireConstantInput(net, 'method "exact"');
  const { n, M } = net;
  const n1 = n + 1;
  let scale = 1;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(u[i]));
  const tol = 1e-13 * scale;
  const build = (y: Float64Array): Piece => {
    const aug = new Float64Array(n1 * n1);
    const ev = new Float64Array(n * n1);
    const evSign = new Int8Array(n);
    const clamped = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let v = u[i];
      for (let j = 0; j < n; j++) v -= M[i * n + j] * y[j];
      // clamped: on the face x_i = 0 with the field pointing out (u − Mx)_i ≤ 0
      clamped[i] = y[i] <= 0 && v <= tol ? 1 : 0;
    }
    for (let i = 0; i < n; i++) {
      if (clamped[i]) {
        // leaves the face when (u − Mx)_i becomes positive
        for (let j = 0; j < n; j++) ev[i * n1 + j] = -M[i * n + j];
        ev[i * n1 + n] = u[i] - tol;
        evSign[i] = -1;
      } else {
        for (let j = 0; j < n; j++) {
          aug[i * n1 + j] = clamped[j] ? 0 : -M[i * n + j];
        }
        aug[i * n1 + n] = u[i];
        // hits the face when x_i becomes negative
        ev[i * n1 + i] = 1;
        ev[i * n1 + n] = y[i] > 0 ? 0 : tol;
        evSign[i] = 1;
      }
    }
    return { aug, ev, evSign, clamped };
  };
  const after = (y: Float64Array) => {
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
  };
  let dmax = c.sampleInterval;
  const mn = normInf(M, n);
  if (mn > 0) dmax = Math.min(dmax, 0.5 / mn);
  return exactDriver(n, x, c, build, after, dmax, maxEvents, 'pdsSimulate', 'exact');
}

// ---------------------------------------------------------------------------------------------
// slow limit: linear complementarity system (hard-selector candidate)

/** Options of {@link lcsSimulate}. */
export type LcsSimulateOptions = LtnRunOptions;

/**
 * Simulates the slow limit γ → 0 of LTN_γ in slow time s = γt, the linear complementarity system
 * dx/ds = −Dx + λ, 0 ≤ λ ⊥ Mx − u ≥ 0 — our candidate for the paper's hard-selector system
 * (lif-ltn.md §2.3 [R], low confidence; the paper's HSS definition is not confirmed).
 * Discretisation: implicit (Moreau–Stewart) time stepping x_{k+1} = (I + hD)⁻¹(x_k + hλ_{k+1})
 * with λ_{k+1} from the LCP 0 ≤ λ ⊥ M(I + hD)⁻¹(x_k + hλ) − u(s_{k+1}) ≥ 0 (principal pivoting;
 * Lemke when M is not a P-matrix). Order 1; a state with Mx − u < 0 jumps onto {Mx − u ≥ 0} in
 * the first step (the impulsive part of the limit).
 * @example
 * ```ts
 * const tr = lcsSimulate({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] }, [0, 0], { duration: 5, dt: 1e-3 });
 * ```
 */
export function lcsSimulate(spec: LtnNetworkSpec, x0: ArrayLike<number>, options: LcsSimulateOptions): LtnTrajectory {
  const net = checkNetwork(spec);
  const x = checkState('x0', x0, net.n);
  const o = checkOptions('options', options);
  const c = runCommon(o);
  const { n, d, M } = net;
  const ub = new Float64Array(n);
  const q = new Float64Array(n);
  const Q = new Float64Array(n * n);
  const xb = new Float64Array(n);
  let cachedH = -1;
  const { s, steps } = fixedStep(
    n,
    x,
    c,
    (y, t, h) => {
      if (h !== cachedH) {
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Q[i * n + j] = (h * M[i * n + j]) / (1 + h * d[j]);
        cachedH = h;
      }
      const u = inputAt(net, t + h, ub);
      for (let j = 0; j < n; j++) xb[j] = y[j] / (1 + h * d[j]);
      matvec(M, xb, n, q);
      for (let i = 0; i < n; i++) q[i] -= u[i];
      let lam: Float64Array;
      try {
        lam = lcpPrincipalPivoting(Q, q, n, 200 * n).z;
      } catch {
        lam = lcpLemke(Q, q, n).z;
      }
      for (let j = 0; j < n; j++) y[j] = (y[j] + h * lam[j]) / (1 + h * d[j]);
    },
    'lcsSimulate',
  );
  return finish(n, s, x, steps, 0, 0, 'implicit');
}

/** @internal Throws unless h is inside the explicit stability region of every linear piece. */
export function assertStableStep(net: LtnNet, g: number, h: number, method: 'euler' | 'rk4', pdsOnly: boolean, context: string): void {
  if (!stableAt(net, g, h, method, supports(net.n), pdsOnly)) {
    throw new ValidationError(
      'options.dt',
      `a step inside the ${method} stability region of every linear piece for ${context} (pass checkStability: false to override)`,
      h,
    );
  }
}
