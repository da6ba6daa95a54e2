/** Worker-pool tasks of the numerics module (listed in src/tasks.ts). */
import type { TaskTable } from '../parallel/types.js';
import { convergenceTrial } from './convergence.js';
import { type LyapunovParams, lyapunovTask } from './lyapunov.js';
import { rateSynchronyTrial } from './recurrent.js';

/** @internal */
export const tasks: TaskTable = {
  /** One trial of a convergence study: input `{ seed, trial, params: ConvergenceParams }`. */
  'numerics.convergenceTrial': convergenceTrial,
  /** One trial of the Lyapunov estimators: input `{ seed, trial, params: LyapunovParams }`. */
  'numerics.lyapunovTrial': (input: { seed: number | string; trial: number; params: LyapunovParams }) => lyapunovTask(input),
  /** One trial of a rate/synchrony study: input `{ seed, trial, params: RateSynchronyParams }`. */
  'numerics.rateSynchronyTrial': rateSynchronyTrial,
};
