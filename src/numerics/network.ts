/**
 * The seed's networks as data for the analyses: the layered feedforward network and an
 * Erdős–Rényi recurrent population, as {@link LifNetworkSpec}s.
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkRange } from '../kernel/validate.js';
import type { LifPopulationParams } from '../lif/network.js';
import type { LifNetworkSpec } from '../lif/spec.js';

/** Options of {@link feedforwardNetwork}. */
export interface FeedforwardNetworkOptions {
  /** Neurons per layer, e.g. [20, 20, 20] (populations `L0`, `L1`, …). */
  sizes: number[];
  /** Mean current μ per layer, or one value (voltage units/ms). @default [0.055, 0.045, 0.045, …] (parameter set S1) */
  mu?: number | number[];
  /** Stationary current std σ per layer, or one value (voltage units/ms). @default 0.02 (S1) */
  sigma?: number | number[];
  /** Jump J of the current per connection from layer l−1 to layer l (`weightUnit: 'current'`), per layer (entry 0 unused) or one value. @default 0.005 (S1) */
  weight?: number | number[];
  /** Membrane time constant τ_m (ms). @default 20 */
  tauMem?: number;
  /** Threshold V_th. @default 1 */
  vThreshold?: number;
  /** Reset V_r. @default 0 */
  vReset?: number;
  /** Synaptic time constant τ_s (ms). @default 5 */
  tauSyn?: number;
}

const FF_KEYS = optionKeys<FeedforwardNetworkOptions>()(['sizes', 'mu', 'sigma', 'weight', 'tauMem', 'vThreshold', 'vReset', 'tauSyn']);

/**
 * The seed's layered feedforward network (000, Fig. 1A): layers `L0` … `L{m−1}`, noise in every
 * layer, all-to-all connections from layer l−1 to layer l. The defaults are the parameter set S1
 * (research note §1.3: g_L = 0.05 /ms, V_th = 1, V_r = 0, τ_s = 5 ms, μ = 0.055 in layer 0 and
 * 0.045 below, σ = 0.02, J = 0.005): ≈ 20 Hz in every layer. This factory's defaults are the
 * seed's network, drive and noise included (unlike `addPopulation`'s).
 * @example
 * ```ts
 * const spec = feedforwardNetwork({ sizes: [20, 20, 20] });
 * ```
 */
export function feedforwardNetwork(options: FeedforwardNetworkOptions): LifNetworkSpec {
  const o = strictOptions('feedforwardNetwork', 'options', options, FF_KEYS);
  if (!Array.isArray(o.sizes) || o.sizes.length === 0)
    throw new ValidationError('options.sizes', 'a non-empty array of layer sizes', o.sizes);
  const L = o.sizes.length;
  const sizes = o.sizes.map((s, l) => checkInteger(`options.sizes[${l}]`, s, 1, 1 << 20));
  const per = (name: string, v: number | number[] | undefined, def: (l: number) => number) =>
    Array.from({ length: L }, (_, l) => {
      if (Array.isArray(v) && v.length !== L) throw new ValidationError(`options.${name}.length`, `${L} (one per layer)`, v.length);
      return checkFinite(`options.${name}[${l}]`, v === undefined ? def(l) : Array.isArray(v) ? v[l] : v);
    });
  const mu = per('mu', o.mu, (l) => (l === 0 ? 0.055 : 0.045));
  const sigma = per('sigma', o.sigma, () => 0.02);
  const weight = per('weight', o.weight, () => 0.005);
  const common: LifPopulationParams = {
    tauMem: o.tauMem ?? 20,
    vThreshold: o.vThreshold ?? 1,
    vReset: o.vReset ?? 0,
    tauSyn: o.tauSyn ?? 5,
  };
  return {
    populations: sizes.map((size, l) => ({ name: `L${l}`, size, params: { ...common, mu: mu[l], sigma: sigma[l] } })),
    projections: sizes
      .slice(1)
      .map((_, k) => ({ from: `L${k}`, to: `L${k + 1}`, connector: { type: 'allToAll' as const }, weight: weight[k + 1] })),
  };
}

/** Options of {@link randomNetwork}. */
export interface RandomNetworkOptions {
  /** Number of neurons (one population `E`). */
  size: number;
  /** Connection probability (no autapses; wired from the analysis' seed). */
  p: number;
  /** Jump J of the current per connection (voltage units/ms; negative for inhibition). */
  weight: number;
  /** Mean current μ of every neuron (voltage units/ms). */
  mu: number;
  /** Stationary current std σ of every neuron (voltage units/ms). */
  sigma: number;
  /** Membrane time constant τ_m (ms). @default 20 */
  tauMem?: number;
  /** Synaptic time constant τ_s (ms). @default 5 */
  tauSyn?: number;
}

const RANDOM_KEYS = optionKeys<RandomNetworkOptions>()(['size', 'p', 'weight', 'mu', 'sigma', 'tauMem', 'tauSyn']);

/**
 * An Erdős–Rényi recurrent network: one population `E`, each ordered pair i ≠ j connected with
 * probability p (`fixedProbability`, wired by {@link LifNetwork} from the analysis' seed, so every
 * trial of a study has the same wiring).
 * @example
 * ```ts
 * const spec = randomNetwork({ size: 60, p: 0.1, weight: 0.004, mu: 0.045, sigma: 0.02 });
 * ```
 */
export function randomNetwork(options: RandomNetworkOptions): LifNetworkSpec {
  const o = strictOptions('randomNetwork', 'options', options, RANDOM_KEYS);
  const size = checkInteger('options.size', o.size, 1, 1 << 20);
  const p = checkRange('options.p', o.p, 0, 1);
  const weight = checkFinite('options.weight', o.weight);
  const params: LifPopulationParams = {
    tauMem: o.tauMem ?? 20,
    tauSyn: o.tauSyn ?? 5,
    mu: checkFinite('options.mu', o.mu),
    sigma: checkFinite('options.sigma', o.sigma),
  };
  return {
    populations: [{ name: 'E', size, params }],
    projections: [{ from: 'E', to: 'E', connector: { type: 'fixedProbability', p, autapses: false }, weight }],
  };
}
