/**
 * Linear-threshold network parameters and their validation.
 *
 * Model (seed 004; research note lif-ltn.md §2.2): ẋ = −Dx + [Wx + u]_+ with D = diag(d) ≻ 0,
 * W ∈ ℝ^{n×n}, u ∈ ℝ^n (constant or a function of time). Time is dimensionless (d in units of
 * 1/time); x, u and W x are in the same (rate) unit.
 * @packageDocumentation
 */

import { unknownOptionError } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, isNumericArray } from '../kernel/validate.js';

/** A time-varying input u(t) (must return n finite numbers). */
export type LtnInputFn = (t: number) => ArrayLike<number>;

/**
 * A linear-threshold network ẋ = −Dx + [Wx + u]_+ (seed 004).
 * @example
 * ```ts
 * const net: LtnNetworkSpec = { d: [1, 3], W: [[0.2, -1.5], [1, 0.5]], u: [1, 0.5] };
 * ```
 */
export interface LtnNetworkSpec {
  /** Dissipation rates d_i > 0 (1/time), D = diag(d). */
  d: ArrayLike<number>;
  /** Recurrent weights, n rows of n numbers, or a row-major array of length n². */
  W: ArrayLike<number>[] | ArrayLike<number>;
  /** External input: n numbers, or a function t ↦ u(t). @default all zeros */
  u?: ArrayLike<number> | LtnInputFn;
}

/** @internal A validated network. `W` and `M = D − W` are row-major n×n. */
export interface LtnNet {
  n: number;
  d: Float64Array;
  W: Float64Array;
  M: Float64Array;
  /** Constant input, or null when `uFn` is set. */
  u: Float64Array | null;
  uFn: LtnInputFn | null;
}

/** Largest |γ·d_i|, |γ·w_ij| accepted: LTN_γ's coefficients, with headroom for the sums of the field. */
const GAMMA_SCALE_MAX = 1e150;

/**
 * @internal γ > 0 small enough that γD and γW stay well inside the doubles
 * (γ·max(|d_i|, |w_ij|) ≤ 1e150); beyond, LTN_γ's coefficients overflow and nothing computed
 * from them is a number.
 */
export function checkGamma(name: string, v: unknown, net: LtnNet): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValidationError(name, 'a finite number > 0', v);
  let s = 0;
  for (const x of net.d) s = Math.max(s, Math.abs(x));
  for (const x of net.W) s = Math.max(s, Math.abs(x));
  if (v * s > GAMMA_SCALE_MAX)
    throw new ValidationError(name, `a number in (0, ${(GAMMA_SCALE_MAX / s).toPrecision(3)}] (γ·max(|d|, |W|) <= 1e150)`, v);
  return v;
}

/** @internal Validates a matrix given as rows or row-major; returns row-major n×n. */
export function checkSquare(name: string, v: unknown, n?: number): { a: Float64Array; n: number } {
  if (!isNumericArray(v) && !Array.isArray(v)) throw new ValidationError(name, 'a square matrix (array of rows)', v);
  if ((v as ArrayLike<unknown>).length === 0) throw new ValidationError(name, 'a non-empty square matrix (at least 1×1)', v);
  const arr = v as ArrayLike<unknown>;
  if (arr.length > 0 && isNumericArray(arr[0] as unknown)) {
    const rows = arr as ArrayLike<ArrayLike<number>>;
    const m = n ?? rows.length;
    if (rows.length !== m) throw new ValidationError(`${name}.length`, `${m} rows`, rows.length);
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      if (!isNumericArray(r)) throw new ValidationError(`${name}[${i}]`, `a row of ${m} numbers`, r);
      if (r.length !== m) throw new ValidationError(`${name}[${i}].length`, `${m} (a square matrix)`, r.length);
      for (let j = 0; j < m; j++) {
        const x = r[j];
        if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValidationError(`${name}[${i}][${j}]`, 'a finite number', x);
        a[i * m + j] = x;
      }
    }
    return { a, n: m };
  }
  if (!isNumericArray(arr)) throw new ValidationError(name, 'a square matrix (array of rows)', v);
  const m = n ?? Math.round(Math.sqrt(arr.length));
  if (m * m !== arr.length)
    throw new ValidationError(
      `${name}.length`,
      n !== undefined ? `${n * n} (row-major ${n}×${n})` : 'a perfect square (row-major)',
      arr.length,
    );
  return { a: checkFiniteArray(name, arr, m * m), n: m };
}

const SPEC_KEYS = ['d', 'W', 'u'] as const;

/**
 * @internal Validates a network spec for entry point `where`: a plain object with exactly the
 * keys d, W, u (an unknown key such as `D` or `input` is a ValidationError with a suggestion, so
 * a typo cannot silently leave u at 0); `prefix` prefixes argument names (e.g. "net.").
 */
export function checkNetwork(spec: unknown, where = 'ltn', prefix = ''): LtnNet {
  const name = prefix ? prefix.replace(/\.$/, '') : 'net';
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw new ValidationError(name, `a network { d, W, u } for ${where}`, spec);
  const proto = Object.getPrototypeOf(spec);
  if (proto !== Object.prototype && proto !== null)
    throw new ValidationError(name, `a plain network object { d, W, u } for ${where}`, spec);
  for (const k of Object.keys(spec)) {
    if (!(SPEC_KEYS as readonly string[]).includes(k)) throw unknownOptionError(where, k, SPEC_KEYS, `${name}.${k}`);
  }
  const s = spec as LtnNetworkSpec;
  const d = checkFiniteArray(`${prefix}d`, s.d, undefined, (nm, x) => {
    if (!(x > 0)) throw new ValidationError(nm, 'a finite number > 0 (1/time; D = diag(d) must be positive)', x);
  });
  const n = d.length;
  if (n === 0) throw new ValidationError(`${prefix}d.length`, 'at least 1', 0);
  const { a: W } = checkSquare(`${prefix}W`, s.W, n);
  const M = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) M[i] = -W[i];
  for (let i = 0; i < n; i++) M[i * n + i] += d[i];
  let u: Float64Array | null = null;
  let uFn: LtnInputFn | null = null;
  if (s.u === undefined) u = new Float64Array(n);
  else if (typeof s.u === 'function') uFn = s.u;
  else u = checkFiniteArray(`${prefix}u`, s.u, n);
  return { n, d, W, M, u, uFn };
}

/** @internal u(t) of a validated network, checked when it comes from a function. */
export function inputAt(net: LtnNet, t: number, out: Float64Array): Float64Array {
  if (net.u) return net.u;
  const v = (net.uFn as LtnInputFn)(t);
  if (!isNumericArray(v) || v.length !== net.n) throw new ValidationError('u(t)', `an array of ${net.n} finite numbers`, v);
  for (let i = 0; i < net.n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValidationError(`u(${t})[${i}]`, 'a finite number', x);
    out[i] = x;
  }
  return out;
}

/** @internal Validates a state vector of length n. */
export function checkState(name: string, v: unknown, n: number): Float64Array {
  return checkFiniteArray(name, v, n);
}
