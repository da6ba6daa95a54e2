/**
 * Single BRF / RF neurons: the divergence boundary, the one-step state transition and its
 * spectral radius (seed §3.2, Eq. 11–20), and a plain simulator of uncoupled neurons. Times are
 * in ms; ω is an angular frequency in rad/s and the damping b, p(ω) and b′ are rates in 1/s.
 * @packageDocumentation
 */
import { makeTable, Result, type TableOf } from '../contract/results.js';
import { NumericalError, ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { checkStatus, readFailure } from '../kernel/status.js';
import { checkChoice, checkFinite, checkFiniteArray, checkRange } from '../kernel/validate.js';
import { brfOptions } from './model.js';

/** The step option of the single-neuron analyses. */
export interface BrfStepOptions {
  /** Euler step δ, ms, in [1e-9, 10^6]. @default 10 (the reference's 0.01 s) */
  dt?: number;
}

function stepOf(where: string, options: BrfStepOptions | undefined): number {
  const o = brfOptions<BrfStepOptions>(where, 'options', options, ['dt']);
  // from 1e-9 ms: a smaller step underflows dt/1000 (s) and the closed forms divide by it
  return checkRange('dt', o.dt ?? 10, 1e-9, 1e6, { unit: 'ms' });
}

/**
 * Divergence boundary p(ω) = (−1 + √(1 − (δω)²))/δ (seed Eq. 8), in 1/s: the damping b at which
 * the Euler step of u̇ = (b + iω)u has |1 + δ(b + iω)| = 1 (δ = dt in s). Requires |ω| < 1/δ.
 * @example
 * ```ts
 * brfDivergenceBoundary(50); // ≈ −13.397 1/s at dt = 10 ms
 * brfDivergenceBoundary(50, { dt: 5 }); // ≈ −6.35
 * ```
 */
export function brfDivergenceBoundary(omega: number, options: BrfStepOptions = {}): number {
  const d = stepOf('brfDivergenceBoundary', options) / 1000;
  const w = checkFinite('omega', omega, 'rad/s');
  if (!(Math.abs(w) * d < 1)) throw new ValidationError('omega', `|ω| < 1/dt = ${1 / d} rad/s`, w);
  return (-1 + Math.sqrt(1 - d * w * d * w)) / d;
}

/**
 * The one-step transition ∂s^t/∂s^{t−1} of the resonator state s = (u, v) for damping b (1/s)
 * and frequency ω (rad/s) (seed Eq. 16), obtained by running the kernel's Euler step (RF
 * neuron, no input, no spike) on the unit vectors; row-major [a11, a12, a21, a22].
 * @example
 * ```ts
 * brfTransitionMatrix(30, -2); // [0.98, −0.3, 0.3, 0.98] at dt = 10 ms
 * ```
 */
export function brfTransitionMatrix(omega: number, b: number, options: BrfStepOptions = {}): Float64Array {
  const dt = stepOf('brfTransitionMatrix', options) / 1000;
  checkFinite('omega', omega, 'rad/s');
  checkFinite('b', b, '1/s');
  if (b > 0) throw new ValidationError('b', 'a damping ≤ 0 (1/s)', b);
  const k = kernel();
  const p = k.alloc(128) >>> 0;
  try {
    const f = () => new Float64Array(k.memory.buffer, p, 16);
    const m = new Float64Array(4);
    for (let col = 0; col < 2; col++) {
      const a = f();
      a.fill(0);
      a[1] = omega; // omega at p+8
      a[2] = -b; // b' at p+16 (RF: b = −|b′|)
      a[3] = col === 0 ? 1 : 0; // u
      a[4] = col === 1 ? 1 : 0; // v
      // x at p+0 (0), q at p+40, z at p+48; threshold +∞ so the neuron never spikes
      checkStatus(
        k.brfSimulate(1, 1, 1, p, p + 8, p + 16, dt, dt, Number.POSITIVE_INFINITY, 0, p + 24, p + 32, p + 40, p + 48),
        'brfTransitionMatrix',
      );
      const r = f();
      m[col] = r[3];
      m[2 + col] = r[4];
    }
    return m;
  } finally {
    k.free(p);
  }
}

/**
 * Largest eigenvalue modulus of a real 2×2 matrix [a11, a12, a21, a22].
 * @example
 * ```ts
 * spectralRadius2x2(brfTransitionMatrix(30, -2)); // √(0.98² + 0.3²) ≈ 1.0249
 * ```
 */
export function spectralRadius2x2(matrix: ArrayLike<number>): number {
  const m0 = checkFiniteArray('matrix', matrix, 4);
  // on the matrix scaled by its largest entry s (ρ(M) = s·ρ(M/s)), so products do not overflow
  let s = 0;
  for (let k = 0; k < 4; k++) s = Math.max(s, Math.abs(m0[k]));
  if (s === 0) return 0;
  const m = Array.from(m0, (x) => x / s);
  const tr = m[0] + m[3];
  const det = m[0] * m[3] - m[1] * m[2];
  const disc = (tr * tr) / 4 - det;
  const r = disc < 0 ? Math.sqrt(det) : Math.max(Math.abs(tr / 2 + Math.sqrt(disc)), Math.abs(tr / 2 - Math.sqrt(disc)));
  const rho = s * r;
  if (!Number.isFinite(rho)) throw new NumericalError('spectralRadius2x2', { kind: 'non-finite', step: 0, index: -1, time: 0, value: rho });
  return rho;
}

/**
 * Spectral radius of ∂s^t/∂s^{t−1} on a grid: `z[ib·nω + iω]` for ω = omegas[iω] (rad/s),
 * b = bs[ib] (1/s; row-major, b along y). Its radius-1 contour is the divergence boundary b = p(ω).
 * At most 10⁶ grid points.
 * @example
 * ```ts
 * const rho = brfSpectralRadiusGrid([10, 50, 90], [-60, -10, -1]); // 3×3, dt = 10 ms
 * ```
 */
export function brfSpectralRadiusGrid(omegas: ArrayLike<number>, bs: ArrayLike<number>, options: BrfStepOptions = {}): Float64Array {
  const dt = stepOf('brfSpectralRadiusGrid', options);
  const w = checkFiniteArray('omegas', omegas);
  const b = checkFiniteArray('bs', bs);
  if (w.length * b.length > 1e6) throw new ValidationError('omegas.length · bs.length', 'at most 10^6 grid points', w.length * b.length);
  for (let j = 0; j < b.length; j++) if (b[j] > 0) throw new ValidationError(`bs[${j}]`, 'a damping ≤ 0 (1/s)', b[j]);
  const z = new Float64Array(w.length * b.length);
  for (let j = 0; j < b.length; j++)
    for (let i = 0; i < w.length; i++) z[j * w.length + i] = spectralRadius2x2(brfTransitionMatrix(w[i], b[j], { dt }));
  return z;
}

/** Options of {@link simulateResonators}. */
export interface ResonatorSimOptions {
  /** `'brf'` (refractory q, smooth reset, boundary) or `'rf'` (b = −|b′|, no reset). @default 'brf' */
  model?: 'brf' | 'rf';
  /** Euler step δ, ms. @default 10 */
  dt?: number;
  /** δ of the divergence boundary, ms. @default dt */
  boundaryDt?: number;
  /** Threshold ϑ_c (dimensionless; BRF spikes when u > ϑ_c + q). @default 1 */
  vThreshold?: number;
  /** Refractory decay γ per step (q ← γq + z). @default 0.9 */
  gamma?: number;
}

/** Trajectory of {@link simulateResonators}: the state after each step, [T][n] row-major. */
export class ResonatorTrace extends Result {
  readonly kind = 'brf.trace';
  /** Step δ, ms. */
  readonly dt: number;
  /** Steps T. */
  readonly steps: number;
  /** Neurons n. */
  readonly neurons: number;
  /** Time of each row, ms: row k is the state after k + 1 steps from rest at time 0, time[k] = (k + 1)·dt. */
  readonly time: Float64Array;
  /** Real part u of the resonator state (membrane potential, dimensionless), [T][n]. */
  readonly u: Float64Array;
  /** Imaginary part v of the resonator state (dimensionless), [T][n]. */
  readonly v: Float64Array;
  /** Refractory variable q (q ← γq + z; 0 for RF), [T][n]. */
  readonly q: Float64Array;
  /** Spikes z ∈ {0, 1}, z = [u − ϑ_c − q > 0], [T][n]. */
  readonly spikes: Float64Array;
  /** @internal */
  constructor(dt: number, steps: number, neurons: number) {
    super();
    this.dt = dt;
    this.steps = steps;
    this.neurons = neurons;
    this.time = Float64Array.from({ length: steps }, (_, k) => (k + 1) * dt);
    this.u = new Float64Array(steps * neurons);
    this.v = new Float64Array(steps * neurons);
    this.q = new Float64Array(steps * neurons);
    this.spikes = new Float64Array(steps * neurons);
  }

  /** The spikes as a table: neuron index, step index (0-based row of the trace) and time (ms). */
  spikeTable(): TableOf<{ neuron: Int32Array; step: Int32Array; time: Float64Array }> {
    let m = 0;
    for (const z of this.spikes) if (z !== 0) m++;
    const neuron = new Int32Array(m);
    const step = new Int32Array(m);
    const time = new Float64Array(m);
    let k = 0;
    for (let t = 0; t < this.steps; t++)
      for (let i = 0; i < this.neurons; i++)
        if (this.spikes[t * this.neurons + i] !== 0) {
          neuron[k] = i;
          step[k] = t;
          time[k] = this.time[t];
          k++;
        }
    return makeTable(
      'brf.spikes',
      {
        neuron: { data: neuron, unit: '', description: 'neuron index' },
        step: { data: step, unit: '', description: 'row of the trace (0-based step index)' },
        time: { data: time, unit: 'ms', description: 'spike time (end of the step)' },
      },
      { dt: this.dt },
    );
  }
}

/**
 * Simulates n uncoupled BRF / RF neurons driven by currents `input` [T][n] from rest, with the
 * Euler step of Algorithm 1 (δ = dt in s): b = p(ω) − b′ − q; u ← u + δ(bu − ωv + x);
 * v ← v + δ(ωu + bv); z = [u − ϑ_c − q > 0]; q ← γq + z. ω (`omega`) in rad/s, b′ (`bOffset`)
 * in 1/s. For BRF, |ω| ≥ 1/δ is an error (never a silent NaN). At most 2^26 neuron-steps.
 * @example
 * ```ts
 * const tr = simulateResonators([10, 40], [0.5, 0.5], new Float64Array(2 * 100).fill(60)); // 100 steps of 10 ms, 2 neurons
 * tr.spikes; // [T][n]
 * tr.spikeTable().time; // ms
 * ```
 */
export function simulateResonators(
  omega: ArrayLike<number>,
  bOffset: ArrayLike<number>,
  input: ArrayLike<number>,
  options: ResonatorSimOptions = {},
): ResonatorTrace {
  const o = brfOptions<ResonatorSimOptions>('simulateResonators', 'options', options, ['model', 'dt', 'boundaryDt', 'vThreshold', 'gamma']);
  const model = checkChoice('model', o.model ?? 'brf', ['brf', 'rf'] as const);
  const dtMs = checkRange('dt', o.dt ?? 10, 0, 1e6, { loOpen: true, unit: 'ms' });
  const bdtMs = checkRange('boundaryDt', o.boundaryDt ?? dtMs, 0, 1e6, { loOpen: true, unit: 'ms' });
  const dt = dtMs / 1000;
  const bdt = bdtMs / 1000;
  const theta = checkFinite('vThreshold', o.vThreshold ?? 1);
  const gamma = checkRange('gamma', o.gamma ?? 0.9, 0, 1);
  const w = checkFiniteArray('omega', omega);
  const n = w.length;
  const bo = checkFiniteArray('bOffset', bOffset, n);
  const x = checkFiniteArray('input', input);
  if (n === 0) throw new ValidationError('omega.length', 'at least 1 neuron', n);
  if (x.length === 0 || x.length % n !== 0)
    throw new ValidationError('input.length', `a positive multiple of omega.length = ${n}`, x.length);
  const T = x.length / n;
  if (T * n > 2 ** 26) throw new ValidationError('input.length', 'at most 2^26 neuron-steps', x.length);
  if (model === 'brf')
    for (let i = 0; i < n; i++)
      if (!(Math.abs(w[i]) * bdt < 1)) throw new ValidationError(`omega[${i}]`, `|ω| < 1/boundaryDt = ${1 / bdt} rad/s`, w[i]);
  const k = kernel();
  const bytes = 8 * (3 * n + 3 * n + 2 * T * n);
  const p = k.alloc(bytes) >>> 0;
  try {
    const view = (off: number, len: number) => new Float64Array(k.memory.buffer, p + 8 * off, len);
    view(0, T * n).set(x);
    view(T * n, n).set(w);
    view(T * n + n, n).set(bo);
    const uo = T * n + 2 * n;
    const zo = uo + 3 * n;
    const trace = new ResonatorTrace(dtMs, T, n);
    // one step per call so the whole trajectory is recorded (chunks of the input)
    for (let t = 0; t < T; t++) {
      const code = k.brfSimulate(
        model === 'brf' ? 0 : 1,
        n,
        1,
        p + 8 * t * n,
        p + 8 * (T * n),
        p + 8 * (T * n + n),
        dt,
        bdt,
        theta,
        gamma,
        p + 8 * uo,
        p + 8 * (uo + n),
        p + 8 * (uo + 2 * n),
        p + 8 * (zo + t * n),
      );
      if (code !== 0) {
        const f = readFailure(code);
        throw new NumericalError('simulateResonators', { ...f, step: t + 1, time: (t + 1) * dtMs });
      }
      trace.u.set(view(uo, n), t * n);
      trace.v.set(view(uo + n, n), t * n);
      trace.q.set(view(uo + 2 * n, n), t * n);
    }
    trace.spikes.set(view(zo, T * n));
    return trace;
  } finally {
    k.free(p);
  }
}
