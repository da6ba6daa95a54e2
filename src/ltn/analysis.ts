/**
 * Equilibria, the LTN_γ → PDS gap study, and the stability report of a network (seed 004;
 * lif-ltn.md §2.2–2.4). Dimensionless time (units of 1/d); rates in units of d.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type AsyncRunOptions, ProgressTracker, type RunOptions } from '../contract/progress.js';
import { Result } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkInteger, checkPositive } from '../kernel/validate.js';
import { Streams, uniforms } from '../rng/index.js';
import { type SeedOptions, seedKeyOf } from '../rng/seed.js';
import { checkMethod, eventDrivenWork, eventWork, type LtnTrajectory, ltnMaxEvents, ltnSubStep, pdsSubStep } from './dynamics.js';
import { lcpEnumerate, lcpLemke, lcpPrincipalPivoting, lcpProjected, lcpResidual, lcpW } from './lcp.js';
import { symEig } from './linalg.js';
import {
  bestRateWork,
  type HMatrixResult,
  isHMatrix,
  isMMatrix,
  isPMatrix,
  type LdsTestResult,
  type LtnNoOptions,
  ldsTest,
  ldsWork,
  ldsWorkGen,
  lyapSym,
  type MMatrixResult,
  noOptions,
  type PMatrixResult,
  pdsRateBound,
} from './matrix.js';
import { checkGamma, checkNetwork, checkState, type LtnNet, type LtnNetworkSpec } from './network.js';
import {
  checkSamples,
  checkWork,
  fmt,
  LTN_MAX_SAMPLE_VALUES,
  LTN_MAX_WORK,
  relay,
  runWork,
  runWorkAsync,
  type Tick,
  type Work,
} from './work.js';

/** The data fields of a result class. */
type Fields<T> = Omit<T, 'kind' | 'toJSON'>;

/** Options of {@link ltnFamilyMember}. */
export interface LtnFamilyMemberOptions {
  /** Family parameter γ > 0 (dimensionless timescale ratio). */
  gamma: number;
}

/**
 * The member LTN_γ of the one-parameter family written as a plain LTN: d_γ = γd,
 * W_γ = W + (γ − 1)D, same u (our reconstruction, lif-ltn.md §2.3 [R]). D_γ − W_γ = D − W for every γ.
 * @example
 * ```ts
 * ltnFamilyMember({ d: [2], W: [[0.5]], u: [1] }, { gamma: 10 }); // { d: [20], W: [[18.5]], u: [1] }
 * ```
 */
export function ltnFamilyMember(
  spec: LtnNetworkSpec,
  options: LtnFamilyMemberOptions,
): {
  /** Dissipation rates d_γ = γd (1/time). */
  d: number[];
  /** Weights W_γ = W + (γ − 1)D, as rows. */
  W: number[][];
  /** The same input u (array, function of t, or undefined). */
  u: LtnNetworkSpec['u'];
} {
  const net = checkNetwork(spec, 'ltnFamilyMember');
  if (typeof options === 'number')
    throw new ValidationError('options', 'an options object { gamma } for ltnFamilyMember (write { gamma: γ })', options);
  const o = strictOptions('ltnFamilyMember', 'options', options, optionKeys<LtnFamilyMemberOptions>()(['gamma']));
  const g = checkGamma('options.gamma', o.gamma, net);
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
export function ltnMatrix(spec: LtnNetworkSpec, options?: LtnNoOptions): number[][] {
  const { n, M } = checkNetwork(spec, 'ltnMatrix');
  noOptions('ltnMatrix', options);
  return Array.from({ length: n }, (_, i) => Array.from(M.subarray(i * n, i * n + n)));
}

/** Options of {@link ltnEquilibria}. */
export interface LtnEquilibriaOptions {
  /**
   * "enumerate": all isolated solutions by support enumeration (n ≤ 16); "pivoting": Murty's
   * principal pivoting (P-matrices); "lemke": Lemke's algorithm; "projected": the projected
   * iteration x ← [x − h(Mx − u)]_+ with the step from an LDS certificate (LDS only, n ≤ 64);
   * "auto": enumerate for n ≤ 12, else pivoting, falling back to Lemke.
   * @default "auto"
   */
  method?: 'auto' | 'enumerate' | 'pivoting' | 'lemke' | 'projected';
}

/** Result of {@link ltnEquilibria}. */
export class LtnEquilibria extends Result {
  /** Result type. */
  readonly kind = 'ltn.equilibria';
  /** Equilibria x* (solutions of LCP(−u, D − W); in the unit of u); all isolated ones for "enumerate". */
  declare readonly equilibria: Float64Array[];
  /** Method used. */
  declare readonly method: string;
  /** Pivots / sweeps of the single-solution methods (0 for enumeration). */
  declare readonly iterations: number;
  /** Largest natural-map residual ‖min(x, Mx − u)‖_∞ over the listed equilibria. */
  declare readonly residual: number;
  /** Enumeration only: supports with a singular block (possible continua, not listed). */
  declare readonly singularSupports?: number;
  /** @internal */
  constructor(f: Fields<LtnEquilibria>) {
    super();
    Object.assign(this, f);
  }
}

/** Largest network for the single-solution LCP methods (a pivot costs an LU of up to n×n). */
const MAX_LCP_N = 128;

/**
 * Equilibria of ẋ = −Dx + [Wx + u]_+ (and of every LTN_γ, the PDS and the slow limit): the LCP
 * x ≥ 0, Mx − u ≥ 0, xᵀ(Mx − u) = 0 with M = D − W. Constant u only; n ≤ 128.
 * @example
 * ```ts
 * ltnEquilibria({ d: [1, 1], W: [[0, -2], [-2, 0]], u: [1, 1] }).equilibria.length; // 3 (bistable)
 * ```
 */
export function ltnEquilibria(spec: LtnNetworkSpec, options?: LtnEquilibriaOptions): LtnEquilibria {
  const net = checkNetwork(spec, 'ltnEquilibria');
  if (!net.u) throw new ValidationError('u', 'a constant input array (equilibria of a time-varying input are not defined)', 'a function');
  const o = strictOptions('ltnEquilibria', 'options', options, optionKeys<LtnEquilibriaOptions>()(['method']));
  let method = checkMethod('options.method', o.method ?? 'auto', ['auto', 'enumerate', 'pivoting', 'lemke', 'projected'] as const);
  const { n, M, u } = net;
  if (n > MAX_LCP_N) throw new ValidationError('d.length', `at most ${MAX_LCP_N} units (ltnEquilibria: dense pivoting)`, n);
  const q = u.map((v) => -v);
  if (method === 'auto') method = n <= 12 ? 'enumerate' : 'pivoting';
  if (method === 'enumerate') {
    if (n > 16) throw new ValidationError('d.length', 'at most 16 units for support enumeration', n);
    const r = lcpEnumerate(M, q, n);
    let res = 0;
    for (const z of r.solutions) res = Math.max(res, lcpResidual(z, lcpW(M, q, z, n)));
    return new LtnEquilibria({ equilibria: r.solutions, method, iterations: 0, residual: res, singularSupports: r.singularSupports });
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
  else {
    if (n > 64) throw new ValidationError('d.length', 'at most 64 units for method "projected" (it needs an LDS certificate)', n);
    sol = lcpProjected(M, q, n, projectedStep(net));
  }
  return new LtnEquilibria({ equilibria: [sol.z], method, iterations: sol.iterations, residual: sol.residual });
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

// ---------------------------------------------------------------------------------------------
// events shared by the trajectories of one analysis call

/**
 * The event budget of one analysis call, shared by all its event-driven trajectories: each runs on
 * what the previous ones left, so an exhausted budget is reported by the trajectory whose event
 * went over it (with that unit and time).
 */
class EventBudget {
  left: number;
  readonly total: number;
  constructor(n: number) {
    this.total = ltnMaxEvents(n);
    this.left = this.total;
  }
  /** Runs one event-driven trajectory on what is left of the budget. */
  *run(
    system: 'ltn' | 'pds',
    net: LtnNet,
    x0: Float64Array,
    o: { duration: number; sampleInterval: number; gamma?: number },
    where: string,
    map: (t: Tick) => Tick,
  ): Work<LtnTrajectory> {
    const context = `${where} (its trajectories share ${this.total} events)`;
    const tr = yield* relay(eventDrivenWork(system, net, x0, { ...o, maxEvents: this.left }, context), map);
    this.left -= tr.events;
    return tr;
  }
}

// ---------------------------------------------------------------------------------------------
// LTN_γ → PDS gap

/** Options of {@link ltnGammaGap}. */
export interface LtnGammaGapOptions extends RunOptions {
  /** Horizon of the comparison (dimensionless time). @default 10 */
  duration?: number;
  /** Spacing of the comparison grid (refined to ≤ 0.05/(γ max d) per γ). @default duration / 400 */
  sampleInterval?: number;
}

const GAP_KEYS = optionKeys<LtnGammaGapOptions>()(['duration', 'sampleInterval', 'signal', 'onProgress']);

/** Result of {@link ltnGammaGap}. */
export class LtnGammaGap extends Result {
  /** Result type. */
  readonly kind = 'ltn.gammaGap';
  /** The γ values compared (dimensionless timescale ratio). */
  declare readonly gammas: number[];
  /** sup over the grid of ‖x_γ(t) − x_PDS(t)‖_∞, per γ (in the unit of x). */
  declare readonly gaps: number[];
  /**
   * Least-squares slope of log gap vs log γ (≈ −1 for an O(1/γ) gap), over the γ whose gap is
   * positive; `null` when fewer than two distinct such γ were given (one γ, or repeated ones).
   */
  declare readonly slope: number | null;
  /** @internal */
  constructor(f: Fields<LtnGammaGap>) {
    super();
    Object.assign(this, f);
  }
}

function prepareGap(
  where: string,
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  gammas: ArrayLike<number>,
  options: unknown,
  keys: readonly string[],
) {
  const net = checkNetwork(spec, where);
  const x = checkState('x0', x0, net.n);
  for (let i = 0; i < net.n; i++)
    if (x[i] < 0) throw new ValidationError(`x0[${i}]`, 'a finite number >= 0 (the PDS lives on the orthant)', x[i]);
  const gs = Array.from(checkFiniteArray('gammas', gammas, undefined, (nm, v) => checkGamma(nm, v, net)));
  if (gs.length === 0) throw new ValidationError('gammas.length', 'at least 1', 0);
  const o = strictOptions(where, 'options', options as LtnGammaGapOptions & AsyncRunOptions, keys);
  const duration = checkPositive('options.duration', o.duration ?? 10);
  const base = checkPositive('options.sampleInterval', o.sampleInterval ?? duration / 400);
  if (!net.u) throw new ValidationError('u', `a constant input array for ${where} (event-driven integration)`, 'a function');
  const n = net.n;
  if (n > 16) throw new ValidationError('d.length', `at most 16 units for ${where} (event-driven integration)`, n);
  const dmax = Math.max(...net.d);
  // size everything before anything is allocated: samples per trajectory, work of the call
  const grid = gs.map((g) => Math.min(base, 0.05 / (g * dmax)));
  let work = 0;
  gs.forEach((g, k) => {
    const si = grid[k];
    const samples = Math.ceil(duration / si) + 1;
    checkSamples(
      'options.duration',
      duration,
      samples,
      n,
      () => `at most ${fmt((LTN_MAX_SAMPLE_VALUES / n) * si)} for γ = ${g} (the comparison grid is refined to ${fmt(si)})`,
    );
    work += eventWork(n, duration, pdsSubStep(net, si), samples) + eventWork(n, duration, ltnSubStep(net, g, si), samples);
  });
  checkWork(
    'options.duration',
    duration,
    work,
    () => `at most ${fmt((LTN_MAX_WORK / work) * duration)} for these γ`,
    () => `${where}: ${gs.length} pairs of event-driven trajectories`,
  );
  const pr = new ProgressTracker(where, gs.length, 'point', o);
  return { work: gapWork(net, x, gs, grid, duration, where), pr };
}

function* gapWork(net: LtnNet, x0: Float64Array, gs: number[], grid: number[], duration: number, where: string): Work<LtnGammaGap> {
  const budget = new EventBudget(net.n);
  const gaps: number[] = [];
  for (let k = 0; k < gs.length; k++) {
    const g = gs[k];
    // the boundary layer of LTN_γ lasts O(1/(γ d)): sample finer than that so the sup is seen
    const sampleInterval = grid[k];
    const map = () => ({ done: k });
    const pds = yield* budget.run('pds', net, x0, { duration, sampleInterval }, where, map);
    const tr = yield* budget.run('ltn', net, x0, { duration, sampleInterval, gamma: g }, where, map);
    let gap = 0;
    const m = Math.min(tr.time.length, pds.time.length);
    for (let i = 0; i < m * net.n; i++) gap = Math.max(gap, Math.abs(tr.x[i] - pds.x[i]));
    gaps.push(gap);
    yield { done: k + 1, report: true };
  }
  return new LtnGammaGap({ gammas: gs, gaps, slope: logSlope(gs, gaps) });
}

/**
 * Measures how far LTN_γ trajectories are from the fast-limit PDS trajectory from the same
 * x0 ≥ 0: sup_t ‖x_γ(t) − x_PDS(t)‖_∞ on a grid, both integrated event-driven (exact flow of each
 * linear piece; constant u, n ≤ 16), and the fitted log–log slope. Progress counts γ values.
 * The call's trajectories share one event budget (`ltnMaxEvents(n)`); it is refused up front
 * when its samples or work exceed the bounds of docs/ltn.md ("Work bounds").
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
  const p = prepareGap('ltnGammaGap', spec, x0, gammas, options, GAP_KEYS);
  return runWork(p.work, p.pr);
}

/** {@link ltnGammaGap}, yielding to the event loop every `sliceMs`; same result, bit for bit. */
export async function ltnGammaGapAsync(
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  gammas: ArrayLike<number>,
  options?: LtnGammaGapOptions & AsyncRunOptions,
): Promise<LtnGammaGap> {
  const p = prepareGap('ltnGammaGapAsync', spec, x0, gammas, options, [...GAP_KEYS, 'sliceMs']);
  return runWorkAsync(p.work, p.pr);
}

/** @internal Least-squares slope of log y against log x over the points with y > 0; null without two distinct x. */
export function logSlope(x: number[], y: number[]): number | null {
  const keep = x.map((_, i) => i).filter((i) => y[i] > 0 && Number.isFinite(Math.log(y[i])));
  const lx = keep.map((i) => Math.log(x[i]));
  const ly = keep.map((i) => Math.log(y[i]));
  if (new Set(lx).size < 2) return null;
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

// ---------------------------------------------------------------------------------------------
// stability report

/** Options of {@link ltnStabilityReport}. */
export interface LtnStabilityReportOptions extends RunOptions, SeedOptions {
  /** Random initial conditions simulated for the measured rate. @default 8 */
  trials?: number;
  /** Simulation horizon (dimensionless time). @default 30 / min(d) */
  duration?: number;
  /** LDS ascent iterations. @default 4000 */
  ldsIterations?: number;
}

const REPORT_KEYS = optionKeys<LtnStabilityReportOptions>()([
  'trials',
  'seed',
  'trial',
  'duration',
  'ldsIterations',
  'signal',
  'onProgress',
]);

/** Result of {@link ltnStabilityReport}. Rates are in units of d (inverse dimensionless time). */
export class LtnStabilityReport extends Result {
  /** Result type. */
  readonly kind = 'ltn.stabilityReport';
  /** Number of units. */
  declare n: number;
  /** All isolated equilibria (n ≤ 12) or the one found. */
  declare equilibria: Float64Array[];
  /** The equilibrium when unique, else null. */
  declare equilibrium: Float64Array | null;
  /** P-matrix test of M (all principal minors > 0 ⇔ unique LCP solution for every u). */
  declare pMatrix: PMatrixResult | null;
  /** M-matrix test of M = D − W. */
  declare mMatrix: MMatrixResult;
  /** H-matrix test of M (comparison matrix an M-matrix). */
  declare hMatrix: HMatrixResult;
  /** LDS test of M = D − W. */
  declare lds: LdsTestResult;
  /**
   * PDS rate bound κ = λ_min(PM + MᵀP)/max p (null unless LDS), for the better of the LDS-certificate
   * weights and those of `pdsBestRate`.
   */
  declare kappa: number | null;
  /** κ with the LDS-certificate weights (the margin maximiser). */
  declare kappaFromMargin: number | null;
  /** The weights P = diag(p) behind `kappa`, used for V in the measured rate. */
  declare lyapunovWeights: Float64Array | null;
  /**
   * Measured PDS rate: min over trials and samples (while V > 1e-20 V(0)) of −ln(V(t)/V(0))/t,
   * V = (x − x*)ᵀP(x − x*). The theory says observedRate ≥ κ.
   */
  declare observedRate: number | null;
  /** Whether V(t) ≤ V(0)e^{−κt}(1 + 1e-9) + 1e-14·V(0) held at every sample of every trial. */
  declare lyapunovBoundHolds: boolean | null;
  /** Asymptotic decay rate of ‖x(t) − x*‖ for the LTN (γ = 1), fitted on the tail. */
  declare ltnObservedRate: number | null;
  /** Whether every LTN trial ended within 1e-6 of x* (relative). */
  declare ltnConverged: boolean | null;
  /** @internal */
  constructor(f: Fields<LtnStabilityReport>) {
    super();
    Object.assign(this, f);
  }
}

function prepareReport(where: string, spec: LtnNetworkSpec, options: unknown, keys: readonly string[]) {
  const net = checkNetwork(spec, where);
  const o = strictOptions(where, 'options', options as LtnStabilityReportOptions & AsyncRunOptions, keys);
  const trials = checkInteger('options.trials', o.trials ?? 8, 1, 10_000);
  const key = seedKeyOf(o, 'options.');
  const { n, d } = net;
  if (n > 12) throw new ValidationError('d.length', 'at most 12 units for the full report', n);
  if (!net.u) throw new ValidationError('u', `a constant input array for ${where}`, 'a function');
  const duration = checkPositive('options.duration', o.duration ?? 30 / Math.min(...d));
  const ldsIterations = checkInteger('options.ldsIterations', o.ldsIterations ?? 4000, 1, 10_000_000);
  const sampleInterval = duration / 600;
  const samples = Math.ceil(duration / sampleInterval) + 1;
  const perTrial =
    eventWork(n, duration, pdsSubStep(net, sampleInterval), samples) + eventWork(n, duration, ltnSubStep(net, 1, sampleInterval), samples);
  const fixed = ldsWork(n, ldsIterations) + ldsWork(n, 3000) + 2 ** n * (n + 1) ** 3;
  checkWork(
    'options.ldsIterations',
    ldsIterations,
    fixed,
    () => `at most ${fmt((LTN_MAX_WORK - ldsWork(n, 3000)) / (2 * (n + 1) ** 3))} for n = ${n}`,
    () => `${where}: the LDS ascent and the rate bound`,
  );
  checkWork(
    'options.duration',
    duration,
    fixed + trials * perTrial,
    () => `at most ${fmt(((LTN_MAX_WORK - fixed) / (trials * perTrial)) * duration)} with ${trials} trials`,
    () => `${where}: ${trials} trials of two event-driven trajectories each`,
  );
  const pr = new ProgressTracker(where, trials, 'trial', o);
  return { work: reportWork(net, spec, trials, key, duration, ldsIterations, where), pr };
}

function* reportWork(
  net: LtnNet,
  spec: LtnNetworkSpec,
  trials: number,
  key: ReturnType<typeof seedKeyOf>,
  duration: number,
  ldsIterations: number,
  where: string,
): Work<LtnStabilityReport> {
  const { n, M } = net;
  const zero = () => ({ done: 0 });
  const eq = ltnEquilibria(spec);
  const equilibrium = eq.equilibria.length === 1 && !eq.singularSupports ? eq.equilibria[0] : null;
  const lds = yield* relay(ldsWorkGen({ a: M, n, iters: ldsIterations, eta0: 0.5, backend: 'wasm' }), zero);
  const kappaFromMargin = lds.certificate ? pdsRateBound(M, lds.certificate.p) : null;
  const best = lds.certificate
    ? yield* relay(bestRateWork({ a: M, n, iters: 3000, start: Float64Array.from(lds.certificate.p) }), zero)
    : null;
  const useBest = best !== null && kappaFromMargin !== null && best.kappa > kappaFromMargin;
  const kappa = kappaFromMargin === null ? null : useBest && best ? best.kappa : kappaFromMargin;
  const lyapunovWeights = lds.certificate ? (useBest && best ? best.p : lds.certificate.p) : null;
  const report = new LtnStabilityReport({
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
  });
  if (!equilibrium) return report;
  const xs = equilibrium;
  let span = 1;
  for (const v of xs) span = Math.max(span, v);
  const r0 = uniforms(key, 0, trials * n, { stream: Streams.init });
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
  const budget = new EventBudget(n);
  for (let k = 0; k < trials; k++) {
    const x0 = Float64Array.from({ length: n }, (_, i) => 2 * span * r0[k * n + i]);
    const map = () => ({ done: k });
    const pds = yield* budget.run('pds', net, x0, { duration, sampleInterval }, where, map);
    const v0 = V(pds.x, 0);
    if (v0 > 0) {
      for (let s = 1; s < pds.time.length; s++) {
        const v = V(pds.x, s * n);
        if (kappa !== null && v > v0 * Math.exp(-kappa * pds.time[s]) * (1 + 1e-9) + 1e-14 * v0) holds = false;
        if (v > 1e-20 * v0) rate = Math.min(rate, -Math.log(v / v0) / pds.time[s]);
      }
    }
    const ltn = yield* budget.run('ltn', net, x0, { duration, sampleInterval, gamma: 1 }, where, map);
    const err = (s: number) => {
      let e = 0;
      for (let i = 0; i < n; i++) e = Math.max(e, Math.abs(ltn.x[s * n + i] - xs[i]));
      return e;
    };
    const m = ltn.time.length;
    if (err(m - 1) > 1e-6 * span) converged = false;
    // tail fit: between the samples where the error first drops below 1e-3 and 1e-9 of its start
    const e0 = err(0);
    let a = -1;
    let b = -1;
    for (let s = 0; s < m; s++) {
      if (a < 0 && err(s) < 1e-3 * e0) a = s;
      if (b < 0 && err(s) < 1e-9 * e0) b = s;
    }
    if (a > 0 && b > a) ltnRate = Math.min(ltnRate, Math.log(err(a) / err(b)) / (ltn.time[b] - ltn.time[a]));
    yield { done: k + 1, report: true };
  }
  report.observedRate = Number.isFinite(rate) ? rate : null;
  report.lyapunovBoundHolds = kappa !== null ? holds : null;
  report.ltnObservedRate = Number.isFinite(ltnRate) ? ltnRate : null;
  report.ltnConverged = converged;
  return report;
}

/**
 * Stability report for (D, W, u): equilibria, P/M/H-matrix tests, the LDS margin and certificate
 * of M = D − W, the PDS rate bound κ and the rates measured by simulating the PDS and the LTN
 * from random initial conditions (event-driven integration; constant u, n ≤ 12). The initial
 * conditions are uniform in [0, 2 max(1, ‖x*‖_∞)]ⁿ, drawn from `keyOfSeed({ seed, trial })` on
 * stream `Streams.init`. Progress counts trials; the trials share one event budget
 * (`ltnMaxEvents(n)`); refused up front beyond the work bound (docs/ltn.md, "Work bounds").
 * @example
 * ```ts
 * const r = ltnStabilityReport({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] });
 * r.kappa! <= r.observedRate!; // true
 * ```
 */
export function ltnStabilityReport(spec: LtnNetworkSpec, options?: LtnStabilityReportOptions): LtnStabilityReport {
  const p = prepareReport('ltnStabilityReport', spec, options, REPORT_KEYS);
  return runWork(p.work, p.pr);
}

/** {@link ltnStabilityReport}, yielding to the event loop every `sliceMs`; same result, bit for bit. */
export async function ltnStabilityReportAsync(
  spec: LtnNetworkSpec,
  options?: LtnStabilityReportOptions & AsyncRunOptions,
): Promise<LtnStabilityReport> {
  const p = prepareReport('ltnStabilityReportAsync', spec, options, [...REPORT_KEYS, 'sliceMs']);
  return runWorkAsync(p.work, p.pr);
}
