/**
 * Typed errors. Every error neurodyn throws is a {@link NeurodynError}; catch the subclass you
 * can act on.
 * @packageDocumentation
 */

/** Base class of every error thrown by neurodyn. */
export class NeurodynError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Bad input detected in TypeScript before anything reaches the kernel. The message names the
 * argument, the expected range with units and the value received, e.g.
 * `dt: expected a finite number > 0 ms, got -0.1`.
 */
export class ValidationError extends NeurodynError {
  /** Name of the offending argument (dotted path for nested options, e.g. `"neurons.tauMem[3]"`). */
  readonly argument: string;
  /** The value received. */
  readonly received: unknown;
  /** What was expected (a range with units, a type, or a hint). */
  readonly expected: string;
  /** For an unknown option name: the nearest valid name, when one is near. */
  readonly suggestion: string | undefined;
  /**
   * @param argument - the argument's name (dotted path for nested options)
   * @param expected - the expected range with units, or a type
   * @param received - the value received
   * @param message - replaces the standard `argument: expected …, got …` message
   * @param suggestion - the nearest valid name (unknown options)
   */
  constructor(argument: string, expected: string, received: unknown, message?: string, suggestion?: string) {
    super(message ?? `${argument}: expected ${expected}, got ${describe(received)}`);
    this.argument = argument;
    this.received = received;
    this.expected = expected;
    this.suggestion = suggestion;
  }
}

/** Details of a numerical failure reported by a kernel. */
export interface NumericalFailure {
  /** What failed: `"non-finite"`, `"blow-up"`, `"cfl"` or `"domain"`. */
  kind: 'non-finite' | 'blow-up' | 'cfl' | 'domain';
  /** Integer step at which the failure was detected (0-based, counted from the object's start). */
  step: number;
  /** Element index (neuron, cell, weight...) where it was detected, or -1 when global. */
  index: number;
  /** Model time of the failure, in the model's time unit (ms unless the model says otherwise). */
  time: number;
  /** The offending value (e.g. the non-finite state or the rate that blew up). */
  value: number;
}

/**
 * The state became non-finite, blew up or left the domain where the scheme is valid. Carries the
 * step, index and time; results computed before the failure stay readable on the object that
 * threw.
 */
export class NumericalError extends NeurodynError implements NumericalFailure {
  readonly kind: NumericalFailure['kind'];
  readonly step: number;
  readonly index: number;
  readonly time: number;
  readonly value: number;
  constructor(context: string, f: NumericalFailure) {
    super(`${context}: ${f.kind} at step ${f.step} (t = ${f.time}), index ${f.index}, value ${f.value}`);
    this.kind = f.kind;
    this.step = f.step;
    this.index = f.index;
    this.time = f.time;
    this.value = f.value;
  }
}

/** The WebAssembly kernel aborted (an internal invariant failed). This is a bug: please report it. */
export class KernelAbortError extends NeurodynError {
  constructor(message: string) {
    super(`kernel abort: ${message}`);
  }
}

/**
 * Kernel memory cannot hold what a call asked for: a single region larger than the allocator's
 * limit ({@link MAX_REGION_BYTES}, 992 MiB), a total beyond the 4 GiB of a WebAssembly memory, or a
 * memory the host refused to grow. Thrown before anything was allocated or changed; the message
 * says what to change (fewer neurons, a shorter delay, dispose other objects…).
 */
export class OutOfMemoryError extends NeurodynError {
  /** Bytes the failed request asked for (the sum when several regions were sized together). */
  readonly requestedBytes: number;
  /** Bytes held by live kernel regions when the request was refused. */
  readonly liveBytes: number;
  /** The limit that was hit, in bytes (per region, total, or what the host granted). */
  readonly limitBytes: number;
  /** What the memory was for (region label or entry point), e.g. `"lif.ring"`. */
  readonly what: string;
  /** What to change so that it fits. */
  readonly hint: string;
  /**
   * @param what - what the memory was for
   * @param requestedBytes - bytes asked for
   * @param liveBytes - bytes live in kernel regions
   * @param limitBytes - the limit hit
   * @param reason - which limit, in words
   * @param hint - what to change
   */
  constructor(what: string, requestedBytes: number, liveBytes: number, limitBytes: number, reason: string, hint: string) {
    super(
      `out of kernel memory for ${what}: ${formatBytes(requestedBytes)} requested with ${formatBytes(liveBytes)} live; ${reason} (${formatBytes(limitBytes)}). ${hint}`,
    );
    this.requestedBytes = requestedBytes;
    this.liveBytes = liveBytes;
    this.limitBytes = limitBytes;
    this.what = what;
    this.hint = hint;
  }
}

/** `1.5 GiB (1610612736 bytes)`. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return `${b} bytes`;
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let x = b;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${b} bytes` : `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ${units[u]} (${b} bytes)`;
}

/** The operation was cancelled through an `AbortSignal`. Partial results are attached when any. */
export class AbortedError extends NeurodynError {
  /** Whatever had been computed before the abort (shape documented by the caller). */
  readonly partial: unknown;
  constructor(message = 'operation aborted', partial?: unknown) {
    super(message);
    this.partial = partial;
  }
}

/** An object was used after `dispose()`. */
export class DisposedError extends NeurodynError {
  constructor(what: string) {
    super(`${what} was used after dispose()`);
  }
}

function describe(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v)})`;
  return `${typeof v} ${String(v)}`;
}
