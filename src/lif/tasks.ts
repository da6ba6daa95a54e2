/** Worker-pool tasks of the lif module (listed in src/tasks.ts). */

import { optionKeys, strictOptions } from '../contract/options.js';
import type { TaskTable, TrialInput } from '../parallel/types.js';
import { type LifIntegratorName, LifNetwork, type LifNoiseOptions, type LifPopulationParams, type LifSpikeRuleName } from './network.js';

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
  /** Noise on a finer grid (coupling across step sizes), as `LifNetworkOptions.noise`. @default { fineSteps: 1 } */
  noise?: LifNoiseOptions;
  /** Population parameters (see {@link LifPopulationParams}; no drive and no noise unless given). @default {} */
  params?: LifPopulationParams;
}

const TASK_KEYS = optionKeys<LifPopulationTaskParams>()(['size', 'dt', 'duration', 'integrator', 'spikeRule', 'noise', 'params']);

/** @internal */
export const tasks: TaskTable = {
  /**
   * One trial of an uncoupled population under `trialKey(seed, trial)`: spike records (time in
   * ms, neuron, step, offset, A) and the terminal V and I (plain arrays, structured-clone friendly).
   */
  'lif.population': (input: TrialInput<LifPopulationTaskParams>) => {
    const p = strictOptions<LifPopulationTaskParams>('lif.population', 'params', input.params, TASK_KEYS);
    const net = new LifNetwork({
      dt: p.dt,
      integrator: p.integrator,
      spikeRule: p.spikeRule,
      seed: input.seed,
      trial: input.trial,
      noise: p.noise,
    });
    try {
      net.addPopulation('p', p.size, p.params ?? {});
      const m = net.addSpikeMonitor();
      net.run(p.duration);
      const s = m.spikes();
      const st = net.state();
      return {
        time: Array.from(s.time),
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
