/**
 * Time-dependent solver for the weight-structured noisy-LIF Fokker–Planck equation (seed 001,
 * eqs. (1)–(3) and, with learning, (9) and (41)).
 * @packageDocumentation
 */
import { AbortedError, NumericalError, ValidationError } from '../kernel/errors.js';
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
  checkOptions,
  checkPositive,
  checkSignal,
} from '../kernel/validate.js';
import { checkGrid, type FpGrid, type FpGridInfo, type FpSigma, sigmaCode } from './common.js';
import { FpWork, P } from './layout.js';

/** Input current I(w) (static) or I(t, w) (re-evaluated every step, in TypeScript). */
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
  /** Learning time scale ε (> 0, dimensionless: the w-transport runs at rate ε). */
  epsilon: number;
  /** Weight diffusion ν (the term εν∂_ww p of eq. (41)). @default 0 */
  nu?: number;
  /** Learning strength K(w) for 'hebbian' and 'stdp'. @default K(w) = −1 for w ≤ 0, +1 for w > 0 (Section 7) */
  K?: FpWeightFunction;
  /** K(w, w') for 'kernel': a function or an nw×nw row-major matrix at the cell centres. */
  kernel?: ((w: number, w2: number) => number) | ArrayLike<number>;
  /** Time constant τ of the STDP window (time units). @default 1 */
  tau?: number;
  /** Whether the transport runs (switch with {@link FokkerPlanckSolver.setLearning}). @default true */
  enabled?: boolean;
}

/** Options of {@link FokkerPlanckSolver}. */
export interface FokkerPlanckOptions {
  /** The (v, w) grid. */
  grid: FpGrid;
  /** Noise intensity a (diffusion coefficient in v, > 0). */
  a: number;
  /** Time step Δt (> 0, in the model's time unit, the membrane time constant). */
  dt: number;
  /** Input I(w) or I(t, w). */
  input: FpInput;
  /** Initial density p⁰ at (v_i, w_k), row-major `[k * nv + i]`, ≥ 0; normalised to mass 1. */
  initial: ArrayLike<number>;
  /** Response σ(N̄). @default 'identity' */
  sigma?: FpSigma;
  /** Learning (omit for eq. (1) with fixed weights). */
  learning?: FpLearning;
  /** v-direction time stepping. @default 'semi-implicit' */
  vScheme?: 'semi-implicit' | 'explicit';
  /** w-direction time stepping. @default 'explicit' */
  wScheme?: 'explicit' | 'implicit';
  /** N̄ above which the run is declared blown up. @default 1000 */
  blowUpRate?: number;
  /** On blow-up: throw a {@link NumericalError} (kind 'blow-up') or stop and report it. @default 'throw' */
  onBlowUp?: 'throw' | 'stop';
}

/** A detected blow-up: the step and time at which N̄ exceeded the threshold (or became non-finite). */
export interface FpBlowUp {
  /** Solver step count at which the blow-up was detected (p is left at the last good step). */
  step: number;
  /** Model time at detection (membrane time constants). */
  time: number;
  /** The offending N̄. */
  nbar: number;
}

/** Result of {@link FokkerPlanckSolver.run}. */
export interface FpRunResult {
  /** Steps completed by this call. */
  steps: number;
  /** Model time after the call. */
  time: number;
  /** Set when the run stopped on a blow-up (`onBlowUp: 'stop'`). */
  blowUp: FpBlowUp | null;
}

/** Options of {@link FokkerPlanckSolver.run}. */
export interface FpRunOptions {
  /** Called after each chunk with (steps done, steps requested). */
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks; aborting throws {@link AbortedError} with the state kept. */
  signal?: AbortSignal;
  /** Record N̄ every this many steps (also the kernel chunk length, ≤ 100). @default 10 */
  recordEvery?: number;
}

const RULES = { hebbian: 1, kernel: 2, stdp: 3 } as const;

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

/**
 * Builds an initial density p⁰(v, w) = H(w)·G(v) with G a Gaussian of the given mean and standard
 * deviation truncated to the grid (zero at V_F), normalised so that the mass h·Δw·Σp is 1.
 * @example
 * ```ts
 * const p0 = fpGaussianDensity(grid, (w) => (w > -1 && w < 0 ? 1 : 0), 0, 0.5);
 * ```
 */
export function fpGaussianDensity(grid: FpGrid, H: FpWeightFunction, mean: number, sd: number): Float64Array {
  const g = checkGrid(grid);
  checkFinite('mean', mean);
  checkPositive('sd', sd);
  const hw = weightValues('H', H, g.w);
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
  if (!(mass > 0)) throw new ValidationError('H', 'a weight density with positive mass on the grid', H);
  for (let j = 0; j < p.length; j++) p[j] /= mass;
  return p;
}

/**
 * Finite-volume solver for p(v, w, t) of the structured noisy LIF model with learning:
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
 * @example
 * ```ts
 * const grid = { vMin: -4, vR: 1, vF: 2, nv: 300, wMin: -0.05, wMax: 0.05, nw: 1 };
 * const fp = new FokkerPlanckSolver({ grid, a: 1, dt: 0.01, input: 0, initial: fpGaussianDensity(grid, 1, 0, 0.5) });
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
  readonly #hasLearning: boolean;
  #traceT: number[] = [];
  #traceN: number[] = [];
  #blowUp: FpBlowUp | null = null;

  constructor(options: FokkerPlanckOptions) {
    super();
    const o = checkOptions('options', options);
    const g = checkGrid(o.grid, 'grid');
    const a = checkPositive('a', o.a);
    const dt = checkPositive('dt', o.dt);
    const sg = sigmaCode(o.sigma);
    const vScheme = checkChoice('vScheme', o.vScheme ?? 'semi-implicit', ['semi-implicit', 'explicit'] as const);
    const wScheme = checkChoice('wScheme', o.wScheme ?? 'explicit', ['explicit', 'implicit'] as const);
    const nMax = checkPositive('blowUpRate', o.blowUpRate ?? 1000);
    this.#onBlowUp = checkChoice('onBlowUp', o.onBlowUp ?? 'throw', ['throw', 'stop'] as const);
    const { nv, nw } = g;
    const p0 = checkFiniteArray('initial', o.initial, nv * nw, (nm, x) => {
      if (x < 0) throw new ValidationError(nm, 'a density value >= 0', x);
    });
    let mass = 0;
    for (let j = 0; j < p0.length; j++) mass += p0[j];
    mass *= g.h * g.dw;
    if (!(mass > 0)) throw new ValidationError('initial', 'a density with positive mass', 'all zeros');
    for (let j = 0; j < p0.length; j++) p0[j] /= mass;

    // Input
    let inputFn: ((t: number, w: Float64Array) => ArrayLike<number>) | null = null;
    let i0: Float64Array;
    if (typeof o.input === 'function') {
      inputFn = o.input;
      i0 = checkFiniteArray('input(0, w)', inputFn(0, g.w.slice()), nw);
    } else if (typeof o.input === 'number') {
      i0 = new Float64Array(nw).fill(checkFinite('input', o.input));
    } else {
      i0 = checkFiniteArray('input', o.input, nw);
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
      const L = checkOptions('learning', o.learning);
      rule = RULES[checkChoice('learning.rule', L.rule, ['hebbian', 'kernel', 'stdp'] as const)];
      eps = checkPositive('learning.epsilon', L.epsilon);
      nu = checkNonNegative('learning.nu', L.nu ?? 0);
      tau = checkPositive('learning.tau', L.tau ?? 1);
      enabled = checkBoolean('learning.enabled', L.enabled ?? true);
      kv = weightValues('learning.K', L.K ?? ((w: number) => (w <= 0 ? -1 : 1)), g.w);
      if (rule === 2) {
        if (L.kernel === undefined) throw new ValidationError('learning.kernel', 'K(w, w′) for rule "kernel"', undefined);
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
  }

  /** The validated grid (cell-centre weights `w`, nodes `v`, steps `h`, `dw`, reset index `iR`). */
  get grid(): Readonly<FpGridInfo> {
    return this.#g;
  }

  /** Completed steps. */
  get step(): number {
    this.assertLive();
    return this.#par.f64()[P.STEP];
  }

  /** Model time = step·Δt. */
  get time(): number {
    return this.step * this.#dt;
  }

  /** Total activity N̄ = ∫N(w)dw after the last step. */
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
   * Advances by `duration` (rounded to whole steps). Kernel calls are chunked (`recordEvery`
   * steps, or 1 step when the input is I(t, w)); N̄ is recorded after each chunk.
   */
  run(duration: number, options: FpRunOptions = {}): FpRunResult {
    this.assertLive();
    checkNonNegative('duration', duration);
    const o = checkOptions('options', options);
    const signal = checkSignal('options.signal', o.signal);
    const every = checkInteger('options.recordEvery', o.recordEvery ?? 10, 1, 100);
    if (this.#blowUp) return { steps: 0, time: this.time, blowUp: this.#blowUp };
    const total = Math.round(duration / this.#dt);
    const k = kernel();
    const par = this.#par.ptr;
    let done = 0;
    while (done < total) {
      if (signal?.aborted) throw new AbortedError('FokkerPlanckSolver.run aborted', { steps: done, time: this.time });
      const chunk = this.#inputFn ? 1 : Math.min(every, total - done);
      if (this.#inputFn) {
        const t = this.time;
        this.#in.f64().set(checkFiniteArray(`input(${t}, w)`, this.#inputFn(t, this.#g.w.slice()), this.#g.nw));
      }
      const before = this.step;
      const code = k.fpRun(par, chunk);
      done += this.step - before;
      if (code !== 0) {
        const f = readFailure(code);
        if (f.kind === 'blow-up') {
          this.#blowUp = { step: f.step, time: f.time, nbar: f.value };
          if (this.#onBlowUp === 'stop') return { steps: done, time: this.time, blowUp: this.#blowUp };
        }
        if (f.kind === 'cfl') {
          const msg =
            f.index >= 0
              ? `explicit v-step unstable at w-slice ${f.index}: dt must be <= ${f.value} (positivity bound dt·(a/h²)(B(−z)+B(z)) <= 1); use vScheme 'semi-implicit' or a smaller dt`
              : `explicit w-step violates the CFL bound: dt must be <= ${f.value} (dt·max(α + β)/Δw <= 1, α, β the Rusanov flux coefficients ≈ ε(|Φ−w| + |Φ|) + εν/Δw); use wScheme 'implicit' or a smaller dt`;
          throw new NumericalError(`FokkerPlanckSolver.run: ${msg}`, f);
        }
        throw new NumericalError('FokkerPlanckSolver.run', f);
      }
      if ((this.step % every === 0 || done === total) && this.#traceT[this.#traceT.length - 1] !== this.time) {
        this.#traceT.push(this.time);
        this.#traceN.push(this.nbar);
      }
      o.onProgress?.(done, total);
    }
    return { steps: done, time: this.time, blowUp: null };
  }

  /** Copy of p, row-major `[k * nv + i]`. */
  density(): Float64Array {
    this.assertLive();
    return this.#p.f64().slice();
  }

  /** Copy of the firing-rate density N(w_k) from the last step. */
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

  /** Recorded (t, N̄) pairs (copies). */
  trace(): {
    /** Model times of the records (membrane time constants), starting at 0. */
    t: Float64Array;
    /** Total activity N̄(t) = ∫N(w,t)dw at those times (spikes per membrane time constant). */
    nbar: Float64Array;
  } {
    return { t: Float64Array.from(this.#traceT), nbar: Float64Array.from(this.#traceN) };
  }
}
