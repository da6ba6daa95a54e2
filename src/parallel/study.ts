/**
 * Studies: trials of a task run on the worker pool, or in the calling thread as generators that
 * yield between chunks of work, so that a study on 0 workers still honours an abort fired from a
 * timer (docs/guides/conventions.md §4). A trial written once as a generator runs to completion in
 * a worker ({@link finish}) and yields to the event loop in the calling thread ({@link runStudy}).
 * @packageDocumentation
 */
import { type AsyncRunOptions, type ProgressCallback, ProgressTracker } from '../contract/progress.js';
import { Result } from '../contract/results.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { checkInteger } from '../kernel/validate.js';
import { defaultWorkers, runTrials, TrialsResult, type WorkerPool } from './pool.js';
import type { Settled, TrialInput } from './types.js';

/**
 * A trial written as a generator that yields between chunks of simulation (the value, when
 * given, is the progress made so far in the trial's own unit). @internal
 */
export type Work<T> = Generator<number | undefined, T, void>;

/**
 * Runs a trial to completion (workers, synchronous callers); with a tracker, checks its signal and
 * reports each yielded value between chunks. An abort disposes the trial (its `finally`). @internal
 */
export function finish<T>(g: Work<T>, pr?: ProgressTracker): T {
  let ok = false;
  try {
    for (;;) {
      const r = g.next();
      if (r.done) {
        ok = true;
        return r.value;
      }
      pr?.throwIfAborted();
      if (r.value !== undefined) pr?.report(r.value);
    }
  } finally {
    if (!ok) g.return(undefined as T);
  }
}

/** @internal A `Result` whose fields are those of `fields` (the analyses' plain-data results, with `toJSON()`). */
export class FieldsResult<K extends string> extends Result {
  /** Result type. */
  readonly kind: K;
  constructor(kind: K, fields: object) {
    super();
    this.kind = kind;
    Object.assign(this, fields);
  }
}

/**
 * Runs a trial, yielding to the event loop every `sliceMs` of work and checking the signal
 * between chunks; an abort disposes the trial's networks (the generator's `finally`). @internal
 */
export async function finishAsync<T>(g: Work<T>, pr: ProgressTracker, partial: () => unknown): Promise<T> {
  let ok = false;
  try {
    for (;;) {
      const r = g.next();
      if (r.done) {
        ok = true;
        return r.value;
      }
      await pr.maybeYield(partial());
    }
  } finally {
    if (!ok) g.return(undefined as T);
  }
}

/** The options every study (a function running trials) takes. */
export interface StudyRunOptions extends AsyncRunOptions {
  /** Worker count (0 = the calling thread, yielding to the event loop every `sliceMs`). @default hardware concurrency */
  workers?: number;
  /** URL of the bundled worker script (`dist/worker.js`), when the default cannot be resolved. */
  workerUrl?: URL | string;
  /** An existing pool to run on (not closed afterwards, unless aborted). */
  pool?: WorkerPool;
}

/** The trial range of a study's options: `range` [a, b) if given, else [0, trials). @internal */
export function trialRange(o: { trials?: number; range?: [number, number] }, minTrials = 1): [number, number] {
  if (o.range === undefined) return [0, checkInteger('options.trials', o.trials, minTrials, 1e9)];
  if (!Array.isArray(o.range) || o.range.length !== 2) throw new ValidationError('options.range', 'a trial range [a, b)', o.range);
  const a = checkInteger('options.range[0]', o.range[0], 0, 0xffffffff);
  return [a, checkInteger('options.range[1]', o.range[1], a, 0xffffffff)];
}

/** The keys of {@link StudyRunOptions}. @internal */
export const STUDY_RUN_KEYS = ['workers', 'workerUrl', 'pool', 'signal', 'onProgress', 'sliceMs'] as const;

/**
 * Runs trials [a, b) of a study: on the worker pool (task `task`), or with 0 workers in the
 * calling thread through `work`, yielding every `sliceMs` (so a timer-fired abort stops it within
 * about `sliceMs`). Reports one {@link Progress} per settled trial (unit `trial`). A trial that
 * throws is kept as a failed row; an abort throws {@link AbortedError} with the settled rows.
 * @internal
 */
export async function runStudy<T, P>(
  where: string,
  task: string,
  work: (input: TrialInput<P>, inline: boolean) => Work<T>,
  o: StudyRunOptions & { seed: number | string; range: [number, number]; params: P },
): Promise<TrialsResult<T>> {
  const [a, b] = o.range;
  const pr = new ProgressTracker(where, b - a, 'trial', {
    signal: o.signal,
    onProgress: o.onProgress as ProgressCallback | undefined,
    sliceMs: o.sliceMs,
  });
  const workers = o.pool ? o.pool.size : checkInteger('options.workers', o.workers ?? defaultWorkers(), 0, 256);
  if (workers > 0) {
    try {
      return await runTrials<T, P>(task, {
        seed: o.seed,
        range: [a, b],
        params: o.params,
        workers: o.workers,
        workerUrl: o.workerUrl,
        pool: o.pool,
        signal: pr.signal,
        onProgress: (p) => pr.report(p.done),
      });
    } catch (e) {
      if (e instanceof AbortedError) throw new AbortedError(`${where} aborted`, e.partial);
      throw e;
    }
  }
  const rows: Settled<T>[] = [];
  const partial = () => rows.slice();
  for (let t = a; t < b; t++) {
    pr.throwIfAborted(partial());
    try {
      rows.push({ index: t, ok: true, value: await finishAsync(work({ seed: o.seed, trial: t, params: o.params }, true), pr, partial) });
    } catch (e) {
      if (e instanceof AbortedError) throw e;
      rows.push({ index: t, ok: false, error: { name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) } });
    }
    pr.report(t - a + 1);
  }
  return new TrialsResult<T>([a, b], rows);
}
