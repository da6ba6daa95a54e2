/**
 * Batch integration in the WASM kernel (`ltnBatchRun`): many initial conditions and/or a sweep
 * over γ or over inputs, advanced together with explicit Euler, RK4 or the projected Euler step of
 * the fast-limit PDS. Dimensionless time (units of 1/d).
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { type AsyncRunOptions, ProgressTracker, type RunOptions } from '../contract/progress.js';
import { makeTable, type Table } from '../contract/results.js';
import { DisposedError, NumericalError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, MAX_REGION_BYTES, type Region } from '../kernel/region.js';
import { readFailure } from '../kernel/status.js';
import { checkBoolean, checkChoice, checkFiniteArray, checkPositive, isNumericArray } from '../kernel/validate.js';
import { assertStableStep } from './dynamics.js';
import { checkNetwork, type LtnNet, type LtnNetworkSpec } from './network.js';
import { checkWork, fmt, LTN_MAX_WORK, runWork, runWorkAsync, type Work } from './work.js';

/** Options of {@link LtnBatch}. */
export interface LtnBatchOptions {
  /** Step size (dimensionless time, units of 1/d). */
  dt: number;
  /**
   * "euler" / "rk4": LTN_γ; "pds": projected Euler x ← [x + h(u − Mx)]_+ of the fast limit.
   * @default "rk4"
   */
  method?: 'euler' | 'rk4' | 'pds';
  /** γ for every trajectory (number) or one per trajectory. @default 1 */
  gamma?: number | ArrayLike<number>;
  /** Per-trajectory constant inputs (m rows of n); default: the network's u for all. */
  inputs?: ArrayLike<number>[];
  /** Refuse steps outside the linear stability region (see `ltnMaxStableStep`; n ≤ 64). @default true */
  checkStability?: boolean;
}

const BATCH_KEYS = optionKeys<LtnBatchOptions>()(['dt', 'method', 'gamma', 'inputs', 'checkStability']);
const RUN_KEYS = optionKeys<RunOptions>()(['signal', 'onProgress']);
const ASYNC_RUN_KEYS = optionKeys<AsyncRunOptions>()(['signal', 'onProgress', 'sliceMs']);

/** Largest kernel region of one batch (bytes): the kernel's region limit, 992 MiB ({@link MAX_REGION_BYTES}). */
export const LTN_BATCH_MAX_BYTES = MAX_REGION_BYTES;

/**
 * m trajectories of LTN_γ (or of the PDS) held in kernel memory and advanced by the WASM kernel
 * in chunks of ≤ 100 steps. Trajectory k uses its own γ_k and input row; constant inputs only.
 * Results are bit-identical in every runtime and independent of the chunking. Time is
 * dimensionless (units of 1/d).
 * @example
 * ```ts
 * using b = new LtnBatch(net, [[0, 0], [2, 1]], { dt: 1e-2, gamma: [1, 10] });
 * b.run(20);
 * b.states().x1;     // Float64Array: unit 0 of every trajectory
 * b.stateArray();    // Float64Array of 2 × n final states, row-major
 * ```
 */
export class LtnBatch extends KernelObject {
  /** Units per trajectory. */
  readonly n: number;
  /** Number of trajectories. */
  readonly m: number;
  /** Step size (dimensionless). */
  readonly dt: number;
  /** Integer steps taken so far (time = step · dt). */
  step = 0;
  readonly #net: LtnNet;
  readonly #method: number;
  readonly #uStride: number;
  readonly #gammas: Float64Array;
  readonly #region: Region;
  readonly #off: { d: number; w: number; u: number; g: number; x: number; s: number };

  /**
   * @param spec - the network { d, W, u }
   * @param initial - m initial states of n units (x0 ≥ 0 for "pds")
   * @param options - step, method, γ, inputs; checked strictly
   */
  constructor(spec: LtnNetworkSpec, initial: ArrayLike<number>[], options: LtnBatchOptions) {
    super();
    const net = checkNetwork(spec, 'LtnBatch');
    const o = strictOptions('LtnBatch', 'options', options, BATCH_KEYS);
    const dt = checkPositive('options.dt', o.dt);
    const method = checkChoice('options.method', o.method ?? 'rk4', ['euler', 'rk4', 'pds']);
    if (!Array.isArray(initial) || initial.length === 0)
      throw new ValidationError('initial', 'a non-empty array of initial states', initial);
    const n = net.n;
    const m = initial.length;
    // size the kernel region before anything is allocated
    const uRows = o.inputs !== undefined ? m : 1;
    const bytes = 8 * (n + n * n + uRows * n + m + m * n + 14 * n);
    if (!(bytes <= LTN_BATCH_MAX_BYTES))
      throw new ValidationError(
        'initial.length',
        `at most ${Math.floor((LTN_BATCH_MAX_BYTES / 8 - n - n * n - 14 * n) / (1 + n + (uRows > 1 ? n : 0)))} trajectories of ${n} units (one batch holds at most 992 MiB of kernel memory, ${fmt(bytes)} bytes asked for)`,
        m,
      );
    const x = new Float64Array(m * n);
    initial.forEach((r, k) => {
      const v = checkFiniteArray(`initial[${k}]`, r, n);
      if (method === 'pds')
        v.forEach((xi, i) => {
          if (xi < 0) throw new ValidationError(`initial[${k}][${i}]`, 'a finite number >= 0 (the PDS lives on the orthant)', xi);
        });
      x.set(v, k * n);
    });
    const gammas = new Float64Array(m);
    const g = o.gamma ?? 1;
    if (typeof g === 'number') gammas.fill(checkPositive('options.gamma', g));
    else if (isNumericArray(g)) gammas.set(checkFiniteArray('options.gamma', g, m, (nm, v) => checkPositive(nm, v)));
    else throw new ValidationError('options.gamma', 'a number > 0 or an array of m numbers > 0', g);
    let u: Float64Array;
    let uStride = 0;
    if (o.inputs !== undefined) {
      if (!Array.isArray(o.inputs) || o.inputs.length !== m)
        throw new ValidationError('options.inputs', `${m} rows of ${n} inputs`, o.inputs);
      u = new Float64Array(m * n);
      for (let k = 0; k < m; k++) u.set(checkFiniteArray(`options.inputs[${k}]`, o.inputs[k], n), k * n);
      uStride = n;
    } else {
      if (!net.u) throw new ValidationError('u', 'a constant input array (LtnBatch runs in the kernel)', 'a function');
      u = net.u;
    }
    if (checkBoolean('options.checkStability', o.checkStability ?? true)) {
      if (method === 'pds') assertStableStep(net, [], dt, 'euler', true, 'LtnBatch');
      else assertStableStep(net, new Set(gammas), dt, method, false, 'LtnBatch');
    }
    this.n = n;
    this.m = m;
    this.dt = dt;
    this.#net = net;
    this.#method = method === 'euler' ? 0 : method === 'rk4' ? 1 : 2;
    this.#uStride = uStride;
    this.#gammas = gammas;
    const off = { d: 0, w: n * 8, u: 0, g: 0, x: 0, s: 0 };
    off.u = off.w + n * n * 8;
    off.g = off.u + u.length * 8;
    off.x = off.g + m * 8;
    off.s = off.x + m * n * 8;
    this.#off = off;
    try {
      this.#region = this.allocate(off.s + 14 * n * 8, 'ltn.batch');
      const r = this.#region;
      r.f64(off.d, n).set(net.d);
      r.f64(off.w, n * n).set(net.W);
      r.f64(off.u, u.length).set(u);
      r.f64(off.g, m).set(gammas);
      r.f64(off.x, m * n).set(x);
    } catch (e) {
      // a failed constructor frees what it allocated
      this.dispose();
      throw e;
    }
  }

  #prepare(where: string, duration: number, options: unknown, keys: readonly string[]) {
    this.assertLive();
    const steps = Math.round(checkPositive('duration', duration) / this.dt);
    const o = strictOptions(where, 'options', options as AsyncRunOptions, keys);
    const weight = this.m * (this.n + 1) * (this.n + 1) * (this.#method === 1 ? 4 : 1);
    checkWork(
      'duration',
      duration,
      steps * weight,
      () =>
        `at most ${fmt((LTN_MAX_WORK / weight) * this.dt)} per call for ${this.m} trajectories of ${this.n} units at dt = ${this.dt} (run again to continue)`,
      () => `${where}: ${fmt(steps)} steps × ${fmt(weight)} units`,
    );
    const pr = new ProgressTracker(where, steps, 'step', o);
    const start = this.step;
    return { work: this.#work(steps, where), pr, partial: () => ({ step: this.step, stepsDone: this.step - start }) };
  }

  /**
   * The steps as chunks of kernel calls: ≤ 100 steps and about 2^20 work units per call, so a
   * call lasts well under a millisecond and the signal is seen between calls. A `dispose()` from a
   * callback stops the run with DisposedError before the next kernel call.
   */
  *#work(steps: number, where: string): Work<this> {
    const k = kernel();
    const off = this.#off;
    const perStep = this.m * (this.n + 1) * (this.n + 1) * (this.#method === 1 ? 4 : 1);
    const chunkSteps = Math.max(1, Math.min(100, Math.floor(2 ** 20 / perStep)));
    let done = 0;
    while (done < steps) {
      if (this.disposed) throw new DisposedError(`${where}: LtnBatch (disposed during the run)`);
      const chunk = Math.min(chunkSteps, steps - done);
      const p = this.#region.ptr;
      const code = k.ltnBatchRun(
        this.n,
        this.m,
        p + off.d,
        p + off.w,
        p + off.u,
        this.#uStride,
        p + off.g,
        p + off.x,
        this.dt,
        chunk,
        this.#method,
        p + off.s,
      );
      if (code !== 0) {
        // the kernel counts steps from the start of its call: report them from the batch's start
        const f = readFailure(code);
        throw new NumericalError(`${where} (trajectory ${Math.floor(f.index / this.n)}, unit ${f.index % this.n})`, {
          ...f,
          step: this.step + f.step,
          time: (this.step + f.step + 1) * this.dt,
        });
      }
      done += chunk;
      this.step += chunk;
      yield { done, time: this.time, report: true };
    }
    return this;
  }

  /**
   * Advances every trajectory by `duration` (dimensionless; rounded to whole steps of dt).
   * Throws NumericalError on a non-finite state: `index` = k·n + i (trajectory k, unit i), `step`
   * counted from the batch's start, `time` = the model time of the non-finite state; the states
   * stay readable. Progress counts steps; `signal` is checked between kernel calls. Refused up
   * front when steps × m × (n + 1)² (× 4 for RK4) exceeds `LTN_MAX_WORK`.
   */
  run(duration: number, options?: RunOptions): this {
    const p = this.#prepare('LtnBatch.run', duration, options, RUN_KEYS);
    return runWork(p.work, p.pr, p.partial, this.time);
  }

  /** {@link LtnBatch.run}, yielding to the event loop every `sliceMs`; same states, bit for bit. */
  async runAsync(duration: number, options?: AsyncRunOptions): Promise<this> {
    const p = this.#prepare('LtnBatch.runAsync', duration, options, ASYNC_RUN_KEYS);
    const r = await runWorkAsync(p.work, p.pr, p.partial);
    return r;
  }

  /** Current states (copy): m rows of n, row-major. */
  stateArray(): Float64Array {
    this.assertLive();
    return this.#region.f64(this.#off.x, this.m * this.n).slice();
  }

  /**
   * Current states as a table, one row per trajectory: `trajectory` (index), `gamma` (γ_k) and
   * `x1` … `xn` (unit i in column x{i+1}; the activity unit of u). Metadata: step, time, dt.
   */
  states(): Table {
    const a = this.stateArray();
    const n = this.n;
    const cols: Record<string, { data: Float64Array | Int32Array; unit: string; description: string }> = {
      trajectory: { data: Int32Array.from({ length: this.m }, (_, k) => k), unit: '', description: 'trajectory index k' },
      gamma: { data: this.#gammas.slice(), unit: '1', description: 'family parameter γ_k of the trajectory' },
    };
    for (let i = 0; i < n; i++) {
      const c = new Float64Array(this.m);
      for (let k = 0; k < this.m; k++) c[k] = a[k * n + i];
      cols[`x${i + 1}`] = { data: c, unit: '1', description: `activity of unit ${i} (the unit of u)` };
    }
    return makeTable('ltn.batchStates', cols, { step: this.step, time: this.time, dt: this.dt, timeUnit: 'dimensionless (1/d)' });
  }

  /** Current time step · dt (dimensionless). */
  get time(): number {
    return this.step * this.dt;
  }

  /** The validated network (internal use). @internal */
  get network(): LtnNet {
    return this.#net;
  }
}
