// The worker pool's user trial modules: the example module (a small recurrent LIF network per
// trial) run inline gives the same rows in every runtime, and a sweep over it the same table.
import type { CrossCases, Lib } from './types.ts';

const task = (name: string) => ({ module: new URL('../../examples/node/user-trials-module.mjs', import.meta.url), task: name });

type Rates = { rateE: number; rateI: number; spikes: number };

export const cases: CrossCases = {
  'parallel: user trial module (recurrent LIF network), trials 0-3 inline': async (nd: Lib) => {
    const r = await nd.runTrials<Rates>(task('network'), {
      seed: 'cross',
      range: [0, 4],
      params: { mu: 0.055, sigma: 0.02, duration: 100 },
      workers: 0,
    });
    return nd.fingerprint(r.rows.flatMap((x) => (x.ok ? [x.value.rateE, x.value.rateI, x.value.spikes] : [Number.NaN])));
  },
  'parallel: sweep over the user module (2 points × 2 trials)': async (nd: Lib) => {
    const t = await nd.sweep({ task: task('network'), params: { mu: [0.05, 0.06], duration: [50] }, trials: 2, seed: 'cross', workers: 0 });
    return nd.fingerprint(Float64Array.from([...t.column('rateE').data, ...t.column('spikes').data, ...t.column('mu').data]));
  },
};
