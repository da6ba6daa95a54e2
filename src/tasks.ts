/**
 * The package's task tables: every family's table plus two core tasks. The worker entry
 * (`src/worker.ts`) runs tasks from {@link TASKS}; the package entry's {@link runTrials} runs them
 * inline (`workers: 0`) from the same table, so a trial runs the same code wherever it runs. The
 * pool (`src/parallel/`) imports no model: this module and the worker entry are the only places
 * that know every family.
 * @packageDocumentation
 */
import { tasks as brf } from './brf/tasks.js';
import { tasks as fp } from './fp/tasks.js';
import { fingerprint } from './kernel/hash.js';
import { tasks as lif } from './lif/tasks.js';
import { tasks as ltn } from './ltn/tasks.js';
import { tasks as numerics } from './numerics/tasks.js';
import { runTrials as runTrialsOf, type TrialsOptions, type TrialsResult } from './parallel/pool.js';
import type { TaskTable, TrialInput } from './parallel/types.js';
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

/**
 * Runs trials [a, b) of `task` with input `{ seed, trial, params }` on a worker pool, or inline
 * with `workers: 0`. The rows are identical for any worker count, and a sub-range gives exactly
 * the corresponding rows of the full range. After an abort (`options.signal`) the promise
 * rejects with {@link AbortedError} whose `partial` holds the rows that had settled.
 *
 * `task` names a task of the package (`'core.normals'`, `'lif.population'`,
 * `'numerics.convergenceTrial'`, …); inline runs also find the tasks of `options.tasks`.
 *
 * @example
 * ```ts
 * const r = await runTrials('core.normals', { seed: 'study', range: [0, 100], params: { n: 1e5 }, workers: 4 });
 * ```
 */
export function runTrials<T, P = unknown>(task: string, options: TrialsOptions<P>): Promise<TrialsResult<T>> {
  if (options === null || typeof options !== 'object') return runTrialsOf<T, P>(task, options);
  return runTrialsOf<T, P>(task, { ...options, tasks: { ...TASKS, ...options.tasks } });
}
