/**
 * A LIF network as plain data ({@link LifNetworkSpec}): the arguments of `addPopulation` and
 * `connect`, so a network can cross a worker boundary, be stored as JSON and be rebuilt exactly
 * ({@link buildLifNetwork}); and the inspections the mean-field estimators need
 * ({@link populationConstants}, {@link denseJumps}).
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkPositive } from '../kernel/validate.js';
import { normals } from '../rng/index.js';
import { uniformAt } from '../rng/reference.js';
import { type Seed, seedKeyOf } from '../rng/seed.js';
import { LifStreams } from './layout.js';
import {
  type LifIntegratorName,
  LifNetwork,
  type LifPopulationParams,
  type LifProjectionOptions,
  type LifSpikeRuleName,
  type PerNeuron,
} from './network.js';

/** A population of a {@link LifNetworkSpec}: the arguments of {@link LifNetwork.addPopulation}. */
export interface LifPopulationSpec {
  /** Population name (unique). */
  name: string;
  /** Number of neurons. */
  size: number;
  /**
   * Parameters, as {@link LifNetwork.addPopulation} takes them. Defaults as there, except
   * `mu` and `sigma` (0: no drive, no noise, unless given) and the initial state, which the
   * analyses draw (see {@link buildLifNetwork}) unless `v0` / `i0` are given.
   */
  params?: LifPopulationParams;
}

/** A projection of a {@link LifNetworkSpec}: the arguments of {@link LifNetwork.connect}. */
export interface LifProjectionSpec extends LifProjectionOptions {
  /** Presynaptic population name. */
  from: string;
  /** Postsynaptic population name. */
  to: string;
}

/**
 * A LIF network as plain data: what every analysis (convergence, Lyapunov, rates and synchrony)
 * builds its {@link LifNetwork}s from, in every trial, at every step size, in any worker. Global
 * neuron indices follow the population order. Random connectors are wired from the analysis'
 * `seed` (not its trial), as {@link LifNetwork} wires them.
 */
export interface LifNetworkSpec {
  /** Populations, in order. */
  populations: LifPopulationSpec[];
  /** Projections. @default none */
  projections?: LifProjectionSpec[];
}

/** Options of {@link buildLifNetwork}. */
export interface BuildLifNetworkOptions {
  /** Step (ms). */
  dt: number;
  /** Subthreshold integrator. @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** Spike-time rule. @default 'linear' */
  spikeRule?: LifSpikeRuleName;
  /** Seed (noise, input, initial state; wiring). @default 0 */
  seed?: Seed;
  /** Trial index (noise, input and initial state use `trialKey(seed, trial)`). */
  trial?: number;
  /** Fine steps per step: the noise lives on the grid dt/fineSteps (coupled paths). @default 1 */
  fineSteps?: number;
}

const BUILD_KEYS = optionKeys<BuildLifNetworkOptions>()(['dt', 'integrator', 'spikeRule', 'seed', 'trial', 'fineSteps']);
const SPEC_KEYS = optionKeys<LifNetworkSpec>()(['populations', 'projections']);
const POP_KEYS = optionKeys<LifPopulationSpec>()(['name', 'size', 'params']);

/** The scalar constants of a population with homogeneous membrane parameters. */
export interface PopulationConstants {
  /** Leak conductance g_L = 1/τ_m (1/ms). */
  gL: number;
  /** Membrane time constant τ_m (ms), as given (or 1/g_L). */
  tauMem: number;
  /** Leak potential V_L. */
  vLeak: number;
  /** Threshold V_th. */
  vThreshold: number;
  /** Reset V_r. */
  vReset: number;
  /** Synaptic time constant τ_s (ms). */
  tauSyn: number;
}

/** Value k of a per-neuron parameter (number or array), or `def` when absent. */
function at(v: PerNeuron | undefined, k: number, def: number): number {
  if (v === undefined) return def;
  return typeof v === 'number' ? v : v[k];
}

/** @internal Checks the shape of a spec (values are checked by LifNetwork when it is built). */
export function checkSpec(
  name: string,
  spec: LifNetworkSpec,
): { size: number; populations: { name: string; start: number; size: number }[] } {
  const s = strictOptions('LifNetworkSpec', name, spec, SPEC_KEYS);
  if (!Array.isArray(s.populations) || s.populations.length === 0)
    throw new ValidationError(`${name}.populations`, 'a non-empty array of { name, size, params }', s.populations);
  let start = 0;
  const pops = s.populations.map((p, k) => {
    const q = strictOptions('LifNetworkSpec.populations', `${name}.populations[${k}]`, p, POP_KEYS);
    const size = checkInteger(`${name}.populations[${k}].size`, q.size, 1, 1 << 26);
    const out = { name: q.name, start, size };
    start += size;
    return out;
  });
  if (s.projections !== undefined && !Array.isArray(s.projections))
    throw new ValidationError(`${name}.projections`, 'an array of { from, to, connector, ... }', s.projections);
  return { size: start, populations: pops };
}

/**
 * Builds the {@link LifNetwork} an analysis runs for `spec` (so any trial of a study can be
 * rebuilt and inspected). Each population is added with its `params`, and explicit values for
 * what the analyses read: `mu`, `sigma` (default 0), `vThreshold` (1), `vReset` (0), `tauMem` (20 ms
 * unless `gL` is given), `tauSyn` (5 ms). The initial state, unless the spec gives `v0` / `i0`:
 * V_i(0) = V_r + (V_th − V_r)·u_i with u_i = uniform(key, `init`, i, step 0) (as
 * `v0: { uniform: [vReset, vThreshold] }`), and I_i(0) = μ_i + σ_i z_i with
 * z_i = normal(key, `init`, i, step 1): the stationary mean and spread of the current. The key is
 * `trialKey(seed, trial)` (or `seedToKey(seed)`), i the global neuron index: every step size and
 * scheme of a trial starts from the same state.
 * @example
 * ```ts
 * const net = buildLifNetwork(feedforwardNetwork({ sizes: [20, 20] }), { dt: 0.1, seed: 'study', trial: 3 });
 * const spikes = net.addSpikeMonitor();
 * net.run(200);
 * ```
 */
export function buildLifNetwork(spec: LifNetworkSpec, options: BuildLifNetworkOptions): LifNetwork {
  const o = strictOptions('buildLifNetwork', 'options', options, BUILD_KEYS);
  const shape = checkSpec('spec', spec);
  const key = seedKeyOf(o, 'options.');
  const net = new LifNetwork({
    dt: o.dt,
    integrator: o.integrator,
    spikeRule: o.spikeRule,
    seed: o.seed,
    trial: o.trial,
    noise: { fineSteps: o.fineSteps ?? 1 },
  });
  try {
    const z = normals(key, 1, shape.size, { stream: LifStreams.init });
    spec.populations.forEach((p, k) => {
      const params: LifPopulationParams = { ...(p.params ?? {}) };
      const { start, size } = shape.populations[k];
      params.mu = params.mu ?? 0;
      params.sigma = params.sigma ?? 0;
      params.vThreshold = params.vThreshold ?? 1;
      params.vReset = params.vReset ?? 0;
      params.tauSyn = params.tauSyn ?? 5;
      if (params.gL === undefined) params.tauMem = params.tauMem ?? 20;
      if (params.v0 === undefined) {
        const v0 = new Float64Array(size);
        for (let q = 0; q < size; q++) {
          const lo = at(params.vReset, q, 0);
          const hi = at(params.vThreshold, q, 1);
          v0[q] = lo + (hi - lo) * uniformAt(key.k0, key.k1, LifStreams.init, start + q, 0, 0);
        }
        params.v0 = v0;
      }
      if (params.i0 === undefined) {
        const i0 = new Float64Array(size);
        for (let q = 0; q < size; q++) i0[q] = at(params.mu, q, 0) + at(params.sigma, q, 0) * z[start + q];
        params.i0 = i0;
      }
      net.addPopulation(p.name, size, params);
    });
    for (const [k, pj] of (spec.projections ?? []).entries()) {
      if (pj === null || typeof pj !== 'object') throw new ValidationError(`spec.projections[${k}]`, 'a projection object', pj);
      const { from, to, ...rest } = pj;
      net.connect(from, to, rest);
    }
    net.build();
    return net;
  } catch (e) {
    net.dispose();
    throw e;
  }
}

/**
 * The scalar membrane constants of every population (for the estimators that need them: the
 * threshold flux, mean-field rates). Throws a {@link ValidationError} naming the parameter when a
 * population gives it per neuron.
 */
export function populationConstants(spec: LifNetworkSpec, name = 'network'): PopulationConstants[] {
  checkSpec(name, spec);
  return spec.populations.map((p, k) => {
    const q = p.params ?? {};
    const scalar = (field: keyof LifPopulationParams, def: number): number => {
      const v = q[field] as PerNeuron | undefined;
      if (v === undefined) return def;
      if (typeof v !== 'number')
        throw new ValidationError(
          `${name}.populations[${k}].params.${field}`,
          'one number for the population (this analysis needs scalar membrane constants)',
          v,
        );
      return checkFinite(`${name}.populations[${k}].params.${field}`, v);
    };
    const positive = (field: 'gL' | 'tauMem' | 'tauSyn', def: number): number => {
      const v = checkPositive(`${name}.populations[${k}].params.${field}`, scalar(field, def));
      // its inverse (g_L = 1/τ_m, …) must be finite too
      if (!Number.isFinite(1 / v))
        throw new ValidationError(`${name}.populations[${k}].params.${field}`, 'a value ≥ 1e-300 (its inverse is used)', v);
      return v;
    };
    const tauMem = q.gL !== undefined ? 1 / positive('gL', 0.05) : positive('tauMem', 20);
    const gL = q.gL !== undefined ? positive('gL', 0.05) : 1 / tauMem;
    return {
      gL,
      tauMem,
      vLeak: scalar('vLeak', 0),
      vThreshold: scalar('vThreshold', 1),
      vReset: scalar('vReset', 0),
      tauSyn: positive('tauSyn', 5),
    };
  });
}

/**
 * The dense jump matrix J[i·N + j] (jump of I_i when j fires, voltage units/ms) of a built
 * network. Throws when a projection targets channel 1 or has a delay (the mean-field estimates
 * cover the zero-delay current I only).
 */
export function denseJumps(net: LifNetwork, n: number): Float64Array {
  const J = new Float64Array(n * n);
  const pops = net.populations();
  for (let k = 0; ; k++) {
    let pj: ReturnType<LifNetwork['getProjection']>;
    try {
      pj = net.getProjection(k);
    } catch {
      break;
    }
    if (pj.channel !== 0 || pj.delay !== 0)
      throw new ValidationError(
        `network.projections[${k}]`,
        'channel 0 and delay 0 (the mean-field estimates cover the current I without delays)',
        pj,
      );
    const pre = pops.find((p) => p.name === pj.from)?.start ?? 0;
    const post = pops.find((p) => p.name === pj.to)?.start ?? 0;
    for (let j = 0; j + 1 < pj.rowPtr.length; j++) {
      for (let s = pj.rowPtr[j]; s < pj.rowPtr[j + 1]; s++) J[(post + pj.cols[s]) * n + pre + j] += pj.weights ? pj.weights[s] : pj.weight;
    }
  }
  return J;
}

/** Number of projections of a spec. */
export function projectionCount(spec: LifNetworkSpec): number {
  return spec.projections?.length ?? 0;
}
