/**
 * Loop-truncated synchrony estimate for recurrent LIF networks: long-window spike-count
 * covariances, pairwise correlations and a count-based Golomb χ from the linear response of each
 * neuron's rate, expanded in synaptic paths and truncated at a given path length (our
 * reconstruction of the "rate & synchronicity estimates" of seed 000_a5327dcba9ecafc1, abstract;
 * derivation in docs/numerics.md, "Loop-truncated synchrony").
 *
 * C = Σ_{a+b ≤ L} K^a C⁰ (Kᵀ)^b,  K_ij = τ_s J_ij ∂ν_i/∂μ_i,  C⁰ = diag(ν_i CV_i²)
 * (per unit time: Cov(N_i(T_w), N_j(T_w)) ≈ C_ij T_w for windows T_w much longer than τ_s, τ_m
 * and 1/ν).
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/index.js';
import { checkFinite, checkInteger, checkNonNegative, checkPositive } from '../kernel/validate.js';
import {
  type ColouredLifNetwork,
  type ColouredLifParams,
  checkColouredLif,
  checkColouredNetwork,
  colouredLifRate,
  loopTruncatedIterates,
} from './crossing.js';
import { type StatsResult, statsResult } from './result.js';
import { erfcx } from './special.js';

const FB_ALPHA = 2.0652531522312172;

/**
 * Coefficient of variation of the interspike intervals of the LIF neuron of
 * {@link lifRateColouredNoise} (white-noise diffusion approximation, Brunel 2000, App. A; same
 * Fourcaud–Brunel shifted bounds y_r, y_th as the rate):
 * CV² = 2π (ν τ_m)² ∫_{y_r}^{y_th} e^{x²} ∫_{−∞}^{x} e^{y²}(1 + erf y)² dy dx,
 * with e^{y²}(1 + erf y)² = erfcx(−y)² e^{−y²} (computed that way to avoid overflow), trapezoid rule
 * on 4 000 panels. σ = 0 gives 0 (periodic firing); a silent neuron gives NaN (documented: the ISI
 * distribution does not exist).
 * @example
 * ```ts
 * lifCvColouredNoise({ tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0.045, sigma: 0.02 }); // ≈ 0.7
 * ```
 */
export function lifCvColouredNoise(params: ColouredLifParams): number {
  const p = strictOptions<ColouredLifParams>('lifCvColouredNoise', 'params', params, LIF_KEYS);
  const c = checkColouredLif('params', p);
  const mu = checkFinite('params.mu', p.mu, 'voltage units per ms');
  const sigma = checkNonNegative('params.sigma', p.sigma, 'voltage units per ms');
  return cvOf(c, mu, sigma);
}

function cvOf(c: ReturnType<typeof checkColouredLif>, mu: number, sigma: number): number {
  const nuHz = colouredLifRate(c, mu, sigma);
  if (!(nuHz > 0)) return Number.NaN;
  if (sigma === 0) return 0;
  const tauM = c.tauMem;
  const gL = 1 / tauM;
  const tauS = c.tauSyn;
  const muV = c.vLeak + mu / gL;
  const sV = sigma * Math.sqrt(2 * tauS * tauM);
  const shift = sV * (FB_ALPHA / 2) * Math.sqrt(tauS / tauM);
  const yTh = (c.vThreshold + shift - muV) / sV;
  const yR = (c.vReset + shift - muV) / sV;
  const lo = Math.min(yR, 0) - 8;
  const N = 4000;
  const dy = (yTh - lo) / N;
  const g = (y: number) => erfcx(-y) ** 2 * Math.exp(-y * y);
  let inner = 0;
  let prevG = g(lo);
  let prevOuter = 0;
  let outer = 0;
  for (let k = 1; k <= N; k++) {
    const y = lo + k * dy;
    const gy = g(y);
    inner += 0.5 * dy * (prevG + gy);
    prevG = gy;
    const f = y >= yR ? Math.exp(y * y) * inner : 0;
    if (y - dy >= yR) outer += 0.5 * dy * (prevOuter + f);
    else if (y >= yR) outer += (y - yR) * f; // first partial panel (left end value ≈ f)
    prevOuter = f;
  }
  const nuTau = (nuHz / 1000) * tauM;
  return Math.sqrt(2 * Math.PI * nuTau * nuTau * outer);
}

/** Options of {@link loopTruncatedCovariance}. */
export interface LoopCovarianceOptions {
  /** Path-length truncation L of the covariance series (and of the rate iteration). @default 2 */
  order?: number;
  /** Iterations of the loop-truncated rate iteration (its own truncation). @default max(order, 8) */
  rateOrder?: number;
  /** Validity limit on the spectral radius of |K| (the series converges for ρ(K) < 1). @default 0.5 */
  maxLoopGain?: number;
  /** Validity limit on max |J_ij|/σ_eff,i (linear response to single synaptic events). @default 0.5 */
  maxJumpOverSigma?: number;
}

const LIF_KEYS = optionKeys<ColouredLifParams>()(['tauMem', 'vLeak', 'vThreshold', 'vReset', 'tauSyn', 'mu', 'sigma', 'tRef']);
const COV_KEYS = optionKeys<LoopCovarianceOptions>()(['order', 'rateOrder', 'maxLoopGain', 'maxJumpOverSigma']);

/** Fields of {@link LoopCovarianceEstimate}. */
export interface LoopCovarianceFields {
  /** Loop-truncated rates (Hz) at `rateOrder`. */
  rateHz: Float64Array;
  /** Effective input mean and std of each neuron at those rates. */
  muEff: Float64Array;
  /** Effective current std σ_eff,i = √(σ_i² + τ_s Σ_k J_ik² ν_k/2) (voltage units per ms, ν in 1/ms). */
  sigmaEff: Float64Array;
  /** Rate gain ∂ν_i/∂μ (Hz per unit current). */
  gainHz: Float64Array;
  /** ISI CV of each neuron (white-noise formula, shifted bounds). */
  cv: Float64Array;
  /** Linear propagator K (n×n, row-major): extra spikes of i per spike of j. */
  K: Float64Array;
  /** Long-window count covariance per unit time (n×n, 1/s): Cov(N_i, N_j) ≈ C_ij·T_w[s]. */
  covariance: Float64Array;
  /** Mean pairwise count correlation ρ_ij = C_ij/√(C_ii C_jj) over i ≠ j. */
  meanCorrelation: number;
  /** Count-based Golomb χ: χ² = Σ_ij C_ij / (n Σ_i C_ii). */
  countChi: number;
  /** Spectral radius of |K| (upper bound for ρ(K)) and the worst |J|/σ_eff. */
  loopGain: number;
  /** max |J_ij| / min_i σ_eff,i (dimensionless; ∞ if some σ_eff is 0). */
  jumpOverSigma: number;
  /** Relative change of the rates in the last rate iteration. */
  rateResidual: number;
  /** Whether the estimate is inside its validity domain; `reason` says why not. */
  valid: boolean;
  /** Why the estimate is not valid, reasons joined by "; " (empty when valid). */
  reason: string;
}

/** Result of {@link loopTruncatedCovariance} (kind `'stats.loopCovariance'`, with `toJSON()`). */
export type LoopCovarianceEstimate = StatsResult<'stats.loopCovariance', LoopCovarianceFields>;

/**
 * Loop-truncated estimate of long-window spike-count covariances in a recurrent network
 * (J[i·n + j] = jump of I_i when j fires, jump convention). Linear-response path expansion:
 * a spike of j adds J_ij e^{−t/τ_s} to I_i, i.e. a current pulse of area τ_s J_ij, which changes
 * the expected spike count of i by K_ij = τ_s J_ij ∂ν_i/∂μ (zero-frequency gain). Counts of
 * independent renewal neurons have variance ν_i CV_i² per unit time (C⁰). Propagating each
 * neuron's own fluctuations along synaptic paths, C = Σ_{a+b ≤ L} K^a C⁰ (Kᵀ)^b: L = 1 keeps direct
 * connections (K C⁰ + C⁰ Kᵀ), L = 2 adds shared input through one synapse each (K C⁰ Kᵀ) and
 * paths of length 2, and L → ∞ gives (1 − K)⁻¹ C⁰ (1 − Kᵀ)⁻¹. Never throws on strong coupling:
 * it reports `valid = false` with a reason (loop gain, jump size, or unconverged rates).
 * @example
 * ```ts
 * const e = loopTruncatedCovariance({ tauMem: 20, vThreshold: 1, vReset: 0, tauSyn: 5, mu, sigma, J }, { order: 2 });
 * if (e.valid) console.log(e.meanCorrelation, e.countChi);
 * ```
 */
export function loopTruncatedCovariance(network: ColouredLifNetwork, options: LoopCovarianceOptions = {}): LoopCovarianceEstimate {
  const o = strictOptions<LoopCovarianceOptions>('loopTruncatedCovariance', 'options', options, COV_KEYS);
  const { c, m, s, j: jj, n } = checkColouredNetwork('network', network);
  const L = checkInteger('options.order', o.order ?? 2, 0, 100);
  const rateOrder = checkInteger('options.rateOrder', o.rateOrder ?? Math.max(L, 8), 1, 1000);
  const maxGain = checkPositive('options.maxLoopGain', o.maxLoopGain ?? 0.5);
  const maxJ = checkPositive('options.maxJumpOverSigma', o.maxJumpOverSigma ?? 0.5);
  const tau = c.tauSyn;
  const it = loopTruncatedIterates(c, m, s, jj, rateOrder);
  const nu = it[it.length - 1];
  const prev = it[it.length - 2];
  let rateResidual = 0;
  for (let i = 0; i < n; i++) rateResidual = Math.max(rateResidual, Math.abs(nu[i] - prev[i]) / Math.max(nu[i], 1e-9));
  const muEff = new Float64Array(n);
  const sigmaEff = new Float64Array(n);
  const gain = new Float64Array(n);
  const cv = new Float64Array(n);
  const cache = new Map<string, [number, number]>();
  let jumpOverSigma = 0;
  for (let i = 0; i < n; i++) {
    let dm = 0;
    let dv = 0;
    for (let k = 0; k < n; k++) {
      const r = prev[k] / 1000; // the inputs of iterate `rateOrder` (same as loopTruncatedRates)
      dm += jj[i * n + k] * r;
      dv += jj[i * n + k] ** 2 * r;
      if (jj[i * n + k] !== 0) jumpOverSigma = Math.max(jumpOverSigma, Math.abs(jj[i * n + k]));
    }
    muEff[i] = m[i] + tau * dm;
    sigmaEff[i] = Math.sqrt(s[i] ** 2 + (tau * dv) / 2);
    const keyStr = `${muEff[i]}|${sigmaEff[i]}`;
    let gc = cache.get(keyStr);
    if (!gc) {
      const d = 1e-3 * Math.max(sigmaEff[i], 1e-4);
      const f = (x: number) => colouredLifRate(c, x, sigmaEff[i]);
      gc = [(f(muEff[i] + d) - f(muEff[i] - d)) / (2 * d), cvOf(c, muEff[i], sigmaEff[i])];
      cache.set(keyStr, gc);
    }
    gain[i] = gc[0];
    cv[i] = gc[1];
  }
  let minSigma = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) minSigma = Math.min(minSigma, sigmaEff[i]);
  jumpOverSigma = jumpOverSigma === 0 ? 0 : minSigma > 0 ? jumpOverSigma / minSigma : Number.POSITIVE_INFINITY;
  // K in per-spike units: τ_s [ms] · J · gain [1/ms per unit current].
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) K[i * n + j] = tau * jj[i * n + j] * (gain[i] / 1000);
  // Spectral radius of |K| by power iteration (Perron root of a nonnegative matrix).
  let x = new Float64Array(n).fill(1 / Math.sqrt(n));
  let loopGain = 0;
  for (let q = 0; q < 200; q++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = 0;
      for (let j = 0; j < n; j++) a += Math.abs(K[i * n + j]) * x[j];
      y[i] = a;
    }
    let ss = 0;
    for (let i = 0; i < n; i++) ss += y[i] * y[i];
    const nr = Math.sqrt(ss);
    if (!(nr > 0)) {
      loopGain = 0;
      break;
    }
    const g = nr;
    for (let i = 0; i < n; i++) y[i] /= nr;
    const done = Math.abs(g - loopGain) < 1e-10 * g;
    loopGain = g;
    x = y;
    if (done) break;
  }
  // C⁰ per second: ν [Hz] · CV².
  const C0 = Float64Array.from(nu, (v, i) => v * cv[i] * cv[i]);
  // M_l = Σ_{a+b=l} K^a C⁰ (Kᵀ)^b = K M_{l−1} + C⁰ (Kᵀ)^l; Q_l = C⁰ (Kᵀ)^l = Q_{l−1} Kᵀ.
  const mul = (A: Float64Array, B: Float64Array, bT: boolean) => {
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const a = A[i * n + k];
        if (a === 0) continue;
        for (let j = 0; j < n; j++) out[i * n + j] += a * (bT ? B[j * n + k] : B[k * n + j]);
      }
    return out;
  };
  let M = new Float64Array(n * n);
  let Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    M[i * n + i] = C0[i];
    Q[i * n + i] = C0[i];
  }
  const C = M.slice();
  for (let l = 1; l <= L; l++) {
    Q = mul(Q, K, true);
    const KM = mul(K, M, false);
    M = KM.map((v, k) => v + Q[k]);
    for (let k = 0; k < n * n; k++) C[k] += M[k];
  }
  let sumRho = 0;
  let pairs = 0;
  let all = 0;
  let diag = 0;
  for (let i = 0; i < n; i++) {
    diag += C[i * n + i];
    for (let j = 0; j < n; j++) {
      all += C[i * n + j];
      if (j !== i && C[i * n + i] > 0 && C[j * n + j] > 0) {
        sumRho += C[i * n + j] / Math.sqrt(C[i * n + i] * C[j * n + j]);
        pairs++;
      }
    }
  }
  const reasons: string[] = [];
  if (!(loopGain < maxGain)) reasons.push(`loop gain ρ(|K|) = ${loopGain.toPrecision(3)} ≥ ${maxGain}: the path expansion is not small`);
  if (!(jumpOverSigma < maxJ))
    reasons.push(`max |J|/σ_eff = ${jumpOverSigma.toPrecision(3)} ≥ ${maxJ}: single events are not small perturbations`);
  if (!(rateResidual < 0.01)) reasons.push(`rate iteration not converged (relative change ${rateResidual.toPrecision(3)})`);
  if (nu.some((v) => !(v > 0))) reasons.push('a neuron is silent in mean field: its gain and CV are undefined');
  if (n > 1 && !(diag > 0)) reasons.push('no count variance');
  return statsResult('stats.loopCovariance', {
    rateHz: nu,
    muEff,
    sigmaEff,
    gainHz: gain,
    cv,
    K,
    covariance: C,
    meanCorrelation: pairs ? sumRho / pairs : Number.NaN,
    countChi: diag > 0 ? Math.sqrt(Math.max(0, all) / (n * diag)) : Number.NaN,
    loopGain,
    jumpOverSigma,
    rateResidual,
    valid: reasons.length === 0,
    reason: reasons.join('; '),
  });
}
