/**
 * Stationary theory of the structured noisy LIF model (seed 001, Sections 3–7), evaluated without
 * overflow for any drift: Z and N = a/Z (eqs. (18)–(20)), the fixed point ψ(N̄) = N̄ (eq. (28)),
 * the inverse problem (Theorem 4.1), learning equilibria (Proposition 6.2), the stationary state
 * of the reduced slow equation (43)–(46) and its small-noise limit (Theorem 7.1), and the
 * discrimination measure with the right-hand side of bound (30).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkFiniteArray, checkInteger, checkOptions, checkPositive } from '../kernel/validate.js';
import { erfcx } from '../stats/special.js';
import { type FpSigma, fpSigma, sigmaCode } from './common.js';

/** Model constants of the stationary problem (eq. (15)). */
export interface FpModelConstants {
  /** Noise a > 0. */
  a: number;
  /** Reset potential V_R < V_F. */
  vR: number;
  /** Firing potential V_F. */
  vF: number;
}

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

function checkConstants(c: FpModelConstants, name = 'model'): FpModelConstants {
  checkOptions(name, c);
  const a = checkPositive(`${name}.a`, c.a);
  const vR = checkFinite(`${name}.vR`, c.vR);
  const vF = checkFinite(`${name}.vF`, c.vF);
  if (!(vR < vF)) throw new ValidationError(`${name}.vR`, `a value < vF = ${vF}`, vR);
  return { a, vR, vF };
}

/**
 * log Z for the drift offset μ = I(w) + wσ(N̄) (eq. (19)). Default method `'laplace'`: the
 * equivalent one-dimensional form Z = a∫_0^∞ e^{−s²/2}(e^{s·w_F} − e^{s·w_R})/s ds with
 * w_{F,R} = (V_{F,R} − μ)/√a (obtained from (19) by writing the Gaussian factor as a Laplace
 * integral), evaluated as e^{w_F²/2}·∫e^{−(s−w_F)²/2}(1 − e^{−s(w_F−w_R)})/s ds for w_F > 3, so
 * log Z is finite for every μ (no overflow as w → −∞) and costs ~200 exponentials. Method
 * `'erfcx'`: Z = a√π∫_{x_R}^{x_F} erfcx(−x)dx, x = (v − μ)/√(2a), rescaled by e^{−x_F²} when
 * x_F > 1 (adaptive quadrature; slower, used as an independent check).
 */
export function fpLogZ(mu: number, model: FpModelConstants, method: 'laplace' | 'erfcx' = 'laplace'): number {
  const { a, vR, vF } = checkConstants(model);
  checkFinite('mu', mu);
  if (method === 'erfcx') return logZErfcx(mu, a, vR, vF);
  if (method !== 'laplace') throw new ValidationError('method', "'laplace' or 'erfcx'", method);
  return logZ(mu, a, vR, vF);
}

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
  let c = Math.min(0.5, 0.5 / (Math.abs(wR) + 1));
  sum += gl(f, 0, c);
  while (c < 1) {
    const d = Math.min(2 * c, 1);
    sum += gl(f, c, d);
    c = d;
  }
  for (let s0 = 1; s0 < S; s0 += 1) sum += gl(f, s0, s0 + 1);
  return Math.log(a) + Math.log(sum);
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
 * Stationary firing rate of one subpopulation, N = a/Z (eq. (20)), for the drift offset
 * μ = I(w) + wσ(N̄). Underflows gracefully to 0 for strongly inhibited populations.
 * @example
 * ```ts
 * fpStationaryRate(0, { a: 1, vR: 1, vF: 2 }); // 0.1199759652…
 * ```
 */
export function fpStationaryRate(mu: number, model: FpModelConstants): number {
  const { a, vR, vF } = checkConstants(model);
  checkFinite('mu', mu);
  return a * Math.exp(-logZ(mu, a, vR, vF));
}

function rateOf(mu: number, a: number, vR: number, vF: number): number {
  return a * Math.exp(-logZ(mu, a, vR, vF));
}

/**
 * The normalised stationary profile Q(v) of eq. (18) at the given potentials (v ≤ V_F), for the
 * drift offset μ. Evaluated as exp(log N − log a + log ∫…) with the exponent's maximum factored
 * out, so it neither overflows nor loses the tails.
 */
export function fpStationaryProfile(mu: number, model: FpModelConstants, v: ArrayLike<number>): Float64Array {
  const { a, vR, vF } = checkConstants(model);
  checkFinite('mu', mu);
  const vs = checkFiniteArray('v', v);
  const s = Math.sqrt(2 * a);
  const lz = logZ(mu, a, vR, vF);
  const xF = (vF - mu) / s;
  const out = new Float64Array(vs.length);
  for (let j = 0; j < vs.length; j++) {
    if (vs[j] > vF) throw new ValidationError(`v[${j}]`, `a potential <= vF = ${vF}`, vs[j]);
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
  /** Weights w_k (cell centres). */
  w: ArrayLike<number>;
  /** Cell width Δw. */
  dw: number;
}

function checkWeights(g: FpWeightGrid, name: string): { w: Float64Array; dw: number } {
  checkOptions(name, g);
  return { w: checkFiniteArray(`${name}.w`, g.w), dw: checkPositive(`${name}.dw`, g.dw) };
}

/** Options of {@link fpStationaryStates}. */
export interface FpStationaryOptions extends FpModelConstants, FpWeightGrid {
  /** Weight distribution H(w_k) ≥ 0 (normalised internally to ΣHΔw = 1). */
  H: ArrayLike<number>;
  /** Input I(w_k). */
  input: ArrayLike<number> | number;
  /** σ(N̄). @default 'identity' */
  sigma?: FpSigma;
  /** Upper end of the N̄ scan for roots. @default 1000 */
  nbarMax?: number;
  /** Points of the (logarithmic) scan. @default 400 */
  scanPoints?: number;
}

/** One stationary state of eqs. (10)–(13). */
export interface FpStationaryState {
  /** Total activity N̄ (a root of ψ(N̄) = N̄, eq. (28)). */
  nbar: number;
  /** Per-neuron rate N_{N̄,I}(w_k) = a/Z (eq. (20)). */
  rate: Float64Array;
  /** Firing-rate density N(w_k) = H(w_k)·N_{N̄,I}(w_k). */
  N: Float64Array;
}

/** Brent-free robust root: bisection refined by the Illinois rule (bracket kept). */
function solveBracket(f: (x: number) => number, lo: number, hi: number, flo = f(lo), fhi = f(hi)): number {
  let a = lo;
  let b = hi;
  let fa = flo;
  let fb = fhi;
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const x = Number.isFinite(c) && c > Math.min(a, b) && c < Math.max(a, b) ? c : 0.5 * (a + b);
    const fx = f(x);
    if (fx === 0 || Math.abs(b - a) <= 1e-15 * Math.max(1, Math.abs(x))) return x;
    if (Math.sign(fx) === Math.sign(fb)) {
      b = x;
      fb = fx;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = x;
      fa = fx;
      if (side === 1) fb /= 2;
      side = 1;
    }
    if (Math.abs(b - a) <= 1e-14 * Math.max(1e-300, Math.abs(x))) return x;
  }
  return 0.5 * (a + b);
}

/** All roots of f on a scan grid (sign changes), each refined by bracketing. */
function allRoots(f: (x: number) => number, xs: number[]): number[] {
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

/**
 * All stationary states of eqs. (10)–(13) for a fixed weight distribution H: the roots of
 * ψ(N̄) = a∫H/Z_{N̄,I} dw = N̄ (eq. (28)), found by scanning N̄ on a logarithmic grid for sign
 * changes of ψ(N̄) − N̄ and refining each bracket. Inhibitory networks (supp H ⊂ (−∞, 0]) have
 * exactly one (ψ decreasing); excitatory ones may have several or none.
 * @example
 * ```ts
 * const w = [-0.75, -0.25], s = fpStationaryStates({ a: 1, vR: 1, vF: 2, w, dw: 0.5, H: [1, 1], input: 0 });
 * s[0].nbar; // the unique (inhibitory) fixed point
 * ```
 */
export function fpStationaryStates(options: FpStationaryOptions): FpStationaryState[] {
  const o = checkOptions('options', options);
  const { a, vR, vF } = checkConstants(o, 'options');
  const { w, dw } = checkWeights(o, 'options');
  const n = w.length;
  const H = checkFiniteArray('H', o.H, n, (nm, x) => {
    if (x < 0) throw new ValidationError(nm, 'a value >= 0', x);
  });
  const I = typeof o.input === 'number' ? new Float64Array(n).fill(checkFinite('input', o.input)) : checkFiniteArray('input', o.input, n);
  sigmaCode(o.sigma);
  const nbarMax = checkPositive('nbarMax', o.nbarMax ?? 1000);
  const pts = checkInteger('scanPoints', o.scanPoints ?? 400, 10, 1e6);
  let m = 0;
  for (let k = 0; k < n; k++) m += H[k];
  m *= dw;
  if (!(m > 0)) throw new ValidationError('H', 'a weight distribution with positive mass', 'all zeros');
  const Hn = H.map((x) => x / m);
  const psi = (nb: number) => {
    const sg = fpSigma(o.sigma, nb);
    let s = 0;
    for (let k = 0; k < n; k++) if (Hn[k] > 0) s += Hn[k] * rateOf(I[k] + w[k] * sg, a, vR, vF);
    return s * dw;
  };
  const roots = allRoots((nb) => psi(nb) - nb, scanGrid(nbarMax, pts));
  return roots.map((nbar) => {
    const sg = fpSigma(o.sigma, nbar);
    const rate = new Float64Array(n);
    const N = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      rate[k] = rateOf(I[k] + w[k] * sg, a, vR, vF);
      N[k] = Hn[k] * rate[k];
    }
    return { nbar, rate, N };
  });
}

/** Options of {@link fpInverseProblem}. */
export interface FpInverseOptions extends FpModelConstants, FpWeightGrid {
  /** Target output signal S(w_k) ≥ 0 (normalised internally to ΣSΔw = 1). */
  S: ArrayLike<number>;
  /** Input I(w_k). */
  input: ArrayLike<number> | number;
  /** σ(N̄). @default 'identity' */
  sigma?: FpSigma;
  /** Upper end of the N̄ scan. @default 1000 */
  nbarMax?: number;
}

/**
 * Theorem 4.1: the weight distributions H that produce the normalised output S = N/N̄ (eq. (7)).
 * Solves N̄·∫S Z_{N̄,I} dw = a for N̄ (all roots by bracketing; unique when supp S ⊂ (−∞, 0]) and
 * returns H = N̄·S·Z/a (eq. (29)) for each.
 */
export function fpInverseProblem(options: FpInverseOptions): { nbar: number; H: Float64Array }[] {
  const o = checkOptions('options', options);
  const { a, vR, vF } = checkConstants(o, 'options');
  const { w, dw } = checkWeights(o, 'options');
  const n = w.length;
  const S = checkFiniteArray('S', o.S, n, (nm, x) => {
    if (x < 0) throw new ValidationError(nm, 'a value >= 0', x);
  });
  const I = typeof o.input === 'number' ? new Float64Array(n).fill(checkFinite('input', o.input)) : checkFiniteArray('input', o.input, n);
  sigmaCode(o.sigma);
  const nbarMax = checkPositive('nbarMax', o.nbarMax ?? 1000);
  let m = 0;
  for (let k = 0; k < n; k++) m += S[k];
  m *= dw;
  if (!(m > 0)) throw new ValidationError('S', 'an output signal with positive mass', 'all zeros');
  const Sn = S.map((x) => x / m);
  // log of N̄∫S Z dw − log a, summed in log-space (Z can be astronomically large for w ≪ 0)
  const g = (nb: number) => {
    if (nb === 0) return Number.NEGATIVE_INFINITY;
    const sg = fpSigma(o.sigma, nb);
    let mx = Number.NEGATIVE_INFINITY;
    const terms: number[] = [];
    for (let k = 0; k < n; k++) {
      if (Sn[k] <= 0) continue;
      const t = Math.log(Sn[k] * dw) + logZ(I[k] + w[k] * sg, a, vR, vF);
      terms.push(t);
      if (t > mx) mx = t;
    }
    let s = 0;
    for (const t of terms) s += Math.exp(t - mx);
    return Math.log(nb) + mx + Math.log(s) - Math.log(a);
  };
  const roots = allRoots(g, scanGrid(nbarMax, 400).slice(1));
  return roots.map((nbar) => {
    const sg = fpSigma(o.sigma, nbar);
    const H = new Float64Array(n);
    for (let k = 0; k < n; k++) H[k] = Sn[k] > 0 ? Math.exp(Math.log(nbar * Sn[k]) + logZ(I[k] + w[k] * sg, a, vR, vF) - Math.log(a)) : 0;
    return { nbar, H };
  });
}

/** Options of {@link fpLearningEquilibrium}. */
export interface FpLearningEquilibriumOptions extends FpModelConstants {
  /** Input I(w) as a function of the weight. */
  input: (w: number) => number;
  /** Learning strength K(w) < 0 on w < 0. @default −1 */
  K?: number | ((w: number) => number);
  /** σ(N̄). @default 'identity' (Proposition 6.2's uniqueness case) */
  sigma?: FpSigma;
  /** Upper end of the N̄ scan. @default 100 */
  nbarMax?: number;
}

/** A learning equilibrium of Proposition 6.2. */
export interface FpLearningEquilibrium {
  /** Total activity N̄. */
  nbar: number;
  /** Support [−φ(N̄), 0] of H (φ = √2·N̄ for K = −1, eqs. (36)–(37)). */
  support: [number, number];
  /** H(w) = w/(K(w)·N̄·N_{N̄,I}(w)) on the support, 0 elsewhere. */
  H: (w: number) => number;
  /** N(w) = H·N_{N̄,I} = w/(K(w)·N̄) on the support. */
  N: (w: number) => number;
}

/**
 * Proposition 6.2: the inhibitory learning equilibria supported on a single interval [−φ, 0]:
 * φ(N̄) from N̄² = ∫_{−φ}^0 w/K dw (eq. (36); (37) prints −w/K, a sign slip: w/K > 0) and N̄ from ∫_{−φ}^0 (w/K) Z_{N̄,I} dw = aN̄
 * (eq. (40)); all roots by bracketing (unique for σ(N) = N and I' ≥ 0).
 */
export function fpLearningEquilibrium(options: FpLearningEquilibriumOptions): FpLearningEquilibrium[] {
  const o = checkOptions('options', options);
  const { a, vR, vF } = checkConstants(o, 'options');
  if (typeof o.input !== 'function') throw new ValidationError('input', 'a function I(w)', o.input);
  sigmaCode(o.sigma);
  const nbarMax = checkPositive('nbarMax', o.nbarMax ?? 100);
  let K: (w: number) => number;
  let Kc: number | null = null;
  if (typeof o.K === 'function') K = o.K;
  else {
    const kc = checkFinite('K', o.K ?? -1);
    if (!(kc < 0)) throw new ValidationError('K', 'a value < 0 on w < 0 (condition (32))', kc);
    Kc = kc;
    K = () => kc;
  }
  const phiOf = (nb: number): number => {
    if (Kc !== null) return Math.sqrt(-2 * Kc * nb * nb);
    // N̄² = ∫_{−φ}^0 w/K dw, increasing in φ: bracket by doubling, then bisection
    const F = (ph: number) => integrate((x) => x / K(x), -ph, 0, 1e-12) - nb * nb;
    let hi = Math.max(1e-6, nb);
    while (F(hi) < 0 && hi < 1e6) hi *= 2;
    return solveBracket(F, 0, hi);
  };
  const logZw = (x: number, sg: number) => logZ(checkFinite(`input(${x})`, o.input(x)) + x * sg, a, vR, vF);
  const G = (nb: number) => {
    if (nb === 0) return -1;
    const ph = phiOf(nb);
    const sg = fpSigma(o.sigma, nb);
    const panels = 16;
    let s = 0;
    for (let j = 0; j < panels; j++)
      s += gl((x) => (x / K(x)) * Math.exp(logZw(x, sg)), -ph + (j * ph) / panels, -ph + ((j + 1) * ph) / panels);
    return s / (a * nb) - 1;
  };
  const roots = allRoots(G, scanGrid(nbarMax, 80));
  return roots.map((nbar) => {
    const ph = phiOf(nbar);
    const sg = fpSigma(o.sigma, nbar);
    const inside = (x: number) => x >= -ph && x < 0;
    return {
      nbar,
      support: [-ph, 0] as [number, number],
      H: (x: number) => (inside(x) ? (x / (K(x) * nbar)) * Math.exp(logZw(x, sg) - Math.log(a)) : 0),
      N: (x: number) => (inside(x) ? x / (K(x) * nbar) : 0),
    };
  });
}

/** Options of {@link fpReducedSlowStationary}. */
export interface FpReducedSlowOptions extends FpModelConstants {
  /** Input I(w). */
  input: (w: number) => number;
  /** Weight noise ν > 0 of eq. (43). */
  nu: number;
  /** Left end of the w-grid (H is negligible below). @default −2 */
  wMin?: number;
  /** Grid points on [wMin, 0]. @default 2001 */
  points?: number;
  /** Upper end of the N̄ scan. @default 10 */
  nbarMax?: number;
}

/**
 * Stationary state of the reduced slow equation (43)–(45) (K = −1, σ(N) = N, w ≤ 0). Its steady
 * state solves the Bernoulli equation (46), −νH' = (N̄·N_{N̄,I}(w)·H + w)H, whose solution is
 * H(w) = 1/(ε₀e^{w²/2ν} + (N̄/ν)∫_{−∞}^w e^{(w²−s²)/2ν}N_{N̄,I}(s)ds) — written so that nothing
 * overflows. ε₀ is fixed by ∫H = 1 and N̄ by N̄ = ∫H·N_{N̄,I} dw (both by bracketing). As ν → 0 it
 * tends to Proposition 6.2's equilibrium on [−√2N̄, 0] (Theorem 7.1).
 */
export function fpReducedSlowStationary(options: FpReducedSlowOptions): { nbar: number; w: Float64Array; H: Float64Array } {
  const o = checkOptions('options', options);
  const { a, vR, vF } = checkConstants(o, 'options');
  if (typeof o.input !== 'function') throw new ValidationError('input', 'a function I(w)', o.input);
  const nu = checkPositive('nu', o.nu);
  const wMin = checkFinite('wMin', o.wMin ?? -2);
  if (!(wMin < 0)) throw new ValidationError('wMin', 'a value < 0', wMin);
  const n = checkInteger('points', o.points ?? 2001, 11, 1e7);
  const nbarMax = checkPositive('nbarMax', o.nbarMax ?? 10);
  const w = new Float64Array(n);
  const dw = -wMin / (n - 1);
  for (let j = 0; j < n; j++) w[j] = wMin + j * dw;
  w[n - 1] = 0;
  const I = w.map((x) => checkFinite(`input(${x})`, o.input(x)));
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
  const F = (nb: number) => {
    const { H, R } = build(nb);
    return trap(H.map((h, j) => h * R[j])) - nb;
  };
  const roots = allRoots(F, scanGrid(nbarMax, 60).slice(1));
  if (roots.length === 0) throw new ValidationError('nbarMax', 'a range containing the self-consistent N̄', nbarMax);
  const nbar = roots[0];
  return { nbar, w, H: build(nbar).H };
}

/** Options of {@link fpDiscrimination}. */
export interface FpDiscriminationOptions extends FpModelConstants, FpWeightGrid {
  /** Weight distribution H(w_k). */
  H: ArrayLike<number>;
  /** The two inputs at w_k. */
  I: ArrayLike<number>;
  J: ArrayLike<number>;
  /** σ(N̄). @default 'identity' */
  sigma?: FpSigma;
}

/**
 * Discrimination (Section 5): the stationary outputs N_I, N_J for the same H, the distance
 * ∫|N_I − N_J|dw and the integral ∫L(w)H(w)|I − J|dw of bound (30), with
 * L(w) = exp(−[(‖I‖∞ + |w|₋σ_M)² + (‖J‖∞ + |w|₋σ_M)²]/a). For σ(N) = N (unbounded) σ_M is taken
 * as max(N̄_I, N̄_J), the largest value σ actually reaches. `ratio` = distance/integral estimates
 * the constant C of (30) for this pair.
 */
export function fpDiscrimination(options: FpDiscriminationOptions): {
  nbarI: number;
  nbarJ: number;
  NI: Float64Array;
  NJ: Float64Array;
  distance: number;
  boundIntegral: number;
  ratio: number;
} {
  const o = checkOptions('options', options);
  const { a } = checkConstants(o, 'options');
  const n = checkFiniteArray('w', o.w).length;
  const I = checkFiniteArray('I', o.I, n);
  const J = checkFiniteArray('J', o.J, n);
  const sI = fpStationaryStates({ ...o, input: I });
  const sJ = fpStationaryStates({ ...o, input: J });
  if (sI.length === 0 || sJ.length === 0) throw new ValidationError('H', 'a network with a stationary state for both inputs', 'none found');
  const A = sI[0];
  const B = sJ[0];
  const sm = sigmaCode(o.sigma).code === 0 ? Math.max(A.nbar, B.nbar) : sigmaCode(o.sigma).max;
  const nI = I.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const nJ = J.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const Hs = checkFiniteArray('H', o.H, n);
  let m = 0;
  for (let k = 0; k < n; k++) m += Hs[k];
  let dist = 0;
  let bound = 0;
  for (let k = 0; k < n; k++) {
    dist += Math.abs(A.N[k] - B.N[k]);
    const wm = Math.max(0, -o.w[k]);
    const li = nI + wm * sm;
    const lj = nJ + wm * sm;
    const L = Math.exp(-(li * li + lj * lj) / a);
    bound += (L * Hs[k] * Math.abs(I[k] - J[k])) / (m * o.dw);
  }
  dist *= o.dw;
  bound *= o.dw;
  return { nbarI: A.nbar, nbarJ: B.nbar, NI: A.N, NJ: B.N, distance: dist, boundIntegral: bound, ratio: dist / bound };
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
  /** Time step (the transport substeps automatically to keep its CFL number ≤ 0.9). */
  dt: number;
  /** Duration (slow time). */
  duration: number;
}

/**
 * Time-dependent reduced slow equation (43)–(45) (K = −1, σ(N) = N, w ≤ 0):
 * ∂_t H + ∂_w((−Ñ N̄ − w)H) = ν∂_ww H with Ñ = N_{N̄[H],I}(w)·H and zero flux at wMin and at 0.
 * Each step solves the fast equilibrium N̄[H] = ∫H N_{N̄,I} dw (unique: ψ is decreasing), then
 * advances the transport explicitly (Rusanov flux, as in the solver's w-step) and the diffusion
 * implicitly. Rates come from a table of N_{N̄,I} over μ (log-linear interpolation, relative
 * error ≲ 1e-6). Mass is conserved to round-off.
 */
export function fpReducedSlowEvolve(options: FpReducedSlowEvolveOptions): {
  w: Float64Array;
  H: Float64Array;
  nbar: number;
  t: Float64Array;
  nbarTrace: Float64Array;
} {
  const o = checkOptions('options', options);
  const { a, vR, vF } = checkConstants(o, 'options');
  if (typeof o.input !== 'function') throw new ValidationError('input', 'a function I(w)', o.input);
  const nu = checkFinite('nu', o.nu);
  if (nu < 0) throw new ValidationError('nu', 'a finite number >= 0', nu);
  const wMin = checkFinite('wMin', o.wMin);
  if (!(wMin < 0)) throw new ValidationError('wMin', 'a value < 0', wMin);
  const dt = checkPositive('dt', o.dt);
  const duration = checkFinite('duration', o.duration);
  const H = checkFiniteArray('H0', o.H0, undefined, (nm, x) => {
    if (x < 0) throw new ValidationError(nm, 'a value >= 0', x);
  });
  const n = H.length;
  if (n < 3) throw new ValidationError('H0.length', 'at least 3 cells', n);
  const dw = -wMin / n;
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) w[k] = wMin + (k + 0.5) * dw;
  let m = 0;
  for (const x of H) m += x;
  m *= dw;
  if (!(m > 0)) throw new ValidationError('H0', 'a weight distribution with positive mass', 'all zeros');
  for (let k = 0; k < n; k++) H[k] /= m;
  const I = w.map((x) => checkFinite(`input(${x})`, o.input(x)));
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
  const steps = Math.round(duration / dt);
  for (let s = 0; s < steps; s++) {
    // velocities u_k = −N̄ R_k H_k − w_k; Rusanov λ ≥ |∂f/∂H| = |−2N̄RH − w|
    let vmax = 0;
    for (let k = 0; k < n - 1; k++) {
      const uL = -nbar * R[k] * H[k] - w[k];
      const uR = -nbar * R[k + 1] * H[k + 1] - w[k + 1];
      const lam = Math.max(Math.abs(uL) + nbar * R[k] * H[k], Math.abs(uR) + nbar * R[k + 1] * H[k + 1]);
      alpha[k] = 0.5 * (uL + lam);
      beta[k] = 0.5 * (lam - uR);
      vmax = Math.max(vmax, alpha[k] + (k > 0 ? beta[k - 1] : 0));
    }
    const sub = Math.max(1, Math.ceil((dt * vmax) / (0.9 * dw)));
    const h = dt / sub;
    for (let q = 0; q < sub; q++) {
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
  return { w, H, nbar, t: Float64Array.from(tr), nbarTrace: Float64Array.from(nbTr) };
}
