/**
 * The package's task tables: every family's table plus two core tasks. The worker entry
 * (`src/worker.ts`) runs tasks from {@link TASKS}; the package entry's {@link runTrials} runs them
 * inline (`workers: 0`) from the same table, so a trial runs the same code wherever it runs. The
 * pool (`src/parallel/`) imports no model: this module and the worker entry are the only places
 * that know every family.
 * @packageDocumentation
 */
import { tasks as brf } from './brf/tasks.js';
import type { Table } from './contract/results.js';
import { tasks as fp } from './fp/tasks.js';
import { fingerprint } from './kernel/hash.js';
import { tasks as lif } from './lif/tasks.js';
import { tasks as ltn } from './ltn/tasks.js';
import { tasks as numerics } from './numerics/tasks.js';
import {
  type IterateTrialsOptions,
  iterateTrials as iterateTrialsOf,
  runTrials as runTrialsOf,
  type TrialsOptions,
  type TrialsResult,
} from './parallel/pool.js';
import { type SweepOptions, type SweepValues, sweepTable, sweepTrials as sweepTrialsOf } from './parallel/sweep.js';
import type { Settled, TaskRef, TaskTable, TrialInput } from './parallel/types.js';
import { NormalGenerator, normals } from './rng/index.js';
import { trialKey } from './rng/seed.js';
import { tasks as srm } from './srm/tasks.js';
import { tasks as stats } from './stats/tasks.js';

const core: TaskTable = {
  /** Fingerprint and mean of `params.n` normals of the trial's key (reproducibility checks). */
  'core.normals': (input: TrialInput<{ n: number; fail?: number[] }>) => {
    if (input.params.fail?.includes(input.trial)) throw new Error(`trial ${input.trial} was asked to fail`);
    const key = trialKey(input.seed, input.trial);
    const g = new NormalGenerator(key);
    try {
      const z = g.next(input.params.n);
      let s = 0;
      for (const x of z) s += x;
      return { fingerprint: fingerprint(z), mean: s / z.length };
    } finally {
      g.dispose();
    }
  },
  /** Sleeps, then returns the trial index (cancellation tests). */
  'core.sleep': async (input: TrialInput<{ ms: number }>) => {
    await new Promise((r) => setTimeout(r, input.params.ms));
    return normals(trialKey(input.seed, input.trial), 0, 1)[0];
  },
};

/** @internal every task of the package, by name (`core.*`, `lif.*`, `numerics.*`, …) */
export const TASKS: TaskTable = { ...core, ...lif, ...numerics, ...fp, ...brf, ...srm, ...ltn, ...stats };

/** Options with the package's tables added for inline runs (a caller's `tasks` come first). */
function withTasks<O>(options: O): O {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options;
  const extra = (options as { tasks?: TaskTable }).tasks;
  return { ...options, tasks: extra !== null && typeof extra === 'object' ? { ...TASKS, ...extra } : (extra ?? TASKS) };
}

/**
 * Runs trials [a, b) of `task` with input `{ seed, trial, params }` on a worker pool, or inline
 * with `workers: 0`. The rows are identical for any worker count, and a sub-range gives exactly
 * the corresponding rows of the full range. After an abort (`options.signal`) the promise
 * rejects with {@link AbortedError} whose `partial` holds the rows that had settled.
 *
 * `task` names a task of the package (`'core.normals'`, `'lif.population'`,
 * `'numerics.convergenceTrial'`, …) or a function of your own module,
 * `{ module: new URL('./trials.mjs', import.meta.url), task: 'rate' }`, which every worker
 * imports; inline runs also find the tasks of `options.tasks`. Progress reports count `'trial'`s.
 *
 * @example
 * ```ts
 * const r = await runTrials('core.normals', { seed: 'study', range: [0, 100], params: { n: 1e5 }, workers: 4 });
 * const u = await runTrials({ module: './trials.mjs', task: 'rate' }, { seed: 1, range: [0, 8], params: { mu: 1.2 } });
 * ```
 */
export function runTrials<T, P = unknown>(task: TaskRef, options: TrialsOptions<P>): Promise<TrialsResult<T>> {
  return runTrialsOf<T, P>(task, withTasks(options));
}

/**
 * The rows of trials [a, b) of `task` as an async iterator, in trial order, holding only about
 * `lookahead` rows at a time: the streaming form of {@link runTrials} (same tasks, same rows).
 *
 * @example
 * ```ts
 * for await (const row of iterateTrials('core.normals', { seed: 1, range: [0, 100_000], params: { n: 100 } }))
 *   if (row.ok) use(row.value);
 * ```
 */
export function iterateTrials<T, P = unknown>(
  task: TaskRef,
  options: IterateTrialsOptions<P>,
): AsyncGenerator<Settled<T>, void, undefined> {
  return iterateTrialsOf<T, P>(task, withTasks(options));
}

/**
 * Runs flat indices [a, b) of a parameter sweep and returns their rows (results flattened to named
 * numbers): the shard-level form of {@link sweep}; shards merge with {@link mergeTrials} and
 * become the sweep's table with {@link sweepTable}. The package's tasks run inline too.
 */
export function sweepTrials(options: SweepOptions): Promise<TrialsResult<SweepValues>> {
  return sweepTrialsOf(withTasks(options));
}

/**
 * Runs a parameter sweep (`trials` trials at every point of a grid or list) on the worker pool and
 * returns its table: one row per (point, trial), with the parameters, `ok` and the flattened
 * results as columns. See {@link sweepTable} for the columns and docs/guides/scale-out.md for
 * sharding a sweep over Slurm.
 *
 * @example
 * ```ts
 * const t = await sweep({ task: 'core.normals', params: { n: [10, 100, 1000] }, trials: 4, seed: 'demo' });
 * t.column('mean').data; // 12 values: 3 points × 4 trials
 * ```
 */
export async function sweep(options: SweepOptions): Promise<Table> {
  return sweepTable(await sweepTrials(options), options);
}
