/**
 * How the ltn module runs long computations under the one run/progress/cancel protocol
 * (docs/guides/conventions.md §4), and the work bounds every entry point checks before it starts
 * (docs/ltn.md, "Work bounds").
 *
 * Each long computation is written once, as a generator that yields a {@link Tick} at
 * checkpoints (every fraction of a millisecond of work). {@link runWork} drives it synchronously
 * (checking the signal and reporting progress at each tick); {@link runWorkAsync} drives the
 * same generator and yields to the event loop whenever `sliceMs` of work has passed, so the sync
 * and async variants compute the same numbers in the same order.
 * @internal
 * @packageDocumentation
 */
import type { ProgressTracker } from '../contract/progress.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';

/** A checkpoint of a long computation. @internal */
export interface Tick {
  /** Units of work done so far (in the tracker's unit). */
  done: number;
  /** Model time reached (dimensionless for the LTN), where there is a model clock. */
  time?: number;
  /** Report this tick to `onProgress` whatever the time since the last report. */
  report?: boolean;
}

/** A long computation: yields ticks, returns its result. @internal */
export type Work<R> = Generator<Tick, R, undefined>;

/** Longest wall-clock gap between two progress reports of a running call (ms). */
const REPORT_GAP_MS = 100;

function reportTick(pr: ProgressTracker, tk: Tick, last: { ms: number }): void {
  if (!pr.wantsProgress) return;
  const ms = pr.elapsedMs;
  if (tk.report || ms - last.ms >= REPORT_GAP_MS) {
    last.ms = ms;
    pr.report(tk.done, tk.time === undefined ? {} : { time: tk.time });
  }
}

/**
 * Runs `work` to completion in the calling thread: at every tick, reports progress (ticks marked
 * `report`, and at least every 100 ms) and throws {@link AbortedError} (with `partial()`) once the
 * signal is aborted; reports `done = total` (and `endTime`) once it has finished. An abandoned
 * generator is closed, so its `finally` blocks free what it held.
 * @internal
 */
export function runWork<R>(work: Work<R>, pr: ProgressTracker, partial?: () => unknown, endTime?: number): R {
  const last = { ms: 0 };
  let finished = false;
  try {
    for (;;) {
      const r = work.next();
      if (r.done) {
        finished = true;
        pr.report(pr.total, endTime === undefined ? {} : { time: endTime });
        return r.value;
      }
      reportTick(pr, r.value, last);
      if (pr.aborted) throw new AbortedError(`${pr.where} aborted`, partial?.());
    }
  } finally {
    if (!finished) work.return(undefined as never);
  }
}

/**
 * Same as {@link runWork}, yielding to the event loop whenever `sliceMs` of work has passed, so
 * an abort fired from a timer stops the call within about one slice.
 * @internal
 */
export async function runWorkAsync<R>(work: Work<R>, pr: ProgressTracker, partial?: () => unknown, endTime?: number): Promise<R> {
  const last = { ms: 0 };
  let finished = false;
  try {
    for (;;) {
      const r = work.next();
      if (r.done) {
        finished = true;
        pr.report(pr.total, endTime === undefined ? {} : { time: endTime });
        return r.value;
      }
      reportTick(pr, r.value, last);
      if (pr.sliceUsed || pr.aborted) {
        try {
          await pr.maybeYield();
        } catch (e) {
          if (e instanceof AbortedError) throw new AbortedError(e.message, partial?.());
          throw e;
        }
      }
    }
  } finally {
    if (!finished) work.return(undefined as never);
  }
}

/**
 * Runs `inner` inside another computation, passing its ticks on through `map` (for example to
 * count them in the outer call's units), and returns its result; closing the outer generator
 * closes `inner`.
 * @internal
 */
export function* relay<R>(inner: Work<R>, map: (t: Tick) => Tick): Work<R> {
  let finished = false;
  try {
    for (;;) {
      const r = inner.next();
      if (r.done) {
        finished = true;
        return r.value;
      }
      yield map(r.value);
    }
  } finally {
    if (!finished) inner.return(undefined as never);
  }
}

/** Drives `work` to completion without a tracker (internal callers that report nothing). @internal */
export function finishWork<R>(work: Work<R>): R {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/**
 * The work limit of one call of the ltn module, in work units (about 2–15 ns of computing each
 * on a 2020s core; see docs/ltn.md, "Work bounds", for how each entry point counts them). A call
 * asked for more is refused up front with a {@link ValidationError}, so nothing accepted runs for
 * more than a minute or two. Split longer runs into several calls (every simulator continues
 * from its `final` state; `LtnBatch.run` continues by itself).
 */
export const LTN_MAX_WORK = 2 ** 33;

/**
 * The most values (samples × units) one trajectory may record: 2^25 doubles (256 MiB). A call
 * that would record more is refused up front; raise `sampleInterval`.
 */
export const LTN_MAX_SAMPLE_VALUES = 2 ** 25;

/** @internal Throws unless `work` ≤ {@link LTN_MAX_WORK}; `largest()` describes the largest accepted value of the argument (built only on failure). */
export function checkWork(argument: string, received: unknown, work: number, largest: () => string, what: () => string): void {
  if (!(work <= LTN_MAX_WORK)) {
    throw new ValidationError(
      argument,
      `${largest()} (${what()}: ${fmt(work)} work units asked for, the limit of one call is LTN_MAX_WORK = 2^33 ≈ 8.59e9; see docs/ltn.md "Work bounds")`,
      received,
    );
  }
}

/** @internal Throws unless the samples of one trajectory fit {@link LTN_MAX_SAMPLE_VALUES}. */
export function checkSamples(argument: string, received: unknown, samples: number, n: number, largest: () => string): void {
  if (!(samples * n <= LTN_MAX_SAMPLE_VALUES)) {
    throw new ValidationError(
      argument,
      `${largest()} (${fmt(samples)} samples × ${n} units asked for; one trajectory records at most LTN_MAX_SAMPLE_VALUES = 2^25 values)`,
      received,
    );
  }
}

/** @internal A number in messages: 3 significant digits. */
export function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(3)).toString() : String(v);
}
