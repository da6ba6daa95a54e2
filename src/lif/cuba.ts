/**
 * The CUBA benchmark network (Vogels & Abbott 2005, as in Brian2's `examples/CUBA.py`), built on
 * {@link LifNetwork}.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { checkInteger, checkRange } from '../kernel/validate.js';
import type { Seed } from '../rng/seed.js';
import { LIF_MAX_NEURONS, type LifIntegratorName, LifNetwork, type LifNetworkOptions, type LifSpikeRuleName } from './network.js';

/** Options of {@link createLifCuba}. */
export interface LifCubaOptions {
  /** Step (ms). @default 0.1 */
  dt?: number;
  /** Seed of the wiring and of the initial voltages. @default 0 */
  seed?: Seed;
  /** Trial index: initial voltages under `trialKey(seed, trial)` (the wiring stays that of `seed`). */
  trial?: number;
  /** @default 'exact' (Brian2's `method='exact'`) */
  integrator?: LifIntegratorName;
  /** @default 'grid' (Brian2 tests the threshold on the grid) */
  spikeRule?: LifSpikeRuleName;
  /** Number of neurons (80 % excitatory, rounded; at least 3). @default 4000 */
  neurons?: number;
  /** Connection probability. @default 0.02 */
  p?: number;
  /** Threads of `runAsync` (see {@link LifNetworkOptions.threads}). @default 1 */
  threads?: number | 'auto';
}

const CUBA_KEYS = optionKeys<LifCubaOptions>()(['dt', 'seed', 'trial', 'integrator', 'spikeRule', 'neurons', 'p', 'threads']);

/**
 * Builds (unbuilt, so monitors can still be added) the CUBA network of Brian2's example:
 * 4000 LIF neurons, 3200 excitatory + 800 inhibitory, all pairs connected with p = 0.02
 * (autapses allowed, as in Brian2), τ_m = 20 ms, V_L = −49 mV, V_th = −50 mV, V_r = −60 mV,
 * refractory 5 ms (V held, Brian2's `unless refractory`, counted as Brian2 does: `refractory:
 * 'brian2'`), excitatory current ge (τ_e = 5 ms,
 * channel 0, jump w_e = 1.62 mV of ge) and inhibitory gi (τ_i = 10 ms, channel 1, w_i = −9 mV),
 * dv/dt = (ge + gi − (v − V_L))/τ_m, v(0) ~ U[V_r, V_th], no noise. Brian2 reports about 5.7 Hz
 * at dt = 0.1 ms over 1 s.
 * @example
 * ```ts
 * const net = createLifCuba({ seed: 1 });
 * net.run(1000);
 * console.log(net.spikeCount / 4000, 'Hz');
 * ```
 */
export function createLifCuba(options: LifCubaOptions = {}): LifNetwork {
  const o = strictOptions<LifCubaOptions>('createLifCuba', 'options', options, CUBA_KEYS);
  const n = checkInteger('neurons', o.neurons ?? 4000, 3, LIF_MAX_NEURONS);
  const ne = Math.round(0.8 * n);
  const p = checkRange('p', o.p ?? 0.02, 0, 1);
  const net = new LifNetwork({
    dt: o.dt ?? 0.1,
    integrator: o.integrator ?? 'exact',
    spikeRule: o.spikeRule ?? 'grid',
    seed: o.seed ?? 0,
    trial: o.trial,
    refractory: 'brian2',
    threads: o.threads,
  });
  const params = {
    tauMem: 20,
    vLeak: -49,
    vThreshold: -50,
    vReset: -60,
    tauSyn: 5,
    tauSyn2: 10,
    mu: 0,
    sigma: 0,
    tRef: 5,
    i0: 0,
    v0: { uniform: [-60, -50] as [number, number] },
  };
  net.addPopulation('exc', ne, params);
  net.addPopulation('inh', n - ne, params);
  const conn = { type: 'fixedProbability' as const, p, autapses: true };
  for (const to of ['exc', 'inh']) {
    net.connect('exc', to, { connector: conn, weight: 1.62, weightUnit: 'voltage', channel: 0 });
    net.connect('inh', to, { connector: conn, weight: -9, weightUnit: 'voltage', channel: 1 });
  }
  return net;
}
