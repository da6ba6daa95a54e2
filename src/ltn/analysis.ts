/**
 * Equilibria, the LTN_γ → PDS gap study, and the stability report of a network (seed 004;
 * lif-ltn.md §2.2–2.4).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkFiniteArray, checkInteger, checkOptions, checkPositive } from '../kernel/validate.js';
import { Streams, uniforms } from '../rng/index.js';
import type { Seed } from '../rng/seed.js';
import { ltnSimulate, pdsSimulate } from './dynamics.js';
import { lcpEnumerate, lcpLemke, lcpPrincipalPivoting, lcpProjected, lcpResidual, lcpW } from './lcp.js';
import { symEig } from './linalg.js';
import {
  type HMatrixResult,
  isHMatrix,
  isMMatrix,
  isPMatrix,
  type LdsTestResult,
  ldsTest,
  lyapSym,
  type MMatrixResult,
  type PdsBestRate,
  type PMatrixResult,
  pdsBestRate,
  pdsRateBound,
} from './matrix.js';
import { checkNetwork, type LtnNet, type LtnNetworkSpec } from './network.js';

/**
 * The member LTN_γ of the one-parameter family written as a plain LTN: d_γ = γd,
 * W_γ = W + (γ − 1)D, same u (our reconstruction, lif-ltn.md §2.3 [R]). D_γ − W_γ = D − W for every γ.
 * @example
 * ```ts
 * ltnFamilyMember({ d: [2], W: [[0.5]], u: [1] }, 10); // { d: [20], W: [[18.5]], u: [1] }
 * ```
 */
export function ltnFamilyMember(spec: LtnNetworkSpec, gamma: number): { d: number[]; W: number[][]; u: LtnNetworkSpec['u'] } {
  const net = checkNetwork(spec);
  const g = checkPositive('gamma', gamma);
  const { n, d, W } = net;
  const Wg: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) row.push(W[i * n + j] + (i === j ? (g - 1) * d[i] : 0));
    Wg.push(row);
  }
  return { d: Array.from(d, (v) => g * v), W: Wg, u: net.u ? Array.from(net.u) : (net.uFn ?? undefined) };
}

/** M = D − W as rows (the LCP matrix; γ-independent across LTN_γ). */
export function ltnMatrix(spec: LtnNetworkSpec): number[][] {
  const { n, M } = checkNetwork(spec);
  return Array.from({ length: n }, (_, i) => Array.from(M.subarray(i * n, i * n + n)));
}

/** Options of {@link ltnEquilibria}. */
export interface LtnEquilibriaOptions {
  /**
   * "enumerate": all isolated solutions by support enumeration (n ≤ 16); "pivoting": Murty's
   * principal pivoting (P-matrices); "lemke": Lemke's algorithm; "projected": the projected
   * iteration x ← [x − h(Mx − u)]_+ with the step from an LDS certificate (LDS only);
   * "auto": enumerate for n ≤ 12, else pivoting, falling back to Lemke.
   * @default "auto"
   */
  method?: 'auto' | 'enumerate' | 'pivoting' | 'lemke' | 'projected';
}

/** Result of {@link ltnEquilibria}. */
export interface LtnEquilibria {
  /** Equilibria x* (solutions of LCP(−u, D − W)); all isolated ones for "enumerate". */
  equilibria: Float64Array[];
  /** Method used. */
  method: string;
  /** Pivots / sweeps of the single-solution methods (0 for enumeration). */
  iterations: number;
  /** Largest natural-map residual ‖min(x, Mx − u)‖_∞ over the listed equilibria. */
  residual: number;
  /** Enumeration only: supports with a singular block (possible continua, not listed). */
  singularSupports?: number;
}

/**
 * Equilibria of ẋ = −Dx + [Wx + u]_+ (and of every LTN_γ, the PDS and the slow limit): the LCP
 * x ≥ 0, Mx − u ≥ 0, xᵀ(Mx − u) = 0 with M = D − W. Constant u only.
 * @example
 * ```ts
 * ltnEquilibria({ d: [1, 1], W: [[0, -2], [-2, 0]], u: [1, 1] }).equilibria.length; // 3 (bistable)
 * ```
 */
export function ltnEquilibria(spec: LtnNetworkSpec, options?: LtnEquilibriaOptions): LtnEquilibria {
  const net = checkNetwork(spec);
  if (!net.u) throw new ValidationError('u', 'a constant input array (equilibria of a time-varying input are not defined)', 'a function');
  const o = checkOptions('options', options);
  let method = checkChoice('options.method', o.method ?? 'auto', ['auto', 'enumerate', 'pivoting', 'lemke', 'projected']);
  const { n, M, u } = net;
  const q = u.map((v) => -v);
  if (method === 'auto') method = n <= 12 ? 'enumerate' : 'pivoting';
  if (method === 'enumerate') {
    if (n > 16) throw new ValidationError('d.length', 'at most 16 units for support enumeration', n);
    const r = lcpEnumerate(M, q, n);
    let res = 0;
    for (const z of r.solutions) res = Math.max(res, lcpResidual(z, lcpW(M, q, z, n)));
    return { equilibria: r.solutions, method, iterations: 0, residual: res, singularSupports: r.singularSupports };
  }
  let sol: { z: Float64Array; iterations: number; residual: number };
  if (method === 'pivoting') {
    try {
      sol = lcpPrincipalPivoting(M, q, n);
    } catch {
      sol = lcpLemke(M, q, n);
      method = 'lemke';
    }
  } else if (method === 'lemke') sol = lcpLemke(M, q, n);
  else sol = lcpProjected(M, q, n, projectedStep(net));
  return { equilibria: [sol.z], method, iterations: sol.iterations, residual: sol.residual };
}

/** Step of the P-norm-contractive projected iteration (lif-ltn.md §2.4 [R]); throws unless LDS. */
function projectedStep(net: LtnNet): number {
  const { n, M } = net;
  const lds = ldsTest(M);
  if (!lds.certificate) throw new ValidationError('W', 'a network with D − W Lyapunov diagonally stable (method "projected")', lds.verdict);
  const p = lds.certificate.p;
  // h = λ/(2‖N‖²): minimises the contraction factor 1 − hλ + h²‖N‖² of the bound
  const s = lyapSym(M, p, n);
  const ps = new Float64Array(n * n);
  const N = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      ps[i * n + j] = s[i * n + j] / Math.sqrt(p[i] * p[j]);
      N[i * n + j] = (Math.sqrt(p[i]) * M[i * n + j]) / Math.sqrt(p[j]);
    }
  const lam = symEig(ps, n).values[0];
  const ntn = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) ntn[i * n + j] += N[k * n + i] * N[k * n + j];
  const nrm2 = symEig(ntn, n).values[n - 1];
  return lam / (2 * nrm2);
}

/** Options of {@link ltnGammaGap}. */
export interface LtnGammaGapOptions {
  /** Horizon of the comparison. @default 10 */
  duration?: number;
  /** Spacing of the comparison grid (refined to ≤ 0.05/(γ max d) per γ). @default duration / 400 */
  sampleInterval?: number;
}

/** Result of {@link ltnGammaGap}. */
export interface LtnGammaGap {
  gammas: number[];
  /** sup over the grid of ‖x_γ(t) − x_PDS(t)‖_∞, per γ. */
  gaps: number[];
  /** Least-squares slope of log gap vs log γ (≈ −1 for an O(1/γ) gap). */
  slope: number;
}

/**
 * Measures how far LTN_γ trajectories are from the fast-limit PDS trajectory from the same
 * x0 ≥ 0: sup_t ‖x_γ(t) − x_PDS(t)‖_∞ on a grid, both integrated exactly (piecewise-linear,
 * constant u), and the fitted log–log slope.
 * @example
 * ```ts
 * ltnGammaGap(net, [2, 0], [10, 100, 1000]).slope; // ≈ −1
 * ```
 */
export function ltnGammaGap(
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  gammas: ArrayLike<number>,
  options?: LtnGammaGapOptions,
): LtnGammaGap {
  const net = checkNetwork(spec);
  const gs = Array.from(checkFiniteArray('gammas', gammas, undefined, (nm, v) => checkPositive(nm, v)));
  const o = checkOptions('options', options);
  const duration = checkPositive('options.duration', o.duration ?? 10);
  const base = checkPositive('options.sampleInterval', o.sampleInterval ?? duration / 400);
  const dmax = Math.max(...net.d);
  const gaps = gs.map((g) => {
    // the boundary layer of LTN_γ lasts O(1/(γ d)): sample finer than that so the sup is seen
    const sampleInterval = Math.min(base, 0.05 / (g * dmax));
    const pds = pdsSimulate(spec, x0, { duration, sampleInterval, method: 'exact' });
    const tr = ltnSimulate(spec, x0, { duration, sampleInterval, gamma: g, method: 'exact' });
    let gap = 0;
    const m = Math.min(tr.t.length, pds.t.length);
    for (let k = 0; k < m * net.n; k++) gap = Math.max(gap, Math.abs(tr.x[k] - pds.x[k]));
    return gap;
  });
  return { gammas: gs, gaps, slope: logSlope(gs, gaps) };
}

/** @internal Least-squares slope of log y against log x. */
export function logSlope(x: number[], y: number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Options of {@link ltnStabilityReport}. */
export interface LtnStabilityReportOptions {
  /** Random initial conditions simulated for the measured rate. @default 8 */
  trials?: number;
  /** Seed of the initial conditions (uniform in [0, 2 max(1, ‖x*‖_∞)]ⁿ, stream `Streams.init`). @default 0 */
  seed?: Seed;
  /** Simulation horizon. @default 30 / min(d) */
  duration?: number;
  /** LDS ascent iterations. @default 4000 */
  ldsIterations?: number;
}

/** Result of {@link ltnStabilityReport}. */
export interface LtnStabilityReport {
  n: number;
  /** All isolated equilibria (n ≤ 12) or the one found. */
  equilibria: Float64Array[];
  /** The equilibrium when unique, else null. */
  equilibrium: Float64Array | null;
  pMatrix: PMatrixResult | null;
  mMatrix: MMatrixResult;
  hMatrix: HMatrixResult;
  /** LDS test of M = D − W. */
  lds: LdsTestResult;
  /**
   * PDS rate bound κ = λ_min(PM + MᵀP)/max p (null unless LDS), for the better of the LDS-certificate
   * weights and those of {@link pdsBestRate}.
   */
  kappa: number | null;
  /** κ with the LDS-certificate weights (the margin maximiser). */
  kappaFromMargin: number | null;
  /** The weights P = diag(p) behind `kappa`, used for V in the measured rate. */
  lyapunovWeights: Float64Array | null;
  /**
   * Measured PDS rate: min over trials and samples (while V > 1e-20 V(0)) of −ln(V(t)/V(0))/t,
   * V = (x − x*)ᵀP(x − x*). The theory says observedRate ≥ κ.
   */
  observedRate: number | null;
  /** Whether V(t) ≤ V(0)e^{−κt}(1 + 1e-9) + 1e-14·V(0) held at every sample of every trial. */
  lyapunovBoundHolds: boolean | null;
  /** Asymptotic decay rate of ‖x(t) − x*‖ for the LTN (γ = 1), fitted on the tail. */
  ltnObservedRate: number | null;
  /** Whether every LTN trial ended within 1e-6 of x* (relative). */
  ltnConverged: boolean | null;
}

/**
 * Stability report for (D, W, u): equilibria, P/M/H-matrix tests, the LDS margin and certificate
 * of M = D − W, the PDS rate bound κ and the rates measured by simulating the PDS and the LTN
 * from random initial conditions (exact piecewise-linear integration; constant u, n ≤ 12).
 * @example
 * ```ts
 * const r = ltnStabilityReport({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] });
 * r.kappa! <= r.observedRate!; // true
 * ```
 */
export function ltnStabilityReport(spec: LtnNetworkSpec, options?: LtnStabilityReportOptions): LtnStabilityReport {
  const net = checkNetwork(spec);
  const o = checkOptions('options', options);
  const trials = checkInteger('options.trials', o.trials ?? 8, 1, 10_000);
  const seed = o.seed ?? 0;
  const { n, M, d } = net;
  if (n > 12) throw new ValidationError('d.length', 'at most 12 units for the full report', n);
  const duration = checkPositive('options.duration', o.duration ?? 30 / Math.min(...d));
  const eq = ltnEquilibria(spec);
  const equilibrium = eq.equilibria.length === 1 && !eq.singularSupports ? eq.equilibria[0] : null;
  const lds = ldsTest(M, { iterations: o.ldsIterations ?? 4000 });
  const kappaFromMargin = lds.certificate ? pdsRateBound(M, lds.certificate.p) : null;
  const best = lds.certificate ? pdsBestRate(M, { start: lds.certificate.p }) : null;
  const useBest = best !== null && kappaFromMargin !== null && best.kappa > kappaFromMargin;
  const kappa = kappaFromMargin === null ? null : useBest ? (best as PdsBestRate).kappa : kappaFromMargin;
  const lyapunovWeights = lds.certificate ? (useBest ? (best as PdsBestRate).p : lds.certificate.p) : null;
  const report: LtnStabilityReport = {
    n,
    equilibria: eq.equilibria,
    equilibrium,
    pMatrix: isPMatrix(M),
    mMatrix: isMMatrix(M),
    hMatrix: isHMatrix(M),
    lds,
    kappa,
    kappaFromMargin,
    lyapunovWeights,
    observedRate: null,
    lyapunovBoundHolds: null,
    ltnObservedRate: null,
    ltnConverged: null,
  };
  if (!equilibrium) return report;
  const xs = equilibrium;
  let span = 1;
  for (const v of xs) span = Math.max(span, v);
  const r0 = uniforms(seed, 0, trials * n, { stream: Streams.init });
  const p = lyapunovWeights ?? new Float64Array(n).fill(1);
  const V = (x: ArrayLike<number>, off: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += p[i] * (x[off + i] - xs[i]) ** 2;
    return s;
  };
  let rate = Number.POSITIVE_INFINITY;
  let holds = true;
  let ltnRate = Number.POSITIVE_INFINITY;
  let converged = true;
  const sampleInterval = duration / 600;
  for (let k = 0; k < trials; k++) {
    const x0 = Array.from({ length: n }, (_, i) => 2 * span * r0[k * n + i]);
    const pds = pdsSimulate(spec, x0, { duration, sampleInterval, method: 'exact' });
    const v0 = V(pds.x, 0);
    if (v0 > 0) {
      for (let s = 1; s < pds.t.length; s++) {
        const v = V(pds.x, s * n);
        if (kappa !== null && v > v0 * Math.exp(-kappa * pds.t[s]) * (1 + 1e-9) + 1e-14 * v0) holds = false;
        if (v > 1e-20 * v0) rate = Math.min(rate, -Math.log(v / v0) / pds.t[s]);
      }
    }
    const ltn = ltnSimulate(spec, x0, { duration, sampleInterval, method: 'exact' });
    const err = (s: number) => {
      let e = 0;
      for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(ltn.x[s * n + i] - xs[i]));
      return e;
    };
    const m = ltn.t.length;
    if (err(m - 1) > 1e-6 * span) converged = false;
    // tail fit: between the samples where the error first drops below 1e-3 and 1e-9 of its start
    const e0 = err(0);
    let a = -1;
    let b = -1;
    for (let s = 0; s < m; s++) {
      if (a < 0 && err(s) < 1e-3 * e0) a = s;
      if (b < 0 && err(s) < 1e-9 * e0) b = s;
    }
    if (a > 0 && b > a) ltnRate = Math.min(ltnRate, Math.log(err(a) / err(b)) / (ltn.t[b] - ltn.t[a]));
  }
  report.observedRate = Number.isFinite(rate) ? rate : null;
  report.lyapunovBoundHolds = kappa !== null ? holds : null;
  report.ltnObservedRate = Number.isFinite(ltnRate) ? ltnRate : null;
  report.ltnConverged = converged;
  return report;
}
