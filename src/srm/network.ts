/**
 * Escape-noise spike-response (SRM) networks with visible and hidden neurons, the exact
 * log-likelihood of a spike train, and likelihood-gradient / variational learning
 * (seed 003: Jimenez Rezende & Gerstner 2014, Front. Comput. Neurosci. 8:38; the seed note's
 * eq. 1 for the potential, eq. 24 for the M rule, eq. 25 for the Q rule).
 *
 * ## Model (time in ms, u dimensionless, rates in 1/ms)
 * - u_i(t) = Σ_j w_ij φ_j(t) + b_i − η0 a_i(t)                       (seed eq. 1, plus a bias b_i)
 * - φ_j(t) = Σ_{k<t} e^{−(t−k)dt/τ} X_j(k),  a_i(t) = Σ_{k<t} e^{−(t−k)dt/τ_adapt} X_i(k)
 * - ρ_i(t) = ρ0 exp((u_i(t) − ϑ)/Δu),  λ_i(t) = ρ_i(t) dt
 * - X_i(t) ~ Bernoulli(p_i(t)),  p = 1 − e^{−λ}   (at most one spike per step)
 *
 * ## Discretisation (exact on the grid)
 * The traces are the exponential kernels sampled exactly at the grid points, with a spike in
 * step k counted at the start of that step and felt from step k+1 on (causal: X_i(t) never
 * depends on itself): φ(t+1) = e^{−dt/τ} (φ(t) + X(t)). This is the exact solution of
 * dφ/dt = −φ/τ + Σ δ(t − t_f) with spikes at t_f = k·dt, not an Euler step
 * (φ += dt/τ (X − φ) would differ by O(dt)).
 *
 * ## Order of operations in a step
 * potential → rate → spike (sample or clamp) → log-likelihood and score → eligibility →
 * traces (φ, a, and Σ_j w_ij φ_j, kept incrementally: O(n·(1 + spikes)) per step).
 *
 * ## Likelihood and gradient
 * log p(X) = Σ_{t,i} [X log(1 − e^{−λ}) − (1 − X) λ]  (exact for the process above), and
 * ∂ log p/∂w_ij = (1/Δu) Σ_t [X_i λ_i/(e^{λ_i} − 1) − (1 − X_i) λ_i] φ_j(t).
 * The familiar rule (1/Δu) Σ_t [X_i − ρ_i dt] φ_j is the exact gradient of the Poisson-count
 * form Σ [X log λ − λ] (`form: 'poisson'`); the two agree to O(λ) per spike. The seed's final
 * update with φ_j(t)² is not a gradient of either (see docs/srm.md).
 * @packageDocumentation
 */
import { AbortedError, NeurodynError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import {
  checkChoice,
  checkFinite,
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  checkSignal,
  isNumericArray,
  scalarOrArray,
} from '../kernel/validate.js';
import { Streams } from '../rng/index.js';
import { type Key, type Seed, seedToKey, trialKey } from '../rng/seed.js';

export * as srmReference from './reference.js';

/** Steps per kernel call (V8 has no on-stack replacement for WASM: keep calls short). */
const CHUNK = 100;

/** Neuron and discretisation parameters shared by all neurons of an {@link SrmNetwork}. */
export interface SrmParams {
  /** PSP trace time constant τ (ms). @default 10 */
  tau?: number;
  /** Adaptation time constant τ_adapt (ms). @default 20 */
  tauAdapt?: number;
  /** Adaptation strength η0 (units of u; the kernel is −η0 e^{−s/τ_adapt}). @default 1 */
  eta0?: number;
  /** Rate at threshold ρ0 (1/ms). @default 0.02 (20 Hz) */
  rho0?: number;
  /** Threshold ϑ (units of u). @default 0 */
  theta?: number;
  /** Escape-noise width Δu (units of u), > 0. @default 1 */
  deltaU?: number;
  /** Time step (ms). @default 1 */
  dt?: number;
}

/** Resolved parameters. */
export type SrmResolvedParams = Required<SrmParams>;

/** Default parameters (neurodyn's choice; the paper's values could not be verified). */
export const SRM_DEFAULTS: SrmResolvedParams = { tau: 10, tauAdapt: 20, eta0: 1, rho0: 0.02, theta: 0, deltaU: 1, dt: 1 };

/** Named warnings of the srm module (silence them with `silence: [name]`). */
export type SrmWarningName = 'srm.saturation';

/** A warning: `name` identifies it, `message` explains it. */
export interface SrmWarning {
  /** Which warning (`'srm.saturation'`: λ = ρ dt large, the one-spike-per-step cap binds). */
  name: SrmWarningName;
  /** Human-readable explanation with the offending values. */
  message: string;
}

/**
 * A spike train of n neurons over `steps` steps: `spikes[t*n + i]` is X_i(t) ∈ {0, 1}.
 * Step t covers [t·dt, (t+1)·dt).
 */
export interface SrmSpikeTrain {
  /** Number of neurons. */
  n: number;
  /** Number of time steps (duration steps·dt ms). */
  steps: number;
  /** X_i(t) ∈ {0, 1}, time-major: `spikes[t*n + i]`, length steps·n. */
  spikes: Uint8Array;
}

/** Which likelihood: `'bernoulli'` (exact for this process) or `'poisson'` (the X − ρdt rule). */
export type SrmLikelihoodForm = 'bernoulli' | 'poisson';

/** Result of {@link SrmNetwork.gradient}. Matrices are row-major: `dW[i*n + j] = ∂/∂w_ij`. */
export interface SrmGradient {
  /** Total log-likelihood (nats). */
  logLik: number;
  /** Log-likelihood per neuron. */
  perNeuron: Float64Array;
  /** ∂ log p / ∂w_ij (row-major n×n). */
  dW: Float64Array;
  /** ∂ log p / ∂b_i. */
  dBias: Float64Array;
}

/** Options shared by the evaluating methods. */
export interface SrmEvalOptions {
  /** @default 'bernoulli' */
  form?: SrmLikelihoodForm;
}

/** Options of {@link SrmNetwork.sample}. */
export interface SrmSampleOptions {
  /** Seed of the spike draws (stream `Streams.spikes`). @default the network's seed */
  seed?: Seed;
  /** Trial index: draws use `trialKey(seed, trial)`. @default none (the seed's own key) */
  trial?: number;
  /** A raw key instead of seed/trial. */
  key?: Key;
  /**
   * Data for the visible neurons: during its first `clampSteps` steps the visible neurons are
   * clamped to it, the hidden ones are sampled (a cue, or inference for the Q network).
   */
  clamp?: SrmSpikeTrain;
  /** Steps during which the visible neurons are clamped. @default clamp.steps */
  clampSteps?: number;
  /**
   * Also return the score ∂ log p/∂(w, b) of the sampled train in the same pass: `'backward'`
   * (event-driven, O(n·(T + spikes))) or `'forward'` (dense eligibility, O(n²T)). @default none
   */
  gradient?: 'backward' | 'forward';
}

/** A sample of the network. */
export interface SrmSample {
  /** The sampled train (clamped neurons carry the data during the clamp). */
  train: SrmSpikeTrain;
  /** log p of the whole train (clamped neurons included). */
  logLik: number;
  /** Log-likelihood per neuron. */
  perNeuron: Float64Array;
  /** Largest λ = ρ dt seen. */
  maxLambda: number;
  /** The score of the train (Bernoulli form), when `options.gradient` was given. */
  gradient?: SrmGradient;
}

/** Options of {@link SrmNetwork}. */
export interface SrmNetworkOptions extends SrmParams {
  /** Number of neurons. */
  n: number;
  /** Weights, row-major `w[i*n + j]` = w_ij (from j to i). @default zeros */
  weights?: ArrayLike<number>;
  /** Bias b_i (scalar or per neuron). @default 0 */
  bias?: number | ArrayLike<number>;
  /** Visible mask (length n; 1 or true = visible, 0 or false = hidden). @default all visible */
  visible?: ArrayLike<number | boolean>;
  /** Default seed of the spike draws. @default 0 */
  seed?: Seed;
  /** λ = ρ dt above which the named warning `srm.saturation` is raised. @default 0.5 */
  saturationLambda?: number;
  /** Receives warnings. @default console.warn (once per name per network) */
  onWarning?: (w: SrmWarning) => void;
  /** Warning names to silence. */
  silence?: SrmWarningName[];
}

function resolveParams(o: SrmParams): SrmResolvedParams {
  const p = { ...SRM_DEFAULTS };
  for (const k of Object.keys(SRM_DEFAULTS) as (keyof SrmParams)[]) if (o[k] !== undefined) p[k] = o[k] as number;
  checkPositive('tau', p.tau, 'ms');
  checkPositive('tauAdapt', p.tauAdapt, 'ms');
  checkFinite('eta0', p.eta0);
  checkPositive('rho0', p.rho0, '1/ms');
  checkFinite('theta', p.theta);
  checkPositive('deltaU', p.deltaU);
  checkPositive('dt', p.dt, 'ms');
  return p;
}

/** Checks a 0/1 mask of length `len` and returns it as Float64Array. */
export function checkSrmMask(name: string, v: unknown, len: number): Float64Array {
  if (!isNumericArray(v) && !Array.isArray(v)) throw new ValidationError(name, `an array of 0/1 of length ${len}`, v);
  const a = v as ArrayLike<unknown>;
  if (a.length !== len) throw new ValidationError(`${name}.length`, `${len}`, a.length);
  const out = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const x = a[i];
    const b = x === true ? 1 : x === false ? 0 : x;
    if (b !== 0 && b !== 1) throw new ValidationError(`${name}[${i}]`, '0, 1, true or false', x);
    out[i] = b;
  }
  return out;
}

/** Checks a spike train of `n` neurons. */
export function checkSrmTrain(name: string, v: unknown, n: number): SrmSpikeTrain {
  if (typeof v !== 'object' || v === null) throw new ValidationError(name, 'a spike train { n, steps, spikes }', v);
  const t = v as SrmSpikeTrain;
  if (t.n !== n) throw new ValidationError(`${name}.n`, `${n} (the network's size)`, t.n);
  checkInteger(`${name}.steps`, t.steps, 1, 0x7fffffff);
  if (!(t.spikes instanceof Uint8Array)) throw new ValidationError(`${name}.spikes`, 'a Uint8Array', t.spikes);
  if (t.spikes.length !== t.steps * n) throw new ValidationError(`${name}.spikes.length`, `${t.steps * n} (steps·n)`, t.spikes.length);
  for (let k = 0; k < t.spikes.length; k++) {
    if (t.spikes[k] > 1) throw new ValidationError(`${name}.spikes[${k}]`, '0 or 1', t.spikes[k]);
  }
  return t;
}

/**
 * Van Rossum distance between two spike trains of the same shape:
 * D = sqrt( (1/τ_R) Σ_i ∫ (f_i − g_i)² dt ), f, g the trains filtered with e^{−t/τ_R}
 * (exact on the grid, a spike of unit area). Neurons can be restricted with `neurons`.
 * The filtered difference is integrated exactly within each step, so two trains differing by
 * one spike are at distance 1/√2 for any dt (when the train runs several τ_R past the spike).
 * @example
 * ```ts
 * const d = vanRossumDistance(a, b, { tau: 10, dt: 1 });
 * ```
 */
export function vanRossumDistance(
  a: SrmSpikeTrain,
  b: SrmSpikeTrain,
  o: { tau?: number; dt?: number; neurons?: ArrayLike<number> } = {},
): number {
  checkSrmTrain('a', a, a?.n);
  checkSrmTrain('b', b, a.n);
  if (b.steps !== a.steps) throw new ValidationError('b.steps', `${a.steps} (= a.steps)`, b.steps);
  const tau = checkPositive('options.tau', o.tau ?? 10, 'ms');
  const dt = checkPositive('options.dt', o.dt ?? 1, 'ms');
  const n = a.n;
  const idx = o.neurons ? Array.from(o.neurons) : Array.from({ length: n }, (_, i) => i);
  const k = Math.exp(-dt / tau);
  // Within a step the difference decays as d·e^{−s/τ}: ∫_0^dt d² e^{−2s/τ} ds = d² τ(1 − k²)/2.
  const c = (1 - k * k) / 2;
  let sum = 0;
  for (const i of idx) {
    checkInteger('options.neurons[]', i, 0, n - 1);
    let d = 0;
    for (let t = 0; t < a.steps; t++) {
      d += a.spikes[t * n + i] - b.spikes[t * n + i];
      sum += d * d * c;
      d *= k;
    }
  }
  return Math.sqrt(sum);
}

/**
 * A recurrent escape-noise network of n neurons (visible and hidden) holding its weights,
 * biases and state in kernel memory. Methods that evaluate a train (`logLikelihood`,
 * `gradient`, `learnOnline`) and `sample` start from rest (φ = a = 0); `run` continues the
 * network's own state.
 * @example
 * ```ts
 * const net = new SrmNetwork({ n: 3, weights: [0, 0, 0, 2, 0, 0, 0, 2, 0], bias: -1 });
 * const s = net.sample(1000, { seed: 1 });
 * const g = net.gradient(s.train);   // exact Bernoulli gradient, g.dW row-major
 * net.dispose();
 * ```
 */
export class SrmNetwork extends KernelObject {
  /** Number of neurons. */
  readonly n: number;
  /** Resolved parameters. */
  readonly params: SrmResolvedParams;
  /** Visible mask (1 = visible). */
  readonly visible: Uint8Array;
  readonly #key: Key;
  readonly #wT: Region;
  readonly #bias: Region;
  readonly #state: Region; // phi | adapt | usyn | sbuf | ll | gb | r | ubuf | st(2)
  readonly #spk: Region;
  readonly #run: Region; // CHUNK*n spikes for run()
  #elig: Region | null = null;
  #mask: Region | null = null;
  #runState: Float64Array | null = null; // saved phi|adapt for run()
  #step = 0;
  readonly #warned = new Set<string>();
  readonly #onWarning: (w: SrmWarning) => void;
  readonly #silence: Set<string>;
  readonly #satLambda: number;

  constructor(options: SrmNetworkOptions) {
    super();
    const o = checkOptions('options', options);
    const n = checkInteger('n', o.n, 1, 8192);
    this.n = n;
    this.params = resolveParams(o);
    this.visible = new Uint8Array(n).fill(1);
    if (o.visible !== undefined) this.visible.set(checkSrmMask('visible', o.visible, n));
    const w = o.weights === undefined ? new Float64Array(n * n) : scalarOrArray('weights', o.weights, n * n);
    const b = scalarOrArray('bias', o.bias ?? 0, n);
    this.#satLambda = checkPositive('saturationLambda', o.saturationLambda ?? 0.5);
    this.#silence = new Set(o.silence ?? []);
    this.#onWarning = o.onWarning ?? ((x) => console.warn(`${x.name}: ${x.message}`));
    this.#checkRest(b);
    this.#key = o.seed === undefined ? seedToKey(0) : seedToKey(o.seed);
    this.#wT = this.allocate(n * n * 8, 'srm.weights');
    this.#bias = this.allocate(n * 8, 'srm.bias');
    this.#state = this.allocate((8 * n + 2) * 8, 'srm.state');
    this.#spk = this.allocate(n * 4, 'srm.spikeList');
    this.#run = this.allocate(CHUNK * n, 'srm.run');
    this.setWeights(w);
    this.#bias.f64(0, n).set(b);
  }

  #checkRest(b: Float64Array): void {
    const p = this.params;
    let bmax = Number.NEGATIVE_INFINITY;
    for (const x of b) bmax = Math.max(bmax, x);
    const lam = p.rho0 * p.dt * Math.exp((bmax - p.theta) / p.deltaU);
    if (lam > 1) {
      throw new ValidationError(
        'dt',
        `a step with ρ dt ≤ 1 at rest (ρ0·exp((max bias − ϑ)/Δu)·dt = ${lam.toPrecision(3)}: the Bernoulli discretisation saturates, at most one spike per step); use dt ≤ ${(p.dt / lam).toPrecision(3)} ms`,
        p.dt,
      );
    }
  }

  #warn(name: SrmWarningName, message: string): void {
    if (this.#silence.has(name) || this.#warned.has(name)) return;
    this.#warned.add(name);
    this.#onWarning({ name, message });
  }

  /** Weights, row-major copy: `w[i*n + j]` = w_ij. */
  weights(): Float64Array {
    this.assertLive();
    const n = this.n;
    const wT = this.#wT.f64(0, n * n);
    const out = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i * n + j] = wT[j * n + i];
    return out;
  }

  /** Sets the weights (row-major `w[i*n + j]` = w_ij). */
  setWeights(w: ArrayLike<number>): void {
    this.assertLive();
    const n = this.n;
    const a = scalarOrArray('weights', w, n * n);
    const wT = this.#wT.f64(0, n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) wT[j * n + i] = a[i * n + j];
    this.#runState = null;
  }

  /** Biases (copy). */
  bias(): Float64Array {
    this.assertLive();
    return this.#bias.f64(0, this.n).slice();
  }

  /** Sets the biases (scalar or per neuron). */
  setBias(b: number | ArrayLike<number>): void {
    this.assertLive();
    const a = scalarOrArray('bias', b, this.n);
    this.#checkRest(a);
    this.#bias.f64(0, this.n).set(a);
  }

  /** Adds `scale · dW` (row-major) to the weights and `scale · dBias` to the biases. */
  addToParameters(scale: number, dW: ArrayLike<number> | null, dBias: ArrayLike<number> | null = null): void {
    this.assertLive();
    checkFinite('scale', scale);
    const n = this.n;
    if (dW) {
      const d = scalarOrArray('dW', dW, n * n);
      const wT = this.#wT.f64(0, n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) wT[j * n + i] += scale * d[i * n + j];
    }
    if (dBias) {
      const d = scalarOrArray('dBias', dBias, n);
      const b = this.#bias.f64(0, n);
      // No rest check here: learning may raise rates; `srm.saturation` reports it during runs.
      for (let i = 0; i < n; i++) b[i] += scale * d[i];
    }
    this.#runState = null;
  }

  #keyOf(o: { seed?: Seed; trial?: number; key?: Key }): Key {
    if (o.key) {
      checkInteger('options.key.k0', o.key.k0, 0, 0xffffffff);
      checkInteger('options.key.k1', o.key.k1, 0, 0xffffffff);
      return o.key;
    }
    if (o.trial !== undefined) return trialKey(o.seed ?? 0, o.trial);
    return o.seed === undefined ? this.#key : seedToKey(o.seed);
  }

  /** Offsets (in f64) of the state vectors. */
  #views() {
    const n = this.n;
    const base = this.#state.ptr;
    return {
      phi: base,
      adapt: base + 8 * n,
      usyn: base + 16 * n,
      sbuf: base + 24 * n,
      ll: base + 32 * n,
      gb: base + 40 * n,
      r: base + 48 * n,
      ubuf: base + 56 * n,
      st: base + 64 * n,
    };
  }

  #consts(form: SrmLikelihoodForm) {
    const p = this.params;
    return {
      kPsp: Math.exp(-p.dt / p.tau),
      kAdapt: Math.exp(-p.dt / p.tauAdapt),
      eta0: p.eta0,
      invDu: 1 / p.deltaU,
      logC: Math.log(p.rho0 * p.dt) - p.theta / p.deltaU,
      form: form === 'poisson' ? 1 : 0,
    };
  }

  /** Resets phi, adapt, usyn, ll, gb, r, st to zero (rest). */
  #rest(): void {
    const n = this.n;
    this.#state.f64(0, 8 * n + 2).fill(0);
  }

  /**
   * Core evaluation: runs `steps` steps from rest with the given clamp/data, storing spikes
   * (and scores when `score` is given). Returns the status-checked results in kernel memory.
   */
  #evaluate(
    steps: number,
    key: Key,
    clampMask: Uint8Array | null,
    data: Uint8Array | null,
    dataSteps: number,
    spikesPtr: number,
    scorePtr: number,
    eligPtr: number,
    form: SrmLikelihoodForm,
    context: string,
  ): void {
    const k = kernel();
    const n = this.n;
    const c = this.#consts(form);
    const v = this.#views();
    this.#rest();
    let clampReg: Region | null = null;
    let dataReg: Region | null = null;
    try {
      if (clampMask) {
        clampReg = new Region(n, 'srm.clamp');
        dataReg = new Region(Math.max(1, dataSteps * n), 'srm.data');
        clampReg.u8(0, n).set(clampMask);
        if (data) dataReg.u8(0, dataSteps * n).set(data.subarray(0, dataSteps * n));
      }
      let t = 0;
      while (t < steps) {
        const clamped = clampReg !== null && t < dataSteps;
        const mm = clamped ? Math.min(CHUNK, steps - t, dataSteps - t) : Math.min(CHUNK, steps - t);
        const code = k.srmRun(
          n,
          mm,
          t,
          this.#wT.ptr,
          this.#bias.ptr,
          v.phi,
          v.adapt,
          v.usyn,
          c.kPsp,
          c.kAdapt,
          c.eta0,
          c.invDu,
          c.logC,
          clamped ? clampReg!.ptr : 0,
          clamped ? dataReg!.ptr + t * n : 0,
          spikesPtr + t * n,
          scorePtr ? scorePtr + t * n * 8 : 0,
          v.sbuf,
          v.ll,
          v.gb,
          eligPtr,
          1,
          c.form,
          key.k0,
          key.k1,
          Streams.spikes,
          this.#spk.ptr,
          v.st,
          this.params.dt,
          v.ubuf,
        );
        checkStatus(code, context);
        t += mm;
      }
    } finally {
      clampReg?.free();
      dataReg?.free();
    }
    this.#afterRun();
  }

  #afterRun(): void {
    const st = new Float64Array(kernel().memory.buffer, this.#views().st, 2);
    if (st[0] > this.#satLambda) {
      this.#warn(
        'srm.saturation',
        `ρ dt reached ${st[0].toPrecision(3)} (> ${this.#satLambda}; ${st[1]} neuron-steps had ρ dt > 1): the per-step spike probability 1 − e^{−ρ dt} saturates, so the discrete process no longer approximates the continuous-time one; reduce dt`,
      );
    }
  }

  #perNeuron(): Float64Array {
    return new Float64Array(kernel().memory.buffer, this.#views().ll, this.n).slice();
  }

  /**
   * Samples `steps` steps from rest: hidden (and, after `clampSteps`, visible) neurons spike
   * with probability 1 − e^{−ρ dt} (Philox stream `Streams.spikes`, element i, step t); visible
   * neurons follow `options.clamp` during the first `clampSteps` steps.
   */
  sample(steps: number, options: SrmSampleOptions = {}): SrmSample {
    this.assertLive();
    const o = checkOptions('options', options);
    checkInteger('steps', steps, 1, 0x7fffffff);
    const key = this.#keyOf(o);
    let clampMask: Uint8Array | null = null;
    let data: Uint8Array | null = null;
    let dataSteps = 0;
    if (o.clamp !== undefined) {
      const c = checkSrmTrain('options.clamp', o.clamp, this.n);
      dataSteps = checkInteger('options.clampSteps', o.clampSteps ?? Math.min(c.steps, steps), 0, Math.min(c.steps, steps));
      clampMask = this.visible;
      data = c.spikes;
    }
    const gm = o.gradient === undefined ? null : checkChoice('options.gradient', o.gradient, ['backward', 'forward'] as const);
    const fwd = gm === 'forward';
    const n = this.n;
    const sp = new Region(steps * n, 'srm.spikes');
    const g = gm ? new Region(n * n * 8, 'srm.grad') : null;
    const sc = gm === 'backward' ? new Region(steps * n * 8, 'srm.score') : null;
    try {
      this.#evaluate(steps, key, clampMask, data, dataSteps, sp.ptr, sc ? sc.ptr : 0, fwd ? g!.ptr : 0, 'bernoulli', 'SrmNetwork.sample');
      if (sc) this.#backward(steps, sp.ptr, sc.ptr, g!.ptr);
      const st = new Float64Array(kernel().memory.buffer, this.#views().st, 1);
      const perNeuron = this.#perNeuron();
      const logLik = perNeuron.reduce((a, b) => a + b, 0);
      return {
        train: { n, steps, spikes: sp.u8(0, steps * n).slice() },
        logLik,
        perNeuron,
        maxLambda: st[0],
        gradient: g ? this.#gradientResult(g, logLik, perNeuron) : undefined,
      };
    } finally {
      sp.free();
      g?.free();
      sc?.free();
    }
  }

  /** Event-driven backward pass over a whole train (chunks last to first), into gT. */
  #backward(steps: number, spikesPtr: number, scorePtr: number, gPtr: number): void {
    const k = kernel();
    const n = this.n;
    const kPsp = Math.exp(-this.params.dt / this.params.tau);
    const r = this.#views().r;
    new Float64Array(k.memory.buffer, r, n).fill(0);
    const last = Math.floor((steps - 1) / CHUNK) * CHUNK;
    for (let s = last; s >= 0; s -= CHUNK) {
      k.srmBackward(n, Math.min(CHUNK, steps - s), spikesPtr + s * n, scorePtr + s * n * 8, kPsp, r, gPtr);
    }
    // phi(0) = 0: every evaluation starts from rest, so there is no initial-trace term.
  }

  #gradientResult(g: Region, logLik: number, perNeuron: Float64Array): SrmGradient {
    const n = this.n;
    const gT = g.f64(0, n * n);
    const dW = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) dW[i * n + j] = gT[j * n + i];
    const dBias = new Float64Array(kernel().memory.buffer, this.#views().gb, n).slice();
    return { logLik, perNeuron, dW, dBias };
  }

  /** Exact log-likelihood of a train (all neurons clamped), from rest. */
  logLikelihood(
    train: SrmSpikeTrain,
    options: SrmEvalOptions = {},
  ): {
    /** log p(X) of the whole train (nats), Σ over neurons of `perNeuron`. */
    total: number;
    /** Σ_t log p(X_i(t) | past) per neuron i (nats). */
    perNeuron: Float64Array;
  } {
    this.assertLive();
    const t = checkSrmTrain('train', train, this.n);
    const form = checkChoice('options.form', checkOptions('options', options).form ?? 'bernoulli', ['bernoulli', 'poisson'] as const);
    const sp = new Region(t.steps * this.n, 'srm.spikes');
    try {
      this.#evaluate(t.steps, this.#key, new Uint8Array(this.n).fill(1), t.spikes, t.steps, sp.ptr, 0, 0, form, 'SrmNetwork.logLikelihood');
      const perNeuron = this.#perNeuron();
      return { total: perNeuron.reduce((a, b) => a + b, 0), perNeuron };
    } finally {
      sp.free();
    }
  }

  /**
   * Log-likelihood and its exact gradient for a train (all neurons clamped), from rest:
   * ∂ log p/∂w_ij = Σ_t s_i(t) φ_j(t), s_i = ∂ log p(X_i(t)|past)/∂u_i, accumulated by an
   * event-driven backward pass (O(n·(T + spikes))). `method: 'forward'` uses the dense forward
   * eligibility e_ij += s_i φ_j instead (O(n²T), same value up to rounding).
   */
  gradient(train: SrmSpikeTrain, options: SrmEvalOptions & { method?: 'backward' | 'forward' } = {}): SrmGradient {
    this.assertLive();
    const n = this.n;
    const t = checkSrmTrain('train', train, n);
    const o = checkOptions('options', options);
    const form = checkChoice('options.form', o.form ?? 'bernoulli', ['bernoulli', 'poisson'] as const);
    const method = checkChoice('options.method', o.method ?? 'backward', ['backward', 'forward'] as const);
    const sp = new Region(t.steps * n, 'srm.spikes');
    const g = new Region(n * n * 8, 'srm.grad');
    const sc = method === 'backward' ? new Region(t.steps * n * 8, 'srm.score') : null;
    try {
      this.#evaluate(
        t.steps,
        this.#key,
        new Uint8Array(n).fill(1),
        t.spikes,
        t.steps,
        sp.ptr,
        sc ? sc.ptr : 0,
        sc ? 0 : g.ptr,
        form,
        'SrmNetwork.gradient',
      );
      if (sc) this.#backward(t.steps, sp.ptr, sc.ptr, g.ptr);
      const perNeuron = this.#perNeuron();
      return this.#gradientResult(
        g,
        perNeuron.reduce((a, b) => a + b, 0),
        perNeuron,
      );
    } finally {
      sp.free();
      g.free();
      sc?.free();
    }
  }

  /**
   * Online M rule with an eligibility trace over one presentation of `train` (all neurons
   * clamped, from rest; the trace and the weights persist across calls):
   * e_ij ← κ e_ij + s_i(t) φ_j(t), w_ij ← w_ij + μ (1 − κ) mask_ij e_ij every step, with
   * κ = e^{−dt/τ_G}. Summed over a presentation the updates equal μ·(batch gradient −
   * κ e(T)) to first order in μ; τ_G → 0 is plain per-step stochastic gradient ascent.
   * Returns the log-likelihood accumulated along the way (with the weights of each step).
   */
  learnOnline(
    train: SrmSpikeTrain,
    options: { learningRate: number; tauElig?: number; mask?: ArrayLike<number | boolean>; form?: SrmLikelihoodForm; resetTrace?: boolean },
  ): {
    /** Log-likelihood of the train (nats), each step under the weights current at that step. */
    logLik: number;
  } {
    this.assertLive();
    const n = this.n;
    const t = checkSrmTrain('train', train, n);

    const o = checkOptions('options', options);
    const mu = checkNonNegative('options.learningRate', o.learningRate);
    const tauG = checkPositive('options.tauElig', o.tauElig ?? this.params.tau, 'ms');
    const form = checkChoice('options.form', o.form ?? 'bernoulli', ['bernoulli', 'poisson'] as const);
    const mask = o.mask === undefined ? null : checkSrmMask('options.mask', o.mask, n * n);
    const c = this.#consts(form);
    if (!this.#elig) this.#elig = this.allocate(n * n * 8, 'srm.elig');
    if (mask && !this.#mask) this.#mask = this.allocate(n * n * 8, 'srm.mask');
    if (o.resetTrace) this.#elig.f64(0, n * n).fill(0);
    if (mask) {
      const mT = this.#mask!.f64(0, n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) mT[j * n + i] = mask[i * n + j];
    }
    const kG = Math.exp(-this.params.dt / tauG);
    const k = kernel();
    const sp = new Region(t.steps * n, 'srm.spikes');
    const all = new Region(n, 'srm.clamp');
    const dat = new Region(t.steps * n, 'srm.data');
    try {
      all.u8(0, n).fill(1);
      dat.u8(0, t.steps * n).set(t.spikes);
      this.#rest();
      const v = this.#views();
      for (let s = 0; s < t.steps; s += CHUNK) {
        const m = Math.min(CHUNK, t.steps - s);
        const code = k.srmOnline(
          n,
          m,
          s,
          this.#wT.ptr,
          this.#bias.ptr,
          v.phi,
          v.adapt,
          v.usyn,
          c.kPsp,
          c.kAdapt,
          c.eta0,
          c.invDu,
          c.logC,
          all.ptr,
          dat.ptr + s * n,
          sp.ptr + s * n,
          v.sbuf,
          v.ll,
          v.gb,
          this.#elig.ptr,
          kG,
          mu * (1 - kG),
          mask ? this.#mask!.ptr : 0,
          c.form,
          0,
          0,
          Streams.spikes,
          v.st,
          this.params.dt,
          v.ubuf,
        );
        checkStatus(code, 'SrmNetwork.learnOnline');
      }
      this.#afterRun();
      this.#runState = null;
      return { logLik: this.#perNeuron().reduce((a, b) => a + b, 0) };
    } finally {
      sp.free();
      all.free();
      dat.free();
    }
  }

  /** Global step of {@link SrmNetwork.run} (steps simulated since construction or `reset`). */
  get step(): number {
    return this.#step;
  }

  /** Returns `run` to rest and step 0. */
  reset(): void {
    this.assertLive();
    this.#step = 0;
    this.#runState = null;
  }

  /**
   * Free-running simulation continuing the network's own state (all neurons sampled, draws
   * of step t from the network's seed at global step t, so chunking never changes the result).
   * Returns the spikes of the `steps` new steps.
   */
  async run(
    steps: number,
    options: { onProgress?: (p: { completed: number; total: number }) => void; signal?: AbortSignal } = {},
  ): Promise<SrmSpikeTrain> {
    this.assertLive();
    checkInteger('steps', steps, 1, 0x7fffffff);
    const o = checkOptions('options', options);
    const signal = checkSignal('options.signal', o.signal);
    const n = this.n;
    const k = kernel();
    const c = this.#consts('bernoulli');
    const out = new Uint8Array(steps * n);
    if (this.#step + steps > 0xffffffff) throw new NeurodynError('SrmNetwork.run: more than 2^32 steps; call reset()');
    // The evaluating methods share the state block; run() keeps its own copy of phi/adapt.
    const v = this.#views();
    this.#rest();
    if (this.#runState) new Float64Array(k.memory.buffer, v.phi, 2 * n).set(this.#runState);
    k.srmSyncInput(n, this.#wT.ptr, v.phi, v.usyn);
    for (let s = 0; s < steps; s += CHUNK) {
      if (signal?.aborted) {
        this.#runState = new Float64Array(k.memory.buffer, v.phi, 2 * n).slice();
        throw new AbortedError(`SrmNetwork.run: aborted after ${s} of ${steps} steps`, { n, steps: s, spikes: out.slice(0, s * n) });
      }
      const m = Math.min(CHUNK, steps - s);
      const code = k.srmRun(
        n,
        m,
        this.#step,
        this.#wT.ptr,
        this.#bias.ptr,
        v.phi,
        v.adapt,
        v.usyn,
        c.kPsp,
        c.kAdapt,
        c.eta0,
        c.invDu,
        c.logC,
        0,
        0,
        this.#run.ptr,
        0,
        v.sbuf,
        v.ll,
        0,
        0,
        0,
        0,
        this.#key.k0,
        this.#key.k1,
        Streams.spikes,
        this.#spk.ptr,
        v.st,
        this.params.dt,
        v.ubuf,
      );
      checkStatus(code, 'SrmNetwork.run');
      out.set(this.#run.u8(0, m * n), s * n);
      this.#step += m;
      o.onProgress?.({ completed: s + m, total: steps });
      if (s + m < steps && (s / CHUNK) % 50 === 49) await new Promise((r) => setTimeout(r, 0));
    }
    this.#runState = new Float64Array(k.memory.buffer, v.phi, 2 * n).slice();
    this.#afterRun();
    return { n, steps, spikes: out };
  }
}
