// A user's trial module for the worker pool (runTrials, iterateTrials, sweep, `neurodyn sweep`):
// every export is a trial function `({ seed, trial, params }) → result`, a pure function of its
// input, so a trial gives the same row inline, on any number of workers, in Node, Deno and
// browsers, and on any machine of a Slurm array job.
//
// The module imports the built package by its relative URL, which resolves the same way in
// Node, Deno and a browser's Web Worker (import maps do not reach workers). In a project of your
// own, `import … from 'neurodyn'` works in Node; in a browser, import the URL you serve it from.
import { init, LifNetwork } from '../../dist/index.js';

await init(); // once per thread (the pool's workers have already loaded the kernel: this is instant)

/**
 * A small recurrent E/I network of noisy LIF neurons (seed 000's units: threshold 1, reset 0,
 * τ_m 20 ms, τ_s 5 ms), wired with probability `p` from the study seed and driven with the
 * trial's own noise: `trialKey(seed, trial)`. Returns the mean rates (Hz) of both populations and
 * the spike count.
 *
 * params: { mu, sigma (voltage units per ms), weight (E→·; I→· is −4·weight), neurons (80 % E),
 * p, duration (ms) }
 */
export function network({ seed, trial, params }) {
  const { mu = 0.055, sigma = 0.02, weight = 0.002, neurons = 100, p = 0.1, duration = 200 } = params ?? {};
  const ne = Math.round(0.8 * neurons);
  const net = new LifNetwork({ dt: 0.1, integrator: 'exact', spikeRule: 'linear', seed, trial });
  try {
    // mu and sigma are given explicitly: a population gets no drive and no noise without them.
    const cell = { tauMem: 20, tauSyn: 5, vThreshold: 1, vReset: 0, tRef: 2, mu, sigma, v0: { uniform: [0, 1] } };
    net.addPopulation('E', ne, cell);
    net.addPopulation('I', neurons - ne, cell);
    const connector = { type: 'fixedProbability', p };
    for (const to of ['E', 'I']) {
      net.connect('E', to, { connector, weight });
      net.connect('I', to, { connector, weight: -4 * weight });
    }
    net.run(duration);
    const counts = net.spikeCounts();
    let e = 0;
    let i = 0;
    for (let k = 0; k < neurons; k++) {
      if (k < ne) e += counts[k];
      else i += counts[k];
    }
    const hz = (n, size) => (n / size / duration) * 1000;
    return { rateE: hz(e, ne), rateI: hz(i, neurons - ne), spikes: e + i };
  } finally {
    net.dispose();
  }
}

/** The same network, but the trial holds its worker for `params.holdMs` first (to watch a sweep run). */
export async function slowNetwork(input) {
  await new Promise((r) => setTimeout(r, input.params?.holdMs ?? 0));
  return network(input);
}
