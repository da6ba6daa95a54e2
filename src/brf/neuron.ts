/**
 * Single BRF / RF neurons: the divergence boundary, the one-step state transition and its
 * spectral radius (seed §3.2, Eq. 11–20), and a plain simulator of uncoupled neurons.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { kernel } from '../kernel/load.js';
import { checkStatus } from '../kernel/status.js';
import { checkChoice, checkFinite, checkFiniteArray, checkInteger, checkPositive, checkRange } from '../kernel/validate.js';

/**
 * Divergence boundary p(ω) = (−1 + √(1 − (δω)²))/δ (seed Eq. 8): the damping b at which the
 * Euler step of u̇ = (b + iω)u has |1 + δ(b + iω)| = 1. Requires |ω| < 1/δ.
 * @example
 * ```ts
 * brfDivergenceBoundary(50, 0.01); // ≈ −13.397
 * ```
 */
export function brfDivergenceBoundary(omega: number, dt = 0.01): number {
  checkPositive('dt', dt, 's');
  const w = checkFinite('omega', omega, 'rad/s');
  if (!(Math.abs(w) * dt < 1)) throw new ValidationError('omega', `|ω| < 1/dt = ${1 / dt} rad/s`, w);
  return (-1 + Math.sqrt(1 - dt * w * dt * w)) / dt;
}

/**
 * The one-step transition ∂s^t/∂s^{t−1} of the resonator state s = (u, v) for damping b and
 * frequency ω (seed Eq. 16), obtained by running the kernel's Euler step (RF neuron, no input, no
 * spike) on the unit vectors; row-major [a11, a12, a21, a22].
 */
export function brfTransitionMatrix(omega: number, b: number, dt = 0.01): Float64Array {
  checkFinite('omega', omega, 'rad/s');
  checkFinite('b', b);
  checkPositive('dt', dt, 's');
  if (b > 0) throw new ValidationError('b', 'a damping ≤ 0', b);
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

/** Largest eigenvalue modulus of a real 2×2 matrix [a11, a12, a21, a22]. */
export function spectralRadius2x2(m: ArrayLike<number>): number {
  const tr = m[0] + m[3];
  const det = m[0] * m[3] - m[1] * m[2];
  const disc = (tr * tr) / 4 - det;
  if (disc < 0) return Math.sqrt(det); // complex pair: |λ|² = det
  const r = Math.sqrt(disc);
  return Math.max(Math.abs(tr / 2 + r), Math.abs(tr / 2 - r));
}

/**
 * Spectral radius of ∂s^t/∂s^{t−1} on a grid: `z[ib·nω + iω]` for ω = omegas[iω], b = bs[ib]
 * (row-major, b along y). Its radius-1 contour is the divergence boundary b = p(ω).
 * @example
 * ```ts
 * const rho = brfSpectralRadiusGrid([10, 50, 90], [-60, -10, -1]); // 3×3, dt = 0.01
 * ```
 */
export function brfSpectralRadiusGrid(omegas: ArrayLike<number>, bs: ArrayLike<number>, dt = 0.01): Float64Array {
  const w = checkFiniteArray('omegas', omegas);
  const b = checkFiniteArray('bs', bs);
  const z = new Float64Array(w.length * b.length);
  for (let j = 0; j < b.length; j++)
    for (let i = 0; i < w.length; i++) z[j * w.length + i] = spectralRadius2x2(brfTransitionMatrix(w[i], b[j], dt));
  return z;
}

/** Options of {@link simulateResonators}. */
export interface ResonatorSimOptions {
  /** `'brf'` (refractory q, smooth reset, boundary) or `'rf'` (b = −|b′|, no reset). @default 'brf' */
  model?: 'brf' | 'rf';
  /** Euler step δ, s. @default 0.01 */
  dt?: number;
  /** δ of the divergence boundary. @default dt */
  boundaryDt?: number;
  /** Threshold ϑ_c. @default 1 */
  thetaC?: number;
  /** Refractory decay γ. @default 0.9 */
  gamma?: number;
}

/** Trajectory of {@link simulateResonators}: state after each step, [T][n]. */
export interface ResonatorTrace {
  u: Float64Array;
  v: Float64Array;
  q: Float64Array;
  spikes: Float64Array;
}

/**
 * Simulates n uncoupled BRF / RF neurons driven by currents `input` [T][n] from rest, with the
 * Euler step of Algorithm 1: b = p(ω) − b′ − q; u ← u + δ(bu − ωv + x); v ← v + δ(ωu + bv);
 * z = [u − ϑ_c − q > 0]; q ← γq + z. For BRF, |ω| ≥ 1/δ is an error (never a silent NaN).
 * @example
 * ```ts
 * const tr = simulateResonators([10, 40], [0.5, 0.5], new Float64Array(2 * 100).fill(60)); // 100 steps, 2 neurons
 * tr.spikes; // [T][n]
 * ```
 */
export function simulateResonators(
  omega: ArrayLike<number>,
  bOffset: ArrayLike<number>,
  input: ArrayLike<number>,
  o: ResonatorSimOptions = {},
): ResonatorTrace {
  const model = checkChoice('model', o.model ?? 'brf', ['brf', 'rf'] as const);
  const dt = checkPositive('dt', o.dt ?? 0.01, 's');
  const bdt = checkPositive('boundaryDt', o.boundaryDt ?? dt, 's');
  const theta = checkFinite('thetaC', o.thetaC ?? 1);
  const gamma = checkRange('gamma', o.gamma ?? 0.9, 0, 1);
  const w = checkFiniteArray('omega', omega);
  const n = w.length;
  const bo = checkFiniteArray('bOffset', bOffset, n);
  const x = checkFiniteArray('input', input);
  if (n === 0 || x.length % n !== 0) throw new ValidationError('input.length', `a multiple of omega.length = ${n}`, x.length);
  const T = checkInteger('input.length / n', x.length / n, 1);
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
    const trace: ResonatorTrace = {
      u: new Float64Array(T * n),
      v: new Float64Array(T * n),
      q: new Float64Array(T * n),
      spikes: new Float64Array(T * n),
    };
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
      checkStatus(code, 'simulateResonators');
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
