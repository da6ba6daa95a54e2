/**
 * Kernel status codes -> typed errors.
 * @packageDocumentation
 */
import { NumericalError, type NumericalFailure, ValidationError } from './errors.js';
import { type KernelExports, kernel } from './load.js';

export { Status } from './layout.js';

const KINDS: Record<number, NumericalFailure['kind']> = {
  1: 'non-finite',
  2: 'blow-up',
  3: 'cfl',
  4: 'domain',
};

/** Reads the kernel's status block after a non-zero return code (of `instance`, default the main kernel). */
export function readFailure(code: number, instance?: KernelExports): NumericalFailure {
  const k = instance ?? kernel();
  const p = k.statusPtr() >>> 0;
  const buf = k.memory.buffer;
  const i32 = new Int32Array(buf, p, 2);
  const f64 = new Float64Array(buf, p + 8, 3);
  return { kind: KINDS[code] ?? 'non-finite', index: i32[1], step: f64[0], time: f64[1], value: f64[2] };
}

/**
 * Throws a {@link NumericalError} for a non-zero kernel status; `context` names the operation;
 * `instance` is the kernel that returned it (default the main kernel).
 */
export function checkStatus(code: number, context: string, instance?: KernelExports): void {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 4)
    throw new ValidationError('code', 'a kernel status code: an integer in [0, 4] (see Status)', code);
  if (typeof context !== 'string') throw new ValidationError('context', 'a string naming the operation', context);
  if (code !== 0) throw new NumericalError(context, readFailure(code, instance));
}
