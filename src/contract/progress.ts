/**
 * One run / progress / cancel protocol for every long-running call (docs/guides/conventions.md):
 * `run(duration, { signal, onProgress })` and `runAsync(duration, { signal, onProgress, sliceMs })`,
 * one {@link Progress} type, and cancellation through an `AbortSignal` that also works when the
 * abort is fired from a timer while the work runs in the calling thread (async variants yield to
 * the event loop every `sliceMs`).
 * @packageDocumentation
 */
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { checkCallback } from './options.js';

/** What a {@link Progress} report counts. */
export type ProgressUnit = 'step' | 'trial' | 'epoch' | 'batch' | 'sample' | 'event' | 'point' | 'iteration' | 'level';

/**
 * A progress report: the one type every `onProgress` callback of the library receives.
 * `done` and `total` count units of work of the current call (not of the object's lifetime).
 */
export interface Progress {
  /** Units of work completed so far in this call. */
  done: number;
  /** Units of work this call will do (≥ `done`). */
  total: number;
  /** What `done` and `total` count. */
  unit: ProgressUnit;
  /** done / total, in [0, 1] (1 when total is 0). */
  fraction: number;
  /** Wall-clock time since the call started (ms). */
  elapsedMs: number;
  /** Estimated wall-clock time left (ms): elapsedMs · (total − done) / done; undefined before the first unit is done. */
  etaMs: number | undefined;
  /**
   * Model time reached, for calls that advance a model clock (networks, solvers): ms, or the
   * model's own time unit for models written in dimensionless form (the Fokker–Planck solver
   * reports membrane time constants); undefined otherwise.
   */
  time?: number;
  /** Named running figures where the call has them (training loss, accuracy...), each documented by the call. */
  metrics?: Readonly<Record<string, number>>;
}

/** Callback receiving {@link Progress} reports. */
export type ProgressCallback = (p: Progress) => void;

/** The options every long-running synchronous call accepts. */
export interface RunOptions {
  /**
   * Cancels the call: checked between chunks of work; an aborted signal ends the call with an
   * {@link AbortedError} and everything computed so far stays readable (on the object, or in the
   * error's `partial`). A synchronous call sees an abort fired from its own `onProgress`; use the
   * `…Async` variant to cancel from a timer or a button.
   */
  signal?: AbortSignal;
  /** Called after each chunk of work with a {@link Progress} report. */
  onProgress?: ProgressCallback;
}

/** The options every long-running asynchronous call accepts. */
export interface AsyncRunOptions extends RunOptions {
  /**
   * Longest stretch of work (ms of wall-clock time) between two yields to the event loop, so that
   * an abort fired from a timer or a UI event is seen within about `sliceMs`. @default 10
   */
  sliceMs?: number;
}

/** The keys of {@link RunOptions}, for strict option checks. */
export const RUN_OPTION_KEYS = ['signal', 'onProgress'] as const;
/** The keys of {@link AsyncRunOptions}, for strict option checks. */
export const ASYNC_RUN_OPTION_KEYS = ['signal', 'onProgress', 'sliceMs'] as const;

/** Default `sliceMs` of async variants (ms). */
export const DEFAULT_SLICE_MS = 10;

/** An `AbortSignal` or undefined. */
export function checkAbortSignal(name: string, v: unknown): AbortSignal | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || typeof (v as AbortSignal).aborted !== 'boolean') {
    throw new ValidationError(name, 'an AbortSignal', v);
  }
  return v as AbortSignal;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Resolves on the next turn of the event loop, without the 4 ms clamp of nested `setTimeout`:
 * `setImmediate` in Node, a `MessageChannel` in browsers, Deno and workers.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === 'function') return new Promise((r) => g.setImmediate?.(r));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

/**
 * Drives the protocol for one call: validates `signal`, `onProgress` (and `sliceMs`), builds
 * {@link Progress} reports with elapsed time and ETA, checks the signal, and (for async calls)
 * yields to the event loop when a slice is used up.
 *
 * @example
 * ```ts
 * const pr = new ProgressTracker('FokkerPlanckSolver.run', steps, 'step', options);
 * for (let done = 0; done < steps; ) {
 *   pr.throwIfAborted({ step });
 *   done += doChunk();
 *   pr.report(done, { time: t });
 * }
 * ```
 */
export class ProgressTracker {
  /** The entry point, named in the abort message. */
  readonly where: string;
  /** Units of work of the call. */
  readonly total: number;
  /** What the units count. */
  readonly unit: ProgressUnit;
  /** The validated signal, if any. */
  readonly signal: AbortSignal | undefined;
  /** Longest stretch between yields (ms), for async calls. */
  readonly sliceMs: number;
  readonly #onProgress: ProgressCallback | undefined;
  readonly #t0: number;
  #sliceStart: number;

  /**
   * @param where - the entry point (`'LifNetwork.run'`)
   * @param total - units of work the call will do
   * @param unit - what they count
   * @param options - the caller's run options (already checked for unknown keys)
   * @param optionsName - the options argument's name in messages
   */
  constructor(where: string, total: number, unit: ProgressUnit, options: AsyncRunOptions = {}, optionsName = 'options') {
    this.where = where;
    this.total = total;
    this.unit = unit;
    this.signal = checkAbortSignal(`${optionsName}.signal`, options.signal);
    this.#onProgress = checkCallback<ProgressCallback>(`${optionsName}.onProgress`, options.onProgress);
    const s = options.sliceMs ?? DEFAULT_SLICE_MS;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0.1 || s > 60_000)
      throw new ValidationError(`${optionsName}.sliceMs`, 'a finite number in [0.1, 60000] ms', s);
    this.sliceMs = s;
    this.#t0 = now();
    this.#sliceStart = this.#t0;
  }

  /** Wall-clock time since the call started (ms). */
  get elapsedMs(): number {
    return now() - this.#t0;
  }

  /** Whether an `onProgress` callback was given (skip building reports otherwise). */
  get wantsProgress(): boolean {
    return this.#onProgress !== undefined;
  }

  /** The report for `done` units (without calling back). */
  progress(done: number, extra: { time?: number; metrics?: Readonly<Record<string, number>> } = {}): Progress {
    const elapsedMs = now() - this.#t0;
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const etaMs = done > 0 ? (elapsedMs * Math.max(0, this.total - done)) / done : undefined;
    const p: Progress = { done, total: this.total, unit: this.unit, fraction, elapsedMs, etaMs };
    if (extra.time !== undefined) p.time = extra.time;
    if (extra.metrics !== undefined) p.metrics = extra.metrics;
    return p;
  }

  /** Calls `onProgress` with the report for `done` units. */
  report(done: number, extra: { time?: number; metrics?: Readonly<Record<string, number>> } = {}): void {
    if (this.#onProgress) this.#onProgress(this.progress(done, extra));
  }

  /** Whether the signal has been aborted. */
  get aborted(): boolean {
    return this.signal?.aborted === true;
  }

  /** Throws {@link AbortedError} (carrying `partial`) when the signal has been aborted. */
  throwIfAborted(partial?: unknown): void {
    if (this.signal?.aborted) throw new AbortedError(`${this.where} aborted`, partial);
  }

  /**
   * `work`, or {@link AbortedError} (carrying `partial`) as soon as the signal aborts, whichever
   * comes first: for setup an async call awaits (starting workers) that the caller cannot cut
   * short. `work` goes on; the caller keeps it to reuse or release.
   */
  race<T>(work: Promise<T>, partial?: unknown): Promise<T> {
    const signal = this.signal;
    if (!signal) return work;
    this.throwIfAborted(partial);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new AbortedError(`${this.where} aborted`, partial));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** Whether the current slice of work is used up (async calls should then `await yieldNow()`). */
  get sliceUsed(): boolean {
    return now() - this.#sliceStart >= this.sliceMs;
  }

  /** Yields to the event loop if the slice is used up; then checks the signal. */
  async maybeYield(partial?: unknown): Promise<void> {
    if (now() - this.#sliceStart >= this.sliceMs) {
      await yieldToEventLoop();
      this.#sliceStart = now();
    }
    this.throwIfAborted(partial);
  }
}
