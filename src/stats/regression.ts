/**
 * Small-sample inference used by the numerical-analysis lab: Student-t quantiles, means with
 * confidence intervals, ordinary least squares with a confidence interval on the slope, and the
 * log-log fit that turns errors measured at several step sizes into a convergence order.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/index.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkRange, isNumericArray } from '../kernel/validate.js';
import { type StatsResult, statsResult } from './result.js';
import { normalCdf, normalQuantile } from './special.js';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; ~1e-15 relative). */
function lnGamma(x: number): number {
  const c = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
    -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularised incomplete beta (modified Lentz, Numerical-Recipes form). */
function betaCF(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
function betaInc(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbt = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const bt = Math.exp(lbt);
  if (x < (a + 1) / (a + b + 2)) return (bt * betaCF(a, b, x)) / a;
  return 1 - (bt * betaCF(b, a, 1 - x)) / b;
}

/** df > 0, finite or +∞. */
function checkDf(df: unknown): number {
  if (df === Number.POSITIVE_INFINITY) return df;
  return checkRange('df', df, 0, Number.POSITIVE_INFINITY, { loOpen: true });
}

/**
 * Student-t cumulative distribution P(T ≤ t) with `df` degrees of freedom (> 0; +∞ gives the
 * normal CDF), P = 1 − ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0; t = ±∞ gives 1 or 0.
 */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (typeof t !== 'number' || Number.isNaN(t)) throw new ValidationError('t', 'a number (±Infinity allowed)', t);
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  // beyond df = 1e10 the t law is the normal one to 1e-10 (and betaInc(df/2, …) loses precision)
  if (df > 1e10) return normalCdf(t);
  const r = t / Math.sqrt(df);
  const tail = 0.5 * betaInc(df / 2, 0.5, 1 / (1 + r * r));
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Student-t quantile: the t with P(T ≤ t) = p for `df` degrees of freedom (bisection on
 * {@link studentTCdf} to 1e-13, started from the normal quantile). df = ∞ gives the normal quantile.
 * @example
 * ```ts
 * studentTQuantile(0.975, 5); // 2.5705818...
 * ```
 */
export function studentTQuantile(p: number, df: number): number {
  checkRange('p', p, 0, 1, { loOpen: true, hiOpen: true });
  if (checkDf(df) === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = Math.max(2, 2 * normalQuantile(p));
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let it = 0; it < 200 && hi - lo > 1e-13 * Math.max(1, hi); it++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * A point estimate with its standard error and a two-sided confidence interval. The functions of
 * this module return it with `kind` and `toJSON()` ({@link EstimateResult}).
 */
export interface Estimate {
  /** Point estimate (mean, slope, ...; units of the estimated quantity). */
  value: number;
  /** Standard error (NaN when it cannot be estimated, e.g. one sample). */
  se: number;
  /** Confidence interval [lo, hi] at `level`. */
  ci: [number, number];
  /** Confidence level. */
  level: number;
  /** Number of samples (or points) used. */
  n: number;
}

/** An {@link Estimate} as returned: with `kind` and `toJSON()`. */
export type EstimateResult = StatsResult<'stats.estimate', Estimate>;

/** Refuses values whose squares would overflow a sum of squares (|v| > 1e150). @internal */
export function squareSafe(name: string, v: number): void {
  if (Math.abs(v) > 1e150) throw new ValidationError(name, 'a value with |v| ≤ 1e150 (sums of squares must not overflow)', v);
}

/** Options carrying a confidence level. */
export interface LevelOptions {
  /** Confidence level of the two-sided interval, in (0, 1). @default 0.95 */
  level?: number;
}

const LEVEL_KEYS = optionKeys<LevelOptions>()(['level']);

function estimate(value: number, se: number, ci: [number, number], level: number, n: number): EstimateResult {
  return statsResult('stats.estimate', { value, se, ci, level, n });
}

/**
 * {@link meanConfidence} over the finite values of per-trial figures (a study's summary): a trial
 * whose figure is NaN (no data, e.g. no spike in a short run) is left out; `n` counts the trials
 * used. With no finite value the estimate is NaN throughout (documented: no data), with one its
 * `se` and `ci` are NaN. @internal
 */
export function estimateOver(values: readonly number[]): EstimateResult {
  const x = values.filter(Number.isFinite);
  if (x.length === 0) return estimate(Number.NaN, Number.NaN, [Number.NaN, Number.NaN], 0.95, 0);
  return meanConfidence(x);
}

/**
 * Sample mean with a Student-t confidence interval: x̄ ± t_{(1+level)/2, n−1} · s/√n, with s the
 * sample standard deviation (ddof 1: the t interval needs the unbiased variance). Non-finite
 * samples are rejected. With one sample `se` and `ci` are NaN (documented: no spread to estimate).
 * @example
 * ```ts
 * meanConfidence([1, 2, 3, 4]).ci; // [0.4457..., 4.5542...] at level 0.95
 * ```
 */
export function meanConfidence(values: ArrayLike<number>, options: LevelOptions = {}): EstimateResult {
  const o = strictOptions<LevelOptions>('meanConfidence', 'options', options, LEVEL_KEYS);
  const x = checkFiniteArray('values', values);
  const level = checkRange('options.level', o.level ?? 0.95, 0, 1, { loOpen: true, hiOpen: true });
  const n = x.length;
  if (n === 0) throw new ValidationError('values.length', 'at least 1', 0);
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  if (!Number.isFinite(m)) {
    // the sum overflowed (values near 1e308): the mean of the values divided by n first
    m = 0;
    for (let i = 0; i < n; i++) m += x[i] / n;
  }
  if (n === 1) return estimate(m, Number.NaN, [Number.NaN, Number.NaN], level, n);
  // deviations scaled by the largest one, so that values near 1e200 do not overflow the squares
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(x[i] - m));
  let ss = 0;
  if (scale > 0) for (let i = 0; i < n; i++) ss += ((x[i] - m) / scale) ** 2;
  const se = scale * Math.sqrt(ss / (n - 1) / n);
  const q = studentTQuantile(0.5 + level / 2, n - 1);
  const ci: [number, number] = [m - q * se, m + q * se];
  if (!Number.isFinite(se) || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1]))
    throw new ValidationError(
      'values',
      'values whose standard error and confidence interval are finite doubles (they overflow here)',
      values,
    );
  return estimate(m, se, ci, level, n);
}

/** Result of {@link linearFit}. */
export type LinearFit = StatsResult<
  'stats.linearFit',
  {
    /** Slope estimate with its t-based CI (df = n − 2). */
    slope: Estimate;
    /** Intercept estimate with its t-based CI. */
    intercept: Estimate;
    /** Coefficient of determination. */
    r2: number;
    /** Residual standard deviation √(RSS/(n−2)) (NaN with 2 points). */
    residualSd: number;
  }
>;

/** Options of {@link linearFit}. */
export interface LinearFitOptions extends LevelOptions {
  /** Weights w_i > 0 (weighted least squares with Var(y_i) ∝ 1/w_i). @default all 1 */
  weights?: ArrayLike<number>;
}

const FIT_KEYS = optionKeys<LinearFitOptions>()(['level', 'weights']);

/**
 * Ordinary least squares y ≈ a + b x with optional weights w (weighted LS with
 * Var(y_i) ∝ 1/w_i), and t-based confidence intervals on a and b (df = n − 2, residual
 * variance estimated from the fit). With exactly 2 points the fit is exact and the CIs are NaN.
 */
export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>, options: LinearFitOptions = {}): LinearFit {
  const o = strictOptions<LinearFitOptions>('linearFit', 'options', options, FIT_KEYS);
  const xs = checkFiniteArray('x', x, undefined, squareSafe);
  const ys = checkFiniteArray('y', y, xs.length, squareSafe);
  const level = checkRange('options.level', o.level ?? 0.95, 0, 1, { loOpen: true, hiOpen: true });
  const n = xs.length;
  if (n < 2) throw new ValidationError('x.length', 'at least 2 points', n);
  const w = o.weights === undefined ? new Float64Array(n).fill(1) : checkFiniteArray('options.weights', o.weights, n);
  for (let i = 0; i < n; i++) if (!(w[i] > 0)) throw new ValidationError(`options.weights[${i}]`, 'a finite number > 0', w[i]);
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i];
    mx += w[i] * xs[i];
    my += w[i] * ys[i];
  }
  mx /= sw;
  my /= sw;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += w[i] * (xs[i] - mx) ** 2;
    sxy += w[i] * (xs[i] - mx) * (ys[i] - my);
    syy += w[i] * (ys[i] - my) ** 2;
  }
  if (!(sxx > 0)) throw new ValidationError('x', 'at least two distinct values', Array.from(xs));
  const b = sxy / sxx;
  const a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += w[i] * (ys[i] - a - b * xs[i]) ** 2;
  // Normalise weights to mean 1 so the residual variance is on the scale of an average point.
  const scale = n / sw;
  const s2 = n > 2 ? (rss * scale) / (n - 2) : Number.NaN;
  const seB = Math.sqrt(s2 / (sxx * scale));
  const seA = Math.sqrt(s2 * (1 / n + (mx * mx) / (sxx * scale)));
  const q = n > 2 ? studentTQuantile(0.5 + level / 2, n - 2) : Number.NaN;
  return statsResult('stats.linearFit', {
    slope: { value: b, se: seB, ci: [b - q * seB, b + q * seB] as [number, number], level, n },
    intercept: { value: a, se: seA, ci: [a - q * seA, a + q * seA] as [number, number], level, n },
    r2: syy > 0 ? 1 - rss / syy : 1,
    residualSd: Math.sqrt(s2),
  });
}

/** Result of {@link fitOrder}. */
export type OrderFit = StatsResult<
  'stats.orderFit',
  {
    /** Fitted order p: slope of ln e vs ln h, with its t-based CI. */
    order: Estimate;
    /** Constant C of e ≈ C h^p, exp(intercept) (units of e per unit of h^p). */
    constant: number;
    /** Coefficient of determination R² of the log-log fit. */
    r2: number;
    /** Number of points used (those with finite e > 0). */
    used: number;
  }
>;

/**
 * Convergence order from errors e(h): least-squares slope of ln e against ln h, with a t-based
 * confidence interval. Points with e ≤ 0 or non-finite are dropped (they carry no order
 * information); at least 2 must remain. `order.value ≈ p` when e ≈ C h^p.
 * @example
 * ```ts
 * fitOrder([0.1, 0.05, 0.025], [2e-3, 1e-3, 5e-4]).order.value; // 1
 * ```
 */
export function fitOrder(h: ArrayLike<number>, err: ArrayLike<number>, options: LevelOptions = {}): OrderFit {
  const o = strictOptions<LevelOptions>('fitOrder', 'options', options, LEVEL_KEYS);
  const hs = checkFiniteArray('h', h, undefined, (nm, v) => {
    if (!(v > 0)) throw new ValidationError(nm, 'a finite number > 0', v);
  });
  if (!isNumericArray(err)) throw new ValidationError('err', `an array of ${hs.length} errors`, err);
  if (err.length !== hs.length) throw new ValidationError('err.length', `${hs.length} (= h.length)`, err.length);
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < hs.length; i++) {
    const e = err[i];
    if (typeof e === 'number' && Number.isFinite(e) && e > 0) {
      lx.push(Math.log(hs[i]));
      ly.push(Math.log(e));
    }
  }
  if (lx.length < 2) throw new ValidationError('err', 'at least 2 finite errors > 0', Array.from(err));
  const f = linearFit(lx, ly, { level: o.level });
  const constant = Math.exp(f.intercept.value);
  // the fitted C of err ≈ C·h^p overflows when the errors are huge at tiny steps
  if (!Number.isFinite(constant))
    throw new NumericalError('fitOrder', { kind: 'non-finite', step: 0, index: -1, time: 0, value: constant });
  return statsResult('stats.orderFit', { order: f.slope, constant, r2: f.r2, used: lx.length });
}

function checkValues(values: unknown): ArrayLike<unknown> {
  if (!isNumericArray(values)) throw new ValidationError('values', 'an array of numbers', values);
  return values;
}

/**
 * Median of the finite values, ignoring NaN and ±∞ (NumPy's `nanmedian` for NaN); NaN when no
 * value is finite (documented, not an error: the lab takes medians of error lists that may be empty).
 */
export function median(values: ArrayLike<number>): number {
  const a = Array.from(checkValues(values) as ArrayLike<number>)
    .filter(Number.isFinite)
    .sort((p, q) => p - q);
  if (a.length === 0) return Number.NaN;
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

/**
 * Empirical quantile of the finite values (linear interpolation between order statistics: Hyndman
 * & Fan type 7, NumPy's default `linear`), p in [0, 1]; NaN when no value is finite.
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  checkRange('p', p, 0, 1);
  const a = Array.from(checkValues(values) as ArrayLike<number>)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  if (a.length === 0) return Number.NaN;
  const r = p * (a.length - 1);
  const i = Math.floor(r);
  return i + 1 < a.length ? a[i] + (r - i) * (a[i + 1] - a[i]) : a[i];
}
