/**
 * Special functions used across neurodyn (normal distribution, error functions), in plain f64
 * TypeScript with ~1e-15 relative accuracy.
 * @packageDocumentation
 */

const SQRT_PI = 1.7724538509055159;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** For x ≥ 0: erf(x) = 2/√π · e^{−x²} Σ 2^n x^{2n+1}/(2n+1)!! (all terms positive). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfcx(x) = e^{x²} erfc(x) for x ≥ 3 by the continued fraction (modified Lentz). */
function erfcxCF(x: number): number {
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

/** Error function erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < 3) return x < 0 ? -erfSeries(ax) : erfSeries(ax);
  const r = 1 - Math.exp(-ax * ax) * erfcxCF(ax);
  return x < 0 ? -r : r;
}

/** Complementary error function erfc(x) = 1 − erf(x), accurate in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0.5) return 1 - erf(x);
  if (x < 3) return Math.exp(-x * x) * erfcx(x);
  if (x > 27.3) return 0;
  return Math.exp(-x * x) * erfcxCF(x);
}

/**
 * Scaled complementary error function erfcx(x) = e^{x²} erfc(x), finite for all x > −26.6
 * (overflows to +∞ below). Behaves like 1/(x√π) for large x; use it to evaluate e^{x²}erfc(x)
 * products (Siegert formula, Fokker–Planck stationary states) without overflow.
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 3) return erfcxCF(x);
  if (x >= 0.5) {
    // e^{x²}(1 − erf(x)) loses digits here; integrate the CF's tail identity instead:
    // erfcx(x) = e^{x²}·erfc(x) with erfc from the positive series of erf's complement.
    return erfcxMid(x);
  }
  if (x > -26.6) return Math.exp(x * x) * (1 - erf(x));
  return Number.POSITIVE_INFINITY;
}

/**
 * erfcx on [0.5, 3): erfc(x) = erfc(3) + 2/√π ∫_x^3 e^{−t²} dt, rescaled by e^{x²}; the integral
 * of e^{x²−t²} on [x, 3] is smooth and evaluated by 32-point Gauss–Legendre on subintervals.
 */
function erfcxMid(x: number): number {
  const b = 3;
  const tail = Math.exp(x * x - 9) * erfcxCF(3);
  const m = 8;
  const h = (b - x) / m;
  let s = 0;
  for (let j = 0; j < m; j++) {
    const a0 = x + j * h;
    for (let q = 0; q < GL_X.length; q++) {
      const t = a0 + 0.5 * h * (1 + GL_X[q]);
      s += GL_W[q] * Math.exp((x - t) * (x + t));
    }
  }
  return tail + TWO_OVER_SQRT_PI * 0.5 * h * s;
}

// 10-point Gauss–Legendre nodes/weights on [-1, 1] (exact to degree 19; with 8 panels the
// integrand e^{x²−t²} is resolved to ~1e-16).
const GL_X = [
  -0.9739065285171717, -0.8650633666889845, -0.6794095682990244, -0.4333953941292472, -0.14887433898163122, 0.14887433898163122,
  0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717,
];
const GL_W = [
  0.06667134430868814, 0.14945134915058059, 0.21908636251598204, 0.26926671930999635, 0.29552422471475287, 0.29552422471475287,
  0.26926671930999635, 0.21908636251598204, 0.14945134915058059, 0.06667134430868814,
];

/** Standard normal CDF Φ(x), accurate in both tails. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal quantile Φ⁻¹(p), p in (0, 1): Acklam's rational start refined by two Halley
 * steps on {@link normalCdf} (relative error ~1e-15).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
      (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  for (let k = 0; k < 2; k++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}
