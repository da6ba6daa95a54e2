/**
 * Crossing-speed (threshold-flux) statistics of current-based LIF neurons, after the seed
 * (000_a5327dcba9ecafc1, abstract) and its reconstruction in research/lif-ltn.md §1.5–1.6.
 *
 * The neuron is dV/dt = −(V − V_L)/τ_m + I (times in ms; g_L = 1/τ_m, options `tauMem`, `vLeak`,
 * `vThreshold`, `vReset` as everywhere in the library). A spike is a threshold hit of a
 * deterministically advected voltage; its crossing speed is A = V̇(t⁻) = I − I_th with
 * I_th = g_L (V_th − V_L). With p(v, c) the stationary density of (V, I):
 * - Rice / threshold-flux rate: ν = ∫_0^∞ a p(V_th, I_th + a) da;
 * - Palm (per-spike) density of A: a p(V_th, I_th + a)/ν;
 * - near-tangential spikes: E #{A < α} ≈ T ρ α²/2 with ρ = p(V_th, I_th⁺), so P_Palm(A < α)/α² → ρ/(2ν);
 * - E[A⁻² 1{A ≥ α}] grows like log(1/α) (the seed's threshold-flux estimate);
 * - saltation factor s(A) = 1 + g_L (V_th − V_r)/A and λ_V = −g_L + ν E_Palm[ln s(A)].
 * All functions here are pure and work on plain arrays of samples. Firing rates are returned in Hz,
 * Lyapunov exponents in 1/ms.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import {
  checkBoolean,
  checkFinite,
  checkFiniteArray,
  checkInteger,
  checkNonNegative,
  checkPositive,
  checkRange,
} from '../kernel/validate.js';
import { type StatsResult, statsResult } from './result.js';
import { erfcx } from './special.js';

/** Per-α statistics of crossing speeds returned by {@link crossingSpeedStatistics}. */
export interface CrossingSpeedRow {
  /** Crossing-speed cut α (voltage units per ms, same units as A = V̇(t⁻)). */
  alpha: number;
  /** Palm probability P(A < α): fraction of spikes with crossing speed below α. */
  nearTangential: number;
  /** P(A < α)/α² (bounded as α → 0 when the threshold density is bounded). */
  nearTangentialOverAlpha2: number;
  /** Palm mean E[A⁻² 1{A ≥ α}] over spikes (ms² per voltage²). */
  inverseSquare: number;
  /** Per unit time: (1/duration) Σ_spikes A⁻² 1{A ≥ α}, when `duration` was given. */
  inverseSquarePerTime: number;
}

/** τ_m (ms) in [1e-9, 1e12]: beyond that g_L·V overflows or underflows for any voltage scale. */
function checkTauMem(name: string, v: unknown): number {
  return checkRange(name, v, 1e-9, 1e12, { unit: 'ms' });
}

/** A statistic computed from finite data that still overflowed (samples of extreme scale). */
function finiteResult(what: string, value: number, argument: string, received: unknown): number {
  if (Number.isNaN(value) || Number.isFinite(value)) return value;
  throw new ValidationError(argument, `samples whose ${what} is finite (it overflowed: the values are too large for f64 sums)`, received);
}

/** Options of {@link crossingSpeedStatistics}. */
export interface CrossingSpeedOptions {
  /** Crossing-speed cuts α > 0 (voltage units per ms). Required. */
  alphas: ArrayLike<number>;
  /** Total neuron-time observed (ms), for `inverseSquarePerTime`. @default none (that column is NaN) */
  duration?: number;
}

/**
 * Palm statistics of crossing speeds A (one value per spike) at each α: the near-tangential
 * fraction P(A < α), P(A < α)/α², and E[A⁻² 1{A ≥ α}] (per spike and, with `duration` = total
 * neuron-time observed in ms, per unit time). With no spikes the per-spike figures are NaN
 * (documented: nothing to average).
 * @example
 * ```ts
 * crossingSpeedStatistics(spikes.A, { alphas: [0.01, 0.005, 0.0025], duration: n * T });
 * ```
 */
export function crossingSpeedStatistics(A: ArrayLike<number>, options: CrossingSpeedOptions): CrossingSpeedRow[] {
  const o = strictOptions<CrossingSpeedOptions>('crossingSpeedStatistics', 'options', options, CROSSING_KEYS);
  const a = checkFiniteArray('A', A);
  const alphas = checkFiniteArray('options.alphas', o.alphas, undefined, (nm, v) => {
    if (!(v > 0)) throw new ValidationError(nm, 'a finite number > 0 (voltage units per ms)', v);
  });
  const dur = o.duration === undefined ? Number.NaN : checkPositive('options.duration', o.duration, 'ms');
  const n = a.length;
  return Array.from(alphas, (alpha) => {
    let below = 0;
    let inv = 0;
    for (let k = 0; k < n; k++) {
      if (a[k] < alpha) below++;
      else inv += 1 / (a[k] * a[k]);
    }
    const p = n ? below / n : Number.NaN;
    return {
      alpha,
      nearTangential: p,
      nearTangentialOverAlpha2: finiteResult('P(A < α)/α²', p / (alpha * alpha), 'options.alphas', alpha),
      inverseSquare: finiteResult('E[A⁻² 1{A ≥ α}]', n ? inv / n : Number.NaN, 'A', 'the crossing speeds'),
      inverseSquarePerTime: finiteResult('Σ A⁻² per unit time', inv / dur, 'options.duration', o.duration),
    };
  });
}

/** Options of {@link palmDensity}. */
export interface PalmDensityOptions {
  /** Number of bins. @default 40 */
  bins?: number;
  /** Upper end of the histogram (voltage units per ms). @default 1.25 × the 99th percentile of A (1 when that is not > 0) */
  max?: number;
}

/** Result of {@link palmDensity}. */
export type PalmDensity = StatsResult<
  'stats.palmDensity',
  {
    /** Bin centres (voltage units per ms). */
    centre: Float64Array;
    /** Palm density of A per bin (per unit of A: ms per voltage unit); integrates to the fraction inside [0, max]. */
    density: Float64Array;
  }
>;

/**
 * Histogram density estimate of the Palm distribution of A on [0, max] with `bins` bins
 * (values outside are counted in the normalisation, so the density integrates to the fraction
 * inside; all zeros when A is empty).
 */
export function palmDensity(A: ArrayLike<number>, options: PalmDensityOptions = {}): PalmDensity {
  const o = strictOptions<PalmDensityOptions>('palmDensity', 'options', options, PALM_KEYS);
  const a = checkFiniteArray('A', A);
  const bins = checkInteger('options.bins', o.bins ?? 40, 1, 1 << 20);
  let max = o.max;
  if (max === undefined) {
    const s = Array.from(a).sort((x, y) => x - y);
    max = s.length ? 1.25 * s[Math.min(s.length - 1, Math.floor(0.99 * s.length))] : 1;
    if (!(max > 0)) max = 1;
  }
  checkPositive('options.max', max, 'voltage units per ms');
  const w = max / bins;
  if (!(w > 0) || !Number.isFinite(1 / w))
    throw new ValidationError(
      'options.max',
      `a range whose bin width max/bins is a normal number (here ${max}/${bins}; set max explicitly)`,
      max,
    );
  const d = new Float64Array(bins);
  for (const x of a) if (x >= 0 && x < max) d[Math.min(bins - 1, Math.floor(x / w))]++;
  const nrm = a.length ? 1 / (a.length * w) : 0;
  return statsResult('stats.palmDensity', {
    centre: Float64Array.from({ length: bins }, (_, k) => (k + 0.5) * w),
    density: d.map((c) => c * nrm),
  });
}

/** Neuron constants needed by the flux estimators (the library's names and units). */
export interface ThresholdParams {
  /** Membrane time constant τ_m (ms); the leak rate is g_L = 1/τ_m. */
  tauMem: number;
  /** Leak (resting) potential V_L. @default 0 */
  vLeak?: number;
  /** Threshold V_th. */
  vThreshold: number;
  /** Reset V_r, < V_th (the flux Lyapunov formula; elsewhere it only bounds `width`). @default vThreshold − 1 */
  vReset?: number;
  /** Width w of the strip [V_th − w, V_th) used as the threshold density (voltage units, < V_th − V_r). */
  width: number;
}

const THRESHOLD_KEYS = optionKeys<ThresholdParams>()(['tauMem', 'vLeak', 'vThreshold', 'vReset', 'width']);
const CROSSING_KEYS = optionKeys<CrossingSpeedOptions>()(['alphas', 'duration']);
const PALM_KEYS = optionKeys<PalmDensityOptions>()(['bins', 'max']);

/** Options of {@link ThresholdFluxAccumulator.lyapunov}. */
export interface FluxLyapunovOptions {
  /** Remove the O(w) bias of the strip by Richardson extrapolation over the strips w and w/2. @default true */
  extrapolate?: boolean;
}

/**
 * Streaming threshold-flux accumulator: feed state samples (V, I) of a stationary neuron taken at
 * equally spaced times; it keeps, for the strips [V_th − w, V_th) and [V_th − w/2, V_th),
 * Σ V̇ (signed velocity V̇ = −g_L(V − V_L) + I), Σ A⁺ and Σ A⁺ ln s(A) with A = I − I_th.
 */
export class ThresholdFluxAccumulator {
  readonly #gL: number;
  readonly #vL: number;
  readonly #vTh: number;
  readonly #iTh: number;
  readonly #gd: number;
  readonly #w: number;
  readonly #vR: number;
  readonly #tauMem: number;
  /** [strip w, strip w/2] × [ΣV̇, ΣA⁺, ΣA⁺ ln s(A)]. */
  readonly sums = new Float64Array(6);
  /** Samples seen. */
  count = 0;

  /** @param params - τ_m (ms), V_L, V_th, V_r and the strip width; see {@link ThresholdParams} */
  constructor(params: ThresholdParams) {
    const p = strictOptions<ThresholdParams>('ThresholdFluxAccumulator', 'params', params, THRESHOLD_KEYS);
    this.#tauMem = checkTauMem('params.tauMem', p.tauMem);
    this.#gL = 1 / this.#tauMem;
    this.#vL = checkFinite('params.vLeak', p.vLeak ?? 0);
    this.#vTh = checkFinite('params.vThreshold', p.vThreshold);
    this.#w = checkPositive('params.width', p.width);
    const vR = p.vReset === undefined ? this.#vTh - 1 : checkFinite('params.vReset', p.vReset);
    if (!(vR < this.#vTh)) throw new ValidationError('params.vReset', `a value < vThreshold = ${this.#vTh}`, vR);
    if (!(this.#w < this.#vTh - vR))
      throw new ValidationError('params.width', `a width < vThreshold − vReset = ${this.#vTh - vR}`, this.#w);
    this.#iTh = this.#gL * (this.#vTh - this.#vL);
    this.#gd = this.#gL * (this.#vTh - vR);
    this.#vR = vR;
  }

  /**
   * JSON form (kind `'stats.thresholdFlux'`): the parameters, the sample count, the six sums and
   * the current rate (Hz) and λ_V (1/ms), `null` while they are NaN (no data).
   */
  toJSON(): {
    kind: 'stats.thresholdFlux';
    params: Required<ThresholdParams>;
    count: number;
    sums: number[];
    rate: number | null;
    lyapunov: number | null;
  } {
    const num = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      kind: 'stats.thresholdFlux',
      params: { tauMem: this.#tauMem, vLeak: this.#vL, vThreshold: this.#vTh, vReset: this.#vR, width: this.#w },
      count: this.count,
      sums: Array.from(this.sums),
      rate: num(this.rate()),
      lyapunov: num(this.lyapunov()),
    };
  }

  /** Adds one sample (V in voltage units, I in voltage units per ms; both finite). */
  add(V: number, I: number): void {
    if (typeof V !== 'number' || !Number.isFinite(V)) throw new ValidationError('V', 'a finite number', V);
    if (typeof I !== 'number' || !Number.isFinite(I)) throw new ValidationError('I', 'a finite number', I);
    this.count++;
    if (!(V >= this.#vTh - this.#w && V < this.#vTh)) return;
    const vd = -this.#gL * (V - this.#vL) + I;
    const a = I - this.#iTh;
    const ap = Math.max(a, 0);
    const ls = a > 0 ? a * Math.log1p(this.#gd / a) : 0;
    const s = this.sums;
    s[0] += vd;
    s[1] += ap;
    s[2] += ls;
    if (V >= this.#vTh - this.#w / 2) {
      s[3] += vd;
      s[4] += ap;
      s[5] += ls;
    }
  }

  /** Adds the sums of another accumulator with the same parameters. */
  merge(o: ThresholdFluxAccumulator): void {
    if (!(o instanceof ThresholdFluxAccumulator)) throw new ValidationError('other', 'a ThresholdFluxAccumulator', o);
    if (o.#gL !== this.#gL || o.#vL !== this.#vL || o.#vTh !== this.#vTh || o.#w !== this.#w || o.#gd !== this.#gd)
      throw new ValidationError('other', 'an accumulator with the same parameters', o);
    for (let k = 0; k < 6; k++) this.sums[k] += o.sums[k];
    this.count += o.count;
  }

  /**
   * Rate ν (Hz): net flux through the strip, 1000 · (1/w) E[V̇ 1{V ∈ strip}]. For a stationary
   * neuron every level between V_r and V_th is crossed net once per interspike interval, so this
   * is ν for any strip width; as w → 0 it is the Rice integral ∫ a⁺ p(V_th, I_th + a) da. NaN
   * before the first sample (documented: no data).
   */
  rate(): number {
    return (1000 * this.sums[0]) / (this.#w * this.count);
  }

  /** ν in 1/ms (the flux itself). */
  #ratePerMs(): number {
    return this.sums[0] / (this.#w * this.count);
  }

  /**
   * λ_V = −g_L + ν E_Palm[ln s(A)], with ν from {@link ThresholdFluxAccumulator.rate} and the Palm
   * law of A taken as the A⁺-weighted law of I − I_th in the strip (its bias is O(w); removed to
   * first order by Richardson extrapolation over the strips w and w/2 unless `extrapolate` is false).
   * NaN while no sample has fallen in the strip (documented: no data, as {@link ThresholdFluxAccumulator.rate}).
   */
  lyapunov(options: FluxLyapunovOptions = {}): number {
    const o = strictOptions<FluxLyapunovOptions>('ThresholdFluxAccumulator.lyapunov', 'options', options, LYAPUNOV_KEYS);
    const extrapolate = o.extrapolate === undefined ? true : checkBoolean('options.extrapolate', o.extrapolate);
    const s = this.sums;
    const nu = this.#ratePerMs();
    const e1 = s[2] / s[1];
    const e2 = s[5] / s[4];
    return -this.#gL + nu * (extrapolate && s[4] > 0 ? 2 * e2 - e1 : e1);
  }
}

function accumulate(V: ArrayLike<number>, I: ArrayLike<number>, p: ThresholdParams): ThresholdFluxAccumulator {
  const acc = new ThresholdFluxAccumulator(p);
  const v = checkFiniteArray('V', V);
  const c = checkFiniteArray('I', I, v.length);
  if (v.length === 0) throw new ValidationError('V.length', 'at least 1 sample', 0);
  for (let k = 0; k < v.length; k++) acc.add(v[k], c[k]);
  return acc;
}

/**
 * Rice (threshold-flux) estimate of the firing rate (Hz) from state samples (V, I) of a
 * stationary neuron taken at equally spaced times: 1000 × the net flux
 * (1/w) E[V̇ 1{V_th − w ≤ V < V_th}], V̇ = −(V − V_L)/τ_m + I (see
 * {@link ThresholdFluxAccumulator.rate}). At least one sample is required.
 */
export function riceRate(V: ArrayLike<number>, I: ArrayLike<number>, params: ThresholdParams): number {
  return finiteResult('threshold flux', accumulate(V, I, params).rate(), 'V', 'the samples V, I');
}

/** Options of {@link fluxLyapunov}: the neuron (with its reset) and the extrapolation switch. */
export interface FluxLyapunovParams extends ThresholdParams, FluxLyapunovOptions {
  /** Reset V_r, < V_th. Required here. */
  vReset: number;
}

/**
 * The "threshold flux × log saltation" Lyapunov formula from state samples:
 * λ_V = −1/τ_m + ν E_Palm[ln(1 + Δ/(τ_m A))], Δ = V_th − V_r (1/ms); see
 * {@link ThresholdFluxAccumulator.lyapunov}. At least one sample is required; NaN when none lies
 * in the strip below the threshold (documented: no data).
 */
export function fluxLyapunov(V: ArrayLike<number>, I: ArrayLike<number>, params: FluxLyapunovParams): number {
  const p = strictOptions<FluxLyapunovParams>('fluxLyapunov', 'params', params, FLUX_KEYS);
  if (p.vReset === undefined) throw new ValidationError('params.vReset', 'a finite number < vThreshold', undefined);
  const { extrapolate, ...neuron } = p;
  return finiteResult('flux Lyapunov sum', accumulate(V, I, neuron).lyapunov({ extrapolate }), 'V', 'the samples V, I');
}

/** Options of {@link saltationFactor}. */
export interface SaltationOptions {
  /** Membrane time constant τ_m (ms). */
  tauMem: number;
  /** Threshold V_th. */
  vThreshold: number;
  /** Reset V_r, < V_th. */
  vReset: number;
}

/** Saltation factor s(A) = 1 + (V_th − V_r)/(τ_m A) of a reset at crossing speed A > 0 (voltage units per ms). */
export function saltationFactor(A: number, options: SaltationOptions): number {
  const o = strictOptions<SaltationOptions>('saltationFactor', 'options', options, SALTATION_KEYS);
  checkPositive('A', A, 'voltage units per ms');
  const gL = 1 / checkTauMem('options.tauMem', o.tauMem);
  const vTh = checkFinite('options.vThreshold', o.vThreshold);
  const vReset = checkFinite('options.vReset', o.vReset);
  if (!(vReset < vTh)) throw new ValidationError('options.vReset', `a value < vThreshold = ${vTh}`, vReset);
  const s = 1 + (gL * (vTh - vReset)) / A;
  if (!Number.isFinite(s))
    throw new ValidationError('A', `a crossing speed for which 1 + (vThreshold − vReset)/(tauMem·A) is finite (here it overflows)`, A);
  return s;
}

const LYAPUNOV_KEYS = optionKeys<FluxLyapunovOptions>()(['extrapolate']);
const FLUX_KEYS = optionKeys<FluxLyapunovParams>()(['tauMem', 'vLeak', 'vThreshold', 'vReset', 'width', 'extrapolate']);
const SALTATION_KEYS = optionKeys<SaltationOptions>()(['tauMem', 'vThreshold', 'vReset']);

const SQRT_PI = 1.7724538509055159;
/** √2 |ζ(1/2)| (Fourcaud & Brunel 2002; Brunel et al. 2001). */
const FB_ALPHA = 2.0652531522312172;

/** ∫_a^b erfcx(−u) du by composite Gauss–Legendre (5 points on each of 400 panels). */
function siegertIntegral(a: number, b: number): number {
  const x = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
  const wt = [0.23692688505618908, 0.47862867049936647, 0.5688888888888889, 0.47862867049936647, 0.23692688505618908];
  const m = 400;
  const hw = (b - a) / m;
  let s = 0;
  for (let p = 0; p < m; p++) {
    const c = a + (p + 0.5) * hw;
    for (let k = 0; k < 5; k++) s += wt[k] * erfcx(-(c + 0.5 * hw * x[k]));
  }
  return 0.5 * hw * s;
}

/** Parameters of {@link lifRateColouredNoise}: dV/dt = −(V − V_L)/τ_m + I, I an OU current. */
export interface ColouredLifParams {
  /** Membrane time constant τ_m (ms). */
  tauMem: number;
  /** Leak (resting) potential V_L (voltage units). @default 0 */
  vLeak?: number;
  /** Threshold V_th (voltage units). */
  vThreshold: number;
  /** Reset V_r (voltage units, < V_th). */
  vReset: number;
  /** Synaptic (current correlation) time constant τ_s (ms). */
  tauSyn: number;
  /** Mean current μ (voltage units per ms). */
  mu: number;
  /** Stationary standard deviation σ of the current (voltage units per ms), ≥ 0. */
  sigma: number;
  /** Refractory period (ms). @default 0 */
  tRef?: number;
}

/** A network of such neurons for the mean-field estimates: per-neuron drive and the jump matrix. */
export interface ColouredLifNetwork extends Omit<ColouredLifParams, 'mu' | 'sigma'> {
  /** Mean current μ_i of each neuron (voltage units per ms); its length is n. */
  mu: ArrayLike<number>;
  /** Current standard deviation σ_i of each neuron (voltage units per ms), length n. */
  sigma: ArrayLike<number>;
  /** Jumps J[i·n + j] of I_i when j fires (voltage units per ms; positive or negative), length n². */
  J: ArrayLike<number>;
}

const LIF_KEYS = optionKeys<ColouredLifParams>()(['tauMem', 'vLeak', 'vThreshold', 'vReset', 'tauSyn', 'mu', 'sigma', 'tRef']);
export const NETWORK_KEYS = optionKeys<ColouredLifNetwork>()([
  'tauMem',
  'vLeak',
  'vThreshold',
  'vReset',
  'tauSyn',
  'tRef',
  'mu',
  'sigma',
  'J',
]);

/** Resolved neuron constants of a {@link ColouredLifParams} (argument names prefixed with `name.`). */
export function checkColouredLif(name: string, p: Omit<ColouredLifParams, 'mu' | 'sigma'>) {
  const tauM = checkTauMem(`${name}.tauMem`, p.tauMem);
  const vL = checkFinite(`${name}.vLeak`, p.vLeak ?? 0);
  const vTh = checkFinite(`${name}.vThreshold`, p.vThreshold);
  const vR = checkFinite(`${name}.vReset`, p.vReset);
  if (!(vR < vTh)) throw new ValidationError(`${name}.vReset`, `a value < vThreshold = ${vTh}`, vR);
  const tauS = checkPositive(`${name}.tauSyn`, p.tauSyn, 'ms');
  const tRef = checkNonNegative(`${name}.tRef`, p.tRef ?? 0, 'ms');
  return { tauMem: tauM, vLeak: vL, vThreshold: vTh, vReset: vR, tauSyn: tauS, tRef };
}

/**
 * The rate formula on checked constants. With tRef = 0 the rate diverges as vThreshold − vReset
 * → 0 (the interspike interval vanishes): an infinite rate is a ValidationError, not a result.
 */
function siegertRate(c: ReturnType<typeof checkColouredLif>, mu: number, sigma: number): number {
  const nu = siegertRaw(c, mu, sigma);
  if (!Number.isFinite(nu))
    throw new ValidationError(
      'vThreshold',
      `a threshold far enough above vReset = ${c.vReset} (or tRef > 0) for a finite rate; the interspike interval underflows to 0`,
      c.vThreshold,
    );
  return nu;
}

function siegertRaw(c: ReturnType<typeof checkColouredLif>, mu: number, sigma: number): number {
  const tauM = c.tauMem;
  const gL = 1 / tauM;
  const muV = c.vLeak + mu / gL;
  if (sigma === 0) {
    if (muV <= c.vThreshold) return 0;
    return 1000 / (c.tRef + tauM * Math.log((muV - c.vReset) / (muV - c.vThreshold)));
  }
  const sV = sigma * Math.sqrt(2 * c.tauSyn * tauM);
  const shift = sV * (FB_ALPHA / 2) * Math.sqrt(c.tauSyn / tauM);
  const yTh = (c.vThreshold + shift - muV) / sV;
  const yR = (c.vReset + shift - muV) / sV;
  if (yTh > 26) return 0;
  return 1000 / (c.tRef + tauM * SQRT_PI * siegertIntegral(yR, yTh));
}

/**
 * Stationary rate (Hz) of dV = [−(V − V_L)/τ_m + I]dt with I an Ornstein–Uhlenbeck current of
 * mean μ, std σ and correlation time τ_s: the Siegert (white-noise) formula
 * 1/ν = t_ref + τ_m √π ∫_{(V_r−μ_V)/σ_V}^{(V_th−μ_V)/σ_V} e^{u²}(1 + erf u) du,
 * μ_V = V_L + μ τ_m, σ_V = σ √(2 τ_s τ_m), and both bounds shifted by the Fourcaud–Brunel
 * coloured-noise correction σ_V (α/2) √(τ_s/τ_m), α = √2 |ζ(1/2)|. Accurate for τ_s ≪ τ_m; an
 * approximation otherwise. σ = 0 gives the deterministic rate (0 below threshold).
 * @example
 * ```ts
 * lifRateColouredNoise({ tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.055, sigma: 0.02 }); // Hz
 * ```
 */
export function lifRateColouredNoise(params: ColouredLifParams): number {
  const p = strictOptions<ColouredLifParams>('lifRateColouredNoise', 'params', params, LIF_KEYS);
  const c = checkColouredLif('params', p);
  const mu = checkFinite('params.mu', p.mu, 'voltage units per ms');
  const sigma = checkNonNegative('params.sigma', p.sigma, 'voltage units per ms');
  return siegertRate(c, mu, sigma);
}

/** Options of {@link loopTruncatedRates}. */
export interface LoopRatesOptions {
  /** Number of iterations (loop order), in [0, 1000]. @default 8 */
  order?: number;
}

/** Result of {@link loopTruncatedRates}. */
export type LoopTruncatedRates = StatsResult<
  'stats.loopTruncatedRates',
  {
    /** Every iterate ν^{(0)} … ν^{(order)}, each of length n (Hz). */
    iterates: Float64Array[];
    /** The last iterate (Hz). */
    rateHz: Float64Array;
  }
>;

/** Checks a {@link ColouredLifNetwork}; returns its constants and arrays. */
export function checkColouredNetwork(name: string, network: ColouredLifNetwork) {
  const net = strictOptions<ColouredLifNetwork>(name === 'network' ? 'a mean-field network' : name, name, network, NETWORK_KEYS);
  const c = checkColouredLif(name, net);
  const m = checkFiniteArray(`${name}.mu`, net.mu);
  const n = m.length;
  if (n === 0) throw new ValidationError(`${name}.mu.length`, 'at least 1 neuron', 0);
  if (n > 4096) throw new ValidationError(`${name}.mu.length`, 'at most 4096 neurons', n);
  const s = checkFiniteArray(`${name}.sigma`, net.sigma, n, (nm, v) => {
    if (!(v >= 0)) throw new ValidationError(nm, 'a finite number >= 0 (voltage units per ms)', v);
  });
  const j = checkFiniteArray(`${name}.J`, net.J, n * n);
  return { c, m, s, j, n };
}

function iterateRates(
  c: ReturnType<typeof checkColouredLif>,
  m: Float64Array,
  s: Float64Array,
  j: Float64Array,
  order: number,
): Float64Array[] {
  const n = m.length;
  const tau = c.tauSyn;
  const out: Float64Array[] = [];
  let nu = Float64Array.from(m, (mi, i) => siegertRate(c, mi, s[i]));
  out.push(nu);
  for (let l = 0; l < order; l++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let dm = 0;
      let dv = 0;
      for (let k = 0; k < n; k++) {
        const r = nu[k] / 1000;
        dm += j[i * n + k] * r;
        dv += j[i * n + k] ** 2 * r;
      }
      next[i] = siegertRate(c, m[i] + tau * dm, Math.sqrt(s[i] ** 2 + (tau * dv) / 2));
    }
    nu = next;
    out.push(nu);
  }
  return out;
}

/**
 * Loop-truncated mean-field rates of a network of such neurons with synaptic jumps J (J[i·n + j] =
 * jump of I_i when j fires; positive or negative): iterate
 * ν^{(l+1)}_i = F(μ_i + τ_s Σ_j J_ij ν^{(l)}_j, √(σ_i² + τ_s Σ_j J_ij² ν^{(l)}_j / 2)), ν^{(0)} = F(μ_i, σ_i),
 * with F = {@link lifRateColouredNoise} (shot-noise mean τ_s J ν and variance τ_s J² ν/2 of
 * exponential synapses). Iterate l collects every synaptic path of length ≤ l, so for a layered
 * feedforward net of depth D the iteration is exact (in mean field) after D steps, and for a
 * recurrent net iterate l truncates loops at order l (research note §1.1, item 11: "loop-truncated"
 * estimates). Returns all iterates (Hz).
 */
export function loopTruncatedRates(network: ColouredLifNetwork, options: LoopRatesOptions = {}): LoopTruncatedRates {
  const o = strictOptions<LoopRatesOptions>('loopTruncatedRates', 'options', options, LOOP_RATES_KEYS);
  const { c, m, s, j } = checkColouredNetwork('network', network);
  const order = checkInteger('options.order', o.order ?? 8, 0, 1000);
  const iterates = iterateRates(c, m, s, j, order);
  return statsResult('stats.loopTruncatedRates', { iterates, rateHz: iterates[iterates.length - 1] });
}

/** @internal The iteration on checked inputs, for {@link loopTruncatedCovariance}. */
export { iterateRates as loopTruncatedIterates, siegertRate as colouredLifRate };

const LOOP_RATES_KEYS = optionKeys<LoopRatesOptions>()(['order']);
