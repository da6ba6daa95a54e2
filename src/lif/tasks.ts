/** Worker-pool tasks of the lif module (see src/parallel/tasks.ts). */

import type { TrialInput } from '../parallel/tasks.js';
import type { TaskTable } from '../parallel/types.js';
import { type LifIntegratorName, LifNetwork, type LifPopulationParams, type LifSpikeRuleName } from './network.js';

/** Parameters of the `lif.population` task. */
export interface LifPopulationTaskParams {
  size: number;
  dt: number;
  duration: number;
  integrator?: LifIntegratorName;
  spikeRule?: LifSpikeRuleName;
  fineSteps?: number;
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
