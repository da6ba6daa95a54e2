/**
 * Coupled paths across step sizes: a window of noise normals that several {@link LifNetwork}s
 * read instead of drawing them (docs/lif.md, "Coupled paths").
 *
 * A network with step h and `noise.fineSteps: F` draws, for neuron i in step n, the normals of
 * the fine steps t = n·F + j (j < F) of its key: z₁ = normal(key, `noise`, i, t) and, for the
 * `exact` integrator, z₂ = normal(key, `noise2`, i, t). Networks with the same key and fine grid
 * h/F therefore share one Brownian path whatever their step (euler-maruyama: ΔB = √(h/F) Σ_j z₁;
 * exact: the exact fine increments composed through the fine propagator). A convergence study
 * runs one network per step size on that path; without a window each of them draws every normal
 * of the fine grid again. A {@link LifNoiseWindow} draws the normals of a range of fine steps
 * once; every attached network whose step falls inside the range reads them from it. The numbers
 * are the ones the network would draw (the same Philox blocks and ziggurat code, bit for bit), so
 * a window changes the speed of a run and never its result; a step outside the window, or a
 * network whose key or size differs, draws its own.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { checkChoice, checkInteger } from '../kernel/validate.js';
import { type Key, type Seed, seedKeyOf } from '../rng/seed.js';
import { W } from './layout.js';

/** Options of {@link LifNoiseWindow}. */
export interface LifNoiseWindowOptions {
  /** Neurons of the networks that read the window (their total size N). */
  neurons: number;
  /** Largest number of fine steps one {@link LifNoiseWindow.fill} holds (memory: 8·N bytes per fine step and stream). */
  capacitySteps: number;
  /**
   * Integrator of the networks that read it: `exact` needs the second normal stream (`noise2`),
   * so the window then holds both (twice the memory and fill time). @default 'euler-maruyama'
   */
  integrator?: 'euler-maruyama' | 'exact';
  /** Seed of the networks that read it (the one seed rule: `seedToKey(seed)`, or `trialKey(seed, trial)`). @default 0 */
  seed?: Seed;
  /** Trial index of the networks that read it. */
  trial?: number;
}

const WINDOW_KEYS = optionKeys<LifNoiseWindowOptions>()(['neurons', 'capacitySteps', 'integrator', 'seed', 'trial']);
const FILL_KEYS = optionKeys<{ start: number; steps: number }>()(['start', 'steps']);

/**
 * Normals of a range of fine steps, drawn once and read by every {@link LifNetwork} attached
 * with {@link LifNetwork.useNoiseWindow} whose key (seed, trial) and size match. Bit-identical to
 * the networks' own draws: it only saves the time of drawing the same numbers again.
 * @example
 * ```ts
 * // Two step sizes on one Brownian path (fine grid 0.025 ms), the normals drawn once per window.
 * const w = new LifNoiseWindow({ neurons: 100, capacitySteps: 1024, seed: 1, trial: 0 });
 * const nets = [1, 4].map((F) => { const n = new LifNetwork({ dt: 0.025 * F, seed: 1, trial: 0, noise: { fineSteps: F } });
 *   n.addPopulation('p', 100, { mu: 0.05, sigma: 0.02 }); n.useNoiseWindow(w); return n; });
 * for (let t = 0; t < 40_000; t += 1024) { w.fill({ start: t, steps: 1024 }); for (const n of nets) n.run(1024 * 0.025); }
 * ```
 */
export class LifNoiseWindow extends KernelObject {
  /** Neurons per fine step (the size N of the networks that read it). */
  readonly neurons: number;
  /** Largest number of fine steps one fill holds. */
  readonly capacitySteps: number;
  /** Integrator whose normals it holds (`exact`: streams `noise` and `noise2`). */
  readonly integrator: 'euler-maruyama' | 'exact';
  /** Key of the normals (the networks' key). */
  readonly key: Key;
  readonly #desc: Region;
  readonly #z1: Region;
  readonly #z2: Region | null;
  #detach: (() => void)[] = [];

  constructor(options: LifNoiseWindowOptions) {
    super();
    const o = strictOptions('LifNoiseWindow', 'options', options, WINDOW_KEYS);
    this.neurons = checkInteger('options.neurons', o.neurons, 1, 1 << 26);
    this.capacitySteps = checkInteger('options.capacitySteps', o.capacitySteps, 1, 1 << 24);
    if (this.neurons * this.capacitySteps > 1 << 25)
      throw new ValidationError(
        'options.capacitySteps',
        `at most ${Math.floor((1 << 25) / this.neurons)} fine steps for ${this.neurons} neurons (256 MiB per stream)`,
        this.capacitySteps,
      );
    this.integrator = checkChoice('options.integrator', o.integrator ?? 'euler-maruyama', ['euler-maruyama', 'exact'] as const);
    this.key = seedKeyOf(o, 'options.');
    const bytes = this.neurons * this.capacitySteps * 8;
    this.#desc = this.allocate(W.SIZE * 8, 'lif.noiseWindow');
    this.#z1 = this.allocate(bytes, 'lif.noiseWindow');
    this.#z2 = this.integrator === 'exact' ? this.allocate(bytes, 'lif.noiseWindow') : null;
    const d = this.#desc.f64(0, W.SIZE);
    d[W.K0] = this.key.k0;
    d[W.K1] = this.key.k1;
    d[W.N] = this.neurons;
    d[W.T0] = 0;
    d[W.LEN] = 0;
    d[W.Z1] = this.#z1.ptr;
    d[W.Z2] = this.#z2?.ptr ?? 0;
  }

  /** First fine step held. */
  get start(): number {
    this.assertLive();
    return this.#desc.f64(0, W.SIZE)[W.T0];
  }

  /** Number of fine steps held (0 before the first fill). */
  get steps(): number {
    this.assertLive();
    return this.#desc.f64(0, W.SIZE)[W.LEN];
  }

  /**
   * Draws the normals of fine steps [start, start + steps) (fine step t of a network with step h
   * and F fine steps is the interval [t·h/F, (t + 1)·h/F) ms).
   */
  fill(options: {
    /** First fine step (an integer ≥ 0; the fine-step counter is 32-bit). */
    start: number;
    /** Number of fine steps, at most `capacitySteps`. */
    steps: number;
  }): void {
    this.assertLive();
    const o = strictOptions('LifNoiseWindow.fill', 'options', options, FILL_KEYS);
    const start = checkInteger('options.start', o.start, 0, 0xffffffff);
    const steps = checkInteger('options.steps', o.steps, 1, this.capacitySteps);
    if (start + steps > 0x100000000)
      throw new ValidationError('options.steps', `at most ${0x100000000 - start} (32-bit fine-step counter)`, steps);
    const k = kernel();
    const d = this.#desc.f64(0, W.SIZE);
    d[W.LEN] = 0; // not usable while being filled
    k.lifFillNoiseWindow(this.key.k0, this.key.k1, 0, start, steps, this.neurons, this.#z1.ptr);
    if (this.#z2) k.lifFillNoiseWindow(this.key.k0, this.key.k1, 1, start, steps, this.neurons, this.#z2.ptr);
    const d2 = this.#desc.f64(0, W.SIZE);
    d2[W.T0] = start;
    d2[W.LEN] = steps;
  }

  /** @internal Address of the descriptor for a network header; `detach` is called when the window is disposed. */
  attach(detach: () => void): number {
    this.assertLive();
    this.#detach.push(detach);
    return this.#desc.ptr;
  }

  /** Frees the normals; networks still attached go back to drawing their own. */
  override dispose(): void {
    if (this.disposed) return;
    for (const f of this.#detach) f();
    this.#detach = [];
    super.dispose();
  }
}
