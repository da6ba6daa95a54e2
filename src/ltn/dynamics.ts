/**
 * Trajectories of the linear-threshold network, of the one-parameter family LTN_γ and of its two
 * timescale limits (seed 004; lif-ltn.md §2.2–2.3). The family, the fast-limit PDS and the
 * slow-limit complementarity system are OUR reconstruction ([R] in the research note), consistent
 * with the seed's abstract-level statements; the paper's own definitions are not confirmed.
 *
 * - LTN_γ:  ẋ = −γDx + [(W + (γ−1)D)x + u]_+ = −min(γDx, Mx − u),  M = D − W  (γ = 1: the LTN)
 * - fast limit γ → ∞ (projected dynamical system on the orthant):
 *   ẋ = Π_{ℝⁿ₊}(x, u − Mx),  [Π(x, v)]_i = v_i if x_i > 0, max(v_i, 0) if x_i = 0
 * - slow limit γ → 0 in slow time s = γt (linear complementarity system, the hard-selector
 *   candidate): dx/ds = −Dx + λ, 0 ≤ λ ⊥ Mx − u ≥ 0
 *
 * Units: the model is dimensionless. Time is measured in units of 1/d (d the dissipation rates),
 * never in ms; x, u and Wx share one (arbitrary) activity unit.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type AsyncRunOptions, ProgressTracker, type ProgressUnit, type RunOptions } from '../contract/progress.js';
import { makeTable, Result, type Table, toJSONValue } from '../contract/results.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { checkBoolean, checkChoice, checkFinite, checkInteger, checkPositive } from '../kernel/validate.js';
import { lcpLemke, lcpPrincipalPivoting } from './lcp.js';
import { expm, matvec, principal, spectralRadiusBound } from './linalg.js';
import { noOptions } from './matrix.js';
import { checkGamma, checkNetwork, checkState, inputAt, type LtnNet, type LtnNetworkSpec } from './network.js';
import { checkSamples, checkWork, fmt, LTN_MAX_SAMPLE_VALUES, LTN_MAX_WORK, runWork, runWorkAsync, type Tick, type Work } from './work.js';

// ---------------------------------------------------------------------------------------------
// results

/** Which system a trajectory integrates. */
export type LtnSystem = 'ltn' | 'pds' | 'lcs';

/**
 * A sampled trajectory of {@link ltnSimulate}, {@link pdsSimulate} or {@link lcsSimulate}.
 * Time is dimensionless (units of 1/d; slow time s = γt for the LCS); `x` is in the unit of u.
 * `table()` gives the samples as a {@link Table} with units; `toJSON()` includes it.
 */
export class LtnTrajectory extends Result {
  /** Result type. */
  readonly kind = 'ltn.trajectory';
  /** The system integrated: LTN_γ, the fast-limit PDS or the slow-limit LCS. */
  readonly system: LtnSystem;
  /** Method used (`'euler'`, `'rk4'`, `'dopri5'`, `'event-driven'`, `'projected-euler'`, `'implicit'`). */
  readonly method: string;
  /** Family parameter γ of LTN_γ (null for the PDS and the LCS). */
  readonly gamma: number | null;
  /** Number of units. */
  readonly n: number;
  /** Sample times (dimensionless: units of 1/d; slow time s = γt for the LCS), starting at 0. */
  readonly time: Float64Array;
  /** States at the sample times, row-major (time.length × n). */
  readonly x: Float64Array;
  /** State at the end of the run (at `duration`, or where an abort stopped it). */
  readonly final: Float64Array;
  /** Accepted steps (sub-steps between events for "event-driven"). */
  readonly steps: number;
  /** Rejected steps (dopri5 only; 0 otherwise). */
  readonly rejectedSteps: number;
  /** Switching events located ("event-driven" only; 0 otherwise). */
  readonly events: number;

  /** @internal */
  constructor(f: {
    system: LtnSystem;
    method: string;
    gamma: number | null;
    n: number;
    time: Float64Array;
    x: Float64Array;
    final: Float64Array;
    steps: number;
    rejectedSteps: number;
    events: number;
  }) {
    super();
    this.system = f.system;
    this.method = f.method;
    this.gamma = f.gamma;
    this.n = f.n;
    this.time = f.time;
    this.x = f.x;
    this.final = f.final;
    this.steps = f.steps;
    this.rejectedSteps = f.rejectedSteps;
    this.events = f.events;
  }

  /**
   * The samples as a table: column `time` (dimensionless, unit `'1'`) and one column `x1` … `xn`
   * per unit (unit `'1'`: the activity unit of u). Metadata: system, method, γ, step counts.
   */
  table(): Table {
    const n = this.n;
    const rows = this.time.length;
    const cols: Record<string, { data: Float64Array; unit: string; description: string }> = {
      time: {
        data: this.time.slice(),
        unit: '1',
        description:
          this.system === 'lcs' ? 'slow time s = γt, dimensionless (units of 1/d)' : 'time, dimensionless (units of 1/d; not ms)',
      },
    };
    for (let i = 0; i < n; i++) {
      const c = new Float64Array(rows);
      for (let s = 0; s < rows; s++) c[s] = this.x[s * n + i];
      cols[`x${i + 1}`] = { data: c, unit: '1', description: `activity of unit ${i} (the unit of u)` };
    }
    return makeTable('ltn.trajectory', cols, {
      system: this.system,
      method: this.method,
      gamma: this.gamma,
      n,
      steps: this.steps,
      rejectedSteps: this.rejectedSteps,
      events: this.events,
      timeUnit: 'dimensionless (1/d)',
    });
  }

  /** JSON form: the metadata, `final`, and the samples as a table with units (`samples`). */
  override toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      system: this.system,
      method: this.method,
      gamma: this.gamma,
      n: this.n,
      steps: this.steps,
      rejectedSteps: this.rejectedSteps,
      events: this.events,
      final: toJSONValue(this.final),
      samples: this.table().toJSON(),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// options

/** Options shared by the simulators. Times are dimensionless (units of 1/d). */
export interface LtnRunOptions extends RunOptions {
  /** Length of the run (dimensionless time, units of 1/d; slow time for {@link lcsSimulate}). */
  duration: number;
  /** Time between recorded samples (dimensionless). @default duration / 200 */
  sampleInterval?: number;
  /** Fixed step for "euler", "rk4", "projected-euler" and the LCS (dimensionless); unused by "dopri5" and "event-driven". @default 1e-3 */
  dt?: number;
}

/** The methods of {@link ltnSimulate}. */
export type LtnMethod = 'euler' | 'rk4' | 'dopri5' | 'event-driven';

/** Options of {@link ltnSimulate}. */
export interface LtnSimulateOptions extends LtnRunOptions {
  /** Family parameter γ > 0 of LTN_γ (γ = 1 is the LTN). @default 1 */
  gamma?: number;
  /**
   * "euler" (explicit, order 1), "rk4" (classical, order 4), "dopri5" (Dormand–Prince 5(4),
   * error-controlled) or "event-driven" (the exact flow e^{τA} of each linear piece, with the
   * switching times located by bisection to ~1e-16 relative; constant u only, n ≤ 16).
   * @default "dopri5"
   */
  method?: LtnMethod;
  /** Relative tolerance of "dopri5". @default 1e-9 */
  rtol?: number;
  /** Absolute tolerance of "dopri5" (in the unit of x). @default 1e-12 */
  atol?: number;
  /**
   * Refuse ("euler"/"rk4") a step outside the linear stability region of some linear piece
   * (see {@link ltnMaxStableStep}; n ≤ 64): Euler on lightly damped pieces produces fake limit cycles.
   * @default true
   */
  checkStability?: boolean;
  /**
   * Event budget of "event-driven" (guards against Zeno behaviour and chattering); at most
   * `ltnMaxEvents(n)` (docs/ltn.md, "Work bounds"). @default min(100000, ltnMaxEvents(n))
   */
  maxEvents?: number;
}

/** The methods of {@link pdsSimulate}. */
export type PdsMethod = 'projected-euler' | 'event-driven';

/** Options of {@link pdsSimulate}. */
export interface PdsSimulateOptions extends LtnRunOptions {
  /**
   * "projected-euler": x ← [x + h(u(t) − Mx)]_+ (order 1, stays in the orthant; also the LCP
   * projected iteration); "event-driven": the exact flow of each face of the orthant, with the
   * switching times (a free unit hits 0, a clamped unit's u_i − (Mx)_i turns positive) located by
   * bisection (constant u only, n ≤ 16).
   * @default "event-driven" for constant u and n ≤ 16, else "projected-euler"
   */
  method?: PdsMethod;
  /** Event budget of "event-driven"; at most `ltnMaxEvents(n)`. @default min(100000, ltnMaxEvents(n)) */
  maxEvents?: number;
}

/** Options of {@link lcsSimulate}. */
export type LcsSimulateOptions = LtnRunOptions;

const RUN_KEYS = optionKeys<LtnRunOptions>()(['duration', 'sampleInterval', 'dt', 'signal', 'onProgress']);
const LTN_KEYS = optionKeys<LtnSimulateOptions>()([...RUN_KEYS, 'gamma', 'method', 'rtol', 'atol', 'checkStability', 'maxEvents']);
const PDS_KEYS = optionKeys<PdsSimulateOptions>()([...RUN_KEYS, 'method', 'maxEvents']);
const LCS_KEYS = optionKeys<LcsSimulateOptions>()(RUN_KEYS);
/** @internal */
export const asyncKeys = (keys: readonly string[]): readonly string[] => [...keys, 'sliceMs'];

/** @internal A method choice; the retired name 'exact' gets a pointer to 'event-driven'. */
export function checkMethod<T extends string>(name: string, v: unknown, choices: readonly T[]): T {
  if (v === 'exact' && (choices as readonly string[]).includes('event-driven')) {
    throw new ValidationError(
      name,
      `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`,
      v,
      `${name}: 'exact' is now called 'event-driven' (the exact flow of each linear piece with located switching events); did you mean 'event-driven'?`,
      'event-driven',
    );
  }
  return checkChoice(name, v, choices);
}

// ---------------------------------------------------------------------------------------------
// vector fields

/** @internal −γ d∘x + [(W + (γ−1)D)x + u]_+ */
export function ltnField(net: LtnNet, g: number, x: ArrayLike<number>, u: ArrayLike<number>, out: Float64Array): Float64Array {
  const { n, d, W } = net;
  for (let i = 0; i < n; i++) {
    let s = u[i] + (g - 1) * d[i] * x[i];
    for (let j = 0; j < n; j++) s += W[i * n + j] * x[j];
    // biome-ignore lint/complexity/useMathMinMax: same select as the kernel (NaN ↦ 0 here, not NaN)
    out[i] = -g * d[i] * x[i] + (s > 0 ? s : 0);
  }
  return out;
}

/** @internal Π(x, u − Mx). */
export function pdsField(net: LtnNet, x: ArrayLike<number>, u: ArrayLike<number>, out: Float64Array): Float64Array {
  const { n, M } = net;
  for (let i = 0; i < n; i++) {
    let v = u[i];
    for (let j = 0; j < n; j++) v -= M[i * n + j] * x[j];
    out[i] = x[i] > 0 ? v : Math.max(v, 0);
  }
  return out;
}

/** Options of {@link ltnVectorField} and {@link ltnMinForm}. */
export interface LtnFieldOptions {
  /** Family parameter γ > 0. @default 1 */
  gamma?: number;
  /** Time at which u(t) is evaluated (dimensionless). @default 0 */
  time?: number;
}
const FIELD_KEYS = optionKeys<LtnFieldOptions>()(['gamma', 'time']);

/**
 * The LTN_γ vector field f(x) = −γDx + [(W + (γ−1)D)x + u]_+ at time `time` (seed 004;
 * γ = 1 gives ẋ = −Dx + [Wx + u]_+). Dimensionless: f is in units of x per unit time 1/d.
 * @example
 * ```ts
 * ltnVectorField({ d: [1], W: [[0.5]], u: [1] }, [2]); // [-2 + 2] = [0]
 * ```
 */
export function ltnVectorField(spec: LtnNetworkSpec, x: ArrayLike<number>, options?: LtnFieldOptions): Float64Array {
  const net = checkNetwork(spec, 'ltnVectorField');
  const xv = checkState('x', x, net.n);
  const o = strictOptions('ltnVectorField', 'options', options, FIELD_KEYS);
  const g = checkGamma('options.gamma', o.gamma ?? 1, net);
  const t = checkFinite('options.time', o.time ?? 0);
  return finiteField('ltnVectorField', ltnField(net, g, xv, inputAt(net, t, new Float64Array(net.n)), new Float64Array(net.n)));
}

/**
 * A field evaluated at states or inputs so large that it overflows is not a result: a
 * {@link NumericalError} naming the unit (kind 'non-finite', step 0, time = the evaluation time).
 */
function finiteField(where: string, f: Float64Array, time = 0): Float64Array {
  for (let i = 0; i < f.length; i++)
    if (!Number.isFinite(f[i]))
      throw new NumericalError(`${where}: the field of unit ${i} overflows the doubles at this state`, {
        kind: 'non-finite',
        step: 0,
        index: i,
        time,
        value: f[i],
      });
  return f;
}

/**
 * The same field in complementarity form −min(γDx, Mx − u), M = D − W, computed independently
 * (lif-ltn.md §2.2 identity [R]: equal to {@link ltnVectorField} componentwise).
 * @example
 * ```ts
 * ltnMinForm({ d: [1], W: [[0.5]], u: [1] }, [2]); // [-min(2, 0)] = [0]
 * ```
 */
export function ltnMinForm(spec: LtnNetworkSpec, x: ArrayLike<number>, options?: LtnFieldOptions): Float64Array {
  const net = checkNetwork(spec, 'ltnMinForm');
  const xv = checkState('x', x, net.n);
  const o = strictOptions('ltnMinForm', 'options', options, FIELD_KEYS);
  const g = checkGamma('options.gamma', o.gamma ?? 1, net);
  const u = inputAt(net, checkFinite('options.time', o.time ?? 0), new Float64Array(net.n));
  const out = new Float64Array(net.n);
  const { n, d, M } = net;
  for (let i = 0; i < n; i++) {
    let f = -u[i];
    for (let j = 0; j < n; j++) f += M[i * n + j] * xv[j];
    out[i] = -Math.min(g * d[i] * xv[i], f);
  }
  return finiteField('ltnMinForm', out);
}

/** Options of {@link pdsVectorField}. */
export interface PdsFieldOptions {
  /** Time at which u(t) is evaluated (dimensionless). @default 0 */
  time?: number;
}

/**
 * The fast-limit projected vector field Π_{ℝⁿ₊}(x, u − (D − W)x) (lif-ltn.md §2.3 [R]); x ≥ 0.
 * @example
 * ```ts
 * pdsVectorField({ d: [1], W: [[0]], u: [-1] }, [0]); // [max(-1, 0)] = [0]
 * ```
 */
export function pdsVectorField(spec: LtnNetworkSpec, x: ArrayLike<number>, options?: PdsFieldOptions): Float64Array {
  const net = checkNetwork(spec, 'pdsVectorField');
  const xv = checkOrthant('x', x, net.n);
  const o = strictOptions('pdsVectorField', 'options', options, optionKeys<PdsFieldOptions>()(['time']));
  return finiteField(
    'pdsVectorField',
    pdsField(net, xv, inputAt(net, checkFinite('options.time', o.time ?? 0), new Float64Array(net.n)), new Float64Array(net.n)),
  );
}

function checkOrthant(name: string, x: unknown, n: number): Float64Array {
  const v = checkState(name, x, n);
  for (let i = 0; i < n; i++)
    if (v[i] < 0) throw new ValidationError(`${name}[${i}]`, 'a finite number >= 0 (the PDS lives on the orthant)', v[i]);
  return v;
}

// ---------------------------------------------------------------------------------------------
// stability of explicit steps

const rk4Poly = (z: number) => 1 + z + (z * z) / 2 + (z * z * z) / 6 + (z * z * z * z) / 24;

function amplification(a: Float64Array, k: number, h: number, method: 'euler' | 'rk4'): Float64Array {
  // R(hJ) with J = −A (A = M_SS): Euler I + hJ, RK4 Σ_{j≤4} (hJ)^j/j!
  const j = new Float64Array(k * k);
  for (let i = 0; i < k * k; i++) j[i] = -h * a[i];
  const r = new Float64Array(k * k);
  for (let i = 0; i < k; i++) r[i * k + i] = 1;
  let term = Float64Array.from(j);
  for (let i = 0; i < k * k; i++) r[i] += term[i];
  if (method === 'rk4') {
    for (let p = 2; p <= 4; p++) {
      const nt = new Float64Array(k * k);
      for (let a1 = 0; a1 < k; a1++)
        for (let b = 0; b < k; b++) {
          const v = term[a1 * k + b];
          if (v !== 0) for (let c = 0; c < k; c++) nt[a1 * k + c] += (v * j[b * k + c]) / p;
        }
      term = nt;
      for (let i = 0; i < k * k; i++) r[i] += term[i];
    }
  }
  return r;
}

/** Largest n for which the explicit-step stability check (and {@link ltnMaxStableStep}) runs. */
const MAX_STABILITY_N = 64;

/** Linear pieces checked by the stability test: all supports for n ≤ 10, else ∅-free singletons and the full set. */
function supports(n: number): number[][] {
  const out: number[][] = [];
  if (n <= 10) {
    for (let mask = 1; mask < 1 << n; mask++) {
      const s: number[] = [];
      for (let i = 0; i < n; i++) if (mask & (1 << i)) s.push(i);
      out.push(s);
    }
  } else {
    for (let i = 0; i < n; i++) out.push([i]);
    out.push(Array.from({ length: n }, (_, i) => i));
  }
  return out;
}

const STAB_TOL = 1e-6;

/** The inactive-unit part of the spectrum of LTN_γ's pieces, {−γd_i}, inside the region. */
function gammaPartStable(net: LtnNet, g: number, h: number, method: 'euler' | 'rk4'): boolean {
  for (let i = 0; i < net.n; i++)
    if (Math.abs(method === 'euler' ? 1 - h * g * net.d[i] : rk4Poly(-h * g * net.d[i])) > 1 + 1e-12) return false;
  return true;
}

/** The γ-independent part, eig(−M_SS) over the pieces S, inside the region. */
function piecesStable(net: LtnNet, h: number, method: 'euler' | 'rk4', pieces: number[][]): boolean {
  for (const s of pieces) {
    const a = principal(net.M, net.n, s);
    if (spectralRadiusBound(amplification(a, s.length, h, method), s.length, 30) > 1 + STAB_TOL) return false;
  }
  return true;
}

function stableAt(net: LtnNet, g: number, h: number, method: 'euler' | 'rk4', pieces: number[][]): boolean {
  // Linear pieces of LTN_γ: Jacobian rows −M on active units, −γ d_i e_i on inactive ones, so the
  // spectrum is eig(−M_SS) ∪ {−γ d_i : i ∉ S} (lif-ltn.md §2.6).
  return gammaPartStable(net, g, h, method) && piecesStable(net, h, method, pieces);
}

function checkStabilityN(net: LtnNet, where: string): void {
  if (net.n > MAX_STABILITY_N)
    throw new ValidationError(
      'options.checkStability',
      `false for networks of more than ${MAX_STABILITY_N} units (${where}: the check enumerates linear pieces; d has ${net.n} units)`,
      true,
    );
}

/** Options of {@link ltnMaxStableStep}. */
export interface LtnMaxStableStepOptions {
  /** The explicit method. @default "rk4" */
  method?: 'euler' | 'rk4';
  /** Family parameter γ > 0. @default 1 */
  gamma?: number;
}

/**
 * Largest step h for which explicit Euler or RK4 is linearly stable on every linear piece of
 * LTN_γ (spectrum eig(−M_SS) ∪ {−γd_i}), found by bisection with a Gelfand spectral-radius bound
 * of the amplification matrix (30 squarings, tolerance 1e-6). Exhaustive over supports for
 * n ≤ 10, partial (singletons and the full set) above; n ≤ 64. Dimensionless (units of 1/d).
 * @example
 * ```ts
 * ltnMaxStableStep({ d: [1], W: [[0]] }, { method: 'euler' }); // 2
 * ```
 */
export function ltnMaxStableStep(spec: LtnNetworkSpec, options?: LtnMaxStableStepOptions): number {
  const net = checkNetwork(spec, 'ltnMaxStableStep');
  const o = strictOptions('ltnMaxStableStep', 'options', options, optionKeys<LtnMaxStableStepOptions>()(['method', 'gamma']));
  const method = checkChoice('options.method', o.method ?? 'rk4', ['euler', 'rk4']);
  const g = checkGamma('options.gamma', o.gamma ?? 1, net);
  if (net.n > MAX_STABILITY_N) throw new ValidationError('d.length', `at most ${MAX_STABILITY_N} units (ltnMaxStableStep)`, net.n);
  return maxStableStep(net, g, method);
}

function maxStableStep(net: LtnNet, g: number, method: 'euler' | 'rk4'): number {
  const pieces = supports(net.n);
  let lo = 0;
  let hi = 1;
  while (stableAt(net, g, hi, method, pieces) && hi < 1e6) {
    lo = hi;
    hi *= 2;
  }
  for (let it = 0; it < 40; it++) {
    const mid = 0.5 * (lo + hi);
    if (stableAt(net, g, mid, method, pieces)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * @internal Throws unless h is inside the explicit stability region of every linear piece, for
 * every γ in `gammas` (the pieces' part is γ-independent and checked once). `pdsOnly` checks the
 * pieces alone (the PDS has no −γd part).
 */
export function assertStableStep(
  net: LtnNet,
  gammas: Iterable<number>,
  h: number,
  method: 'euler' | 'rk4',
  pdsOnly: boolean,
  context: string,
): void {
  checkStabilityN(net, context);
  let ok = true;
  if (!pdsOnly) for (const g of gammas) if (!gammaPartStable(net, g, h, method)) ok = false;
  if (ok) ok = piecesStable(net, h, method, supports(net.n));
  if (!ok) {
    throw new ValidationError(
      'options.dt',
      `a step inside the ${method} stability region of every linear piece for ${context} (pass checkStability: false to override)`,
      h,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// sampling and common run setup

/** Samples recorded into buffers sized up front (grown only if the estimate was short). */
class Sampler {
  readonly n: number;
  times: Float64Array;
  rows: Float64Array;
  count = 0;
  constructor(n: number, capacity: number) {
    this.n = n;
    this.times = new Float64Array(capacity);
    this.rows = new Float64Array(capacity * n);
  }
  record(t: number, x: ArrayLike<number>): void {
    if (this.count === this.times.length) {
      const cap = Math.max(4, 2 * this.count);
      const t2 = new Float64Array(cap);
      t2.set(this.times);
      const r2 = new Float64Array(cap * this.n);
      r2.set(this.rows);
      this.times = t2;
      this.rows = r2;
    }
    this.times[this.count] = t;
    const o = this.count * this.n;
    for (let i = 0; i < this.n; i++) this.rows[o + i] = x[i];
    this.count++;
  }
}

interface RunCommon {
  duration: number;
  sampleInterval: number;
  dt: number;
}

function runCommon(o: LtnRunOptions): RunCommon {
  const duration = checkPositive('options.duration', o.duration);
  const sampleInterval = checkPositive('options.sampleInterval', o.sampleInterval ?? duration / 200);
  const dt = checkPositive('options.dt', o.dt ?? 1e-3);
  return { duration, sampleInterval, dt };
}

/** What the sync and async variants share: the work, its tracker, and a partial result on abort. */
interface Prepared<R> {
  work: Work<R>;
  pr: ProgressTracker;
  partial: () => unknown;
  /** Model time at the end (reported with the final progress). */
  endTime?: number;
}

interface TrajInfo {
  system: LtnSystem;
  method: string;
  gamma: number | null;
}

function finish(s: Sampler, x: ArrayLike<number>, steps: number, rejected: number, events: number, info: TrajInfo): LtnTrajectory {
  return new LtnTrajectory({
    ...info,
    n: s.n,
    time: s.times.slice(0, s.count),
    x: s.rows.slice(0, s.count * s.n),
    final: Float64Array.from(x),
    steps,
    rejectedSteps: rejected,
    events,
  });
}

function checkNonFinite(x: Float64Array, step: number, t: number, context: string) {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new NumericalError(context, { kind: 'non-finite', step, index: i, time: t, value: x[i] });
  }
}

/** Checkpoint spacing (in steps) for steps costing `weight` work units: about 2^15 units (≲ 0.5 ms). */
const every = (weight: number) => Math.max(1, Math.floor(2 ** 15 / weight));

/** Samples of a fixed-step run: t = 0, every `every` steps, and the last step. */
function fixedSamples(nSteps: number, every: number): number {
  return 1 + Math.floor(nSteps / every) + (nSteps % every ? 1 : 0);
}

/**
 * Fixed-step driver: `step(x, t, h)` advances in place; samples every `sampleInterval`. The steps
 * run in chunks of ≈ 2^15 work units by a plain function (the generator only sits between
 * chunks, so the per-step cost is that of a plain loop).
 */
function* fixedStep(
  x: Float64Array,
  c: RunCommon,
  nSteps: number,
  s: Sampler,
  weight: number,
  step: (x: Float64Array, t: number, h: number) => void,
  context: string,
  info: TrajInfo,
): Work<LtnTrajectory> {
  s.record(0, x);
  const sEvery = Math.max(1, Math.round(c.sampleInterval / c.dt));
  const tickEvery = every(weight);
  for (let k0 = 0; k0 < nSteps; ) {
    const k1 = Math.min(nSteps, k0 + tickEvery);
    const report = fixedChunk(x, c, nSteps, s, sEvery, k0, k1, step, context);
    k0 = k1;
    yield { done: k1, time: k1 === nSteps ? c.duration : k1 * c.dt, report };
  }
  return finish(s, x, nSteps, 0, 0, info);
}

/** Steps k0 … k1 − 1 of a fixed-step run; true when a 16th sample was recorded (a progress report is due). */
function fixedChunk(
  x: Float64Array,
  c: RunCommon,
  nSteps: number,
  s: Sampler,
  sEvery: number,
  k0: number,
  k1: number,
  step: (x: Float64Array, t: number, h: number) => void,
  context: string,
): boolean {
  let report = false;
  for (let k = k0; k < k1; k++) {
    const t = k * c.dt;
    const h = k === nSteps - 1 ? c.duration - t : c.dt;
    step(x, t, h);
    if (k % 64 === 0) checkNonFinite(x, k, t + h, context);
    if ((k + 1) % sEvery === 0 || k === nSteps - 1) {
      checkNonFinite(x, k, t + h, context);
      s.record(k === nSteps - 1 ? c.duration : t + h, x);
      if ((k + 1) % (sEvery * 16) === 0) report = true;
    }
  }
  return report;
}

function fixedSetup(
  where: string,
  n: number,
  c: RunCommon,
  weight: number,
): { nSteps: number; sEvery: number; samples: number; unit: ProgressUnit } {
  const nSteps = Math.max(1, Math.ceil(c.duration / c.dt - 1e-9));
  checkWork(
    'options.duration',
    c.duration,
    nSteps * weight,
    () => `at most ${fmt((LTN_MAX_WORK / weight) * c.dt)} at dt = ${c.dt}`,
    () => `${where}: ${fmt(nSteps)} steps × ${fmt(weight)} units each`,
  );
  const sEvery = Math.max(1, Math.round(c.sampleInterval / c.dt));
  const samples = fixedSamples(nSteps, sEvery);
  checkSamples('options.sampleInterval', c.sampleInterval, samples, n, () => `at least ${fmt((c.duration * n) / LTN_MAX_SAMPLE_VALUES)}`);
  return { nSteps, sEvery, samples, unit: 'step' };
}

/** Samples of an adaptive or event-driven run (landings on k·sampleInterval), estimated for sizing. */
function landingSamples(n: number, c: RunCommon): number {
  const samples = Math.ceil(c.duration / c.sampleInterval) + 1;
  checkSamples('options.sampleInterval', c.sampleInterval, samples, n, () => `at least ${fmt((c.duration * n) / LTN_MAX_SAMPLE_VALUES)}`);
  return samples;
}

// ---------------------------------------------------------------------------------------------
// LTN_γ

const w2 = (n: number) => (n + 1) * (n + 1);
const w3 = (n: number) => (n + 1) * (n + 1) * (n + 1);

function prepareLtn(
  where: string,
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  options: unknown,
  keys: readonly string[],
): Prepared<LtnTrajectory> {
  const net = checkNetwork(spec, where);
  const x = checkState('x0', x0, net.n);
  const o = strictOptions(where, 'options', options as LtnSimulateOptions & AsyncRunOptions, keys);
  const c = runCommon(o);
  const g = checkGamma('options.gamma', o.gamma ?? 1, net);
  const method = checkMethod('options.method', o.method ?? 'dopri5', ['euler', 'rk4', 'dopri5', 'event-driven'] as const);
  const n = net.n;
  // every option given is checked, also those the chosen method does not use
  const rtol = checkPositive('options.rtol', o.rtol ?? 1e-9);
  const atol = checkPositive('options.atol', o.atol ?? 1e-12);
  const check = checkBoolean('options.checkStability', o.checkStability ?? true);
  const maxEvents = checkMaxEvents(o.maxEvents, n);
  const info: TrajInfo = { system: 'ltn', method, gamma: g };
  if (method === 'event-driven') {
    requireConstantInput(net, 'method "event-driven"');
    const samples = landingSamples(n, c);
    const dmax = ltnSubStep(net, g, c.sampleInterval);
    checkEventWork(where, n, c, dmax, samples);
    const s = new Sampler(n, samples + 1);
    const pr = new ProgressTracker(where, samples - 1, 'sample', o);
    return {
      work: exactLtn(net, g, x, c, maxEvents, s, dmax, info, where),
      pr,
      partial: () => finish(s, x, 0, 0, 0, info),
      endTime: c.duration,
    };
  }
  if (method === 'dopri5') {
    const samples = landingSamples(n, c);
    // explicit stability bounds dopri5's step by about 3.3/r, r ≥ every rate of every linear piece
    const r = Math.max(normInf(net.M, n), g * maxOf(net.d));
    const est = Math.max(samples, Math.ceil((c.duration * r) / 3.3));
    const weight = 7 * w2(n);
    checkWork(
      'options.duration',
      c.duration,
      est * weight,
      () =>
        `at most ${fmt(((LTN_MAX_WORK / weight) * 3.3) / r)} for dopri5 on this network (fastest rate r = max(‖M‖∞, γ max d) = ${fmt(r)})`,
      () => `${where}: about ${fmt(est)} dopri5 steps × ${fmt(weight)} units each`,
    );
    const s = new Sampler(n, samples + 1);
    const ub = new Float64Array(n);
    const pr = new ProgressTracker(where, samples - 1, 'sample', o);
    return {
      work: dopri5(n, x, c, (t, y, out) => ltnField(net, g, y, inputAt(net, t, ub), out), rtol, atol, s, where, info),
      pr,
      partial: () => finish(s, x, 0, 0, 0, info),
      endTime: c.duration,
    };
  }
  const weight = (method === 'rk4' ? 4 : 1) * w2(n);
  const f = fixedSetup(where, n, c, weight);
  if (check) {
    checkStabilityN(net, where);
    if (!stableAt(net, g, c.dt, method, supports(n))) {
      throw new ValidationError(
        'options.dt',
        `a step inside the ${method} stability region of every linear piece (at most ~${maxStableStep(net, g, method).toPrecision(4)}; pass checkStability: false to override)`,
        c.dt,
      );
    }
  }
  const k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const tmp = new Float64Array(n);
  const ub = new Float64Array(n);
  const step =
    method === 'euler'
      ? (y: Float64Array, t: number, h: number) => {
          ltnField(net, g, y, inputAt(net, t, ub), k1);
          for (let i = 0; i < n; i++) y[i] += h * k1[i];
        }
      : (y: Float64Array, t: number, h: number) => {
          ltnField(net, g, y, inputAt(net, t, ub), k1);
          for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
          ltnField(net, g, tmp, inputAt(net, t + 0.5 * h, ub), k2);
          for (let i = 0; i < n; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
          ltnField(net, g, tmp, inputAt(net, t + 0.5 * h, ub), k3);
          for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k3[i];
          ltnField(net, g, tmp, inputAt(net, t + h, ub), k4);
          for (let i = 0; i < n; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        };
  const s = new Sampler(n, f.samples);
  const pr = new ProgressTracker(where, f.nSteps, f.unit, o);
  return {
    work: fixedStep(x, c, f.nSteps, s, weight, step, where, info),
    pr,
    partial: () => finish(s, x, 0, 0, 0, info),
    endTime: c.duration,
  };
}

/**
 * Simulates LTN_γ ẋ = −γDx + [(W + (γ−1)D)x + u(t)]_+ from x0 (family [R], lif-ltn.md §2.3).
 * Dimensionless: time in units of 1/d. Order within a step: evaluate u at the stage times, then
 * the field; samples are recorded after the step that reaches each sample time. Progress counts
 * steps (euler, rk4) or samples (dopri5, event-driven); `signal` is checked every fraction of a
 * millisecond. Refused up front (ValidationError) when the run would exceed the work bound
 * {@link LTN_MAX_WORK} or record more than {@link LTN_MAX_SAMPLE_VALUES} values.
 * @example
 * ```ts
 * const tr = ltnSimulate({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] }, [0, 0], { duration: 20 });
 * tr.final; tr.table().column('time').unit; // '1' (dimensionless)
 * ```
 */
export function ltnSimulate(spec: LtnNetworkSpec, x0: ArrayLike<number>, options: LtnSimulateOptions): LtnTrajectory {
  const p = prepareLtn('ltnSimulate', spec, x0, options, LTN_KEYS);
  return runWork(p.work, p.pr, p.partial, p.endTime);
}

/**
 * {@link ltnSimulate}, yielding to the event loop every `sliceMs` (default 10 ms) so an abort fired
 * from a timer or a UI event stops it; same result, bit for bit.
 */
export async function ltnSimulateAsync(
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  options: LtnSimulateOptions & AsyncRunOptions,
): Promise<LtnTrajectory> {
  const p = prepareLtn('ltnSimulateAsync', spec, x0, options, asyncKeys(LTN_KEYS));
  return runWorkAsync(p.work, p.pr, p.partial, p.endTime);
}

// Dormand–Prince 5(4) (Dormand & Prince 1980; Hairer, Nørsett & Wanner I, Table 5.2), FSAL,
// 5th-order propagation, elementary controller h ← h·min(5, max(0.2, 0.9·err^{-1/5})). Steps are
// clipped to land on the sample times (no dense output needed).
const A2 = [1 / 5];
const A3 = [3 / 40, 9 / 40];
const A4 = [44 / 45, -56 / 15, 32 / 9];
const A5 = [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729];
const A6 = [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656];
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84];
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];

function* dopri5(
  n: number,
  x: Float64Array,
  c: RunCommon,
  f: (t: number, y: Float64Array, out: Float64Array) => void,
  rtol: number,
  atol: number,
  s: Sampler,
  context: string,
  info: TrajInfo,
): Work<LtnTrajectory> {
  const k = Array.from({ length: 7 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  const ynew = new Float64Array(n);
  const A = [[], A2, A3, A4, A5, A6];
  s.record(0, x);
  let t = 0;
  f(t, x, k[0]);
  let scale0 = 0;
  for (let i = 0; i < n; i++) scale0 = Math.max(scale0, Math.abs(k[0][i]) / (atol + rtol * Math.abs(x[i])));
  let h = Math.min(c.sampleInterval, scale0 > 0 ? 0.01 / scale0 ** 0.2 : c.sampleInterval);
  let steps = 0;
  let rejected = 0;
  let nextSample = c.sampleInterval;
  // the step budget is the work bound: about 2–15 ns per unit, 7 field evaluations per step
  const maxSteps = Math.floor(LTN_MAX_WORK / (7 * w2(n)));
  const tickEvery = every(7 * w2(n));
  // the component with the largest error ratio in the last attempted step (or the first non-finite one)
  const worst = (hh: number): { index: number; value: number } => {
    let index = 0;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(ynew[i])) return { index: i, value: ynew[i] };
      let e = 0;
      for (let j = 0; j < 7; j++) e += E[j] * k[j][i];
      const r = Math.abs((e * hh) / (atol + rtol * Math.max(Math.abs(x[i]), Math.abs(ynew[i]))));
      if (!Number.isFinite(r)) return { index: i, value: r };
      if (r > best) {
        best = r;
        index = i;
      }
    }
    return { index, value: x[index] };
  };
  while (t < c.duration) {
    const target = Math.min(nextSample, c.duration);
    let hh = Math.min(h, target - t);
    const landing = hh >= target - t - 1e-14 * Math.max(1, t);
    if (landing) hh = target - t;
    for (let st = 1; st < 7; st++) {
      const row = st < 6 ? A[st] : B5;
      for (let i = 0; i < n; i++) {
        let v = x[i];
        for (let j = 0; j < row.length; j++) v += hh * row[j] * k[j][i];
        y[i] = v;
      }
      f(t + C[st] * hh, y, k[st]);
      if (st === 6) ynew.set(y);
    }
    let err = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += E[j] * k[j][i];
      e *= hh;
      const sc = atol + rtol * Math.max(Math.abs(x[i]), Math.abs(ynew[i]));
      err += (e / sc) ** 2;
    }
    err = Math.sqrt(err / n);
    if (!Number.isFinite(err)) {
      const w = worst(hh);
      throw new NumericalError(context, { kind: 'non-finite', step: steps, index: w.index, time: t, value: w.value });
    }
    const fac = Math.min(5, Math.max(0.2, 0.9 * (err > 0 ? err ** -0.2 : 5)));
    let tick: Tick | undefined;
    if (err <= 1) {
      t = landing ? target : t + hh;
      x.set(ynew);
      k[0].set(k[6]);
      steps++;
      if (landing) {
        s.record(t, x);
        nextSample += c.sampleInterval;
        if (s.count % 16 === 0) tick = { done: s.count - 1, time: t, report: true };
      }
      if (!landing || hh >= h) h = hh * fac;
    } else {
      rejected++;
      h = hh * Math.max(0.2, fac);
      if (h < 1e-14 * Math.max(1, t)) {
        // the step size underflowed: the solution changes faster than any step resolves
        const w = worst(hh);
        throw new NumericalError(`${context} (dopri5 step size underflow)`, {
          kind: 'blow-up',
          step: steps,
          index: w.index,
          time: t,
          value: h,
        });
      }
    }
    if (steps + rejected > maxSteps) {
      const w = worst(hh);
      throw new NumericalError(`${context} (dopri5 step budget of ${maxSteps} steps exhausted; index = the unit limiting the step)`, {
        kind: 'domain',
        step: steps,
        index: w.index,
        time: t,
        value: steps + rejected,
      });
    }
    if (tick === undefined && (steps + rejected) % tickEvery === 0) tick = { done: s.count - 1, time: t };
    if (tick) yield tick;
  }
  return finish(s, x, steps, rejected, 0, info);
}

// ---------------------------------------------------------------------------------------------
// event-driven piecewise-linear integration

interface Piece {
  /** Augmented (n+1)×(n+1) generator [[A, b], [0, 0]]. */
  aug: Float64Array;
  /** Event functions g_k(x) = c_k·x + c0_k (rows of n+1: c then c0) and the sign they start with. */
  ev: Float64Array;
  evSign: Int8Array;
}

function propagate(e: Float64Array, n1: number, x: Float64Array, out: Float64Array) {
  // [x; 1] ↦ E [x; 1]
  for (let i = 0; i < n1 - 1; i++) {
    let s = e[i * n1 + n1 - 1];
    for (let j = 0; j < n1 - 1; j++) s += e[i * n1 + j] * x[j];
    out[i] = s;
  }
}

function scaled(aug: Float64Array, tau: number): Float64Array {
  const a = new Float64Array(aug.length);
  for (let i = 0; i < a.length; i++) a[i] = aug[i] * tau;
  return a;
}

/**
 * Value of event function k, g_k(x) = c0_k + Σ_j c_kj x_j, summed in this order. Every decision
 * about a piece (which units are active, clamped or released) is taken with this one expression,
 * so the state an event leaves behind is classified exactly as the event test saw it.
 */
function eventValue(ev: Float64Array, k: number, n: number, x: ArrayLike<number>): number {
  const o = k * (n + 1);
  let s = ev[o + n];
  for (let j = 0; j < n; j++) s += ev[o + j] * x[j];
  return s;
}

function evalEvents(p: Piece, x: ArrayLike<number>, n: number, out: Float64Array) {
  const m = p.evSign.length;
  for (let k = 0; k < m; k++) out[k] = eventValue(p.ev, k, n, x);
}

/** The first event function that left its starting sign, or −1. */
function firstCrossed(p: Piece, gv: Float64Array): number {
  for (let k = 0; k < p.evSign.length; k++) if (gv[k] * p.evSign[k] < 0) return k;
  return -1;
}

/**
 * Generic driver: the piece is rebuilt from the state after each event; between events the flow
 * is e^{Aτ} applied to [x; 1]. Events are detected on a sub-grid of width ≤ `dmax` and located by
 * 60 bisections of the exact flow (bracket ≲ 1e-16·δ).
 */
function* exactDriver(
  n: number,
  x: Float64Array,
  c: RunCommon,
  build: (x: Float64Array) => Piece,
  after: (x: Float64Array) => void,
  dmax: number,
  maxEvents: number,
  s: Sampler,
  context: string,
  info: TrajInfo,
): Work<LtnTrajectory> {
  s.record(0, x);
  const n1 = n + 1;
  let t = 0;
  let piece = build(x);
  let cacheTau = -1;
  let cacheE: Float64Array = new Float64Array(0);
  let nextSample = c.sampleInterval;
  const y = new Float64Array(n);
  const gv = new Float64Array(n * 2 + 2);
  let events = 0;
  let steps = 0;
  const tickEvery = every(2 * w2(n));
  while (t < c.duration) {
    const target = Math.min(nextSample, c.duration);
    let tau = Math.min(dmax, target - t);
    const landing = tau >= target - t - 1e-14 * Math.max(1, t);
    if (landing) tau = target - t;
    if (tau !== cacheTau) {
      cacheE = expm(scaled(piece.aug, tau), n1);
      cacheTau = tau;
    }
    propagate(cacheE, n1, x, y);
    steps++;
    evalEvents(piece, y, n, gv);
    if (firstCrossed(piece, gv) < 0) {
      x.set(y);
      t = landing ? target : t + tau;
      let tick: Tick | undefined;
      if (landing) {
        checkNonFinite(x, steps, t, context);
        s.record(t, x);
        nextSample += c.sampleInterval;
        if (s.count % 16 === 0) tick = { done: s.count - 1, time: t, report: true };
      }
      if (tick === undefined && steps % tickEvery === 0) tick = { done: s.count - 1, time: t };
      if (tick) yield tick;
      continue;
    }
    // bisection for the first time any event function leaves its starting sign
    let lo = 0;
    let hi = tau;
    const z = new Float64Array(n);
    for (let it = 0; it < 60; it++) {
      const mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      propagate(expm(scaled(piece.aug, mid), n1), n1, x, z);
      evalEvents(piece, z, n, gv);
      if (firstCrossed(piece, gv) >= 0) hi = mid;
      else lo = mid;
    }
    propagate(expm(scaled(piece.aug, hi), n1), n1, x, z);
    evalEvents(piece, z, n, gv);
    const unit = firstCrossed(piece, gv);
    x.set(z);
    t += hi;
    after(x);
    piece = build(x);
    cacheTau = -1;
    if (++events > maxEvents)
      throw new NumericalError(
        `${context} (event budget maxEvents = ${maxEvents} exhausted: Zeno behaviour or chattering? index = the unit whose switching event fired last)`,
        { kind: 'domain', step: steps, index: unit, time: t, value: events },
      );
    yield { done: s.count - 1, time: t };
  }
  return finish(s, x, steps, 0, events, info);
}

function requireConstantInput(net: LtnNet, context: string): Float64Array {
  if (!net.u)
    throw new ValidationError('u', `a constant input array for ${context} (a function u(t) is not piecewise linear)`, 'a function');
  if (net.n > 16) throw new ValidationError('d.length', `at most 16 units for ${context}`, net.n);
  return net.u;
}

function normInf(a: Float64Array, n: number): number {
  let best = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(a[i * n + j]);
    best = Math.max(best, s);
  }
  return best;
}

function maxOf(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i] > m) m = a[i];
  return m;
}

/**
 * Largest event budget a call of an event-driven method accepts for n units. Locating an event
 * takes 61 matrix exponentials of size n + 1, measured at about 1.2 ms + 5.5 µs·(n+1)³ in V8;
 * counted as 2e5 + 1000(n+1)³ work units, the events of one call stay within
 * {@link LTN_MAX_WORK}: 41297 for n = 1, 32537 for n = 3, 1668 for n = 16.
 */
export function ltnMaxEvents(n: number, options?: Record<string, never>): number {
  checkInteger('n', n, 1, 1 << 30);
  noOptions('ltnMaxEvents', options);
  return Math.floor(LTN_MAX_WORK / (2e5 + 1000 * w3(n)));
}

/** @internal The event budget option: default min(1e5, limit), at most the limit. */
export function checkMaxEvents(v: unknown, n: number): number {
  const limit = ltnMaxEvents(n);
  if (v === undefined) return Math.min(100_000, limit);
  return checkInteger('options.maxEvents', v, 1, limit);
}

/** @internal Sub-step of the event-driven LTN_γ: δ = min(sampleInterval, 0.5/‖M‖∞, 5/(γ max d)). */
export function ltnSubStep(net: LtnNet, g: number, sampleInterval: number): number {
  let dmax = sampleInterval;
  const mn = normInf(net.M, net.n);
  if (mn > 0) dmax = Math.min(dmax, 0.5 / mn);
  let dm = 0;
  for (let i = 0; i < net.n; i++) dm = Math.max(dm, g * net.d[i]);
  return Math.min(dmax, 5 / dm);
}

/** @internal Sub-step of the event-driven PDS: δ = min(sampleInterval, 0.5/‖M‖∞). */
export function pdsSubStep(net: LtnNet, sampleInterval: number): number {
  let dmax = sampleInterval;
  const mn = normInf(net.M, net.n);
  if (mn > 0) dmax = Math.min(dmax, 0.5 / mn);
  return dmax;
}

/** @internal Work of one event-driven run: sub-steps·(n+1)² plus two exponentials per sample. */
export function eventWork(n: number, duration: number, dmax: number, samples: number): number {
  return (Math.ceil(duration / dmax) + samples) * w2(n) + 32 * samples * w3(n);
}

function checkEventWork(where: string, n: number, c: RunCommon, dmax: number, samples: number): void {
  const work = eventWork(n, c.duration, dmax, samples);
  const perTime = work / c.duration;
  checkWork(
    'options.duration',
    c.duration,
    work,
    () => `at most ${fmt(LTN_MAX_WORK / perTime)} for the event-driven method on this network at this sampleInterval`,
    () => `${where}: ${fmt(Math.ceil(c.duration / dmax))} sub-steps of δ = ${fmt(dmax)} and ${fmt(samples)} samples`,
  );
}

function* exactLtn(
  net: LtnNet,
  g: number,
  x: Float64Array,
  c: RunCommon,
  maxEvents: number,
  s: Sampler,
  dmax: number,
  info: TrajInfo,
  where: string,
): Work<LtnTrajectory> {
  const u = net.u as Float64Array;
  const { n, d, W } = net;
  const n1 = n + 1;
  // s(x) = W_γ x + u, W_γ = W + (γ−1)D; active units (s_i > 0) follow ẋ_i = −γd_i x_i + s_i(x)
  const wg = Float64Array.from(W);
  for (let i = 0; i < n; i++) wg[i * n + i] += (g - 1) * d[i];
  // event rows g_i(x) = u_i + Σ_j (W_γ)_ij x_j, the same for every piece
  const ev = new Float64Array(n * n1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) ev[i * n1 + j] = wg[i * n + j];
    ev[i * n1 + n] = u[i];
  }
  const build = (y: Float64Array): Piece => {
    const aug = new Float64Array(n1 * n1);
    const evSign = new Int8Array(n);
    for (let i = 0; i < n; i++) {
      const active = eventValue(ev, i, n, y) > 0;
      evSign[i] = active ? 1 : -1;
      if (active) {
        for (let j = 0; j < n; j++) aug[i * n1 + j] = wg[i * n + j];
        aug[i * n1 + n] = u[i];
      }
      aug[i * n1 + i] -= g * d[i];
    }
    return { aug, ev, evSign };
  };
  return yield* exactDriver(n, x, c, build, () => {}, dmax, maxEvents, s, where, info);
}

// ---------------------------------------------------------------------------------------------
// fast limit: projected dynamical system

function preparePds(
  where: string,
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  options: unknown,
  keys: readonly string[],
): Prepared<LtnTrajectory> {
  const net = checkNetwork(spec, where);
  const x = checkOrthant('x0', x0, net.n);
  const o = strictOptions(where, 'options', options as PdsSimulateOptions & AsyncRunOptions, keys);
  const c = runCommon(o);
  const n = net.n;
  const method = checkMethod('options.method', o.method ?? (net.u && n <= 16 ? 'event-driven' : 'projected-euler'), [
    'projected-euler',
    'event-driven',
  ] as const);
  const maxEvents = checkMaxEvents(o.maxEvents, n);
  const info: TrajInfo = { system: 'pds', method, gamma: null };
  if (method === 'event-driven') {
    requireConstantInput(net, 'method "event-driven"');
    const samples = landingSamples(n, c);
    const dmax = pdsSubStep(net, c.sampleInterval);
    checkEventWork(where, n, c, dmax, samples);
    const s = new Sampler(n, samples + 1);
    const pr = new ProgressTracker(where, samples - 1, 'sample', o);
    return {
      work: exactPds(net, x, c, maxEvents, s, dmax, info, where),
      pr,
      partial: () => finish(s, x, 0, 0, 0, info),
      endTime: c.duration,
    };
  }
  const weight = w2(n);
  const fs = fixedSetup(where, n, c, weight);
  const f = new Float64Array(n);
  const ub = new Float64Array(n);
  const s = new Sampler(n, fs.samples);
  const pr = new ProgressTracker(where, fs.nSteps, fs.unit, o);
  const work = fixedStep(
    x,
    c,
    fs.nSteps,
    s,
    weight,
    (y, t, h) => {
      const u = inputAt(net, t, ub);
      for (let i = 0; i < n; i++) {
        let v = u[i];
        for (let j = 0; j < n; j++) v -= net.M[i * n + j] * y[j];
        f[i] = v;
      }
      for (let i = 0; i < n; i++) y[i] = Math.max(0, y[i] + h * f[i]);
    },
    where,
    info,
  );
  return { work, pr, partial: () => finish(s, x, 0, 0, 0, info), endTime: c.duration };
}

/**
 * Simulates the fast limit γ → ∞ of LTN_γ, the projected dynamical system
 * ẋ = Π_{ℝⁿ₊}(x, u − (D − W)x) on the orthant (our reconstruction, lif-ltn.md §2.3 [R]).
 * Dimensionless time (units of 1/d). Same work bounds, progress and cancellation as
 * {@link ltnSimulate}.
 * @example
 * ```ts
 * const tr = pdsSimulate({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] }, [2, 0], { duration: 20 });
 * ```
 */
export function pdsSimulate(spec: LtnNetworkSpec, x0: ArrayLike<number>, options: PdsSimulateOptions): LtnTrajectory {
  const p = preparePds('pdsSimulate', spec, x0, options, PDS_KEYS);
  return runWork(p.work, p.pr, p.partial, p.endTime);
}

/** {@link pdsSimulate}, yielding to the event loop every `sliceMs`; same result, bit for bit. */
export async function pdsSimulateAsync(
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  options: PdsSimulateOptions & AsyncRunOptions,
): Promise<LtnTrajectory> {
  const p = preparePds('pdsSimulateAsync', spec, x0, options, asyncKeys(PDS_KEYS));
  return runWorkAsync(p.work, p.pr, p.partial, p.endTime);
}

function* exactPds(
  net: LtnNet,
  x: Float64Array,
  c: RunCommon,
  maxEvents: number,
  s: Sampler,
  dmax: number,
  info: TrajInfo,
  where: string,
): Work<LtnTrajectory> {
  const u = net.u as Float64Array;
  const { n, M } = net;
  const n1 = n + 1;
  let scale = 1;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(u[i]));
  const tol = 1e-13 * scale;
  // release functions r_i(x) = (u_i − tol) − (Mx)_i: a clamped unit leaves its face when r_i > 0
  const rel = new Float64Array(n * n1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) rel[i * n1 + j] = -M[i * n + j];
    rel[i * n1 + n] = u[i] - tol;
  }
  const build = (y: Float64Array): Piece => {
    const aug = new Float64Array(n1 * n1);
    const ev = new Float64Array(n * n1);
    const evSign = new Int8Array(n);
    const clamped = new Uint8Array(n);
    // clamped: on the face x_i = 0 with the field pointing out, r_i(x) ≤ 0. The test is the
    // release event's own expression (eventValue on the same row), so a release located by the
    // event test is never undone here by rounding (an expression summed in another order could
    // call it −1e-17 and re-fire the event at the same time, forever).
    for (let i = 0; i < n; i++) clamped[i] = y[i] <= 0 && eventValue(rel, i, n, y) <= 0 ? 1 : 0;
    for (let i = 0; i < n; i++) {
      if (clamped[i]) {
        // leaves the face when r_i becomes positive
        for (let j = 0; j <= n; j++) ev[i * n1 + j] = rel[i * n1 + j];
        evSign[i] = -1;
      } else {
        for (let j = 0; j < n; j++) {
          aug[i * n1 + j] = clamped[j] ? 0 : -M[i * n + j];
        }
        aug[i * n1 + n] = u[i];
        // hits the face when x_i becomes negative
        ev[i * n1 + i] = 1;
        ev[i * n1 + n] = y[i] > 0 ? 0 : tol;
        evSign[i] = 1;
      }
    }
    return { aug, ev, evSign };
  };
  const after = (y: Float64Array) => {
    for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
  };
  return yield* exactDriver(n, x, c, build, after, dmax, maxEvents, s, where, info);
}

// ---------------------------------------------------------------------------------------------
// slow limit: linear complementarity system (hard-selector candidate)

function prepareLcs(
  where: string,
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  options: unknown,
  keys: readonly string[],
): Prepared<LtnTrajectory> {
  const net = checkNetwork(spec, where);
  const x = checkState('x0', x0, net.n);
  const o = strictOptions(where, 'options', options as LcsSimulateOptions & AsyncRunOptions, keys);
  const c = runCommon(o);
  const { n, d, M } = net;
  const weight = 4 * w3(n);
  const fs = fixedSetup(where, n, c, weight);
  const ub = new Float64Array(n);
  const q = new Float64Array(n);
  const Q = new Float64Array(n * n);
  const xb = new Float64Array(n);
  let cachedH = -1;
  let k = 0;
  const info: TrajInfo = { system: 'lcs', method: 'implicit', gamma: null };
  const s = new Sampler(n, fs.samples);
  const pr = new ProgressTracker(where, fs.nSteps, fs.unit, o);
  const work = fixedStep(
    x,
    c,
    fs.nSteps,
    s,
    weight,
    (y, t, h) => {
      if (h !== cachedH) {
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Q[i * n + j] = (h * M[i * n + j]) / (1 + h * d[j]);
        cachedH = h;
      }
      const u = inputAt(net, t + h, ub);
      for (let j = 0; j < n; j++) xb[j] = y[j] / (1 + h * d[j]);
      matvec(M, xb, n, q);
      for (let i = 0; i < n; i++) q[i] -= u[i];
      let lam: Float64Array;
      try {
        lam = lcpPrincipalPivoting(Q, q, n, 200 * n).z;
      } catch {
        try {
          lam = lcpLemke(Q, q, n).z;
        } catch (e) {
          // the step's LCP has no solution the pivoting methods can reach: report the step and unit
          if (e instanceof NumericalError)
            throw new NumericalError(`${where} (step LCP unsolved: ${e.message})`, {
              kind: 'domain',
              step: k,
              index: e.index,
              time: t + h,
              value: e.value,
            });
          throw e;
        }
      }
      for (let j = 0; j < n; j++) y[j] = (y[j] + h * lam[j]) / (1 + h * d[j]);
      k++;
    },
    where,
    info,
  );
  return { work, pr, partial: () => finish(s, x, 0, 0, 0, info), endTime: c.duration };
}

/**
 * Simulates the slow limit γ → 0 of LTN_γ in slow time s = γt, the linear complementarity system
 * dx/ds = −Dx + λ, 0 ≤ λ ⊥ Mx − u ≥ 0 — our candidate for the paper's hard-selector system
 * (lif-ltn.md §2.3 [R], low confidence; the paper's HSS definition is not confirmed).
 * Discretisation: implicit (Moreau–Stewart) time stepping x_{k+1} = (I + hD)⁻¹(x_k + hλ_{k+1})
 * with λ_{k+1} from the LCP 0 ≤ λ ⊥ M(I + hD)⁻¹(x_k + hλ) − u(s_{k+1}) ≥ 0 (principal pivoting;
 * Lemke when M is not a P-matrix). Order 1; a state with Mx − u < 0 jumps onto {Mx − u ≥ 0} in
 * the first step (the impulsive part of the limit). Dimensionless slow time.
 * @example
 * ```ts
 * const tr = lcsSimulate({ d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] }, [0, 0], { duration: 5, dt: 1e-3 });
 * ```
 */
export function lcsSimulate(spec: LtnNetworkSpec, x0: ArrayLike<number>, options: LcsSimulateOptions): LtnTrajectory {
  const p = prepareLcs('lcsSimulate', spec, x0, options, LCS_KEYS);
  return runWork(p.work, p.pr, p.partial, p.endTime);
}

/** {@link lcsSimulate}, yielding to the event loop every `sliceMs`; same result, bit for bit. */
export async function lcsSimulateAsync(
  spec: LtnNetworkSpec,
  x0: ArrayLike<number>,
  options: LcsSimulateOptions & AsyncRunOptions,
): Promise<LtnTrajectory> {
  const p = prepareLcs('lcsSimulateAsync', spec, x0, options, asyncKeys(LCS_KEYS));
  return runWorkAsync(p.work, p.pr, p.partial, p.endTime);
}

/**
 * @internal The generator behind an event-driven trajectory, for the analyses that run many of
 * them inside one call (`ltnGammaGap`, `ltnStabilityReport`): no tracker of its own, options
 * already checked by the caller.
 */
export function eventDrivenWork(
  system: 'ltn' | 'pds',
  net: LtnNet,
  x0: Float64Array,
  o: { duration: number; sampleInterval: number; gamma?: number; maxEvents: number },
  where: string,
): Work<LtnTrajectory> {
  const c: RunCommon = { duration: o.duration, sampleInterval: o.sampleInterval, dt: 1e-3 };
  const samples = Math.ceil(c.duration / c.sampleInterval) + 1;
  const s = new Sampler(net.n, samples + 1);
  const x = Float64Array.from(x0);
  if (system === 'pds') {
    return exactPds(net, x, c, o.maxEvents, s, pdsSubStep(net, c.sampleInterval), { system, method: 'event-driven', gamma: null }, where);
  }
  const g = o.gamma ?? 1;
  return exactLtn(net, g, x, c, o.maxEvents, s, ltnSubStep(net, g, c.sampleInterval), { system, method: 'event-driven', gamma: g }, where);
}
