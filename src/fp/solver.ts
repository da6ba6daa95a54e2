/**
 * Time-dependent solver for the weight-structured noisy-LIF Fokker–Planck equation (seed 001,
 * eqs. (1)–(3) and, with learning, (9) and (41)). Dimensionless: time in membrane time constants
 * τ_m, rates in spikes per τ_m (see {@link FP_UNITS}).
 * @packageDocumentation
 */
import { optionKeys } from '../contract/options.js';
import { ASYNC_RUN_OPTION_KEYS, type AsyncRunOptions, ProgressTracker, RUN_OPTION_KEYS, type RunOptions } from '../contract/progress.js';
import { makeTable, Result, type TableOf } from '../contract/results.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { readFailure } from '../kernel/status.js';
import {
  checkBoolean,
  checkChoice,
  checkFinite,
  checkFiniteArray,
  checkInteger,
  checkNonNegative,
  checkPositive,
} from '../kernel/validate.js';
import { checkGrid, FP_LIMITS, FP_UNITS, type FpGrid, type FpGridInfo, type FpResponse, fpOptions, responseCode } from './common.js';
import { FpWork, P } from './layout.js';

/** Input current I(w) (static) or I(t, w) (re-evaluated every step, in TypeScript; t in τ_m). */
export type FpInput = number | ArrayLike<number> | ((t: number, w: Float64Array) => ArrayLike<number>);

/** A per-weight coefficient: a constant, values at the w-cell centres, or a function of w. */
export type FpWeightFunction = number | ArrayLike<number> | ((w: number) => number);

/**
 * Learning rule Φ in the w-transport ε∂_w[(Φ − w)p] (seed Section 2.2):
 * - `'hebbian'`: Φ = N̄·N(w)·K(w) (eq. (8));
 * - `'kernel'`: Φ = N(w)·∫K(w, w')N(w')dw';
 * - `'stdp'`: Φ = K(w)·[(N(w)∗g)(t)·N̄(t) − N(w,t)·(N̄∗g)(t)], g(s) = e^{−s/τ} (s > 0), the
 *   STDP-like convolution with a linear outer function.
 */
export interface FpLearning {
  /**
   * Learning rule Φ: `'hebbian'` N̄·N(w)·K(w) (eq. (8)), `'kernel'` N(w)∫K(w,w')N(w')dw',
   * `'stdp'` K(w)·[(N(w)∗g)·N̄ − N(w)·(N̄∗g)] with g(s) = e^{−s/τ} (docs/fp.md).
   */
  rule: 'hebbian' | 'kernel' | 'stdp';
  /** Learning time scale ε (> 0, dimensionless: the w-transport runs at rate ε per τ_m). */
  epsilon: number;
  /** Weight diffusion ν ≥ 0 (the term εν∂_ww p of eq. (41)). @default 0 */
  nu?: number;
  /** Learning strength K(w) for 'hebbian' and 'stdp'. @default K(w) = −1 for w ≤ 0, +1 for w > 0 (Section 7) */
  K?: FpWeightFunction;
  /** K(w, w') for 'kernel': a function or an nw×nw row-major matrix at the cell centres (nw ≤ 4096). */
  kernel?: ((w: number, w2: number) => number) | ArrayLike<number>;
  /** Time constant τ of the STDP window g(s) = e^{−s/τ} (τ_m). @default 1 */
  tauStdp?: number;
  /** Whether the transport runs (switch with {@link FokkerPlanckSolver.setLearning}). @default true */
  enabled?: boolean;
}

const LEARNING_KEYS = optionKeys<FpLearning>()(['rule', 'epsilon', 'nu', 'K', 'kernel', 'tauStdp', 'enabled']);

/**
 * Options of {@link FokkerPlanckSolver}. The model is dimensionless (seed 001): `dt` and every
 * time are in membrane time constants τ_m, rates in spikes per τ_m.
 */
export interface FokkerPlanckOptions {
  /** The (v, w) grid. */
  grid: FpGrid;
  /**
   * Noise intensity a > 0: the diffusion coefficient in v of seed eq. (1) (a neuron's potential
   * has noise √(2a)·dW). Kept as the paper's `a`: it is not the noise amplitude `sigma` of the LIF
   * family (σ = √(2a)).
   */
  a: number;
  /** Time step Δt > 0 (τ_m). */
  dt: number;
  /** Input I(w) or I(t, w) (dimensionless drive). @default 0 (no input) */
  input?: FpInput;
  /** Initial density p⁰ at (v_i, w_k), row-major `[k * nv + i]`, ≥ 0; normalised to mass 1. */
  initial: ArrayLike<number>;
  /** Response σ(N̄) of seed eq. (1). @default 'identity' */
  response?: FpResponse;
  /** Learning (omit for eq. (1) with fixed weights). */
  learning?: FpLearning;
  /** v-direction time stepping. @default 'semi-implicit' */
  vScheme?: 'semi-implicit' | 'explicit';
  /**
   * w-direction time stepping: `'explicit'` is CFL-limited (Δt·max(α + β)/Δw ≤ 1, checked every
   * step), `'implicit'` has no step-size limit. @default 'explicit'
   */
  wScheme?: 'explicit' | 'implicit';
  /** N̄ above which the run is declared blown up (spikes per τ_m). @default 1000 */
  blowUpRate?: number;
  /** On blow-up: throw a {@link NumericalError} (kind 'blow-up') or stop and report it. @default 'throw' */
  onBlowUp?: 'throw' | 'stop';
  /** Record (t, N̄) every this many steps (see {@link FokkerPlanckSolver.trace}). @default 10 */
  recordEverySteps?: number;
}

const OPTION_KEYS = optionKeys<FokkerPlanckOptions>()([
  'grid',
  'a',
  'dt',
  'input',
  'initial',
  'response',
  'learning',
  'vScheme',
  'wScheme',
  'blowUpRate',
  'onBlowUp',
  'recordEverySteps',
]);

/** A detected blow-up: the step and time at which N̄ exceeded the threshold (or became non-finite). */
export interface FpBlowUp {
  /** Solver step count at which the blow-up was detected (p is left at the last good step). */
  step: number;
  /** Model time at detection (τ_m). */
  time: number;
  /** The offending N̄ (spikes per τ_m). */
  nbar: number;
  /** The w-cell with the largest (or first non-finite) N(w_k) at detection. */
  cell: number;
}

/** Result of {@link FokkerPlanckSolver.run} and {@link FokkerPlanckSolver.runAsync}. */
export class FpRunResult extends Result {
  /** `'fp.run'`. */
  readonly kind = 'fp.run';
  /** Steps completed by this call. */
  readonly steps: number;
  /** Model time after the call (τ_m). */
  readonly time: number;
  /** Set when the run stopped on a blow-up (`onBlowUp: 'stop'`), else null. */
  readonly blowUp: FpBlowUp | null;
  /** @internal */
  constructor(steps: number, time: number, blowUp: FpBlowUp | null) {
    super();
    this.steps = steps;
    this.time = time;
    this.blowUp = blowUp;
  }
}

/** Columns of {@link FpState.weights}: one row per w-cell. */
export type FpWeightColumns = { w: Float64Array; H: Float64Array; N: Float64Array; rate: Float64Array; phi: Float64Array };

/**
 * A copy of the solver's state ({@link FokkerPlanckSolver.state}), with units: the density on the
 * grid and, per w-cell, the weight distribution, firing-rate density and learning field.
 */
export class FpState extends Result {
  /** `'fp.state'`. */
  readonly kind = 'fp.state';
  /** Model time (τ_m). */
  readonly time: number;
  /** Completed steps. */
  readonly step: number;
  /** Total activity N̄ = ∫N(w)dw (spikes per τ_m). */
  readonly nbar: number;
  /** Discrete mass h·Δw·Σp (dimensionless, 1 up to round-off). */
  readonly mass: number;
  /** v-nodes v_0..v_{nv−1} (dimensionless; v_nv = V_F where p = 0). */
  readonly v: Float64Array;
  /** w-cell centres w_k (dimensionless). */
  readonly w: Float64Array;
  /** Density p(v_i, w_k), row-major `[k * nv + i]` (per unit v per unit w). */
  readonly density: Float64Array;
  /**
   * Per w-cell: `w` (cell centre), `H` = ∫p dv (weight density, eq. (6)), `N` = firing-rate
   * density N(w) (spikes per τ_m per unit w), `rate` = N/H the per-neuron rate (spikes per τ_m; 0
   * where H = 0), `phi` = the learning field Φ(w) of the last learning step.
   */
  readonly weights: TableOf<FpWeightColumns>;
  /** @internal */
  constructor(f: Omit<FpState, 'kind' | 'toJSON'>) {
    super();
    this.time = f.time;
    this.step = f.step;
    this.nbar = f.nbar;
    this.mass = f.mass;
    this.v = f.v;
    this.w = f.w;
    this.density = f.density;
    this.weights = f.weights;
  }
}

const RULES = { hebbian: 1, kernel: 2, stdp: 3 } as const;

/** Cell-steps per kernel call: keeps a call to a few ms so progress, aborts and yields stay prompt. */
const CHUNK_CELLS = 2 ** 21;

/** @internal Resolves a per-weight coefficient at the cell centres. */
export function weightValues(name: string, f: FpWeightFunction, w: Float64Array): Float64Array {
  if (typeof f === 'number') return new Float64Array(w.length).fill(checkFinite(name, f));
  if (typeof f === 'function') {
    const out = new Float64Array(w.length);
    for (let k = 0; k < w.length; k++) out[k] = checkFinite(`${name}(${w[k]})`, f(w[k]));
    return out;
  }
  return checkFiniteArray(name, f, w.length);
}

/** Options of {@link fpGaussianDensity}. */
export interface FpGaussianDensityOptions {
  /** Weight distribution H(w) (need not be normalised; ≥ 0). @default 1 (uniform on the w-grid) */
  H?: FpWeightFunction;
  /** Mean of the Gaussian in v (dimensionless). */
  mean: number;
  /** Standard deviation of the Gaussian in v (> 0, dimensionless). */
  sd: number;
}

/**
 * Builds an initial density p⁰(v, w) = H(w)·G(v) with G a Gaussian of the given mean and standard
 * deviation truncated to the grid (zero at V_F), normalised so that the mass h·Δw·Σp is 1.
 * @example
 * ```ts
 * const p0 = fpGaussianDensity(grid, { H: (w) => (w > -1 && w < 0 ? 1 : 0), mean: 0, sd: 0.5 });
 * ```
 */
export function fpGaussianDensity(grid: FpGrid, options: FpGaussianDensityOptions): Float64Array {
  const g = checkGrid(grid, 'grid', 'fpGaussianDensity');
  if (options === undefined) throw new ValidationError('options', 'an options object { H?, mean, sd }', options);
  const o = fpOptions<FpGaussianDensityOptions>(
    'fpGaussianDensity',
    'options',
    options,
    optionKeys<FpGaussianDensityOptions>()(['H', 'mean', 'sd']),
  );
  const mean = checkFinite('mean', o.mean);
  const sd = checkPositive('sd', o.sd);
  const hw = weightValues('H', o.H ?? 1, g.w);
  const p = new Float64Array(g.nw * g.nv);
  const k = kernel();
  const ptr = k.alloc(g.nv * 8) >>> 0;
  let prof: Float64Array;
  try {
    k.fpGaussianProfile(ptr, g.nv, g.vMin, g.h, mean, sd);
    prof = new Float64Array(k.memory.buffer, ptr, g.nv).slice();
  } finally {
    k.free(ptr);
  }
  let mass = 0;
  for (let kk = 0; kk < g.nw; kk++) {
    if (hw[kk] < 0) throw new ValidationError(`H(${g.w[kk]})`, 'a value >= 0', hw[kk]);
    for (let i = 0; i < g.nv; i++) {
      const val = hw[kk] * prof[i];
      p[kk * g.nv + i] = val;
      mass += val;
    }
  }
  mass *= g.h * g.dw;
  if (!(mass > 0) || !Number.isFinite(mass))
    throw new ValidationError('H', 'a weight density with positive finite mass where the Gaussian is non-zero on the grid', o.H ?? 1);
  for (let j = 0; j < p.length; j++) p[j] /= mass;
  return p;
}

/** State of one run call, shared by `run` and `runAsync`. */
interface RunCall {
  pr: ProgressTracker;
  total: number;
  done: number;
  /** Model time reached (τ_m). */
  time: number;
  /** The blow-up that had already stopped the solver when the call began (the call then does nothing). */
  stopped: FpBlowUp | null;
}

/**
 * Finite-volume solver for p(v, w, t) of the structured noisy LIF model with learning (seed 001;
 * dimensionless: t in membrane time constants τ_m, rates in spikes per τ_m):
 *
 * ∂_t p + ∂_v[(−v + I(t,w) + wσ(N̄))p] + ε∂_w[(Φ − w)p] − a∂_vv p − εν∂_ww p = N(w,t)δ(v − V_R),
 * N(w,t) = −a∂_v p(V_F, w, t), N̄ = ∫N dw, p(V_F) = 0, zero flux at vMin and at the w-ends.
 *
 * Discretisation (docs/fp.md): v — Scharfetter–Gummel flux J = (a/h)[B(−z)p_i − B(z)p_{i+1}],
 * z = h·drift/a, B(z) = z/(e^z − 1); the outflow J_{nv−1/2} is N(w) and is reinjected at the node
 * V_R inside the same implicit solve, so each w-slice's mass is conserved to round-off and p ≥ 0
 * for any Δt (M-matrix with unit column sums). w — conservative first-order upwind, explicit
 * (CFL-checked) or implicit. Operator splitting per step: N̄ (previous step) → blow-up check →
 * σ(N̄) → v-step (gives the new N(w)) → Φ → w-step.
 *
 * Lifecycle: construct (validates and allocates) → `run`/`runAsync` (continue where the last call
 * stopped) → `state()`, `trace()`, `density()`… (copies) → `dispose()`.
 *
 * @example
 * ```ts
 * const grid = { vMin: -4, vReset: 1, vThreshold: 2, nv: 300, wMin: -0.05, wMax: 0.05, nw: 1 };
 * const fp = new FokkerPlanckSolver({ grid, a: 1, dt: 0.01, initial: fpGaussianDensity(grid, { mean: 0, sd: 0.5 }) });
 * fp.run(20);
 * fp.nbar; // → 0.1199… (the stationary rate of the explicit formula)
 * fp.dispose();
 * ```
 */
export class FokkerPlanckSolver extends KernelObject {
  readonly #g: FpGridInfo;
  readonly #par: Region;
  readonly #p: Region;
  readonly #n: Region;
  readonly #in: Region;
  readonly #trace: Region;
  readonly #phi: Region;
  readonly #onBlowUp: 'throw' | 'stop';
  readonly #inputFn: ((t: number, w: Float64Array) => ArrayLike<number>) | null;
  readonly #dt: number;
  readonly #every: number;
  readonly #hasLearning: boolean;
  #traceT: number[] = [];
  #traceN: number[] = [];
  #blowUp: FpBlowUp | null = null;

  constructor(options: FokkerPlanckOptions) {
    super();
    if (options === undefined) throw new ValidationError('options', `an options object { ${OPTION_KEYS.join(', ')} }`, options);
    const o = fpOptions<FokkerPlanckOptions>('FokkerPlanckSolver', 'options', options, OPTION_KEYS);
    const g = checkGrid(o.grid, 'grid');
    const a = checkPositive('a', o.a);
    const dt = checkPositive('dt', o.dt, 'τ_m');
    const sg = responseCode(o.response, 'response', 'FokkerPlanckSolver');
    const vScheme = checkChoice('vScheme', o.vScheme ?? 'semi-implicit', ['semi-implicit', 'explicit'] as const);
    const wScheme = checkChoice('wScheme', o.wScheme ?? 'explicit', ['explicit', 'implicit'] as const);
    const nMax = checkPositive('blowUpRate', o.blowUpRate ?? 1000, 'spikes per τ_m');
    this.#onBlowUp = checkChoice('onBlowUp', o.onBlowUp ?? 'throw', ['throw', 'stop'] as const);
    this.#every = checkInteger('recordEverySteps', o.recordEverySteps ?? 10, 1, 2 ** 31);
    const { nv, nw } = g;
    const p0 = checkFiniteArray('initial', o.initial, nv * nw, (nm, x) => {
      if (x < 0) throw new ValidationError(nm, 'a density value >= 0', x);
    });
    let mass = 0;
    for (let j = 0; j < p0.length; j++) mass += p0[j];
    mass *= g.h * g.dw;
    if (!(mass > 0) || !Number.isFinite(mass)) throw new ValidationError('initial', 'a density with positive finite mass', mass);
    for (let j = 0; j < p0.length; j++) p0[j] /= mass;

    // Input
    let inputFn: ((t: number, w: Float64Array) => ArrayLike<number>) | null = null;
    let i0: Float64Array;
    const input = o.input ?? 0;
    if (typeof input === 'function') {
      inputFn = input;
      i0 = checkFiniteArray('input(0, w)', inputFn(0, g.w.slice()), nw);
    } else if (typeof input === 'number') {
      i0 = new Float64Array(nw).fill(checkFinite('input', input));
    } else {
      i0 = checkFiniteArray('input', input, nw);
    }

    // Learning
    let rule = 0;
    let eps = 0;
    let nu = 0;
    let tau = 1;
    let enabled = false;
    let kv: Float64Array = new Float64Array(nw);
    let kmat: Float64Array | null = null;
    if (o.learning !== undefined) {
      const L = fpOptions<FpLearning>('FokkerPlanckSolver', 'learning', o.learning, LEARNING_KEYS);
      rule = RULES[checkChoice('learning.rule', L.rule, ['hebbian', 'kernel', 'stdp'] as const)];
      eps = checkPositive('learning.epsilon', L.epsilon);
      nu = checkNonNegative('learning.nu', L.nu ?? 0);
      tau = checkPositive('learning.tauStdp', L.tauStdp ?? 1, 'τ_m');
      enabled = checkBoolean('learning.enabled', L.enabled ?? true);
      kv = weightValues('learning.K', L.K ?? ((w: number) => (w <= 0 ? -1 : 1)), g.w);
      if (rule === 2) {
        if (L.kernel === undefined) throw new ValidationError('learning.kernel', 'K(w, w′) for rule "kernel"', undefined);
        if (nw > FP_LIMITS.maxKernelCells)
          throw new ValidationError('grid.nw', `at most ${FP_LIMITS.maxKernelCells} w-cells with rule 'kernel'`, nw);
        if (typeof L.kernel === 'function') {
          kmat = new Float64Array(nw * nw);
          for (let k = 0; k < nw; k++)
            for (let j = 0; j < nw; j++) kmat[k * nw + j] = checkFinite(`learning.kernel(${g.w[k]}, ${g.w[j]})`, L.kernel(g.w[k], g.w[j]));
        } else kmat = checkFiniteArray('learning.kernel', L.kernel, nw * nw);
      }
    }
    this.#hasLearning = rule !== 0;

    this.#g = g;
    this.#dt = dt;
    this.#inputFn = inputFn;
    // Everything is validated: allocate. A failed allocation frees what was already allocated.
    try {
      this.#par = this.allocate(P.SIZE * 8, 'fp.params');
      this.#p = this.allocate(nv * nw * 8, 'fp.density');
      this.#n = this.allocate(nw * 8, 'fp.rates');
      this.#in = this.allocate(nw * 8, 'fp.input');
      const wR = this.allocate(nw * 8, 'fp.weights');
      const kR = this.allocate(nw * 8, 'fp.K');
      const kmR = this.allocate((kmat ? nw * nw : 1) * 8, 'fp.kernel');
      this.#phi = this.allocate(nw * 8, 'fp.phi');
      this.#trace = this.allocate(nw * 8, 'fp.trace');
      const gR = this.allocate(2 * nv * 8, 'fp.bernoulli'); // G_j = e^{−δ_j}, then δ_j = (j + ½)h²/a
      const work = this.allocate((FpWork.V * nv + 4 * nw + 16) * 8, 'fp.work');

      this.#p.f64().set(p0);
      this.#in.f64().set(i0);
      wR.f64().set(g.w);
      kR.f64().set(kv);
      if (kmat) kmR.f64().set(kmat);
      // Initial N(w): the one-sided derivative −a∂_v p(V_F) ≈ a·p_{nv−1}/h.
      const nArr = this.#n.f64();
      let nbar = 0;
      for (let k = 0; k < nw; k++) {
        nArr[k] = (a * p0[k * nv + nv - 1]) / g.h;
        nbar += nArr[k];
      }
      nbar *= g.dw;

      const par = this.#par.f64();
      par[P.NV] = nv;
      par[P.NW] = nw;
      par[P.IR] = g.iR;
      par[P.VMIN] = g.vMin;
      par[P.H] = g.h;
      par[P.DW] = g.dw;
      par[P.A] = a;
      par[P.DT] = dt;
      par[P.EPS] = eps;
      par[P.NU] = nu;
      par[P.SIGMA] = sg.code;
      par[P.SIGMA_MAX] = sg.max;
      par[P.RULE] = rule;
      par[P.LEARN] = enabled ? 1 : 0;
      par[P.VMODE] = vScheme === 'explicit' ? 1 : 0;
      par[P.WMODE] = wScheme === 'implicit' ? 1 : 0;
      par[P.NMAX] = nMax;
      par[P.STEP] = 0;
      par[P.NBAR] = nbar;
      par[P.TRACE_B] = 0;
      par[P.TAU] = tau;
      par[P.PTR_P] = this.#p.ptr;
      par[P.PTR_N] = this.#n.ptr;
      par[P.PTR_I] = this.#in.ptr;
      par[P.PTR_W] = wR.ptr;
      par[P.PTR_K] = kR.ptr;
      par[P.PTR_KMAT] = kmR.ptr;
      par[P.PTR_PHI] = this.#phi.ptr;
      par[P.PTR_TRACE] = this.#trace.ptr;
      par[P.PTR_G] = gR.ptr;
      par[P.PTR_WORK] = work.ptr;
      kernel().fpPrepare(this.#par.ptr); // G_j and e^{−Δt/τ} in the kernel: bit-identical across engines
      this.#traceT.push(0);
      this.#traceN.push(nbar);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** The validated grid (cell-centre weights `w`, nodes `v`, steps `h`, `dw`, reset index `iR`). */
  get grid(): Readonly<FpGridInfo> {
    return this.#g;
  }

  /** Time step Δt (τ_m). */
  get dt(): number {
    return this.#dt;
  }

  /** Completed steps. */
  get step(): number {
    this.assertLive();
    return this.#par.f64()[P.STEP];
  }

  /** Model time = step·Δt (τ_m). */
  get time(): number {
    return this.step * this.#dt;
  }

  /** Total activity N̄ = ∫N(w)dw after the last step (spikes per τ_m). */
  get nbar(): number {
    this.assertLive();
    return this.#par.f64()[P.NBAR];
  }

  /** The blow-up that stopped the solver, if any (the state is the last good step's). */
  get blowUp(): FpBlowUp | null {
    return this.#blowUp;
  }

  /** Switches the learning transport on or off (between phases). Requires `learning` at construction. */
  setLearning(enabled: boolean): void {
    this.assertLive();
    checkBoolean('enabled', enabled);
    if (!this.#hasLearning) throw new ValidationError('enabled', 'a solver built with a learning rule', enabled);
    this.#par.f64()[P.LEARN] = enabled ? 1 : 0;
  }

  /** Replaces a static input I(w) (e.g. the testing phase of Section 8). */
  setInput(input: number | ArrayLike<number>): void {
    this.assertLive();
    if (this.#inputFn) throw new ValidationError('input', 'a solver built with a static input (this one has I(t, w))', input);
    const v =
      typeof input === 'number'
        ? new Float64Array(this.#g.nw).fill(checkFinite('input', input))
        : checkFiniteArray('input', input, this.#g.nw);
    this.#in.f64().set(v);
  }

  /**
   * Advances by `duration` τ_m (rounded to whole steps), continuing where the last call stopped.
   * Kernel calls are chunked (a few ms each, aligned to `recordEverySteps`; one step at a time when
   * the input is I(t, w)); (t, N̄) is recorded every `recordEverySteps` steps and at the end.
   * `onProgress` receives a {@link Progress} after each chunk (unit `'step'`, `time` in τ_m);
   * `signal` is checked between chunks (an abort fired from `onProgress` is seen; use
   * {@link FokkerPlanckSolver.runAsync} to abort from a timer). Throws {@link ValidationError} when
   * steps × nv·nw exceeds {@link FP_LIMITS}.maxSolverWork, {@link NumericalError} on a blow-up
   * (unless `onBlowUp: 'stop'`) or a violated step-size bound, {@link AbortedError} (partial:
   * `{ steps, time }`, the state kept), {@link DisposedError} when disposed during the run.
   */
  run(duration: number, options?: RunOptions): FpRunResult {
    const call = this.#begin('FokkerPlanckSolver.run', duration, options, RUN_OPTION_KEYS);
    while (call.done < call.total) {
      call.pr.throwIfAborted(this.#partial(call));
      const stop = this.#chunk(call);
      if (stop) return stop;
    }
    return new FpRunResult(call.done, call.time, call.stopped);
  }

  /**
   * The same as {@link FokkerPlanckSolver.run} (identical results), yielding to the event loop at
   * least every `sliceMs` (default 10 ms) of work so an abort fired from a timer or a UI event
   * stops it promptly. Do not call `run` on the same solver while this is pending.
   */
  async runAsync(duration: number, options?: AsyncRunOptions): Promise<FpRunResult> {
    const call = this.#begin('FokkerPlanckSolver.runAsync', duration, options, ASYNC_RUN_OPTION_KEYS);
    while (call.done < call.total) {
      await call.pr.maybeYield(this.#partial(call));
      this.assertLive();
      const stop = this.#chunk(call);
      if (stop) return stop;
    }
    return new FpRunResult(call.done, call.time, call.stopped);
  }

  #partial(call: RunCall): { steps: number; time: number } {
    return { steps: call.done, time: call.time };
  }

  #begin(where: string, duration: number, options: AsyncRunOptions | undefined, keys: readonly string[]): RunCall {
    this.assertLive();
    const o = fpOptions<AsyncRunOptions>(where, 'options', options, keys);
    checkNonNegative('duration', duration, 'τ_m');
    const cells = this.#g.nv * this.#g.nw;
    const total = Math.round(duration / this.#dt);
    if (total * cells > FP_LIMITS.maxSolverWork)
      throw new ValidationError(
        'duration',
        `at most ${(Math.floor(FP_LIMITS.maxSolverWork / cells) * this.#dt).toPrecision(6)} τ_m per call (${FP_LIMITS.maxSolverWork} cell-steps on ${cells} cells at dt = ${this.#dt}); split the run`,
        duration,
      );
    const records = this.#traceT.length + Math.ceil(total / this.#every) + 1;
    if (records > FP_LIMITS.maxTraceRecords)
      throw new ValidationError(
        'duration',
        `a run that keeps the trace under ${FP_LIMITS.maxTraceRecords} records (it would reach ${records}); raise recordEverySteps (now ${this.#every})`,
        duration,
      );
    const pr = new ProgressTracker(where, this.#blowUp ? 0 : total, 'step', o);
    return { pr, total: this.#blowUp ? 0 : total, done: 0, time: this.time, stopped: this.#blowUp };
  }

  /** One kernel call; returns a result when the run stops on a blow-up (`onBlowUp: 'stop'`). */
  #chunk(call: RunCall): FpRunResult | null {
    this.assertLive();
    const cells = this.#g.nv * this.#g.nw;
    const every = this.#every;
    const step0 = this.#par.f64()[P.STEP];
    let n: number;
    if (this.#inputFn) {
      n = 1;
      const t = step0 * this.#dt;
      const v = checkFiniteArray(`input(${t}, w)`, this.#inputFn(t, this.#g.w.slice()), this.#g.nw);
      this.assertLive(); // the input function may have disposed the solver
      this.#in.f64().set(v);
    } else {
      const cap = Math.max(1, Math.floor(CHUNK_CELLS / cells));
      n = Math.min(every - (step0 % every), call.total - call.done, cap);
    }
    const code = kernel().fpRun(this.#par.ptr, n);
    const step = this.#par.f64()[P.STEP];
    call.done += step - step0;
    call.time = step * this.#dt;
    if (code !== 0) {
      const f = readFailure(code);
      const w = this.#g.w[f.index];
      if (f.kind === 'blow-up') {
        this.#blowUp = { step: f.step, time: f.time, nbar: f.value, cell: f.index };
        if (call.done > 0 && this.#traceT[this.#traceT.length - 1] !== this.time) this.#record();
        if (this.#onBlowUp === 'stop') return new FpRunResult(call.done, call.time, this.#blowUp);
        throw new NumericalError(
          `FokkerPlanckSolver.run: N̄ = ${f.value} exceeded blowUpRate (or is not finite); the largest N(w) is in w-cell ${f.index} (w = ${w}); the density is left at the last good step`,
          f,
        );
      }
      if (f.kind === 'cfl') {
        const msg =
          this.#par.f64()[P.FAIL_WHERE] === 1
            ? `explicit v-step unstable at w-cell ${f.index} (w = ${w}): dt must be <= ${f.value} τ_m (positivity bound dt·(a/h²)(B(−z)+B(z)) <= 1); use vScheme 'semi-implicit' or a smaller dt`
            : `explicit w-step violates the CFL bound at w-cell ${f.index} (w = ${w}): dt must be <= ${f.value} τ_m (dt·max(α + β)/Δw <= 1, α, β the Rusanov flux coefficients ≈ ε(|Φ−w| + |Φ|) + εν/Δw); use wScheme 'implicit' or a smaller dt`;
        throw new NumericalError(`FokkerPlanckSolver.run: ${msg}`, f);
      }
      throw new NumericalError(`FokkerPlanckSolver.run: N(w) is not finite in w-cell ${f.index} (w = ${w})`, f);
    }
    if (step % every === 0 || call.done === call.total) this.#record();
    if (call.pr.wantsProgress) call.pr.report(call.done, { time: step * this.#dt });
    return null;
  }

  #record(): void {
    const t = this.time;
    if (this.#traceT[this.#traceT.length - 1] === t) return;
    this.#traceT.push(t);
    this.#traceN.push(this.nbar);
  }

  /** Copy of p, row-major `[k * nv + i]`. */
  density(): Float64Array {
    this.assertLive();
    return this.#p.f64().slice();
  }

  /** Copy of the firing-rate density N(w_k) from the last step (spikes per τ_m per unit w). */
  rates(): Float64Array {
    this.assertLive();
    return this.#n.f64().slice();
  }

  /** Copy of the learning field Φ(w_k) from the last learning step. */
  learningField(): Float64Array {
    this.assertLive();
    return this.#phi.f64().slice();
  }

  /** Weight distribution H(w_k) = ∫p dv (eq. (6)). */
  weightDistribution(): Float64Array {
    this.assertLive();
    const { nv, nw, h } = this.#g;
    const p = this.#p.f64();
    const H = new Float64Array(nw);
    for (let k = 0; k < nw; k++) {
      let s = 0;
      for (let i = 0; i < nv; i++) s += p[k * nv + i];
      H[k] = s * h;
    }
    return H;
  }

  /** Discrete mass h·Δw·Σp (1 at the start; conserved to round-off). */
  mass(): number {
    this.assertLive();
    const p = this.#p.f64();
    let s = 0;
    for (let j = 0; j < p.length; j++) s += p[j];
    return s * this.#g.h * this.#g.dw;
  }

  /** Smallest density value (≥ 0 in the semi-implicit scheme). */
  minDensity(): number {
    this.assertLive();
    const p = this.#p.f64();
    let m = Number.POSITIVE_INFINITY;
    for (let j = 0; j < p.length; j++) if (p[j] < m) m = p[j];
    return m;
  }

  /** A copy of the whole state with units ({@link FpState}; `toJSON()` for export). */
  state(): FpState {
    this.assertLive();
    const H = this.weightDistribution();
    const N = this.rates();
    const rate = N.map((x, k) => (H[k] > 0 ? x / H[k] : 0));
    const weights = makeTable<FpWeightColumns>(
      'fp.weights',
      {
        w: { data: this.#g.w.slice(), unit: FP_UNITS.none, description: 'w-cell centre (synaptic weight)' },
        H: { data: H, unit: FP_UNITS.none, description: 'weight density H(w) = ∫p dv' },
        N: { data: N, unit: FP_UNITS.rate, description: 'firing-rate density N(w) (per unit w)' },
        rate: { data: rate, unit: FP_UNITS.rate, description: 'per-neuron rate N(w)/H(w)' },
        phi: { data: this.learningField(), unit: FP_UNITS.none, description: 'learning field Φ(w) of the last learning step' },
      },
      { time: this.time, timeUnit: FP_UNITS.time },
    );
    return new FpState({
      time: this.time,
      step: this.step,
      nbar: this.nbar,
      mass: this.mass(),
      v: this.#g.v.slice(),
      w: this.#g.w.slice(),
      density: this.density(),
      weights,
    });
  }

  /**
   * Recorded (t, N̄) pairs as a table: `time` (τ_m, from 0) and `nbar` (total activity N̄(t),
   * spikes per τ_m), every `recordEverySteps` steps and at the end of each run call.
   */
  trace(): TableOf<{ time: Float64Array; nbar: Float64Array }> {
    return makeTable<{ time: Float64Array; nbar: Float64Array }>(
      'fp.trace',
      {
        time: { data: Float64Array.from(this.#traceT), unit: FP_UNITS.time, description: 'model time' },
        nbar: { data: Float64Array.from(this.#traceN), unit: FP_UNITS.rate, description: 'total activity N̄ = ∫N(w)dw' },
      },
      { dt: this.#dt, recordEverySteps: this.#every },
    );
  }
}
