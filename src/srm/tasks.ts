/** Worker-pool tasks of the srm module (listed in src/tasks.ts). */
import type { TaskTable, TrialInput } from '../parallel/types.js';
import { SrmNetwork, type SrmParams } from './network.js';

/** Parameters of the `srm.score` task. */
export interface SrmScoreTaskParams extends SrmParams {
  /** Number of neurons. */
  n: number;
  /** Length of the sampled train (ms, a whole number of steps of dt). */
  duration: number;
  /** Row-major weights. */
  weights: number[];
  /** Biases (units of u). */
  bias: number | number[];
}

/**
 * `srm.score`: samples one train of `duration` ms from the network (key `trialKey(seed, trial)`)
 * and returns the score at the generating parameters, in both likelihood forms (row-major dW
 * then dBias, as plain arrays), plus the log-likelihood. Under the model the Bernoulli score has
 * mean exactly zero; the Poisson-form score is biased by O(λ²) per step.
 */
function scoreTask(input: TrialInput<SrmScoreTaskParams>) {
  const { n, duration, weights, bias, ...params } = input.params;
  const net = new SrmNetwork({ ...params, n, weights, bias, silence: ['srm.saturation'] });
  try {
    const s = net.sample(duration, { seed: input.seed, trial: input.trial, gradient: 'backward' });
    const gb = s.gradient!;
    const gp = net.gradient(s.train, { form: 'poisson' });
    let spikes = 0;
    for (const x of s.train.spikes) spikes += x;
    return {
      bernoulli: [...gb.dW, ...gb.dBias],
      poisson: [...gp.dW, ...gp.dBias],
      logLik: gb.logLik,
      spikes,
    };
  } finally {
    net.dispose();
  }
}

/** @internal */
export const tasks: TaskTable = {
  'srm.score': scoreTask,
};
