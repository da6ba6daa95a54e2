/**
 * A compact current-based LIF network simulator for the numerical-analysis lab (kernel
 * `numLifRun` in assembly/numerics). It exists next to the full LIF engine because the lab needs
 * three things at once: Brownian paths shared exactly across step sizes (a run at h = r·h_f sums
 * the fine normals), per-spike crossing speeds, and tangent dynamics with reset saltation.
 *
 * Model (seed 000_a5327dcba9ecafc1; research/lif-ltn.md §1.3), neuron i, time in ms:
 *   dV_i = [−g_L (V_i − V_L) + I_i] dt
 *   dI_i = −(I_i − μ_i)/τ_s dt + σ_i √(2/τ_s) dB_i + Σ_j J_ij Σ_k δ(t − t_j^k) dt
 *   V_i reaches V_th ⇒ spike, V_i ← V_r; crossing speed A = V̇(t⁻) = I − I_th, I_th = g_L (V_th − V_L).
 * J_ij is the jump of I_i when j fires (the "jump" convention; W/τ_s in the δ-convention).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import { checkChoice, checkFinite, checkFiniteArray, checkInteger, checkPositive, scalarOrArray } from '../kernel/validate.js';
import { type Key, type Seed, Streams, seedToKey } from '../rng/index.js';

/**
 * exp / ln / ln(1+x) from the kernel: JS engines differ in the last bit of Math.exp/log (Node 20
 * and Deno/Chromium do), so everything that shapes a trajectory uses the kernel's own code.
 * @internal
 */
export const kmath = {
  exp: (x: number): number => kernel().numExp(x),
  log: (x: number): number => kernel().numLog(x),
  log1p: (x: number): number => kernel().numLog1p(x),
};

/** Subthreshold integrators, by name. */
export const LAB_INTEGRATORS = ['euler-maruyama', 'exact'] as const;
/** Spike-time rules, by name. */
export const LAB_RULES = ['grid', 'linear', 'hermite'] as const;
/** Subthreshold integrator name: `euler-maruyama` (explicit EM for V and I) or `exact` (exact linear propagator). */
export type LabIntegrator = (typeof LAB_INTEGRATORS)[number];
/** Spike-time rule name: `grid` (spike at t_{n+1}), `linear` (secant crossing), `hermite` (cubic crossing). */
export type LabRule = (typeof LAB_RULES)[number];

/**
 * A network for the lab: n neurons with shared membrane constants, per-neuron drive, a dense
 * jump matrix and a layer label per neuron (for per-layer metrics).
 */
export interface LifLabNetwork {
  /** Number of neurons. */
  n: number;
  /** Leak conductance g_L (1/ms). @default 0.05 */
  gL?: number;
  /** Leak reversal V_L. @default 0 */
  vL?: number;
  /** Threshold V_th. @default 1 */
  vTh?: number;
  /** Reset V_r (< V_th). @default 0 */
  vReset?: number;
  /** Synaptic time constant τ_s (ms). @default 5 */
  tauSyn?: number;
  /** Mean current μ_i (scalar or per neuron). */
  mu: number | ArrayLike<number>;
  /** Stationary std σ_i of the current noise (≥ 0). */
  sigma: number | ArrayLike<number>;
  /** Dense jumps, row-major: J[i·n + j] = jump of I_i when j fires. @default no coupling */
  J?: ArrayLike<number>;
  /** Layer (depth) of each neuron, for per-layer metrics. @default all 0 */
  layer?: ArrayLike<number>;
  /**
   * Rate ν_ext,i of an independent external Poisson drive per neuron, in **Hz** (events per
   * second; 1 Hz = 0.001 /ms), scalar or per neuron. Events are drawn once on the fine grid
   * (see {@link CoupledPoisson}) and shared by every step size. @default 0
   */
  poissonRate?: number | ArrayLike<number>;
  /** Jump J_ext,i of I_i per external event (jump convention, may be negative). @default 0 */
  poissonJump?: number | ArrayLike<number>;
}

/** Validated network with derived arrays. */
export interface ResolvedLabNetwork {
  n: number;
  gL: number;
  vL: number;
  vTh: number;
  vReset: number;
  tauSyn: number;
  mu: Float64Array;
  sigma: Float64Array;
  J: Float64Array | null;
  layer: Int32Array;
  layers: number;
  /** External Poisson rate (Hz) and jump per neuron, or null when there is no external drive. */
  poissonRate: Float64Array | null;
  poissonJump: Float64Array | null;
}

/** Validates a {@link LifLabNetwork} (argument names in errors are prefixed with `name`). */
export function resolveLabNetwork(net: LifLabNetwork, name = 'network'): ResolvedLabNetwork {
  if (net === null || typeof net !== 'object') throw new ValidationError(name, 'a network object', net);
  const n = checkInteger(`${name}.n`, net.n, 1, 1 << 20);
  const gL = checkPositive(`${name}.gL`, net.gL ?? 0.05, '1/ms');
  const vL = checkFinite(`${name}.vL`, net.vL ?? 0);
  const vTh = checkFinite(`${name}.vTh`, net.vTh ?? 1);
  const vReset = checkFinite(`${name}.vReset`, net.vReset ?? 0);
  if (!(vReset < vTh)) throw new ValidationError(`${name}.vReset`, `a value < vTh = ${vTh}`, vReset);
  const tauSyn = checkPositive(`${name}.tauSyn`, net.tauSyn ?? 5, 'ms');
  const mu = scalarOrArray(`${name}.mu`, net.mu, n);
  const sigma = scalarOrArray(`${name}.sigma`, net.sigma, n, (nm, x) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ValidationError(nm, 'a finite number >= 0', x);
  });
  const J = net.J === undefined ? null : checkFiniteArray(`${name}.J`, net.J, n * n);
  const layer = net.layer === undefined ? new Int32Array(n) : Int32Array.from(checkFiniteArray(`${name}.layer`, net.layer, n));
  for (let i = 0; i < n; i++)
    if (layer[i] < 0 || layer[i] > 1000) throw new ValidationError(`${name}.layer[${i}]`, 'an integer in [0, 1000]', layer[i]);
  let layers = 0;
  for (const l of layer) layers = Math.max(layers, l + 1);
  const nonNeg = (nm: string, x: unknown) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ValidationError(nm, 'a finite rate >= 0 Hz', x);
  };
  const rate = net.poissonRate === undefined ? null : scalarOrArray(`${name}.poissonRate`, net.poissonRate, n, nonNeg);
  const jump = net.poissonJump === undefined ? null : scalarOrArray(`${name}.poissonJump`, net.poissonJump, n);
  const drive = rate !== null && jump !== null && rate.some((r, i) => r > 0 && jump[i] !== 0);
  return {
    n,
    gL,
    vL,
    vTh,
    vReset,
    tauSyn,
    mu,
    sigma,
    J,
    layer,
    layers,
    poissonRate: drive ? rate : null,
    poissonJump: drive ? jump : null,
  };
}

/** Options of {@link feedforwardLabNetwork}. */
export interface FeedforwardLabOptions {
  /** Neurons per layer, e.g. [20, 20, 20]. */
  sizes: number[];
  /** μ per layer (or one value). @default [0.055, 0.045, ...] */
  mu?: number | number[];
  /** σ per layer (or one value). @default 0.02 */
  sigma?: number | number[];
  /** Jump J of I per connection from layer l−1 to l (jump convention). @default 0.005 */
  jump?: number | number[];
  /** Other membrane constants (see {@link LifLabNetwork}). */
  gL?: number;
  vTh?: number;
  vReset?: number;
  tauSyn?: number;
}

/**
 * Layered feedforward network with all-to-all connections from layer l−1 to layer l (the seed's
 * architecture, Fig. 1A), noise in every layer. Defaults give ≈ 20 Hz in every layer (parameter
 * set S1 of research/lif-ltn.md §1.3).
 * @example
 * ```ts
 * const net = feedforwardLabNetwork({ sizes: [20, 20, 20] });
 * ```
 */
export function feedforwardLabNetwork(o: FeedforwardLabOptions): LifLabNetwork {
  if (!Array.isArray(o?.sizes) || o.sizes.length === 0) throw new ValidationError('sizes', 'a non-empty array of layer sizes', o?.sizes);
  const L = o.sizes.length;
  for (let l = 0; l < L; l++) checkInteger(`sizes[${l}]`, o.sizes[l], 1, 1 << 16);
  const per = (name: string, v: number | number[] | undefined, def: (l: number) => number) =>
    Array.from({ length: L }, (_, l) => checkFinite(`${name}[${l}]`, v === undefined ? def(l) : Array.isArray(v) ? v[l] : v));
  const mu = per('mu', o.mu, (l) => (l === 0 ? 0.055 : 0.045));
  const sigma = per('sigma', o.sigma, () => 0.02);
  const jump = per('jump', o.jump, () => 0.005);
  const n = o.sizes.reduce((a, b) => a + b, 0);
  const J = new Float64Array(n * n);
  const layer = new Int32Array(n);
  const muA = new Float64Array(n);
  const sgA = new Float64Array(n);
  const start: number[] = [];
  let off = 0;
  for (let l = 0; l < L; l++) {
    start.push(off);
    for (let i = off; i < off + o.sizes[l]; i++) {
      layer[i] = l;
      muA[i] = mu[l];
      sgA[i] = sigma[l];
    }
    off += o.sizes[l];
  }
  for (let l = 1; l < L; l++) {
    for (let i = start[l]; i < start[l] + o.sizes[l]; i++) {
      for (let j = start[l - 1]; j < start[l - 1] + o.sizes[l - 1]; j++) J[i * n + j] = jump[l];
    }
  }
  return { n, gL: o.gL, vTh: o.vTh, vReset: o.vReset, tauSyn: o.tauSyn, mu: muA, sigma: sgA, J, layer };
}

/**
 * Fine-grid standard normals of a trial for a window of fine steps: element i at fine step t is
 * `normal(key, Streams.noise, i, t)` (the frozen counter contract), so every step size that is a
 * multiple of h_f sees the same Brownian path: ΔB over a coarse step of r fine steps is
 * √h_f Σ_{m<r} z_{t r + m}.
 */
export class CoupledNoise extends KernelObject {
  readonly n: number;
  readonly capacity: number;
  readonly key: Key;
  readonly #z: Region;
  /** First fine step held, and how many. */
  t0 = 0;
  steps = 0;

  constructor(key: Key, n: number, capacitySteps: number) {
    super();
    this.key = key;
    this.n = n;
    this.capacity = capacitySteps;
    this.#z = this.allocate(n * capacitySteps * 8, 'numerics.noise');
  }

  /** Fills fine steps [t0, t0 + steps). */
  fill(t0: number, steps: number): void {
    this.assertLive();
    if (steps > this.capacity) throw new ValidationError('steps', `at most ${this.capacity}`, steps);
    // SIMD Philox fill of the lab kernel; bit-identical to the shared fillNormalSteps (tested).
    kernel().numFillNormalSteps(this.key.k0, this.key.k1, Streams.noise, t0, steps, this.n, this.#z.ptr);
    this.t0 = t0;
    this.steps = steps;
  }

  /** @internal Same as {@link CoupledNoise.fill} through the shared scalar `fillNormalSteps` (bench baseline). */
  fillScalar(t0: number, steps: number): void {
    this.assertLive();
    if (steps > this.capacity) throw new ValidationError('steps', `at most ${this.capacity}`, steps);
    kernel().fillNormalSteps(this.key.k0, this.key.k1, Streams.noise, t0, steps, 0, this.n, this.#z.ptr);
    this.t0 = t0;
    this.steps = steps;
  }

  /** @internal */
  get ptr(): number {
    return this.#z.ptr;
  }
}

/** External events of a fine window (flat arrays, ordered by fine step, then neuron, then time). */
export interface FinePoissonEvents {
  /** Neuron of each event. */
  neuron: Int32Array;
  /** Fine step t of each event (absolute): the event lies in [t h_f, (t + 1) h_f). */
  fineStep: Int32Array;
  /** Position within the fine step, in [0, 1). */
  offset: Float64Array;
}

/**
 * External Poisson events of a trial on the fine grid h_f, shared by every step size h = 2^k h_f.
 *
 * Counter contract (stream `Streams.input`, the key of the trial): for neuron i and fine step t,
 * the uniform u = uniform(key, input, i, t, sub 0) gives the event count k by inversion of the
 * Poisson(ν_i h_f) CDF; event q < k lies at (t + u_q) h_f with u_q = uniform(…, i, t, sub 1 + q),
 * sorted. The events are therefore a Poisson process of rate ν_i exactly (independent counts per
 * fine interval, uniform positions given the count), and a coarse level only bins them: event at
 * fine step t belongs to coarse step ⌊t / r⌋, at time ((t mod r) + u) h_f after its start.
 * A {@link LifLabSimulation} of a network with `poissonRate` draws its own when none is passed;
 * a coupled study fills one window and passes it to every level.
 * @example
 * ```ts
 * const key = seedToKey(1);
 * const ev = new CoupledPoisson(key, [800, 800], 0.0125); // Hz per neuron, h_f in ms
 * ev.fill(0, 1024);                                        // fine steps [0, 1024)
 * for (const sim of levels) sim.advance(1024 / sim.ratio, noise, ev);
 * ```
 */
export class CoupledPoisson {
  readonly n: number;
  readonly key: Key;
  readonly hFine: number;
  /** Per-neuron expected events per fine step, ν_i h_f, and e^{−ν_i h_f}. */
  readonly #lambda: Float64Array;
  readonly #p0: Float64Array;
  /** Events of the current window (see {@link CoupledPoisson.fill}). */
  events: FinePoissonEvents = { neuron: new Int32Array(0), fineStep: new Int32Array(0), offset: new Float64Array(0) };
  t0 = 0;
  steps = 0;

  /** `rateHz` per neuron (Hz), `hFine` in ms. */
  constructor(key: Key, rateHz: ArrayLike<number>, hFine: number) {
    this.key = key;
    this.n = rateHz.length;
    this.hFine = hFine;
    this.#lambda = Float64Array.from(rateHz, (r) => (r / 1000) * hFine);
    this.#p0 = this.#lambda.map((l) => kmath.exp(-l));
  }

  /** Draws the events of fine steps [t0, t0 + steps). */
  fill(t0: number, steps: number): void {
    const k = kernel();
    const { k0, k1 } = this.key;
    const n = this.n;
    const ne: number[] = [];
    const ft: number[] = [];
    const off: number[] = [];
    const buf = k.alloc(Math.max(16, n * 8)) >>> 0;
    try {
      for (let t = t0; t < t0 + steps; t++) {
        k.fillUniforms(k0, k1, Streams.input, t, 0, n, buf);
        const u = new Float64Array(k.memory.buffer, buf, n);
        for (let i = 0; i < n; i++) {
          const p0 = this.#p0[i];
          if (u[i] < p0) continue;
          const lam = this.#lambda[i];
          let c = 0;
          let P = p0;
          let F = p0;
          while (u[i] >= F && c < 1000) {
            c++;
            P = (P * lam) / c;
            F += P;
          }
          const pos: number[] = [];
          for (let q = 0; q < c; q++) pos.push(k.uniformAt(k0, k1, Streams.input, i, t, 1 + q));
          pos.sort((a, b) => a - b);
          for (const x of pos) {
            ne.push(i);
            ft.push(t);
            off.push(x);
          }
        }
      }
    } finally {
      k.free(buf);
    }
    this.events = { neuron: Int32Array.from(ne), fineStep: Int32Array.from(ft), offset: Float64Array.from(off) };
    this.t0 = t0;
    this.steps = steps;
  }
}

/** K(t) = (e^{−t/τ_s} − e^{−g_L t})/(g_L − 1/τ_s): V response to a unit I jump after t (kernel exp). */
function labK(t: number, gL: number, tau: number): number {
  const d = gL - 1 / tau;
  return Math.abs(d) * t < 1e-8 ? t * kmath.exp(-gL * t) : (kmath.exp(-t / tau) - kmath.exp(-gL * t)) / d;
}

/** Options of {@link LifLabSimulation}. */
export interface LabSimulationOptions {
  /** Step size h (ms). */
  h: number;
  /** Fine step h_f of the shared Brownian path; h must be h_f·2^k. @default h */
  hFine?: number;
  /** @default "euler-maruyama" */
  integrator?: LabIntegrator;
  /** @default "linear" */
  rule?: LabRule;
  /** Trial seed or key. */
  seed: Seed | Key;
  /** Independent copies driven by the SAME noise (finite-difference Lyapunov estimates). @default 1 */
  replicas?: number;
  /** Number of tangent vectors (0 = none; the spectrum's top K exponents). @default 0 */
  tangents?: number;
  /** Steps per kernel call. @default 100 */
  chunk?: number;
  /** Steps between QR re-orthonormalisations of the tangent vectors (at the end of a kernel call). @default chunk */
  qrEvery?: number;
}

/** Spikes recorded by a {@link LifLabSimulation} (copies). */
export interface LabSpikes {
  /** Neuron index (replica r neuron i is r·n + i). */
  neuron: Int32Array;
  /** Spike time (step + offset)·h in ms. */
  time: Float64Array;
  /** Crossing speed A (voltage per ms) at the crossing, from the rule's interpolant. */
  A: Float64Array;
}

/**
 * Stateful simulation of a {@link LifLabNetwork} at one step size, with coupled noise, spike
 * records (neuron, time, A), optional replicas and tangent vectors.
 *
 * Discretisation (one step t_n → t_{n+1}, all neurons from the state at t_n):
 * - `euler-maruyama`: V' = V + h[−g_L(V − V_L) + I], I' = I − h(I − μ)/τ_s + σ√(2/τ_s) ΔB;
 * - `exact`: the exact propagator of the linear (V, I) system over h; the stochastic integrals
 *   ∫ e^{−(h−s)/τ_s} dB and ∫ K(h−s) dB are their conditional means given the fine increments
 *   (exact in law as h_f → 0, and the coupling across levels is exact).
 * Then if V' ≥ V_th: `grid` spikes at t_{n+1} and sets V = V_r; `linear` places the crossing at
 * θ = (V_th − V)/(V' − V) and integrates the rest (1 − θ)h from V_r; `hermite` solves the cubic
 * Hermite interpolant (values and derivatives at both ends) for θ. Spikes are delivered to the
 * postsynaptic currents at t_n + θh with the exact factor e^{−(1−θ)h/τ_s} (and, for `exact`, the
 * V response K((1−θ)h)). A is the slope of the rule's interpolant at θ.
 */
export class LifLabSimulation extends KernelObject {
  readonly net: ResolvedLabNetwork;
  readonly h: number;
  readonly hFine: number;
  readonly ratio: number;
  readonly integrator: LabIntegrator;
  readonly rule: LabRule;
  readonly replicas: number;
  readonly tangents: number;
  readonly key: Key;
  readonly chunk: number;
  /** Steps taken so far. */
  step = 0;
  readonly #P: Region;
  readonly #state: Region;
  readonly #coef: Region;
  readonly #jt: Region | null;
  readonly #w: Region;
  readonly #spk: Region;
  readonly #out: Region;
  readonly #scratch: Region;
  readonly #tan: Region | null;
  readonly #ext: Region | null;
  #noise: CoupledNoise | null = null;
  #poisson: CoupledPoisson | null = null;
  /** External events delivered so far per neuron (identical at every level of a coupled study). */
  readonly poissonDelivered: Float64Array;
  /** Σ J_ext over the delivered external events per neuron (same summation order at every level). */
  readonly poissonDeliveredJump: Float64Array;
  #neuron: number[] = [];
  #time: number[] = [];
  #A: number[] = [];
  /** Accumulated ln R_kk of the QR re-orthonormalisation (per tangent vector). */
  readonly logGrowth: Float64Array;
  /** Whether {@link LifLabSimulation.logGrowth} accumulates (set after burn-in). */
  accumulate = true;
  /** Time over which logGrowth was accumulated (ms). */
  accumulatedTime = 0;
  readonly #qrEvery: number;
  #lastQr = 0;

  constructor(network: LifLabNetwork | ResolvedLabNetwork, o: LabSimulationOptions) {
    super();
    const net = 'layers' in network ? (network as ResolvedLabNetwork) : resolveLabNetwork(network);
    this.net = net;
    const h = checkPositive('options.h', o?.h, 'ms');
    const hFine = checkPositive('options.hFine', o.hFine ?? h, 'ms');
    const ratio = Math.round(h / hFine);
    if (!(ratio >= 1 && Math.abs(ratio * hFine - h) <= 1e-9 * h && (ratio & (ratio - 1)) === 0)) {
      throw new ValidationError('options.h', `hFine·2^k (hFine = ${hFine} ms)`, h);
    }
    if (!(h * Math.max(net.gL, 1 / net.tauSyn) < 1)) {
      throw new ValidationError('options.h', `a step with h·max(gL, 1/tauSyn) < 1 (h < ${Math.min(1 / net.gL, net.tauSyn)} ms)`, h);
    }
    this.h = h;
    this.hFine = hFine;
    this.ratio = ratio;
    this.integrator = checkChoice('options.integrator', o.integrator ?? 'euler-maruyama', LAB_INTEGRATORS);
    this.rule = checkChoice('options.rule', o.rule ?? 'linear', LAB_RULES);
    this.replicas = checkInteger('options.replicas', o.replicas ?? 1, 1, 64);
    this.tangents = checkInteger('options.tangents', o.tangents ?? 0, 0, 2 * net.n);
    this.chunk = checkInteger('options.chunk', o.chunk ?? 100, 1, 100000);
    this.#qrEvery = checkInteger('options.qrEvery', o.qrEvery ?? this.chunk, 1, 100000);
    if (this.tangents > 0 && this.rule === 'grid') {
      throw new ValidationError(
        'options.rule',
        '"linear" or "hermite" for tangent dynamics: the grid rule resets V to V_r whatever V was, so its tangent through a spike is 0 and λ would be meaningless',
        'grid',
      );
    }
    this.key = typeof o.seed === 'object' && o.seed !== null ? o.seed : seedToKey(o.seed as Seed);
    const { n, gL, vL, vTh, vReset, tauSyn } = net;
    const R = this.replicas;
    this.#P = this.allocate(16 * 8, 'numerics.params');
    this.#state = this.allocate(2 * R * n * 8, 'numerics.state');
    this.#coef = this.allocate(5 * n * 8, 'numerics.coef');
    this.#jt = net.J ? this.allocate(n * n * 8, 'numerics.jumps') : null;
    this.#w = this.allocate(2 * ratio * 8, 'numerics.weights');
    this.#spk = this.allocate(this.chunk * R * n * 4 * 8, 'numerics.spikes');
    this.#out = this.allocate(16, 'numerics.out');
    this.#scratch = this.allocate(3 * n * 8, 'numerics.scratch');
    this.#tan = this.tangents ? this.allocate(this.tangents * 2 * n * 8, 'numerics.tangent') : null;
    this.#ext = net.poissonRate ? this.allocate(2 * this.chunk * n * 8, 'numerics.external') : null;
    this.poissonDelivered = new Float64Array(n);
    this.poissonDeliveredJump = new Float64Array(n);
    this.logGrowth = new Float64Array(this.tangents);

    const exact = this.integrator === 'exact';
    const kOf = (t: number) => labK(t, gL, tauSyn);
    const eg = kmath.exp(-gL * h);
    const es = kmath.exp(-h / tauSyn);
    const Kh = kOf(h);
    const a11 = exact ? eg : 1 - gL * h;
    const a12 = exact ? Kh : h;
    const a22 = exact ? es : 1 - h / tauSyn;
    const P = this.#P.f64(0, 16);
    P.set([h, gL, vL, vTh, vReset, tauSyn, a11, a12, a22, exact ? 1 : 0, LAB_RULES.indexOf(this.rule), eg, Kh, es]);
    const coef = this.#coef.f64(0, 5 * n);
    const sq = Math.sqrt((2 / tauSyn) * hFine);
    for (let i = 0; i < n; i++) {
      const mu = net.mu[i];
      const vInf = vL + mu / gL;
      coef[i] = exact ? (1 - eg) * vInf - Kh * mu : gL * h * vL;
      coef[n + i] = exact ? (1 - es) * mu : (h * mu) / tauSyn;
      coef[2 * n + i] = net.sigma[i] * sq;
      coef[3 * n + i] = mu;
      coef[4 * n + i] = vInf;
    }
    if (this.#jt && net.J) {
      const jt = this.#jt.f64(0, n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) jt[j * n + i] = net.J[i * n + j];
    }
    const w = this.#w.f64(0, 2 * ratio);
    for (let m = 0; m < ratio; m++) {
      if (exact) {
        // Conditional means given the fine increments: (1/h_f) ∫ over fine interval m of the kernel.
        const a = h - (m + 1) * hFine; // time from the END of interval m to t_{n+1}
        const b = h - m * hFine;
        const iI = tauSyn * (kmath.exp(-a / tauSyn) - kmath.exp(-b / tauSyn));
        const iE = (kmath.exp(-gL * a) - kmath.exp(-gL * b)) / gL;
        const d = gL - 1 / tauSyn;
        const iV = Math.abs(d) < 1e-12 ? Number.NaN : (iI - iE) / d;
        w[m] = iV / hFine;
        w[ratio + m] = iI / hFine;
      } else {
        w[m] = 0;
        w[ratio + m] = 1;
      }
    }
    if (exact && Math.abs(gL - 1 / tauSyn) < 1e-12)
      throw new ValidationError('network.tauSyn', 'a value ≠ 1/gL for the exact integrator', tauSyn);
    // Initial state (identical for every step size and scheme): V ~ U[V_r, V_th), I ~ N(μ, σ²).
    const st = this.#state.f64(0, 2 * R * n);
    for (let r = 0; r < R; r++) {
      for (let i = 0; i < n; i++) {
        st[r * n + i] = vReset + (vTh - vReset) * kernel().uniformAt(this.key.k0, this.key.k1, Streams.init, i, 0, 0);
        st[R * n + r * n + i] = net.mu[i] + net.sigma[i] * kernel().normalAt(this.key.k0, this.key.k1, Streams.init, i, 1);
      }
    }
    if (this.#tan) {
      // Random initial tangent vectors (Streams.init, step 2 + k), orthonormalised.
      const T = this.#tan.f64(0, this.tangents * 2 * n);
      for (let k = 0; k < this.tangents; k++)
        for (let c = 0; c < 2 * n; c++) T[k * 2 * n + c] = kernel().normalAt(this.key.k0, this.key.k1, Streams.init, c, 2 + k);
      this.#orthonormalise(false);
    }
  }

  /** Current V and I of every replica (copies, replica-major). */
  get state(): { V: Float64Array; I: Float64Array } {
    this.assertLive();
    const m = this.replicas * this.net.n;
    return { V: this.#state.f64(0, m).slice(), I: this.#state.f64(m * 8, m).slice() };
  }

  /** Overwrites the state (finite-difference studies). */
  setState(V: ArrayLike<number>, I: ArrayLike<number>): void {
    this.assertLive();
    const m = this.replicas * this.net.n;
    this.#state.f64(0, m).set(checkFiniteArray('V', V, m));
    this.#state.f64(m * 8, m).set(checkFiniteArray('I', I, m));
  }

  /** Tangent vectors (copy, K × 2n: [δV, δI]). */
  get tangentVectors(): Float64Array {
    this.assertLive();
    return this.#tan ? this.#tan.f64(0, this.tangents * 2 * this.net.n).slice() : new Float64Array(0);
  }

  /** Sets the tangent vectors (K × 2n) without orthonormalising. */
  setTangentVectors(v: ArrayLike<number>): void {
    this.assertLive();
    if (!this.#tan) throw new ValidationError('options.tangents', 'at least 1 to set tangent vectors', 0);
    this.#tan.f64(0, this.tangents * 2 * this.net.n).set(checkFiniteArray('vectors', v, this.tangents * 2 * this.net.n));
  }

  /** Modified Gram–Schmidt on the tangent vectors; adds ln R_kk to logGrowth when `acc`. */
  #orthonormalise(acc: boolean): void {
    if (!this.#tan) return;
    const d = 2 * this.net.n;
    const T = this.#tan.f64(0, this.tangents * d);
    for (let k = 0; k < this.tangents; k++) {
      for (let q = 0; q < k; q++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += T[k * d + c] * T[q * d + c];
        for (let c = 0; c < d; c++) T[k * d + c] -= dot * T[q * d + c];
      }
      let nr = 0;
      for (let c = 0; c < d; c++) nr += T[k * d + c] ** 2;
      nr = Math.sqrt(nr);
      if (!(nr > 0)) throw new ValidationError('tangent', 'linearly independent tangent vectors', nr);
      for (let c = 0; c < d; c++) T[k * d + c] /= nr;
      if (acc) this.logGrowth[k] += kmath.log(nr);
    }
  }

  /**
   * Advances `steps` steps. The fine normals come from `noise` (shared by a coupled study; it
   * must hold exactly the fine steps [step·ratio, (step + steps)·ratio)) or are drawn here; the
   * same for the external Poisson events (`poisson`, when the network has a Poisson drive).
   *
   * External events are binned to this level: an event at time t_e in step [t_n, t_{n+1}) adds
   * J_ext·e^{−(t_{n+1} − t_e)/τ_s} to I' and the first-order V response J_ext·(t_{n+1} − t_e)
   * (Euler–Maruyama) or J_ext·K(t_{n+1} − t_e) (exact) to V', before threshold detection. Under
   * the `grid` rule the event is delivered at t_{n+1} (I' += J_ext, no V response), as the
   * network's own spikes are.
   */
  advance(steps: number, noise?: CoupledNoise, poisson?: CoupledPoisson): void {
    this.assertLive();
    checkInteger('steps', steps, 0, 0x7fffffff);
    const n = this.net.n;
    const r = this.ratio;
    if (noise) {
      if (noise.n !== n || noise.t0 !== this.step * r || noise.steps !== steps * r) {
        throw new ValidationError('noise', `fine steps [${this.step * r}, ${(this.step + steps) * r}) of ${n} neurons`, [
          noise.t0,
          noise.steps,
        ]);
      }
    }
    if (poisson && this.#ext) {
      if (poisson.n !== n || poisson.hFine !== this.hFine || poisson.t0 !== this.step * r || poisson.steps !== steps * r) {
        throw new ValidationError('poisson', `events of fine steps [${this.step * r}, ${(this.step + steps) * r}) of ${n} neurons`, [
          poisson.t0,
          poisson.steps,
        ]);
      }
    }
    const k = kernel();
    let done = 0;
    let cursor = 0;
    while (done < steps) {
      const m = Math.min(this.chunk, steps - done);
      let zPtr: number;
      if (noise) zPtr = noise.ptr + done * r * n * 8;
      else {
        if (!this.#noise) this.#noise = this.adopt(new CoupledNoise(this.key, n, this.chunk * r));
        this.#noise.fill(this.step * r, m * r);
        zPtr = this.#noise.ptr;
      }
      if (this.#ext && this.net.poissonRate && this.net.poissonJump) {
        let src = poisson;
        if (!src) {
          if (!this.#poisson) this.#poisson = new CoupledPoisson(this.key, this.net.poissonRate, this.hFine);
          this.#poisson.fill(this.step * r, m * r);
          src = this.#poisson;
          cursor = 0;
        }
        cursor = this.#binEvents(src.events, cursor, m);
      }
      const out = this.#out.f64(0, 1);
      out[0] = 0;
      const code = k.numLifRun(
        this.#P.ptr,
        n,
        this.replicas,
        this.#state.ptr,
        this.#coef.ptr,
        this.#jt ? this.#jt.ptr : 0,
        this.#w.ptr,
        this.#w.ptr + r * 8,
        r,
        zPtr,
        m,
        this.step,
        this.#spk.ptr,
        this.#out.ptr,
        this.#scratch.ptr,
        this.#tan ? this.#tan.ptr : 0,
        this.tangents,
        this.#ext ? this.#ext.ptr : 0,
      );
      const cnt = this.#out.f64(0, 1)[0];
      const rec = this.#spk.f64(0, cnt * 4);
      for (let q = 0; q < cnt; q++) {
        this.#neuron.push(rec[4 * q]);
        this.#time.push((rec[4 * q + 1] + rec[4 * q + 2]) * this.h);
        this.#A.push(rec[4 * q + 3]);
      }
      checkStatus(code, 'LifLabSimulation.advance');
      this.step += m;
      done += m;
      if (this.#tan && this.step - this.#lastQr >= this.#qrEvery) this.#flushQr();
    }
  }

  /**
   * Fills the external-input block [extV (m n), extI (m n)] for steps [step, step + m) from the
   * fine events starting at index `cursor`; returns the index of the first event not used.
   */
  #binEvents(ev: FinePoissonEvents, cursor: number, m: number): number {
    const n = this.net.n;
    const r = this.ratio;
    const { h, hFine } = this;
    const { gL, tauSyn } = this.net;
    const jump = this.net.poissonJump as Float64Array;
    const ext = (this.#ext as Region).f64(0, 2 * m * n);
    ext.fill(0);
    const f0 = this.step * r;
    const f1 = (this.step + m) * r;
    const grid = this.rule === 'grid';
    const exact = this.integrator === 'exact';
    let q = cursor;
    while (q < ev.fineStep.length && ev.fineStep[q] < f0) q++;
    for (; q < ev.fineStep.length && ev.fineStep[q] < f1; q++) {
      const i = ev.neuron[q];
      const J = jump[i];
      const ft = ev.fineStep[q] - f0;
      const s = Math.floor(ft / r);
      this.poissonDelivered[i] += 1;
      this.poissonDeliveredJump[i] += J;
      if (grid) {
        ext[(m + s) * n + i] += J;
        continue;
      }
      const rem = h - (ft - s * r + ev.offset[q]) * hFine;
      ext[(m + s) * n + i] += J * kmath.exp(-rem / tauSyn);
      ext[s * n + i] += J * (exact ? labK(rem, gL, tauSyn) : rem);
    }
    return q;
  }

  /** Spikes recorded so far, from record number `from` on (copies). */
  spikes(from = 0): LabSpikes {
    return {
      neuron: Int32Array.from(this.#neuron.slice(from)),
      time: Float64Array.from(this.#time.slice(from)),
      A: Float64Array.from(this.#A.slice(from)),
    };
  }

  /** Number of spike records so far. */
  get spikeCount(): number {
    return this.#neuron.length;
  }

  /** Forgets the recorded spikes (e.g. after a burn-in). */
  clearSpikes(): void {
    this.#neuron = [];
    this.#time = [];
    this.#A = [];
  }

  #flushQr(): void {
    this.#orthonormalise(this.accumulate);
    if (this.accumulate) this.accumulatedTime += (this.step - this.#lastQr) * this.h;
    this.#lastQr = this.step;
  }

  /** Lyapunov exponents (1/ms) of the tangent vectors accumulated so far (re-orthonormalises first). */
  lyapunovSpectrum(): Float64Array {
    this.assertLive();
    if (this.#tan && this.step > this.#lastQr) this.#flushQr();
    return this.logGrowth.map((g) => g / this.accumulatedTime);
  }

  /** Re-orthonormalises now, then restarts the accumulation of logGrowth (after a burn-in). */
  resetGrowth(): void {
    this.assertLive();
    if (this.#tan && this.step > this.#lastQr) {
      this.#orthonormalise(false);
      this.#lastQr = this.step;
    }
    this.logGrowth.fill(0);
    this.accumulatedTime = 0;
  }
}
