/**
 * Crossing-speed (threshold-flux) statistics of current-based LIF neurons, after the seed
 * (000_a5327dcba9ecafc1, abstract) and its reconstruction in research/lif-ltn.md §1.5–1.6.
 *
 * A spike is a threshold hit of a deterministically advected voltage; its crossing speed is
 * A = V̇(t⁻) = I − I_th with I_th = g_L (V_th − V_L). With p(v, c) the stationary density of (V, I):
 * - Rice / threshold-flux rate: ν = ∫_0^∞ a p(V_th, I_th + a) da;
 * - Palm (per-spike) density of A: a p(V_th, I_th + a)/ν;
 * - near-tangential spikes: E #{A < α} ≈ T ρ α²/2 with ρ = p(V_th, I_th⁺), so P_Palm(A < α)/α² → ρ/(2ν);
 * - E[A⁻² 1{A ≥ α}] grows like log(1/α) (the seed's threshold-flux estimate);
 * - saltation factor s(A) = 1 + g_L (V_th − V_r)/A and λ_V = −g_L + ν E_Palm[ln s(A)].
 * All functions here are pure and work on plain arrays of samples.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkFiniteArray, checkInteger, checkNonNegative, checkPositive } from '../kernel/validate.js';
import { erfcx } from './special.js';

/** Per-α statistics of crossing speeds returned by {@link crossingSpeedStatistics}. */
export interface CrossingSpeedRow {
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

/**
 * Palm statistics of crossing speeds A (one value per spike) at each α: the near-tangential
 * fraction P(A < α), P(A < α)/α², and E[A⁻² 1{A ≥ α}] (per spike and, with `duration` = total
 * neuron-time observed in ms, per unit time).
 * @example
 * ```ts
 * crossingSpeedStatistics(spikes.A, { alphas: [0.01, 0.005, 0.0025], duration: n * T });
 * ```
 */
export function crossingSpeedStatistics(A: ArrayLike<number>, o: { alphas: ArrayLike<number>; duration?: number }): CrossingSpeedRow[] {
  const a = checkFiniteArray('A', A);
  const alphas = checkFiniteArray('alphas', o.alphas, undefined, (nm, v) => {
    if (!(v > 0)) throw new ValidationError(nm, 'a finite number > 0', v);
  });
  const dur = o.duration === undefined ? Number.NaN : checkPositive('duration', o.duration, 'ms');
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
      nearTangentialOverAlpha2: p / (alpha * alpha),
      inverseSquare: n ? inv / n : Number.NaN,
      inverseSquarePerTime: inv / dur,
    };
  });
}

/**
 * Histogram density estimate of the Palm distribution of A on [0, max] with `bins` bins
 * (values outside are counted in the normalisation, so the density integrates to the fraction
 * inside). @default bins 40, max = the 99th percentile × 1.25
 */
export function palmDensity(
  A: ArrayLike<number>,
  o: { bins?: number; max?: number } = {},
): { centre: Float64Array; density: Float64Array } {
  const a = checkFiniteArray('A', A);
  const bins = checkInteger('bins', o.bins ?? 40, 1, 1 << 20);
  let max = o.max;
  if (max === undefined) {
    const s = Array.from(a).sort((x, y) => x - y);
    max = s.length ? 1.25 * s[Math.min(s.length - 1, Math.floor(0.99 * s.length))] : 1;
    if (!(max > 0)) max = 1;
  }
  checkPositive('max', max);
  const w = max / bins;
  const d = new Float64Array(bins);
  for (const x of a) if (x >= 0 && x < max) d[Math.floor(x / w)]++;
  const nrm = a.length ? 1 / (a.length * w) : 0;
  return { centre: Float64Array.from({ length: bins }, (_, k) => (k + 0.5) * w), density: d.map((c) => c * nrm) };
}

/** Neuron constants needed by the flux estimators. */
export interface ThresholdParams {
  /** Leak conductance g_L (1/ms). */
  gL: number;
  /** Leak reversal V_L. @default 0 */
  vL?: number;
  /** Threshold V_th. */
  vTh: number;
  /** Reset V_r (flux Lyapunov only). */
  vReset?: number;
  /** Width w of the strip [V_th − w, V_th) used as the threshold density. */
  width: number;
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
  /** [strip w, strip w/2] × [ΣV̇, ΣA⁺, ΣA⁺ ln s(A)]. */
  readonly sums = new Float64Array(6);
  /** Samples seen. */
  count = 0;

  constructor(p: ThresholdParams) {
    this.#gL = checkPositive('params.gL', p.gL, '1/ms');
    this.#vL = checkFinite('params.vL', p.vL ?? 0);
    this.#vTh = checkFinite('params.vTh', p.vTh);
    this.#w = checkPositive('params.width', p.width);
    const vR = p.vReset === undefined ? this.#vTh - 1 : checkFinite('params.vReset', p.vReset);
    if (!(vR < this.#vTh)) throw new ValidationError('params.vReset', `a value < vTh = ${this.#vTh}`, vR);
    if (!(this.#w < this.#vTh - vR)) throw new ValidationError('params.width', `a width < vTh − vReset = ${this.#vTh - vR}`, this.#w);
    this.#iTh = this.#gL * (this.#vTh - this.#vL);
    this.#gd = this.#gL * (this.#vTh - vR);
  }

  /** Adds one sample. */
  add(V: number, I: number): void {
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
    for (let k = 0; k < 6; k++) this.sums[k] += o.sums[k];
    this.count += o.count;
  }

  /**
   * Rate ν (1/ms): net flux through the strip, (1/w) E[V̇ 1{V ∈ strip}]. For a stationary neuron
   * every level between V_r and V_th is crossed net once per interspike interval, so this is ν
   * for any strip width; as w → 0 it is the Rice integral ∫ a⁺ p(V_th, I_th + a) da.
   */
  rate(): number {
    return this.sums[0] / (this.#w * this.count);
  }

  /**
   * λ_V = −g_L + ν E_Palm[ln s(A)], with ν from {@link ThresholdFluxAccumulator.rate} and the Palm
   * law of A taken as the A⁺-weighted law of I − I_th in the strip (its bias is O(w); removed to
   * first order by Richardson extrapolation over the strips w and w/2 unless `extrapolate` is false).
   */
  lyapunov(extrapolate = true): number {
    const s = this.sums;
    const nu = this.rate();
    const e1 = s[2] / s[1];
    const e2 = s[5] / s[4];
    return -this.#gL + nu * (extrapolate && s[4] > 0 ? 2 * e2 - e1 : e1);
  }
}

function accumulate(V: ArrayLike<number>, I: ArrayLike<number>, p: ThresholdParams): ThresholdFluxAccumulator {
  const v = checkFiniteArray('V', V);
  const c = checkFiniteArray('I', I, v.length);
  const acc = new ThresholdFluxAccumulator(p);
  for (let k = 0; k < v.length; k++) acc.add(v[k], c[k]);
  return acc;
}

/**
 * Rice (threshold-flux) estimate of the firing rate (1/ms) from state samples (V, I) of a
 * stationary neuron taken at equally spaced times: the net flux (1/w) E[V̇ 1{V_th − w ≤ V < V_th}],
 * V̇ = −g_L(V − V_L) + I (see {@link ThresholdFluxAccumulator.rate}). Multiply by 1000 for Hz.
 */
export function riceRate(V: ArrayLike<number>, I: ArrayLike<number>, params: ThresholdParams): number {
  return accumulate(V, I, params).rate();
}

/**
 * The "threshold flux × log saltation" Lyapunov formula from state samples:
 * λ_V = −g_L + ν E_Palm[ln(1 + g_L Δ/A)], Δ = V_th − V_r (1/ms); see
 * {@link ThresholdFluxAccumulator.lyapunov}.
 */
export function fluxLyapunov(
  V: ArrayLike<number>,
  I: ArrayLike<number>,
  params: ThresholdParams,
  o: { extrapolate?: boolean } = {},
): number {
  if (params?.vReset === undefined) throw new ValidationError('params.vReset', 'a finite number', undefined);
  return accumulate(V, I, params).lyapunov(o.extrapolate ?? true);
}

/** Saltation factor s(A) = 1 + g_L (V_th − V_r)/A of a reset at crossing speed A > 0. */
export function saltationFactor(A: number, gL: number, vTh: number, vReset: number): number {
  checkPositive('A', A);
  checkPositive('gL', gL, '1/ms');
  if (!(vReset < vTh)) throw new ValidationError('vReset', `a value < vTh = ${vTh}`, vReset);
  return 1 + (gL * (vTh - vReset)) / A;
}

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

/** Parameters of {@link lifRateColouredNoise}. */
export interface ColouredLifParams {
  /** g_L (1/ms). */
  gL: number;
  /** V_L. @default 0 */
  vL?: number;
  vTh: number;
  vReset: number;
  /** Synaptic time constant τ_s (ms). */
  tauSyn: number;
  /** Mean current μ. */
  mu: number;
  /** Stationary std σ of the current. */
  sigma: number;
  /** Refractory period (ms). @default 0 */
  tRef?: number;
}

/**
 * Stationary rate (Hz) of dV = [−g_L(V − V_L) + I]dt with I an Ornstein–Uhlenbeck current of mean μ,
 * std σ and correlation time τ_s: the Siegert (white-noise) formula
 * 1/ν = t_ref + τ_m √π ∫_{(V_r−μ_V)/σ_V}^{(V_th−μ_V)/σ_V} e^{u²}(1 + erf u) du with τ_m = 1/g_L,
 * μ_V = V_L + μ/g_L, σ_V = σ √(2 τ_s τ_m), and both bounds shifted by the Fourcaud–Brunel
 * coloured-noise correction σ_V (α/2) √(τ_s/τ_m), α = √2 |ζ(1/2)|. Accurate for τ_s ≪ τ_m; an
 * approximation otherwise. σ = 0 gives the deterministic rate (0 below threshold).
 */
export function lifRateColouredNoise(p: ColouredLifParams): number {
  const gL = checkPositive('gL', p.gL, '1/ms');
  const vL = checkFinite('vL', p.vL ?? 0);
  const vTh = checkFinite('vTh', p.vTh);
  const vR = checkFinite('vReset', p.vReset);
  if (!(vR < vTh)) throw new ValidationError('vReset', `a value < vTh = ${vTh}`, vR);
  const tauS = checkPositive('tauSyn', p.tauSyn, 'ms');
  const mu = checkFinite('mu', p.mu);
  const sigma = checkNonNegative('sigma', p.sigma);
  const tRef = checkNonNegative('tRef', p.tRef ?? 0, 'ms');
  const tauM = 1 / gL;
  const muV = vL + mu / gL;
  if (sigma === 0) {
    if (muV <= vTh) return 0;
    return 1000 / (tRef + tauM * Math.log((muV - vR) / (muV - vTh)));
  }
  const sV = sigma * Math.sqrt(2 * tauS * tauM);
  const shift = sV * (FB_ALPHA / 2) * Math.sqrt(tauS / tauM);
  const yTh = (vTh + shift - muV) / sV;
  const yR = (vR + shift - muV) / sV;
  if (yTh > 26) return 0;
  return 1000 / (tRef + tauM * SQRT_PI * siegertIntegral(yR, yTh));
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
export function loopTruncatedRates(
  base: Omit<ColouredLifParams, 'mu' | 'sigma'>,
  mu: ArrayLike<number>,
  sigma: ArrayLike<number>,
  J: ArrayLike<number>,
  order: number,
): Float64Array[] {
  const m = checkFiniteArray('mu', mu);
  const n = m.length;
  const s = checkFiniteArray('sigma', sigma, n);
  const j = checkFiniteArray('J', J, n * n);
  checkInteger('order', order, 0, 1000);
  const tau = base.tauSyn;
  const out: Float64Array[] = [];
  let nu = Float64Array.from(m, (mi, i) => lifRateColouredNoise({ ...base, mu: mi, sigma: s[i] }));
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
      next[i] = lifRateColouredNoise({ ...base, mu: m[i] + tau * dm, sigma: Math.sqrt(s[i] ** 2 + (tau * dv) / 2) });
    }
    nu = next;
    out.push(nu);
  }
  return out;
}
