/**
 * The table of tasks a worker can run. Each model contributes its own table (`src/<model>/tasks.ts`);
 * this module merges them. Both the worker entry and the inline (0-worker) path use it, so a
 * trial runs the same code wherever it runs.
 * @packageDocumentation
 */
import { tasks as brf } from '../brf/tasks.js';
import { tasks as fp } from '../fp/tasks.js';
import { fingerprint } from '../kernel/hash.js';
import { tasks as lif } from '../lif/tasks.js';
import { tasks as ltn } from '../ltn/tasks.js';
import { tasks as numerics } from '../numerics/tasks.js';
import { NormalGenerator, normals } from '../rng/index.js';
import { trialKey } from '../rng/seed.js';
import { tasks as srm } from '../srm/tasks.js';
import { tasks as stats } from '../stats/tasks.js';
import type { TaskTable } from './types.js';

/** Input every trial task receives. */
export interface TrialInput<P = unknown> {
  /** Study seed; the trial's key is `trialKey(seed, trial)`. */
  seed: number | string;
  /** Trial index (absolute, independent of sharding and worker count). */
  trial: number;
  /** Task parameters, the same for every trial of a study (structured-clone data). */
  params: P;
}

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

/** @internal all tasks, by name */
export const TASKS: TaskTable = { ...core, ...lif, ...numerics, ...fp, ...brf, ...srm, ...ltn, ...stats };
