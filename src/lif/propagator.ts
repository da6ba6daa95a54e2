/**
 * Closed forms of the linear (V, I) dynamics between spikes (seed 000, model of §1.3 in
 * research/lif-ltn.md):
 *
 *   dV = [−g_L (V − V_L) + I + I₂] dt,   dI = −(I − μ)/τ_s dt + σ √(2/τ_s) dB,   dI₂ = −I₂/τ₂ dt.
 *
 * With a = g_L, b = 1/τ_s, the response of V to a unit current step decaying at rate b is
 * G_b(t) = (e^{−bt} − e^{−at})/(a − b) (= t e^{−at} when a = b), computed without cancellation as
 * e^{−bt} t φ₁((b − a)t), φ₁(z) = expm1(z)/z.
 *
 * exp and expm1 here are the kernel's (`lifMathExp`, `lifMathExpm1`; the propagator is computed in
 * the kernel): JS engines' `Math.exp`/`Math.expm1` differ in the last bit between engine versions,
 * and these values are the coefficients of every exact step, so they must be the same bits in
 * Node, Deno and browsers. In a browser call `await init()` before using these functions.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { checkFinite, checkNonNegative, checkPositive, checkRange } from '../kernel/validate.js';

/** e^x with the kernel's exp (the same bits in every JS engine). @internal */
export function kexp(x: number): number {
  return kernel().lifMathExp(x) as number;
}

/** e^x − 1 with the kernel's expm1 (the same bits in every JS engine). @internal */
export function kexpm1(x: number): number {
  return kernel().lifMathExpm1(x) as number;
}

/** ln(1 + x) with the kernel's log1p (the same bits in every JS engine). @internal */
export function klog1p(x: number): number {
  return kernel().lifMathLog1p(x) as number;
}

/** φ₁(z) = (e^z − 1)/z, with φ₁(0) = 1. */
export function phi1(z: number): number {
  return z === 0 ? 1 : kexpm1(z) / z;
}

/** Time constants of the linear (V, I) dynamics, as a population states them. */
export interface LifTimeConstants {
  /** Membrane time constant τ_m = 1/g_L (ms). */
  tauMem: number;
  /** Synaptic time constant τ_s of the current I (ms). */
  tauSyn: number;
}

const TIME_CONSTANT_KEYS = optionKeys<LifTimeConstants>()(['tauMem', 'tauSyn']);

function rates(o: LifTimeConstants): [a: number, b: number] {
  // from 1e-300 ms: the rates 1/τ must be finite
  return [
    1 / checkRange('options.tauMem', o.tauMem, 1e-300, Number.MAX_VALUE, { unit: 'ms' }),
    1 / checkRange('options.tauSyn', o.tauSyn, 1e-300, Number.MAX_VALUE, { unit: 'ms' }),
  ];
}

/**
 * G(t) = (e^{−t/τ_s} − e^{−t/τ_m})/(1/τ_m − 1/τ_s): V at time t (ms) after a unit jump of a
 * current that decays with τ_s, for a membrane with time constant τ_m, starting from V = 0
 * (= t e^{−t/τ_m} when τ_m = τ_s). Units: ms per (voltage unit per ms of current) = ms.
 * @param t - time since the jump (ms, ≥ 0)
 * @param options - `tauMem`, `tauSyn` (ms)
 * @example
 * ```ts
 * lifCurrentResponse(1, { tauMem: 20, tauSyn: 5 }); // ≈ 0.8878
 * ```
 */
export function lifCurrentResponse(t: number, options: LifTimeConstants): number {
  const o = strictOptions<LifTimeConstants>('lifCurrentResponse', 'options', options, TIME_CONSTANT_KEYS);
  checkNonNegative('t', t, 'ms');
  const [a, b] = rates(o);
  return currentResponseOf(a, b, t);
}

/** G_b(t) for leak rate a and synaptic rate b (ms⁻¹). @internal */
export function currentResponseOf(a: number, b: number, t: number): number {
  const g = kexp(-b * t) * t * phi1((b - a) * t);
  if (Number.isFinite(g)) return g;
  // far beyond both time constants e^{−bt} underflows while φ₁((b − a)t) overflows (0·∞):
  // the same G_b(t) = (e^{−at} − e^{−bt})/(b − a) (t·e^{−at} when a = b), written without the product
  return a === b ? t * kexp(-a * t) : (kexp(-a * t) - kexp(-b * t)) / (b - a);
}

/** The exact one-step propagator of (V, I) and the covariance of its Gaussian increment. */
export interface LifPropagator {
  /** e^{−a h} */
  eA: number;
  /** e^{−b h} */
  eB: number;
  /** G_b(h): effect of I(t_n) − μ on V(t_{n+1}). */
  p21: number;
  /** Var ξ_I = σ² (1 − e^{−2bh}) */
  varI: number;
  /** Cov(ξ_V, ξ_I) = (2σ²b) ∫₀^h e^{−bt} G_b(t) dt */
  covVI: number;
  /** Var ξ_V = (2σ²b) ∫₀^h G_b(t)² dt */
  varV: number;
  /** Cholesky factor: ξ_I = cI z₁, ξ_V = cVI z₁ + cVV z₂. */
  cI: number;
  /** Cholesky entry cVI = Cov(ξ_V, ξ_I)/cI: loading of ξ_V on z₁ (voltage units). */
  cVI: number;
  /** Cholesky entry cVV = √(Var ξ_V − cVI²): loading of ξ_V on z₂ (voltage units). */
  cVV: number;
}

/** Options of {@link lifPropagator}. */
export interface LifPropagatorOptions extends LifTimeConstants {
  /** Stationary standard deviation σ of I (voltage units per ms; diffusion σ√(2/τ_s)). @default 0 */
  sigma?: number;
  /** Step h (ms), at most 10·min(τ_m, τ_s) (the range where the covariance quadrature is accurate). */
  dt: number;
}

const PROPAGATOR_KEYS = optionKeys<LifPropagatorOptions>()(['tauMem', 'tauSyn', 'sigma', 'dt']);

/**
 * Exact propagator over a step h of the 2-D Ornstein–Uhlenbeck system (V, I) with leak rate
 * a = 1/τ_m, synaptic rate b = 1/τ_s and stationary current std σ: the deterministic part
 * (e^{−ah}, e^{−bh}, G_b(h)) and the exact covariance of the Gaussian increment (ξ_V, ξ_I),
 * obtained by Gauss–Legendre quadrature of the closed-form integrands (8 panels × 8 points; no
 * cancellation for small h), with its Cholesky factor. Computed in the kernel
 * (`lifPropagatorInto`), so the coefficients are the same bits in every runtime.
 * @example
 * ```ts
 * const p = lifPropagator({ tauMem: 20, tauSyn: 5, sigma: 0.02, dt: 0.1 });
 * // V' = V∞ + (V − V∞) p.eA + (I − μ) p.p21 + p.cVI z1 + p.cVV z2,  I' = μ + (I − μ) p.eB + p.cI z1
 * ```
 */
export function lifPropagator(options: LifPropagatorOptions): LifPropagator {
  const o = strictOptions<LifPropagatorOptions>('lifPropagator', 'options', options, PROPAGATOR_KEYS);
  const [a, b] = rates(o);
  const sigma = checkNonNegative('options.sigma', o.sigma ?? 0, 'voltage/ms');
  const h = checkPositive('options.dt', o.dt, 'ms');
  return propagatorOf(a, b, sigma, h);
}

/** Longest step of the exact propagator, in units of the shorter time constant. */
const PROPAGATOR_MAX_STEPS = 10;

/** {@link lifPropagator} from the rates a = g_L, b = 1/τ_s (ms⁻¹), unchecked. @internal */
export function propagatorOf(a: number, b: number, sigma: number, h: number): LifPropagator {
  // The noise covariances are Gauss–Legendre quadratures over [0, h] (8 panels): accurate to
  // ~1e-10 up to ten time constants (2.6e-10 at h = 10τ_s, 4 % at 200τ_s); a longer step is refused.
  const limit = PROPAGATOR_MAX_STEPS / Math.max(a, b);
  if (!(h <= limit))
    throw new ValidationError(
      'dt',
      `a step <= 10·min(tauMem, tauSyn) = ${limit} ms (the exact propagator's noise covariances are quadratures accurate up to ten time constants)`,
      h,
    );
  const k = kernel();
  const ptr = k.lifPropagatorInto(a, b, sigma, h) as number;
  const o = new Float64Array((k.memory as WebAssembly.Memory).buffer, ptr, 9);
  // a step far beyond both time constants: the kernel's product form of G_b(h) is 0·∞ there
  const p21 = Number.isFinite(o[2]) ? o[2] : currentResponseOf(a, b, h);
  if (!Number.isFinite(o[3]) || !Number.isFinite(o[4]) || !Number.isFinite(o[5]))
    throw new ValidationError('sigma', 'a noise intensity whose variances over one step are finite numbers', sigma);
  return { eA: o[0], eB: o[1], p21, varI: o[3], covVI: o[4], varV: o[5], cI: o[6], cVI: o[7], cVV: o[8] };
}

/** Options of {@link lifVoltageAt}: the population's parameters and the initial state. */
export interface LifVoltageOptions extends LifTimeConstants {
  /** Leak (rest) potential V_L (voltage units). @default 0 */
  vLeak?: number;
  /** Mean μ of I (voltage units per ms). @default 0 */
  mu?: number;
  /** V at t = 0 (voltage units). @default 0 */
  v0?: number;
  /** I at t = 0 (voltage units per ms). @default mu */
  i0?: number;
}

const VOLTAGE_KEYS = optionKeys<LifVoltageOptions>()(['tauMem', 'tauSyn', 'vLeak', 'mu', 'v0', 'i0']);

/**
 * Noise-free closed form of V(t) from (V₀, I₀) with the synaptic current relaxing to its mean,
 * I(t) = μ + (I₀ − μ) e^{−t/τ_s}, no spikes (research note §1.7 item 5):
 * V(t) = V∞ + (V₀ − V∞) e^{−t/τ_m} + (I₀ − μ) G(t), V∞ = V_L + μ τ_m.
 * @param t - time since the initial state (ms, ≥ 0)
 * @example
 * ```ts
 * lifVoltageAt(10, { tauMem: 20, tauSyn: 5, mu: 0.055 }); // V(10 ms) from rest with μ = 0.055
 * ```
 */
export function lifVoltageAt(t: number, options: LifVoltageOptions): number {
  const o = strictOptions<LifVoltageOptions>('lifVoltageAt', 'options', options, VOLTAGE_KEYS);
  checkNonNegative('t', t, 'ms');
  const [a, b] = rates(o);
  const vLeak = checkFinite('options.vLeak', o.vLeak ?? 0);
  const mu = checkFinite('options.mu', o.mu ?? 0, 'voltage/ms');
  const v0 = checkFinite('options.v0', o.v0 ?? 0);
  const i0 = checkFinite('options.i0', o.i0 ?? mu, 'voltage/ms');
  const vinf = vLeak + mu / a;
  if (!Number.isFinite(vinf)) throw new ValidationError('options.mu', 'a drive whose V∞ = vLeak + mu·tauMem is a finite number', mu);
  return vinf + (v0 - vinf) * kexp(-a * t) + (i0 - mu) * currentResponseOf(a, b, t);
}
