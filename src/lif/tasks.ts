/** Worker-pool tasks of the lif module (listed in src/tasks.ts). */

import type { TaskTable, TrialInput } from '../parallel/types.js';
import { type LifIntegratorName, LifNetwork, type LifPopulationParams, type LifSpikeRuleName } from './network.js';

/** Parameters of the `lif.population` task. */
export interface LifPopulationTaskParams {
  /** Number of neurons. */
  size: number;
  /** Step h (ms). */
  dt: number;
  /** Simulated duration (ms), rounded to whole steps. */
  duration: number;
  /** Subthreshold integrator. @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** Spike-time rule. @default 'linear' */
  spikeRule?: LifSpikeRuleName;
  /** Fine steps per step (noise coupling across step sizes). @default 1 */
  fineSteps?: number;
  /** Population parameters (see {@link LifPopulationParams}). @default {} */
  params?: LifPopulationParams;
}

/** @internal */
export const tasks: TaskTable = {
  /**
   * One trial of an uncoupled population under `trialKey(seed, trial)`: spike records and the
   * terminal state (plain arrays, structured-clone friendly).
   */
  'lif.population': (input: TrialInput<LifPopulationTaskParams>) => {
    const p = input.params;
    const net = new LifNetwork({
      dt: p.dt,
      integrator: p.integrator,
      spikeRule: p.spikeRule,
      seed: input.seed,
      trial: input.trial,
      noise: { fineSteps: p.fineSteps ?? 1 },
    });
    try {
      net.addPopulation('p', p.size, p.params ?? {});
      const m = net.addSpikeMonitor();
      net.run(p.duration);
      const s = m.spikes();
      const st = net.getState();
      return {
        neuron: Array.from(s.neuron),
        step: Array.from(s.step),
        offset: Array.from(s.offset),
        A: Array.from(s.A),
        v: Array.from(st.v),
        i: Array.from(st.i),
      };
    } finally {
      net.dispose();
    }
  },
};
