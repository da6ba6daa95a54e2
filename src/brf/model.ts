/**
 * Recurrent spiking network of BRF, RF or ALIF neurons with a leaky-integrator readout: model
 * options, parameter layout, initialisation and the shard runner over the WASM kernel
 * (`assembly/brf/index.ts`, function `brfShard`).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import { checkChoice, checkFinite, checkInteger, checkPositive, checkRange } from '../kernel/validate.js';
import { normals, Streams, uniforms } from '../rng/index.js';
import { deriveKey, type Seed, seedToKey } from '../rng/seed.js';
import { BrfConst, BrfKind } from './layout.js';

/** Neuron model of the hidden layer. */
export type BrfModelKind = 'brf' | 'rf' | 'alif';
const KIND_ID: Record<BrfModelKind, number> = { brf: BrfKind.BRF, rf: BrfKind.RF, alif: BrfKind.ALIF };

/**
 * Surrogate derivative of the Heaviside spike function used in the backward pass.
 * - `'dgauss'` (default, BRF reference code): `σ'(s) = gain·[(1+h)·N(s;0,σ) − 2h·N(s;0,kσ)]`
 *   with normalised Gaussian densities N. Defaults h = 0.15, σ = 0.5, k = 6, gain = 0.5.
 * - `'sigmoid'` (fast sigmoid, SuperSpike): `σ'(s) = gain/(1 + β|s|)²`, defaults gain = 1, β = 5.
 * - `'triangle'` (Bellec 2018): `σ'(s) = gain·max(0, 1 − |s|/width)`, defaults gain = 0.3, width = 1.
 */
export interface BrfSurrogate {
  /** Shape of the surrogate derivative σ'(s) (formulas above). */
  kind: 'dgauss' | 'sigmoid' | 'triangle';
  /** dgauss: weight of the side lobes. @default 0.15 */
  h?: number;
  /** dgauss: width of the central Gaussian. @default 0.5 */
  sigma?: number;
  /** dgauss: width ratio of the side lobes. @default 6 */
  k?: number;
  /** Overall gain. @default 0.5 (dgauss), 1 (sigmoid), 0.3 (triangle) */
  gain?: number;
  /** sigmoid: steepness β. @default 5 */
  beta?: number;
  /** triangle: half-width. @default 1 */
  width?: number;
}

/** Options of a recurrent BRF/RF/ALIF network (all fields optional except sizes). */
export interface BrfNetworkOptions {
  /** Hidden neuron model. @default 'brf' */
  model?: BrfModelKind;
  /** Input channels per time step. */
  inputSize: number;
  /** Hidden (recurrent) neurons. */
  hiddenSize: number;
  /** Output classes. */
  outputSize: number;
  /** Euler step δ of the resonator membrane (seed Eq. 2), in seconds. @default 0.01 */
  dt?: number;
  /**
   * δ used in the divergence boundary p(ω) (seed Eq. 8). The reference code always uses 0.01
   * whatever `dt` is; here it defaults to `dt`. @default dt
   */
  boundaryDt?: number;
  /** Constant threshold ϑ_c (seed Eq. 4). @default 1 */
  thetaC?: number;
  /** Refractory decay γ (seed Eq. 6). @default 0.9 */
  gamma?: number;
  /** ω init range U(a, b) in rad/s (BRF/RF). @default [15, 50] */
  omegaInit?: [number, number];
  /** b′ init range U(a, b) (BRF offset; RF damping is b = −|b′|). @default [0.1, 1] */
  bOffsetInit?: [number, number];
  /** ALIF membrane τ_m init N(mean, sd), in steps. @default [20, 5] */
  tauMemInit?: [number, number];
  /** ALIF adaptation τ_a init N(mean, sd), in steps. @default [200, 50] */
  tauAdpInit?: [number, number];
  /** Readout τ_out init N(mean, sd), in steps. @default [20, 5] */
  tauOutInit?: [number, number];
  /** ALIF threshold ϑ = b0 + β·a. @default 0.01 */
  alifB0?: number;
  /** ALIF adaptation strength β. @default 1.8 */
  alifBeta?: number;
  /** Surrogate gradient. @default { kind: 'dgauss' } */
  surrogate?: BrfSurrogate;
  /**
   * Loss: cross-entropy of softmax(u_out^t). `'last'`: last step only (prediction argmax
   * u_out^T); `'sequence'`: every step t ≥ `lossStart` (1-based; prediction argmax of the mean
   * of those u_out^t). @default 'last'
   */
  loss?: 'last' | 'sequence';
  /** First step entering a `'sequence'` loss (1-based). @default 1 */
  lossStart?: number;
  /** Reduction over time of a `'sequence'` loss (the reference code sums). @default 'sum' */
  lossReduction?: 'sum' | 'mean';
}

/** Options with every default filled in. */
export type BrfResolvedOptions = Required<Omit<BrfNetworkOptions, 'surrogate'>> & {
  /** Surrogate gradient with every shape parameter filled in. */
  surrogate: Required<BrfSurrogate>;
};

/** Resolves and validates network options (throws {@link ValidationError} naming the field). */
export function resolveBrfOptions(o: BrfNetworkOptions): BrfResolvedOptions {
  if (o === null || typeof o !== 'object') throw new ValidationError('options', 'an object', o);
  const model = checkChoice('model', o.model ?? 'brf', ['brf', 'rf', 'alif'] as const);
  const inputSize = checkInteger('inputSize', o.inputSize, 1, 1 << 16);
  const hiddenSize = checkInteger('hiddenSize', o.hiddenSize, 1, 1 << 14);
  const outputSize = checkInteger('outputSize', o.outputSize, 2, 1 << 12);
  const dt = checkPositive('dt', o.dt ?? 0.01, 's');
  const boundaryDt = checkPositive('boundaryDt', o.boundaryDt ?? dt, 's');
  const pair = (name: string, v: [number, number] | undefined, d: [number, number]): [number, number] => {
    const p = v ?? d;
    if (!Array.isArray(p) || p.length !== 2) throw new ValidationError(name, 'a pair [a, b]', p);
    return [checkFinite(`${name}[0]`, p[0]), checkFinite(`${name}[1]`, p[1])];
  };
  const omegaInit = pair('omegaInit', o.omegaInit, [15, 50]);
  if (model === 'brf' && Math.max(Math.abs(omegaInit[0]), Math.abs(omegaInit[1])) * boundaryDt >= 1)
    throw new ValidationError('omegaInit', `|ω| < 1/boundaryDt = ${1 / boundaryDt} rad/s`, omegaInit);
  const sg = o.surrogate ?? { kind: 'dgauss' };
  const kind = checkChoice('surrogate.kind', sg.kind, ['dgauss', 'sigmoid', 'triangle'] as const);
  const surrogate: Required<BrfSurrogate> = {
    kind,
    h: checkFinite('surrogate.h', sg.h ?? 0.15),
    sigma: checkPositive('surrogate.sigma', sg.sigma ?? 0.5),
    k: checkPositive('surrogate.k', sg.k ?? 6),
    gain: checkFinite('surrogate.gain', sg.gain ?? (kind === 'dgauss' ? 0.5 : kind === 'sigmoid' ? 1 : 0.3)),
    beta: checkPositive('surrogate.beta', sg.beta ?? 5),
    width: checkPositive('surrogate.width', sg.width ?? 1),
  };
  return {
    model,
    inputSize,
    hiddenSize,
    outputSize,
    dt,
    boundaryDt,
    thetaC: checkFinite('thetaC', o.thetaC ?? 1),
    gamma: checkRange('gamma', o.gamma ?? 0.9, 0, 1),
    omegaInit,
    bOffsetInit: pair('bOffsetInit', o.bOffsetInit, [0.1, 1]),
    tauMemInit: pair('tauMemInit', o.tauMemInit, [20, 5]),
    tauAdpInit: pair('tauAdpInit', o.tauAdpInit, [200, 50]),
    tauOutInit: pair('tauOutInit', o.tauOutInit, [20, 5]),
    alifB0: checkFinite('alifB0', o.alifB0 ?? 0.01),
    alifBeta: checkFinite('alifBeta', o.alifBeta ?? 1.8),
    surrogate,
    loss: checkChoice('loss', o.loss ?? 'last', ['last', 'sequence'] as const),
    lossStart: checkInteger('lossStart', o.lossStart ?? 1, 1),
    lossReduction: checkChoice('lossReduction', o.lossReduction ?? 'sum', ['sum', 'mean'] as const),
  };
}

/** Offsets of the blocks of the flat parameter vector. */
export interface BrfParamLayout {
  /** W [H×(I+H)] row-major: row i = input weights then recurrent weights of hidden neuron i. */
  w: number;
  /** ω (BRF/RF, rad/s, used as |ω|) or τ_m (ALIF, steps). */
  p1: number;
  /** b′ (BRF/RF, used as |b′|) or τ_a (ALIF). */
  p2: number;
  /** W_out [C×H]. */
  wOut: number;
  /** τ_out [C], steps (α_out = exp(−1/|τ_out|)). */
  tauOut: number;
  /** Total length. */
  size: number;
}

/** Parameter layout for sizes I, H, C. */
export function brfParamLayout(I: number, H: number, C: number): BrfParamLayout {
  const w = 0;
  const p1 = H * (I + H);
  const p2 = p1 + H;
  const wOut = p2 + H;
  const tauOut = wOut + C * H;
  return { w, p1, p2, wOut, tauOut, size: tauOut + C };
}

/** Largest |ω| allowed by the divergence boundary in training (clamp), rad/s. */
export function brfOmegaMax(boundaryDt: number): number {
  return (1 - 1e-7) / boundaryDt;
}

/**
 * Initial parameters (Philox, stream `Streams.init`, key derived from `seed`): W Xavier-uniform
 * over the combined input+recurrent matrix (bound √(6/(I+2H)), as `nn.Linear(I+H, H)` with
 * `xavier_uniform_` in the reference), W_out Xavier-uniform (√(6/(H+C))), ω ~ U(omegaInit),
 * b′ ~ U(bOffsetInit), τ ~ N(mean, sd) for ALIF and the readout.
 */
export function initBrfParams(options: BrfNetworkOptions, seed: Seed): Float64Array {
  const o = resolveBrfOptions(options);
  const I = o.inputSize;
  const H = o.hiddenSize;
  const C = o.outputSize;
  const L = brfParamLayout(I, H, C);
  const key = deriveKey(seedToKey(seed), 0x62726600);
  const p = new Float64Array(L.size);
  const u = (step: number, n: number) => uniforms(key, step, n, { stream: Streams.init });
  const g = (step: number, n: number) => normals(key, step, n, { stream: Streams.init });
  const bw = Math.sqrt(6 / (I + H + H));
  const uw = u(0, H * (I + H));
  for (let i = 0; i < uw.length; i++) p[L.w + i] = (2 * uw[i] - 1) * bw;
  const bo = Math.sqrt(6 / (H + C));
  const uo = u(1, C * H);
  for (let i = 0; i < uo.length; i++) p[L.wOut + i] = (2 * uo[i] - 1) * bo;
  if (o.model === 'alif') {
    const a = g(2, H);
    const b = g(3, H);
    for (let i = 0; i < H; i++) {
      p[L.p1 + i] = o.tauMemInit[0] + o.tauMemInit[1] * a[i];
      p[L.p2 + i] = o.tauAdpInit[0] + o.tauAdpInit[1] * b[i];
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
  for (let c = 0; c < C; c++) p[L.tauOut + c] = o.tauOutInit[0] + o.tauOutInit[1] * t[c];
  return p;
}

/**
 * Constant block passed to the kernel (slot order mirrors assembly/brf/index.ts). `offset` is the
 * global step index before a TBPTT chunk's first step: the `'sequence'` loss of a chunk covers its
 * steps t with offset + t ≥ `lossStart` (none when the chunk ends before `lossStart`).
 */
export function brfConsts(
  o: BrfResolvedOptions,
  T: number,
  smooth = false,
  recomputeEvery = 0,
  offset = 0,
  wholeSequence = true,
): Float64Array {
  const c = new Float64Array(BrfConst.SIZE);
  c[BrfConst.DT] = o.dt;
  c[BrfConst.DBDT] = o.boundaryDt;
  c[BrfConst.THETA] = o.thetaC;
  c[BrfConst.GAMMA] = o.gamma;
  c[BrfConst.OMAX] = o.model === 'brf' ? brfOmegaMax(o.boundaryDt) : Number.POSITIVE_INFINITY;
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
  if (o.loss === 'sequence' && wholeSequence && o.lossStart > T)
    throw new ValidationError('lossStart', `at most the sequence length ${T}`, o.lossStart);
  // chunk-local first loss step (the kernel clamps it to ≥ 1; > T means no loss in this chunk)
  c[BrfConst.T0] = Math.min(o.lossStart - offset, T + 1);
  c[BrfConst.LOSSMEAN] = o.lossReduction === 'mean' ? 1 : 0;
  c[BrfConst.ABETA] = o.alifBeta;
  c[BrfConst.AB0] = o.alifB0;
  c[BrfConst.RECOMPUTE] = recomputeEvery;
  return c;
}

/** Surrogate derivative σ'(s) in TS (same formula as the kernel), for plots and tests. */
export function brfSurrogate(s: number, sg: BrfSurrogate = { kind: 'dgauss' }): number {
  const o = resolveBrfOptions({ inputSize: 1, hiddenSize: 1, outputSize: 2, surrogate: sg }).surrogate;
  const c = brfConsts({ ...resolveBrfOptions({ inputSize: 1, hiddenSize: 1, outputSize: 2 }), surrogate: o }, 1);
  if (c[BrfConst.SGKIND] === 0)
    return c[BrfConst.SG0] * Math.exp(-s * s * c[BrfConst.SG1]) - c[BrfConst.SG2] * Math.exp(-s * s * c[BrfConst.SG3]);
  if (c[BrfConst.SGKIND] === 1) return c[BrfConst.SG0] / (1 + c[BrfConst.SG1] * Math.abs(s)) ** 2;
  const t = 1 - Math.abs(s) * c[BrfConst.SG1];
  return t > 0 ? c[BrfConst.SG0] * t : 0;
}

/** Result of one shard: per-sample loss, prediction, spike count, correctness; summed gradient. */
export interface BrfShardResult {
  /** Per-sample loss (cross-entropy, summed or averaged over the loss steps). */
  loss: Float64Array;
  /** Predicted class per sample. */
  prediction: Int32Array;
  /** Hidden spikes per sample (Σ_t Σ_i z). */
  spikes: Float64Array;
  /** Number of correct predictions. */
  correct: number;
  /** Gradient of Σ_samples loss with respect to the raw parameters (absent if forward only). */
  grad?: Float64Array;
  /**
   * State at the last step, f64 [S][{@link brfStateSize}] (present when `chunk.finalState` was
   * set): the initial state of the next TBPTT chunk.
   */
  state?: Float64Array;
}

/**
 * f64 per sample of a carried network state (TBPTT): 4H + 2C. Layout per sample: four neuron
 * slots of H values (BRF/RF: u, v, q, z; ALIF: u′ (membrane before the soft reset), a, I (input
 * current, not read as initial state), z), then u_out [C], then the running sum of u_out over the
 * `'sequence'` loss steps so far [C] (the prediction accumulator; unused with `loss: 'last'`).
 */
export function brfStateSize(hiddenSize: number, outputSize: number): number {
  return 4 * hiddenSize + 2 * outputSize;
}

/**
 * One chunk of a longer sequence for {@link BrfShardRunner.run} (truncated BPTT).
 *
 * @example
 * ```ts
 * // two chunks of 50 steps of a 100-step shard (x0, x1: S·50·I values each)
 * const r = new BrfShardRunner(net, 50, S);
 * const a = r.run(params, x0, labels, true, false, { finalState: true });
 * const b = r.run(params, x1, labels, true, false, { offset: 50, initialState: a.state, finalState: true });
 * // a.grad, b.grad: gradients of each chunk's loss within the chunk; b.state = state at step 100
 * ```
 */
export interface BrfChunkOptions {
  /** Steps T′ of this call, 1 ≤ T′ ≤ the runner's T; x must then hold S·T′·I values. @default runner's T */
  steps?: number;
  /**
   * Global step index before the chunk's first step (the chunk covers steps offset+1 …
   * offset+T′); the `'sequence'` loss counts the chunk's steps with offset + t ≥ `lossStart`.
   * @default 0
   */
  offset?: number;
  /**
   * State the chunk starts from, f64 [S][{@link brfStateSize}] (usually the `state` of the
   * previous chunk); treated as a constant by BPTT (no gradient across the cut). @default zero state
   */
  initialState?: Float64Array;
  /** Return the state at the chunk's last step in `state`. @default false */
  finalState?: boolean;
}

/**
 * Kernel workspace for shards of up to `maxShard` samples of length T.
 *
 * With `recomputeEvery = 0` (default) BPTT stores the whole trajectory (u, v, q, z per
 * neuron-step; ALIF: u′, a, I, z): 32 bytes per neuron-step per sample, i.e. 6.4 MB per S-MNIST
 * sample at H = 256, independent of the batch size. With `recomputeEvery = K > 0` only every K-th
 * state is kept and each segment of K steps is recomputed from its checkpoint during the backward
 * pass: (T/K + K + 2) blocks instead of T + 1 (K ≈ √T is optimal: 58 instead of 785 blocks for
 * S-MNIST) for one extra forward pass of the neurons; gradients are bit-identical.
 */
export class BrfShardRunner extends KernelObject {
  /** Network options with every default filled in. */
  readonly options: BrfResolvedOptions;
  /** Sequence length (steps). */
  readonly T: number;
  /** Largest shard (samples per kernel call) the workspace is sized for. */
  readonly maxShard: number;
  /** Offsets of the parameter blocks in the flat parameter vector. */
  readonly layout: BrfParamLayout;
  #ws: Region;
  #x: Region;
  #lab: Region;
  #p: Region;
  #g: Region;
  #c: Region;
  #out: Region;
  #st0: Region;
  #st1: Region;

  /** BPTT checkpoint interval K in steps (0 = store every step's state). */
  readonly recomputeEvery: number;

  constructor(options: BrfNetworkOptions, T: number, maxShard: number, recomputeEvery = 0) {
    super();
    this.options = resolveBrfOptions(options);
    this.T = checkInteger('T', T, 1, 1 << 20);
    this.maxShard = checkInteger('maxShard', maxShard, 1, 4096);
    this.recomputeEvery = checkInteger('recomputeEvery', recomputeEvery, 0, this.T);
    const { inputSize: I, hiddenSize: H, outputSize: C } = this.options;
    this.layout = brfParamLayout(I, H, C);
    const k = kernel();
    this.#ws = this.allocate(k.brfWorkspaceBytes(maxShard, T, I, H, C, this.recomputeEvery), 'brf.workspace');
    this.#x = this.allocate(maxShard * T * I * 8, 'brf.input');
    this.#lab = this.allocate(maxShard * 4, 'brf.labels');
    this.#p = this.allocate(this.layout.size * 8, 'brf.params');
    this.#g = this.allocate(this.layout.size * 8, 'brf.grad');
    this.#c = this.allocate(BrfConst.SIZE * 8, 'brf.consts');
    this.#out = this.allocate(maxShard * 4 * 8, 'brf.out');
    this.#st0 = this.allocate(maxShard * brfStateSize(H, C) * 8, 'brf.state0');
    this.#st1 = this.allocate(maxShard * brfStateSize(H, C) * 8, 'brf.state1');
  }

  /**
   * Runs the forward pass (and BPTT when `backward`) for samples x [S][T][I] with labels.
   * `smooth` replaces the Heaviside by the smooth stand-in S(s) = gain·s/(1+β|s|) (sigmoid
   * surrogate only) so that finite differences can check the gradient.
   *
   * `chunk` runs one chunk of a longer sequence (truncated BPTT): T′ = `chunk.steps` steps from
   * `chunk.initialState`, the loss restricted to the chunk's steps (`'last'`: its last step;
   * `'sequence'`: its steps at or after `lossStart`, reduced over those steps), gradients within
   * the chunk only, and the final state returned for the next chunk. The forward pass is exact:
   * chaining chunks gives the uninterrupted trajectory bit for bit.
   */
  run(
    params: Float64Array,
    x: Float64Array,
    labels: Int32Array,
    backward: boolean,
    smooth = false,
    chunk?: BrfChunkOptions,
  ): BrfShardResult {
    this.assertLive();
    const { inputSize: I, hiddenSize: H, outputSize: C } = this.options;
    const S = labels.length;
    if (S < 1 || S > this.maxShard) throw new ValidationError('labels.length', `1..${this.maxShard}`, S);
    const whole = chunk === undefined;
    chunk ??= {};
    const T = checkInteger('chunk.steps', chunk.steps ?? this.T, 1, this.T);
    const offset = checkInteger('chunk.offset', chunk.offset ?? 0, 0);
    const SW = brfStateSize(H, C);
    if (chunk.initialState !== undefined) {
      const s0 = chunk.initialState;
      if (!(s0 instanceof Float64Array) || s0.length !== S * SW)
        throw new ValidationError('chunk.initialState', `a Float64Array of S·(4H + 2C) = ${S * SW} values`, s0?.length ?? s0);
      for (let i = 0; i < s0.length; i++)
        if (!Number.isFinite(s0[i])) throw new ValidationError(`chunk.initialState[${i}]`, 'a finite number', s0[i]);
    }
    if (x.length !== S * T * I) throw new ValidationError('x.length', `S·T·I = ${S * T * I}`, x.length);
    if (params.length !== this.layout.size) throw new ValidationError('params.length', `${this.layout.size}`, params.length);
    for (let s = 0; s < S; s++)
      if (!Number.isInteger(labels[s]) || labels[s] < 0 || labels[s] >= C)
        throw new ValidationError(`labels[${s}]`, `a class in 0..${C - 1}`, labels[s]);
    this.#x.f64(0, x.length).set(x);
    this.#lab.i32(0, S).set(labels);
    this.#p.f64(0, params.length).set(params);
    this.#g.f64(0, params.length).fill(0);
    this.#c.f64(0, BrfConst.SIZE).set(brfConsts(this.options, T, smooth, Math.min(this.recomputeEvery, T), offset, whole));
    if (chunk.initialState) this.#st0.f64(0, S * SW).set(chunk.initialState);
    const k = kernel();
    const code = k.brfShard(
      KIND_ID[this.options.model],
      S,
      T,
      I,
      H,
      C,
      this.#x.ptr,
      this.#lab.ptr,
      this.#p.ptr,
      this.#g.ptr,
      this.#c.ptr,
      this.#ws.ptr,
      this.#out.ptr,
      backward ? 1 : 0,
      chunk.initialState ? this.#st0.ptr : 0,
      chunk.finalState ? this.#st1.ptr : 0,
    );
    checkStatus(code, 'BrfShardRunner.run');
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
    const res: BrfShardResult = { loss, prediction, spikes, correct };
    if (backward) res.grad = this.#g.f64(0, params.length).slice();
    if (chunk.finalState) res.state = this.#st1.f64(0, S * SW).slice();
    return res;
  }
}
