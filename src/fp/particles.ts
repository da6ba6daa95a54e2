/**
 * Particle (Monte-Carlo) version of the structured noisy LIF network of seed 001, eq. (1): the
 * cross-check of the Fokker–Planck solver by its own microscopic model. Dimensionless like the
 * equation: time in membrane time constants τ_m, rates in spikes per τ_m.
 * @packageDocumentation
 */
import { optionKeys } from '../contract/options.js';
import { ASYNC_RUN_OPTION_KEYS, type AsyncRunOptions, ProgressTracker, RUN_OPTION_KEYS, type RunOptions } from '../contract/progress.js';
import { makeTable, Result, type TableOf } from '../contract/results.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { readFailure } from '../kernel/status.js';
import { checkFinite, checkFiniteArray, checkNonNegative, checkPositive } from '../kernel/validate.js';
import { Streams } from '../rng/index.js';
import { type Seed, seedKeyOf } from '../rng/seed.js';
import { FP_LIMITS, FP_UNITS, type FpResponse, fpOptions, responseCode } from './common.js';
import { Q } from './layout.js';

/** Options of {@link FpParticleNetwork} (dimensionless: times in τ_m). */
export interface FpParticleOptions {
  /** Synaptic weight w_j of each neuron (its subpopulation label), at most {@link FP_LIMITS}.maxNeurons. */
  weights: ArrayLike<number>;
  /** Input: a constant, I_j per neuron, or a function I(w) evaluated at each neuron's weight. @default 0 (no input) */
  input?: number | ArrayLike<number> | ((w: number) => number);
  /** Noise intensity a > 0 (dv has diffusion √(2a)·dW; seed eq. (1)). */
  a: number;
  /** Reset potential V_R < vThreshold (the paper's V_R). */
  vReset: number;
  /** Firing threshold V_F (the paper's V_F). */
  vThreshold: number;
  /** Time step Δt, 0 < Δt ≤ 1 τ_m (Euler–Maruyama on the leak −v needs Δt well below τ_m). */
  dt: number;
  /** Response σ(N̄). @default 'identity' */
  response?: FpResponse;
  /** Seed of the noise (number or string; docs/guides/conventions.md). @default 0 */
  seed?: Seed;
  /** Trial index: the key becomes `trialKey(seed, trial)` (independent replicas). Omit for `seedToKey(seed)`. */
  trial?: number;
  /**
   * Time constant τ_N of the low-pass filter applied to the network's own rate before it enters
   * wσ(N̄) (τ_m; 0 = the instantaneous rate spikes/(MΔt)). @default 0.1
   */
  tauRate?: number;
  /** Initial potentials (one per neuron, < vThreshold) or one value for all. @default vReset */
  v0?: number | ArrayLike<number>;
}

const OPTION_KEYS = optionKeys<FpParticleOptions>()([
  'weights',
  'input',
  'a',
  'vReset',
  'vThreshold',
  'dt',
  'response',
  'seed',
  'trial',
  'tauRate',
  'v0',
]);

/** Result of {@link FpParticleNetwork.run} and {@link FpParticleNetwork.runAsync}. */
export class FpParticleRunResult extends Result {
  /** `'fp.particles.run'`. */
  readonly kind = 'fp.particles.run';
  /** Steps completed by this call. */
  readonly steps: number;
  /** Model time after the call (τ_m). */
  readonly time: number;
  /** Spikes fired during this call. */
  readonly spikes: number;
  /** @internal */
  constructor(steps: number, time: number, spikes: number) {
    super();
    this.steps = steps;
    this.time = time;
    this.spikes = spikes;
  }
}

/** Columns of {@link FpParticleNetwork.neurons}. */
export type FpNeuronColumns = { weight: Float64Array; input: Float64Array; v: Float64Array; count: Float64Array; rate: Float64Array };

/** Neuron-steps per kernel call: a few ms, so progress, aborts and yields stay prompt. */
const CHUNK_NEURON_STEPS = 2 ** 18;

/** State of one run call, shared by `run` and `runAsync`. */
interface RunCall {
  pr: ProgressTracker;
  total: number;
  done: number;
  time: number;
  spikes0: number;
}

/**
 * M stochastic LIF neurons with weights w_j coupled through their total activity (seed 001
 * eq. (1) read as a particle system; dimensionless, time in τ_m):
 * dv_j = (−v_j + I(w_j) + w_j σ(N̄))dt + √(2a) dW_j, spike and reset to V_R at V_F
 * (N̄ = spikes/(M·Δt), low-pass filtered with `tauRate`). Euler–Maruyama with a Brownian-bridge
 * crossing test (a spike with probability exp(−(V_F − v_n)(V_F − v_{n+1})/(aΔt)) when both ends
 * are below V_F), so the rate error is O(Δt) rather than O(√Δt). Order per step: σ(N̄) →
 * integrate all neurons → threshold/bridge → reset → count → update N̄. Normals come from stream
 * `Streams.noise` and bridge uniforms from `Streams.spikes` at (neuron, step) under the key
 * `keyOfSeed({ seed, trial })`: results depend only on (seed, trial), not on how `run` is chunked.
 * @example
 * ```ts
 * const net = new FpParticleNetwork({ weights: w, a: 1, vReset: 0, vThreshold: 1, dt: 0.005, seed: 1 });
 * net.run(5); net.resetCounters(); net.run(20);
 * net.rates(); // spikes per neuron per τ_m
 * ```
 */
export class FpParticleNetwork extends KernelObject {
  readonly #par: Region;
  readonly #v: Region;
  readonly #count: Region;
  readonly #w: Float64Array;
  readonly #input: Float64Array;
  readonly #m: number;
  readonly #dt: number;
  #countStartStep = 0;
  #nbarSumStart = 0;

  constructor(options: FpParticleOptions) {
    super();
    if (options === undefined) throw new ValidationError('options', `an options object { ${OPTION_KEYS.join(', ')} }`, options);
    const o = fpOptions<FpParticleOptions>('FpParticleNetwork', 'options', options, OPTION_KEYS);
    const w = checkFiniteArray('weights', o.weights);
    const m = w.length;
    if (m < 1 || m > FP_LIMITS.maxNeurons) throw new ValidationError('weights.length', `an integer in [1, ${FP_LIMITS.maxNeurons}]`, m);
    const a = checkPositive('a', o.a);
    const vR = checkFinite('vReset', o.vReset);
    const vF = checkFinite('vThreshold', o.vThreshold);
    if (!(vR < vF)) throw new ValidationError('vReset', `a value < vThreshold = ${vF}`, vR);
    const dt = checkPositive('dt', o.dt, 'τ_m');
    if (dt > 1) throw new ValidationError('dt', 'a finite number in (0, 1] τ_m', dt);
    const sg = responseCode(o.response, 'response', 'FpParticleNetwork');
    const key = seedKeyOf({ seed: o.seed, trial: o.trial });
    const tau = checkNonNegative('tauRate', o.tauRate ?? 0.1, 'τ_m');
    let I: Float64Array;
    const input = o.input ?? 0;
    if (typeof input === 'number') I = new Float64Array(m).fill(checkFinite('input', input));
    else if (typeof input === 'function') {
      const f = input;
      I = w.map((x) => checkFinite(`input(${x})`, f(x)));
    } else I = checkFiniteArray('input', input, m);
    let v0: Float64Array;
    if (o.v0 === undefined) v0 = new Float64Array(m).fill(vR);
    else if (typeof o.v0 === 'number') v0 = new Float64Array(m).fill(checkFinite('v0', o.v0));
    else v0 = checkFiniteArray('v0', o.v0, m);
    for (let j = 0; j < m; j++) if (!(v0[j] < vF)) throw new ValidationError(`v0[${j}]`, `a potential < vThreshold = ${vF}`, v0[j]);
    this.#m = m;
    this.#dt = dt;
    this.#w = w;
    this.#input = I;
    // Everything is validated: allocate. A failed allocation frees what was already allocated.
    try {
      this.#par = this.allocate(Q.SIZE * 8, 'fp.particles.params');
      this.#v = this.allocate(m * 8, 'fp.particles.v');
      const wR = this.allocate(m * 8, 'fp.particles.w');
      const iR = this.allocate(m * 8, 'fp.particles.input');
      this.#count = this.allocate(m * 8, 'fp.particles.count');
      this.#v.f64().set(v0);
      wR.f64().set(w);
      iR.f64().set(I);
      const p = this.#par.f64();
      p[Q.M] = m;
      p[Q.A] = a;
      p[Q.DT] = dt;
      p[Q.VF] = vF;
      p[Q.VR] = vR;
      p[Q.SIGMA] = sg.code;
      p[Q.SIGMA_MAX] = sg.max;
      p[Q.FILTER] = tau; // the kernel forms 1 − e^{−Δt/τ} (engine-independent exp)
      p[Q.NBAR] = 0;
      p[Q.STEP] = 0;
      p[Q.K0] = key.k0;
      p[Q.K1] = key.k1;
      p[Q.NOISE_STREAM] = Streams.noise;
      p[Q.BRIDGE_STREAM] = Streams.spikes;
      p[Q.PTR_V] = this.#v.ptr;
      p[Q.PTR_W] = wR.ptr;
      p[Q.PTR_I] = iR.ptr;
      p[Q.PTR_COUNT] = this.#count.ptr;
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Number of neurons. */
  get size(): number {
    return this.#m;
  }

  /** Time step Δt (τ_m). */
  get dt(): number {
    return this.#dt;
  }

  /** Completed steps. */
  get step(): number {
    this.assertLive();
    return this.#par.f64()[Q.STEP];
  }

  /** Model time (τ_m). */
  get time(): number {
    return this.step * this.#dt;
  }

  /** Current (filtered) network rate N̄ (spikes per τ_m). */
  get nbar(): number {
    this.assertLive();
    return this.#par.f64()[Q.NBAR];
  }

  /**
   * Advances by `duration` τ_m (rounded to whole steps), continuing where the last call stopped;
   * kernel calls of a few ms. `onProgress` receives a {@link Progress} (unit `'step'`, `time` in
   * τ_m) after each; `signal` is checked between them. Throws {@link ValidationError} when
   * steps × neurons exceeds {@link FP_LIMITS}.maxParticleWork or the total passes 2^32 steps (the
   * RNG counter), {@link NumericalError} (kind 'non-finite', index = the neuron) when a potential
   * leaves the finite numbers, {@link AbortedError} (partial `{ steps, time }`), and
   * {@link DisposedError} when disposed during the run.
   */
  run(duration: number, options?: RunOptions): FpParticleRunResult {
    const call = this.#begin('FpParticleNetwork.run', duration, options, RUN_OPTION_KEYS);
    while (call.done < call.total) {
      call.pr.throwIfAborted({ steps: call.done, time: call.time });
      this.#chunk(call);
    }
    return this.#end(call);
  }

  /** The same as {@link FpParticleNetwork.run} (identical results), yielding to the event loop every `sliceMs`. */
  async runAsync(duration: number, options?: AsyncRunOptions): Promise<FpParticleRunResult> {
    const call = this.#begin('FpParticleNetwork.runAsync', duration, options, ASYNC_RUN_OPTION_KEYS);
    while (call.done < call.total) {
      await call.pr.maybeYield({ steps: call.done, time: call.time });
      this.#chunk(call);
    }
    return this.#end(call);
  }

  #begin(where: string, duration: number, options: AsyncRunOptions | undefined, keys: readonly string[]): RunCall {
    this.assertLive();
    const o = fpOptions<AsyncRunOptions>(where, 'options', options, keys);
    checkNonNegative('duration', duration, 'τ_m');
    const total = Math.round(duration / this.#dt);
    if (total * this.#m > FP_LIMITS.maxParticleWork)
      throw new ValidationError(
        'duration',
        `at most ${(Math.floor(FP_LIMITS.maxParticleWork / this.#m) * this.#dt).toPrecision(6)} τ_m per call (${FP_LIMITS.maxParticleWork} neuron-steps for ${this.#m} neurons at dt = ${this.#dt}); split the run`,
        duration,
      );
    if (this.step + total > 0xffffffff)
      throw new ValidationError('duration', `at most 2^32 steps in total (RNG counter; ${this.step} done)`, duration);
    const pr = new ProgressTracker(where, total, 'step', o);
    return { pr, total, done: 0, time: this.time, spikes0: this.#par.f64()[Q.SPIKES] };
  }

  #chunk(call: RunCall): void {
    this.assertLive();
    const n = Math.min(Math.max(1, Math.floor(CHUNK_NEURON_STEPS / this.#m)), 100, call.total - call.done);
    const step0 = this.#par.f64()[Q.STEP];
    const code = kernel().fpParticleRun(this.#par.ptr, n);
    const step = this.#par.f64()[Q.STEP];
    call.done += step - step0;
    call.time = step * this.#dt;
    if (code !== 0) {
      const f = readFailure(code);
      throw new NumericalError(
        `FpParticleNetwork.run: the potential of neuron ${f.index} (w = ${this.#w[f.index]}) is not finite; reduce |input|, |weights| or dt`,
        f,
      );
    }
    if (call.pr.wantsProgress) call.pr.report(call.done, { time: call.time });
  }

  #end(call: RunCall): FpParticleRunResult {
    const spikes = this.disposed ? 0 : this.#par.f64()[Q.SPIKES] - call.spikes0;
    return new FpParticleRunResult(call.done, call.time, spikes);
  }

  /** Starts a new counting window (spike counts and the N̄ average). */
  resetCounters(): void {
    this.assertLive();
    this.#count.f64().fill(0);
    this.#countStartStep = this.step;
    this.#nbarSumStart = this.#par.f64()[Q.NBAR_SUM];
  }

  /** Spike counts per neuron since the last {@link resetCounters} (a copy). */
  counts(): Float64Array {
    this.assertLive();
    return this.#count.f64().slice();
  }

  /** Firing rate per neuron (counts / window length, spikes per τ_m). */
  rates(): Float64Array {
    const c = this.counts();
    const T = (this.step - this.#countStartStep) * this.#dt;
    return c.map((x) => (T > 0 ? x / T : 0));
  }

  /** Time average of the (filtered) N̄ over the counting window (spikes per τ_m). */
  meanNbar(): number {
    this.assertLive();
    const steps = this.step - this.#countStartStep;
    return steps > 0 ? (this.#par.f64()[Q.NBAR_SUM] - this.#nbarSumStart) / steps : this.nbar;
  }

  /** Copy of the membrane potentials (dimensionless). */
  potentials(): Float64Array {
    this.assertLive();
    return this.#v.f64().slice();
  }

  /**
   * One row per neuron, with units: `weight` w_j, `input` I_j, `v` (potential now), `count`
   * (spikes in the counting window) and `rate` (count / window, spikes per τ_m).
   */
  neurons(): TableOf<FpNeuronColumns> {
    this.assertLive();
    return makeTable<FpNeuronColumns>(
      'fp.particles.neurons',
      {
        weight: { data: this.#w.slice(), unit: FP_UNITS.none, description: 'synaptic weight w_j' },
        input: { data: this.#input.slice(), unit: FP_UNITS.none, description: 'input I_j' },
        v: { data: this.potentials(), unit: FP_UNITS.none, description: 'membrane potential now' },
        count: { data: this.counts(), unit: '', description: 'spikes since resetCounters()' },
        rate: { data: this.rates(), unit: FP_UNITS.rate, description: 'firing rate over the counting window' },
      },
      { time: this.time, window: (this.step - this.#countStartStep) * this.#dt, dt: this.#dt, timeUnit: FP_UNITS.time },
    );
  }
}
