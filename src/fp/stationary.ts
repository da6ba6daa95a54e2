/**
 * Stationary theory of the structured noisy LIF model (seed 001, Sections 3–7), evaluated without
 * overflow for any drift: Z and N = a/Z (eqs. (18)–(20)), the fixed point ψ(N̄) = N̄ (eq. (28)),
 * the inverse problem (Theorem 4.1), learning equilibria (Proposition 6.2), the stationary state
 * of the reduced slow equation (43)–(46) and its small-noise limit (Theorem 7.1), and the
 * discrimination measure with the right-hand side of bound (30). Dimensionless (seed 001):
 * rates in spikes per membrane time constant τ_m, times in τ_m.
 *
 * Root finding: the fixed point, the inverse problem and the learning equilibria are found by
 * certified branch and bound ({@link isolateRoots} in src/fp/roots.ts), which cannot miss a root
 * inside the searched range, and the search range comes from bounds on the rate derived from the
 * data (docs/fp.md, "Stationary states"); results say whether the search was `complete`.
 * @packageDocumentation
 */
import { optionKeys } from '../contract/options.js';
import { type ProgressCallback, ProgressTracker } from '../contract/progress.js';
import { makeTable, Result, type TableOf } from '../contract/results.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkInteger, checkNonNegative, checkPositive, checkRange } from '../kernel/validate.js';
import { erfcx } from '../stats/special.js';
import { FP_LIMITS, FP_UNITS, type FpResponse, fpOptions, responseCode, responseOf } from './common.js';
import { type IsolationResult, isolateRoots, type RootPoint, solveBracket } from './roots.js';

/** Model constants of the stationary problem (eq. (15)); dimensionless. */
export interface FpModelConstants {
  /** Noise intensity a > 0 (the diffusion coefficient of seed eq. (1)). */
  a: number;
  /** Reset potential V_R < vThreshold. */
  vReset: number;
  /** Firing threshold V_F. */
  vThreshold: number;
}

const MODEL_KEYS = ['a', 'vReset', 'vThreshold'] as const;

const SQRT_PI = Math.sqrt(Math.PI);
const GX = [
  -0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.14887433898163122, 0.14887433898163122,
  0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717,
];
const GW = [
  0.06667134430868814, 0.14945134915058059, 0.21908636251598204, 0.26926671930999635, 0.29552422471475287, 0.29552422471475287,
  0.26926671930999635, 0.21908636251598204, 0.14945134915058059, 0.06667134430868814,
];

function gl(f: (x: number) => number, lo: number, hi: number): number {
  const c = 0.5 * (lo + hi);
  const r = 0.5 * (hi - lo);
  let s = 0;
  for (let q = 0; q < 10; q++) s += GW[q] * f(c + r * GX[q]);
  return s * r;
}

/**
 * Adaptive 10-point Gauss–Legendre: bisects until two levels agree to `tol` relative to the first
 * whole-interval estimate (so round-off in the integrand cannot force endless refinement), at
 * most 2^12 panels.
 */
function integrate(f: (x: number) => number, lo: number, hi: number, tol = 1e-13): number {
  const whole = gl(f, lo, hi);
  const scale = Math.abs(whole);
  const rec = (a: number, b: number, est: number, depth: number): number => {
    const mid = 0.5 * (a + b);
    const left = gl(f, a, mid);
    const right = gl(f, mid, b);
    const both = left + right;
    if (depth >= 12 || Math.abs(both - est) <= tol * Math.max(scale, Math.abs(both)) + 1e-300) return both;
    return rec(a, mid, left, depth + 1) + rec(mid, b, right, depth + 1);
  };
  return rec(lo, hi, whole, 0);
}

/** @internal Validated constants. */
interface Constants {
  a: number;
  vR: number;
  vF: number;
}

/**
 * Largest magnitude accepted for potentials, drifts, weights, inputs and rates in the stationary
 * theory (and the noise a lies in [1/BIG, BIG]): beyond it exponents such as ((V − μ)/√a)²/2
 * would overflow and results would stop being finite numbers.
 */
const BIG = 1e100;

/** A finite number with |x| ≤ 1e100. */
function moderate(name: string, v: unknown): number {
  return checkRange(name, v, -BIG, BIG);
}

function moderateArray(name: string, v: unknown, n?: number): Float64Array {
  return checkFiniteArray(name, v, n, (nm, x) => moderate(nm, x));
}

/**
 * The computed arrays of a stationary-theory result must be finite numbers: constants at the far
 * ends of the accepted ranges (a tiny noise, a huge threshold) can drive exponents beyond the
 * doubles, and then no honest result exists. Throws a {@link NumericalError} of kind 'domain'
 * naming the first non-finite element (index k of the weight grid).
 */
function finiteOutput(where: string, what: string, v: ArrayLike<number>): void {
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k]))
      throw new NumericalError(
        `${where}: ${what}[${k}] is not a finite number; the constants are outside the range where the stationary theory is representable in doubles (make a, |vThreshold|, |vReset|, nu moderate)`,
        { kind: 'domain', step: 0, index: k, time: 0, value: v[k] },
      );
  }
}

function checkConstants(c: FpModelConstants): Constants {
  const a = checkRange('a', c.a, 1 / BIG, BIG);
  const vR = moderate('vReset', c.vReset);
  const vF = moderate('vThreshold', c.vThreshold);
  if (!(vR < vF)) throw new ValidationError('vReset', `a value < vThreshold = ${vF}`, vR);
  return { a, vR, vF };
}

function required<T extends object>(where: string, options: T | undefined, keys: readonly string[]): T {
  if (options === undefined) throw new ValidationError('options', `an options object { ${keys.join(', ')} } for ${where}`, options);
  return fpOptions<T>(where, 'options', options, keys);
}

/** Options of {@link fpLogZ}. */
export interface FpLogZOptions extends FpModelConstants {
  /** `'laplace'` (fast, any μ) or `'erfcx'` (adaptive quadrature; the independent check). @default 'laplace' */
  method?: 'laplace' | 'erfcx';
}

/**
 * log Z for the drift offset μ = I(w) + wσ(N̄) (eq. (19)). Default method `'laplace'`: the
 * equivalent one-dimensional form Z = a∫_0^∞ e^{−s²/2}(e^{s·w_F} − e^{s·w_R})/s ds with
 * w_{F,R} = (V_{F,R} − μ)/√a (obtained from (19) by writing the Gaussian factor as a Laplace
 * integral), evaluated as e^{w_F²/2}·∫e^{−(s−w_F)²/2}(1 − e^{−s(w_F−w_R)})/s ds for w_F > 3, so
 * log Z is finite for every μ (no overflow as w → −∞) and costs ~200 exponentials. Method
 * `'erfcx'`: Z = a√π∫_{x_R}^{x_F} erfcx(−x)dx, x = (v − μ)/√(2a), rescaled by e^{−x_F²} when
 * x_F > 1 (adaptive quadrature; slower, used as an independent check). Z is in τ_m (1/Z per a is
 * the rate).
 * @example
 * ```ts
 * fpLogZ(0, { a: 1, vReset: 1, vThreshold: 2 }); // log(1/0.11997…) = 2.1204…
 * ```
 */
export function fpLogZ(mu: number, options: FpLogZOptions): number {
  const o = required<FpLogZOptions>('fpLogZ', options, optionKeys<FpLogZOptions>()([...MODEL_KEYS, 'method']));
  const { a, vR, vF } = checkConstants(o);
  moderate('mu', mu);
  const method = o.method ?? 'laplace';
  if (method !== 'erfcx' && method !== 'laplace') throw new ValidationError('method', "'laplace' or 'erfcx'", method);
  const r = method === 'erfcx' ? logZErfcx(mu, a, vR, vF) : logZ(mu, a, vR, vF);
  finiteOutput('fpLogZ', 'log Z', [r]);
  return r;
}

const SQRT_2PI = Math.sqrt(2 * Math.PI);
/**
 * Above this w_F the Gaussian factor e^{−(s−w_F)²/2} is so narrow relative to w_F that
 * ∫e^{−(s−w_F)²/2}g(s)ds = √(2π)·g(w_F)·(1 + O(w_F⁻²)) to round-off (and unit panels around w_F
 * could no longer be stepped through in floating point).
 */
const WF_ASYMPTOTIC = 1e7;

function glAdd(f: (x: number) => number, lo: number, hi: number): number {
  return hi > lo ? gl(f, lo, hi) : 0;
}

function logZ(mu: number, a: number, vR: number, vF: number): number {
  const sa = Math.sqrt(a);
  const wF = (vF - mu) / sa;
  const wR = (vR - mu) / sa;
  const del = wF - wR;
  // g(s) = (1 − e^{−sΔ})/s, smooth, g(0) = Δ
  const g = (s: number) => (s * del < 1e-8 ? del * (1 - 0.5 * s * del) : -Math.expm1(-s * del) / s);
  let sum = 0;
  if (wF > WF_ASYMPTOTIC) return Math.log(a) + 0.5 * wF * wF + Math.log(SQRT_2PI * g(wF));
  if (wF > 3) {
    const f = (s: number) => Math.exp(-0.5 * (s - wF) * (s - wF)) * g(s);
    const lo = Math.max(0, wF - 10);
    const first = Math.ceil(lo);
    sum += glAdd(f, lo, first);
    for (let s0 = first; s0 < wF + 10; s0 += 1) sum += gl(f, s0, s0 + 1);
    return Math.log(a) + 0.5 * wF * wF + Math.log(sum);
  }
  const f = (s: number) => Math.exp(-0.5 * s * s + s * wF) * g(s);
  const S = Math.max(wF, 0) + 10;
  // geometric panels near 0 resolve the e^{s·w_F} decay of strongly driven populations
  let c = Math.max(Math.min(0.5, 0.5 / (Math.abs(wR) + 1)), Number.MIN_VALUE);
  sum += gl(f, 0, c);
  while (c < 1) {
    const d = Math.min(2 * c, 1);
    sum += gl(f, c, d);
    c = d;
  }
  for (let s0 = 1; s0 < S; s0 += 1) sum += gl(f, s0, s0 + 1);
  return Math.log(a) + Math.log(sum);
}

/** Gauss–Legendre on [lo, hi] of f and of s·f together (the same nodes and the same f values as {@link gl}). */
function gl2(f: (x: number) => number, lo: number, hi: number, acc: Float64Array): void {
  const c = 0.5 * (lo + hi);
  const r = 0.5 * (hi - lo);
  let s0 = 0;
  let s1 = 0;
  for (let q = 0; q < 10; q++) {
    const x = c + r * GX[q];
    const y = f(x);
    s0 += GW[q] * y;
    s1 += GW[q] * y * x;
  }
  acc[0] += s0 * r;
  acc[1] += s1 * r;
}

/**
 * log Z (bit-identical to {@link logZ}) and log J, J(μ) = ∫_0^∞ e^{−s²/2}(e^{s·w_F} − e^{s·w_R}) ds
 * = −√a·dT/dμ with T = Z/a = 1/N. J and T both decrease with μ (their μ-derivatives are
 * −∫s e^{−s²/2}(…)ds/√a and −J/√a), so N′ = J/(√a·T²) is enclosed on [μ0, μ1] by
 * J(μ1)/(√a·T(μ0)²) ≤ N′ ≤ J(μ0)/(√a·T(μ1)²): the derivative bound of the certified root search.
 */
function logZJ(mu: number, a: number, vR: number, vF: number): [number, number] {
  const sa = Math.sqrt(a);
  const wF = (vF - mu) / sa;
  const wR = (vR - mu) / sa;
  const del = wF - wR;
  const g = (s: number) => (s * del < 1e-8 ? del * (1 - 0.5 * s * del) : -Math.expm1(-s * del) / s);
  const acc = new Float64Array(2);
  if (wF > WF_ASYMPTOTIC)
    return [Math.log(a) + 0.5 * wF * wF + Math.log(SQRT_2PI * g(wF)), 0.5 * wF * wF + Math.log(SQRT_2PI * wF * g(wF))];
  if (wF > 3) {
    const f = (s: number) => Math.exp(-0.5 * (s - wF) * (s - wF)) * g(s);
    const lo = Math.max(0, wF - 10);
    const first = Math.ceil(lo);
    if (first > lo) gl2(f, lo, first, acc);
    for (let s0 = first; s0 < wF + 10; s0 += 1) gl2(f, s0, s0 + 1, acc);
    return [Math.log(a) + 0.5 * wF * wF + Math.log(acc[0]), 0.5 * wF * wF + Math.log(acc[1])];
  }
  const f = (s: number) => Math.exp(-0.5 * s * s + s * wF) * g(s);
  const S = Math.max(wF, 0) + 10;
  let c = Math.max(Math.min(0.5, 0.5 / (Math.abs(wR) + 1)), Number.MIN_VALUE);
  gl2(f, 0, c, acc);
  while (c < 1) {
    const d = Math.min(2 * c, 1);
    gl2(f, c, d, acc);
    c = d;
  }
  for (let s0 = 1; s0 < S; s0 += 1) gl2(f, s0, s0 + 1, acc);
  return [Math.log(a) + Math.log(acc[0]), Math.log(acc[1])];
}

function logZErfcx(mu: number, a: number, vR: number, vF: number): number {
  const s = Math.sqrt(2 * a);
  const xR = (vR - mu) / s;
  const xF = (vF - mu) / s;
  if (xF <= 1) return Math.log(a * SQRT_PI * integrate((x) => erfcx(-x), xR, xF));
  const sc = xF * xF;
  const f = (x: number) => (x >= 0 ? 2 * Math.exp(x * x - sc) - erfcx(x) * Math.exp(-sc) : erfcx(-x) * Math.exp(-sc));
  const pts = [xR];
  if (xR < 0 && xF > 0) pts.push(0);
  const edge = xF - 8 / xF;
  if (edge > pts[pts.length - 1]) pts.push(edge);
  pts.push(xF);
  let sum = 0;
  for (let j = 0; j + 1 < pts.length; j++) sum += integrate(f, pts[j], pts[j + 1]);
  return Math.log(a * SQRT_PI) + sc + Math.log(sum);
}

/**
 * Stationary firing rate of one subpopulation, N = a/Z (eq. (20); spikes per τ_m), for the drift
 * offset μ = I(w) + wσ(N̄). Underflows gracefully to 0 for strongly inhibited populations.
 * @example
 * ```ts
 * fpStationaryRate(0, { a: 1, vReset: 1, vThreshold: 2 }); // 0.1199759652…
 * ```
 */
export function fpStationaryRate(mu: number, options: FpModelConstants): number {
  const { a, vR, vF } = checkConstants(required<FpModelConstants>('fpStationaryRate', options, MODEL_KEYS));
  moderate('mu', mu);
  const r = a * Math.exp(-logZ(mu, a, vR, vF));
  finiteOutput('fpStationaryRate', 'rate', [r]);
  return r;
}

function rateOf(mu: number, a: number, vR: number, vF: number): number {
  return a * Math.exp(-logZ(mu, a, vR, vF));
}

/**
 * Upper bound on the rate: N(μ) ≤ [(μ − V_R) + √((μ − V_R)² + 4a)] / (2(V_F − V_R)) for every μ.
 * From 1/N = ∫_0^∞ e^{−s²/2}e^{s·w_F}(1 − e^{−sδ})/s ds (δ = (V_F − V_R)/√a) and
 * (1 − e^{−x})/x ≥ e^{−x}: 1/N ≥ δ·M(x), M the Mills ratio at x = (μ − V_R)/√a, and Birnbaum's
 * bound M(x) ≥ (√(x² + 4) − x)/2. Tight to O(1) as μ → ∞ (N ≈ (μ − (V_F + V_R)/2)/(V_F − V_R)).
 */
function rateUpper(mu: number, a: number, vR: number, vF: number): number {
  const x = mu - vR;
  return (x + Math.sqrt(x * x + 4 * a)) / (2 * (vF - vR));
}

/**
 * The normalised stationary profile Q(v) of eq. (18) at the given potentials (v ≤ V_F), for the
 * drift offset μ. Evaluated as exp(log N − log a + log ∫…) with the exponent's maximum factored
 * out, so it neither overflows nor loses the tails.
 */
export function fpStationaryProfile(mu: number, v: ArrayLike<number>, options: FpModelConstants): Float64Array {
  const { a, vR, vF } = checkConstants(required<FpModelConstants>('fpStationaryProfile', options, MODEL_KEYS));
  moderate('mu', mu);
  const vs = moderateArray('v', v);
  const s = Math.sqrt(2 * a);
  const lz = logZ(mu, a, vR, vF);
  const xF = (vF - mu) / s;
  const out = new Float64Array(vs.length);
  for (let j = 0; j < vs.length; j++) {
    if (vs[j] > vF) throw new ValidationError(`v[${j}]`, `a potential <= vThreshold = ${vF}`, vs[j]);
    const xv = (vs[j] - mu) / s;
    const xm = (Math.max(vs[j], vR) - mu) / s;
    if (xm >= xF) continue;
    const M = Math.max(xm * xm, xF * xF) - xv * xv;
    const I = integrate((x) => Math.exp(x * x - xv * xv - M), xm, xF, 1e-12);
    // Q = (1/Z)·√(2a)·∫ e^{x'² − x_v²} dx'
    out[j] = Math.exp(M + Math.log(I) + Math.log(s) - lz);
  }
  return out;
}

/** A weight grid with a density on it (midpoint rule: ∫f dw ≈ Σ f_k Δw). */
export interface FpWeightGrid {
  /** Weights w_k (cell centres, dimensionless). */
  w: ArrayLike<number>;
  /** Cell width Δw > 0. */
  dw: number;
}

function checkWeights(g: FpWeightGrid): { w: Float64Array; dw: number } {
  return { w: moderateArray('w', g.w), dw: checkRange('dw', g.dw, 1 / BIG, BIG, { loOpen: true }) };
}

function perWeight(name: string, v: ArrayLike<number> | number | undefined, n: number, dflt?: number): Float64Array {
  if (v === undefined && dflt !== undefined) return new Float64Array(n).fill(dflt);
  return typeof v === 'number' ? new Float64Array(n).fill(moderate(name, v)) : moderateArray(name, v, n);
}

function nonNegativeDensity(name: string, v: ArrayLike<number>, n: number, dw: number): Float64Array {
  const x = checkFiniteArray(name, v, n, (nm, y) => {
    if (y < 0) throw new ValidationError(nm, 'a value >= 0', y);
  });
  let m = 0;
  for (let k = 0; k < n; k++) m += x[k];
  m *= dw;
  if (!(m > 0) || !Number.isFinite(m)) throw new ValidationError(name, 'a distribution with positive finite mass', 'all zeros');
  return x.map((y) => y / m);
}

/**
 * Cancellation and progress of the root searches (synchronous calls: an abort fired from
 * `onProgress` is seen; each search is bounded by its `maxEvaluations`).
 */
export interface FpSearchRunOptions {
  /** Checked every 32 evaluations; an aborted signal ends the call with {@link AbortedError}. */
  signal?: AbortSignal;
  /** Called every 32 evaluations with a {@link Progress} (unit `'iteration'`, total `maxEvaluations`). */
  onProgress?: ProgressCallback;
}

/** The `check` hook of a search: progress and abort every 32 evaluations. */
function searchHook(where: string, o: FpSearchRunOptions, total: number): () => void {
  const pr = new ProgressTracker(where, total, 'iteration', { signal: o.signal, onProgress: o.onProgress });
  let n = 0;
  return () => {
    if (++n % 32 !== 0) return;
    pr.throwIfAborted({ evaluations: n });
    if (pr.wantsProgress) pr.report(n);
  };
}

/** How a root search ended: the searched range and whether it is known to hold every root. */
export interface FpRootSearch {
  /**
   * True when every root is known to be listed: a bound on the roots was derived from the data
   * (docs/fp.md) and lies inside `range`, and the branch and bound examined all of `range`
   * within `maxEvaluations`. False means roots may exist outside `range` (or in `unresolved`).
   */
  complete: boolean;
  /** The N̄ range searched, [lo, hi] (spikes per τ_m). */
  range: [number, number];
  /** Bound derived from the data that every root satisfies (N̄ ≤ bound), or null when none is available. */
  bound: number | null;
  /** Sub-ranges left unexamined when the evaluation budget ran out (empty when none). */
  unresolved: [number, number][];
  /** Evaluations of the root function used. */
  evaluations: number;
}

function searchInfo(r: IsolationResult, range: [number, number], bound: number | null): FpRootSearch {
  return {
    complete: bound !== null && bound <= range[1] && r.unresolved.length === 0,
    range,
    bound,
    unresolved: r.unresolved,
    evaluations: r.evaluations,
  };
}

/** Options of {@link fpStationaryStates}. */
export interface FpStationaryOptions extends FpModelConstants, FpWeightGrid, FpSearchRunOptions {
  /** Weight distribution H(w_k) ≥ 0 (normalised internally to ΣHΔw = 1). */
  H: ArrayLike<number>;
  /** Input I(w_k). @default 0 */
  input?: ArrayLike<number> | number;
  /** Response σ(N̄). @default 'identity' */
  response?: FpResponse;
  /**
   * Largest N̄ searched (spikes per τ_m) when the data give no bound on the roots, or a bound
   * larger than this; the result then has `complete: false`. @default 1e9
   */
  nbarMax?: number;
  /** Evaluations of ψ(N̄) the search may use (each costs one rate a/Z per weight). @default 20000 */
  maxEvaluations?: number;
}

const STATIONARY_KEYS = optionKeys<FpStationaryOptions>()([
  ...MODEL_KEYS,
  'w',
  'dw',
  'H',
  'input',
  'response',
  'nbarMax',
  'maxEvaluations',
  'signal',
  'onProgress',
]);

/** Columns of {@link FpStationaryState.table}. */
export type FpStationaryColumns = { w: Float64Array; H: Float64Array; rate: Float64Array; N: Float64Array };

/** One stationary state of eqs. (10)–(13). */
export class FpStationaryState extends Result {
  /** `'fp.stationaryState'`. */
  readonly kind = 'fp.stationaryState';
  /** Total activity N̄, a root of ψ(N̄) = N̄ (eq. (28); spikes per τ_m). */
  readonly nbar: number;
  /**
   * Slope ψ′(N̄) − 1 of the fixed-point function at the root (central difference): < 0 where ψ
   * crosses the diagonal from above (the low state of an excitatory pair, every inhibitory
   * state), > 0 from below, ≈ 0 at a fold (then `tangent` is true).
   */
  readonly slope: number;
  /** True for a double root (a fold: ψ touches the diagonal). */
  readonly tangent: boolean;
  /** Weights w_k. */
  readonly w: Float64Array;
  /** Normalised weight distribution H(w_k) (ΣHΔw = 1). */
  readonly H: Float64Array;
  /** Per-neuron rate N_{N̄,I}(w_k) = a/Z (eq. (20); spikes per τ_m). */
  readonly rate: Float64Array;
  /** Firing-rate density N(w_k) = H(w_k)·N_{N̄,I}(w_k) (spikes per τ_m per unit w). */
  readonly N: Float64Array;
  /** @internal */
  constructor(f: Omit<FpStationaryState, 'kind' | 'toJSON' | 'table'>) {
    super();
    this.nbar = f.nbar;
    this.slope = f.slope;
    this.tangent = f.tangent;
    this.w = f.w;
    this.H = f.H;
    this.rate = f.rate;
    this.N = f.N;
  }
  /** The per-weight columns as a table with units. */
  table(): TableOf<FpStationaryColumns> {
    return makeTable<FpStationaryColumns>(
      'fp.stationaryState',
      {
        w: { data: this.w, unit: FP_UNITS.none, description: 'weight w_k' },
        H: { data: this.H, unit: FP_UNITS.none, description: 'normalised weight distribution H(w)' },
        rate: { data: this.rate, unit: FP_UNITS.rate, description: 'per-neuron stationary rate a/Z (eq. (20))' },
        N: { data: this.N, unit: FP_UNITS.rate, description: 'firing-rate density N(w) = H·rate' },
      },
      { nbar: this.nbar, slope: this.slope, tangent: this.tangent },
    );
  }
}

/** Result of {@link fpStationaryStates}. */
export class FpStationaryResult extends Result {
  /** `'fp.stationaryStates'`. */
  readonly kind = 'fp.stationaryStates';
  /** The stationary states found, by increasing N̄. */
  readonly states: FpStationaryState[];
  /** Whether every state is listed (see {@link FpRootSearch.complete}). */
  readonly complete: boolean;
  /** The N̄ range searched (spikes per τ_m). */
  readonly range: [number, number];
  /** The bound every stationary N̄ satisfies, derived from the data, or null. */
  readonly bound: number | null;
  /** Sub-ranges left unexamined (budget exhausted); empty when none. */
  readonly unresolved: [number, number][];
  /** Evaluations of ψ used. */
  readonly evaluations: number;
  /** @internal */
  constructor(states: FpStationaryState[], s: FpRootSearch) {
    super();
    this.states = states;
    this.complete = s.complete;
    this.range = s.range;
    this.bound = s.bound;
    this.unresolved = s.unresolved;
    this.evaluations = s.evaluations;
  }
  /** The N̄ of every state, increasing. */
  get nbar(): Float64Array {
    return Float64Array.from(this.states, (s) => s.nbar);
  }
}

function checkBudget(name: string, v: number | undefined, dflt: number, perEvaluation: number): number {
  const n = checkInteger(name, v ?? dflt, 10, Number.MAX_SAFE_INTEGER);
  if (n * perEvaluation > FP_LIMITS.maxRateEvaluations)
    throw new ValidationError(
      name,
      `at most ${Math.floor(FP_LIMITS.maxRateEvaluations / perEvaluation)} (${FP_LIMITS.maxRateEvaluations} rate evaluations at ${perEvaluation} per evaluation)`,
      n,
    );
  return n;
}

/** Points of the stationary search: the monotone parts of ψ(N̄) − N̄, and log T, log J per population. */
interface PsiPoint extends RootPoint {
  up: number;
  down: number;
  scale: number;
  /** log T_k = log(Z_k/a) at this N̄ (live populations only). */
  lt: Float64Array;
  /** log J_k at this N̄. */
  lj: Float64Array;
}

/** Bounds of σ′ on [x0, x1] (σ′ ≥ 0 and nonincreasing for every response the module has). */
function responseSlope(code: number, max: number, x0: number, x1: number): [number, number] {
  const d = (x: number) => {
    if (code === 1) {
      const c = Math.cosh(x / max);
      return 1 / (c * c);
    }
    if (code === 2) return max / ((1 + x) * (1 + x));
    return 1;
  };
  return [d(x1), d(x0)];
}

/** Rounding margin relative to the magnitude of the terms (rates are accurate to ~1e-12). */
const MARGIN = 1e-10;
/** Width, relative to N̄, below which the branch and bound stops splitting. */
const REL_TOL = 1e-9;

/**
 * All stationary states of eqs. (10)–(13) for a fixed weight distribution H: the roots of
 * F(N̄) = ψ(N̄) − N̄ with ψ(N̄) = Σ_k H_k·a/Z(I_k + w_k·σ(N̄))·Δw (eq. (28)).
 *
 * The search cannot miss a root in its range. ψ splits into the populations with w_k > 0 (their
 * rate grows with N̄) and those with w_k < 0 (it falls), so on [x0, x1] F lies between
 * P(x0) + Q(x1) − x1 and P(x1) + Q(x0) − x0; intervals whose bounds exclude 0 are discarded, the
 * rest bisected until 1e-9 relative, and roots refined in each sign change (a pair closer than
 * the scan is found where F dips through 0 without a sign change at the ends; a fold gives one
 * `tangent` root). The range comes from the data: with σ_M = sup σ finite, every root is below
 * Σ H_k Δw N(I_k + w_k⁺σ_M); for σ(N) = N, with s = Σ_{w_k>0} H_k Δw w_k/(V_F − V_R), the rate
 * bounds (μ − V_F)⁺/(V_F − V_R) ≤ N(μ) ≤ ((μ − V_R)⁺ + √a)/(V_F − V_R) give every root below
 * A/(1 − s) when s < 1 and below −B/(s − 1) when s > 1 (A, B in docs/fp.md). At s = 1 (or a bound
 * above `nbarMax`) the search stops at `nbarMax` and says `complete: false`. Inhibitory networks
 * (supp H ⊂ (−∞, 0]) have exactly one state; excitatory ones may have several or none.
 * @example
 * ```ts
 * const r = fpStationaryStates({ a: 1, vReset: 1, vThreshold: 2, w: [2.1009], dw: 1, H: [1] });
 * r.nbar;     // Float64Array [0.41967…, 0.42886…]
 * r.complete; // true
 * ```
 */
export function fpStationaryStates(options: FpStationaryOptions): FpStationaryResult {
  const o = required<FpStationaryOptions>('fpStationaryStates', options, STATIONARY_KEYS);
  const { a, vR, vF } = checkConstants(o);
  const { w, dw } = checkWeights(o);
  const n = w.length;
  if (n < 1) throw new ValidationError('w.length', 'at least one weight', n);
  const Hn = nonNegativeDensity('H', o.H, n, dw);
  const I = perWeight('input', o.input, n, 0);
  const sg = responseCode(o.response, 'response', 'fpStationaryStates');
  const nbarMax = checkRange('nbarMax', o.nbarMax ?? 1e9, 0, BIG, { loOpen: true, unit: 'spikes per τ_m' });
  let live = 0;
  for (let k = 0; k < n; k++) if (Hn[k] > 0) live++;
  const maxEval = checkBudget('maxEvaluations', o.maxEvaluations, 20000, live);
  const D = vF - vR;
  // Bound on every root, from the data.
  let bound: number | null;
  if (sg.code !== 0) {
    let s = 0;
    for (let k = 0; k < n; k++) if (Hn[k] > 0) s += Hn[k] * rateOf(I[k] + Math.max(w[k], 0) * sg.max, a, vR, vF);
    bound = s * dw * (1 + 1e-9) + 1e-300;
  } else {
    let slope = 0;
    let A = 0;
    let B = 0;
    for (let k = 0; k < n; k++) {
      if (!(Hn[k] > 0)) continue;
      if (w[k] > 0) {
        slope += Hn[k] * w[k];
        A += Hn[k] * (Math.max(I[k] - vR, 0) + Math.sqrt(a));
        B += Hn[k] * (I[k] - vF);
      } else A += Hn[k] * Math.min(rateOf(I[k], a, vR, vF) * (1 + 1e-9), rateUpper(I[k], a, vR, vF)) * D;
    }
    slope *= dw / D;
    A *= dw / D;
    B *= dw / D;
    if (slope < 1 - 1e-12) bound = (A / (1 - slope)) * (1 + 1e-9);
    else if (slope > 1 + 1e-12) bound = Math.max(0, -B / (slope - 1)) * (1 + 1e-9) + 1e-300;
    else bound = null;
  }
  const hi = bound !== null ? Math.min(bound, nbarMax) : nbarMax;
  const liveK = Int32Array.from({ length: n }, (_, k) => k).filter((k) => Hn[k] > 0);
  const la = Math.log(a);
  const at = (x: number): PsiPoint => {
    const sx = responseOf(sg.code, sg.max, x);
    let up = 0;
    let down = 0;
    const lt = new Float64Array(liveK.length);
    const lj = new Float64Array(liveK.length);
    for (let j = 0; j < liveK.length; j++) {
      const k = liveK[j];
      const [lz, lJ] = logZJ(I[k] + w[k] * sx, a, vR, vF);
      lt[j] = lz - la;
      lj[j] = lJ;
      const r = Hn[k] * (a * Math.exp(-lz));
      if (w[k] >= 0) up += r;
      else down += r;
    }
    up *= dw;
    down *= dw;
    return { x, f: up + down - x, up, down: down - x, scale: up + down + x, lt, lj };
  };
  const isa = 1 / Math.sqrt(a);
  // F′ = Δw·Σ H_k w_k σ′(N̄) N′(μ_k) − 1, each N′ enclosed by the monotone J and T (see logZJ).
  const slope = (p: PsiPoint, q: PsiPoint): [number, number] => {
    const [s0, s1] = responseSlope(sg.code, sg.max, p.x, q.x);
    let lo = 0;
    let hi = 0;
    let mag = 1;
    for (let j = 0; j < liveK.length; j++) {
      const k = liveK[j];
      if (w[k] === 0) continue;
      const c = Hn[k] * w[k] * dw;
      // the end with the larger μ: q for w > 0, p for w < 0
      const [u, l] = w[k] > 0 ? [q, p] : [p, q];
      const dLo = Math.exp(u.lj[j] - 2 * l.lt[j]) * isa;
      const dHi = Math.exp(l.lj[j] - 2 * u.lt[j]) * isa;
      if (c > 0) {
        lo += c * s0 * dLo;
        hi += c * s1 * dHi;
      } else {
        lo += c * s1 * dHi;
        hi += c * s0 * dLo;
      }
      mag += Math.abs(c) * s1 * dHi;
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    return [lo - 1 - MARGIN * mag, hi - 1 + MARGIN * mag];
  };
  const iso = isolateRoots<PsiPoint>(
    {
      at,
      slope,
      enclose: (p, q) => ({ lo: p.up + q.down, hi: q.up + p.down, margin: MARGIN * (p.scale + q.scale) }),
      check: searchHook('fpStationaryStates', o, maxEval),
    },
    0,
    hi,
    { relTol: REL_TOL, maxEvaluations: maxEval },
  );
  const states = iso.roots.map((r) => {
    const nbar = r.x;
    const sx = responseOf(sg.code, sg.max, nbar);
    const rate = new Float64Array(n);
    const N = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      rate[k] = rateOf(I[k] + w[k] * sx, a, vR, vF);
      N[k] = Hn[k] * rate[k];
    }
    const h = Math.max(1e-7 * nbar, 1e-12);
    const lo = Math.max(0, nbar - h);
    const slope = (at(nbar + h).f - at(lo).f) / (nbar + h - lo);
    return new FpStationaryState({ nbar, slope, tangent: r.tangent, w: w.slice(), H: Hn.slice(), rate, N });
  });
  return new FpStationaryResult(states, searchInfo(iso, [0, hi], bound));
}

/** Options of {@link fpInverseProblem}. */
export interface FpInverseOptions extends FpModelConstants, FpWeightGrid, FpSearchRunOptions {
  /** Target output signal S(w_k) ≥ 0 (normalised internally to ΣSΔw = 1). */
  S: ArrayLike<number>;
  /** Input I(w_k). @default 0 */
  input?: ArrayLike<number> | number;
  /** Response σ(N̄). @default 'identity' */
  response?: FpResponse;
  /** Largest N̄ searched when the data give no bound on the roots (spikes per τ_m). @default 1e9 */
  nbarMax?: number;
  /** Evaluations of the root function the search may use. @default 20000 */
  maxEvaluations?: number;
}

const INVERSE_KEYS = optionKeys<FpInverseOptions>()([
  ...MODEL_KEYS,
  'w',
  'dw',
  'S',
  'input',
  'response',
  'nbarMax',
  'maxEvaluations',
  'signal',
  'onProgress',
]);

/** One solution of the inverse problem. */
export interface FpInverseSolution {
  /** A root N̄ of N̄·∫S Z_{N̄,I} dw = a (spikes per τ_m). */
  nbar: number;
  /** Weight distribution H(w_k) = N̄·S·Z/a (eq. (29)) producing S at that N̄. */
  H: Float64Array;
}

/** Result of {@link fpInverseProblem}. */
export class FpInverseResult extends Result {
  /** `'fp.inverse'`. */
  readonly kind = 'fp.inverse';
  /** The solutions, by increasing N̄. */
  readonly solutions: FpInverseSolution[];
  /** Whether every solution is listed (see {@link FpRootSearch.complete}). */
  readonly complete: boolean;
  /** The N̄ range searched. */
  readonly range: [number, number];
  /** The bound every solution's N̄ satisfies, derived from the data, or null. */
  readonly bound: number | null;
  /** Sub-ranges left unexamined (budget exhausted). */
  readonly unresolved: [number, number][];
  /** Evaluations used. */
  readonly evaluations: number;
  /** @internal */
  constructor(solutions: FpInverseSolution[], s: FpRootSearch) {
    super();
    this.solutions = solutions;
    this.complete = s.complete;
    this.range = s.range;
    this.bound = s.bound;
    this.unresolved = s.unresolved;
    this.evaluations = s.evaluations;
  }
}

function logSumExp(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY) return y;
  if (y === Number.NEGATIVE_INFINITY) return x;
  const m = Math.max(x, y);
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

interface InversePoint extends RootPoint {
  /** log Σ_{w_k ≤ 0} S_k Δw Z_k (nondecreasing in N̄). */
  inc: number;
  /** log Σ_{w_k > 0} S_k Δw Z_k (nonincreasing in N̄). */
  dec: number;
}

/**
 * Theorem 4.1: the weight distributions H that produce the normalised output S = N/N̄ (eq. (7)).
 * Solves N̄·∫S Z_{N̄,I} dw = a for N̄ — in log form, log N̄ + log Σ S_k Z_k Δw − log a = 0, whose
 * terms split into a part nondecreasing in N̄ (w_k ≤ 0 and log N̄) and a nonincreasing one
 * (w_k > 0), so the same certified branch and bound as {@link fpStationaryStates} finds every
 * root in the range — and returns H = N̄·S·Z/a (eq. (29)) for each. Unique when supp S ⊂ (−∞, 0].
 * A bound on the roots comes from the data when S has mass on w ≤ 0 (N̄ ≤ a/Σ_{w≤0} S Z(I)Δw),
 * and, for supp S ⊂ (0, ∞), from the rate bounds (μ − V_F)⁺/(V_F − V_R) ≤ N(μ) ≤
 * ((μ − V_R)⁺ + √a)/(V_F − V_R) unless Σ S_k Δw (V_F − V_R)/w_k = 1 (docs/fp.md).
 */
export function fpInverseProblem(options: FpInverseOptions): FpInverseResult {
  const o = required<FpInverseOptions>('fpInverseProblem', options, INVERSE_KEYS);
  const { a, vR, vF } = checkConstants(o);
  const { w, dw } = checkWeights(o);
  const n = w.length;
  if (n < 1) throw new ValidationError('w.length', 'at least one weight', n);
  const Sn = nonNegativeDensity('S', o.S, n, dw);
  const I = perWeight('input', o.input, n, 0);
  const sg = responseCode(o.response, 'response', 'fpInverseProblem');
  const nbarMax = checkRange('nbarMax', o.nbarMax ?? 1e9, 0, BIG, { loOpen: true, unit: 'spikes per τ_m' });
  let live = 0;
  for (let k = 0; k < n; k++) if (Sn[k] > 0) live++;
  const maxEval = checkBudget('maxEvaluations', o.maxEvaluations, 20000, live);
  const D = vF - vR;
  // Bound: Z_k(N̄) ≥ Z_k(0) for w_k ≤ 0, so N̄·Σ_{w≤0} S Z(0) Δw ≤ a at a root.
  let m0 = 0;
  for (let k = 0; k < n; k++) if (Sn[k] > 0 && w[k] <= 0) m0 += Sn[k] * dw * Math.exp(logZ(I[k], a, vR, vF));
  let bound: number | null = null;
  if (m0 > 0 && Number.isFinite(m0)) bound = (a / m0) * (1 + 1e-9);
  else if (m0 === 0 && sg.code === 0) {
    // supp S ⊂ (0, ∞): Z_k ≥ aD/((I_k − V_R)⁺ + w_k N̄ + √a), so a root has
    // Σ S_k Δw D·N̄/(c_k + w_k N̄) ≤ 1, whose left side increases to Σ S_k Δw D/w_k.
    const c = I.map((x) => Math.max(x - vR, 0) + Math.sqrt(a));
    const lhs = (x: number) => {
      let s = 0;
      for (let k = 0; k < n; k++) if (Sn[k] > 0) s += (Sn[k] * dw * D * x) / (c[k] + w[k] * x);
      return s;
    };
    let lim = 0;
    for (let k = 0; k < n; k++) if (Sn[k] > 0) lim += (Sn[k] * dw * D) / w[k];
    if (lim > 1 + 1e-9) {
      let x = 1;
      while (lhs(x) < 1 && x < 1e300) x *= 2;
      bound = solveBracket((y) => lhs(y) - 1, 0, x) * (1 + 1e-9);
    } else if (lim < 1 - 1e-9) {
      // and Z_k ≤ aD/(μ_k − V_F) once μ_k > V_F, so beyond x0 = max (V_F − I_k)/w_k a root has
      // u(x) = Σ S_k Δw D·x/(I_k − V_F + w_k x) ≥ 1 (terms with I_k ≥ V_F bounded by D/w_k);
      // u decreases to the limit < 1: every root lies below u's crossing of 1.
      let x0 = 0;
      for (let k = 0; k < n; k++) if (Sn[k] > 0) x0 = Math.max(x0, (vF - I[k]) / w[k]);
      const u = (x: number) => {
        let t = 0;
        for (let k = 0; k < n; k++) {
          if (!(Sn[k] > 0)) continue;
          const c0 = I[k] - vF;
          t += (Sn[k] * dw * D) / (c0 < 0 ? c0 / x + w[k] : w[k]);
        }
        return t;
      };
      let lo = x0 * (1 + 1e-9) + 1e-300;
      let x = Math.max(2 * lo, 1);
      while (u(x) > 1 && x < 1e300) {
        lo = x;
        x *= 2;
      }
      bound =
        Math.max(
          lo,
          solveBracket((y) => u(y) - 1, lo, x),
        ) *
        (1 + 1e-9);
    }
  } else if (m0 === 0) {
    // supp S ⊂ (0, ∞) with σ ≤ σ_M: Z_k ≥ Z_k at μ = I_k + w_k σ_M, so N̄·ΣSZ ≥ N̄·Σ S Z(σ_M).
    let s = 0;
    for (let k = 0; k < n; k++) if (Sn[k] > 0) s += Sn[k] * dw * Math.exp(logZ(I[k] + w[k] * sg.max, a, vR, vF));
    if (s > 0) bound = (a / s) * (1 + 1e-9);
  }
  const hi = bound !== null ? Math.min(bound, nbarMax) : nbarMax;
  const la = Math.log(a);
  const at = (x: number): InversePoint => {
    const sx = responseOf(sg.code, sg.max, x);
    let inc = Number.NEGATIVE_INFINITY;
    let dec = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      if (!(Sn[k] > 0)) continue;
      const t = Math.log(Sn[k] * dw) + logZ(I[k] + w[k] * sx, a, vR, vF);
      if (w[k] <= 0) inc = logSumExp(inc, t);
      else dec = logSumExp(dec, t);
    }
    return { x, inc, dec, f: Math.log(x) + logSumExp(inc, dec) - la };
  };
  const iso = isolateRoots<InversePoint>(
    {
      at,
      check: searchHook('fpInverseProblem', o, maxEval),
      enclose: (p, q) => {
        const lo = Math.log(p.x) + logSumExp(p.inc, q.dec) - la;
        const hi2 = Math.log(q.x) + logSumExp(q.inc, p.dec) - la;
        const mag = Math.abs(Number.isFinite(lo) ? lo : 0) + Math.abs(hi2) + Math.abs(la) + 1;
        return { lo, hi: hi2, margin: MARGIN * mag };
      },
    },
    0,
    hi,
    { relTol: REL_TOL, maxEvaluations: maxEval },
  );
  const solutions = iso.roots.map(({ x: nbar }) => {
    const sx = responseOf(sg.code, sg.max, nbar);
    const H = new Float64Array(n);
    for (let k = 0; k < n; k++) H[k] = Sn[k] > 0 ? Math.exp(Math.log(nbar * Sn[k]) + logZ(I[k] + w[k] * sx, a, vR, vF) - la) : 0;
    finiteOutput('fpInverseProblem', 'H', H);
    return { nbar, H };
  });
  return new FpInverseResult(solutions, searchInfo(iso, [0, hi], bound));
}

/** Options of {@link fpLearningEquilibrium}. */
export interface FpLearningEquilibriumOptions extends FpModelConstants, FpSearchRunOptions {
  /** Input I(w) as a function of the weight. */
  input: (w: number) => number;
  /** Learning strength K(w) < 0 on w < 0 (condition (32)). @default −1 */
  K?: number | ((w: number) => number);
  /** Response σ(N̄). @default 'identity' (Proposition 6.2's uniqueness case) */
  response?: FpResponse;
  /** Largest N̄ searched (spikes per τ_m). @default 100 */
  nbarMax?: number;
  /** Evaluations of the root function the search may use (each ~160 rates). @default 2000 */
  maxEvaluations?: number;
}

const LEARNING_EQ_KEYS = optionKeys<FpLearningEquilibriumOptions>()([
  ...MODEL_KEYS,
  'input',
  'K',
  'response',
  'nbarMax',
  'maxEvaluations',
  'signal',
  'onProgress',
]);

/** A learning equilibrium of Proposition 6.2. */
export interface FpLearningEquilibrium {
  /** Total activity N̄ (spikes per τ_m). */
  nbar: number;
  /** Support [−φ(N̄), 0] of H (φ = √2·N̄ for K = −1, eqs. (36)–(37)). */
  support: [number, number];
  /** H(w) = w/(K(w)·N̄·N_{N̄,I}(w)) on the support, 0 elsewhere. */
  H: (w: number) => number;
  /** N(w) = H·N_{N̄,I} = w/(K(w)·N̄) on the support (spikes per τ_m per unit w). */
  N: (w: number) => number;
}

/** Result of {@link fpLearningEquilibrium}. */
export class FpLearningEquilibriumResult extends Result {
  /** `'fp.learningEquilibrium'`. */
  readonly kind = 'fp.learningEquilibrium';
  /** The equilibria, by increasing N̄ (their H and N are functions; `toJSON` keeps N̄ and the support). */
  readonly equilibria: FpLearningEquilibrium[];
  /**
   * Whether every equilibrium is listed: no bound on N̄ is derived here (I is a general function),
   * so this is false and `range` says what was searched, completely.
   */
  readonly complete: boolean;
  /** The N̄ range searched. */
  readonly range: [number, number];
  /** Sub-ranges left unexamined (budget exhausted). */
  readonly unresolved: [number, number][];
  /** Evaluations used. */
  readonly evaluations: number;
  /** @internal */
  constructor(equilibria: FpLearningEquilibrium[], s: FpRootSearch) {
    super();
    this.equilibria = equilibria;
    this.complete = s.complete;
    this.range = s.range;
    this.unresolved = s.unresolved;
    this.evaluations = s.evaluations;
  }
}

interface LearningPoint extends RootPoint {
  /** log ∫_{−φ}^0 (w/K) Z dw (nondecreasing in N̄: the support and, for w < 0, Z grow). */
  logA: number;
}

/**
 * Proposition 6.2: the inhibitory learning equilibria supported on a single interval [−φ, 0]:
 * φ(N̄) from N̄² = ∫_{−φ}^0 w/K dw (eq. (36); (37) prints −w/K, a sign slip: w/K > 0) and N̄ from
 * ∫_{−φ}^0 (w/K) Z_{N̄,I} dw = aN̄ (eq. (40)). The left side grows with N̄ (wider support, larger
 * Z for w < 0) and aN̄ too, so on [x0, x1] the ratio lies between A(x0)/(a·x1) and A(x1)/(a·x0):
 * the certified branch and bound of {@link fpStationaryStates} finds every root in
 * [0, nbarMax] (unique for σ(N) = N and I' ≥ 0).
 */
export function fpLearningEquilibrium(options: FpLearningEquilibriumOptions): FpLearningEquilibriumResult {
  const o = required<FpLearningEquilibriumOptions>('fpLearningEquilibrium', options, LEARNING_EQ_KEYS);
  const { a, vR, vF } = checkConstants(o);
  if (typeof o.input !== 'function') throw new ValidationError('input', 'a function I(w)', o.input);
  const input = o.input;
  const sg = responseCode(o.response, 'response', 'fpLearningEquilibrium');
  const nbarMax = checkRange('nbarMax', o.nbarMax ?? 100, 0, BIG, { loOpen: true, unit: 'spikes per τ_m' });
  const maxEval = checkBudget('maxEvaluations', o.maxEvaluations, 2000, 160);
  let K: (w: number) => number;
  let Kc: number | null = null;
  if (typeof o.K === 'function') K = o.K;
  else {
    const kc = moderate('K', o.K ?? -1);
    if (!(kc < 0)) throw new ValidationError('K', 'a value < 0 on w < 0 (condition (32))', kc);
    Kc = kc;
    K = () => kc;
  }
  const phiOf = (nb: number): number => {
    if (Kc !== null) return Math.sqrt(-2 * Kc) * nb;
    // N̄² = ∫_{−φ}^0 w/K dw, increasing in φ; solved for t = φ/N̄ (of order √(2|K|)) so that the
    // bracket's tolerance is relative for every N̄
    const F = (t: number) => integrate((x) => x / K(x), -nb * t, 0, 1e-12) / (nb * nb) - 1;
    let hi = 1;
    while (F(hi) < 0 && hi < 1e12) hi *= 2;
    return nb * solveBracket(F, 0, hi);
  };
  const logZw = (x: number, sx: number) => logZ(moderate(`input(${x})`, input(x)) + x * sx, a, vR, vF);
  // Below this N̄ the support [−φ, 0] is negligible: A = O(N̄²), so A/(aN̄) − 1 → −1, no root.
  const TINY_NBAR = 1e-100;
  const logA = (nb: number): number => {
    if (nb < TINY_NBAR) return Number.NEGATIVE_INFINITY;
    const ph = phiOf(nb);
    const sx = responseOf(sg.code, sg.max, nb);
    const panels = 16;
    // log-sum over panels of ∫ (x/K) e^{log Z} dx, with the largest log Z factored out
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j <= panels; j++) mx = Math.max(mx, logZw(-ph + (j * ph) / panels, sx));
    let s = 0;
    for (let j = 0; j < panels; j++)
      s += gl((x) => (x / K(x)) * Math.exp(logZw(x, sx) - mx), -ph + (j * ph) / panels, -ph + ((j + 1) * ph) / panels);
    return Math.log(s) + mx;
  };
  const la = Math.log(a);
  const at = (x: number): LearningPoint => {
    const lA = logA(x);
    return { x, logA: lA, f: x < TINY_NBAR ? -1 : Math.expm1(lA - la - Math.log(x)) };
  };
  const iso = isolateRoots<LearningPoint>(
    {
      at,
      check: searchHook('fpLearningEquilibrium', o, maxEval),
      enclose: (p, q) => ({
        lo: p.x === 0 ? -1 : Math.expm1(p.logA - la - Math.log(q.x)),
        hi: p.x === 0 ? Number.POSITIVE_INFINITY : Math.expm1(q.logA - la - Math.log(p.x)),
        margin: 1e-9,
      }),
    },
    0,
    nbarMax,
    { relTol: REL_TOL, maxEvaluations: maxEval },
  );
  const equilibria = iso.roots.map(({ x: nbar }) => {
    const ph = phiOf(nbar);
    const sx = responseOf(sg.code, sg.max, nbar);
    const inside = (x: number) => x >= -ph && x < 0;
    return {
      nbar,
      support: [-ph, 0] as [number, number],
      H: (x: number) => (inside(x) ? (x / (K(x) * nbar)) * Math.exp(logZw(x, sx) - la) : 0),
      N: (x: number) => (inside(x) ? x / (K(x) * nbar) : 0),
    };
  });
  return new FpLearningEquilibriumResult(equilibria, searchInfo(iso, [0, nbarMax], null));
}

/** Options of {@link fpReducedSlowStationary}. */
export interface FpReducedSlowOptions extends FpModelConstants, FpSearchRunOptions {
  /** Input I(w). */
  input: (w: number) => number;
  /** Weight noise ν > 0 of eq. (43). */
  nu: number;
  /** Left end of the w-grid (H is negligible below). @default −2 */
  wMin?: number;
  /** Grid points on [wMin, 0]. @default 2001 */
  points?: number;
  /** Upper end of the N̄ scan (spikes per τ_m). @default 10 */
  nbarMax?: number;
}

const REDUCED_KEYS = optionKeys<FpReducedSlowOptions>()([
  ...MODEL_KEYS,
  'input',
  'nu',
  'wMin',
  'points',
  'nbarMax',
  'signal',
  'onProgress',
]);

/** Result of {@link fpReducedSlowStationary}. */
export class FpReducedSlowResult extends Result {
  /** `'fp.reducedSlowStationary'`. */
  readonly kind = 'fp.reducedSlowStationary';
  /** Self-consistent N̄ = ∫H·N_{N̄,I} dw (the smallest root of a 60-point scan, spikes per τ_m). */
  readonly nbar: number;
  /** Grid nodes w_j on [wMin, 0], `points` of them. */
  readonly w: Float64Array;
  /** Stationary weight density H(w_j), ∫H dw = 1 (trapezoid rule). */
  readonly H: Float64Array;
  /** @internal */
  constructor(nbar: number, w: Float64Array, H: Float64Array) {
    super();
    this.nbar = nbar;
    this.w = w;
    this.H = H;
  }
}

/** Scan points of {@link fpReducedSlowStationary} (plus about as many for the refinement). */
const REDUCED_SCAN = 60;

/**
 * Stationary state of the reduced slow equation (43)–(45) (K = −1, σ(N) = N, w ≤ 0). Its steady
 * state solves the Bernoulli equation (46), −νH' = (N̄·N_{N̄,I}(w)·H + w)H, whose solution is
 * H(w) = 1/(ε₀e^{w²/2ν} + (N̄/ν)∫_{−∞}^w e^{(w²−s²)/2ν}N_{N̄,I}(s)ds) — written so that nothing
 * overflows. ε₀ is fixed by ∫H = 1 and N̄ by N̄ = ∫H·N_{N̄,I} dw (a 60-point logarithmic scan of
 * (0, nbarMax] for sign changes, each refined by bracketing). As ν → 0 it tends to Proposition
 * 6.2's equilibrium on [−√2N̄, 0] (Theorem 7.1). Work: about 120·`points` rate evaluations,
 * at most {@link FP_LIMITS}.maxRateEvaluations.
 */
export function fpReducedSlowStationary(options: FpReducedSlowOptions): FpReducedSlowResult {
  const o = required<FpReducedSlowOptions>('fpReducedSlowStationary', options, REDUCED_KEYS);
  const { a, vR, vF } = checkConstants(o);
  if (typeof o.input !== 'function') throw new ValidationError('input', 'a function I(w)', o.input);
  const input = o.input;
  const nu = checkPositive('nu', o.nu);
  const wMin = moderate('wMin', o.wMin ?? -2);
  if (!(wMin < 0)) throw new ValidationError('wMin', 'a value < 0', wMin);
  const maxPoints = Math.floor(FP_LIMITS.maxRateEvaluations / (2 * REDUCED_SCAN));
  const n = checkInteger('points', o.points ?? 2001, 11, maxPoints);
  const nbarMax = checkRange('nbarMax', o.nbarMax ?? 10, 0, BIG, { loOpen: true, unit: 'spikes per τ_m' });
  const w = new Float64Array(n);
  const dw = -wMin / (n - 1);
  for (let j = 0; j < n; j++) w[j] = wMin + j * dw;
  w[n - 1] = 0;
  const I = w.map((x) => moderate(`input(${x})`, input(x)));
  const trap = (f: Float64Array) => {
    let s = 0.5 * (f[0] + f[n - 1]);
    for (let j = 1; j < n - 1; j++) s += f[j];
    return s * dw;
  };
  const build = (nb: number) => {
    const R = new Float64Array(n);
    for (let j = 0; j < n; j++) R[j] = rateOf(I[j] + w[j] * nb, a, vR, vF);
    // T̃(w_j) = ∫_{−∞}^{w_j} e^{(w_j² − s²)/2ν} R(s) ds, recursively; R linear on each cell and the
    // Gaussian factor integrated exactly (erfcx form) so small ν is resolved inside a cell.
    const T = new Float64Array(n);
    const sq = Math.sqrt(2 * nu);
    T[0] = R[0] * (nu / Math.max(-w[0], 1e-300)); // Laplace tail beyond wMin
    for (let j = 1; j < n; j++) {
      const lo = w[j - 1];
      const hi = w[j];
      const decay = Math.exp((hi * hi - lo * lo) / (2 * nu));
      const al = lo / sq;
      const be = hi / sq;
      let i0: number;
      let i1: number; // ∫ e^{(hi² − s²)/2ν} ds and ∫ (s − lo) e^{…} ds over [lo, hi]
      if ((be - al) * Math.max(Math.abs(al), Math.abs(be)) < 0.5) {
        const f0 = (s: number) => Math.exp((hi * hi - s * s) / (2 * nu));
        i0 = gl(f0, lo, hi);
        i1 = gl((s) => (s - lo) * f0(s), lo, hi);
      } else {
        i0 = sq * 0.5 * SQRT_PI * (erfcx(-be) - erfcx(-al) * decay);
        i1 = nu * (decay - 1) - lo * i0;
        i1 = Math.max(0, Math.min(i1, (hi - lo) * i0));
      }
      T[j] = decay * T[j - 1] + R[j - 1] * i0 + ((R[j] - R[j - 1]) / (hi - lo)) * i1;
    }
    const Hof = (L: number) => {
      const H = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const e = Math.exp((w[j] * w[j]) / (2 * nu) - L);
        H[j] = 1 / (e + (nb / nu) * T[j]);
      }
      return H;
    };
    // ∫H increases with L (ε₀ = e^{−L} decreases): bracket L.
    let lo = -50;
    let hi = 50;
    while (trap(Hof(lo)) > 1 && lo > -1e6) lo *= 2;
    while (trap(Hof(hi)) < 1 && hi < 1e6) hi *= 2;
    const L = solveBracket((x) => trap(Hof(x)) - 1, lo, hi);
    const H = Hof(L);
    return { H, R };
  };
  const check = searchHook('fpReducedSlowStationary', o, 32 * 2 * REDUCED_SCAN);
  const F = (nb: number) => {
    for (let j = 0; j < 32; j++) check(); // one evaluation here costs ~`points` rates: report each
    const { H, R } = build(nb);
    return trap(H.map((h, j) => h * R[j])) - nb;
  };
  const roots = scanRoots(F, scanGrid(nbarMax, REDUCED_SCAN).slice(1));
  if (roots.length === 0) throw new ValidationError('nbarMax', 'a range containing the self-consistent N̄', nbarMax);
  const nbar = roots[0];
  const H = build(nbar).H;
  finiteOutput('fpReducedSlowStationary', 'H', H);
  return new FpReducedSlowResult(nbar, w, H);
}

/** All roots of f on a scan grid (sign changes), each refined by bracketing. */
function scanRoots(f: (x: number) => number, xs: number[]): number[] {
  const roots: number[] = [];
  let x0 = xs[0];
  let f0 = f(x0);
  if (f0 === 0) roots.push(x0);
  for (let j = 1; j < xs.length; j++) {
    const x1 = xs[j];
    const f1 = f(x1);
    if (f1 === 0) roots.push(x1);
    else if (f0 !== 0 && Math.sign(f0) !== Math.sign(f1)) roots.push(solveBracket(f, x0, x1, f0, f1));
    x0 = x1;
    f0 = f1;
  }
  return roots;
}

function scanGrid(max: number, n: number): number[] {
  const xs = [0];
  const lo = 1e-8;
  // exp/log rather than ** : V8 versions differ in the last bit of pow, not of exp and log
  const r = Math.log(max / lo);
  for (let j = 0; j < n; j++) xs.push(lo * Math.exp((r * j) / (n - 1)));
  return xs;
}

/** Options of {@link fpDiscrimination}. */
export interface FpDiscriminationOptions extends FpModelConstants, FpWeightGrid, FpSearchRunOptions {
  /** Weight distribution H(w_k). */
  H: ArrayLike<number>;
  /** The first input I(w_k). */
  I: ArrayLike<number>;
  /** The second input J(w_k). */
  J: ArrayLike<number>;
  /** Response σ(N̄). @default 'identity' */
  response?: FpResponse;
  /** As in {@link fpStationaryStates}. @default 1e9 */
  nbarMax?: number;
  /** As in {@link fpStationaryStates}. @default 20000 */
  maxEvaluations?: number;
}

const DISCRIMINATION_KEYS = optionKeys<FpDiscriminationOptions>()([
  ...MODEL_KEYS,
  'w',
  'dw',
  'H',
  'I',
  'J',
  'response',
  'nbarMax',
  'maxEvaluations',
  'signal',
  'onProgress',
]);

/** Result of {@link fpDiscrimination}. */
export class FpDiscriminationResult extends Result {
  /** `'fp.discrimination'`. */
  readonly kind = 'fp.discrimination';
  /** Stationary N̄ under input I (the lowest stationary state; spikes per τ_m). */
  readonly nbarI: number;
  /** Stationary N̄ under input J (the lowest stationary state). */
  readonly nbarJ: number;
  /** Number of stationary states under I and under J (the lowest is used). */
  readonly stateCounts: [number, number];
  /** Whether both stationary searches were complete (see {@link FpStationaryResult.complete}). */
  readonly complete: boolean;
  /** Stationary output density N_I(w_k) (spikes per τ_m per unit w). */
  readonly NI: Float64Array;
  /** Stationary output density N_J(w_k). */
  readonly NJ: Float64Array;
  /** ∫|N_I − N_J| dw (midpoint sum over the cells; spikes per τ_m). */
  readonly distance: number;
  /** ∫L(w)H(w)|I − J| dw of bound (30), H normalised to ∫H dw = 1. */
  readonly boundIntegral: number;
  /**
   * distance / boundIntegral: an estimate of the constant C of (30) for this pair; `null` when
   * boundIntegral underflows to 0 (inputs or weights so large that L(w) < 1e-308 everywhere).
   */
  readonly ratio: number | null;
  /** @internal */
  constructor(f: Omit<FpDiscriminationResult, 'kind' | 'toJSON'>) {
    super();
    this.nbarI = f.nbarI;
    this.nbarJ = f.nbarJ;
    this.stateCounts = f.stateCounts;
    this.complete = f.complete;
    this.NI = f.NI;
    this.NJ = f.NJ;
    this.distance = f.distance;
    this.boundIntegral = f.boundIntegral;
    this.ratio = f.ratio;
  }
}

/**
 * Discrimination (Section 5): the stationary outputs N_I, N_J for the same H, the distance
 * ∫|N_I − N_J|dw and the integral ∫L(w)H(w)|I − J|dw of bound (30), with
 * L(w) = exp(−[(‖I‖∞ + |w|₋σ_M)² + (‖J‖∞ + |w|₋σ_M)²]/a). For σ(N) = N (unbounded) σ_M is taken
 * as max(N̄_I, N̄_J), the largest value σ actually reaches. `ratio` = distance/integral estimates
 * the constant C of (30) for this pair. Where an input has several stationary states, the one
 * with the lowest N̄ is used (`stateCounts` says how many there were).
 */
export function fpDiscrimination(options: FpDiscriminationOptions): FpDiscriminationResult {
  const o = required<FpDiscriminationOptions>('fpDiscrimination', options, DISCRIMINATION_KEYS);
  const { a, vR, vF } = checkConstants(o);
  const { w, dw } = checkWeights(o);
  const n = w.length;
  const I = moderateArray('I', o.I, n);
  const J = moderateArray('J', o.J, n);
  const common = {
    a,
    vReset: vR,
    vThreshold: vF,
    w,
    dw,
    H: o.H,
    response: o.response,
    nbarMax: o.nbarMax,
    maxEvaluations: o.maxEvaluations,
    signal: o.signal,
    onProgress: o.onProgress,
  };
  const sI = fpStationaryStates({ ...common, input: I });
  const sJ = fpStationaryStates({ ...common, input: J });
  if (sI.states.length === 0 || sJ.states.length === 0)
    throw new ValidationError('H', 'a network with a stationary state for both inputs', 'none found');
  const A = sI.states[0];
  const B = sJ.states[0];
  const sg = responseCode(o.response, 'response', 'fpDiscrimination');
  const sm = sg.code === 0 ? Math.max(A.nbar, B.nbar) : sg.max;
  const nI = I.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const nJ = J.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const Hn = A.H;
  let dist = 0;
  let bound = 0;
  for (let k = 0; k < n; k++) {
    dist += Math.abs(A.N[k] - B.N[k]);
    const wm = Math.max(0, -w[k]);
    const li = nI + wm * sm;
    const lj = nJ + wm * sm;
    const L = Math.exp(-(li * li + lj * lj) / a);
    bound += L * Hn[k] * Math.abs(I[k] - J[k]);
  }
  dist *= dw;
  bound *= dw;
  finiteOutput('fpDiscrimination', 'NI', A.N);
  finiteOutput('fpDiscrimination', 'NJ', B.N);
  finiteOutput('fpDiscrimination', 'distance and bound', [dist, bound]);
  return new FpDiscriminationResult({
    nbarI: A.nbar,
    nbarJ: B.nbar,
    stateCounts: [sI.states.length, sJ.states.length],
    complete: sI.complete && sJ.complete,
    NI: A.N,
    NJ: B.N,
    distance: dist,
    boundIntegral: bound,
    ratio: bound > 0 ? dist / bound : null,
  });
}

/** Options of {@link fpReducedSlowEvolve}. */
export interface FpReducedSlowEvolveOptions extends FpModelConstants {
  /** Input I(w). */
  input: (w: number) => number;
  /** Weight noise ν ≥ 0 of eq. (43). */
  nu: number;
  /** Initial weight distribution H⁰(w_k) ≥ 0 on the cells (normalised internally). */
  H0: ArrayLike<number>;
  /** Left end of the w-domain (the right end is 0, eq. (45)). */
  wMin: number;
  /** Time step (slow time; the transport substeps automatically to keep its CFL number ≤ 0.9). */
  dt: number;
  /** Duration (slow time); steps × cells at most {@link FP_LIMITS}.maxRateEvaluations. */
  duration: number;
  /** Cancels the call between steps ({@link AbortedError}; partial `{ time }`). */
  signal?: AbortSignal;
  /** Called every 100 steps with a {@link Progress} (unit `'step'`, `time` in slow time). */
  onProgress?: ProgressCallback;
}

const EVOLVE_KEYS = optionKeys<FpReducedSlowEvolveOptions>()([
  ...MODEL_KEYS,
  'input',
  'nu',
  'H0',
  'wMin',
  'dt',
  'duration',
  'signal',
  'onProgress',
]);

/** Result of {@link fpReducedSlowEvolve}. */
export class FpReducedSlowEvolution extends Result {
  /** `'fp.reducedSlowEvolve'`. */
  readonly kind = 'fp.reducedSlowEvolve';
  /** Cell centres w_k = wMin + (k+½)Δw on [wMin, 0], one per entry of H0. */
  readonly w: Float64Array;
  /** Weight density H(w_k) at the end (∫H dw = 1). */
  readonly H: Float64Array;
  /** N̄[H] at the end (fast equilibrium, spikes per τ_m). */
  readonly nbar: number;
  /** Slow times of the trace, starting at 0, one per step. */
  readonly t: Float64Array;
  /** N̄ at those times. */
  readonly nbarTrace: Float64Array;
  /** @internal */
  constructor(f: Omit<FpReducedSlowEvolution, 'kind' | 'toJSON'>) {
    super();
    this.w = f.w;
    this.H = f.H;
    this.nbar = f.nbar;
    this.t = f.t;
    this.nbarTrace = f.nbarTrace;
  }
}

/**
 * Time-dependent reduced slow equation (43)–(45) (K = −1, σ(N) = N, w ≤ 0):
 * ∂_t H + ∂_w((−Ñ N̄ − w)H) = ν∂_ww H with Ñ = N_{N̄[H],I}(w)·H and zero flux at wMin and at 0.
 * Each step solves the fast equilibrium N̄[H] = ∫H N_{N̄,I} dw (unique: ψ is decreasing), then
 * advances the transport explicitly (Rusanov flux, as in the solver's w-step) and the diffusion
 * implicitly. Rates come from a table of N_{N̄,I} over μ (log-linear interpolation, relative
 * error ≲ 1e-6). Mass is conserved to round-off.
 */
export function fpReducedSlowEvolve(options: FpReducedSlowEvolveOptions): FpReducedSlowEvolution {
  const o = required<FpReducedSlowEvolveOptions>('fpReducedSlowEvolve', options, EVOLVE_KEYS);
  const { a, vR, vF } = checkConstants(o);
  if (typeof o.input !== 'function') throw new ValidationError('input', 'a function I(w)', o.input);
  const input = o.input;
  const nu = checkNonNegative('nu', o.nu);
  const wMin = moderate('wMin', o.wMin);
  if (!(wMin < 0)) throw new ValidationError('wMin', 'a value < 0', wMin);
  const dt = checkPositive('dt', o.dt);
  const duration = checkNonNegative('duration', o.duration);
  const H = checkFiniteArray('H0', o.H0, undefined, (nm, x) => {
    if (x < 0) throw new ValidationError(nm, 'a value >= 0', x);
  });
  const n = H.length;
  if (n < 3) throw new ValidationError('H0.length', 'at least 3 cells', n);
  const steps = Math.round(duration / dt);
  if (steps * n > FP_LIMITS.maxRateEvaluations)
    throw new ValidationError(
      'duration',
      `at most ${(Math.floor(FP_LIMITS.maxRateEvaluations / n) * dt).toPrecision(6)} (${FP_LIMITS.maxRateEvaluations} cell-steps on ${n} cells at dt = ${dt})`,
      duration,
    );
  const pr = new ProgressTracker('fpReducedSlowEvolve', steps, 'step', { signal: o.signal, onProgress: o.onProgress });
  const dw = -wMin / n;
  if (!((dt * nu) / (dw * dw) <= 1e200))
    throw new ValidationError(
      'nu',
      `a diffusion with dt·ν/Δw² <= 1e200 (ν <= ${((1e200 * dw * dw) / dt).toPrecision(3)} at dt = ${dt}, Δw = ${dw})`,
      nu,
    );
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) w[k] = wMin + (k + 0.5) * dw;
  let m = 0;
  for (const x of H) m += x;
  m *= dw;
  if (!(m > 0) || !Number.isFinite(m)) throw new ValidationError('H0', 'a weight distribution with positive finite mass', 'all zeros');
  for (let k = 0; k < n; k++) H[k] /= m;
  const I = w.map((x) => moderate(`input(${x})`, input(x)));
  // N̄ ≤ ψ(0) = ∫H N_{0,I} ≤ max_k N_{0,I}(w_k): the μ-range of the table follows.
  let nmax = 0;
  for (let k = 0; k < n; k++) nmax = Math.max(nmax, rateOf(I[k], a, vR, vF));
  let muLo = Number.POSITIVE_INFINITY;
  let muHi = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    muLo = Math.min(muLo, I[k] + w[k] * nmax);
    muHi = Math.max(muHi, I[k]);
  }
  const T = 4000;
  const dmu = (muHi - muLo) / (T - 1) || 1;
  const logR = new Float64Array(T);
  for (let j = 0; j < T; j++) logR[j] = -logZ(muLo + j * dmu, a, vR, vF) + Math.log(a);
  const rate = (mu: number) => {
    const x = Math.min(T - 1 - 1e-9, Math.max(0, (mu - muLo) / dmu));
    const j = Math.floor(x);
    const f = x - j;
    return Math.exp(logR[j] + f * (logR[j + 1] - logR[j]));
  };
  const R = new Float64Array(n);
  const fixedPoint = () => {
    const f = (nb: number) => {
      let s = 0;
      for (let k = 0; k < n; k++) s += H[k] * rate(I[k] + w[k] * nb);
      return s * dw - nb;
    };
    const hi = f(0);
    const nb = hi <= 0 ? 0 : solveBracket(f, 0, hi, hi, f(hi));
    for (let k = 0; k < n; k++) R[k] = rate(I[k] + w[k] * nb);
    return nb;
  };
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  const cpr = new Float64Array(n);
  const tr: number[] = [0];
  const nbTr: number[] = [];
  let nbar = fixedPoint();
  nbTr.push(nbar);
  let t = 0;
  let subTotal = 0;
  for (let s = 0; s < steps; s++) {
    if (s % 100 === 0) {
      pr.throwIfAborted({ time: t });
      if (s > 0) pr.report(s, { time: t });
    }
    // velocities u_k = −N̄ R_k H_k − w_k; Rusanov λ ≥ |∂f/∂H| = |−2N̄RH − w|
    let vmax = 0;
    let fastest = 0;
    for (let k = 0; k < n - 1; k++) {
      const uL = -nbar * R[k] * H[k] - w[k];
      const uR = -nbar * R[k + 1] * H[k + 1] - w[k + 1];
      const lam = Math.max(Math.abs(uL) + nbar * R[k] * H[k], Math.abs(uR) + nbar * R[k + 1] * H[k + 1]);
      alpha[k] = 0.5 * (uL + lam);
      beta[k] = 0.5 * (lam - uR);
      const c = alpha[k] + (k > 0 ? beta[k - 1] : 0);
      if (c > vmax) {
        vmax = c;
        fastest = k;
      }
    }
    const sub = Math.max(1, Math.ceil((dt * vmax) / (0.9 * dw)));
    subTotal += sub;
    if (!Number.isFinite(vmax) || subTotal * n > 10 * FP_LIMITS.maxRateEvaluations)
      throw new NumericalError(
        'fpReducedSlowEvolve: the transport needs too many substeps (its CFL bound); use a smaller dt or coarser cells',
        {
          kind: 'cfl',
          step: s,
          index: fastest,
          time: t,
          value: (0.9 * dw) / vmax,
        },
      );
    const h = dt / sub;
    for (let q = 0; q < sub; q++) {
      // a slow step can take up to 10^9 cell-substeps: report and see an abort within it too
      if ((q + 1) % Math.max(1, Math.floor(1e6 / n)) === 0) {
        pr.report(s, { time: t });
        pr.throwIfAborted({ time: t });
      }
      let fl = 0;
      // coefficients (N̄, R, Φ) frozen over the substeps of one slow step
      for (let k = 0; k < n; k++) {
        const fr = k < n - 1 ? alpha[k] * H[k] - beta[k] * H[k + 1] : 0;
        const old = H[k];
        H[k] = old + (h / dw) * (fl - fr);
        fl = fr;
      }
    }
    if (nu > 0) {
      // implicit diffusion with zero flux, in increment form (mass to round-off):
      // (I − dt·νΔ)δ = dt·νΔH, H += δ
      const r = (dt * nu) / (dw * dw);
      const d = alpha; // reuse as the increment buffer
      let cprev = 0;
      for (let k = 0; k < n; k++) {
        const lo = k > 0 ? -r : 0;
        const up = k < n - 1 ? -r : 0;
        const di = 1 + (k > 0 ? r : 0) + (k < n - 1 ? r : 0);
        const rhs = r * ((k > 0 ? H[k - 1] - H[k] : 0) + (k < n - 1 ? H[k + 1] - H[k] : 0));
        const inv = 1 / (di - lo * cprev);
        cprev = up * inv;
        cpr[k] = cprev;
        d[k] = (rhs - lo * (k > 0 ? d[k - 1] : 0)) * inv;
      }
      for (let k = n - 2; k >= 0; k--) d[k] -= cpr[k] * d[k + 1];
      for (let k = 0; k < n; k++) H[k] += d[k];
    }
    t += dt;
    nbar = fixedPoint();
    tr.push(t);
    nbTr.push(nbar);
  }
  if (pr.wantsProgress) pr.report(steps, { time: t });
  finiteOutput('fpReducedSlowEvolve', 'H', H);
  finiteOutput('fpReducedSlowEvolve', 'nbarTrace', nbTr);
  return new FpReducedSlowEvolution({ w, H, nbar, t: Float64Array.from(tr), nbarTrace: Float64Array.from(nbTr) });
}
