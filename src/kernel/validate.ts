/**
 * Argument validation shared by every public entry point. Each check throws a
 * {@link ValidationError} naming the argument, the expected range (with units) and the value.
 * @packageDocumentation
 */
import { ValidationError } from './errors.js';

const u = (unit?: string) => (unit ? ` ${unit}` : '');

/** A finite number. */
export function checkFinite(name: string, v: unknown, unit?: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError(name, `a finite number${unit ? ` (${unit})` : ''}`, v);
  return v;
}

/** A finite number > 0. */
export function checkPositive(name: string, v: unknown, unit?: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v > 0)) throw new ValidationError(name, `a finite number > 0${u(unit)}`, v);
  return v;
}

/** A finite number ≥ 0. */
export function checkNonNegative(name: string, v: unknown, unit?: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !(v >= 0)) throw new ValidationError(name, `a finite number >= 0${u(unit)}`, v);
  return v;
}

/** Options of {@link checkRange}. */
export interface RangeOptions {
  /** Unit named in the error message (e.g. 'ms'). */
  unit?: string;

  /** Exclude the lower bound. */
  loOpen?: boolean;
  /** Exclude the upper bound. */
  hiOpen?: boolean;
}

/** A finite number in [lo, hi] (open ends on request). */
export function checkRange(name: string, v: unknown, lo: number, hi: number, o: RangeOptions = {}): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (o.loOpen ? v > lo : v >= lo) && (o.hiOpen ? v < hi : v <= hi);
  if (!ok) {
    throw new ValidationError(name, `a finite number in ${o.loOpen ? '(' : '['}${lo}, ${hi}${o.hiOpen ? ')' : ']'}${u(o.unit)}`, v);
  }
  return v as number;
}

/** An integer in [min, max]. */
export function checkInteger(name: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ValidationError(name, `an integer in [${min}, ${max}]`, v);
  }
  return v;
}

/** A boolean. */
export function checkBoolean(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValidationError(name, 'a boolean', v);
  return v;
}

/** One of the given string choices. */
export function checkChoice<T extends string>(name: string, v: unknown, choices: readonly T[]): T {
  if (!Array.isArray(choices)) throw new ValidationError('choices', 'an array of strings', choices);
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw new ValidationError(name, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, v);
  }
  return v as T;
}

/** An array-like of numbers (plain array or typed array). */
export function isNumericArray(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * An array-like of finite numbers, optionally of a given length and with every element passing
 * `each` (which receives the element's name, e.g. `w[3]`). Returns a fresh Float64Array copy.
 */
export function checkFiniteArray(name: string, v: unknown, length?: number, each?: (name: string, x: number) => void): Float64Array {
  if (!isNumericArray(v))
    throw new ValidationError(name, `an array of finite numbers${length !== undefined ? ` of length ${length}` : ''}`, v);
  if (length !== undefined && v.length !== length) throw new ValidationError(`${name}.length`, `${length}`, v.length);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ValidationError(`${name}[${i}]`, 'a finite number', x);
    if (each) each(`${name}[${i}]`, x);
    out[i] = x;
  }
  return out;
}

/**
 * A per-element parameter given as a scalar or an array of length n; returns a Float64Array of
 * length n. `check(name, x)` validates each value (use the scalar checks above).
 */
export function scalarOrArray(
  name: string,
  v: unknown,
  n: number,
  check: (name: string, x: unknown) => unknown = checkFinite,
): Float64Array {
  checkInteger('n', n, 0, 2 ** 28);
  if (typeof v === 'number') {
    check(name, v);
    return new Float64Array(n).fill(v);
  }
  return checkFiniteArray(name, v, n, (nm, x) => check(nm, x));
}

/** A plain options object (or undefined, treated as `{}`). */
export function checkOptions<T extends object>(name: string, v: T | undefined): T {
  if (v === undefined) return {} as T;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ValidationError(name, 'an options object', v);
  return v;
}

/** An `AbortSignal` or undefined. */
export function checkSignal(name: string, v: unknown): AbortSignal | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || typeof (v as AbortSignal).aborted !== 'boolean') {
    throw new ValidationError(name, 'an AbortSignal', v);
  }
  return v as AbortSignal;
}
