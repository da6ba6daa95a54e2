/** Worker-pool tasks of the fp module (listed in src/tasks.ts). */
import { fingerprint } from '../kernel/hash.js';
import type { TaskTable, TrialInput } from '../parallel/types.js';
import type { FpResponse } from './common.js';
import { FpParticleNetwork } from './particles.js';

/** Parameters of the `'fp.particles'` task: one independent replica of a particle network. */
export interface FpParticleTrialParams {
  /** Weight of each neuron. */
  weights: number[];
  /** Input per neuron (or one value). */
  input: number | number[];
  /** Noise intensity a > 0. */
  a: number;
  /** Reset potential V_R. */
  vReset: number;
  /** Firing threshold V_F. */
  vThreshold: number;
  /** Time step (τ_m). */
  dt: number;
  /** Response σ(N̄). @default 'identity' */
  response?: FpResponse;
  /** Burn-in before counting (τ_m). */
  burnIn: number;
  /** Counting window (τ_m). */
  duration: number;
  /** Group size: rates are averaged over consecutive blocks of this many neurons. @default 1 */
  group?: number;
}

/** @internal */
export const tasks: TaskTable = {
  /**
   * One replica (trial) of {@link FpParticleNetwork}: per-group rates over the counting window,
   * the mean N̄ and a fingerprint of the final state. Rows depend only on (seed, trial).
   */
  'fp.particles': (input: TrialInput<FpParticleTrialParams>) => {
    const p = input.params;
    const { a, vReset, vThreshold, dt, response, weights } = p;
    const net = new FpParticleNetwork({
      weights,
      input: p.input,
      a,
      vReset,
      vThreshold,
      dt,
      response,
      seed: input.seed,
      trial: input.trial,
    });
    try {
      net.run(p.burnIn);
      net.resetCounters();
      net.run(p.duration);
      const r = net.rates();
      const g = p.group ?? 1;
      const groups: number[] = [];
      for (let j = 0; j < r.length; j += g) {
        let s = 0;
        for (let i = j; i < Math.min(j + g, r.length); i++) s += r[i];
        groups.push(s / Math.min(g, r.length - j));
      }
      return { rates: groups, meanNbar: net.meanNbar(), fingerprint: fingerprint(net.potentials(), net.counts()) };
    } finally {
      net.dispose();
    }
  },
};
