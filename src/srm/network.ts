/**
 * Escape-noise spike-response (SRM) networks with visible and hidden neurons, the exact
 * log-likelihood of a spike train, and likelihood-gradient / variational learning
 * (seed 003: Jimenez Rezende & Gerstner 2014, Front. Comput. Neurosci. 8:38; the seed note's
 * eq. 1 for the potential, eq. 24 for the M rule, eq. 25 for the Q rule).
 *
 * ## Model (time in ms, u dimensionless, rates in Hz)
 * - u_i(t) = Σ_j w_ij φ_j(t) + b_i − η0 a_i(t)                       (seed eq. 1, plus a bias b_i)
 * - φ_j(t) = Σ_{k<t} e^{−(t−k)dt/τ_m} X_j(k),  a_i(t) = Σ_{k<t} e^{−(t−k)dt/τ_adapt} X_i(k)
 * - ρ_i(t) = ρ0 exp((u_i(t) − ϑ)/Δu) (Hz),  λ_i(t) = ρ_i(t) dt / 1000 (dt in ms, λ dimensionless)
 * - X_i(t) ~ Bernoulli(p_i(t)),  p = 1 − e^{−λ}   (at most one spike per step)
 *
 * ϑ is `vThreshold`, τ_m is `tauMem` (the PSP kernel e^{−s/τ_m} is a leaky membrane's response to
 * a delta current: NEST's `pp_psc_delta` with `tau_m`), ρ0 is `rho0` in Hz.
 *
 * ## Discretisation (exact on the grid)
 * The traces are the exponential kernels sampled exactly at the grid points, with a spike in
 * step k counted at the start of that step and felt from step k+1 on (causal: X_i(t) never
 * depends on itself): φ(t+1) = e^{−dt/τ_m} (φ(t) + X(t)). This is the exact solution of
 * dφ/dt = −φ/τ_m + Σ δ(t − t_f) with spikes at t_f = k·dt, not an Euler step
 * (φ += dt/τ_m (X − φ) would differ by O(dt)).
 *
 * ## Order of operations in a step
 * potential → rate → spike (sample or clamp) → log-likelihood and score → eligibility →
 * traces (φ, a, and Σ_j w_ij φ_j, kept incrementally: O(n·(1 + spikes)) per step).
 *
 * ## Likelihood and gradient
 * log p(X) = Σ_{t,i} [X log(1 − e^{−λ}) − (1 − X) λ]  (exact for the process above), and
 * ∂ log p/∂w_ij = (1/Δu) Σ_t [X_i λ_i/(e^{λ_i} − 1) − (1 − X_i) λ_i] φ_j(t).
 * The familiar rule (1/Δu) Σ_t [X_i − λ_i] φ_j is the exact gradient of the Poisson-count
 * form Σ [X log λ − λ] (`form: 'poisson'`); the two agree to O(λ) per spike. The seed's final
 * update with φ_j(t)² is not a gradient of either (see docs/srm.md).
 *
 * ## Kernel boundary
 * `srmRun` and `srmOnline` read their ~30 scalars and pointers from a parameter block whose
 * layout has one definition (the `srm` family of scripts/layout.def.mjs → ./layout.ts and the
 * generated constants of assembly/srm/index.ts).
 * @packageDocumentation
 */
import {
  ASYNC_RUN_OPTION_KEYS,
  type AsyncRunOptions,
  optionKeys,
  ProgressTracker,
  RUN_OPTION_KEYS,
  type RunOptions,
} from '../contract/index.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import {
  checkBoolean,
  checkChoice,
  checkFinite,
  checkInteger,
  checkNonNegative,
  checkPositive,
  isNumericArray,
  scalarOrArray,
} from '../kernel/validate.js';
import { Streams } from '../rng/index.js';
import { type Key, type Seed, seedKeyOf } from '../rng/seed.js';
import {
  checkSrmCommon,
  checkSrmMask,
  checkSrmTrain,
  checkSynapseWork,
  resolveSrmParams,
  SRM_LIMITS,
  SRM_PARAM_KEYS,
  type SrmParams,
  type SrmResolvedParams,
  type SrmResult,
  type SrmSpikeRaster,
  type SrmSpikeTrain,
  type SrmWarning,
  type SrmWarningName,
  srmOptions,
  srmResult,
  srmSpikeTrain,
  stepsOf,
} from './common.js';
import { B } from './layout.js';

/** Every field of the kernel's parameter block (numbers; pointers are byte addresses, 0 = none). */
type SrmBlock = Record<Exclude<keyof typeof B, 'SIZE'>, number>;
const BLOCK_FIELDS = Object.keys(B).filter((k) => k !== 'SIZE') as (keyof SrmBlock)[];

/** Writes every field of `b` into the block at byte address `ptr` of kernel memory. */
function writeBlock(buffer: ArrayBufferLike, ptr: number, b: SrmBlock): void {
  const f = new Float64Array(buffer, ptr, B.SIZE);
  for (const k of BLOCK_FIELDS) f[B[k]] = b[k];
}

/** Writes some fields (the per-chunk ones: steps, t0, pointers into a train). */
function writeBlockFields(buffer: ArrayBufferLike, ptr: number, b: Partial<SrmBlock>): void {
  const f = new Float64Array(buffer, ptr, B.SIZE);
  for (const k in b) f[B[k as keyof SrmBlock]] = b[k as keyof SrmBlock] as number;
}

export {
  SRM_DEFAULTS,
  SRM_LIMITS,
  type SrmParams,
  type SrmResolvedParams,
  type SrmResult,
  type SrmSpikeColumns,
  type SrmSpikeRaster,
  type SrmSpikeTrain,
  type SrmWarning,
  type SrmWarningName,
} from './common.js';
export * as srmReference from './reference.js';

/** Steps per kernel call (V8 has no on-stack replacement for WASM: keep calls short). */
const CHUNK = 100;

/** Which likelihood: `'bernoulli'` (exact for this process) or `'poisson'` (the X − λ rule). */
export type SrmLikelihoodForm = 'bernoulli' | 'poisson';

/** Result of {@link SrmNetwork.gradient}. Matrices are row-major: `dW[i*n + j] = ∂/∂w_ij`. */
export type SrmGradient = SrmResult<
  'srm.gradient',
  {
    /** Total log-likelihood (nats). */
    logLik: number;
    /** Log-likelihood per neuron (nats). */
    perNeuron: Float64Array;
    /** ∂ log p / ∂w_ij (row-major n×n; nats per unit weight). */
    dW: Float64Array;
    /** ∂ log p / ∂b_i (nats per unit of u). */
    dBias: Float64Array;
  }
>;

/** Result of {@link SrmNetwork.logLikelihood}. */
export type SrmLogLikelihood = SrmResult<
  'srm.logLikelihood',
  {
    /** log p(X) of the whole train (nats), Σ over neurons of `perNeuron`. */
    logLik: number;
    /** Σ_t log p(X_i(t) | past) per neuron i (nats). */
    perNeuron: Float64Array;
  }
>;

/** Result of {@link SrmNetwork.learnOnline}. */
export type SrmOnlineResult = SrmResult<
  'srm.learnOnline',
  {
    /** Log-likelihood of the train (nats), each step under the weights current at that step. */
    logLik: number;
  }
>;

/** A sample of the network ({@link SrmNetwork.sample}). */
export type SrmSample = SrmResult<
  'srm.sample',
  {
    /** The sampled train (clamped neurons carry the data during the clamp). */
    train: SrmSpikeTrain;
    /** log p of the whole train, clamped neurons included (nats). */
    logLik: number;
    /** Log-likelihood per neuron (nats). */
    perNeuron: Float64Array;
    /** Largest λ = ρ dt seen (dimensionless). */
    maxLambda: number;
    /** The score of the train (Bernoulli form), when `options.gradient` was given. */
    gradient?: SrmGradient;
  }
>;

/** Options of {@link SrmNetwork.logLikelihood}. */
export interface SrmEvalOptions extends RunOptions {
  /** Likelihood form. @default 'bernoulli' */
  form?: SrmLikelihoodForm;
}

/** Options of {@link SrmNetwork.gradient}. */
export interface SrmGradientOptions extends SrmEvalOptions {
  /**
   * `'backward'`: event-driven backward pass, O(n·(T + spikes)); `'forward'`: dense forward
   * eligibility e_ij += s_i φ_j, O(n²T), same value up to rounding. @default 'backward'
   */
  method?: 'backward' | 'forward';
}

/** Options of {@link SrmNetwork.sample}. */
export interface SrmSampleOptions extends RunOptions {
  /**
   * Seed of the spike draws (stream `Streams.spikes`). Without `seed` and `trial` the network's
   * own key is used; with either, the key is `keyOfSeed({ seed: seed ?? the network's seed, trial })`.
   */
  seed?: Seed;
  /** Trial index: draws use `trialKey(seed, trial)`. @default none */
  trial?: number;
  /**
   * Data for the visible neurons: during its first `clampSteps` steps the visible neurons are
   * clamped to it, the hidden ones are sampled (a cue, or inference for the Q network).
   */
  clamp?: SrmSpikeRaster;
  /** Steps during which the visible neurons are clamped (a count of steps). @default min(clamp.steps, the sample's steps) */
  clampSteps?: number;
  /**
   * Also return the score ∂ log p/∂(w, b) of the sampled train in the same pass: `'backward'`
   * (event-driven, O(n·(T + spikes))) or `'forward'` (dense eligibility, O(n²T)). @default none
   */
  gradient?: 'backward' | 'forward';
}

/** Options of {@link SrmNetwork.learnOnline}. */
export interface SrmOnlineOptions extends RunOptions {
  /** Learning rate μ (per nat of score per unit weight), ≥ 0. Required. */
  learningRate: number;
  /** Eligibility time constant τ_G (ms). @default the network's tauMem */
  tauElig?: number;
  /** Plastic synapses (row-major 0/1 or booleans, n·n). @default all plastic */
  mask?: ArrayLike<number | boolean>;
  /** Likelihood form. @default 'bernoulli' */
  form?: SrmLikelihoodForm;
  /** Zero the eligibility trace before this presentation. @default false */
  resetTrace?: boolean;
}

/** Options of {@link SrmNetwork.addToParameters}. */
export interface SrmUpdateOptions {
  /** Factor applied to `dW` and `dBias` (a learning rate). @default 1 */
  scale?: number;
}

/** Options of {@link vanRossumDistance}. */
export interface VanRossumOptions {
  /** Kernel time constant τ_R (ms). @default 10 */
  tau?: number;
  /** Time step of the rasters (ms). @default a.dt, else 1 */
  dt?: number;
  /** Neurons to compare (indices). @default all */
  neurons?: ArrayLike<number>;
}

/** Options of {@link SrmNetwork}. */
export interface SrmNetworkOptions extends SrmParams {
  /** Number of neurons, in [1, 4096]. Required. */
  n: number;
  /** Weights, row-major `w[i*n + j]` = w_ij (from j to i; units of u per unit φ). @default zeros */
  weights?: ArrayLike<number>;
  /** Bias b_i (units of u; scalar or per neuron). @default 0 */
  bias?: number | ArrayLike<number>;
  /** Visible mask (length n; 1 or true = visible, 0 or false = hidden). @default all visible */
  visible?: ArrayLike<number | boolean>;
  /** Seed of the spike draws (number or string). @default 0 */
  seed?: Seed;
  /** Trial index: the network's key becomes `trialKey(seed, trial)`. @default none */
  trial?: number;
  /** λ = ρ dt above which the named warning `srm.saturation` is raised (dimensionless). @default 0.5 */
  saturationLambda?: number;
  /** Receives warnings, after the call that raised them has finished. @default console.warn (once per name per network) */
  onWarning?: (w: SrmWarning) => void;
  /** Warning names to silence. */
  silence?: SrmWarningName[];
}

const NETWORK_KEYS = optionKeys<SrmNetworkOptions>()([
  ...SRM_PARAM_KEYS,
  'n',
  'weights',
  'bias',
  'visible',
  'seed',
  'trial',
  'saturationLambda',
  'onWarning',
  'silence',
] as const);
const SAMPLE_KEYS = optionKeys<SrmSampleOptions>()(['seed', 'trial', 'clamp', 'clampSteps', 'gradient', ...RUN_OPTION_KEYS]);
const EVAL_KEYS = optionKeys<SrmEvalOptions>()(['form', ...RUN_OPTION_KEYS]);
const GRADIENT_KEYS = optionKeys<SrmGradientOptions>()(['form', 'method', ...RUN_OPTION_KEYS]);
const ONLINE_KEYS = optionKeys<SrmOnlineOptions>()(['learningRate', 'tauElig', 'mask', 'form', 'resetTrace', ...RUN_OPTION_KEYS]);
const UPDATE_KEYS = optionKeys<SrmUpdateOptions>()(['scale']);
const VAN_ROSSUM_KEYS = optionKeys<VanRossumOptions>()(['tau', 'dt', 'neurons']);
/**
 * Van Rossum distance between two spike rasters of the same shape:
 * D = sqrt( (1/τ_R) Σ_i ∫ (f_i − g_i)² dt ), f, g the trains filtered with e^{−t/τ_R}
 * (exact on the grid, a spike of unit area). Neurons can be restricted with `neurons`.
 * The filtered difference is integrated exactly within each step, so two trains differing by
 * one spike are at distance 1/√2 for any dt (when the train runs several τ_R past the spike).
 * Dimensionless.
 * @example
 * ```ts
 * const d = vanRossumDistance(a, b, { tau: 10, dt: 1 });
 * ```
 */
export function vanRossumDistance(a: SrmSpikeRaster, b: SrmSpikeRaster, options: VanRossumOptions = {}): number {
  const o = srmOptions<VanRossumOptions>('vanRossumDistance', 'options', options, VAN_ROSSUM_KEYS);
  if (typeof a !== 'object' || a === null) throw new ValidationError('a', 'a spike raster { n, steps, spikes }', a);
  checkInteger('a.n', a.n, 1, SRM_LIMITS.maxNeuronSteps);
  checkSrmTrain('a', a, a.n);
  checkSrmTrain('b', b, a.n);
  if (b.steps !== a.steps) throw new ValidationError('b.steps', `${a.steps} (= a.steps)`, b.steps);
  const tau = checkPositive('options.tau', o.tau ?? 10, 'ms');
  const dt = checkPositive('options.dt', o.dt ?? a.dt ?? 1, 'ms');
  const n = a.n;
  let idx: number[];
  if (o.neurons === undefined) idx = Array.from({ length: n }, (_, i) => i);
  else {
    if (!isNumericArray(o.neurons)) throw new ValidationError('options.neurons', 'an array of neuron indices', o.neurons);
    idx = Array.from(o.neurons, (i, k) => checkInteger(`options.neurons[${k}]`, i, 0, n - 1));
  }
  const k = Math.exp(-dt / tau);
  // Within a step the difference decays as d·e^{−s/τ}: ∫_0^dt d² e^{−2s/τ} ds = d² τ(1 − k²)/2.
  const c = (1 - k * k) / 2;
  let sum = 0;
  for (const i of idx) {
    let d = 0;
    for (let t = 0; t < a.steps; t++) {
      d += a.spikes[t * n + i] - b.spikes[t * n + i];
      sum += d * d * c;
      d *= k;
    }
  }
  return Math.sqrt(sum);
}

/** Offsets (bytes) of the vectors of a state region of n neurons: phi | adapt | usyn | sbuf | ll | gb | r | ubuf | st(2). */
function stateViews(base: number, n: number) {
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

/**
 * A recurrent escape-noise network of n neurons (visible and hidden) holding its weights,
 * biases and state in kernel memory. Methods that evaluate a train (`logLikelihood`,
 * `gradient`, `learnOnline`) and `sample` start from rest (φ = a = 0); `run`/`runAsync` continue
 * the network's own state.
 * @example
 * ```ts
 * const net = new SrmNetwork({ n: 3, weights: [0, 0, 0, 2, 0, 0, 0, 2, 0], bias: -1, rho0: 20 });
 * const s = net.sample(1000, { seed: 1 });   // 1000 ms from rest
 * const g = net.gradient(s.train);           // exact Bernoulli gradient, g.dW row-major
 * s.train.toTable().time;                    // spike times (ms)
 * net.dispose();
 * ```
 */
export class SrmNetwork extends KernelObject {
  /** Number of neurons. */
  readonly n: number;
  /** Resolved parameters (rho0 in Hz, times in ms). */
  readonly params: SrmResolvedParams;
  /** Visible mask (1 = visible). */
  readonly visible: Uint8Array;
  /** The network's seed. */
  readonly seed: Seed;
  /** The network's trial index, if any. */
  readonly trial: number | undefined;
  readonly #key: Key;
  readonly #wT: Region;
  readonly #bias: Region;
  readonly #state: Region; // evaluations from rest: phi | adapt | usyn | sbuf | ll | gb | r | ubuf | st(2)
  readonly #runState: Region; // run()/runAsync(): the same layout, persistent phi and adapt
  readonly #spk: Region;
  readonly #run: Region; // CHUNK*n spikes for run()
  readonly #block: Region; // parameter block of synchronous evaluations
  readonly #runBlock: Region; // parameter block of run()/runAsync() (runAsync may interleave with evaluations)
  #elig: Region | null = null;
  #mask: Region | null = null;
  #step = 0;
  #running = false;
  #weightsVersion = 0; // bumped by every weight change: runAsync resyncs its input after a change during a yield
  readonly #warned = new Set<string>();
  readonly #pending: SrmWarning[] = [];
  readonly #onWarning: (w: SrmWarning) => void;
  readonly #silence: Set<string>;
  readonly #satLambda: number;

  /**
   * @param options - size, parameters (ms, Hz), weights, biases, visible mask, seed; see {@link SrmNetworkOptions}
   */
  constructor(options: SrmNetworkOptions) {
    super();
    const o = srmOptions<SrmNetworkOptions>('SrmNetwork', 'options', options, NETWORK_KEYS);
    const n = checkInteger('n', o.n, 1, SRM_LIMITS.maxNeurons);
    this.n = n;
    this.params = Object.freeze(resolveSrmParams(o));
    this.visible = new Uint8Array(n).fill(1);
    if (o.visible !== undefined) this.visible.set(checkSrmMask('visible', o.visible, n));
    const w = o.weights === undefined ? new Float64Array(n * n) : scalarOrArray('weights', o.weights, n * n);
    const b = scalarOrArray('bias', o.bias ?? 0, n);
    const common = checkSrmCommon(o);
    this.#satLambda = common.satLambda;
    this.#silence = new Set(common.silence);
    this.#onWarning = common.onWarning ?? ((x) => console.warn(`${x.name}: ${x.message}`));
    this.#checkRest(b);
    this.#key = seedKeyOf({ seed: o.seed, trial: o.trial });
    this.seed = o.seed ?? 0;
    this.trial = o.trial;
    // Everything is checked: allocate. A failed allocation frees what was allocated before it.
    try {
      this.#wT = this.allocate(n * n * 8, 'srm.weights');
      this.#bias = this.allocate(n * 8, 'srm.bias');
      this.#state = this.allocate((8 * n + 2) * 8, 'srm.state');
      this.#runState = this.allocate((8 * n + 2) * 8, 'srm.runState');
      this.#spk = this.allocate(n * 4, 'srm.spikeList');
      this.#run = this.allocate(CHUNK * n, 'srm.run');
      this.#block = this.allocate(B.SIZE * 8, 'srm.block');
      this.#runBlock = this.allocate(B.SIZE * 8, 'srm.block');
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.#setWeightsUnchecked(w);
    this.#bias.f64(0, n).set(b);
  }

  #checkRest(b: Float64Array, name = 'dt'): void {
    const p = this.params;
    let bmax = Number.NEGATIVE_INFINITY;
    for (const x of b) bmax = Math.max(bmax, x);
    const lam = (p.rho0 / 1000) * p.dt * Math.exp((bmax - p.vThreshold) / p.deltaU);
    if (lam > 1) {
      throw new ValidationError(
        name,
        `a step with ρ dt ≤ 1 at rest (ρ0·exp((max bias − ϑ)/Δu)·dt = ${lam.toPrecision(3)}: the Bernoulli discretisation saturates, at most one spike per step); use dt ≤ ${(p.dt / lam).toPrecision(3)} ms`,
        name === 'dt' ? p.dt : Array.from(b),
      );
    }
  }

  /** Queues a warning; {@link SrmNetwork.#flushWarnings} delivers it once the call is done with kernel memory. */
  #warn(name: SrmWarningName, message: string): void {
    if (this.#silence.has(name) || this.#warned.has(name)) return;
    this.#warned.add(name);
    this.#pending.push({ name, message });
  }

  #flushWarnings(): void {
    while (this.#pending.length) this.#onWarning(this.#pending.shift()!);
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

  #setWeightsUnchecked(a: Float64Array): void {
    const n = this.n;
    const wT = this.#wT.f64(0, n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) wT[j * n + i] = a[i * n + j];
  }

  /** Sets the weights (row-major `w[i*n + j]` = w_ij, finite). */
  setWeights(w: ArrayLike<number>): void {
    this.assertLive();
    this.#setWeightsUnchecked(scalarOrArray('weights', w, this.n * this.n));
    this.#weightsVersion++;
  }

  /** Biases (copy). */
  bias(): Float64Array {
    this.assertLive();
    return this.#bias.f64(0, this.n).slice();
  }

  /** Sets the biases (scalar or per neuron; units of u). */
  setBias(b: number | ArrayLike<number>): void {
    this.assertLive();
    const a = scalarOrArray('bias', b, this.n);
    this.#checkRest(a, 'bias');
    this.#bias.f64(0, this.n).set(a);
  }

  /**
   * Adds `scale · dW` (row-major) to the weights and `scale · dBias` to the biases: one gradient
   * step with `delta` = an {@link SrmGradient} and `scale` = the learning rate.
   * @example
   * ```ts
   * const g = net.gradient(train);
   * net.addToParameters(g, { scale: 1e-3 });
   * ```
   */
  addToParameters(
    delta: {
      /** Change of the weights (row-major n·n). */
      dW?: ArrayLike<number> | null;
      /** Change of the biases (length n). */
      dBias?: ArrayLike<number> | null;
    },
    options: SrmUpdateOptions = {},
  ): void {
    this.assertLive();
    const o = srmOptions<SrmUpdateOptions>('SrmNetwork.addToParameters', 'options', options, UPDATE_KEYS);
    const scale = checkFinite('options.scale', o.scale ?? 1);
    if (typeof delta !== 'object' || delta === null) throw new ValidationError('delta', 'an object { dW?, dBias? }', delta);
    const n = this.n;
    const d = delta.dW == null ? null : scalarOrArray('delta.dW', delta.dW, n * n);
    const db = delta.dBias == null ? null : scalarOrArray('delta.dBias', delta.dBias, n);
    if (d) {
      this.#weightsVersion++;
      const wT = this.#wT.f64(0, n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) wT[j * n + i] += scale * d[i * n + j];
    }
    if (db) {
      const b = this.#bias.f64(0, n);
      // No rest check here: learning may raise rates; `srm.saturation` reports it during runs.
      for (let i = 0; i < n; i++) b[i] += scale * db[i];
    }
  }

  #keyOf(o: { seed?: Seed; trial?: number }): Key {
    if (o.seed === undefined && o.trial === undefined) return this.#key;
    return seedKeyOf({ seed: o.seed ?? this.seed, trial: o.trial }, 'options.');
  }

  #consts(form: SrmLikelihoodForm) {
    const p = this.params;
    return {
      kPsp: Math.exp(-p.dt / p.tauMem),
      kAdapt: Math.exp(-p.dt / p.tauAdapt),
      eta0: p.eta0,
      invDu: 1 / p.deltaU,
      // λ = ρ dt with ρ in 1/ms: ρ0[Hz]/1000 · dt[ms].
      logC: Math.log((p.rho0 / 1000) * p.dt) - p.vThreshold / p.deltaU,
      form: form === 'poisson' ? 1 : 0,
    };
  }

  /** The block fields common to every call on the state region `base`. */
  #blockFields(form: SrmLikelihoodForm, base: number): SrmBlock {
    const c = this.#consts(form);
    const v = stateViews(base, this.n);
    return {
      KPSP: c.kPsp,
      KADAPT: c.kAdapt,
      ETA0: c.eta0,
      INVDU: c.invDu,
      LOGC: c.logC,
      KELIG: 1,
      ETA: 0,
      DT: this.params.dt,
      N: this.n,
      STEPS: 0,
      T0: 0,
      FORM: c.form,
      K0: 0,
      K1: 0,
      STREAM: Streams.spikes,
      WT: this.#wT.ptr,
      BIAS: this.#bias.ptr,
      PHI: v.phi,
      ADAPT: v.adapt,
      USYN: v.usyn,
      CLAMP: 0,
      DATA: 0,
      SPIKES: 0,
      SCORE: 0,
      SBUF: v.sbuf,
      LL: v.ll,
      GB: 0,
      ELIG: 0,
      MASK: 0,
      SPK: this.#spk.ptr,
      ST: v.st,
      UBUF: v.ubuf,
    };
  }

  /** Tracker of one call; `options` already checked for unknown keys. */
  #tracker(where: string, steps: number, options: AsyncRunOptions): ProgressTracker {
    return new ProgressTracker(where, steps, 'step', options);
  }

  /** After a chunk: progress report, then (a callback may have disposed the network or aborted) the checks. */
  #afterChunk(pr: ProgressTracker, done: number, time: number, partial: () => unknown): void {
    if (pr.wantsProgress) {
      pr.report(done, { time });
      this.assertLive();
    }
    if (pr.aborted) throw new AbortedError(`${pr.where} aborted after ${done} of ${pr.total} steps`, partial());
  }

  /**
   * Core evaluation: runs `steps` steps from rest with the given clamp/data, storing spikes
   * (and scores when `scorePtr` is given) in kernel memory.
   */
  #evaluate(
    pr: ProgressTracker,
    steps: number,
    key: Key,
    clampMask: Uint8Array | null,
    data: Uint8Array | null,
    dataSteps: number,
    spikesPtr: number,
    scorePtr: number,
    eligPtr: number,
    form: SrmLikelihoodForm,
  ): void {
    const k = kernel();
    const n = this.n;
    this.#state.f64(0, 8 * n + 2).fill(0);
    let clampReg: Region | null = null;
    let dataReg: Region | null = null;
    try {
      if (clampMask) {
        clampReg = new Region(n, 'srm.clamp');
        dataReg = new Region(Math.max(1, dataSteps * n), 'srm.data');
        clampReg.u8(0, n).set(clampMask);
        if (data) dataReg.u8(0, dataSteps * n).set(data.subarray(0, dataSteps * n));
      }
      const v = stateViews(this.#state.ptr, n);
      const b = this.#blockFields(form, this.#state.ptr);
      b.K0 = key.k0;
      b.K1 = key.k1;
      b.GB = v.gb;
      b.ELIG = eligPtr;
      writeBlock(k.memory.buffer, this.#block.ptr, b);
      let t = 0;
      while (t < steps) {
        const clamped = clampReg !== null && t < dataSteps;
        const mm = clamped ? Math.min(CHUNK, steps - t, dataSteps - t) : Math.min(CHUNK, steps - t);
        writeBlockFields(k.memory.buffer, this.#block.ptr, {
          STEPS: mm,
          T0: t,
          CLAMP: clamped ? clampReg!.ptr : 0,
          DATA: clamped ? dataReg!.ptr + t * n : 0,
          SPIKES: spikesPtr + t * n,
          SCORE: scorePtr ? scorePtr + t * n * 8 : 0,
        });
        checkStatus(k.srmRun(this.#block.ptr), pr.where);
        t += mm;
        this.#afterChunk(pr, t, t * this.params.dt, () => undefined);
      }
    } finally {
      clampReg?.free();
      dataReg?.free();
    }
    this.#checkSaturation(this.#state.ptr);
  }

  #checkSaturation(stateBase: number): void {
    const st = new Float64Array(kernel().memory.buffer, stateViews(stateBase, this.n).st, 2);
    if (st[0] > this.#satLambda) {
      this.#warn(
        'srm.saturation',
        `ρ dt reached ${st[0].toPrecision(3)} (> ${this.#satLambda}; ${st[1]} neuron-steps had ρ dt > 1): the per-step spike probability 1 − e^{−ρ dt} saturates, so the discrete process no longer approximates the continuous-time one; reduce dt`,
      );
    }
  }

  #perNeuron(): Float64Array {
    return new Float64Array(kernel().memory.buffer, stateViews(this.#state.ptr, this.n).ll, this.n).slice();
  }

  /**
   * Samples `duration` ms from rest: hidden (and, after `clampSteps`, visible) neurons spike
   * with probability 1 − e^{−ρ dt} (Philox stream `Streams.spikes`, element i, step t); visible
   * neurons follow `options.clamp` during the first `clampSteps` steps.
   * @param duration - ms, a whole number of steps of `dt`
   */
  sample(duration: number, options: SrmSampleOptions = {}): SrmSample {
    this.assertLive();
    const o = srmOptions<SrmSampleOptions>('SrmNetwork.sample', 'options', options, SAMPLE_KEYS);
    const n = this.n;
    const steps = stepsOf('SrmNetwork.sample', duration, this.params.dt, n);
    const key = this.#keyOf(o);
    let clampMask: Uint8Array | null = null;
    let data: Uint8Array | null = null;
    let dataSteps = 0;
    if (o.clamp !== undefined) {
      const c = checkSrmTrain('options.clamp', o.clamp, n, this.params.dt);
      dataSteps = checkInteger('options.clampSteps', o.clampSteps ?? Math.min(c.steps, steps), 0, Math.min(c.steps, steps));
      clampMask = this.visible;
      data = c.spikes;
    } else if (o.clampSteps !== undefined)
      throw new ValidationError('options.clampSteps', 'no clampSteps without options.clamp', o.clampSteps);
    const gm = o.gradient === undefined ? null : checkChoice('options.gradient', o.gradient, ['backward', 'forward'] as const);
    const fwd = gm === 'forward';
    if (fwd) checkSynapseWork("SrmNetwork.sample with gradient 'forward'", 'duration', steps, n, duration);
    const pr = this.#tracker('SrmNetwork.sample', steps, o);
    const sp = new Region(steps * n, 'srm.spikes');
    const g = gm ? new Region(n * n * 8, 'srm.grad') : null;
    const sc = gm === 'backward' ? new Region(steps * n * 8, 'srm.score') : null;
    let result: SrmSample;
    try {
      this.#evaluate(pr, steps, key, clampMask, data, dataSteps, sp.ptr, sc ? sc.ptr : 0, fwd ? g!.ptr : 0, 'bernoulli');
      if (sc) this.#backward(steps, sp.ptr, sc.ptr, g!.ptr);
      const st = new Float64Array(kernel().memory.buffer, stateViews(this.#state.ptr, n).st, 1);
      const perNeuron = this.#perNeuron();
      const logLik = perNeuron.reduce((a, b) => a + b, 0);
      result = srmResult('srm.sample', {
        train: srmSpikeTrain(n, steps, this.params.dt, sp.u8(0, steps * n).slice()),
        logLik,
        perNeuron,
        maxLambda: st[0],
        gradient: g ? this.#gradientResult(g, logLik, perNeuron) : undefined,
      });
    } finally {
      sp.free();
      g?.free();
      sc?.free();
    }
    this.#flushWarnings();
    return result;
  }

  /** Event-driven backward pass over a whole train (chunks last to first), into gT. */
  #backward(steps: number, spikesPtr: number, scorePtr: number, gPtr: number): void {
    const k = kernel();
    const n = this.n;
    const kPsp = Math.exp(-this.params.dt / this.params.tauMem);
    const r = stateViews(this.#state.ptr, n).r;
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
    const dBias = new Float64Array(kernel().memory.buffer, stateViews(this.#state.ptr, n).gb, n).slice();
    return srmResult('srm.gradient', { logLik, perNeuron, dW, dBias });
  }

  /** Exact log-likelihood of a train (all neurons clamped), from rest. */
  logLikelihood(train: SrmSpikeRaster, options: SrmEvalOptions = {}): SrmLogLikelihood {
    this.assertLive();
    const o = srmOptions<SrmEvalOptions>('SrmNetwork.logLikelihood', 'options', options, EVAL_KEYS);
    const t = checkSrmTrain('train', train, this.n, this.params.dt);
    const form = checkChoice('options.form', o.form ?? 'bernoulli', ['bernoulli', 'poisson'] as const);
    const pr = this.#tracker('SrmNetwork.logLikelihood', t.steps, o);
    const sp = new Region(t.steps * this.n, 'srm.spikes');
    let result: SrmLogLikelihood;
    try {
      this.#evaluate(pr, t.steps, this.#key, new Uint8Array(this.n).fill(1), t.spikes, t.steps, sp.ptr, 0, 0, form);
      const perNeuron = this.#perNeuron();
      result = srmResult('srm.logLikelihood', { logLik: perNeuron.reduce((a, b) => a + b, 0), perNeuron });
    } finally {
      sp.free();
    }
    this.#flushWarnings();
    return result;
  }

  /**
   * Log-likelihood and its exact gradient for a train (all neurons clamped), from rest:
   * ∂ log p/∂w_ij = Σ_t s_i(t) φ_j(t), s_i = ∂ log p(X_i(t)|past)/∂u_i, accumulated by an
   * event-driven backward pass (O(n·(T + spikes))). `method: 'forward'` uses the dense forward
   * eligibility e_ij += s_i φ_j instead (O(n²T), same value up to rounding).
   */
  gradient(train: SrmSpikeRaster, options: SrmGradientOptions = {}): SrmGradient {
    this.assertLive();
    const n = this.n;
    const o = srmOptions<SrmGradientOptions>('SrmNetwork.gradient', 'options', options, GRADIENT_KEYS);
    const t = checkSrmTrain('train', train, n, this.params.dt);
    const form = checkChoice('options.form', o.form ?? 'bernoulli', ['bernoulli', 'poisson'] as const);
    const method = checkChoice('options.method', o.method ?? 'backward', ['backward', 'forward'] as const);
    if (method === 'forward') checkSynapseWork("SrmNetwork.gradient with method 'forward'", 'train.steps', t.steps, n, t.steps);
    const pr = this.#tracker('SrmNetwork.gradient', t.steps, o);
    const sp = new Region(t.steps * n, 'srm.spikes');
    const g = new Region(n * n * 8, 'srm.grad');
    const sc = method === 'backward' ? new Region(t.steps * n * 8, 'srm.score') : null;
    let result: SrmGradient;
    try {
      this.#evaluate(pr, t.steps, this.#key, new Uint8Array(n).fill(1), t.spikes, t.steps, sp.ptr, sc ? sc.ptr : 0, sc ? 0 : g.ptr, form);
      if (sc) this.#backward(t.steps, sp.ptr, sc.ptr, g.ptr);
      const perNeuron = this.#perNeuron();
      result = this.#gradientResult(
        g,
        perNeuron.reduce((a, b) => a + b, 0),
        perNeuron,
      );
    } finally {
      sp.free();
      g.free();
      sc?.free();
    }
    this.#flushWarnings();
    return result;
  }

  /**
   * Online M rule with an eligibility trace over one presentation of `train` (all neurons
   * clamped, from rest; the trace and the weights persist across calls):
   * e_ij ← κ e_ij + s_i(t) φ_j(t), w_ij ← w_ij + μ (1 − κ) mask_ij e_ij every step, with
   * κ = e^{−dt/τ_G}. Summed over a presentation the updates equal μ·(batch gradient −
   * κ e(T)) to first order in μ; τ_G → 0 is plain per-step stochastic gradient ascent.
   * Returns the log-likelihood accumulated along the way (with the weights of each step).
   * O(n²) per step.
   */
  learnOnline(train: SrmSpikeRaster, options: SrmOnlineOptions): SrmOnlineResult {
    this.assertLive();
    const n = this.n;
    const o = srmOptions<SrmOnlineOptions>('SrmNetwork.learnOnline', 'options', options, ONLINE_KEYS);
    const t = checkSrmTrain('train', train, n, this.params.dt);
    const mu = checkNonNegative('options.learningRate', o.learningRate);
    const tauG = checkPositive('options.tauElig', o.tauElig ?? this.params.tauMem, 'ms');
    const form = checkChoice('options.form', o.form ?? 'bernoulli', ['bernoulli', 'poisson'] as const);
    const mask = o.mask === undefined ? null : checkSrmMask('options.mask', o.mask, n * n);
    const resetTrace = o.resetTrace === undefined ? false : checkBoolean('options.resetTrace', o.resetTrace);
    checkSynapseWork('SrmNetwork.learnOnline', 'train.steps', t.steps, n, t.steps);
    const pr = this.#tracker('SrmNetwork.learnOnline', t.steps, o);
    if (!this.#elig) this.#elig = this.allocate(n * n * 8, 'srm.elig');
    if (mask && !this.#mask) this.#mask = this.allocate(n * n * 8, 'srm.mask');
    if (resetTrace) this.#elig.f64(0, n * n).fill(0);
    if (mask) {
      const mT = this.#mask!.f64(0, n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) mT[j * n + i] = mask[i * n + j];
    }
    const kG = Math.exp(-this.params.dt / tauG);
    const k = kernel();
    this.#weightsVersion++;
    const sp = new Region(t.steps * n, 'srm.spikes');
    const all = new Region(n, 'srm.clamp');
    const dat = new Region(t.steps * n, 'srm.data');
    let result: SrmOnlineResult;
    try {
      all.u8(0, n).fill(1);
      dat.u8(0, t.steps * n).set(t.spikes);
      this.#state.f64(0, 8 * n + 2).fill(0);
      const b = this.#blockFields(form, this.#state.ptr);
      b.GB = stateViews(this.#state.ptr, n).gb;
      b.ELIG = this.#elig.ptr;
      b.KELIG = kG;
      b.ETA = mu * (1 - kG);
      b.MASK = mask ? this.#mask!.ptr : 0;
      b.CLAMP = all.ptr;
      writeBlock(k.memory.buffer, this.#block.ptr, b);
      for (let s = 0; s < t.steps; s += CHUNK) {
        const m = Math.min(CHUNK, t.steps - s);
        writeBlockFields(k.memory.buffer, this.#block.ptr, { STEPS: m, T0: s, DATA: dat.ptr + s * n, SPIKES: sp.ptr + s * n });
        checkStatus(k.srmOnline(this.#block.ptr), 'SrmNetwork.learnOnline');
        this.#afterChunk(pr, s + m, (s + m) * this.params.dt, () => undefined);
      }
      this.#checkSaturation(this.#state.ptr);
      result = srmResult('srm.learnOnline', { logLik: this.#perNeuron().reduce((a, c) => a + c, 0) });
    } finally {
      sp.free();
      all.free();
      dat.free();
    }
    this.#flushWarnings();
    return result;
  }

  /** Global step of {@link SrmNetwork.run} (steps simulated since construction or `reset`). */
  get step(): number {
    return this.#step;
  }

  /** Model time of {@link SrmNetwork.run} (ms) = step · dt. */
  get time(): number {
    return this.#step * this.params.dt;
  }

  /** Returns `run` to rest and step 0. */
  reset(): void {
    this.assertLive();
    if (this.#running) throw new ValidationError('SrmNetwork.reset', 'no run of this network in progress', 'a runAsync in progress');
    this.#step = 0;
    this.#runState.f64(0, 8 * this.n + 2).fill(0);
  }

  /** Checks and prepares a run: the number of steps, the tracker, the run block. */
  #startRun(where: string, duration: number, options: AsyncRunOptions, keys: readonly string[]) {
    this.assertLive();
    const o = srmOptions<AsyncRunOptions>(where, 'options', options, keys);
    if (this.#running) throw new ValidationError(where, 'no other run of this network in progress', 'a runAsync in progress');
    const n = this.n;
    const steps = stepsOf(where, duration, this.params.dt, n);
    if (this.#step + steps > SRM_LIMITS.maxStep)
      throw new ValidationError(
        'duration',
        `at most ${(SRM_LIMITS.maxStep - this.#step) * this.params.dt} ms more (${where}: the spike draws' step counter is 32-bit; call reset())`,
        duration,
      );
    const pr = this.#tracker(where, steps, o);
    const k = kernel();
    const base = this.#runState.ptr;
    // ll and st start from zero every call; phi and adapt carry the state; usyn = W phi (the
    // weights may have changed since the last run).
    this.#runState.f64(16 * n, 6 * n + 2).fill(0);
    k.srmSyncInput(n, this.#wT.ptr, base, base + 16 * n);
    const b = this.#blockFields('bernoulli', base);
    b.K0 = this.#key.k0;
    b.K1 = this.#key.k1;
    b.SPIKES = this.#run.ptr;
    writeBlock(k.memory.buffer, this.#runBlock.ptr, b);
    return { steps, pr, out: new Uint8Array(steps * n), startStep: this.#step };
  }

  /** One chunk of a run: m steps into out at row s. */
  #runChunk(where: string, s: number, m: number, out: Uint8Array): void {
    const k = kernel();
    const n = this.n;
    writeBlockFields(k.memory.buffer, this.#runBlock.ptr, { STEPS: m, T0: this.#step });
    checkStatus(k.srmRun(this.#runBlock.ptr), where);
    out.set(this.#run.u8(0, m * n), s * n);
    this.#step += m;
  }

  #partialTrain(out: Uint8Array, startStep: number, steps: number): SrmSpikeTrain {
    return srmSpikeTrain(this.n, steps, this.params.dt, out.slice(0, steps * this.n), startStep);
  }

  /**
   * Free-running simulation for `duration` ms, continuing the network's own state (all neurons
   * sampled; the draws of global step t come from the network's key at step t, so chunking never
   * changes the result). Returns the spikes of the new steps. An aborted run keeps the steps
   * done (the network's `step` and state advance with them; the error's `partial` is their train).
   * @param duration - ms, a whole number of steps of `dt`
   */
  run(duration: number, options: RunOptions = {}): SrmSpikeTrain {
    const where = 'SrmNetwork.run';
    const { steps, pr, out, startStep } = this.#startRun(where, duration, options, RUN_OPTION_KEYS);
    for (let s = 0; s < steps; s += CHUNK) {
      const m = Math.min(CHUNK, steps - s);
      this.#runChunk(where, s, m, out);
      this.#afterChunk(pr, s + m, this.time, () => this.#partialTrain(out, startStep, s + m));
    }
    this.#checkSaturation(this.#runState.ptr);
    this.#flushWarnings();
    return srmSpikeTrain(this.n, steps, this.params.dt, out, startStep);
  }

  /**
   * {@link SrmNetwork.run} that yields to the event loop at least every `sliceMs` of work, so an
   * abort fired from a timer or a button stops it within about `sliceMs`. Same result as `run`.
   * Disposing the network while it waits ends it with `DisposedError` before any kernel call.
   */
  async runAsync(duration: number, options: AsyncRunOptions = {}): Promise<SrmSpikeTrain> {
    const where = 'SrmNetwork.runAsync';
    const { steps, pr, out, startStep } = this.#startRun(where, duration, options, ASYNC_RUN_OPTION_KEYS);
    this.#running = true;
    let version = this.#weightsVersion;
    try {
      for (let s = 0; s < steps; s += CHUNK) {
        const m = Math.min(CHUNK, steps - s);
        this.#runChunk(where, s, m, out);
        const partial = () => this.#partialTrain(out, startStep, s + m);
        this.#afterChunk(pr, s + m, this.time, partial);
        if (s + m < steps && pr.sliceUsed) {
          try {
            await pr.maybeYield();
          } catch (e) {
            if (e instanceof AbortedError) throw new AbortedError(`${where} aborted after ${s + m} of ${steps} steps`, partial());
            throw e;
          }
          this.assertLive();
          if (version !== this.#weightsVersion) {
            // The weights changed while we waited: usyn = W phi again (phi and adapt carry on).
            const base = this.#runState.ptr;
            kernel().srmSyncInput(this.n, this.#wT.ptr, base, base + 16 * this.n);
            version = this.#weightsVersion;
          }
        }
      }
    } finally {
      this.#running = false;
    }
    this.#checkSaturation(this.#runState.ptr);
    this.#flushWarnings();
    return srmSpikeTrain(this.n, steps, this.params.dt, out, startStep);
  }
}
