/**
 * Closed forms of the linear (V, I) dynamics between spikes (seed 000, model of §1.3 in
 * research/lif-ltn.md):
 *
 *   dV = [−g_L (V − V_L) + I + I₂] dt,   dI = −(I − μ)/τ_s dt + σ √(2/τ_s) dB,   dI₂ = −I₂/τ₂ dt.
 *
 * With a = g_L, b = 1/τ_s, the response of V to a unit current step decaying at rate b is
 * G_b(t) = (e^{−bt} − e^{−at})/(a − b) (= t e^{−at} when a = b), computed without cancellation as
 * e^{−bt} t φ₁((b − a)t), φ₁(z) = expm1(z)/z.
 * @packageDocumentation
 */

/** φ₁(z) = (e^z − 1)/z, with φ₁(0) = 1. */
export function phi1(z: number): number {
  return z === 0 ? 1 : Math.expm1(z) / z;
}

/**
 * G(t) = (e^{−bt} − e^{−at})/(a − b): V at time t after a unit jump of a current that decays at
 * rate b, for a membrane with leak rate a (ms⁻¹), starting from V = 0.
 * @example
 * ```ts
 * lifCurrentResponse(0.05, 0.2, 1); // ≈ 0.8878
 * ```
 */
export function lifCurrentResponse(a: number, b: number, t: number): number {
  return Math.exp(-b * t) * t * phi1((b - a) * t);
}

// 8-point Gauss–Legendre nodes/weights on [-1, 1].
const GLX = [0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GLW = [0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

function integrate(f: (t: number) => number, h: number, panels = 8): number {
  let s = 0;
  const w = h / panels;
  for (let p = 0; p < panels; p++) {
    const c = (p + 0.5) * w;
    for (let k = 0; k < 4; k++) {
      const d = 0.5 * w * GLX[k];
      s += GLW[k] * (f(c - d) + f(c + d));
    }
  }
  return 0.5 * w * s;
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
  cVI: number;
  cVV: number;
}

/**
 * Exact propagator over a step h of the 2-D Ornstein–Uhlenbeck system (V, I) with leak rate
 * a = g_L, synaptic rate b = 1/τ_s and stationary current std σ: the deterministic part
 * (e^{−ah}, e^{−bh}, G_b(h)) and the exact covariance of the Gaussian increment (ξ_V, ξ_I),
 * obtained by Gauss–Legendre quadrature of the closed-form integrands (no cancellation for
 * small h), with its Cholesky factor.
 * @example
 * ```ts
 * const p = lifPropagator(0.05, 0.2, 0.02, 0.1);
 * // V' = V∞ + (V − V∞) p.eA + (I − μ) p.p21 + p.cVI z1 + p.cVV z2,  I' = μ + (I − μ) p.eB + p.cI z1
 * ```
 */
export function lifPropagator(a: number, b: number, sigma: number, h: number): LifPropagator {
  const s2 = 2 * sigma * sigma * b;
  const G = (t: number) => lifCurrentResponse(a, b, t);
  const varI = -sigma * sigma * Math.expm1(-2 * b * h);
  const covVI = s2 * integrate((t) => Math.exp(-b * t) * G(t), h);
  const varV = s2 * integrate((t) => G(t) * G(t), h);
  const cI = Math.sqrt(varI);
  const cVI = cI > 0 ? covVI / cI : 0;
  const cVV = Math.sqrt(Math.max(0, varV - cVI * cVI));
  return { eA: Math.exp(-a * h), eB: Math.exp(-b * h), p21: G(h), varI, covVI, varV, cI, cVI, cVV };
}

/**
 * Noise-free closed form of V(t) from (V₀, I₀) with constant-mean synaptic current
 * I(t) = μ + (I₀ − μ) e^{−bt}, no spikes (research note §1.7 item 5).
 * @example
 * ```ts
 * lifVoltageAt(0.05, 0, 0.2, 0.055, 0, 0.055, 10); // V(10 ms) from rest with μ = 0.055
 * ```
 */
export function lifVoltageAt(a: number, vLeak: number, b: number, mu: number, v0: number, i0: number, t: number): number {
  const vinf = vLeak + mu / a;
  return vinf + (v0 - vinf) * Math.exp(-a * t) + (i0 - mu) * lifCurrentResponse(a, b, t);
}
