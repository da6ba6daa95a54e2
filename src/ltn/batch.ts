/**
 * Batch integration in the WASM kernel (`ltnBatchRun`): many initial conditions and/or a sweep
 * over γ or over inputs, advanced together with explicit Euler, RK4 or the projected Euler step of
 * the fast-limit PDS.
 * @packageDocumentation
 */
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { KernelObject, type Region } from '../kernel/region.js';
import { checkStatus } from '../kernel/status.js';
import {
  checkBoolean,
  checkChoice,
  checkFiniteArray,
  checkOptions,
  checkPositive,
  checkSignal,
  isNumericArray,
} from '../kernel/validate.js';
import { assertStableStep } from './dynamics.js';
import { checkNetwork, type LtnNet, type LtnNetworkSpec } from './network.js';

/** Options of {@link LtnBatch}. */
export interface LtnBatchOptions {
  /** Step size. */
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
  /** Refuse steps outside the linear stability region (see `ltnMaxStableStep`). @default true */
  checkStability?: boolean;
}

/**
 * m trajectories of LTN_γ (or of the PDS) held in kernel memory and advanced by the WASM kernel
 * in chunks of ≤ 100 steps. Trajectory k uses its own γ_k and input row; constant inputs only.
 * Results are bit-identical in every runtime and independent of the chunking.
 * @example
 * ```ts
 * using b = new LtnBatch(net, [[0, 0], [2, 1]], { dt: 1e-2, gamma: [1, 10] });
 * b.run(20);
 * b.states(); // Float64Array of 2 × n final states
 * ```
 */
export class LtnBatch extends KernelObject {
  /** Units per trajectory. */
  readonly n: number;
  /** Number of trajectories. */
  readonly m: number;
  /** Step size. */
  readonly dt: number;
  /** Integer steps taken so far (time = step · dt). */
  step = 0;
  readonly #net: LtnNet;
  readonly #method: number;
  readonly #uStride: number;
  readonly #region: Region;
  readonly #off: { d: number; w: number; u: number; g: number; x: number; s: number };

  constructor(spec: LtnNetworkSpec, initial: ArrayLike<number>[], options: LtnBatchOptions) {
    super();
    const net = checkNetwork(spec);
    const o = checkOptions('options', options);
    const dt = checkPositive('options.dt', o.dt);
    const method = checkChoice('options.method', o.method ?? 'rk4', ['euler', 'rk4', 'pds']);
    if (!Array.isArray(initial) || initial.length === 0)
      throw new ValidationError('initial', 'a non-empty array of initial states', initial);
    const n = net.n;
    const m = initial.length;
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
      if (method === 'pds') assertStableStep(net, 1, dt, 'euler', true, 'LtnBatch');
      else for (const gv of new Set(gammas)) assertStableStep(net, gv, dt, method, false, 'LtnBatch');
    }
    this.n = n;
    this.m = m;
    this.dt = dt;
    this.#net = net;
    this.#method = method === 'euler' ? 0 : method === 'rk4' ? 1 : 2;
    this.#uStride = uStride;
    const off = { d: 0, w: n * 8, u: 0, g: 0, x: 0, s: 0 };
    off.u = off.w + n * n * 8;
    off.g = off.u + u.length * 8;
    off.x = off.g + m * 8;
    off.s = off.x + m * n * 8;
    this.#off = off;
    this.#region = this.allocate(off.s + 14 * n * 8, 'ltn.batch');
    const r = this.#region;
    r.f64(off.d, n).set(net.d);
    r.f64(off.w, n * n).set(net.W);
    r.f64(off.u, u.length).set(u);
    r.f64(off.g, m).set(gammas);
    r.f64(off.x, m * n).set(x);
  }

  /**
   * Advances every trajectory by `duration` (rounded to whole steps of dt), ≤ 100 steps per
   * kernel call. Throws NumericalError (non-finite state; trajectory k = index ÷ n) with the
   * state before the failing chunk kept readable.
   */
  run(duration: number, options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal }): this {
    this.assertLive();
    const steps = Math.round(checkPositive('duration', duration) / this.dt);
    const o = checkOptions('options', options);
    const signal = checkSignal('options.signal', o.signal);
    const k = kernel();
    const p = this.#region.ptr;
    const off = this.#off;
    let done = 0;
    while (done < steps) {
      if (signal?.aborted) throw new AbortedError('LtnBatch.run was aborted', { step: this.step });
      const chunk = Math.min(100, steps - done);
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
      checkStatus(code, 'LtnBatch.run');
      done += chunk;
      this.step += chunk;
      o.onProgress?.(done / steps);
    }
    return this;
  }

  /** Current states (copy): m rows of n, row-major. */
  states(): Float64Array {
    this.assertLive();
    return this.#region.f64(this.#off.x, this.m * this.n).slice();
  }

  /** Current time step · dt. */
  get time(): number {
    return this.step * this.dt;
  }

  /** The validated network (internal use). @internal */
  get network(): LtnNet {
    return this.#net;
  }
}
