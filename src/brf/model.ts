/**
 * Recurrent spiking network of BRF, RF or ALIF neurons with a leaky-integrator readout: network
 * options (ms for every time), parameter layout, initialisation and the shard runner over the
 * WASM kernels (`assembly/brf/index.ts` in f64, `assembly/brf/f32.ts` in f32 with f32x4 SIMD).
 * @packageDocumentation
 */
import { optionKeys, type RenamedOptions, strictOptions } from '../contract/options.js';
import { type AsyncRunOptions, ProgressTracker } from '../contract/progress.js';
import { Result } from '../contract/results.js';
import { NeurodynError, NumericalError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, MAX_REGION_BYTES, type Region } from '../kernel/region.js';
import { readFailure } from '../kernel/status.js';
import { checkBoolean, checkChoice, checkFinite, checkInteger, checkPositive, checkRange } from '../kernel/validate.js';
import { SEED_OPTION_KEYS, type SeedOptions } from '../rng/seed.js';
import { BrfCall, BrfConst, BrfKind } from './layout.js';
import { brfKey, brfNormals, brfUniforms, Streams } from './rng.js';

/**
 * Option names of earlier versions of the brf module and their names now (the units changed
 * with some of them: time constants were steps and δ was seconds; now both are ms).
 */
const RENAMED: RenamedOptions = {
  thetaC: { to: 'vThreshold', note: 'times are in ms' },
  alifB0: { to: 'vThreshold', note: 'times are in ms' },
  alifBeta: { to: 'adaptStrength', note: 'times are in ms' },
  tauAdpInit: { to: 'tauAdaptInit', note: 'times are in ms' },
  lossStart: { to: 'lossStartStep', note: 'times are in ms' },
  recomputeEvery: { to: 'checkpointSteps', note: 'times are in ms' },
  tbptt: { to: 'tbpttSteps', note: 'times are in ms' },
  T: { to: 'steps', note: 'times are in ms' },
  maxShard: { to: 'shardSize', note: 'times are in ms' },
};

/**
 * @internal {@link strictOptions} that also names the current option for a name of an earlier
 * version (`thetaC` → `vThreshold`).
 */
export function brfOptions<T extends object>(where: string, name: string, value: T | undefined | null, keys: readonly string[]): T {
  return strictOptions<T>(where, name, value, keys, RENAMED);
}

/** Neuron model of the hidden layer. */
export type BrfModelKind = 'brf' | 'rf' | 'alif';
const KIND_ID: Record<BrfModelKind, number> = { brf: BrfKind.BRF, rf: BrfKind.RF, alif: BrfKind.ALIF };

/**
 * Arithmetic of the forward and backward passes. `'f64'` (default) is the reference: gradient
 * checks against finite differences hold to ~1e-9. `'f32'` runs the f32x4 SIMD kernel (about
 * 3–4× faster; parameters, Adam moments and the sum over shards stay f64); its gradients agree
 * with f64 to ~1e-6 relative where no spike flips (docs/brf.md, "f32 training").
 */
export type BrfPrecision = 'f32' | 'f64';

/**
 * Surrogate derivative of the Heaviside spike function used in the backward pass.
 * - `'dgauss'` (default, BRF reference code): `σ'(s) = gain·[(1+h)·N(s;0,σ) − 2h·N(s;0,kσ)]`
 *   with normalised Gaussian densities N. Defaults h = 0.15, σ = 0.5, k = 6, gain = 0.5.
 * - `'sigmoid'` (fast sigmoid, SuperSpike): `σ'(s) = gain/(1 + β|s|)²`, defaults gain = 1, β = 5.
 * - `'triangle'` (Bellec 2018): `σ'(s) = gain·max(0, 1 − |s|/width)`, defaults gain = 0.3, width = 1.
 *
 * s is the distance to threshold in the model's (dimensionless) voltage unit.
 */
export interface BrfSurrogate {
  /** Shape of the surrogate derivative σ'(s) (formulas above). @default 'dgauss' */
  kind?: 'dgauss' | 'sigmoid' | 'triangle';
  /** dgauss: weight of the side lobes. @default 0.15 */
  h?: number;
  /** dgauss: width of the central Gaussian (voltage units). @default 0.5 */
  sigma?: number;
  /** dgauss: width ratio of the side lobes. @default 6 */
  k?: number;
  /** Overall gain. @default 0.5 (dgauss), 1 (sigmoid), 0.3 (triangle) */
  gain?: number;
  /** sigmoid: steepness β (1/voltage unit). @default 5 */
  beta?: number;
  /** triangle: half-width (voltage units). @default 1 */
  width?: number;
}
const SURROGATE_KEYS = optionKeys<BrfSurrogate>()(['kind', 'h', 'sigma', 'k', 'gain', 'beta', 'width']);

/** A normal distribution N(mean, sd²) of an initial value. */
export interface BrfNormalInit {
  /** Mean. */
  mean: number;
  /** Standard deviation (≥ 0). */
  sd: number;
}

/**
 * Options of a recurrent BRF/RF/ALIF network: sizes, the neuron model and its constants, the
 * initial-parameter distributions, the surrogate gradient and the loss. Every time is in ms and
 * every rate in 1/s (rad/s for angular frequencies). One step of the network lasts `dt`.
 */
export interface BrfNetworkOptions {
  /** Hidden neuron model. @default 'brf' */
  model?: BrfModelKind;
  /** Input channels per time step. */
  inputSize: number;
  /** Hidden (recurrent) neurons. */
  hiddenSize: number;
  /** Output classes (≥ 2). */
  outputSize: number;
  /** Euler step δ of the resonator membrane (seed Eq. 2), ms. @default 10 (the reference's δ = 0.01 s) */
  dt?: number;
  /**
   * δ used in the divergence boundary p(ω) (seed Eq. 8), ms. The reference code always uses
   * 10 ms whatever `dt` is; here it defaults to `dt`. @default dt
   */
  boundaryDt?: number;
  /**
   * Threshold, dimensionless: BRF/RF the constant threshold ϑ_c (seed Eq. 4; the BRF neuron
   * spikes when u > ϑ_c + q); ALIF the baseline b0 of ϑ = b0 + β·a.
   * @default 1 (BRF, RF), 0.01 (ALIF)
   */
  vThreshold?: number;
  /** BRF refractory decay γ per step (seed Eq. 6: q ← γq + z), dimensionless in [0, 1]. @default 0.9 */
  gamma?: number;
  /** BRF/RF frequency ω init U(lo, hi), rad/s. @default [15, 50] */
  omegaInit?: [number, number];
  /** BRF offset b′ below the boundary (RF: damping b = −|b′|) init U(lo, hi), 1/s. @default [0.1, 1] */
  bOffsetInit?: [number, number];
  /** ALIF membrane time constant τ_m init, ms. @default { mean: 200, sd: 50 } (20 ± 5 steps of 10 ms) */
  tauMemInit?: BrfNormalInit;
  /** ALIF adaptation time constant τ_a init, ms. @default { mean: 2000, sd: 500 } (200 ± 50 steps of 10 ms) */
  tauAdaptInit?: BrfNormalInit;
  /** Readout time constant τ_out init, ms. @default { mean: 200, sd: 50 } (20 ± 5 steps of 10 ms) */
  tauOutInit?: BrfNormalInit;
  /** ALIF adaptation strength β of ϑ = b0 + β·a, dimensionless. @default 1.8 */
  adaptStrength?: number;
  /** Surrogate gradient. @default { kind: 'dgauss' } */
  surrogate?: BrfSurrogate;
  /**
   * Loss: cross-entropy of softmax(u_out^t). `'last'`: last step only (prediction argmax
   * u_out^T); `'sequence'`: every step t ≥ `lossStartStep` (prediction argmax of the mean of
   * those u_out^t). @default 'last'
   */
  loss?: 'last' | 'sequence';
  /** First step (1-based step index) entering a `'sequence'` loss. @default 1 */
  lossStartStep?: number;
  /** Reduction over time of a `'sequence'` loss (the reference code sums). @default 'sum' */
  lossReduction?: 'sum' | 'mean';
}
const NETWORK_KEYS = optionKeys<BrfNetworkOptions>()([
  'model',
  'inputSize',
  'hiddenSize',
  'outputSize',
  'dt',
  'boundaryDt',
  'vThreshold',
  'gamma',
  'omegaInit',
  'bOffsetInit',
  'tauMemInit',
  'tauAdaptInit',
  'tauOutInit',
  'adaptStrength',
  'surrogate',
  'loss',
  'lossStartStep',
  'lossReduction',
]);

/** Network options with every default filled in (same names and units as {@link BrfNetworkOptions}). */
export type BrfResolvedOptions = Required<Omit<BrfNetworkOptions, 'surrogate'>> & {
  /** Surrogate gradient with every shape parameter filled in. */
  surrogate: Required<BrfSurrogate>;
};

/**
 * Checks network options strictly and fills in the defaults; a bad or unknown option is a
 * {@link ValidationError} naming it.
 * @example
 * ```ts
 * resolveBrfOptions({ model: 'alif', inputSize: 1, hiddenSize: 8, outputSize: 2 }).vThreshold; // 0.01
 * ```
 */
export function resolveBrfOptions(network: BrfNetworkOptions): BrfResolvedOptions {
  return resolveNetwork(network);
}

/** @internal {@link resolveBrfOptions} with argument names prefixed (`network.surrogate.sigma`). */
export function resolveNetwork(options: BrfNetworkOptions, prefix = ''): BrfResolvedOptions {
  const where = 'the network options';
  const o = brfOptions<BrfNetworkOptions>(where, prefix ? prefix.slice(0, -1) : 'options', options, NETWORK_KEYS);
  if (options === undefined) throw new ValidationError(where, 'network options { inputSize, hiddenSize, outputSize, … }', options);
  const n = (k: string) => `${prefix}${k}`;
  const model = checkChoice(n('model'), o.model ?? 'brf', ['brf', 'rf', 'alif'] as const);
  const inputSize = checkInteger(n('inputSize'), o.inputSize, 1, 1 << 16);
  const hiddenSize = checkInteger(n('hiddenSize'), o.hiddenSize, 1, 1 << 14);
  const outputSize = checkInteger(n('outputSize'), o.outputSize, 2, 1 << 12);
  const dt = checkRange(n('dt'), o.dt ?? 10, 0, 1e6, { loOpen: true, unit: 'ms' });
  const boundaryDt = checkRange(n('boundaryDt'), o.boundaryDt ?? dt, 0, 1e6, { loOpen: true, unit: 'ms' });
  const pair = (name: string, v: [number, number] | undefined, d: [number, number], unit: string): [number, number] => {
    const p = v ?? d;
    if (!Array.isArray(p) || p.length !== 2) throw new ValidationError(n(name), `a range [lo, hi] in ${unit}`, p);
    const lo = checkFinite(`${n(name)}[0]`, p[0], unit);
    const hi = checkFinite(`${n(name)}[1]`, p[1], unit);
    if (hi < lo) throw new ValidationError(n(name), `a range [lo, hi] with lo ≤ hi (${unit})`, p);
    return [lo, hi];
  };
  const normal = (name: string, v: BrfNormalInit | undefined, d: BrfNormalInit): BrfNormalInit => {
    if (Array.isArray(v)) throw new ValidationError(n(name), '{ mean, sd } in ms (not a [mean, sd] pair in steps)', v);
    const p = strictOptions<BrfNormalInit>(n(name), n(name), v ?? d, ['mean', 'sd']);
    return { mean: checkFinite(`${n(name)}.mean`, p.mean, 'ms'), sd: checkRange(`${n(name)}.sd`, p.sd, 0, 1e12, { unit: 'ms' }) };
  };
  const omegaInit = pair('omegaInit', o.omegaInit, [15, 50], 'rad/s');
  if (model === 'brf' && Math.max(Math.abs(omegaInit[0]), Math.abs(omegaInit[1])) * (boundaryDt / 1000) >= 1)
    throw new ValidationError(n('omegaInit'), `|ω| < 1/boundaryDt = ${1000 / boundaryDt} rad/s`, omegaInit);
  const sg = strictOptions<BrfSurrogate>(n('surrogate'), n('surrogate'), o.surrogate, SURROGATE_KEYS);
  const kind = checkChoice(n('surrogate.kind'), sg.kind ?? 'dgauss', ['dgauss', 'sigmoid', 'triangle'] as const);
  const surrogate: Required<BrfSurrogate> = {
    kind,
    h: checkFinite(n('surrogate.h'), sg.h ?? 0.15),
    sigma: checkPositive(n('surrogate.sigma'), sg.sigma ?? 0.5),
    k: checkPositive(n('surrogate.k'), sg.k ?? 6),
    gain: checkFinite(n('surrogate.gain'), sg.gain ?? (kind === 'dgauss' ? 0.5 : kind === 'sigmoid' ? 1 : 0.3)),
    beta: checkPositive(n('surrogate.beta'), sg.beta ?? 5),
    width: checkPositive(n('surrogate.width'), sg.width ?? 1),
  };
  return {
    model,
    inputSize,
    hiddenSize,
    outputSize,
    dt,
    boundaryDt,
    vThreshold: checkFinite(n('vThreshold'), o.vThreshold ?? (model === 'alif' ? 0.01 : 1)),
    gamma: checkRange(n('gamma'), o.gamma ?? 0.9, 0, 1),
    omegaInit,
    bOffsetInit: pair('bOffsetInit', o.bOffsetInit, [0.1, 1], '1/s'),
    tauMemInit: normal('tauMemInit', o.tauMemInit, { mean: 200, sd: 50 }),
    tauAdaptInit: normal('tauAdaptInit', o.tauAdaptInit, { mean: 2000, sd: 500 }),
    tauOutInit: normal('tauOutInit', o.tauOutInit, { mean: 200, sd: 50 }),
    adaptStrength: checkFinite(n('adaptStrength'), o.adaptStrength ?? 1.8),
    surrogate,
    loss: checkChoice(n('loss'), o.loss ?? 'last', ['last', 'sequence'] as const),
    lossStartStep: checkInteger(n('lossStartStep'), o.lossStartStep ?? 1, 1, 1 << 24),
    lossReduction: checkChoice(n('lossReduction'), o.lossReduction ?? 'sum', ['sum', 'mean'] as const),
  };
}

/** The sizes of a network (the keys of {@link BrfNetworkOptions} that fix the parameter layout). */
export interface BrfSizes {
  /** Input channels per step. */
  inputSize: number;
  /** Hidden neurons. */
  hiddenSize: number;
  /** Output classes. */
  outputSize: number;
}

/**
 * Offsets of the blocks of the flat (raw, trainable) parameter vector. Time constants are stored
 * in units of the step `dt` (τ/dt, as the reference code), because that is the quantity Adam
 * updates; {@link brfNetworkParameters} gives them in ms.
 */
export interface BrfParamLayout {
  /** W [H×(I+H)] row-major: row i = input weights then recurrent weights of hidden neuron i. */
  w: number;
  /** BRF/RF: ω (rad/s, used as |ω|); ALIF: τ_m/dt (used as |τ_m|/dt). */
  p1: number;
  /** BRF: b′ (1/s, used as |b′|); RF: b′ (damping b = −|b′|); ALIF: τ_a/dt. */
  p2: number;
  /** W_out [C×H]. */
  wOut: number;
  /** τ_out/dt [C] (α_out = exp(−dt/|τ_out|)). */
  tauOut: number;
  /** Total length. */
  size: number;
}

function sizesOf(where: string, s: BrfSizes): { I: number; H: number; C: number } {
  const o = strictOptions<BrfSizes>(where, 'sizes', s, ['inputSize', 'hiddenSize', 'outputSize']);
  if (s === undefined) throw new ValidationError('sizes', '{ inputSize, hiddenSize, outputSize }', s);
  return {
    I: checkInteger('inputSize', o.inputSize, 1, 1 << 16),
    H: checkInteger('hiddenSize', o.hiddenSize, 1, 1 << 14),
    C: checkInteger('outputSize', o.outputSize, 2, 1 << 12),
  };
}

/** Parameter layout for the given sizes (a whole network options object works: its other options are ignored). */
export function brfParamLayout(sizes: BrfSizes): BrfParamLayout {
  strictOptions('brfParamLayout', 'sizes', sizes, NETWORK_KEYS);
  const { I, H, C } = sizesOf('brfParamLayout', {
    inputSize: sizes?.inputSize,
    hiddenSize: sizes?.hiddenSize,
    outputSize: sizes?.outputSize,
  });
  return layoutOf(I, H, C);
}

function layoutOf(I: number, H: number, C: number): BrfParamLayout {
  const w = 0;
  const p1 = H * (I + H);
  const p2 = p1 + H;
  const wOut = p2 + H;
  const tauOut = wOut + C * H;
  return { w, p1, p2, wOut, tauOut, size: tauOut + C };
}

/**
 * Largest |ω| (rad/s) the training clamp allows under the divergence boundary of step
 * `boundaryDt` (ms): (1 − 10⁻⁷)/δ_b, δ_b in s.
 * @example
 * ```ts
 * brfOmegaMax({ boundaryDt: 10 }); // 99.99999 rad/s
 * ```
 */
export function brfOmegaMax(options: { boundaryDt?: number } = {}): number {
  const o = strictOptions<{ boundaryDt?: number }>('brfOmegaMax', 'options', options, ['boundaryDt']);
  // ω_max = (1 − 1e-7)/Δt must be a number: Δt ≥ 1e-300 ms (a subnormal step would give ∞)
  const d = checkRange('boundaryDt', o.boundaryDt ?? 10, 1e-300, 1e6, { unit: 'ms' });
  return (1 - 1e-7) / (d / 1000);
}

/**
 * Initial parameters (Philox, stream `Streams.init`, key from `{ seed, trial }`): W
 * Xavier-uniform over the combined input+recurrent matrix (bound √(6/(I+2H)), as
 * `nn.Linear(I+H, H)` with `xavier_uniform_` in the reference), W_out Xavier-uniform
 * (√(6/(H+C))), ω ~ U(omegaInit), b′ ~ U(bOffsetInit); ALIF τ_m, τ_a and the readout τ_out
 * ~ N(mean, sd²) in ms, stored as τ/dt.
 * @example
 * ```ts
 * const p = initBrfParams({ inputSize: 1, hiddenSize: 32, outputSize: 4 }, { seed: 1 });
 * ```
 */
export function initBrfParams(network: BrfNetworkOptions, options: SeedOptions = {}): Float64Array {
  const o = resolveNetwork(network, 'network.');
  const s = strictOptions<SeedOptions>('initBrfParams', 'options', options, SEED_OPTION_KEYS);
  const I = o.inputSize;
  const H = o.hiddenSize;
  const C = o.outputSize;
  const L = layoutOf(I, H, C);
  const key = brfKey(s, 0x62726600, 0, 'options.');
  const p = new Float64Array(L.size);
  const u = (step: number, n: number) => brfUniforms(key, step, n, Streams.init);
  const g = (step: number, n: number) => brfNormals(key, step, n, Streams.init);
  const bw = Math.sqrt(6 / (I + H + H));
  const uw = u(0, H * (I + H));
  for (let i = 0; i < uw.length; i++) p[L.w + i] = (2 * uw[i] - 1) * bw;
  const bo = Math.sqrt(6 / (H + C));
  const uo = u(1, C * H);
  for (let i = 0; i < uo.length; i++) p[L.wOut + i] = (2 * uo[i] - 1) * bo;
  // N(mean, sd²) in ms as steps: mean/dt + (sd/dt)·g (exact for the defaults: 200/10, 50/10)
  const steps = (d: BrfNormalInit): [number, number] => [d.mean / o.dt, d.sd / o.dt];
  if (o.model === 'alif') {
    const a = g(2, H);
    const b = g(3, H);
    const [m1, s1] = steps(o.tauMemInit);
    const [m2, s2] = steps(o.tauAdaptInit);
    for (let i = 0; i < H; i++) {
      p[L.p1 + i] = m1 + s1 * a[i];
      p[L.p2 + i] = m2 + s2 * b[i];
    }
  } else {
    const a = u(2, H);
    const b = u(3, H);
    for (let i = 0; i < H; i++) {
      p[L.p1 + i] = o.omegaInit[0] + (o.omegaInit[1] - o.omegaInit[0]) * a[i];
      p[L.p2 + i] = o.bOffsetInit[0] + (o.bOffsetInit[1] - o.bOffsetInit[0]) * b[i];
    }
  }
  const t = g(4, C);
  const [mo, so] = steps(o.tauOutInit);
  for (let c = 0; c < C; c++) p[L.tauOut + c] = mo + so * t[c];
  return p;
}

/**
 * A raw parameter vector in named blocks and physical units (see {@link brfNetworkParameters}).
 * Arrays are copies, row-major.
 */
export class BrfNetworkParameters extends Result {
  readonly kind = 'brf.parameters';
  /** Neuron model. */
  readonly model: BrfModelKind;
  /** Input weights W_in [H][I], dimensionless. */
  readonly wIn: Float64Array;
  /** Recurrent weights W_rec [H][H] (row = postsynaptic neuron), dimensionless. */
  readonly wRec: Float64Array;
  /** Readout weights W_out [C][H], dimensionless. */
  readonly wOut: Float64Array;
  /** BRF/RF angular frequency |ω| [H], rad/s (BRF: as clamped by the divergence boundary); empty for ALIF. */
  readonly omega: Float64Array;
  /** BRF offset |b′| below the boundary [H], 1/s; RF damping b = −|b′| [H], 1/s; empty for ALIF. */
  readonly bOffset: Float64Array;
  /** ALIF membrane time constant |τ_m| [H], ms; empty otherwise. */
  readonly tauMem: Float64Array;
  /** ALIF adaptation time constant |τ_a| [H], ms; empty otherwise. */
  readonly tauAdapt: Float64Array;
  /** Readout time constant |τ_out| [C], ms. */
  readonly tauOut: Float64Array;
  /** @internal */
  constructor(o: BrfResolvedOptions, p: Float64Array) {
    super();
    const { inputSize: I, hiddenSize: H, outputSize: C } = o;
    const L = layoutOf(I, H, C);
    this.model = o.model;
    this.wIn = new Float64Array(H * I);
    this.wRec = new Float64Array(H * H);
    for (let i = 0; i < H; i++) {
      this.wIn.set(p.subarray(i * (I + H), i * (I + H) + I), i * I);
      this.wRec.set(p.subarray(i * (I + H) + I, (i + 1) * (I + H)), i * H);
    }
    this.wOut = p.slice(L.wOut, L.wOut + C * H);
    const ms = (a: Float64Array) => a.map((v) => Math.abs(v) * o.dt);
    const alif = o.model === 'alif';
    const omax = o.model === 'brf' ? brfOmegaMax({ boundaryDt: o.boundaryDt }) : Number.POSITIVE_INFINITY;
    this.omega = alif ? new Float64Array(0) : p.slice(L.p1, L.p2).map((v) => Math.min(Math.abs(v), omax));
    this.bOffset = alif ? new Float64Array(0) : p.slice(L.p2, L.wOut).map((v) => (o.model === 'rf' ? -Math.abs(v) : Math.abs(v)));
    this.tauMem = alif ? ms(p.slice(L.p1, L.p2)) : new Float64Array(0);
    this.tauAdapt = alif ? ms(p.slice(L.p2, L.wOut)) : new Float64Array(0);
    this.tauOut = ms(p.slice(L.tauOut, L.size));
  }
}

/**
 * The raw parameter vector of a network in named blocks and physical units (ω in rad/s, b′ in
 * 1/s, every τ in ms).
 * @example
 * ```ts
 * const net = { model: 'alif', inputSize: 1, hiddenSize: 8, outputSize: 2 } as const;
 * brfNetworkParameters(initBrfParams(net), net).tauMem; // ≈ 200 ± 50 ms
 * ```
 */
export function brfNetworkParameters(params: Float64Array, network: BrfNetworkOptions): BrfNetworkParameters {
  const o = resolveNetwork(network, 'network.');
  const L = layoutOf(o.inputSize, o.hiddenSize, o.outputSize);
  if (!(params instanceof Float64Array) || params.length !== L.size)
    throw new ValidationError('params', `a Float64Array of ${L.size} values (the layout of these sizes)`, params?.length ?? params);
  for (let i = 0; i < params.length; i++)
    if (!Number.isFinite(params[i])) throw new ValidationError(`params[${i}]`, 'a finite number', params[i]);
  return new BrfNetworkParameters(o, params);
}

/** @internal What a kernel call computes besides the network options. */
export interface BrfConstsOptions {
  /** Steps of the call. */
  steps: number;
  /** Smooth stand-in for the Heaviside (sigmoid surrogate only). */
  smooth?: boolean;
  /** Checkpoint interval (0 = store every step). */
  checkpointSteps?: number;
  /** Global step index before the call's first step. */
  offset?: number;
  /** Whether the call covers a whole sequence (the loss must then have a step). */
  wholeSequence?: boolean;
}

/**
 * @internal Constant block passed to the kernel (slot order mirrors assembly/brf/index.ts; the
 * kernel's physics is in seconds: δ = dt/1000). `offset` is the global step index before a
 * TBPTT chunk's first step: the `'sequence'` loss of a chunk covers its steps t with
 * offset + t ≥ `lossStartStep` (none when the chunk ends before `lossStartStep`).
 */
export function brfConsts(o: BrfResolvedOptions, c0: BrfConstsOptions): Float64Array {
  const T = c0.steps;
  const smooth = c0.smooth ?? false;
  const offset = c0.offset ?? 0;
  const c = new Float64Array(BrfConst.SIZE);
  c[BrfConst.DT] = o.dt / 1000;
  c[BrfConst.DBDT] = o.boundaryDt / 1000;
  c[BrfConst.THETA] = o.vThreshold;
  c[BrfConst.GAMMA] = o.gamma;
  c[BrfConst.OMAX] = o.model === 'brf' ? brfOmegaMax({ boundaryDt: o.boundaryDt }) : Number.POSITIVE_INFINITY;
  const s = o.surrogate;
  if (smooth && s.kind !== 'sigmoid') throw new ValidationError('surrogate.kind', "'sigmoid' for the smooth stand-in", s.kind);
  const sq2pi = Math.sqrt(2 * Math.PI);
  if (s.kind === 'dgauss') {
    c[BrfConst.SGKIND] = 0;
    c[BrfConst.SG0] = (s.gain * (1 + s.h)) / (s.sigma * sq2pi);
    c[BrfConst.SG1] = 1 / (2 * s.sigma * s.sigma);
    c[BrfConst.SG2] = (s.gain * 2 * s.h) / (s.k * s.sigma * sq2pi);
    c[BrfConst.SG3] = 1 / (2 * s.k * s.k * s.sigma * s.sigma);
  } else if (s.kind === 'sigmoid') {
    c[BrfConst.SGKIND] = 1;
    c[BrfConst.SG0] = s.gain;
    c[BrfConst.SG1] = s.beta;
  } else {
    c[BrfConst.SGKIND] = 2;
    c[BrfConst.SG0] = s.gain;
    c[BrfConst.SG1] = 1 / s.width;
  }
  c[BrfConst.SMOOTH] = smooth ? 1 : 0;
  c[BrfConst.LOSSMODE] = o.loss === 'last' ? 0 : 1;
  if (o.loss === 'sequence' && (c0.wholeSequence ?? true) && o.lossStartStep > T)
    throw new ValidationError('lossStartStep', `at most the sequence length ${T}`, o.lossStartStep);
  // chunk-local first loss step (the kernel clamps it to ≥ 1; > T means no loss in this chunk)
  c[BrfConst.T0] = Math.min(o.lossStartStep - offset, T + 1);
  c[BrfConst.LOSSMEAN] = o.lossReduction === 'mean' ? 1 : 0;
  c[BrfConst.ABETA] = o.adaptStrength;
  c[BrfConst.AB0] = o.vThreshold;
  c[BrfConst.RECOMPUTE] = c0.checkpointSteps ?? 0;
  return c;
}

/**
 * Surrogate derivative σ'(s) in TypeScript (same formula and constants as the kernel), for
 * plots and tests; s is the distance to threshold (voltage units).
 * @example
 * ```ts
 * brfSurrogate(0); // 0.43884 (double Gaussian of the reference code)
 * brfSurrogate(0.5, { kind: 'sigmoid', beta: 2 }); // 0.25
 * ```
 */
export function brfSurrogate(s: number, surrogate: BrfSurrogate = {}): number {
  checkFinite('s', s);
  const o = resolveBrfOptions({ inputSize: 1, hiddenSize: 1, outputSize: 2, surrogate });
  const c = brfConsts(o, { steps: 1 });
  if (c[BrfConst.SGKIND] === 0)
    return c[BrfConst.SG0] * Math.exp(-s * s * c[BrfConst.SG1]) - c[BrfConst.SG2] * Math.exp(-s * s * c[BrfConst.SG3]);
  if (c[BrfConst.SGKIND] === 1) return c[BrfConst.SG0] / (1 + c[BrfConst.SG1] * Math.abs(s)) ** 2;
  const t = 1 - Math.abs(s) * c[BrfConst.SG1];
  return t > 0 ? c[BrfConst.SG0] * t : 0;
}

/**
 * Result of one shard: per-sample loss, prediction, spike count, correctness; the gradient summed
 * over the shard's samples; the final state.
 */
export class BrfShardResult extends Result {
  readonly kind = 'brf.shard';
  /** Per-sample loss (cross-entropy in nats, summed or averaged over the loss steps). */
  loss: Float64Array;
  /** Predicted class per sample. */
  prediction: Int32Array;
  /** Hidden spikes per sample (Σ_t Σ_i z over the call's steps). */
  spikes: Float64Array;
  /** Number of correct predictions (a count). */
  correct: number;
  /** Gradient of Σ_samples loss with respect to the raw parameters (absent when `backward` was false). */
  grad?: Float64Array;
  /**
   * State at the last step, f64 [S][{@link brfStateSize}] (present when `finalState` was set):
   * the initial state of the next TBPTT chunk.
   */
  state?: Float64Array;
  /** @internal */
  constructor(loss: Float64Array, prediction: Int32Array, spikes: Float64Array, correct: number) {
    super();
    this.loss = loss;
    this.prediction = prediction;
    this.spikes = spikes;
    this.correct = correct;
  }
}

/**
 * f64 values per sample of a carried network state (TBPTT): 4H + 2C. Layout per sample: four
 * neuron slots of H values (BRF/RF: u, v, q, z; ALIF: u′ (membrane before the soft reset), a, I
 * (input current, not read as initial state), z), then u_out [C], then the running sum of u_out
 * over the `'sequence'` loss steps so far [C] (the prediction accumulator; unused with
 * `loss: 'last'`).
 */
export function brfStateSize(sizes: Pick<BrfSizes, 'hiddenSize' | 'outputSize'>): number {
  const o = strictOptions<Pick<BrfSizes, 'hiddenSize' | 'outputSize'>>('brfStateSize', 'sizes', sizes, [
    'hiddenSize',
    'outputSize',
    'inputSize',
  ]);
  if (sizes === undefined) throw new ValidationError('sizes', '{ hiddenSize, outputSize }', sizes);
  return 4 * checkInteger('hiddenSize', o.hiddenSize, 1, 1 << 14) + 2 * checkInteger('outputSize', o.outputSize, 2, 1 << 12);
}

/** Options of {@link BrfShardRunner}. */
export interface BrfShardRunnerOptions {
  /** The network. */
  network: BrfNetworkOptions;
  /** Sequence length T (steps) the workspace is sized for; a call may run fewer steps (a TBPTT chunk). */
  steps: number;
  /** Largest number of samples per call. @default 8 */
  shardSize?: number;
  /**
   * BPTT memory: 0 stores every step's state; K > 0 keeps every K-th state and recomputes each
   * segment in the backward pass (≈ √T is optimal; bit-identical gradients). @default 0
   */
  checkpointSteps?: number;
  /** Arithmetic of the kernel ({@link BrfPrecision}). @default 'f64' */
  precision?: BrfPrecision;
}
const RUNNER_KEYS = optionKeys<BrfShardRunnerOptions>()(['network', 'steps', 'shardSize', 'checkpointSteps', 'precision']);

/** Options of {@link BrfShardRunner.run}. */
export interface BrfShardRunOptions {
  /** Run BPTT and return the gradient. @default false */
  backward?: boolean;
  /**
   * Replace the Heaviside by the smooth stand-in S(s) = gain·s/(1+β|s|) (sigmoid surrogate
   * only), whose derivative is exactly the surrogate, so finite differences can check BPTT.
   * @default false
   */
  smooth?: boolean;
  /**
   * Global step index before the call's first step (a TBPTT chunk covers steps offset+1 …
   * offset+T′); the `'sequence'` loss counts the chunk's steps with offset + t ≥ `lossStartStep`.
   * @default 0
   */
  offset?: number;
  /**
   * State the call starts from, f64 [S][{@link brfStateSize}] (usually the `state` of the
   * previous chunk); a constant for BPTT (no gradient across the cut). @default zero state
   */
  initialState?: Float64Array;
  /** Return the state at the call's last step in `state`. @default false */
  finalState?: boolean;
}
const RUN_KEYS = optionKeys<BrfShardRunOptions>()(['backward', 'smooth', 'offset', 'initialState', 'finalState']);

/** Options of {@link BrfShardRunner.runAsync}. */
export interface BrfShardRunAsyncOptions extends BrfShardRunOptions, AsyncRunOptions {}
const RUN_ASYNC_KEYS = [...RUN_KEYS, 'signal', 'onProgress', 'sliceMs'] as const;

/** Largest kernel workspace of one runner (bytes): the kernel's region limit, 992 MiB ({@link MAX_REGION_BYTES}); larger ones are refused up front. */
export const BRF_MAX_WORKSPACE_BYTES = MAX_REGION_BYTES;

/** A prepared shard call: checked inputs copied into kernel memory. */
interface Prepared {
  S: number;
  T: number;
  backward: boolean;
  finalState: boolean;
  offset: number;
}

/**
 * Kernel workspace for shards of up to `shardSize` samples of at most `steps` steps, and the
 * forward + BPTT pass over them.
 *
 * With `checkpointSteps: 0` BPTT stores the whole trajectory (u, v, q, z per neuron-step; ALIF:
 * u′, a, I, z): 32 bytes per neuron-step per sample in f64 (16 in f32), i.e. 6.4 MB per S-MNIST
 * sample at H = 256, independent of the batch size. With `checkpointSteps: K > 0` only every K-th
 * state is kept and each segment of K steps is recomputed from its checkpoint during the backward
 * pass: (T/K + K + 2) blocks instead of T + 1 (K ≈ √T is optimal: 58 instead of 785 blocks for
 * S-MNIST) for one extra forward pass of the neurons; gradients are bit-identical.
 *
 * @example
 * ```ts
 * const net = { inputSize: 1, hiddenSize: 32, outputSize: 4 };
 * const r = new BrfShardRunner({ network: net, steps: 100, shardSize: 8 });
 * const out = r.run(initBrfParams(net), x, labels, { backward: true }); // x: S·100 values
 * out.grad; // ∂(Σ loss)/∂params
 * // two chunks of 50 steps (truncated BPTT): the second starts where the first ended
 * const a = r.run(p, x0, labels, { backward: true, finalState: true });
 * const b = r.run(p, x1, labels, { backward: true, offset: 50, initialState: a.state });
 * r.dispose();
 * ```
 */
export class BrfShardRunner extends KernelObject {
  /** Network options with every default filled in. */
  readonly network: BrfResolvedOptions;
  /** Sequence length the workspace is sized for (steps). */
  readonly steps: number;
  /** Largest shard (samples per call). */
  readonly shardSize: number;
  /** Offsets of the parameter blocks in the flat parameter vector. */
  readonly layout: BrfParamLayout;
  /** BPTT checkpoint interval in steps (0 = store every step's state). */
  readonly checkpointSteps: number;
  /** Arithmetic of the kernel. */
  readonly precision: BrfPrecision;
  #ws!: Region;
  #x!: Region;
  #lab!: Region;
  #p!: Region;
  #g!: Region;
  #c!: Region;
  #out!: Region;
  #st0!: Region;
  #st1!: Region;
  #cb!: Region;
  #busy = false;

  constructor(options: BrfShardRunnerOptions) {
    super();
    const o = brfOptions<BrfShardRunnerOptions>('BrfShardRunner', 'options', options, RUNNER_KEYS);
    this.network = resolveNetwork(o.network, 'network.');
    this.steps = checkInteger('steps', o.steps, 1, 1 << 20);
    this.shardSize = checkInteger('shardSize', o.shardSize ?? 8, 1, 4096);
    this.checkpointSteps = checkInteger('checkpointSteps', o.checkpointSteps ?? 0, 0, this.steps);
    this.precision = checkChoice('precision', o.precision ?? 'f64', ['f32', 'f64'] as const);
    const { inputSize: I, hiddenSize: H, outputSize: C } = this.network;
    this.layout = layoutOf(I, H, C);
    const S = this.shardSize;
    const T = this.steps;
    const k = kernel();
    const eb = this.precision === 'f32' ? 4 : 8;
    const wsBytes: number = (this.precision === 'f32' ? k.brfWorkspaceBytes32 : k.brfWorkspaceBytes)(S, T, I, H, C, this.checkpointSteps);
    const inBytes = S * T * I * eb;
    for (const [name, bytes] of [
      ['workspace', wsBytes],
      ['input', inBytes],
    ] as const)
      if (!(bytes <= BRF_MAX_WORKSPACE_BYTES))
        throw new ValidationError(
          'shardSize',
          `a shard whose ${name} fits in 992 MiB (needs ${(bytes / 2 ** 20).toFixed(0)} MiB for ${S} samples × ${T} steps × H = ${H}; use a smaller shardSize or checkpointSteps ≈ √steps)`,
          S,
        );
    try {
      this.#ws = this.allocate(wsBytes, 'brf.workspace');
      this.#x = this.allocate(inBytes, 'brf.input');
      this.#lab = this.allocate(S * 4, 'brf.labels');
      this.#p = this.allocate(this.layout.size * eb, 'brf.params');
      this.#g = this.allocate(this.layout.size * eb, 'brf.grad');
      this.#c = this.allocate(BrfConst.SIZE * 8, 'brf.consts');
      this.#out = this.allocate(S * 4 * 8, 'brf.out');
      this.#st0 = this.allocate(S * (4 * H + 2 * C) * eb, 'brf.state0');
      this.#st1 = this.allocate(S * (4 * H + 2 * C) * eb, 'brf.state1');
      this.#cb = this.allocate(BrfCall.SIZE * 4, 'brf.call');
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  #view(r: Region, n: number): Float64Array | Float32Array {
    return this.precision === 'f32' ? new Float32Array(kernel().memory.buffer, r.ptr, n) : r.f64(0, n);
  }

  /** Checks the call's inputs and copies them into kernel memory. */
  #prepare(where: string, params: Float64Array, x: Float64Array, labels: Int32Array, o: BrfShardRunOptions): Prepared {
    this.assertLive();
    if (this.#busy) throw new NeurodynError(`${where}: this runner is already running a shard (await the previous runAsync)`);
    const { inputSize: I, hiddenSize: H, outputSize: C } = this.network;
    if (!(labels instanceof Int32Array)) throw new ValidationError('labels', 'an Int32Array of class indices', labels);
    const S = labels.length;
    if (S < 1 || S > this.shardSize) throw new ValidationError('labels.length', `1..${this.shardSize} (the runner's shardSize)`, S);
    if (!(x instanceof Float64Array)) throw new ValidationError('x', 'a Float64Array [S][steps][inputSize]', x);
    if (x.length % (S * I) !== 0 || x.length === 0)
      throw new ValidationError('x.length', `a positive multiple of S·inputSize = ${S * I} (S·steps·inputSize values)`, x.length);
    const T = x.length / (S * I);
    if (T > this.steps) throw new ValidationError('x.length', `at most S·steps·inputSize = ${S * this.steps * I}`, x.length);
    if (!(params instanceof Float64Array) || params.length !== this.layout.size)
      throw new ValidationError('params', `a Float64Array of ${this.layout.size} values`, params?.length ?? params);
    const backward = checkBoolean('backward', o.backward ?? false);
    const smooth = checkBoolean('smooth', o.smooth ?? false);
    const finalState = checkBoolean('finalState', o.finalState ?? false);
    const offset = checkInteger('offset', o.offset ?? 0, 0, 1 << 30);
    const SW = 4 * H + 2 * C;
    const s0 = o.initialState;
    if (s0 !== undefined) {
      if (!(s0 instanceof Float64Array) || s0.length !== S * SW)
        throw new ValidationError('initialState', `a Float64Array of S·(4H + 2C) = ${S * SW} values`, s0?.length ?? s0);
      for (let i = 0; i < s0.length; i++)
        if (!Number.isFinite(s0[i])) throw new ValidationError(`initialState[${i}]`, 'a finite number', s0[i]);
    }
    for (let s = 0; s < S; s++)
      if (labels[s] < 0 || labels[s] >= C) throw new ValidationError(`labels[${s}]`, `a class in 0..${C - 1}`, labels[s]);
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new ValidationError(`x[${i}]`, 'a finite number', x[i]);
    for (let i = 0; i < params.length; i++)
      if (!Number.isFinite(params[i])) throw new ValidationError(`params[${i}]`, 'a finite number', params[i]);
    const whole = o.offset === undefined && s0 === undefined && !finalState;
    const consts = brfConsts(this.network, {
      steps: T,
      smooth,
      checkpointSteps: Math.min(this.checkpointSteps, T),
      offset,
      wholeSequence: whole,
    });
    this.#view(this.#x, x.length).set(x);
    this.#lab.i32(0, S).set(labels);
    this.#view(this.#p, params.length).set(params);
    this.#view(this.#g, params.length).fill(0);
    this.#c.f64(0, BrfConst.SIZE).set(consts);
    if (s0) this.#view(this.#st0, S * SW).set(s0);
    const cb = this.#cb.i32(0, BrfCall.SIZE);
    cb[BrfCall.KIND] = KIND_ID[this.network.model];
    cb[BrfCall.S] = S;
    cb[BrfCall.T] = T;
    cb[BrfCall.I] = I;
    cb[BrfCall.H] = H;
    cb[BrfCall.C] = C;
    cb[BrfCall.X] = this.#x.ptr;
    cb[BrfCall.LABELS] = this.#lab.ptr;
    cb[BrfCall.PARAMS] = this.#p.ptr;
    cb[BrfCall.GRAD] = this.#g.ptr;
    cb[BrfCall.CONSTS] = this.#c.ptr;
    cb[BrfCall.WS] = this.#ws.ptr;
    cb[BrfCall.OUT] = this.#out.ptr;
    cb[BrfCall.INIT] = s0 ? this.#st0.ptr : 0;
    cb[BrfCall.FIN] = finalState ? this.#st1.ptr : 0;
    return { S, T, backward, finalState, offset };
  }

  #phase(where: string, name: 'Begin' | 'Forward' | 'ForwardEnd' | 'Backward' | 'BackwardEnd', a = 0, b = 0, offset = 0): void {
    const k = kernel();
    const fn = k[`${this.precision === 'f32' ? 'brfShard32' : 'brfShard'}${name}`];
    const code: number = fn(this.#cb.ptr, a, b);
    if (code !== 0) {
      const f = readFailure(code);
      // the kernel counts steps from the call's start and measures time in s: report ms
      const step = f.step + offset;
      throw new NumericalError(where, { ...f, step, time: step * this.network.dt });
    }
  }

  #collect(p: Prepared): BrfShardResult {
    const { S, backward, finalState } = p;
    const out = this.#out.f64(0, S * 4);
    const loss = new Float64Array(S);
    const prediction = new Int32Array(S);
    const spikes = new Float64Array(S);
    let correct = 0;
    for (let s = 0; s < S; s++) {
      loss[s] = out[4 * s];
      prediction[s] = out[4 * s + 1];
      spikes[s] = out[4 * s + 2];
      correct += out[4 * s + 3];
    }
    const res = new BrfShardResult(loss, prediction, spikes, correct);
    if (backward) res.grad = checkGradient('BrfShardRunner.run', Float64Array.from(this.#view(this.#g, this.layout.size)), p.T);
    if (finalState) res.state = Float64Array.from(this.#view(this.#st1, S * (4 * this.network.hiddenSize + 2 * this.network.outputSize)));
    return res;
  }

  /**
   * Runs the forward pass (and BPTT with `backward: true`) for samples x [S][T′][I] (T′ ≤ the
   * runner's `steps`, read from x.length) with one label each.
   *
   * A call with `offset`, `initialState` or `finalState` is one chunk of a longer sequence
   * (truncated BPTT): T′ steps from `initialState`, the loss restricted to the chunk's steps
   * (`'last'`: its last step; `'sequence'`: its steps at or after `lossStartStep`, reduced over
   * those steps), gradients within the chunk only, and the final state returned for the next
   * chunk. The forward pass is exact: chaining chunks gives the uninterrupted trajectory bit for
   * bit.
   */
  run(params: Float64Array, x: Float64Array, labels: Int32Array, options: BrfShardRunOptions = {}): BrfShardResult {
    const o = strictOptions<BrfShardRunOptions>('BrfShardRunner.run', 'options', options, RUN_KEYS);
    const p = this.#prepare('BrfShardRunner.run', params, x, labels, o);
    const w = 'BrfShardRunner.run';
    this.#phase(w, 'Begin');
    this.#phase(w, 'Forward', 0, p.T, p.offset);
    this.#phase(w, 'ForwardEnd', 0, 0, p.offset);
    if (p.backward) {
      this.#phase(w, 'Backward', p.T, 0, p.offset);
      this.#phase(w, 'BackwardEnd');
    }
    return this.#collect(p);
  }

  /**
   * @internal Bench support (bench/brf.bench.mjs, f32 only): runs the shard forward and backward,
   * then the recurrent adjoint gZn = gI·W_rec `reps` more times; returns the wall-clock ms of those
   * repetitions.
   */
  benchAdjoint(params: Float64Array, x: Float64Array, labels: Int32Array, reps: number): number {
    if (this.precision !== 'f32') throw new ValidationError('precision', "'f32' (the adjoint bench runs the f32 kernel)", this.precision);
    checkInteger('reps', reps, 1, 1 << 20);
    this.run(params, x, labels, { backward: true });
    const t0 = performance.now();
    kernel().brfShard32Adjoint(this.#cb.ptr, reps);
    return performance.now() - t0;
  }

  /**
   * The same computation as {@link BrfShardRunner.run} with the same result bit for bit, in
   * kernel calls of a few steps each, yielding to the event loop every `sliceMs` (default 10 ms)
   * so that an abort fired from a timer stops it within about `sliceMs`. Progress counts steps
   * (forward, then backward: 2T′ with `backward`). Disposing the runner while it runs ends the
   * call with `DisposedError` before the kernel touches freed memory.
   */
  async runAsync(
    params: Float64Array,
    x: Float64Array,
    labels: Int32Array,
    options: BrfShardRunAsyncOptions = {},
  ): Promise<BrfShardResult> {
    const o = strictOptions<BrfShardRunAsyncOptions>('BrfShardRunner.runAsync', 'options', options, RUN_ASYNC_KEYS);
    const backward = o.backward === true;
    const steps =
      x instanceof Float64Array && labels instanceof Int32Array && labels.length > 0
        ? x.length / (labels.length * this.network.inputSize)
        : 0;
    const pr = new ProgressTracker('BrfShardRunner.runAsync', (backward ? 2 : 1) * steps, 'step', o);
    return this.runSliced(params, x, labels, o, pr, true);
  }

  /**
   * @internal The sliced run under a caller's {@link ProgressTracker} (the trainer's): kernel
   * calls of about `tracker.sliceMs / 2` each, `await tracker.maybeYield()` between them.
   */
  async runSliced(
    params: Float64Array,
    x: Float64Array,
    labels: Int32Array,
    o: BrfShardRunOptions,
    pr: ProgressTracker,
    report = false,
  ): Promise<BrfShardResult> {
    const w = pr.where;
    await pr.maybeYield();
    this.assertLive();
    const p = this.#prepare(w, params, x, labels, o);
    this.#busy = true;
    try {
      this.#phase(w, 'Begin');
      // slices sized from the measured cost of a step, aiming at half a slice per kernel call
      let chunk = 1;
      const budget = pr.sliceMs / 2;
      const sliced = async (from: number, to: number, dir: 1 | -1, name: 'Forward' | 'Backward', done0: number) => {
        let t = from;
        chunk = 1;
        while (t !== to) {
          const n = Math.min(chunk, Math.abs(to - t));
          const next = t + dir * n;
          const t0 = performance.now();
          this.#phase(w, name, t, next, p.offset);
          const ms = performance.now() - t0;
          t = next;
          // grow at most ×2 per call (the first calls measure the cost of a step)
          chunk = Math.max(1, Math.min(2 * n, 1 << 16, Math.floor(ms > 0 ? (n * budget) / ms : 2 * n)));
          if (report) pr.report(done0 + Math.abs(t - from));
          await pr.maybeYield();
          this.assertLive();
        }
      };
      await sliced(0, p.T, 1, 'Forward', 0);
      this.#phase(w, 'ForwardEnd', 0, 0, p.offset);
      if (p.backward) {
        await sliced(p.T, 0, -1, 'Backward', p.T);
        this.#phase(w, 'BackwardEnd');
      }
      return this.#collect(p);
    } finally {
      this.#busy = false;
    }
  }
}

/**
 * The gradient, or a {@link NumericalError} (kind `non-finite`, `index` the first non-finite
 * parameter entry, `step` the sequence length) when BPTT overflowed: parameters far outside the
 * trained range can make the forward pass finite and the backward pass overflow. @internal
 */
export function checkGradient(where: string, g: Float64Array, steps: number): Float64Array {
  for (let i = 0; i < g.length; i++)
    if (!Number.isFinite(g[i]))
      throw new NumericalError(`${where} (gradient)`, { kind: 'non-finite', step: steps, index: i, time: 0, value: g[i] });
  return g;
}
