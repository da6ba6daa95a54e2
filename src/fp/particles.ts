/**
 * Particle (Monte-Carlo) version of the structured noisy LIF network of seed 001, eq. (1): the
 * cross-check of the Fokker–Planck solver by its own microscopic model.
 * @packageDocumentation
 */
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import {
  checkFinite,
  checkFiniteArray,
  checkInteger,
  checkNonNegative,
  checkOptions,
  checkPositive,
  checkSignal,
} from '../kernel/validate.js';
import { Streams } from '../rng/index.js';
import { type Seed, trialKey } from '../rng/seed.js';
import { type FpSigma, sigmaCode } from './common.js';
import { Q } from './layout.js';

/** Options of {@link FpParticleNetwork}. */
export interface FpParticleOptions {
  /** Synaptic weight w_j of each neuron (its subpopulation label). */
  weights: ArrayLike<number>;
  /** Input: a constant, I_j per neuron, or a function I(w) evaluated at each neuron's weight. */
  input: number | ArrayLike<number> | ((w: number) => number);
  /** Noise a > 0 (dv has diffusion √(2a) dW). */
  a: number;
  /** Reset potential V_R < V_F. */
  vR: number;
  /** Firing potential V_F. */
  vF: number;
  /** Time step Δt > 0. */
  dt: number;
  /** σ(N̄). @default 'identity' */
  sigma?: FpSigma;
  /** Seed of the noise (see the rng module). */
  seed: Seed;
  /** Trial index (independent replicas of the same network). @default 0 */
  trial?: number;
  /**
   * Time constant of the low-pass filter applied to the network's own rate before it enters
   * wσ(N̄) (0 = the instantaneous rate spikes/(MΔt)). @default 0.1
   */
  rateFilter?: number;
  /** Initial potentials (one per neuron, < V_F) or one value for all. @default V_R */
  v0?: number | ArrayLike<number>;
}

/**
 * M stochastic LIF neurons with weights w_j coupled through their total activity:
 * dv_j = (−v_j + I(w_j) + w_j σ(N̄))dt + √(2a) dW_j, spike and reset to V_R at V_F (eq. (1) read
 * as a particle system; N̄ = spikes/(M·Δt), low-pass filtered with `rateFilter`). Euler–Maruyama
 * with a Brownian-bridge crossing test (a spike with probability exp(−(V_F − v_n)(V_F − v_{n+1})/(aΔt))
 * when both ends are below V_F), so the rate error is O(Δt) rather than O(√Δt). Order per step:
 * σ(N̄) → integrate all neurons → threshold/bridge → reset → count → update N̄. Normals come from
 * stream `Streams.noise` and bridge uniforms from `Streams.spikes` at (neuron, step): results
 * depend only on (seed, trial), not on how `run` is chunked.
 * @example
 * ```ts
 * const net = new FpParticleNetwork({ weights: w, input: 0, a: 1, vR: 0, vF: 1, dt: 0.005, seed: 1 });
 * net.run(5); net.resetCounters(); net.run(20);
 * net.rates(); // spikes per neuron per time unit
 * ```
 */
export class FpParticleNetwork extends KernelObject {
  readonly #par: Region;
  readonly #v: Region;
  readonly #count: Region;
  readonly #m: number;
  readonly #dt: number;
  #countStartStep = 0;
  #nbarSumStart = 0;

  constructor(options: FpParticleOptions) {
    super();
    const o = checkOptions('options', options);
    const w = checkFiniteArray('weights', o.weights);
    const m = w.length;
    if (m < 1) throw new ValidationError('weights', 'at least one neuron', m);
    const a = checkPositive('a', o.a);
    const vR = checkFinite('vR', o.vR);
    const vF = checkFinite('vF', o.vF);
    if (!(vR < vF)) throw new ValidationError('vR', `a value < vF = ${vF}`, vR);
    const dt = checkPositive('dt', o.dt);
    const sg = sigmaCode(o.sigma);
    const trial = checkInteger('trial', o.trial ?? 0, 0, 0xffffffff);
    const tau = checkNonNegative('rateFilter', o.rateFilter ?? 0.1);
    let I: Float64Array;
    if (typeof o.input === 'number') I = new Float64Array(m).fill(checkFinite('input', o.input));
    else if (typeof o.input === 'function') {
      const f = o.input;
      I = w.map((x) => checkFinite(`input(${x})`, f(x)));
    } else I = checkFiniteArray('input', o.input, m);
    let v0: Float64Array;
    if (o.v0 === undefined) v0 = new Float64Array(m).fill(vR);
    else if (typeof o.v0 === 'number') v0 = new Float64Array(m).fill(checkFinite('v0', o.v0));
    else v0 = checkFiniteArray('v0', o.v0, m);
    for (let j = 0; j < m; j++) if (!(v0[j] < vF)) throw new ValidationError(`v0[${j}]`, `a potential < vF = ${vF}`, v0[j]);
    const key = trialKey(o.seed, trial);
    this.#m = m;
    this.#dt = dt;
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
  }

  /** Number of neurons. */
  get size(): number {
    return this.#m;
  }

  /** Completed steps. */
  get step(): number {
    this.assertLive();
    return this.#par.f64()[Q.STEP];
  }

  /** Model time. */
  get time(): number {
    return this.step * this.#dt;
  }

  /** Current (filtered) network rate N̄. */
  get nbar(): number {
    this.assertLive();
    return this.#par.f64()[Q.NBAR];
  }

  /** Advances by `duration` (rounded to whole steps; kernel calls of ≤ 100 steps). */
  run(duration: number, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): void {
    this.assertLive();
    checkNonNegative('duration', duration);
    const signal = checkSignal('options.signal', options.signal);
    const total = Math.round(duration / this.#dt);
    if (this.step + total > 0xffffffff) throw new ValidationError('duration', 'at most 2^32 steps in total (RNG counter)', duration);
    const k = kernel();
    let done = 0;
    while (done < total) {
      if (signal?.aborted) throw new AbortedError('FpParticleNetwork.run aborted', { steps: done });
      const n = Math.min(100, total - done);
      checkStatus(k.fpParticleRun(this.#par.ptr, n), 'FpParticleNetwork.run');
      done += n;
      options.onProgress?.(done, total);
    }
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

  /** Firing rate per neuron (counts / window length). */
  rates(): Float64Array {
    const c = this.counts();
    const T = (this.step - this.#countStartStep) * this.#dt;
    return c.map((x) => (T > 0 ? x / T : 0));
  }

  /** Time average of the (filtered) N̄ over the counting window. */
  meanNbar(): number {
    this.assertLive();
    const steps = this.step - this.#countStartStep;
    return steps > 0 ? (this.#par.f64()[Q.NBAR_SUM] - this.#nbarSumStart) / steps : this.nbar;
  }

  /** Copy of the membrane potentials. */
  potentials(): Float64Array {
    this.assertLive();
    return this.#v.f64().slice();
  }
}
