/**
 * Rates and synchrony of recurrent LIF networks: simulation (population rate, Golomb's χ,
 * pairwise spike-count correlations) next to the loop-truncated mean-field estimate the seed
 * outlines for recurrent extensions (000_a5327dcba9ecafc1, abstract: "loop-truncated
 * strong/weak bounds controlled by synaptic cycles and rate & synchronicity estimates"; our
 * reconstruction: {@link loopTruncatedRates}).
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkOptions, checkPositive, checkRange } from '../kernel/validate.js';
import { runTrials, type WorkerPool } from '../parallel/pool.js';
import type { TrialInput } from '../parallel/types.js';
import { type Key, type Seed, Streams, seedToKey, trialKey } from '../rng/index.js';
import { uniformAt } from '../rng/reference.js';
import { loopTruncatedCovariance } from '../stats/covariance.js';
import { loopTruncatedRates } from '../stats/crossing.js';
import { type Estimate, meanConfidence } from '../stats/regression.js';
import { golombChi, spikeCountCorrelations } from '../stats/spikes.js';
import { type LabIntegrator, type LabRule, type LifLabNetwork, LifLabSimulation, resolveLabNetwork } from './sim.js';

/** Options of {@link randomLabNetwork}. */
export interface RandomLabOptions {
  /** Number of neurons. */
  n: number;
  /** Connection probability (no autapses). */
  p: number;
  /** Jump J of I per connection (jump convention; negative for inhibition). */
  jump: number;
  /** Mean current μ of every neuron (voltage units/ms, as I in dV = [−g_L(V − V_L) + I] dt). */
  mu: number;
  /** Stationary std σ of the current noise, every neuron (voltage units/ms). */
  sigma: number;
  /** Seed of the connectivity (Streams.connectivity: element j, step i). */
  seed: Seed | Key;
  /** Leak conductance g_L (1/ms). @default 0.05 */
  gL?: number;
  /** Synaptic time constant τ_s (ms). @default 5 */
  tauSyn?: number;
}

/**
 * Erdős–Rényi recurrent network: J_ij = jump with probability p (i ≠ j), drawn from the counter
 * RNG (uniform of element j at step i of `Streams.connectivity`), so it is reproducible anywhere.
 */
export function randomLabNetwork(o: RandomLabOptions): LifLabNetwork {
  const n = checkInteger('n', o?.n, 1, 1 << 14);
  const p = checkRange('p', o.p, 0, 1);
  const jump = checkFinite('jump', o.jump);
  const key = typeof o.seed === 'object' && o.seed !== null ? o.seed : seedToKey(o.seed as Seed);
  const J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j && uniformAt(key.k0, key.k1, Streams.connectivity, j, i) < p) J[i * n + j] = jump;
  }
  return { n, mu: o.mu, sigma: o.sigma, J, gL: o.gL, tauSyn: o.tauSyn };
}

/** Parameters of one rate/synchrony trial. */
export interface RateSynchronyParams {
  /** The network (e.g. {@link randomLabNetwork}). */
  network: LifLabNetwork;
  /** Step size h (ms). @default 0.05 */
  h?: number;
  /** Subthreshold integrator. @default "euler-maruyama" */
  integrator?: LabIntegrator;
  /** Spike-time rule. @default "linear" */
  rule?: LabRule;
  /** Measured duration (ms). */
  T: number;
  /** Burn-in before measuring (ms); its spikes are discarded. @default 200 */
  burnIn?: number;
  /** Spike-count bin (ms). @default 50 */
  bin?: number;
  /** Steps between voltage samples for χ. @default 10 */
  sampleEvery?: number;
}

/** One trial's measurements. */
export interface RateSynchronyTrial {
  /** Per-neuron rate (Hz). */
  rateHz: number[];
  /** Population-mean rate (Hz): mean of `rateHz`. */
  meanRateHz: number;
  /** Golomb's χ from voltage samples. */
  chi: number;
  /** Mean pairwise spike-count correlation (counts in bins of `bin` ms). */
  meanCorrelation: number;
  /** Count-based Golomb χ from the same bins: χ² = Var(Σ N_i)/(n Σ Var N_i). */
  countChi: number;
}

/** One trial (worker task `numerics.rateSynchronyTrial`). */
export function rateSynchronyTrial(input: TrialInput<RateSynchronyParams>): RateSynchronyTrial {
  const p = input.params;
  const net = resolveLabNetwork(p.network, 'network');
  const h = checkPositive('h', p.h ?? 0.05, 'ms');
  const T = checkPositive('T', p.T, 'ms');
  const burn = checkRange('burnIn', p.burnIn ?? 200, 0, Number.MAX_VALUE, { unit: 'ms' });
  const bin = checkPositive('bin', p.bin ?? 50, 'ms');
  const every = checkInteger('sampleEvery', p.sampleEvery ?? 10, 1, 1000);
  const sim = new LifLabSimulation(net, {
    h,
    integrator: p.integrator,
    rule: p.rule,
    seed: trialKey(input.seed, input.trial),
    chunk: every,
  });
  try {
    sim.advance(Math.round(burn / h));
    sim.clearSpikes();
    const t0 = sim.step * h;
    const steps = Math.round(T / h);
    const n = net.n;
    const samples: number[] = [];
    for (let done = 0; done < steps; done += every) {
      sim.advance(Math.min(every, steps - done));
      const V = sim.state.V;
      for (let i = 0; i < n; i++) samples.push(V[i]);
    }
    const sp = sim.spikes();
    const counts = new Float64Array(n);
    for (const i of sp.neuron) counts[i]++;
    const rateHz = Array.from(counts, (c) => (1000 * c) / (steps * h));
    const corr = spikeCountCorrelations({ neuron: sp.neuron, time: sp.time }, { n, tStart: t0, tStop: t0 + steps * h, binSize: bin });
    return {
      rateHz,
      meanRateHz: rateHz.reduce((a, b) => a + b, 0) / n,
      chi: golombChi(samples, { n }),
      meanCorrelation: corr.meanPairwise,
      countChi: corr.countChi,
    };
  } finally {
    sim.dispose();
  }
}

/** Options of {@link rateSynchronyStudy}. */
export interface RateSynchronyOptions extends RateSynchronyParams {
  /** Number of trials (independent noise, same network). */
  trials: number;
  /** Study seed; trial k uses `trialKey(seed, k)`. */
  seed: number | string;
  /** Loop-truncation orders reported. @default 4 */
  order?: number;
  /** Path-length truncation of the synchrony (covariance) estimate. @default 2 */
  synchronyOrder?: number;
  /** Worker count (0 = inline). @default hardware concurrency */
  workers?: number;
  /** URL of the bundled worker script (`dist/worker.js`), when the default cannot be resolved. */
  workerUrl?: URL | string;
  /** An existing pool to run on (not terminated afterwards). */
  pool?: WorkerPool;
  /** Called after each trial with (completed, total). */
  onProgress?: (completed: number, total: number) => void;
  /** Abort signal: the promise then rejects with `AbortedError` (its `partial` holds the settled rows). */
  signal?: AbortSignal;
}

/** Result of {@link rateSynchronyStudy}. */
export interface RateSynchronyResult {
  /** Population rate (Hz) over trials. */
  rateHz: Estimate;
  /** Golomb's χ from voltage samples (dimensionless, 0 = asynchronous, 1 = fully synchronous), over trials. */
  chi: Estimate;
  /** Mean pairwise spike-count correlation (bins of `bin` ms), over trials. */
  meanCorrelation: Estimate;
  /** Count-based Golomb χ, χ² = Var(Σ N_i)/(n Σ Var N_i), over trials. */
  countChi: Estimate;
  /**
   * Loop-truncated synchrony estimate ({@link loopTruncatedCovariance}): long-window limit of the
   * mean pairwise count correlation and of the count χ, with its validity verdict. Compare with the
   * measured values only for bins much longer than τ_s, τ_m and the ISI (e.g. `bin` ≥ 250 ms).
   */
  synchronyEstimate: {
    /** Predicted mean pairwise count correlation ρ_ij = C_ij/√(C_ii C_jj), i ≠ j (long-window limit). */
    meanCorrelation: number;
    /** Predicted count χ, χ² = Σ_ij C_ij / (n Σ_i C_ii). */
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

  /** Population-mean loop-truncated rate (Hz) at orders 0..order (order 0 = no recurrence). */
  loopTruncatedHz: number[];
  /** Per-neuron simulated rate averaged over trials (Hz). */
  neuronRateHz: number[];
  /** Per-neuron loop-truncated rate at the highest order (Hz). */
  neuronLoopTruncatedHz: number[];
}

/**
 * Simulates a recurrent network over trials (worker pool; identical for any worker count) and
 * compares the population rate with the loop-truncated mean-field estimate; reports Golomb's χ
 * and the mean pairwise spike-count correlation with CIs.
 */
export async function rateSynchronyStudy(options: RateSynchronyOptions): Promise<RateSynchronyResult> {
  const o = checkOptions('options', options);
  const net = resolveLabNetwork(o.network, 'options.network');
  const trials = checkInteger('options.trials', o.trials, 2, 1e9);
  const order = checkInteger('options.order', o.order ?? 4, 0, 100);
  const params: RateSynchronyParams = {
    network: {
      n: net.n,
      gL: net.gL,
      vL: net.vL,
      vTh: net.vTh,
      vReset: net.vReset,
      tauSyn: net.tauSyn,
      mu: Array.from(net.mu),
      sigma: Array.from(net.sigma),
      J: net.J ? Array.from(net.J) : undefined,
      poissonRate: net.poissonRate ? Array.from(net.poissonRate) : undefined,
      poissonJump: net.poissonJump ? Array.from(net.poissonJump) : undefined,
    },
    h: o.h,
    integrator: o.integrator,
    rule: o.rule,
    T: o.T,
    burnIn: o.burnIn,
    bin: o.bin,
    sampleEvery: o.sampleEvery,
  };
  const r = await runTrials<RateSynchronyTrial, RateSynchronyParams>('numerics.rateSynchronyTrial', {
    tasks: { 'numerics.rateSynchronyTrial': rateSynchronyTrial }, // inline runs (workers: 0); workers run the package's tables
    seed: o.seed,
    range: [0, trials],
    params,
    workers: o.workers,
    workerUrl: o.workerUrl,
    pool: o.pool,
    onProgress: o.onProgress && ((p) => o.onProgress?.(p.done, p.total)),
    signal: o.signal,
  });
  const rows = r.rows.map((x) => {
    if (!x.ok) throw new ValidationError(`trial ${x.index}`, 'a successful trial', x.error.message);
    return x.value;
  });
  const base = { tauMem: 1 / net.gL, vLeak: net.vL, vThreshold: net.vTh, vReset: net.vReset, tauSyn: net.tauSyn };
  // An external Poisson drive enters mean field as shot noise: mean τ_s J ν, variance τ_s J² ν/2.
  const mu = Float64Array.from(net.mu);
  const sigma = Float64Array.from(net.sigma);
  if (net.poissonRate && net.poissonJump) {
    for (let i = 0; i < net.n; i++) {
      const r = net.poissonRate[i] / 1000;
      mu[i] += net.tauSyn * net.poissonJump[i] * r;
      sigma[i] = Math.sqrt(sigma[i] ** 2 + (net.tauSyn * net.poissonJump[i] ** 2 * r) / 2);
    }
  }
  const Jm = net.J ?? new Float64Array(net.n * net.n);
  const lt = loopTruncatedRates({ ...base, mu, sigma, J: Jm }, { order }).iterates;
  const sync = loopTruncatedCovariance(
    { ...base, mu, sigma, J: Jm },
    {
      order: checkInteger('options.synchronyOrder', o.synchronyOrder ?? 2, 0, 100),
    },
  );
  const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
  return {
    rateHz: meanConfidence(rows.map((x) => x.meanRateHz)),
    chi: meanConfidence(rows.map((x) => x.chi)),
    meanCorrelation: meanConfidence(rows.map((x) => x.meanCorrelation)),
    countChi: meanConfidence(rows.map((x) => x.countChi)),
    synchronyEstimate: {
      meanCorrelation: sync.meanCorrelation,
      countChi: sync.countChi,
      loopGain: sync.loopGain,
      jumpOverSigma: sync.jumpOverSigma,
      valid: sync.valid,
      reason: sync.reason,
    },
    loopTruncatedHz: lt.map(mean),
    neuronRateHz: Array.from({ length: net.n }, (_, i) => mean(rows.map((x) => x.rateHz[i]))),
    neuronLoopTruncatedHz: Array.from(lt[lt.length - 1]),
  };
}
