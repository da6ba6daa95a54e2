/**
 * Networks as data for the analyses, and the machinery every analysis shares: a
 * {@link LifNetworkSpec} (populations and projections, plain JSON, so it crosses the worker
 * boundary) becomes a {@link LifNetwork} with {@link buildLifNetwork}; trials are written as
 * generators that yield between chunks of simulation, so the same code runs to completion in a
 * worker and yields to the event loop (honouring `signal`) in the calling thread.
 * @packageDocumentation
 */
import { type AsyncRunOptions, optionKeys, type ProgressCallback, ProgressTracker, strictOptions } from '../contract/index.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkRange } from '../kernel/validate.js';
import { LifStreams } from '../lif/layout.js';
import {
  type LifIntegratorName,
  LifNetwork,
  type LifPopulationParams,
  type LifProjectionOptions,
  type LifSpikeRuleName,
  type PerNeuron,
} from '../lif/network.js';
import { defaultWorkers, runTrials, type TrialsResult, type WorkerPool } from '../parallel/pool.js';
import type { Settled, TrialInput } from '../parallel/types.js';
import { normals } from '../rng/index.js';
import { uniformAt } from '../rng/reference.js';
import { keyOfSeed, type Seed } from '../rng/seed.js';

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
  const key = keyOfSeed(o, 'options.');
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
      return v;
    };
    const gL = q.gL !== undefined ? scalar('gL', 0.05) : 1 / scalar('tauMem', 20);
    return { gL, vLeak: scalar('vLeak', 0), vThreshold: scalar('vThreshold', 1), vReset: scalar('vReset', 0), tauSyn: scalar('tauSyn', 5) };
  });
}

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

// ---- Trials as generators --------------------------------------------------------------------

/**
 * A trial written as a generator that yields between chunks of simulation (the value, when
 * given, is the progress made so far in the trial's own unit). @internal
 */
export type Work<T> = Generator<number | undefined, T, void>;

/** Runs a trial to completion (workers, synchronous callers). @internal */
export function finish<T>(g: Work<T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a trial, yielding to the event loop every `sliceMs` of work and checking the signal
 * between chunks; an abort disposes the trial's networks (the generator's `finally`). @internal
 */
export async function finishAsync<T>(g: Work<T>, pr: ProgressTracker, partial: () => unknown): Promise<T> {
  let ok = false;
  try {
    for (;;) {
      const r = g.next();
      if (r.done) {
        ok = true;
        return r.value;
      }
      await pr.maybeYield(partial());
    }
  } finally {
    if (!ok) g.return(undefined as T);
  }
}

/** The options every study (a function running trials) takes. */
export interface StudyRunOptions extends AsyncRunOptions {
  /** Worker count (0 = the calling thread, yielding to the event loop every `sliceMs`). @default hardware concurrency */
  workers?: number;
  /** URL of the bundled worker script (`dist/worker.js`), when the default cannot be resolved. */
  workerUrl?: URL | string;
  /** An existing pool to run on (not closed afterwards, unless aborted). */
  pool?: WorkerPool;
}

/** The keys of {@link StudyRunOptions}. @internal */
export const STUDY_RUN_KEYS = ['workers', 'workerUrl', 'pool', 'signal', 'onProgress', 'sliceMs'] as const;

/**
 * Runs trials [a, b) of a study: on the worker pool (task `task`), or with 0 workers in the
 * calling thread through `work`, yielding every `sliceMs` (so a timer-fired abort stops it within
 * about `sliceMs`). Reports one {@link Progress} per settled trial (unit `trial`). A trial that
 * throws is kept as a failed row; an abort throws {@link AbortedError} with the settled rows.
 * @internal
 */
export async function runStudy<T, P>(
  where: string,
  task: string,
  work: (input: TrialInput<P>) => Work<T>,
  o: StudyRunOptions & { seed: Seed; range: [number, number]; params: P },
): Promise<TrialsResult<T>> {
  const [a, b] = o.range;
  const pr = new ProgressTracker(where, b - a, 'trial', {
    signal: o.signal,
    onProgress: o.onProgress as ProgressCallback | undefined,
    sliceMs: o.sliceMs,
  });
  const workers = o.pool ? o.pool.size : checkInteger('options.workers', o.workers ?? defaultWorkers(), 0, 256);
  if (workers > 0) {
    try {
      return await runTrials<T, P>(task, {
        seed: o.seed,
        range: [a, b],
        params: o.params,
        workers: o.workers,
        workerUrl: o.workerUrl,
        pool: o.pool,
        signal: pr.signal,
        onProgress: (done) => pr.report(done),
      });
    } catch (e) {
      if (e instanceof AbortedError) throw new AbortedError(`${where} aborted`, e.partial);
      throw e;
    }
  }
  const rows: Settled<T>[] = [];
  const partial = () => rows.slice();
  for (let t = a; t < b; t++) {
    pr.throwIfAborted(partial());
    try {
      rows.push({ index: t, ok: true, value: await finishAsync(work({ seed: o.seed, trial: t, params: o.params }), pr, partial) });
    } catch (e) {
      if (e instanceof AbortedError) throw e;
      rows.push({ index: t, ok: false, error: { name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) } });
    }
    pr.report(t - a + 1);
  }
  return { range: [a, b], rows };
}
