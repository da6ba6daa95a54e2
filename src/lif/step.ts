/**
 * The functional API level: advance an uncoupled population given as plain typed arrays.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { Result } from '../contract/results.js';
import { checkFinite, checkInteger, checkPositive, scalarOrArray } from '../kernel/validate.js';
import type { Key, Seed } from '../rng/seed.js';
import type { LifSpikes } from './monitors.js';
import {
  type LifIntegratorName,
  LifNetwork,
  type LifNoiseOptions,
  type LifPopulationParams,
  type LifSpikeRuleName,
  type PerNeuron,
} from './network.js';

/** State arrays of {@link lifSteps} (one entry per neuron). */
export interface LifArrays {
  /** Membrane potential V per neuron (voltage units). */
  v: ArrayLike<number>;
  /** Noisy synaptic current I (channel 0) per neuron (voltage units per ms). */
  i: ArrayLike<number>;
  /** Noise-free synaptic current I₂ (channel 1) per neuron (voltage units per ms). @default zeros */
  i2?: ArrayLike<number>;
}

/** Options of {@link lifSteps}. */
export interface LifStepsOptions {
  /** Step h (ms). */
  dt: number;
  /** Time to advance (ms), rounded to a whole number of steps. */
  duration: number;
  /** Grid step index of the first step (the RNG counter), so calls can be chained (`startStep: previous.endStep`). @default 0 */
  startStep?: number;
  /** User seed of the noise and input draws. @default 0 */
  seed?: Seed;
  /** Trial index: draws under `trialKey(seed, trial)`; omit for `seedToKey(seed)`. */
  trial?: number;
  /** Explicit key of the draws (overrides seed/trial). */
  key?: Key;
  /** @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** @default 'linear' */
  spikeRule?: LifSpikeRuleName;
  /** Noise on a finer grid, as {@link LifNetworkOptions.noise}. @default { fineSteps: 1 } */
  noise?: LifNoiseOptions;
}

const STEPS_KEYS = optionKeys<LifStepsOptions>()([
  'dt',
  'duration',
  'startStep',
  'seed',
  'trial',
  'key',
  'integrator',
  'spikeRule',
  'noise',
]);
const ARRAYS_KEYS = optionKeys<LifArrays>()(['v', 'i', 'i2']);
/** The population parameters lifSteps takes (the initial state comes from the arrays). */
export type LifStepsParams = Omit<LifPopulationParams, 'v0' | 'i0' | 'i20'>;
const PARAM_KEYS = optionKeys<LifStepsParams>()([
  'tauMem',
  'gL',
  'vLeak',
  'vThreshold',
  'vReset',
  'tauSyn',
  'tauSyn2',
  'mu',
  'sigma',
  'tRef',
  'sharedNoise',
  'poisson',
]);

/** Result of {@link lifSteps} (kind `'lif.steps'`): the new state arrays and the spikes of the call. */
export class LifStepsResult extends Result {
  /** `'lif.steps'`. */
  readonly kind = 'lif.steps';
  /** @internal */
  constructor(
    /** V after the last step (voltage units). */
    readonly v: Float64Array,
    /** I after the last step (voltage units per ms). */
    readonly i: Float64Array,
    /** I₂ after the last step (voltage units per ms). */
    readonly i2: Float64Array,
    /** Spikes of the call; `step` and `time` are global (from `startStep`). */
    readonly spikes: LifSpikes,
    /** Grid step index after the last step: `startStep` of the next call of a chain. */
    readonly endStep: number,
  ) {
    super();
  }
}

/**
 * Pure step function: advances an uncoupled population (no synapses) by `duration` ms from the
 * given state and returns the new state and the spikes, without touching the inputs. Draws are
 * those of neuron index k (0-based in the arrays) at global step `startStep + s`, so
 * `lifSteps(lifSteps(x, p, { duration: a }), p, { startStep: a/dt, duration: b })` equals one
 * call of a + b ms (refractory clocks excepted: they are not part of the arrays, so use
 * `tRef: 0` when chaining). Same model, integrators and rules as {@link LifNetwork}; the
 * parameters default as there (no drive, no noise).
 * @example
 * ```ts
 * const out = lifSteps({ v: new Float64Array(100), i: new Float64Array(100).fill(0.055) },
 *   { mu: 0.055, sigma: 0.02 }, { dt: 0.1, duration: 100, seed: 1, trial: 0 });
 * out.spikes.time; out.v;
 * const next = lifSteps(out, { mu: 0.055, sigma: 0.02 }, { dt: 0.1, duration: 100, seed: 1, trial: 0, startStep: out.endStep });
 * ```
 */
export function lifSteps(state: LifArrays, params: LifStepsParams, options: LifStepsOptions): LifStepsResult {
  const o = strictOptions<LifStepsOptions>('lifSteps', 'options', options, STEPS_KEYS);
  // A previous result chains as is; otherwise the state is checked like an options object.
  const s = state instanceof LifStepsResult ? state : strictOptions<LifArrays>('lifSteps', 'state', state, ARRAYS_KEYS);
  const p = strictOptions<LifStepsParams>('lifSteps', 'params', params, PARAM_KEYS);
  const n = s.v?.length ?? 0;
  checkInteger('state.v.length', n, 1);
  const v = scalarOrArray('state.v', s.v, n);
  const i = scalarOrArray('state.i', s.i, n);
  const i2 = s.i2 === undefined ? new Float64Array(n) : scalarOrArray('state.i2', s.i2, n);
  const dt = checkPositive('options.dt', o.dt, 'ms');
  checkFinite('options.duration', o.duration, 'ms');
  const startStep = checkInteger('options.startStep', o.startStep ?? 0, 0, 0xffffffff);
  const net = new LifNetwork({
    dt,
    integrator: o.integrator,
    spikeRule: o.spikeRule,
    seed: o.seed,
    trial: o.trial,
    key: o.key,
    noise: o.noise,
  });
  try {
    net.addPopulation('p', n, { ...p, v0: v as PerNeuron, i0: i, i20: i2 });
    if (startStep > 0) {
      const snap = net.snapshot();
      net.restore({ v: snap.v, i: snap.i, i2: snap.i2, refUntil: snap.refUntil, ring: snap.ring, spikesSoFar: 0, step: startStep });
    }
    const m = net.addSpikeMonitor();
    net.run(o.duration);
    const st = net.state();
    return new LifStepsResult(st.v, st.i, st.i2, m.spikes(), net.step);
  } finally {
    net.dispose();
  }
}
