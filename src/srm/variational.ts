/**
 * Variational learning with hidden neurons (seed 003, the note's eq. 24 for the M network and
 * eq. 25 for the Q network; Jimenez Rezende & Gerstner 2014).
 *
 * Two networks over the same n neurons: the model M (weights w^M, all neurons, defines
 * P(X_V, X_H)) and the recognition network Q (weights w^Q; the visible neurons are clamped to
 * the data and only the hidden ones are sampled, defining Q(X_H | X_V)). For one sample
 * X_H ~ Q the free-energy estimate is F̂ = log Q(X_H|X_V) − log P(X_V, X_H), with
 * E_Q[F̂] = F ≥ −log P(X_V). The updates are
 * - M: w^M_ij += μ_M mask^M_ij ∂ log P(X_V, X_H)/∂w^M_ij   (exact score, all neurons i)
 * - Q: w^Q_ij −= μ_Q (F̂ − F̄) mask^Q_ij ∂ log Q(X_H|X_V)/∂w^Q_ij   (hidden i only)
 * where F̄ is a running baseline (F̄ += (F̂ − F̄)/τ_b after each update; it reduces the variance
 * of the score-function estimator without bias, since E_Q[∂ log Q] = 0). The same for biases.
 *
 * Look-ahead (option `lookaheadSteps` = D ≥ 2, not in the seed): Q gets nVisible extra clamped
 * neurons carrying the visible data advanced by D steps, c_k(t) = X_{v_k}(t + D), so a hidden
 * neuron of Q at step t sees (through the causal trace of c) the visible spikes up to t + D − 1.
 * Q(X_H|X_V) = Π_t q(X_H(t) | X_H(<t), X_V) stays a normalised distribution of X_H for fixed
 * X_V, so F̂ and the bounds stay valid; M is unchanged and generates causally.
 * @packageDocumentation
 */
import { optionKeys, ProgressTracker, RUN_OPTION_KEYS, type RunOptions } from '../contract/index.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { KernelObject } from '../kernel/region.js';
import { checkBoolean, checkInteger, checkNonNegative, checkPositive, scalarOrArray } from '../kernel/validate.js';
import { type Seed, seedKeyOf } from '../rng/seed.js';
import {
  checkSrmCommon,
  checkSrmMask,
  checkSrmTrain,
  resolveSrmParams,
  SRM_LIMITS,
  SRM_PARAM_KEYS,
  type SrmParams,
  type SrmResult,
  type SrmSpikeRaster,
  type SrmSpikeTrain,
  type SrmWarning,
  type SrmWarningName,
  srmOptions,
  srmResult,
  srmSpikeTrain,
} from './common.js';
import { SrmNetwork, type SrmNetworkOptions } from './network.js';

/** Options of {@link SrmVariational}. */
export interface SrmVariationalOptions extends SrmParams {
  /** Number of neurons (visible + hidden). Required. */
  n: number;
  /** Visible mask, length n (1 or true = visible). Required. */
  visible: ArrayLike<number | boolean>;
  /** Initial model weights (row-major n·n). @default zeros */
  weightsM?: ArrayLike<number>;
  /** Initial model biases (units of u). @default 0 */
  biasM?: number | ArrayLike<number>;
  /**
   * Initial recognition weights (row-major, nQ·nQ with nQ = n + (lookaheadSteps > 0 ? nVisible : 0);
   * index j ≥ n is the look-ahead copy of visible neuron number j − n). @default zeros
   */
  weightsQ?: ArrayLike<number>;
  /** Initial recognition biases (length nQ). @default 0 */
  biasQ?: number | ArrayLike<number>;
  /**
   * Steps D by which Q sees the visible data ahead (0 = causal Q, as in the seed). Q's hidden
   * neuron at step t is driven by the visible spikes up to t + D − 1, so D ≥ 2 is needed for a
   * hidden spike of Q to precede the visible spike it explains. @default 0
   */
  lookaheadSteps?: number;
  /** Plastic synapses of M (row-major 0/1, n·n). @default all ones */
  maskM?: ArrayLike<number | boolean>;
  /**
   * Plastic synapses of Q (row-major 0/1, nQ·nQ); rows of visible and look-ahead neurons must be
   * 0 (Q does not generate them). @default 1 on hidden rows, 0 on the other rows
   */
  maskQ?: ArrayLike<number | boolean>;
  /** Seed of Q's hidden-spike draws when a call gives neither seed nor trial. @default 0 */
  seed?: Seed;
  /** Trial index of that default key. @default none */
  trial?: number;
  /** λ = ρ dt above which `srm.saturation` is raised, in both networks. @default 0.5 */
  saturationLambda?: number;
  /** Receives the warnings of both networks. @default console.warn */
  onWarning?: (w: SrmWarning) => void;
  /** Warning names to silence in both networks. */
  silence?: SrmWarningName[];
}

const VARIATIONAL_KEYS = optionKeys<SrmVariationalOptions>()([
  ...SRM_PARAM_KEYS,
  'n',
  'visible',
  'weightsM',
  'biasM',
  'weightsQ',
  'biasQ',
  'lookaheadSteps',
  'maskM',
  'maskQ',
  'seed',
  'trial',
  'saturationLambda',
  'onWarning',
  'silence',
] as const);

/** One free-energy estimate and its gradients (row-major, masks applied). */
export type SrmVariationalEstimate = SrmResult<
  'srm.variationalEstimate',
  {
    /** F̂ = log Q − log P (nats). */
    freeEnergy: number;
    /** log Q(X_H | X_V) (nats). */
    logQ: number;
    /** log P(X_V, X_H) (nats). */
    logP: number;
    /** The full train of M's n neurons (visible data + sampled hidden spikes). */
    train: SrmSpikeTrain;
    /** ∂ log P/∂w^M (masked) and ∂ log P/∂b^M. */
    gradM: {
      /** ∂ log P/∂w_ij^M · maskM_ij, row-major n·n (nats per unit weight). */
      dW: Float64Array;
      /** ∂ log P/∂b_i^M, length n (nats per unit of u). */
      dBias: Float64Array;
    };
    /** ∂ log Q/∂w^Q (nQ·nQ, masked, hidden rows) and ∂ log Q/∂b^Q (hidden). */
    gradQ: {
      /** ∂ log Q/∂w_ij^Q · maskQ_ij, row-major nQ·nQ (0 on visible and look-ahead rows). */
      dW: Float64Array;
      /** ∂ log Q/∂b_i^Q, length nQ (0 on visible and look-ahead neurons). */
      dBias: Float64Array;
    };
  }
>;

/** Result of {@link SrmVariational.learnStep}: the estimate used for the update and the baseline after it. */
export type SrmVariationalStep = SrmResult<
  'srm.variationalStep',
  Omit<SrmVariationalEstimate, 'kind' | 'toJSON'> & {
    /** Running baseline F̄ after this update (nats). */
    baseline: number;
  }
>;

/** Result of {@link SrmVariational.bound}. */
export type SrmVariationalBound = SrmResult<
  'srm.bound',
  {
    /** Evidence lower bound −mean F̂ (nats). */
    elbo: number;
    /** Importance-weighted bound log mean exp(−F̂) (nats), ≥ the ELBO. */
    importanceWeighted: number;
    /** Number of Q samples. */
    samples: number;
  }
>;

/** Seed/trial of one Q sample. */
export interface SrmDrawOptions {
  /**
   * Seed of Q's hidden-spike draws (stream `Streams.spikes`). Without seed and trial the
   * recognition network's own key is used; with either, `keyOfSeed({ seed: seed ?? the network's seed, trial })`.
   */
  seed?: Seed;
  /** Trial index: draws use `trialKey(seed, trial)`. @default none */
  trial?: number;
}

/** Options of {@link SrmVariational.learnStep}. */
export interface SrmLearnStepOptions extends SrmDrawOptions {
  /** Learning rate μ_M of the model (multiplies the summed, not time-averaged, gradient), ≥ 0. Required. */
  learningRateM: number;
  /** Learning rate μ_Q of the recognition network, ≥ 0. Required. */
  learningRateQ: number;
  /** Time constant of the running baseline, counted in updates (≥ 1). @default 10 */
  baselineUpdates?: number;
  /**
   * Divide F̂ − F̄ by max(1 nat, running RMS of F̂ − F̄) (same time constant): an adaptive
   * learning rate for Q that keeps the score-function step bounded. The 1-nat floor stops the
   * step from growing without bound once Q is nearly deterministic and F̂ hardly varies
   * (without it Q's biases diverged after ~10⁴ updates in the pattern task). Not in the
   * paper. @default false
   */
  normalize?: boolean;
}

/** Options of {@link SrmVariational.bound}. */
export interface SrmBoundOptions extends RunOptions {
  /** Number of Q samples (trials 0..samples−1 of `seed`). @default 16 */
  samples?: number;
  /** Seed of the samples. @default the recognition network's seed */
  seed?: Seed;
}

const DRAW_KEYS = optionKeys<SrmDrawOptions>()(['seed', 'trial']);
const LEARN_KEYS = optionKeys<SrmLearnStepOptions>()(['learningRateM', 'learningRateQ', 'baselineUpdates', 'normalize', 'seed', 'trial']);
const BOUND_KEYS = optionKeys<SrmBoundOptions>()(['samples', 'seed', ...RUN_OPTION_KEYS]);

/**
 * Model + recognition networks for learning spike patterns of visible neurons with the help of
 * hidden neurons.
 * @example
 * ```ts
 * const v = new SrmVariational({ n: 6, visible: [1, 1, 1, 0, 0, 0] });
 * for (let e = 0; e < 100; e++) v.learnStep(data, { learningRateM: 1e-3, learningRateQ: 1e-4, trial: e });
 * v.dispose();
 * // Q seeing the data 2 steps ahead: Q has 6 + 3 neurons; give the look-ahead copies
 * // (columns 6..8) excitatory weights onto Q's hidden rows 3..5 so that the hidden code does not collapse
 * const wQ = new Array(81).fill(0);
 * for (let i = 3; i < 6; i++) for (let j = 6; j < 9; j++) wQ[i * 9 + j] = 0.5;
 * const la = new SrmVariational({ n: 6, visible: [1, 1, 1, 0, 0, 0], lookaheadSteps: 2, weightsQ: wQ });
 * ```
 */
export class SrmVariational extends KernelObject {
  /** Number of neurons of the model M (visible + hidden). */
  readonly n: number;
  /** The generative model M. */
  readonly model: SrmNetwork;
  /** The recognition network Q. */
  readonly recognition: SrmNetwork;
  /** Indices of the visible neurons. */
  readonly visibleIndex: number[];
  /** Look-ahead D of Q in steps (0 = causal). */
  readonly lookaheadSteps: number;
  /** Size of the recognition network: n, plus nVisible look-ahead neurons when D > 0. */
  readonly nQ: number;
  /** Plastic synapses of M (row-major 0/1, n·n); multiplies ∂ log P/∂w^M. */
  readonly maskM: Float64Array;
  /** Plastic synapses of Q (row-major 0/1, nQ·nQ; only hidden rows may be 1); multiplies ∂ log Q/∂w^Q. */
  readonly maskQ: Float64Array;
  /** Running baseline F̄ of the Q update (nats; NaN until the first update). */
  baseline = Number.NaN;
  /** Running mean of (F̂ − F̄)² (nats²; NaN until the second update), used when `normalize` is set. */
  baselineVariance = Number.NaN;

  /**
   * @param options - sizes, visible mask, both networks' initial parameters, look-ahead; see {@link SrmVariationalOptions}
   */
  constructor(options: SrmVariationalOptions) {
    super();
    const o = srmOptions<SrmVariationalOptions>('SrmVariational', 'options', options, VARIATIONAL_KEYS);
    // Everything is checked before either network allocates (a failed check leaks nothing).
    const n = checkInteger('n', o.n, 1, SRM_LIMITS.maxNeurons);
    this.n = n;
    if (o.visible === undefined) throw new ValidationError('visible', `a 0/1 mask of length ${n}`, undefined);
    const vis = checkSrmMask('visible', o.visible, n);
    this.visibleIndex = [];
    for (let i = 0; i < n; i++) if (vis[i]) this.visibleIndex.push(i);
    if (this.visibleIndex.length === 0) throw new ValidationError('visible', 'at least one visible neuron', o.visible);
    this.lookaheadSteps = checkInteger('lookaheadSteps', o.lookaheadSteps ?? 0, 0, 1 << 20);
    const nQ = this.lookaheadSteps > 0 ? n + this.visibleIndex.length : n;
    if (nQ > SRM_LIMITS.maxNeurons)
      throw new ValidationError('n', `n + nVisible ≤ ${SRM_LIMITS.maxNeurons} with a look-ahead (the size of Q)`, o.n);
    this.nQ = nQ;
    this.maskM = o.maskM === undefined ? new Float64Array(n * n).fill(1) : checkSrmMask('maskM', o.maskM, n * n);
    if (o.maskQ === undefined) {
      this.maskQ = new Float64Array(nQ * nQ);
      for (let i = 0; i < n; i++) if (!vis[i]) this.maskQ.fill(1, i * nQ, (i + 1) * nQ);
    } else {
      this.maskQ = checkSrmMask('maskQ', o.maskQ, nQ * nQ);
      for (let i = 0; i < nQ; i++) {
        if (i < n && !vis[i]) continue;
        for (let j = 0; j < nQ; j++) {
          if (this.maskQ[i * nQ + j]) {
            const what = i < n ? 'a visible neuron' : 'a look-ahead neuron';
            throw new ValidationError(`maskQ[${i * nQ + j}]`, `0 (row ${i} is ${what}: Q does not generate it)`, 1);
          }
        }
      }
    }
    const weightsM = o.weightsM === undefined ? undefined : scalarOrArray('weightsM', o.weightsM, n * n);
    const biasM = scalarOrArray('biasM', o.biasM ?? 0, n);
    const weightsQ = o.weightsQ === undefined ? undefined : scalarOrArray('weightsQ', o.weightsQ, nQ * nQ);
    const biasQ = scalarOrArray('biasQ', o.biasQ ?? 0, nQ);
    resolveSrmParams(o);
    checkSrmCommon(o);
    seedKeyOf({ seed: o.seed, trial: o.trial });
    const visQ = new Float64Array(nQ).fill(1);
    visQ.set(vis);
    const shared: Omit<SrmNetworkOptions, 'n'> = {};
    for (const k of [...SRM_PARAM_KEYS, 'seed', 'trial', 'saturationLambda', 'onWarning', 'silence'] as const)
      if (o[k] !== undefined) (shared as Record<string, unknown>)[k] = o[k];
    try {
      this.model = this.adopt(new SrmNetwork({ ...shared, n, visible: vis, weights: weightsM, bias: biasM }));
      this.recognition = this.adopt(new SrmNetwork({ ...shared, n: nQ, visible: visQ, weights: weightsQ, bias: biasQ }));
    } catch (e) {
      // The rest check of biasQ, or an allocation: free the model if it was made.
      this.dispose();
      throw e;
    }
  }

  /** Number of visible neurons. */
  get nVisible(): number {
    return this.visibleIndex.length;
  }

  /** Embeds visible data (n = nVisible) in a full train with silent hidden neurons. */
  expand(data: SrmSpikeRaster): SrmSpikeTrain {
    const nv = this.nVisible;
    const dt = this.model.params.dt;
    const d = checkSrmTrain('data', data, nv, dt);
    const n = this.n;
    const spikes = new Uint8Array(d.steps * n);
    for (let t = 0; t < d.steps; t++) for (let k = 0; k < nv; k++) spikes[t * n + this.visibleIndex[k]] = d.spikes[t * nv + k];
    return srmSpikeTrain(n, d.steps, dt, spikes);
  }

  /**
   * The clamp train of Q (nQ neurons): the visible data, and with look-ahead D the copies
   * c_k(t) = X_{v_k}(t + D) (0 past the end of the data).
   */
  expandQ(data: SrmSpikeRaster): SrmSpikeTrain {
    const full = this.expand(data);
    if (this.nQ === this.n) return full;
    const { n, nQ, lookaheadSteps: D } = this;
    const nv = this.nVisible;
    const spikes = new Uint8Array(full.steps * nQ);
    for (let t = 0; t < full.steps; t++) {
      spikes.set(full.spikes.subarray(t * n, (t + 1) * n), t * nQ);
      if (t + D < full.steps) for (let k = 0; k < nv; k++) spikes[t * nQ + n + k] = data.spikes[(t + D) * nv + k];
    }
    return srmSpikeTrain(nQ, full.steps, full.dt, spikes);
  }

  /** The visible rows of a full train (n = nVisible). */
  visiblePart(train: SrmSpikeRaster): SrmSpikeTrain {
    const dt = this.model.params.dt;
    const t = checkSrmTrain('train', train, this.n, dt);
    const nv = this.nVisible;
    const spikes = new Uint8Array(t.steps * nv);
    for (let s = 0; s < t.steps; s++) for (let k = 0; k < nv; k++) spikes[s * nv + k] = t.spikes[s * this.n + this.visibleIndex[k]];
    return srmSpikeTrain(nv, t.steps, dt, spikes);
  }

  /** Draws X_H ~ Q(·|X_V) and returns F̂ with the gradients of both networks. */
  estimate(data: SrmSpikeRaster, draw: SrmDrawOptions = {}): SrmVariationalEstimate {
    this.assertLive();
    const d = srmOptions<SrmDrawOptions>('SrmVariational.estimate', 'draw', draw, DRAW_KEYS);
    return this.#estimate(data, d.seed, d.trial);
  }

  #estimate(data: SrmSpikeRaster, seed: Seed | undefined, trial: number | undefined): SrmVariationalEstimate {
    const full = this.expandQ(data);
    const { n, nQ } = this;
    const dt = this.model.params.dt;
    // One pass samples X_H ~ Q and accumulates the score of log Q (same values as gradient()).
    const q = this.recognition.sample(full.duration, { seed, trial, clamp: full, gradient: 'backward' });
    const gq = q.gradient!;
    let train = q.train;
    if (nQ !== n) {
      const spikes = new Uint8Array(full.steps * n);
      for (let t = 0; t < full.steps; t++) spikes.set(q.train.spikes.subarray(t * nQ, t * nQ + n), t * n);
      train = srmSpikeTrain(n, full.steps, dt, spikes);
    }
    const gm = this.model.gradient(train);
    let logQ = 0;
    const dWQ = new Float64Array(nQ * nQ);
    const dBQ = new Float64Array(nQ);
    const isVis = new Uint8Array(n);
    for (const i of this.visibleIndex) isVis[i] = 1;
    for (let i = 0; i < n; i++) {
      if (isVis[i]) continue;
      logQ += gq.perNeuron[i];
      dBQ[i] = gq.dBias[i];
      for (let j = 0; j < nQ; j++) dWQ[i * nQ + j] = gq.dW[i * nQ + j] * this.maskQ[i * nQ + j];
    }
    const dWM = gm.dW.map((x, k) => x * this.maskM[k]);
    return srmResult('srm.variationalEstimate', {
      freeEnergy: logQ - gm.logLik,
      logQ,
      logP: gm.logLik,
      train,
      gradM: { dW: dWM, dBias: gm.dBias },
      gradQ: { dW: dWQ, dBias: dBQ },
    });
  }

  /**
   * One stochastic update of both networks from one Q sample (see the module doc): M ascends
   * log P, Q descends F with the baseline-corrected score-function estimator. Learning rates
   * multiply the summed (not time-averaged) gradients.
   */
  learnStep(data: SrmSpikeRaster, options: SrmLearnStepOptions): SrmVariationalStep {
    this.assertLive();
    const opts = srmOptions<SrmLearnStepOptions>('SrmVariational.learnStep', 'options', options, LEARN_KEYS);
    const lrM = checkNonNegative('options.learningRateM', opts.learningRateM);
    const lrQ = checkNonNegative('options.learningRateQ', opts.learningRateQ);
    const tauB = checkPositive('options.baselineUpdates', opts.baselineUpdates ?? 10, 'updates');
    if (tauB < 1) throw new ValidationError('options.baselineUpdates', 'a number >= 1 (updates)', tauB);
    const normalize = opts.normalize === undefined ? false : checkBoolean('options.normalize', opts.normalize);
    const e = this.#estimate(data, opts.seed, opts.trial);
    this.model.addToParameters(e.gradM, { scale: lrM });
    if (Number.isNaN(this.baseline)) this.baseline = e.freeEnergy;
    else {
      const adv = e.freeEnergy - this.baseline;
      // The scale uses only past samples, so the step stays an unbiased direction.
      const scale = normalize && this.baselineVariance > 0 ? 1 / Math.max(1, Math.sqrt(this.baselineVariance)) : 1;
      this.recognition.addToParameters(e.gradQ, { scale: -lrQ * adv * scale });
      this.baselineVariance = Number.isNaN(this.baselineVariance)
        ? adv * adv
        : this.baselineVariance + (adv * adv - this.baselineVariance) / tauB;
      this.baseline += adv / tauB;
    }
    return srmResult('srm.variationalStep', {
      freeEnergy: e.freeEnergy,
      logQ: e.logQ,
      logP: e.logP,
      train: e.train,
      gradM: e.gradM,
      gradQ: e.gradQ,
      baseline: this.baseline,
    });
  }

  /**
   * Bounds on log P(X_V) from `samples` Q draws (trials 0..samples−1 of `seed`): the ELBO
   * −mean F̂ and the tighter importance-weighted bound log mean exp(−F̂) (both ≤ log P(X_V)
   * in expectation). Progress counts samples; an abort ends it with `AbortedError` whose
   * `partial` is the list of F̂ drawn so far.
   */
  bound(data: SrmSpikeRaster, options: SrmBoundOptions = {}): SrmVariationalBound {
    this.assertLive();
    const opts = srmOptions<SrmBoundOptions>('SrmVariational.bound', 'options', options, BOUND_KEYS);
    const m = checkInteger('options.samples', opts.samples ?? 16, 1, 1 << 20);
    const seed = opts.seed ?? this.recognition.seed;
    seedKeyOf({ seed }, 'options.');
    this.expandQ(data);
    const pr = new ProgressTracker('SrmVariational.bound', m, 'sample', opts);
    const fs: number[] = [];
    for (let k = 0; k < m; k++) {
      fs.push(this.#estimate(data, seed, k).freeEnergy);
      if (pr.wantsProgress) {
        pr.report(k + 1);
        this.assertLive();
      }
      if (pr.aborted) throw new AbortedError(`SrmVariational.bound aborted after ${k + 1} of ${m} samples`, fs.slice());
    }
    const mean = fs.reduce((a, b) => a + b, 0) / m;
    let mx = Number.NEGATIVE_INFINITY;
    for (const f of fs) mx = Math.max(mx, -f);
    const lse = mx + Math.log(fs.reduce((a, f) => a + Math.exp(-f - mx), 0) / m);
    return srmResult('srm.bound', { elbo: -mean, importanceWeighted: lse, samples: m });
  }
}
