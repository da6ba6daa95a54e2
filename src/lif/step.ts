/**
 * The functional API level: advance an uncoupled population given as plain typed arrays.
 * @packageDocumentation
 */
import { checkInteger, checkOptions, scalarOrArray } from '../kernel/validate.js';
import type { Key } from '../rng/seed.js';
import { type LifIntegratorName, LifNetwork, type LifPopulationParams, type LifSpikeRuleName, type LifSpikes } from './network.js';

/** State arrays of {@link lifSteps} (one entry per neuron). */
export interface LifArrays {
  v: ArrayLike<number>;
  i: ArrayLike<number>;
  /** @default zeros */
  i2?: ArrayLike<number>;
}

/** Options of {@link lifSteps}. */
export interface LifStepsOptions {
  /** Step h (ms). */
  dt: number;
  /** Number of steps. */
  steps: number;
  /** Key of the noise and input draws (e.g. `trialKey(seed, trial)`). */
  key: Key;
  /** Global step index of the first step (the RNG counter), so calls can be chained. @default 0 */
  step0?: number;
  /** @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** @default 'linear' */
  spikeRule?: LifSpikeRuleName;
  /** @default 1 */
  fineSteps?: number;
}

/**
 * Pure step function: advances an uncoupled population (no synapses) by `steps` steps from the
 * given state and returns the new state and the spikes, without touching the inputs. Draws are
 * those of neuron index k (0-based in the arrays) at global step `step0 + s`, so
 * `lifSteps(lifSteps(x, p, {steps: a}), p, {step0: a, steps: b})` equals one call with a + b steps
 * (refractory clocks excepted: they are not part of the arrays, so use `tRef: 0` when chaining).
 * Same model, integrators and rules as {@link LifNetwork}.
 * @example
 * ```ts
 * const out = lifSteps({ v: new Float64Array(100), i: new Float64Array(100).fill(0.055) }, { sigma: 0.02 },
 *   { dt: 0.1, steps: 1000, key: trialKey(1, 0) });
 * out.spikes.neuron; out.v;
 * ```
 */
export function lifSteps(
  state: LifArrays,
  params: Omit<LifPopulationParams, 'v0' | 'i0' | 'i20'>,
  options: LifStepsOptions,
): { v: Float64Array; i: Float64Array; i2: Float64Array; spikes: LifSpikes } {
  const o = checkOptions('options', options);
  const s = checkOptions('state', state);
  const n = s.v?.length ?? 0;
  checkInteger('state.v.length', n, 1);
  const v = scalarOrArray('state.v', s.v, n);
  const i = scalarOrArray('state.i', s.i, n);
  const i2 = s.i2 === undefined ? new Float64Array(n) : scalarOrArray('state.i2', s.i2, n);
  const steps = checkInteger('options.steps', o.steps, 0);
  const step0 = checkInteger('options.step0', o.step0 ?? 0, 0);
  const net = new LifNetwork({
    dt: o.dt,
    integrator: o.integrator,
    spikeRule: o.spikeRule,
    key: o.key,
    noise: { fineSteps: o.fineSteps ?? 1 },
  });
  try {
    net.addPopulation('p', n, { ...checkOptions('params', params), v0: v, i0: i, i20: i2 });
    net.build();
    if (step0 > 0) {
      const snap = net.snapshot();
      net.restore({ ...snap, step: step0 });
    }
    const m = net.addSpikeMonitor();
    net.run(steps * o.dt);
    const st = net.getState();
    return { v: st.v, i: st.i, i2: st.i2, spikes: m.spikes() };
  } finally {
    net.dispose();
  }
}
