/**
 * Rates and synchrony of recurrent LIF networks: simulation on {@link LifNetwork} (population
 * rate, Golomb's χ, pairwise spike-count correlations) next to the loop-truncated mean-field
 * estimate the seed outlines for recurrent extensions (000_a5327dcba9ecafc1, abstract:
 * "loop-truncated strong/weak bounds controlled by synaptic cycles and rate & synchronicity
 * estimates"; our reconstruction: {@link loopTruncatedRates}).
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/index.js';
import { ValidationError } from '../kernel/errors.js';
import { checkChoice, checkInteger, checkPositive, checkRange } from '../kernel/validate.js';
import { type LifIntegratorName, type LifSpikeRuleName, lifIntegrators, lifSpikeRules } from '../lif/network.js';
import { buildLifNetwork, checkSpec, denseJumps, type LifNetworkSpec, populationConstants } from '../lif/spec.js';
import { FieldsResult, finish, runStudy, STUDY_RUN_KEYS, type StudyRunOptions, type Work } from '../parallel/study.js';
import type { TrialInput } from '../parallel/types.js';
import type { Seed } from '../rng/seed.js';
import { loopTruncatedCovariance } from '../stats/covariance.js';
import { loopTruncatedRates } from '../stats/crossing.js';
import { type Estimate, estimateOver } from '../stats/regression.js';
import { golombChi, spikeCountCorrelations } from '../stats/spikes.js';

/** Parameters of one rate/synchrony trial (the worker task's `params`). */
export interface RateSynchronyParams {
  /** The network (e.g. {@link randomNetwork}). */
  network: LifNetworkSpec;
  /** Step (ms). @default 0.05 */
  dt?: number;
  /** Subthreshold integrator. @default 'euler-maruyama' */
  integrator?: LifIntegratorName;
  /** Spike-time rule. @default 'linear' */
  spikeRule?: LifSpikeRuleName;
  /** Measured time (ms). */
  duration: number;
  /** Burn-in before measuring (ms); its spikes are discarded. @default 200 */
  burnIn?: number;
  /** Spike-count bin (ms). @default 50 */
  binSize?: number;
  /** Steps between voltage samples for χ. @default 10 */
  sampleEverySteps?: number;
}

/** One trial's measurements (plain data). */
export interface RateSynchronyTrial {
  /** Per-neuron rate (Hz). */
  rate: number[];
  /** Population-mean rate (Hz): mean of `rate`. */
  meanRate: number;
  /** Golomb's χ from voltage samples (dimensionless). */
  chi: number;
  /** Mean pairwise spike-count correlation (counts in bins of `binSize` ms). */
  meanCorrelation: number;
  /** Count-based Golomb χ from the same bins: χ² = Var(Σ N_i)/(n Σ Var N_i). */
  countChi: number;
}

interface Checked {
  dt: number;
  integrator: LifIntegratorName;
  spikeRule: LifSpikeRuleName;
  burn: number;
  steps: number;
  bin: number;
  every: number;
}

function checkParams(p: RateSynchronyParams, name: string): Checked {
  const dt = checkPositive(`${name}.dt`, p.dt ?? 0.05, 'ms');
  const steps = Math.max(1, Math.round(checkPositive(`${name}.duration`, p.duration, 'ms') / dt));
  const burnIn = checkRange(`${name}.burnIn`, p.burnIn ?? 200, 0, 1e9, { unit: 'ms' });
  // work bound: the engine's step counter is 32-bit
  if (Math.round(burnIn / dt) + steps > 0xffffffff)
    throw new ValidationError(
      `${name}.duration`,
      `at most ${0xffffffff} steps of dt = ${dt} ms with the burn-in (32-bit step counter)`,
      p.duration,
    );
  // The count correlations need at least two bins in the measured time: refused here, before any
  // trial runs, rather than by every trial's spikeCountCorrelations.
  const bin = checkRange(`${name}.binSize`, p.binSize ?? 50, Number.MIN_VALUE, (steps * dt) / 2, { unit: 'ms' });
  return {
    dt,
    integrator: checkChoice(`${name}.integrator`, p.integrator ?? 'euler-maruyama', Object.keys(lifIntegrators) as LifIntegratorName[]),
    spikeRule: checkChoice(`${name}.spikeRule`, p.spikeRule ?? 'linear', Object.keys(lifSpikeRules) as LifSpikeRuleName[]),
    steps,
    burn: Math.round(burnIn / dt),
    bin,
    every: checkInteger(`${name}.sampleEverySteps`, p.sampleEverySteps ?? 10, 1, 1_000_000),
  };
}

function* rateSynchronyWork(input: TrialInput<RateSynchronyParams>): Work<RateSynchronyTrial> {
  const p = input.params;
  const n = checkSpec('params.network', p.network).size;
  const c = checkParams(p, 'params');
  const net = buildLifNetwork(p.network, {
    dt: c.dt,
    integrator: c.integrator,
    spikeRule: c.spikeRule,
    seed: input.seed,
    trial: input.trial,
  });
  try {
    const mon = net.addSpikeMonitor();
    for (let done = 0; done < c.burn; done += 1000) {
      net.run(Math.min(1000, c.burn - done) * c.dt);
      yield done;
    }
    mon.clear();
    const counts0 = net.spikeCounts();
    const t0 = net.time;
    const samples = new Float64Array(n * Math.ceil(c.steps / c.every));
    let ns = 0;
    for (let done = 0; done < c.steps; ) {
      const m = Math.min(c.every, c.steps - done);
      net.run(m * c.dt);
      done += m;
      samples.set(net.state().v, ns);
      ns += n;
      if (done % (100 * c.every) < c.every) yield c.burn + done;
    }
    const T = c.steps * c.dt;
    const counts = net.spikeCounts();
    const rate = Array.from(counts, (cnt, i) => (1000 * (cnt - counts0[i])) / T);
    const sp = mon.spikes();
    const corr = spikeCountCorrelations({ neuron: sp.neuron, time: sp.time }, { n, tStart: t0, tStop: t0 + T, binSize: c.bin });
    return {
      rate,
      meanRate: rate.reduce((a, b) => a + b, 0) / n,
      chi: golombChi(samples, { n }),
      meanCorrelation: corr.meanPairwise,
      countChi: corr.countChi,
    };
  } finally {
    net.dispose();
  }
}

/** The named fields of an object. */
const pick = <T, K extends keyof T>(o: T, keys: K[]) => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

/** One trial (worker task `numerics.rateSynchronyTrial`). @internal */
export function rateSynchronyTrial(input: TrialInput<RateSynchronyParams>): RateSynchronyTrial {
  return finish(rateSynchronyWork(input));
}

/** Options of {@link rateSynchronyStudy}. */
export interface RateSynchronyOptions extends RateSynchronyParams, StudyRunOptions {
  /** Number of trials (independent noise, same network), at least 2. */
  trials: number;
  /** Study seed: trial k uses `trialKey(seed, k)`; random wiring uses the seed. @default 0 */
  seed?: Seed;
  /** Loop-truncation orders reported (rates at orders 0 … order). @default 4 */
  order?: number;
  /** Path-length truncation of the synchrony (covariance) estimate. @default 2 */
  synchronyOrder?: number;
}

const PARAM_KEYS = ['network', 'dt', 'integrator', 'spikeRule', 'duration', 'burnIn', 'binSize', 'sampleEverySteps'] as const;
const KEYS = optionKeys<RateSynchronyOptions>()([...PARAM_KEYS, 'trials', 'seed', 'order', 'synchronyOrder', ...STUDY_RUN_KEYS]);

/** Fields of a {@link RateSynchronyResult} (rates in Hz; estimates with Student-t 95 % CIs over trials). */
export interface RateSynchronyFields {
  /** Population rate (Hz) over trials. */
  rate: Estimate;
  /** Golomb's χ from voltage samples (0 = asynchronous, 1 = fully synchronous), over trials. */
  chi: Estimate;
  /** Mean pairwise spike-count correlation (bins of `binSize` ms), over trials. */
  meanCorrelation: Estimate;
  /** Count-based Golomb χ, χ² = Var(Σ N_i)/(n Σ Var N_i), over trials. */
  countChi: Estimate;
  /**
   * Loop-truncated synchrony estimate ({@link loopTruncatedCovariance}): long-window limit of the
   * mean pairwise count correlation and of the count χ, with its validity verdict. Compare with
   * the measured values only for bins much longer than τ_s, τ_m and the ISI (e.g. 250 ms).
   */
  synchronyEstimate: {
    /** Predicted mean pairwise count correlation (long-window limit). */
    meanCorrelation: number;
    /** Predicted count χ. */
    countChi: number;
    /** Spectral radius of |K| (K_ij = extra spikes of i per spike of j); the expansion needs it < 1. */
    loopGain: number;
    /** Largest |J_ij| over the smallest effective current noise σ_eff (dimensionless). */
    jumpOverSigma: number;
    /** Whether the estimate is inside its validity domain. */
    valid: boolean;
    /** Why it is not valid (empty when valid). */
    reason: string;
  };
  /** Population-mean loop-truncated rate (Hz) at orders 0 … order (order 0 = no recurrence); empty when the network has no estimate (see `synchronyEstimate.reason`). */
  loopTruncatedRate: number[];
  /** Per-neuron simulated rate averaged over trials (Hz). */
  neuronRate: number[];
  /** Per-neuron loop-truncated rate at the highest order (Hz). */
  neuronLoopTruncatedRate: number[];
}

/** Result of {@link rateSynchronyStudy}, with `toJSON()`. */
export type RateSynchronyResult = FieldsResult<'numerics.rateSynchrony'> & RateSynchronyFields;

/**
 * Simulates a recurrent network over trials (worker pool, or the calling thread with
 * `workers: 0`; identical for any worker count) and compares the population rate with the
 * loop-truncated mean-field estimate; reports Golomb's χ and the mean pairwise spike-count
 * correlation with CIs. The estimate needs scalar membrane constants shared by every population,
 * zero delays and channel-0 projections; for other networks it is left out (empty rates,
 * `synchronyEstimate.valid = false` with the reason). Progress unit: `trial`.
 * @example
 * ```ts
 * const r = await rateSynchronyStudy({ network: randomNetwork({ size: 60, p: 0.1, weight: 0.004, mu: 0.045, sigma: 0.02 }),
 *   duration: 2000, trials: 3, seed: 'rs' });
 * r.rate.value; r.loopTruncatedRate; // Hz
 * ```
 */
export async function rateSynchronyStudy(options: RateSynchronyOptions): Promise<RateSynchronyResult> {
  const o = strictOptions('rateSynchronyStudy', 'options', options, KEYS);
  const { trials, seed, order: ord, synchronyOrder, workers, workerUrl, pool, signal, onProgress, sliceMs, ...params } = o;
  const shape = checkSpec('options.network', params.network);
  checkParams(params, 'options');
  const nTrials = checkInteger('options.trials', trials, 2, 1e9);
  const order = checkInteger('options.order', ord ?? 4, 0, 100);
  const sOrder = checkInteger('options.synchronyOrder', synchronyOrder ?? 2, 0, 100);
  // Mean-field inputs: scalar membrane constants shared by every population, per-neuron μ, σ
  // (an external Poisson drive enters as shot noise: mean τ_s J ν, variance τ_s J² ν/2), the
  // dense jump matrix of the wiring the trials use (built once, from the seed). A network outside
  // that frame is still simulated; its estimate says why it is missing.
  const n = shape.size;
  let estimate: Parameters<typeof loopTruncatedRates>[0] | null = null;
  let why = '';
  try {
    const consts = populationConstants(params.network, 'options.network');
    const c0 = consts[0];
    consts.forEach((k, q) => {
      for (const f of ['gL', 'vLeak', 'vThreshold', 'vReset', 'tauSyn'] as const)
        if (k[f] !== c0[f])
          throw new ValidationError(`options.network.populations[${q}].params.${f}`, `${c0[f]}, the value of population 0`, k[f]);
    });
    const mu = new Float64Array(n);
    const sigma = new Float64Array(n);
    params.network.populations.forEach((p, q) => {
      const { start, size } = shape.populations[q];
      const pp = p.params ?? {};
      for (let k = 0; k < size; k++) {
        const at = (v: number | ArrayLike<number> | undefined) => (v === undefined ? 0 : typeof v === 'number' ? v : v[k]);
        mu[start + k] = at(pp.mu);
        sigma[start + k] = at(pp.sigma);
        if (pp.poisson && pp.poisson.rate > 0 && (pp.poisson.channel ?? 0) === 0) {
          const r = pp.poisson.rate / 1000;
          mu[start + k] += c0.tauSyn * pp.poisson.weight * r;
          sigma[start + k] = Math.sqrt(sigma[start + k] ** 2 + (c0.tauSyn * pp.poisson.weight ** 2 * r) / 2);
        }
      }
    });
    const wiring = buildLifNetwork(params.network, { dt: checkParams(params, 'options').dt, seed: seed ?? 0 });
    try {
      const J = denseJumps(wiring, n);
      estimate = { tauMem: c0.tauMem, vLeak: c0.vLeak, vThreshold: c0.vThreshold, vReset: c0.vReset, tauSyn: c0.tauSyn, mu, sigma, J };
    } finally {
      wiring.dispose();
    }
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    why = `no mean-field estimate for this network: ${e.message}`;
  }
  const run = { seed: seed ?? 0, range: [0, nTrials] as [number, number], params, workers, workerUrl, pool, signal, onProgress, sliceMs };
  const res = await runStudy('rateSynchronyStudy', 'numerics.rateSynchronyTrial', rateSynchronyWork, run);
  const rows = res.rows.map((x) => {
    if (!x.ok) throw new ValidationError(`trial ${x.index}`, 'a successful trial', x.error.message);
    return x.value;
  });
  const lt = estimate ? loopTruncatedRates(estimate, { order }).iterates : [];
  const sync = estimate
    ? loopTruncatedCovariance(estimate, { order: sOrder })
    : { meanCorrelation: Number.NaN, countChi: Number.NaN, loopGain: Number.NaN, jumpOverSigma: Number.NaN, valid: false, reason: why };
  const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
  const fields: RateSynchronyFields = {
    rate: estimateOver(rows.map((x) => x.meanRate)),
    chi: estimateOver(rows.map((x) => x.chi)),
    meanCorrelation: estimateOver(rows.map((x) => x.meanCorrelation)),
    countChi: estimateOver(rows.map((x) => x.countChi)),
    synchronyEstimate: { ...pick(sync, ['meanCorrelation', 'countChi', 'loopGain', 'jumpOverSigma', 'valid', 'reason']) },
    loopTruncatedRate: lt.map(mean),
    neuronRate: Array.from({ length: n }, (_, i) => mean(rows.map((x) => x.rate[i]))),
    neuronLoopTruncatedRate: lt.length ? Array.from(lt[lt.length - 1]) : [],
  };
  return new FieldsResult('numerics.rateSynchrony', fields) as RateSynchronyResult;
}
