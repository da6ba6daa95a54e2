/**
 * The LIF network engine: populations of current-based LIF neurons with exponential synapses and
 * noise in the synaptic current (seed 000), projections, drive, monitors, and `run`.
 * @packageDocumentation
 */
import { checkCallback, optionKeys, strictOptions } from '../contract/options.js';
import { ASYNC_RUN_OPTION_KEYS, type AsyncRunOptions, ProgressTracker, RUN_OPTION_KEYS, type RunOptions } from '../contract/progress.js';
import { makeTable, Result, Table, type TableOf } from '../contract/results.js';
import { type OutOfMemoryError, ValidationError } from '../kernel/errors.js';
import { type KernelExports, kernel } from '../kernel/load.js';
import { checkAllocations, KernelObject, MAX_REGION_BYTES, type Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import {
  checkBoolean,
  checkChoice,
  checkFinite,
  checkFiniteArray,
  checkInteger,
  checkNonNegative,
  checkPositive,
  checkRange,
  isNumericArray,
  scalarOrArray,
} from '../kernel/validate.js';
import { normals } from '../rng/index.js';
import { uniformAt } from '../rng/reference.js';
import { deriveKey, type Key, type Seed, seedKeyOf } from '../rng/seed.js';
import { buildConnector, type LifConnector, type LifCsr } from './connectors.js';
import { LifNoiseWindow } from './coupling.js';
import { C, H, J, LifStreams, P, Q } from './layout.js';
import {
  type LifMonitorHost,
  LifRateMonitor,
  type LifSpikeChunk,
  LifSpikeMonitor,
  LifStateMonitor,
  type LifStateSample,
} from './monitors.js';
import { kexp, phi1, propagatorOf } from './propagator.js';
import { type LifTangentOptions, LifTangents, tangentRefusal } from './tangent.js';
import {
  availableCores,
  barrierSpins,
  compileThreadKernel,
  createThreadKernel,
  ctlBytes,
  THREAD_SCRATCH_BYTES,
  type ThreadKernel,
  ThreadTeam,
  TS,
  threadsUnavailable,
  windowSteps,
} from './threads.js';

const TANGENT_KEYS = optionKeys<LifTangentOptions>()(['count']);

/**
 * Subthreshold integrators, selected by name (`LifNetworkOptions.integrator`).
 * - `euler-maruyama`: explicit EM for V and I (the seed's object of study):
 *   V' = V + h[−g_L(V − V_L) + I + I₂], I' = I − h(I − μ)/τ_s + σ√(2/τ_s) ΔB, I₂' = I₂ − h I₂/τ₂.
 *   One normal per neuron and (fine) step.
 * - `exact`: the exact propagator of the linear (V, I, I₂) dynamics over a step with the exact
 *   Gaussian increment of the 2-D Ornstein–Uhlenbeck process (NEST-style exponential
 *   integrator): exact in distribution on the grid. Two normals per neuron and (fine) step.
 */
export const lifIntegrators = {
  /** Explicit Euler–Maruyama: V' = V + h f(V, I, I₂), I' = I − h(I − μ)/τ_s + σ√(2/τ_s) ΔB. The default. */
  'euler-maruyama': {
    /** Kernel id of the integrator. */
    id: 0,
    /** Strong order of the subthreshold step (in h). */
    order: 1,
    /** Standard normals drawn per neuron and (fine) step. */
    normalsPerStep: 1,
    /** One-line description. */
    description: 'explicit Euler–Maruyama for V and I',
  },
  /** Exact propagator of the linear (V, I, I₂) system with the exact Gaussian increment (ξ_V, ξ_I). */
  exact: {
    /** Kernel id of the integrator. */
    id: 1,
    /** ∞: exact in distribution on the grid. */
    order: Number.POSITIVE_INFINITY,
    /** Standard normals drawn per neuron and (fine) step (z₁ on stream `noise`, z₂ on `noise2`). */
    normalsPerStep: 2,
    /** One-line description. */
    description: 'exact 2-D OU propagator with exact Gaussian increment',
  },
} as const;

/**
 * Spike-time rules, selected by name (`LifNetworkOptions.spikeRule`). Spike-time order with the
 * `exact` integrator (σ = 0): grid 1, linear 2, hermite 4 (≥ 3 asserted); with
 * `euler-maruyama` all are first order (EM's own O(h) voltage error dominates).
 * - `grid`: threshold tested at grid points; spike at t_{n+1}, V^{n+1} = V_r.
 * - `linear`: crossing θ = (V_th − V^n)/(V^{n+1} − V^n); spike at (n + θ)h; reset at the crossing
 *   and the rest of the step integrated from V_r.
 * - `hermite`: root of the cubic Hermite interpolant through (V^n, V̇^n), (V^{n+1}, V̇^{n+1})
 *   (safeguarded Newton); A = the cubic's slope at the root.
 */
export const lifSpikeRules = {
  /** Threshold tested at grid points; spike at t_{n+1}, V^{n+1} = V_r. */
  grid: {
    /** Kernel id of the rule. */
    id: 0,
    /** Spike-time order with the `exact` integrator and σ = 0. */
    order: 1,
    /** One-line description. */
    description: 'spike at the grid point after the crossing',
  },
  /** Secant crossing θ = (V_th − V^n)/(V^{n+1} − V^n); the default. */
  linear: {
    /** Kernel id of the rule. */
    id: 1,
    /** Spike-time order with the `exact` integrator and σ = 0. */
    order: 2,
    /** One-line description. */
    description: 'linear interpolation of the crossing',
  },
  /** Root of the cubic Hermite interpolant of V on the step (safeguarded Newton). */
  hermite: {
    /** Kernel id of the rule. */
    id: 2,
    /** Spike-time order with the `exact` integrator and σ = 0 (≥ 3 asserted by the tests). */
    order: 4,
    /** One-line description. */
    description: 'cubic Hermite interpolation of the crossing',
  },
} as const;

/** Name of a subthreshold integrator: see {@link lifIntegrators}. */
export type LifIntegratorName = keyof typeof lifIntegrators;
/** Name of a spike-time rule: see {@link lifSpikeRules}. */
export type LifSpikeRuleName = keyof typeof lifSpikeRules;

/** A per-neuron parameter: one number for the whole population or one per neuron. */
export type PerNeuron = number | ArrayLike<number>;

/** Independent Poisson drive of every neuron of a population (`LifPopulationParams.poisson`). */
export interface LifPoissonDrive {
  /** Event rate ν per neuron (Hz = events per second; λ = ν h / 1000 per step of h ms). */
  rate: number;
  /** Jump J of the target current per event (voltage units per ms; not converted by `weightUnit`). */
  weight: number;
  /** Target channel: 0 = I (τ_s), 1 = I₂ (τ₂). @default 0 */
  channel?: 0 | 1;
}

/** Uniformly distributed initial V (`LifPopulationParams.v0`). */
export interface LifUniformInit {
  /** Bounds [lo, hi] of the uniform initial V (voltage units), drawn from stream `init` (step 0). */
  uniform: [number, number];
}

/**
 * Parameters of a population. Units: ms, and V in the model's voltage unit (dimensionless in the
 * seed's units, mV in the CUBA example); currents I are in voltage units per ms (dV/dt = −g_L(V −
 * V_L) + I + I₂). Neuron defaults are the seed's units (research note §1.3, "S1": τ_m 20 ms,
 * threshold 1, reset 0, τ_s 5 ms). **Defaults add no physics**: without `mu` and `sigma` a
 * population gets no drive and no noise (as in Brian2); the seed's noisy population is
 * `{ mu: 0.055, sigma: 0.02 }`.
 */
export interface LifPopulationParams {
  /** Membrane time constant τ_m = 1/g_L (ms). Give this or `gL`. @default 20 */
  tauMem?: PerNeuron;
  /** Leak conductance g_L = 1/τ_m (ms⁻¹, membrane capacitance 1), alternative to `tauMem`. */
  gL?: PerNeuron;
  /** Leak (rest) potential V_L (voltage units). @default 0 */
  vLeak?: PerNeuron;
  /** Threshold V_th (voltage units). @default 1 */
  vThreshold?: PerNeuron;
  /** Reset V_r (< V_th; voltage units). @default 0 */
  vReset?: PerNeuron;
  /** Synaptic time constant τ_s of the noisy current I (channel 0) (ms). @default 5 */
  tauSyn?: PerNeuron;
  /** Time constant τ₂ of the second, noise-free synaptic current I₂ (channel 1) (ms). @default tauSyn */
  tauSyn2?: PerNeuron;
  /** Mean μ of I, the constant drive (voltage units per ms). @default 0 (no drive) */
  mu?: PerNeuron;
  /**
   * Stationary standard deviation σ of I (voltage units per ms); its diffusion coefficient is
   * σ√(2/τ_s). @default 0 (no noise)
   */
  sigma?: PerNeuron;
  /** Absolute refractory period (ms): V held at V_r, threshold off, currents keep evolving (Brian2-like). @default 0 */
  tRef?: PerNeuron;
  /**
   * Fraction c ∈ [0, 1] of the noise variance that is common to the population: ΔB_i =
   * √(1−c) ΔB_i^{own} + √c ΔB^{shared}. @default 0
   */
  sharedNoise?: number;
  /** Independent Poisson drive per neuron. @default none */
  poisson?: LifPoissonDrive;
  /** Initial V (voltage units): a value, one per neuron, or `{ uniform: [lo, hi] }` (stream `init`). @default vReset */
  v0?: PerNeuron | LifUniformInit;
  /**
   * Initial I (voltage units per ms): a value, one per neuron, or `'stationary'`: a draw from the
   * stationary law of the Ornstein–Uhlenbeck current, I_i(0) ~ N(μ_i, σ_i²), with correlation c
   * between neurons under `sharedNoise` c (I_i = μ_i + σ_i(√(1−c) z_i + √c z_pop); z_i from stream
   * `init` at element i, step 1; z_pop at element = population index, step 2). Poisson and
   * recurrent input are not part of that law. @default mu
   */
  i0?: PerNeuron | 'stationary';
  /** Initial I₂ (voltage units per ms). @default 0 */
  i20?: PerNeuron;
}

const POPULATION_KEYS = optionKeys<LifPopulationParams>()([
  'tauMem',
  'gL',
  'vLeak',
  'vThreshold',
  'vReset',
  'tauSyn',
  'tauSyn2',
  'mu',
  'sigma',
  'tRef',
  'sharedNoise',
  'poisson',
  'v0',
  'i0',
  'i20',
]);
const POISSON_KEYS = optionKeys<LifPoissonDrive>()(['rate', 'weight', 'channel']);
const UNIFORM_KEYS = optionKeys<LifUniformInit>()(['uniform']);

/**
 * How a projection's `weight` maps to the jump J of the target current (the model's native
 * convention, dI = … + Σ J δ(t − t_k) dt):
 * - `current`: weight = J (voltage units per ms). The default.
 * - `charge`: δ-convention τ_s dI/dt = −I + Σ W δ, so J = W/τ (τ of the target channel).
 * - `voltage`: weight = jump of τ_m·I (Brian2's `ge += w` with dv/dt = (ge + gi − (v − E_l))/τ_m),
 *   so J = w/τ_m.
 */
export type LifWeightUnit = 'current' | 'charge' | 'voltage';

/** A projection from one population to another (`LifNetwork.connect`). */
export interface LifProjectionOptions {
  /** How to wire (see {@link LifConnector}). */
  connector: LifConnector;
  /** Weight of every synapse, in `weightUnit` (dense/csr connectors carry their own). */
  weight?: number;
  /** @default 'current' */
  weightUnit?: LifWeightUnit;
  /** Target channel: 0 = I (τ_s, noisy), 1 = I₂ (τ₂). @default 0 */
  channel?: 0 | 1;
  /** Axonal delay (ms), any value ≥ 0: integer + fractional part of dt, delivered exactly. @default 0 */
  delay?: number;
}

const PROJECTION_KEYS = optionKeys<LifProjectionOptions>()(['connector', 'weight', 'weightUnit', 'channel', 'delay']);

/** Options of {@link LifNetwork.addLayers}. */
export interface LifLayersOptions {
  /** Parameters of every layer (see {@link LifPopulationParams}). @default {} */
  params?: LifPopulationParams;
  /** Projection from each layer to the next (required with more than one layer). */
  projection?: LifProjectionOptions;
  /** Layer names are `${prefix}${l}`. @default 'L' */
  prefix?: string;
}

const LAYERS_KEYS = optionKeys<LifLayersOptions>()(['params', 'projection', 'prefix']);

/** Noise options of {@link LifNetworkOptions}. */
export interface LifNoiseOptions {
  /** Fine steps F per step: the noise and Poisson input live on the grid h/F. @default 1 */
  fineSteps?: number;
}

const NOISE_KEYS = optionKeys<LifNoiseOptions>()(['fineSteps']);

/**
 * Most neurons one {@link LifNetwork} holds (28,894,094): its state (36 bytes per neuron) is one
 * kernel region, and a region holds at most 992 MiB ({@link MAX_REGION_BYTES}). Heterogeneous
 * populations, delays and synapses take more memory per neuron; `build()` sizes every region
 * first and refuses what does not fit with an {@link OutOfMemoryError}.
 */
export const LIF_MAX_NEURONS = Math.floor(MAX_REGION_BYTES / 36);

/** Options of {@link LifNetwork}. */
export interface LifNetworkOptions {
  /** Step h (ms). */
  dt: number;
  /** @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** @default 'linear' */
  spikeRule?: LifSpikeRuleName;
  /**
   * User seed (noise, input, initial conditions, connectivity); `7` and `"7"` are the same seed.
   * @default 0
   */
  seed?: Seed;
  /**
   * Trial index: the noise/input/initial-condition key becomes `trialKey(seed, trial)`; the
   * wiring stays a function of the seed only. Omit for `seedToKey(seed)` (see `keyOfSeed`).
   */
  trial?: number;
  /** Explicit key for noise, input and initial conditions (overrides seed/trial; the wiring still follows `seed`). */
  key?: Key;
  /**
   * Coupling across step sizes (hook for convergence studies): with `fineSteps = F`, every step
   * of size h uses the F normals of the fine grid h/F (fine step index n·F + j, same key, stream
   * and neuron). EM: ΔB = √(h/F) Σ_j z_j. exact: the F exact fine-step increments composed
   * through the fine propagator (still exact in distribution for step h). Poisson events are drawn
   * per fine step and delivered at their continuous times. So a run at h = 2^k h_min with
   * `fineSteps: 2^k` sees the same noise and input path as a run at h_min with `fineSteps: 1`.
   * @default { fineSteps: 1 }
   */
  noise?: LifNoiseOptions;
  /**
   * Spike record buffer (records per kernel call); at least the number of neurons.
   * @default N + min(65 536, max(4096, N)) (more for a threaded network's windows)
   */
  spikeBufferSize?: number;
  /**
   * Use the SIMD path (8 neurons per iteration: two per f64x2 lane pair, one Philox block per
   * pair, 4 blocks at once on i32x4) for every population: homogeneous or heterogeneous
   * (per-neuron parameters are read per lane pair from pair blocks the facade computes once at
   * build: 64 B per neuron for euler-maruyama, 96 B for exact, 120 B for exact with
   * `fineSteps` > 1), with or without shared noise, any `fineSteps`, Poisson drive, refractoriness
   * and delays. Lanes that cross threshold or end a refractory period inside the step are finished
   * by the scalar code. Results are bit-identical either way (tested for every combination);
   * `false` runs the general scalar path (≈ 4× slower) and skips the pair blocks; it is for testing.
   * @default true
   */
  fastPath?: boolean;
  /**
   * How `tRef` is counted. `'time'`: V is held at V_r until (spike time + tRef) exactly (for the
   * grid rule: during the round(tRef/dt) steps after the spike's step). `'brian2'`: one step
   * less, as Brian2's `timestep(t − lastspike, dt) >= timestep(refractory, dt)` rule does with its
   * spike time one step before our grid time; use it to reproduce Brian2 runs (CUBA).
   * @default 'time'
   */
  refractory?: 'time' | 'brian2';
  /**
   * Threads that step the network in {@link LifNetwork.runAsync}: an integer in [1, 256], or
   * `'auto'` for the machine's logical cores. With more than one, the network lives in a shared
   * WebAssembly memory and T workers (Node `worker_threads`, Web Workers in Deno and in
   * cross-origin-isolated pages) each step a contiguous block of neurons, exchanging the step's
   * spikes once per step. **Results are bit-identical for every thread count** (and to
   * `threads: 1`): each target's synaptic inputs are summed in spike-record order whatever the
   * partition, and every random number is a function of (key, stream, neuron, step). `run` (synchronous) steps the
   * same network on one thread — same results. Where threads are unavailable (no
   * SharedArrayBuffer, a page that is not cross-origin isolated) the network runs on one thread and
   * {@link LifNetwork.threadsNote} says why. A spike-source population is stepped by one thread
   * (the cuts go around it); `useNoiseWindow` and `addTangents` need `threads: 1`.
   * @default 1
   */
  threads?: number | 'auto';
}

const NETWORK_KEYS = optionKeys<LifNetworkOptions>()([
  'threads',
  'dt',
  'integrator',
  'spikeRule',
  'seed',
  'trial',
  'key',
  'noise',
  'spikeBufferSize',
  'fastPath',
  'refractory',
]);

/** Options of {@link LifNetwork.addSpikeMonitor}. */
export interface LifSpikeMonitorOptions {
  /** Record only this population. @default every neuron */
  population?: string;
}

/** Options of {@link LifNetwork.addStateMonitor}. */
export interface LifStateMonitorOptions {
  /** Global indices of the neurons to sample. */
  neurons: ArrayLike<number>;
  /** Sampling interval (ms), a positive multiple of dt. @default dt (every step) */
  interval?: number;
  /** Samples kept (the oldest are dropped first; 0 keeps none: stream through `onSample`). @default 1000000 */
  maxSamples?: number;
  /** Called with every sample as it is taken (the arrays are the caller's to keep). */
  onSample?: (sample: LifStateSample) => void;
}

/** Options of {@link LifNetwork.addRateMonitor}. */
export interface LifRateMonitorOptions {
  /** Count only this population. @default every neuron */
  population?: string;
  /** Bin width (ms), a positive multiple of dt. @default dt (one bin per step, as Brian2's PopulationRateMonitor) */
  binSize?: number;
}

const SPIKE_MONITOR_KEYS = optionKeys<LifSpikeMonitorOptions>()(['population']);
const STATE_MONITOR_KEYS = optionKeys<LifStateMonitorOptions>()(['neurons', 'interval', 'maxSamples', 'onSample']);
const RATE_MONITOR_KEYS = optionKeys<LifRateMonitorOptions>()(['population', 'binSize']);

/** Columns of the network state table: one row per neuron (global index = row). */
export type LifStateColumns = {
  /** Membrane potential V (voltage units). */
  v: Float64Array;
  /** Noisy synaptic current I, channel 0 (voltage units per ms). */
  i: Float64Array;
  /** Noise-free synaptic current I₂, channel 1 (voltage units per ms). */
  i2: Float64Array;
  /** Step (possibly fractional) until which the neuron is refractory; refractory while the network's step < refUntil. */
  refUntil: Float64Array;
};

/**
 * The state of every neuron (kind `'lif.state'`), one row per neuron (row = global index):
 * `v` (voltage units), `i`, `i2` (voltage units per ms), `refUntil` (steps). `meta` adds `step`
 * and `time` (ms) of the state.
 */
export type LifState = TableOf<LifStateColumns>;

/** The JSON form of a {@link LifSnapshot}, which {@link LifNetwork.restore} also accepts. */
export interface LifSnapshotJSON {
  /** `'lif.snapshot'`. */
  kind?: string;
  /** V per neuron. */
  v: ArrayLike<number>;
  /** I per neuron. */
  i: ArrayLike<number>;
  /** I₂ per neuron. */
  i2: ArrayLike<number>;
  /** Refractory-until per neuron (steps). */
  refUntil: ArrayLike<number>;
  /** Step count n (also the RNG step counter). */
  step: number;
  /** Delay ring buffer (3 values per slot and neuron). */
  ring: ArrayLike<number>;
  /** Spikes emitted so far. */
  spikesSoFar: number;
}

const SNAPSHOT_KEYS = optionKeys<LifSnapshotJSON>()(['kind', 'v', 'i', 'i2', 'refUntil', 'step', 'ring', 'spikesSoFar']);

/**
 * A saved network state (kind `'lif.snapshot'`): restore it with {@link LifNetwork.restore} to
 * continue bit for bit. Its JSON form restores too.
 */
export class LifSnapshot extends Result {
  /** `'lif.snapshot'`. */
  readonly kind = 'lif.snapshot';
  /**
   * @param v - V per neuron (voltage units)
   * @param i - I per neuron (voltage units per ms)
   * @param i2 - I₂ per neuron (voltage units per ms)
   * @param refUntil - step until which each neuron is refractory
   * @param step - step count n at the snapshot (t = n·dt; also the RNG step counter)
   * @param ring - delay ring buffer of pending synaptic deliveries (3 f64 per slot and neuron; empty without delays)
   * @param spikesSoFar - spikes emitted so far (all neurons)
   * @internal
   */
  constructor(
    /** V per neuron (voltage units). */
    readonly v: Float64Array,
    /** I per neuron (voltage units per ms). */
    readonly i: Float64Array,
    /** I₂ per neuron (voltage units per ms). */
    readonly i2: Float64Array,
    /** Step until which each neuron is refractory. */
    readonly refUntil: Float64Array,
    /** Step count n at the snapshot (t = n·dt; also the RNG step counter). */
    readonly step: number,
    /** Delay ring buffer of pending synaptic deliveries (3 f64 per slot and neuron; empty without delays). */
    readonly ring: Float64Array,
    /** Spikes emitted so far (all neurons). */
    readonly spikesSoFar: number,
  ) {
    super();
  }
}

/** Projection k of a network as a CSR copy by presynaptic row (kind `'lif.projection'`), weights as jumps J. */
export class LifProjection extends Result {
  /** `'lif.projection'`. */
  readonly kind = 'lif.projection';
  /** @internal */
  constructor(
    /** Name of the presynaptic population. */
    readonly from: string,
    /** Name of the postsynaptic population. */
    readonly to: string,
    /** Target channel: 0 = I (τ_s), 1 = I₂ (τ₂). */
    readonly channel: 0 | 1,
    /** Axonal delay (ms) as stored: (integer + fractional steps)·dt. */
    readonly delay: number,
    /** Scalar jump J (voltage units per ms) of every synapse; meaningful only when `weights` is null. */
    readonly weight: number,
    /** CSR row pointers by presynaptic neuron (local index), length pre.size + 1. */
    readonly rowPtr: Int32Array,
    /** Postsynaptic neuron of each synapse (local index within `to`). */
    readonly cols: Int32Array,
    /** Per-synapse jumps J (voltage units per ms), or null when all equal `weight`. */
    readonly weights: Float64Array | null,
  ) {
    super();
  }
}

interface PopDef {
  name: string;
  start: number;
  size: number;
  homo: boolean;
  params: Record<string, Float64Array>;
  shared: number;
  poisson: { rate: number; weight: number; channel: 0 | 1 } | null;
  v0: Float64Array;
  i0: Float64Array;
  i20: Float64Array;
  /** A spike-source population's events (times in steps, ascending; local neurons), or null. */
  source: { steps: Float64Array; ids: Int32Array } | null;
}

interface ProjDef {
  from: PopDef;
  to: PopDef;
  csr: LifCsr;
  weight: number;
  channel: 0 | 1;
  dInt: number;
  dFrac: number;
}

/** Placeholder for the fine propagator of an euler-maruyama network (never read by the kernel). */
const NO_PROPAGATOR = { eA: 0, eB: 0, p21: 0, varI: 0, covVI: 0, varV: 0, cI: 0, cVI: 0, cVV: 0 } as const;

/** Neuron parameters when left out. No drive, no noise: a default never adds physics. */
const DEFAULTS = { tauMem: 20, vLeak: 0, vThreshold: 1, vReset: 0, tauSyn: 5, mu: 0, sigma: 0, tRef: 0 };

/** Wall-clock target of one kernel call of a synchronous run (ms): progress and abort checks about this often. */
const SYNC_CHUNK_MS = 20;
/** Most steps in one kernel call of a synchronous run. */
const SYNC_MAX_CHUNK = 10_000;
/** Most steps in one kernel call of an asynchronous run. */
const ASYNC_MAX_CHUNK = 1 << 20;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Spike records a network of N neurons buffers between two kernel calls' drains, stepping one
 * step at a time: N + min(65 536, max(4096, N)). A call stops before a step that might not fit
 * (every neuron firing once), so N alone would allow one step per call: a JS round trip per step,
 * which cost cheap steps up to ×1.6 (`node bench/lif-ab.bench.mjs`, "EM quiet", 10⁴ neurons) and
 * threaded ones a message to every worker per step. The slack lets a call run until that many
 * spikes are buffered (24 bytes each).
 */
function lifRecordCap(N: number): number {
  return N + Math.min(65_536, Math.max(4096, N));
}

/** Whether the targets of every row of a CSR matrix are in non-decreasing order. */
function rowsAscending(rowPtr: Int32Array, cols: Int32Array): boolean {
  for (let r = 0; r + 1 < rowPtr.length; r++) for (let s = rowPtr[r] + 1; s < rowPtr[r + 1]; s++) if (cols[s] < cols[s - 1]) return false;
  return true;
}

/**
 * A network of current-based LIF neurons with exponential synapses and noise in the synaptic
 * current (seed 000; research/lif-ltn.md §1.3):
 *
 *   dV = [−g_L (V − V_L) + I + I₂] dt
 *   dI = −(I − μ)/τ_s dt + σ √(2/τ_s) dB + Σ_j J_ij Σ_k δ(t − t_j^k − d) dt      (channel 0)
 *   dI₂ = −I₂/τ₂ dt + Σ_j J_ij Σ_k δ(t − t_j^k − d) dt                          (channel 1)
 *   V(t⁻) = V_th ⇒ spike, V ← V_r (held for t_ref); A = dV/dt at the crossing = I + I₂ − g_L(V_th − V_L).
 *
 * Weights are the jump J of the target current (`weightUnit: 'current'`; see
 * {@link LifWeightUnit}). Build with {@link LifNetwork.addPopulation} and
 * {@link LifNetwork.connect}; kernel memory is allocated at the first `run` (or `build()`), after
 * which the structure is frozen. A population's drive `mu` and noise `sigma` default to 0.
 *
 * Order of operations in step n (t_n → t_{n+1}): noise increment (fine-grid normals) →
 * subthreshold propagation (integrator) → arrivals inside the step (delayed spikes, Poisson
 * events) added with their exact exponential factors → refractory clamp → threshold (catch-up
 * if V^n ≥ V_th, else crossing of [V^n, V^{n+1}]) → spike time by rule, A, reset → record →
 * propagation of the step's spikes (arrivals up to t_{n+1} added to (V, I) at t_{n+1} with the
 * exact factor for the rest of the step; later ones queued in a ring buffer). State monitors
 * sample at t_{n+1}, after all of it.
 *
 * Random numbers: element = neuron index, step = fine step index (see {@link LifStreams}), key =
 * `keyOfSeed({ seed, trial })`: `seedToKey(seed)` without a trial, `trialKey(seed, trial)` with
 * one; the wiring always uses `seedToKey(seed)`. Results do not depend on how `run` is chunked.
 *
 * @example
 * ```ts
 * const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed: 1 });
 * net.addPopulation('L0', 1000, { mu: 0.055, sigma: 0.02, v0: { uniform: [0, 1] } });
 * const spikes = net.addSpikeMonitor();
 * net.run(1000);
 * const s = spikes.spikes();          // Table: s.neuron, s.time (ms), s.step, s.offset, s.A
 * console.log(s.length / 1000, 'Hz per neuron');
 * net.dispose();
 * ```
 */
export class LifNetwork extends KernelObject {
  /** Step (ms). */
  readonly dt: number;
  /** Subthreshold integrator (see {@link lifIntegrators}). */
  readonly integrator: LifIntegratorName;
  /** Spike-time rule (see {@link lifSpikeRules}). */
  readonly spikeRule: LifSpikeRuleName;
  /** The user seed (wiring; noise, input and initial conditions unless `key` was given). */
  readonly seed: Seed;
  /** The trial index, if any. */
  readonly trial: number | undefined;
  /** Key of noise, input and initial conditions. */
  readonly key: Key;
  /** Fine steps per step (noise coupling across step sizes). */
  readonly fineSteps: number;
  readonly #seedKey: Key;
  readonly #pops: PopDef[] = [];
  readonly #projs: ProjDef[] = [];
  readonly #spikeSinks: { receive(chunk: LifSpikeChunk): void }[] = [];
  readonly #stateMons: LifStateMonitor[] = [];
  readonly #host: LifMonitorHost;
  readonly #bufferOpt: number | undefined;
  readonly #fast: boolean;
  readonly #refShift: number;
  #n = 0;
  #built = false;
  #hdr!: Region;
  #state!: Region;
  #ring: Region | null = null;
  #R = 0;
  #rec!: Region;
  #popT!: Region;
  #cap = 0;
  #step = 0;
  #spikeTotal = 0;
  #counts!: Float64Array;
  /** Measured wall-clock ms per step (0 = not measured yet), for sizing kernel calls. */
  #msPerStep = 0;
  /** Threads asked for (1, n or 'auto'). */
  readonly #threadsOpt: number | 'auto';
  /** The shared-memory kernel holding this network's regions (null: the main kernel, one thread). */
  #tk: ThreadKernel | null = null;
  /** Workers and their regions, started by the first threaded runAsync. */
  #team: ThreadTeam | null = null;
  /** The start of the workers, once asked for (see runAsync). */
  #starting: Promise<ThreadTeam | null> | null = null;
  #ctl: Region | null = null;
  #threadsUsed = 1;
  #threadsNote = '';

  /**
   * Checks every option (unknown names are errors with a suggestion); allocates nothing yet.
   * @param options - see {@link LifNetworkOptions}; `dt` is required
   */
  constructor(options: LifNetworkOptions) {
    super();
    const o = strictOptions<LifNetworkOptions>('LifNetwork', 'options', options, NETWORK_KEYS);
    this.dt = checkPositive('dt', o.dt, 'ms');
    this.integrator = checkChoice('integrator', o.integrator ?? 'euler-maruyama', Object.keys(lifIntegrators) as LifIntegratorName[]);
    this.spikeRule = checkChoice('spikeRule', o.spikeRule ?? 'linear', Object.keys(lifSpikeRules) as LifSpikeRuleName[]);
    this.seed = o.seed ?? 0;
    this.#seedKey = seedKeyOf({ seed: this.seed });
    if (o.key !== undefined) {
      const k = strictOptions<Key>('LifNetwork', 'key', o.key, ['k0', 'k1']);
      const word = (w: 'k0' | 'k1') => {
        const x = k[w];
        if (typeof x !== 'number' || !Number.isInteger(x) || x < -0x80000000 || x > 0xffffffff)
          throw new ValidationError(`key.${w}`, 'a 32-bit integer', x);
        return x >>> 0;
      };
      this.key = { k0: word('k0'), k1: word('k1') };
      this.trial = undefined;
    } else {
      this.key = seedKeyOf({ seed: this.seed, trial: o.trial });
      this.trial = o.trial;
    }
    const noise = strictOptions<LifNoiseOptions>('LifNetwork', 'noise', o.noise, NOISE_KEYS);
    this.fineSteps = checkInteger('noise.fineSteps', noise.fineSteps ?? 1, 1, 1 << 20);
    this.#refShift = checkChoice('refractory', o.refractory ?? 'time', ['time', 'brian2'] as const) === 'brian2' ? 1 : 0;
    this.#fast = o.fastPath === undefined ? true : checkBoolean('fastPath', o.fastPath);
    this.#bufferOpt = o.spikeBufferSize === undefined ? undefined : checkInteger('spikeBufferSize', o.spikeBufferSize, 1, 1 << 26);
    this.#threadsOpt = o.threads === 'auto' ? 'auto' : o.threads === undefined ? 1 : checkInteger('threads', o.threads, 1, 256);
    const self = this;
    this.#host = {
      get dt() {
        return self.dt;
      },
      get step() {
        return self.#step;
      },
      get size() {
        return self.#n;
      },
      tableMeta: () => this.#tableMeta(),
    };
  }

  /** Total number of neurons. */
  get size(): number {
    return this.#n;
  }

  /** Current step n (time = n·dt). */
  get step(): number {
    return this.#step;
  }

  /** Current time (ms). */
  get time(): number {
    return this.#step * this.dt;
  }

  /** Number of spikes emitted so far (all neurons). */
  get spikeCount(): number {
    return this.#spikeTotal;
  }

  #tableMeta(): Record<string, unknown> {
    return {
      dt: this.dt,
      integrator: this.integrator,
      spikeRule: this.spikeRule,
      seed: this.seed,
      trial: this.trial ?? null,
      populations: this.populations(),
    };
  }

  #assertOpen(what: string): void {
    this.assertLive();
    if (this.#built) throw new ValidationError(what, 'a call before the first run()/build() (the structure is frozen)', 'a built network');
  }

  #pop(name: unknown, arg: string): PopDef {
    const p = this.#pops.find((q) => q.name === name);
    if (!p) throw new ValidationError(arg, `the name of a population (${this.#pops.map((q) => JSON.stringify(q.name)).join(', ')})`, name);
    return p;
  }

  /** A duration (ms) that must be a positive multiple of dt, as a number of steps. */
  #stepsOf(name: string, ms: unknown): number {
    const x = checkPositive(name, ms, 'ms');
    const k = Math.round(x / this.dt);
    if (!(k >= 1 && k <= 0xffffffff) || Math.abs(k * this.dt - x) > 1e-9 * Math.max(x, this.dt))
      throw new ValidationError(name, `a positive multiple of dt = ${this.dt} ms`, x);
    return k;
  }

  /**
   * Adds a population of `size` neurons with scalar or per-neuron parameters; returns its range
   * of global neuron indices. Unknown parameter names are errors (`tau_m` → did you mean
   * `tauMem`?). Without `mu` and `sigma` the population has no drive and no noise.
   * @param name - a new, non-empty population name
   * @param size - number of neurons (integer ≥ 1)
   * @param params - see {@link LifPopulationParams}
   * @example
   * ```ts
   * net.addPopulation('exc', 3200, { tauMem: 20, vLeak: -49, vThreshold: -50, vReset: -60, tauSyn: 5, tauSyn2: 10, tRef: 5 });
   * net.addPopulation('noisy', 1000, { mu: 0.055, sigma: 0.02, i0: 'stationary', v0: { uniform: [0, 1] } });
   * ```
   */
  addPopulation(
    name: string,
    size: number,
    params: LifPopulationParams = {},
  ): {
    /** Global index of the population's first neuron. */
    start: number;
    /** Number of neurons. */
    size: number;
  } {
    return this.#addPopulation('addPopulation', 'params', name, size, params);
  }

  #addPopulation(where: string, pre: string, name: string, size: number, params: LifPopulationParams): { start: number; size: number } {
    this.#assertOpen(where);
    if (typeof name !== 'string' || name === '') throw new ValidationError('name', 'a non-empty string', name);
    if (this.#pops.some((p) => p.name === name)) throw new ValidationError('name', 'a new population name', name);
    checkInteger('size', size, 1, LIF_MAX_NEURONS);
    this.#checkNeurons(where, size);
    const o = strictOptions<LifPopulationParams>(where, pre, params, POPULATION_KEYS);
    const arg = (k: string) => `${pre}.${k}`;
    const arr = (k: string, v: unknown, def: number, check: (nm: string, x: unknown) => unknown) =>
      scalarOrArray(arg(k), v === undefined ? def : v, size, check);
    let gL: Float64Array;
    if (o.gL !== undefined && o.tauMem !== undefined) throw new ValidationError(arg('gL'), 'either gL or tauMem, not both', o.gL);
    if (o.gL !== undefined) gL = arr('gL', o.gL, 0, (nm, x) => checkPositive(nm, x, 'ms^-1'));
    else gL = arr('tauMem', o.tauMem, DEFAULTS.tauMem, (nm, x) => checkPositive(nm, x, 'ms')).map((t) => 1 / t);
    const vLeak = arr('vLeak', o.vLeak, DEFAULTS.vLeak, checkFinite);
    const vTh = arr('vThreshold', o.vThreshold, DEFAULTS.vThreshold, checkFinite);
    const vR = arr('vReset', o.vReset, DEFAULTS.vReset, checkFinite);
    for (let k = 0; k < size; k++) {
      if (!(vR[k] < vTh[k]))
        throw new ValidationError(
          typeof o.vReset === 'number' || o.vReset === undefined ? arg('vReset') : `${arg('vReset')}[${k}]`,
          `a value < vThreshold (${vTh[k]})`,
          vR[k],
        );
    }
    const tauSyn = arr('tauSyn', o.tauSyn, DEFAULTS.tauSyn, (nm, x) => checkPositive(nm, x, 'ms'));
    const tauSyn2 = o.tauSyn2 === undefined ? tauSyn.slice() : arr('tauSyn2', o.tauSyn2, 0, (nm, x) => checkPositive(nm, x, 'ms'));
    const mu = arr('mu', o.mu, DEFAULTS.mu, (nm, x) => checkFinite(nm, x, 'voltage/ms'));
    const sigma = arr('sigma', o.sigma, DEFAULTS.sigma, (nm, x) => checkNonNegative(nm, x, 'voltage/ms'));
    const tRef = arr('tRef', o.tRef, DEFAULTS.tRef, (nm, x) => checkNonNegative(nm, x, 'ms'));
    const shared = o.sharedNoise === undefined ? 0 : checkRange(arg('sharedNoise'), o.sharedNoise, 0, 1);
    let poisson: PopDef['poisson'] = null;
    if (o.poisson !== undefined) {
      const pp = strictOptions<LifPoissonDrive>(where, arg('poisson'), o.poisson, POISSON_KEYS);
      const ch = pp.channel ?? 0;
      if (ch !== 0 && ch !== 1) throw new ValidationError(arg('poisson.channel'), '0 or 1', ch);
      poisson = {
        rate: checkNonNegative(arg('poisson.rate'), pp.rate, 'Hz'),
        weight: checkFinite(arg('poisson.weight'), pp.weight, 'voltage/ms'),
        channel: ch,
      };
    }
    const start = this.#n;
    let v0: Float64Array;
    if (o.v0 === undefined) v0 = vR.slice();
    else if (typeof o.v0 === 'number' || isNumericArray(o.v0)) v0 = arr('v0', o.v0, 0, checkFinite);
    else if (o.v0 !== null && typeof o.v0 === 'object') {
      const u = strictOptions<LifUniformInit>(where, arg('v0'), o.v0 as LifUniformInit, UNIFORM_KEYS).uniform;
      if (!isNumericArray(u) || u.length !== 2) throw new ValidationError(arg('v0.uniform'), 'a pair [lo, hi]', u);
      const lo = checkFinite(`${arg('v0.uniform')}[0]`, u[0]);
      const hi = checkFinite(`${arg('v0.uniform')}[1]`, u[1]);
      if (!(hi >= lo)) throw new ValidationError(`${arg('v0.uniform')}[1]`, `a value >= lo (${lo})`, hi);
      v0 = new Float64Array(size);
      for (let k = 0; k < size; k++) v0[k] = lo + (hi - lo) * uniformAt(this.key.k0, this.key.k1, LifStreams.init, start + k, 0, 0);
    } else throw new ValidationError(arg('v0'), 'a number, an array of numbers (one per neuron) or { uniform: [lo, hi] }', o.v0);
    let i0: Float64Array;
    if (o.i0 === undefined) i0 = mu.slice();
    else if (o.i0 === 'stationary') {
      // The stationary law of dI = −(I − μ)/τ_s dt + σ√(2/τ_s) dB (with the population's shared part).
      const z = normals(this.key, 1, size, { stream: LifStreams.init, start });
      const zs = shared > 0 ? normals(this.key, 2, 1, { stream: LifStreams.init, start: this.#pops.length })[0] : 0;
      const a = Math.sqrt(1 - shared);
      const b = Math.sqrt(shared);
      i0 = new Float64Array(size);
      for (let k = 0; k < size; k++) i0[k] = mu[k] + sigma[k] * (a * z[k] + b * zs);
    } else if (typeof o.i0 === 'string')
      throw new ValidationError(arg('i0'), "a number, an array of numbers (one per neuron) or 'stationary'", o.i0);
    else i0 = arr('i0', o.i0, 0, checkFinite);
    const i20 = arr('i20', o.i20, 0, checkFinite);
    if (this.integrator === 'euler-maruyama') {
      // Explicit Euler on a decay of rate r is unstable for h·r ≥ 2 (and oscillates for h·r > 1).
      let fastest = 0;
      for (let k = 0; k < size; k++) fastest = Math.max(fastest, gL[k], 1 / tauSyn[k], 1 / tauSyn2[k]);
      if (this.dt * fastest >= 2)
        throw new ValidationError(
          'dt',
          `a step < 2·min(tauMem, tauSyn, tauSyn2) = ${2 / fastest} ms for euler-maruyama in population "${name}" (use integrator 'exact')`,
          this.dt,
        );
    }
    const pv: Record<string, Float64Array> = { gL, vLeak, vTh, vR, tauSyn, tauSyn2, mu, sigma, tRef };
    const homo = Object.values(pv).every((a) => a.every((x) => x === a[0]));
    this.#pops.push({ name, start, size, homo, params: pv, shared, poisson, v0, i0, i20, source: null });
    this.#n += size;
    return { start, size };
  }

  /**
   * Adds a spike-source population of `size` neurons that replays recorded spikes (a SONATA file
   * read with `io.readSonata`, another run's records): neuron `spikes.neuron[k]` (index within
   * the population) spikes at `spikes.time[k]` ms, and its projections deliver the spike like any
   * other, at its exact time. Source neurons have no dynamics; they cannot be the target of a
   * projection. Spikes before the current time are ignored; at most one spike per neuron and step.
   * `spikes` is `{ neuron, time }` or a Table with those columns (neuron local, time in ms).
   * @example
   * ```ts
   * const input = (await io.readSonata('lgn.h5')).lgn;
   * net.addSpikeSource('lgn', 100, { neuron: input.node_id, time: input.time });
   * net.connect('lgn', 'exc', { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.5 });
   * ```
   */
  addSpikeSource(
    name: string,
    size: number,
    spikes:
      | Table
      | {
          /** Neuron of each spike (index within the population, 0 … size − 1). */
          neuron: ArrayLike<number>;
          /** Time of each spike (ms, ≥ 0). */
          time: ArrayLike<number>;
        },
  ): {
    /** Global index of the population's first neuron. */
    start: number;
    /** Number of neurons. */
    size: number;
  } {
    this.#assertOpen('addSpikeSource');
    // A spike Table (columns neuron and time) or a plain { neuron, time }, checked strictly.
    const o =
      spikes instanceof Table
        ? { neuron: spikes.column('neuron').data, time: spikes.column('time').data }
        : strictOptions<{ neuron: ArrayLike<number>; time: ArrayLike<number> }>('addSpikeSource', 'spikes', spikes, ['neuron', 'time']);
    checkInteger('size', size, 1, LIF_MAX_NEURONS);
    this.#checkNeurons('addSpikeSource', size);
    const time = checkFiniteArray('spikes.time', o.time, undefined, (nm, x) => checkNonNegative(nm, x, 'ms'));
    if (!o.neuron || o.neuron.length !== time.length)
      throw new ValidationError('spikes.neuron', `an array of ${time.length} neuron indices (as spikes.time)`, o.neuron);
    const ids = new Int32Array(time.length);
    for (let k = 0; k < ids.length; k++) ids[k] = checkInteger(`spikes.neuron[${k}]`, o.neuron[k], 0, size - 1);
    // Step by step, in neuron order within a step: the order in which the kernel records (and
    // so delivers) the spikes of a simulated population.
    const st = Float64Array.from(time, (t) => t / this.dt);
    const order = Array.from(ids.keys()).sort((a, b) => Math.floor(st[a]) - Math.floor(st[b]) || ids[a] - ids[b] || st[a] - st[b]);
    const steps = Float64Array.from(order, (k) => st[k]);
    const sortedIds = Int32Array.from(order, (k) => ids[k]);
    const lastStep = new Float64Array(size).fill(-1);
    for (let k = 0; k < steps.length; k++) {
      const n = Math.floor(steps[k]);
      const j = sortedIds[k];
      if (lastStep[j] === n)
        throw new ValidationError(
          `spikes.time[${order[k]}]`,
          `at most one spike of neuron ${j} per step of dt = ${this.dt} ms (use a smaller dt)`,
          time[order[k]],
        );
      lastStep[j] = n;
    }
    const r = this.addPopulation(name, size, { mu: 0, sigma: 0 });
    const p = this.#pops[this.#pops.length - 1];
    p.source = { steps, ids: sortedIds };
    return r;
  }

  /**
   * Adds layers L0..L_{m−1} of the given sizes with the same parameters, connected feedforward
   * (W^{l−1,l}) with `projection`; returns the population names (`${prefix}${l}`).
   * @param sizes - neurons per layer
   * @param options - `params` of every layer, the `projection` between consecutive layers, the name `prefix`
   * @example
   * ```ts
   * net.addLayers([100, 100, 100], {
   *   params: { mu: 0.055, sigma: 0.02 },
   *   projection: { connector: { type: 'fixedProbability', p: 0.1 }, weight: 0.01 },
   * });
   * ```
   */
  addLayers(sizes: number[], options: LifLayersOptions): string[] {
    this.#assertOpen('addLayers');
    const o = strictOptions<LifLayersOptions>('addLayers', 'options', options, LAYERS_KEYS);
    if (!Array.isArray(sizes) || sizes.length === 0) throw new ValidationError('sizes', 'a non-empty array of layer sizes', sizes);
    if (sizes.length > 1 && o.projection === undefined)
      throw new ValidationError('options.projection', 'the projection between consecutive layers ({ connector, weight, ... })', undefined);
    const prefix = o.prefix ?? 'L';
    if (typeof prefix !== 'string') throw new ValidationError('options.prefix', 'a string', prefix);
    const names = sizes.map((s, l) => {
      this.#addPopulation('addLayers', 'options.params', `${prefix}${l}`, s, o.params ?? {});
      return `${prefix}${l}`;
    });
    for (let l = 1; l < names.length; l++)
      this.#connect('addLayers', 'options.projection', names[l - 1], names[l], o.projection as LifProjectionOptions);
    return names;
  }

  /**
   * Connects population `from` to population `to`.
   * @param options - see {@link LifProjectionOptions}; `connector` is required, and `weight` unless the connector carries weights
   * @example
   * ```ts
   * net.connect('exc', 'inh', { connector: { type: 'fixedProbability', p: 0.02 }, weight: 1.62, weightUnit: 'voltage' });
   * ```
   */
  connect(from: string, to: string, options: LifProjectionOptions): void {
    this.#connect('connect', 'options', from, to, options);
  }

  #connect(where: string, pre: string, from: string, to: string, options: LifProjectionOptions): void {
    this.#assertOpen(where);
    const preP = this.#pop(from, 'from');
    const post = this.#pop(to, 'to');
    if (post.source) throw new ValidationError('to', 'a population that integrates its input (not a spike source)', to);
    const o = strictOptions<LifProjectionOptions>(where, pre, options, PROJECTION_KEYS);
    const arg = (k: string) => `${pre}.${k}`;
    const channel = o.channel ?? 0;
    if (channel !== 0 && channel !== 1) throw new ValidationError(arg('channel'), '0 or 1', o.channel);
    const delay = checkNonNegative(arg('delay'), o.delay ?? 0, 'ms');
    const unit = checkChoice(arg('weightUnit'), o.weightUnit ?? 'current', ['current', 'charge', 'voltage'] as const);
    const index = this.#projs.length;
    const key = deriveKey(this.#seedKey, 0x636f6e6e, index);
    const csr = buildConnector(where, arg('connector'), o.connector, preP.size, post.size, preP === post, key);
    let weight = 0;
    if (csr.weights === null) weight = checkFinite(arg('weight'), o.weight);
    else if (o.weight !== undefined) checkFinite(arg('weight'), o.weight);
    // Convert to the jump J of the target current.
    const factor = (k: number) =>
      unit === 'current' ? 1 : unit === 'charge' ? 1 / (channel === 0 ? post.params.tauSyn[k] : post.params.tauSyn2[k]) : post.params.gL[k];
    const uniformFactor = post.homo || unit === 'current';
    if (uniformFactor) {
      const f = factor(0);
      if (csr.weights) for (let s = 0; s < csr.weights.length; s++) csr.weights[s] *= f;
      else weight *= f;
    } else {
      if (!csr.weights)
        checkAllocations(
          [{ bytes: csr.cols.length * 8, label: 'lif.synapses' }],
          `${where} (per-synapse weights of ${csr.cols.length} synapses)`,
          'Use a sparser connector, or give the target population homogeneous time constants (one weight factor for all).',
        );
      const w = csr.weights ?? new Float64Array(csr.cols.length).fill(weight);
      for (let s = 0; s < w.length; s++) w[s] *= factor(csr.cols[s]);
      csr.weights = w;
    }
    const dSteps = delay / this.dt;
    let dInt = Math.floor(dSteps);
    let dFrac = dSteps - dInt;
    // Delays that are a whole number of steps up to rounding stay integer.
    if (Math.abs(dFrac - 1) < 1e-9) {
      dInt += 1;
      dFrac = 0;
    } else if (dFrac < 1e-9) dFrac = 0;
    this.#projs.push({ from: preP, to: post, csr, weight, channel, dInt, dFrac });
  }

  /**
   * Records spikes of every neuron, or of one population, from now on.
   * @example
   * ```ts
   * const m = net.addSpikeMonitor({ population: 'exc' });
   * net.run(100);
   * const s = m.spikes(); // s.neuron, s.time (ms), s.step, s.offset, s.A
   * ```
   */
  addSpikeMonitor(options: LifSpikeMonitorOptions = {}): LifSpikeMonitor {
    this.assertLive();
    const o = strictOptions<LifSpikeMonitorOptions>('addSpikeMonitor', 'options', options, SPIKE_MONITOR_KEYS);
    const p = o.population === undefined ? null : this.#pop(o.population, 'options.population');
    const m = new LifSpikeMonitor(this.#host, p?.name ?? null, p ? p.start : 0, p ? p.start + p.size : Number.POSITIVE_INFINITY);
    this.#spikeSinks.push(m);
    return m;
  }

  /**
   * Samples V, I, I₂ of the given global neuron indices every `interval` ms (a multiple of dt):
   * at every grid time n·dt with n a multiple of interval/dt, after that step, including the
   * current time when added (once built). Keeps the last `maxSamples` samples.
   * @example
   * ```ts
   * const m = net.addStateMonitor({ neurons: [0, 1], interval: 0.5 });
   * net.run(10);
   * const s = m.samples(); // 21 samples × 2 neurons: s.time (ms), s.neuron, s.v, s.i, s.i2
   * ```
   */
  addStateMonitor(options: LifStateMonitorOptions): LifStateMonitor {
    this.assertLive();
    const o = strictOptions<LifStateMonitorOptions>('addStateMonitor', 'options', options, STATE_MONITOR_KEYS);
    if (!isNumericArray(o.neurons) || o.neurons.length === 0)
      throw new ValidationError('options.neurons', 'a non-empty array of global neuron indices', o.neurons);
    const n = Array.from(o.neurons, (x, k) => checkInteger(`options.neurons[${k}]`, x, 0, Math.max(0, this.#n - 1)));
    const m = new LifStateMonitor(
      this.#host,
      Int32Array.from(n),
      o.interval === undefined ? 1 : this.#stepsOf('options.interval', o.interval),
      checkInteger('options.maxSamples', o.maxSamples ?? 1_000_000, 0, 0x7fffffff),
      checkCallback<(s: LifStateSample) => void>('options.onSample', o.onSample),
    );
    this.#stateMons.push(m);
    if (this.#built && this.#step % m.intervalSteps === 0) this.#sample(m);
    return m;
  }

  /**
   * Population rate (every neuron, or one population) in bins of `binSize` ms aligned on t = 0,
   * counted from each spike's time, from now on.
   * @example
   * ```ts
   * const r = net.addRateMonitor({ population: 'exc', binSize: 5 });
   * net.run(100);
   * const t = r.rates(); // 20 bins: t.time (bin start, ms), t.count, t.rate (Hz)
   * ```
   */
  addRateMonitor(options: LifRateMonitorOptions = {}): LifRateMonitor {
    this.assertLive();
    const o = strictOptions<LifRateMonitorOptions>('addRateMonitor', 'options', options, RATE_MONITOR_KEYS);
    const p = o.population === undefined ? null : this.#pop(o.population, 'options.population');
    const binSteps = o.binSize === undefined ? 1 : this.#stepsOf('options.binSize', o.binSize);
    const m = p
      ? new LifRateMonitor(this.#host, p.name, p.start, p.start + p.size, p.size, binSteps)
      : new LifRateMonitor(this.#host, null, 0, Number.POSITIVE_INFINITY, () => this.#n, binSteps);
    this.#spikeSinks.push(m);
    return m;
  }

  /**
   * Records the spike buffer holds (see {@link lifRecordCap}); threads' windows need more: N per
   * window step, twice that when the window's spikes cross threads.
   */
  #recordCap(): number {
    const N = this.#n;
    const W = this.#window();
    // Windows of a coupled network stay whole for 2·W·N records (the window's spikes are delivered
    // after it, its records double-buffered); windows without exchange shrink as the buffer fills.
    if (W > 1) return Math.max(this.#bufferOpt ?? 4096, N * (this.#projs.length > 0 ? 2 * W : W));
    return Math.max(this.#bufferOpt ?? 4096, lifRecordCap(N));
  }

  /**
   * Steps per thread window, between two exchanges of a threaded network: the threads need not
   * exchange spikes for windowSteps(N) steps without projections, and for as many steps as the
   * shortest delay allows with them (a spike of step k reaches a ring slot e >= k + m that no step of
   * the window reads: m = dInt − 1 for a whole number of steps, dInt otherwise), within half the
   * memory budget of windowSteps, since a coupled window's records are double-buffered. 1 (an
   * exchange every step) on one thread, with shared noise or with delays under two steps.
   */
  #window(): number {
    if (!this.#tk || this.#pops.some((p) => p.shared !== 0)) return 1;
    if (this.#projs.length === 0) return windowSteps(this.#n);
    let m = Number.POSITIVE_INFINITY;
    for (const p of this.#projs) m = Math.min(m, p.dFrac === 0 ? p.dInt - 1 : p.dInt);
    const W = Math.min(m, Math.floor(windowSteps(this.#n) / 2));
    return W >= 2 ? W : 1;
  }

  /** A region of this network, in the shared memory when it is threaded. */
  #alloc(bytes: number, label: string, hint?: string): Region {
    return this.allocate(bytes, label, hint, (this.#tk ?? undefined) as KernelExports | undefined);
  }

  /**
   * Threads the last `runAsync` used (1 until a threaded run; 1 when threads were asked for but
   * are unavailable: see {@link LifNetwork.threadsNote}).
   */
  get threads(): number {
    return this.#threadsUsed;
  }

  /** Why the network runs on fewer threads than asked for ('' when it does not). */
  get threadsNote(): string {
    return this.#threadsNote;
  }

  /** Allocates kernel memory and writes the tables (done by the first `run`). */
  build(): void {
    this.assertLive();
    if (this.#built) return;
    if (this.#n === 0) throw new ValidationError('populations', 'at least one population', 0);
    if (this.#threadsOpt !== 1) {
      const why = threadsUnavailable();
      if (why) this.#threadsNote = `LifNetwork: threads: ${this.#threadsOpt} asked for, running on one thread: ${why}`;
      else
        try {
          this.#tk = createThreadKernel();
        } catch (e) {
          // e.g. the host refuses to reserve a shared memory of 4 GiB maximum (32-bit systems).
          this.#threadsNote = `LifNetwork: threads: ${this.#threadsOpt} asked for, running on one thread: the shared memory could not be created (${(e as Error).message})`;
        }
    }
    const N = this.#n;
    const h = this.dt;
    const F = this.fineSteps;
    const hf = h / F;
    const exact = this.integrator === 'exact';
    this.#planRegions();
    // Regions first (allocation may grow memory and detach views), then fill.
    this.#hdr = this.#alloc(H.SIZE * 8, 'lif.header');
    this.#state = this.#alloc(N * 36, 'lif.state');
    let maxD = -1;
    for (const p of this.#projs) if (p.dInt > 0 || p.dFrac > 0) maxD = Math.max(maxD, p.dInt);
    this.#R = maxD < 0 ? 0 : maxD + 2;
    this.#ring = this.#R > 0 ? this.#alloc(this.#R * N * 24, 'lif.ring') : null;
    this.#cap = this.#recordCap();
    this.#rec = this.#alloc(this.#cap * 24, 'lif.spikes');
    const popT = this.#alloc(this.#pops.length * P.SIZE * 8, 'lif.tables');
    this.#popT = popT;
    const srcR = this.#pops.map((p) => (p.source ? this.#alloc(Math.max(1, p.source.steps.length) * 12, 'lif.source') : null));
    const projT = this.#alloc(Math.max(1, this.#projs.length) * J.SIZE * 8, 'lif.tables');
    const coefR = this.#pops.map((p) => this.#alloc((p.homo ? 1 : p.size) * C.SIZE * 8, 'lif.params'));
    const shR = this.#pops.map((p) => (p.shared > 0 ? this.#alloc(2 * F * 8, 'lif.scratch') : null));
    // Pair blocks of heterogeneous populations for the SIMD path.
    const qSize = this.#pairBlockSize();
    const soaR = this.#pops.map((p) =>
      this.#fast && !p.homo ? this.#alloc(((p.size + (p.start & 1) + 1) >> 1) * qSize * 8, 'lif.params') : null,
    );
    const csrR = this.#projs.map((pj) => ({
      row: this.#alloc(pj.csr.rowPtr.length * 4, 'lif.synapses'),
      col: this.#alloc(pj.csr.cols.length * 4, 'lif.synapses'),
      w: pj.csr.weights ? this.#alloc(pj.csr.weights.length * 8, 'lif.synapses') : null,
    }));
    // Coefficients.
    this.#pops.forEach((p, pi) => {
      const m = p.homo ? 1 : p.size;
      const cf = coefR[pi].f64(0, m * C.SIZE);
      const pr = p.params;
      for (let k = 0; k < m; k++) {
        const a = pr.gL[k];
        const b = 1 / pr.tauSyn[k];
        const b2 = 1 / pr.tauSyn2[k];
        const sig = pr.sigma[k];
        const o = k * C.SIZE;
        const coarse = propagatorOf(a, b, 0, h);
        // The fine step's noise factors and propagator are read by the exact integrator only;
        // skipping them for euler-maruyama saves the covariance quadrature (build time).
        const fine = exact ? propagatorOf(a, b, sig, hf) : NO_PROPAGATOR;
        cf[o + C.A] = a;
        cf[o + C.VL] = pr.vLeak[k];
        cf[o + C.VTH] = pr.vTh[k];
        cf[o + C.VR] = pr.vR[k];
        cf[o + C.MU] = pr.mu[k];
        cf[o + C.B] = b;
        cf[o + C.B2] = b2;
        cf[o + C.TREF] = pr.tRef[k] > 0 ? Math.max(pr.tRef[k] / h - this.#refShift, 0) : 0;
        cf[o + C.EA] = coarse.eA;
        cf[o + C.EB] = coarse.eB;
        cf[o + C.EB2] = kexp(-b2 * h);
        cf[o + C.P21] = coarse.p21;
        cf[o + C.P21B] = kexp(-b2 * h) * h * phi1((b2 - a) * h);
        cf[o + C.VINF] = pr.vLeak[k] + pr.mu[k] / a;
        cf[o + C.CI] = fine.cI;
        cf[o + C.CVI] = fine.cVI;
        cf[o + C.CVV] = fine.cVV;
        cf[o + C.SEM] = sig * Math.sqrt(2 * b) * Math.sqrt(hf);
        cf[o + C.EAF] = fine.eA;
        cf[o + C.EBF] = fine.eB;
        cf[o + C.P21F] = fine.p21;
        cf[o + C.ITH] = a * (pr.vTh[k] - pr.vLeak[k]);
      }
      const sr = soaR[pi];
      if (sr) {
        // Pair blocks: the SIMD path's per-neuron values, computed here once (not per step) with
        // the same arithmetic as the kernel's homogeneous splats, so the lanes equal the general
        // path's scalars bit for bit.
        const s0 = p.start & ~1;
        const nPair = (p.size + (p.start & 1) + 1) >> 1;
        const qa = sr.f64(0, nPair * qSize);
        for (let k = 0; k < p.size; k++) {
          const rel = p.start + k - s0;
          const base = (rel >> 1) * qSize + (rel & 1);
          const o = k * C.SIZE;
          const put = (field: number, x: number) => {
            qa[base + field] = x;
          };
          put(Q.MU, cf[o + C.MU]);
          put(Q.VTH, cf[o + C.VTH]);
          put(Q.VR, cf[o + C.VR]);
          if (exact) {
            put(Q.VINF, cf[o + C.VINF]);
            put(Q.EA, cf[o + C.EA]);
            put(Q.P21, cf[o + C.P21]);
            put(Q.P21B, cf[o + C.P21B]);
            put(Q.EB, cf[o + C.EB]);
            put(Q.EB2, cf[o + C.EB2]);
            put(Q.CI, cf[o + C.CI]);
            put(Q.CVI, cf[o + C.CVI]);
            put(Q.CVV, cf[o + C.CVV]);
            if (F > 1) {
              put(Q.EAF, cf[o + C.EAF]);
              put(Q.EBF, cf[o + C.EBF]);
              put(Q.P21F, cf[o + C.P21F]);
            }
          } else {
            put(Q.NA, -cf[o + C.A]);
            put(Q.VL, cf[o + C.VL]);
            put(Q.HB, h * cf[o + C.B]);
            put(Q.HB2, h * cf[o + C.B2]);
            put(Q.SEM, cf[o + C.SEM]);
          }
        }
      }
    });
    const pt = popT.f64(0, this.#pops.length * P.SIZE);
    this.#pops.forEach((p, pi) => {
      const o = pi * P.SIZE;
      pt[o + P.START] = p.start;
      pt[o + P.COUNT] = p.size;
      pt[o + P.COEF] = coefR[pi].ptr;
      pt[o + P.STRIDE] = p.homo ? 0 : C.SIZE * 8;
      pt[o + P.NOISE] = p.params.sigma.some((s) => s > 0) ? 1 : 0;
      pt[o + P.SIND] = Math.sqrt(1 - p.shared);
      pt[o + P.SSH] = Math.sqrt(p.shared);
      pt[o + P.SHPTR] = shR[pi]?.ptr ?? 0;
      pt[o + P.INDEX] = pi;
      pt[o + P.SOA] = soaR[pi]?.ptr ?? 0;
      pt[o + P.QS] = qSize * 8;
      const src = p.source;
      const sr = srcR[pi];
      if (src && sr) {
        const m = src.steps.length;
        sr.f64(0, m).set(src.steps);
        sr.i32(8 * m, m).set(src.ids);
        pt[o + P.SRC] = sr.ptr;
        pt[o + P.SRCN] = m;
        pt[o + P.SRCK] = 0;
      }
      // No per-lane refractory test on the SIMD path when every refractory period ends on a grid
      // point (no tRef, or the grid rule with a whole number of steps).
      const grid = this.spikeRule === 'grid';
      const cf = coefR[pi].f64(0, (p.homo ? 1 : p.size) * C.SIZE);
      let nr = true;
      for (let k = 0; k < cf.length; k += C.SIZE) {
        const t = cf[k + C.TREF];
        if (!(t === 0 || (grid && t === Math.floor(t)))) nr = false;
      }
      pt[o + P.NR] = nr ? 1 : 0;
      if (p.poisson && p.poisson.rate > 0) {
        const lam = (p.poisson.rate / 1000) * hf;
        pt[o + P.PLAMBDA] = lam;
        pt[o + P.PEXP] = kexp(-lam);
        pt[o + P.PW] = p.poisson.weight;
        pt[o + P.PCH] = p.poisson.channel;
      }
    });
    const jt = projT.f64(0, Math.max(1, this.#projs.length) * J.SIZE);
    this.#projs.forEach((pj, k) => {
      const o = k * J.SIZE;
      csrR[k].row.i32(0, pj.csr.rowPtr.length).set(pj.csr.rowPtr);
      csrR[k].col.i32(0, pj.csr.cols.length).set(pj.csr.cols);
      if (pj.csr.weights && csrR[k].w) csrR[k].w.f64(0, pj.csr.weights.length).set(pj.csr.weights);
      jt[o + J.PRE] = pj.from.start;
      jt[o + J.NPRE] = pj.from.size;
      jt[o + J.POST] = pj.to.start;
      jt[o + J.POP] = this.#pops.indexOf(pj.to);
      jt[o + J.ROW] = csrR[k].row.ptr;
      jt[o + J.COL] = csrR[k].col.ptr;
      jt[o + J.W] = csrR[k].w?.ptr ?? 0;
      jt[o + J.WS] = pj.weight;
      jt[o + J.CH] = pj.channel;
      jt[o + J.DINT] = pj.dInt;
      jt[o + J.DFRAC] = pj.dFrac;
      // threads find their targets in a row by bisection when every row is ascending
      jt[o + J.SORTED] = this.#tk && rowsAscending(pj.csr.rowPtr, pj.csr.cols) ? 1 : 0;
    });
    const st = this.#state.f64(0, 4 * N);
    for (const p of this.#pops) {
      st.set(p.v0, p.start);
      st.set(p.i0, N + p.start);
      st.set(p.i20, 2 * N + p.start);
    }
    const hd = this.#hdr.f64(0, H.SIZE);
    hd[H.N] = N;
    hd[H.NPOP] = this.#pops.length;
    hd[H.NPROJ] = this.#projs.length;
    hd[H.POP] = popT.ptr;
    hd[H.PROJ] = projT.ptr;
    hd[H.V] = this.#state.ptr;
    hd[H.I] = this.#state.ptr + 8 * N;
    hd[H.I2] = this.#state.ptr + 16 * N;
    hd[H.REF] = this.#state.ptr + 24 * N;
    hd[H.RING] = this.#ring?.ptr ?? 0;
    hd[H.R] = this.#R;
    hd[H.REC_N] = this.#rec.ptr;
    hd[H.REC_S] = this.#rec.ptr + 4 * this.#cap;
    hd[H.REC_O] = this.#rec.ptr + 8 * this.#cap;
    hd[H.REC_A] = this.#rec.ptr + 16 * this.#cap;
    hd[H.REC_CAP] = this.#cap;
    hd[H.REC_COUNT] = 0;
    hd[H.STEP] = 0;
    hd[H.K0] = this.key.k0;
    hd[H.K1] = this.key.k1;
    hd[H.H] = h;
    hd[H.F] = F;
    hd[H.INTEG] = exact ? 1 : 0;
    hd[H.RULE] = lifSpikeRules[this.spikeRule].id;
    hd[H.FAST] = this.#fast ? 1 : 0;
    hd[H.CATCH] = 1; // the first step tests V^0 >= V_th on the general path
    hd[H.RLIST] = this.#state.ptr + 32 * N;
    hd[H.RLN] = 0;
    this.#counts = new Float64Array(N);
    this.#built = true;
    for (const m of this.#stateMons) if (this.#step % m.intervalSteps === 0) this.#sample(m);
  }

  /** f64 per neuron pair in the SIMD path's parameter blocks of a heterogeneous population. */
  /** The network's neurons with `size` more must fit the per-neuron regions (state 36 B, spike records 24 B). */
  #checkNeurons(where: string, size: number): void {
    const n = this.#n + size;
    checkAllocations(
      [
        { bytes: n * 36, label: 'lif.state' },
        { bytes: Math.max(this.#bufferOpt ?? 4096, lifRecordCap(n)) * 24, label: 'lif.spikes' },
      ],
      `${where}: a network of ${n} neurons`,
      `A network holds at most ${LIF_MAX_NEURONS} neurons (its state is one kernel region of at most 992 MiB).`,
    );
  }

  /**
   * Every region build() will allocate, sized before the first one is made, so a network that
   * does not fit kernel memory is refused at once with an OutOfMemoryError that names the region.
   */
  #planRegions(): void {
    const N = this.#n;
    let maxD = -1;
    for (const p of this.#projs) if (p.dInt > 0 || p.dFrac > 0) maxD = Math.max(maxD, p.dInt);
    const R = maxD < 0 ? 0 : maxD + 2;
    const qSize = this.#pairBlockSize();
    const plan = [
      { bytes: H.SIZE * 8, label: 'lif.header' },
      { bytes: N * 36, label: 'lif.state' },
      { bytes: R * N * 24, label: 'lif.ring' },
      { bytes: this.#recordCap() * 24, label: 'lif.spikes' },
      { bytes: this.#pops.length * P.SIZE * 8, label: 'lif.tables' },
      { bytes: Math.max(1, this.#projs.length) * J.SIZE * 8, label: 'lif.tables' },
    ];
    for (const p of this.#pops) {
      if (p.source) plan.push({ bytes: Math.max(1, p.source.steps.length) * 12, label: 'lif.source' });
      plan.push({ bytes: (p.homo ? 1 : p.size) * C.SIZE * 8, label: 'lif.params' });
      if (p.shared > 0) plan.push({ bytes: 2 * this.fineSteps * 8, label: 'lif.scratch' });
      if (this.#fast && !p.homo) plan.push({ bytes: ((p.size + (p.start & 1) + 1) >> 1) * qSize * 8, label: 'lif.params' });
    }
    for (const pj of this.#projs) {
      plan.push({ bytes: pj.csr.rowPtr.length * 4, label: 'lif.synapses' }, { bytes: pj.csr.cols.length * 4, label: 'lif.synapses' });
      if (pj.csr.weights) plan.push({ bytes: pj.csr.weights.length * 8, label: 'lif.synapses' });
    }
    this.planAllocations(
      plan,
      `A delay ring holds (max delay/dt + 2) steps × neurons × 24 bytes (${R} × ${N} here): shorten the longest delay or use fewer neurons; a heterogeneous population keeps ${C.SIZE * 8} bytes of coefficients per neuron.`,
    );
  }

  #pairBlockSize(): number {
    if (this.integrator !== 'exact') return Q.SIZE_EM;
    return this.fineSteps > 1 ? Q.SIZE_EXACT_FINE : Q.SIZE_EXACT;
  }

  #sample(m: LifStateMonitor): void {
    const N = this.#n;
    const st = this.#state.f64(0, 3 * N);
    m.sample(this.#step, st.subarray(0, N), st.subarray(N, 2 * N), st.subarray(2 * N, 3 * N));
  }

  /** Hands the kernel's spike records to the monitors (as one chunk) and empties the buffer. */
  #drain(): void {
    const hd = this.#hdr.f64(0, H.SIZE);
    const cnt = hd[H.REC_COUNT];
    if (cnt === 0) return;
    const cap = this.#cap;
    const chunk: LifSpikeChunk = {
      count: cnt,
      neuron: this.#rec.i32(0, cnt),
      step: this.#rec.u32(4 * cap, cnt),
      offset: this.#rec.f64(8 * cap, cnt),
      A: this.#rec.f64(16 * cap, cnt),
    };
    const counts = this.#counts;
    for (let k = 0; k < cnt; k++) counts[chunk.neuron[k]]++;
    for (const m of this.#spikeSinks) m.receive(chunk);
    this.#spikeTotal += cnt;
    hd[H.REC_COUNT] = 0;
  }

  /**
   * One kernel call of at most `chunk` steps, cut at the next state-monitor sample: feeds the
   * monitors and returns the steps done (fewer when the spike buffer filled up).
   */
  #advance(chunk: number): number {
    for (const m of this.#stateMons) chunk = Math.min(chunk, m.intervalSteps - (this.#step % m.intervalSteps));
    const t0 = now();
    const code = (this.#tk ?? kernel()).lifRun(this.#hdr.ptr, chunk) as number;
    return this.#advanced(chunk, code, t0);
  }

  /** {@link LifNetwork.#advance} on the network's threads. */
  async #advanceThreads(team: ThreadTeam, chunk: number): Promise<number> {
    for (const m of this.#stateMons) chunk = Math.min(chunk, m.intervalSteps - (this.#step % m.intervalSteps));
    const t0 = now();
    const codes = await team.run(this.#hdr.ptr, chunk, (this.#ctl as Region).ptr);
    return this.#advanced(chunk, codes.find((c) => c !== 0) ?? 0, t0);
  }

  #advanced(chunk: number, code: number, t0: number): number {
    const hd = this.#hdr.f64(0, H.SIZE);
    const did = hd[H.DONE];
    this.#step = hd[H.STEP];
    this.#drain();
    checkStatus(code, 'LifNetwork.run', (this.#tk ?? undefined) as KernelExports | undefined);
    if (did === chunk) for (const m of this.#stateMons) if (this.#step % m.intervalSteps === 0) this.#sample(m);
    const ms = now() - t0;
    if (did > 0 && ms > 0) {
      // A slower step is believed at once (a burst of spikes, a busy machine), a faster one halfway.
      const per = ms / did;
      this.#msPerStep = this.#msPerStep === 0 || per > this.#msPerStep ? per : 0.5 * (this.#msPerStep + per);
    }
    return did;
  }

  /**
   * Steps of the next kernel call: about `targetMs` of wall-clock work at the measured cost per
   * step, at most 4× the previous call of this run (the first calls measure), at least 1.
   */
  #chunkSteps(targetMs: number, max: number, prev: number, remaining: number): number {
    let c = this.#msPerStep > 0 ? Math.floor(targetMs / this.#msPerStep) : prev === 0 ? 1 : Number.POSITIVE_INFINITY;
    if (prev > 0) c = Math.min(c, 4 * prev);
    return Math.max(1, Math.min(c, max, remaining));
  }

  /** Checks a run's duration and returns its number of steps. */
  #runSteps(duration: number): number {
    this.assertLive();
    checkNonNegative('duration', duration, 'ms');
    const steps = Math.round(duration / this.dt);
    const left = Math.floor(0xffffffff / this.fineSteps) - this.#step;
    if (!(steps <= left))
      throw new ValidationError(
        'duration',
        `at most ${left * this.dt} ms (${left} more steps of dt = ${this.dt} ms: the fine-step counter is 32-bit)`,
        duration,
      );
    return steps;
  }

  #partial(): { step: number; time: number } {
    return { step: this.#step, time: this.time };
  }

  /**
   * Advances the network by `duration` ms (rounded to whole steps), continuing from where the
   * last call stopped. The kernel runs in calls of about 20 ms of work; after each, monitors are
   * fed, `onProgress` receives a {@link Progress} (unit `'step'`, `done`/`total` steps of this
   * call, `time` = network time in ms) and `signal` is checked: an aborted signal stops the run
   * with an {@link AbortedError} (`partial`: step and time reached) and everything recorded so
   * far stays readable. A synchronous run sees an abort fired from its own `onProgress`; use
   * {@link LifNetwork.runAsync} to abort from a timer or a button. A non-finite state throws a
   * `NumericalError` naming the step, neuron and time; spikes recorded up to then stay readable.
   * @param duration - ms, ≥ 0; rounded to a whole number of steps
   * @returns the number of steps done
   */
  run(duration: number, options: RunOptions = {}): number {
    const o = strictOptions<RunOptions>('LifNetwork.run', 'options', options, RUN_OPTION_KEYS);
    const steps = this.#runSteps(duration);
    const pr = new ProgressTracker('LifNetwork.run', steps, 'step', o);
    this.build();
    let done = 0;
    let prev = 0;
    while (done < steps) {
      pr.throwIfAborted(this.#partial());
      prev = this.#chunkSteps(SYNC_CHUNK_MS, SYNC_MAX_CHUNK, prev, steps - done);
      done += this.#advance(prev);
      if (pr.wantsProgress) pr.report(done, { time: this.time });
    }
    return done;
  }

  /**
   * Like {@link LifNetwork.run}, but yields to the event loop at least every `sliceMs` (default
   * 10 ms) of work, so an `AbortSignal` fired elsewhere (a timer, a button) stops it within about
   * `sliceMs` plus one step's work. Kernel calls are sized by measured wall-clock time (about
   * sliceMs/2 each, at least one step), so this holds for networks of any size. Results are
   * identical to `run` (chunking does not change them); the same duration checks apply.
   * @param duration - ms, ≥ 0; rounded to a whole number of steps
   * @returns the number of steps done
   * @example
   * ```ts
   * const ac = new AbortController();
   * setTimeout(() => ac.abort(), 100);
   * await net.runAsync(10_000, { signal: ac.signal }).catch((e) => e instanceof AbortedError);
   * ```
   */
  async runAsync(duration: number, options: AsyncRunOptions = {}): Promise<number> {
    const o = strictOptions<AsyncRunOptions>('LifNetwork.runAsync', 'options', options, ASYNC_RUN_OPTION_KEYS);
    const steps = this.#runSteps(duration);
    const pr = new ProgressTracker('LifNetwork.runAsync', steps, 'step', o);
    if (this.#threadsOpt !== 1 && !this.#built && threadsUnavailable() === null) await compileThreadKernel();
    this.build();
    // Starting the workers takes tens of ms: an abort meanwhile answers at once (the start goes
    // on, for the next call, or is stopped by dispose).
    if (!this.#starting) {
      const start = this.#startThreads();
      this.#starting = start;
      // A failure reaches the caller through the await below (after an abort, nobody waits);
      // the next call then tries again.
      start.catch(() => {
        if (this.#starting === start) this.#starting = null;
      });
    }
    const team = await pr.race(this.#starting, this.#partial());
    let done = 0;
    let prev = 0;
    pr.throwIfAborted(this.#partial());
    while (done < steps) {
      prev = this.#chunkSteps(pr.sliceMs / 2, ASYNC_MAX_CHUNK, prev, steps - done);
      done += team ? await this.#advanceThreads(team, prev) : this.#advance(prev);
      if (pr.wantsProgress) pr.report(done, { time: this.time });
      if (done < steps) await pr.maybeYield(this.#partial());
    }
    return done;
  }

  /**
   * Starts the workers of a threaded network (once): T = the `threads` option ('auto': the
   * logical cores), at most one per 8 neurons. Neurons are cut into T contiguous blocks at
   * multiples of 8 from each population's first even neuron (so every neuron takes the same SIMD
   * or scalar path as on one thread). Returns null when the network runs on one thread.
   */
  async #startThreads(): Promise<ThreadTeam | null> {
    if (this.#team || !this.#tk) return this.#team;
    const cores = await availableCores();
    // disposed meanwhile (runAsync answered an abort and the caller disposed): nothing to start
    if (this.disposed) return null;
    const want = this.#threadsOpt === 'auto' ? cores : this.#threadsOpt;
    const T = Math.max(1, Math.min(want, Math.floor(this.#n / 8)));
    if (T < 2) {
      if (want > 1)
        this.#threadsNote = `LifNetwork: ${want} threads asked for, running on one thread: ${this.#n} neurons are too few to share`;
      return null;
    }
    const cuts = this.#partition(T);
    const ctl = this.#alloc(ctlBytes(T), 'lif.threads');
    const scratch: number[] = [];
    const W = this.#window();
    const slots: { lo: number; hi: number; rec: Region; list: Region; cnt: Region }[] = [];
    for (let t = 0; t < T; t++) {
      const lo = cuts[t];
      const hi = cuts[t + 1];
      const cap = Math.max(1, hi - lo);
      scratch.push(this.#alloc(THREAD_SCRATCH_BYTES, 'lif.threads').ptr);
      slots.push({
        lo,
        hi,
        // two buffers (steps or, for a coupled window read by every thread, windows of W steps)
        rec: this.#alloc((W > 1 && this.#projs.length > 0 ? 2 * W : Math.max(2, W)) * cap * 24, 'lif.threads'),
        list: this.#alloc(cap * 4, 'lif.threads'),
        cnt: this.#alloc(2 * W * 8, 'lif.threads'),
      });
    }
    const c = ctl.f64(0);
    ctl.i32(0, 4).set([0, 0, T, barrierSpins(T, cores)]);
    slots.forEach((s, t) => {
      const o = (64 + 128 * t) / 8;
      c[o + TS.LO] = s.lo;
      c[o + TS.HI] = s.hi;
      c[o + TS.REC] = s.rec.ptr;
      c[o + TS.CAP] = Math.max(1, s.hi - s.lo);
      c[o + TS.LIST] = s.list.ptr;
      c[o + TS.WCAP] = W;
      c[o + TS.CNT] = s.cnt.ptr;
      c[o + TS.WIN] = 0;
    });
    const team = await ThreadTeam.start((this.#tk as ThreadKernel).memory, scratch);
    // disposed while the workers started (after an abort): stop them
    if (this.disposed) {
      team.terminate();
      return null;
    }
    this.adopt({ dispose: () => team.terminate() });
    this.#ctl = ctl;
    this.#team = team;
    this.#threadsUsed = T;
    return team;
  }

  /** T + 1 cuts 0 = c_0 <= ... <= c_T = N: near k·N/T, moved to the nearest multiple of 8 from its population's first even neuron. */
  #partition(T: number): number[] {
    const N = this.#n;
    const cuts = [0];
    for (let t = 1; t < T; t++) {
      const b = Math.round((t * N) / T);
      const p = this.#pops.find((q) => b >= q.start && b < q.start + q.size);
      let c = b;
      // a spike-source population stays on one thread (its event list is read in order)
      if (p?.source) c = b - p.start <= p.start + p.size - b ? p.start : p.start + p.size;
      else if (p && b > p.start) {
        const s0 = p.start + (p.start & 1);
        c = s0 + 8 * Math.round((b - s0) / 8);
        if (c <= s0) c = p.start;
        if (c > p.start + p.size) c = p.start + p.size;
      }
      cuts.push(Math.max(cuts[t - 1], c));
    }
    cuts.push(N);
    return cuts;
  }

  /** Spikes per neuron so far (copy). */
  spikeCounts(): Float64Array {
    this.assertLive();
    return this.#counts ? this.#counts.slice() : new Float64Array(this.#n);
  }

  /**
   * The current state of every neuron (copies) as a {@link LifState} table: `v`, `i`, `i2`,
   * `refUntil` (steps), one row per neuron.
   */
  state(): LifState {
    this.assertLive();
    this.build();
    const N = this.#n;
    const st = this.#state.f64(0, 4 * N);
    return makeTable<LifStateColumns>(
      'lif.state',
      {
        v: { data: st.slice(0, N), unit: 'voltage', description: 'membrane potential V' },
        i: { data: st.slice(N, 2 * N), unit: 'voltage/ms', description: 'noisy synaptic current I (channel 0)' },
        i2: { data: st.slice(2 * N, 3 * N), unit: 'voltage/ms', description: 'noise-free synaptic current I2 (channel 1)' },
        refUntil: { data: st.slice(3 * N, 4 * N), unit: '', description: 'step until which the neuron is refractory' },
      },
      { ...this.#tableMeta(), step: this.#step, time: this.time },
    );
  }

  /**
   * Overwrites V / I / I₂ of every neuron (a number for all, or an array of length N each).
   * @param state - `{ v?, i?, i2? }`
   */
  setState(state: {
    /** V per neuron (voltage units). */
    v?: PerNeuron;
    /** I per neuron (voltage units per ms). */
    i?: PerNeuron;
    /** I₂ per neuron (voltage units per ms). */
    i2?: PerNeuron;
  }): void {
    this.assertLive();
    const s = strictOptions<{ v?: PerNeuron; i?: PerNeuron; i2?: PerNeuron }>('setState', 'state', state, ['v', 'i', 'i2']);
    this.build();
    const N = this.#n;
    const v = s.v === undefined ? null : scalarOrArray('state.v', s.v, N);
    const i = s.i === undefined ? null : scalarOrArray('state.i', s.i, N);
    const i2 = s.i2 === undefined ? null : scalarOrArray('state.i2', s.i2, N);
    const st = this.#state.f64(0, 3 * N);
    if (v) st.set(v, 0);
    if (i) st.set(i, N);
    if (i2) st.set(i2, 2 * N);
    this.#hdr.f64(0, H.SIZE)[H.CATCH] = 1;
  }

  /** Saves the full dynamic state (state, delay ring, step = RNG counter) as a {@link LifSnapshot}. */
  snapshot(): LifSnapshot {
    this.assertLive();
    this.build();
    const N = this.#n;
    const st = this.#state.f64(0, 4 * N);
    return new LifSnapshot(
      st.slice(0, N),
      st.slice(N, 2 * N),
      st.slice(2 * N, 3 * N),
      st.slice(3 * N, 4 * N),
      this.#step,
      this.#ring ? this.#ring.f64(0, this.#R * N * 3).slice() : new Float64Array(0),
      this.#spikeTotal,
    );
  }

  /**
   * Restores a {@link LifSnapshot} of this network, or its JSON form: the continuation is
   * bit-identical.
   */
  restore(snapshot: LifSnapshot | LifSnapshotJSON): void {
    this.assertLive();
    const s = snapshot instanceof LifSnapshot ? snapshot : strictOptions<LifSnapshotJSON>('restore', 'snapshot', snapshot, SNAPSHOT_KEYS);
    if (s.kind !== undefined && s.kind !== 'lif.snapshot') throw new ValidationError('snapshot.kind', "'lif.snapshot'", s.kind);
    this.build();
    const N = this.#n;
    const v = checkFiniteArray('snapshot.v', s.v, N);
    const i = checkFiniteArray('snapshot.i', s.i, N);
    const i2 = checkFiniteArray('snapshot.i2', s.i2, N);
    const refUntil = checkFiniteArray('snapshot.refUntil', s.refUntil, N);
    const rl = this.#R * N * 3;
    const ring = checkFiniteArray('snapshot.ring', s.ring, rl);
    const step = checkInteger('snapshot.step', s.step, 0, Math.floor(0xffffffff / this.fineSteps));
    const spikes = checkInteger('snapshot.spikesSoFar', s.spikesSoFar, 0);
    const st = this.#state.f64(0, 4 * N);
    st.set(v, 0);
    st.set(i, N);
    st.set(i2, 2 * N);
    st.set(refUntil, 3 * N);
    if (this.#ring) this.#ring.f64(0, rl).set(ring);
    this.#step = step;
    this.#spikeTotal = spikes;
    // The kernel's refractory list is a function of refUntil: rebuild it.
    const list = this.#state.i32(32 * N, N);
    let cnt = 0;
    for (let k = 0; k < N; k++) if (refUntil[k] > step) list[cnt++] = k;
    const hd = this.#hdr.f64(0, H.SIZE);
    hd[H.RLN] = cnt;
    hd[H.STEP] = step;
    hd[H.REC_COUNT] = 0;
    hd[H.CATCH] = 1;
    // Spike sources continue from their first event at or after the restored step.
    const pt = this.#popT.f64(0, this.#pops.length * P.SIZE);
    this.#pops.forEach((p, pi) => {
      if (!p.source) return;
      let k = 0;
      while (k < p.source.steps.length && p.source.steps[k] < step) k++;
      pt[pi * P.SIZE + P.SRCK] = k;
    });
  }

  /**
   * Bytes of kernel memory by role: dynamic state per neuron (V, I, I₂, refractory-until; plus
   * the delay ring when delays are used), synapses (int32 target + f64 weight only when weights
   * differ), parameters and buffers.
   */
  memory(): {
    /** Number of neurons N. */
    neurons: number;
    /** Number of synapses over all projections. */
    synapses: number;
    /** Bytes of dynamic state per neuron (V, I, I₂, refractory-until, refractory list; + 24 per delay-ring slot). */
    stateBytesPerNeuron: number;
    /** Mean bytes per synapse (int32 target, f64 weight when weights differ, CSR row pointers amortised). */
    synapseBytesPerSynapse: number;
    /** Bytes of population parameters (one row per homogeneous population, else one per neuron). */
    paramBytes: number;
    /** Bytes of the spike record buffer (24 per record). */
    bufferBytes: number;
  } {
    this.assertLive();
    const N = this.#n;
    let syn = 0;
    let synBytes = 0;
    for (const p of this.#projs) {
      syn += p.csr.cols.length;
      synBytes += p.csr.cols.length * (4 + (p.csr.weights ? 8 : 0)) + p.csr.rowPtr.length * 4;
    }
    let paramBytes = 0;
    const qSize = this.#pairBlockSize();
    for (const p of this.#pops) {
      paramBytes += (p.homo ? 1 : p.size) * C.SIZE * 8;
      if (this.#fast && !p.homo) paramBytes += ((p.size + (p.start & 1) + 1) >> 1) * qSize * 8;
    }
    return {
      neurons: N,
      synapses: syn,
      stateBytesPerNeuron: 36 + this.#R * 24,
      synapseBytesPerSynapse: syn ? synBytes / syn : 0,
      paramBytes,
      bufferBytes: this.#recordCap() * 24,
    };
  }

  /**
   * Projection k (in `connect` order) as a {@link LifProjection}: a CSR copy by presynaptic row,
   * with weights converted to the jump J of the target current (null when every synapse has the
   * scalar `weight`).
   */
  getProjection(k: number): LifProjection {
    this.assertLive();
    checkInteger('k', k, 0, Math.max(0, this.#projs.length - 1));
    const p = this.#projs[k];
    if (!p) throw new ValidationError('k', 'the index of a projection (none yet)', k);
    return new LifProjection(
      p.from.name,
      p.to.name,
      p.channel,
      (p.dInt + p.dFrac) * this.dt,
      p.weight,
      p.csr.rowPtr.slice(),
      p.csr.cols.slice(),
      p.csr.weights ? p.csr.weights.slice() : null,
    );
  }

  /** Population names and index ranges. */
  populations(): {
    /** Population name. */
    name: string;
    /** Global index of its first neuron. */
    start: number;
    /** Number of neurons. */
    size: number;
  }[] {
    return this.#pops.map((p) => ({ name: p.name, start: p.start, size: p.size }));
  }

  /**
   * Parameters of a population as built (copies, one value per neuron; `gL` = 1/τ_m in ms⁻¹),
   * for exporters (NIR) and inspection.
   */
  populationParams(name: string): {
    /** Leak conductance g_L = 1/τ_m (ms⁻¹) per neuron. */
    gL: Float64Array;
    /** V_L, V_th, V_r per neuron (voltage units). */
    vLeak: Float64Array;
    vThreshold: Float64Array;
    vReset: Float64Array;
    /** τ_s and τ₂ (ms) per neuron. */
    tauSyn: Float64Array;
    tauSyn2: Float64Array;
    /** μ, σ per neuron (voltage units per ms). */
    mu: Float64Array;
    sigma: Float64Array;
    /** Refractory period (ms) per neuron. */
    tRef: Float64Array;
    /** Shared-noise fraction c. */
    sharedNoise: number;
    /** Poisson drive, or null. */
    poisson: { rate: number; weight: number; channel: 0 | 1 } | null;
    /** Initial V, I, I₂ per neuron. */
    v0: Float64Array;
    i0: Float64Array;
    i20: Float64Array;
    /** Number of replayed spikes of a spike-source population ({@link LifNetwork.addSpikeSource}), or null. */
    sourceSpikes: number | null;
  } {
    this.assertLive();
    const p = this.#pop(name, 'name');
    const q = p.params;
    return {
      gL: q.gL.slice(),
      vLeak: q.vLeak.slice(),
      vThreshold: q.vTh.slice(),
      vReset: q.vR.slice(),
      tauSyn: q.tauSyn.slice(),
      tauSyn2: q.tauSyn2.slice(),
      mu: q.mu.slice(),
      sigma: q.sigma.slice(),
      tRef: q.tRef.slice(),
      sharedNoise: p.shared,
      poisson: p.poisson ? { ...p.poisson } : null,
      v0: p.v0.slice(),
      i0: p.i0.slice(),
      i20: p.i20.slice(),
      sourceSpikes: p.source ? p.source.steps.length : null,
    };
  }

  /** Number of projections (the `k` of {@link LifNetwork.getProjection}). */
  get projectionCount(): number {
    return this.#projs.length;
  }

  // ---- Analysis hooks (numerics; issue 14): a noise window shared with other networks and the
  // tangent pass. Self-contained: the engine above does not depend on them, and a network that
  // uses neither runs exactly as before (header fields of the analysis block stay 0).

  /**
   * Reads the noise normals from `window` whenever the window holds the fine steps of a step
   * (and matches this network's key and size), instead of drawing them: several networks on one
   * Brownian path (a convergence study's step sizes) then draw each normal once. Results are
   * bit-identical with and without a window. `null` detaches. The window must hold the second
   * normal stream for the `exact` integrator.
   */
  useNoiseWindow(window: LifNoiseWindow | null): void {
    this.assertLive();
    if (this.#threadsOpt !== 1)
      throw new ValidationError('threads', '1 for a network with a noise window (useNoiseWindow)', this.#threadsOpt);
    this.build();
    if (window === null) {
      this.#hdr.f64(0, H.SIZE)[H.ZWIN] = 0;
      return;
    }
    if (!(window instanceof LifNoiseWindow) || window.disposed)
      throw new ValidationError('window', 'a live LifNoiseWindow or null', window);
    if (window.neurons !== this.#n) throw new ValidationError('window.neurons', `${this.#n} (the network's size)`, window.neurons);
    if (window.key.k0 !== this.key.k0 || window.key.k1 !== this.key.k1)
      throw new ValidationError('window.key', "the network's key (the same seed and trial)", window.key);
    if (this.integrator === 'exact' && window.integrator !== 'exact')
      throw new ValidationError('window.integrator', "'exact' (the exact integrator reads two normal streams)", window.integrator);
    const hdr = this.#hdr;
    this.#hdr.f64(0, H.SIZE)[H.ZWIN] = window.attach(() => {
      if (!this.disposed) hdr.f64(0, H.SIZE)[H.ZWIN] = 0;
    });
  }

  /**
   * Adds K tangent vectors of the state (V, I, and I₂ when a projection targets it) that the kernel carries along every later step:
   * the exact variational flow between events and the saltation of each reset at its crossing
   * time (see {@link LifTangents}). For Lyapunov exponents. Needs the `linear` or `hermite` rule,
   * zero delays and no refractory period. Once per network.
   */
  addTangents(options: LifTangentOptions): LifTangents {
    this.assertLive();
    const o = strictOptions('addTangents', 'options', options, TANGENT_KEYS);
    if (this.#threadsOpt !== 1) throw new ValidationError('threads', '1 for a network with tangents (addTangents)', this.#threadsOpt);
    this.build();
    if (this.#tangents) throw new ValidationError('addTangents', 'one call per network', 'a second call');
    const refusal = tangentRefusal({
      spikeRule: this.spikeRule,
      delays: this.#projs.some((p) => p.dInt > 0 || p.dFrac > 0),
      refractory: this.#pops.some((p) => p.params.tRef.some((t) => t > 0)),
    });
    if (refusal) throw refusal;
    const N = this.#n;
    // δI₂ is carried only when a projection kicks I₂: otherwise {δI₂ = 0} is invariant and its
    // exponents are −1/τ₂, outside the spectrum's top (the kernel then skips those components).
    const C = this.#projs.some((p) => p.channel === 1) ? 3 : 2;
    const K = checkInteger('options.count', o.count, 1, C * N);
    const vec = this.#alloc(K * C * N * 8, 'lif.tangent');
    const scratch = this.#alloc(K * N * 8, 'lif.tangent');
    const log = this.#alloc(K * 8, 'lif.tangent');
    const secant = this.#alloc(this.#cap * 8, 'lif.tangent');
    const saltation = this.#alloc(N * 8, 'lif.tangent');
    const hd = this.#hdr.f64(0, H.SIZE);
    hd[H.TAN] = vec.ptr;
    hd[H.TANK] = K;
    hd[H.TANS] = scratch.ptr;
    hd[H.TANSEC] = secant.ptr;
    hd[H.TANLOG] = saltation.ptr;
    hd[H.TANC] = C;
    this.#tangents = new LifTangents(this.#hdr, vec, log, saltation, K, N, C, this.key, () => this.assertLive());
    return this.#tangents;
  }

  #tangents: LifTangents | null = null;
}
