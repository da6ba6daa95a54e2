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
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { KernelObject } from '../kernel/region.js';
import { checkInteger, checkNonNegative, checkOptions, checkPositive } from '../kernel/validate.js';
import type { Key, Seed } from '../rng/seed.js';
import { checkSrmMask, checkSrmTrain, SrmNetwork, type SrmParams, type SrmSpikeTrain, type SrmWarningName } from './index.js';

/** Options of {@link SrmVariational}. */
export interface SrmVariationalOptions extends SrmParams {
  /** Number of neurons (visible + hidden). */
  n: number;
  /** Visible mask, length n (1 or true = visible). */
  visible: ArrayLike<number | boolean>;
  /** Initial model weights (row-major). @default zeros */
  weightsM?: ArrayLike<number>;
  /** Initial model biases. @default 0 */
  biasM?: number | ArrayLike<number>;
  /** Initial recognition weights (row-major). @default zeros */
  weightsQ?: ArrayLike<number>;
  /** Initial recognition biases. @default 0 */
  biasQ?: number | ArrayLike<number>;
  /** Plastic synapses of M (row-major 0/1, n·n). @default all ones */
  maskM?: ArrayLike<number | boolean>;
  /**
   * Plastic synapses of Q (row-major 0/1, n·n); rows of visible neurons must be 0 (Q does not
   * generate visible spikes). @default 1 on hidden rows, 0 on visible rows
   */
  maskQ?: ArrayLike<number | boolean>;
  /** Warning names to silence in both networks. */
  silence?: SrmWarningName[];
}

/** One free-energy estimate and its gradients (row-major, masks applied). */
export interface SrmVariationalEstimate {
  /** F̂ = log Q − log P (nats). */
  freeEnergy: number;
  /** log Q(X_H | X_V). */
  logQ: number;
  /** log P(X_V, X_H). */
  logP: number;
  /** The full train (visible data + sampled hidden spikes). */
  train: SrmSpikeTrain;
  /** ∂ log P/∂w^M (masked) and ∂ log P/∂b^M. */
  gradM: { dW: Float64Array; dBias: Float64Array };
  /** ∂ log Q/∂w^Q (masked, hidden rows) and ∂ log Q/∂b^Q (hidden). */
  gradQ: { dW: Float64Array; dBias: Float64Array };
}

/** Seed/trial/key of one Q sample. */
export interface SrmDrawOptions {
  seed?: Seed;
  trial?: number;
  key?: Key;
}

/**
 * Model + recognition networks for learning spike patterns of visible neurons with the help of
 * hidden neurons.
 * @example
 * ```ts
 * const v = new SrmVariational({ n: 6, visible: [1, 1, 1, 0, 0, 0] });
 * for (let e = 0; e < 100; e++) v.learnStep(data, { learningRateM: 1e-3, learningRateQ: 1e-4, trial: e });
 * v.dispose();
 * ```
 */
export class SrmVariational extends KernelObject {
  readonly n: number;
  /** The generative model M. */
  readonly model: SrmNetwork;
  /** The recognition network Q. */
  readonly recognition: SrmNetwork;
  /** Indices of the visible neurons. */
  readonly visibleIndex: number[];
  readonly maskM: Float64Array;
  readonly maskQ: Float64Array;
  /** Running baseline F̄ of the Q update (NaN until the first update). */
  baseline = Number.NaN;
  /** Running mean of (F̂ − F̄)², used when `normalize` is set. */
  baselineVariance = Number.NaN;

  constructor(options: SrmVariationalOptions) {
    super();
    const o = checkOptions('options', options);
    const n = checkInteger('n', o.n, 1, 8192);
    this.n = n;
    const vis = checkSrmMask('visible', o.visible, n);
    this.visibleIndex = [];
    for (let i = 0; i < n; i++) if (vis[i]) this.visibleIndex.push(i);
    if (this.visibleIndex.length === 0) throw new ValidationError('visible', 'at least one visible neuron', o.visible);
    this.maskM = o.maskM === undefined ? new Float64Array(n * n).fill(1) : checkSrmMask('maskM', o.maskM, n * n);
    if (o.maskQ === undefined) {
      this.maskQ = new Float64Array(n * n);
      for (let i = 0; i < n; i++) if (!vis[i]) this.maskQ.fill(1, i * n, (i + 1) * n);
    } else {
      this.maskQ = checkSrmMask('maskQ', o.maskQ, n * n);
      for (const i of this.visibleIndex) {
        for (let j = 0; j < n; j++) {
          if (this.maskQ[i * n + j]) {
            throw new ValidationError(`maskQ[${i * n + j}]`, `0 (row ${i} is a visible neuron: Q does not generate visible spikes)`, 1);
          }
        }
      }
    }
    const { weightsM, biasM, weightsQ, biasQ, maskM: _m, maskQ: _q, ...rest } = o;
    this.model = this.adopt(new SrmNetwork({ ...rest, n, visible: vis, weights: weightsM, bias: biasM }));
    this.recognition = this.adopt(new SrmNetwork({ ...rest, n, visible: vis, weights: weightsQ, bias: biasQ }));
  }

  /** Number of visible neurons. */
  get nVisible(): number {
    return this.visibleIndex.length;
  }

  /** Embeds visible data (n = nVisible) in a full train with silent hidden neurons. */
  expand(data: SrmSpikeTrain): SrmSpikeTrain {
    const nv = this.nVisible;
    const d = checkSrmTrain('data', data, nv);
    const n = this.n;
    const spikes = new Uint8Array(d.steps * n);
    for (let t = 0; t < d.steps; t++) for (let k = 0; k < nv; k++) spikes[t * n + this.visibleIndex[k]] = d.spikes[t * nv + k];
    return { n, steps: d.steps, spikes };
  }

  /** The visible rows of a full train (n = nVisible). */
  visiblePart(train: SrmSpikeTrain): SrmSpikeTrain {
    const t = checkSrmTrain('train', train, this.n);
    const nv = this.nVisible;
    const spikes = new Uint8Array(t.steps * nv);
    for (let s = 0; s < t.steps; s++) for (let k = 0; k < nv; k++) spikes[s * nv + k] = t.spikes[s * this.n + this.visibleIndex[k]];
    return { n: nv, steps: t.steps, spikes };
  }

  /** Draws X_H ~ Q(·|X_V) and returns F̂ with the gradients of both networks. */
  estimate(data: SrmSpikeTrain, draw: SrmDrawOptions = {}): SrmVariationalEstimate {
    this.assertLive();
    const full = this.expand(data);
    const n = this.n;
    const q = this.recognition.sample(full.steps, { ...checkOptions('draw', draw), clamp: full });
    const gq = this.recognition.gradient(q.train);
    const gm = this.model.gradient(q.train);
    let logQ = 0;
    const dWQ = new Float64Array(n * n);
    const dBQ = new Float64Array(n);
    const isVis = new Uint8Array(n);
    for (const i of this.visibleIndex) isVis[i] = 1;
    for (let i = 0; i < n; i++) {
      if (isVis[i]) continue;
      logQ += gq.perNeuron[i];
      dBQ[i] = gq.dBias[i];
      for (let j = 0; j < n; j++) dWQ[i * n + j] = gq.dW[i * n + j] * this.maskQ[i * n + j];
    }
    const dWM = gm.dW.map((x, k) => x * this.maskM[k]);
    return {
      freeEnergy: logQ - gm.logLik,
      logQ,
      logP: gm.logLik,
      train: q.train,
      gradM: { dW: dWM, dBias: gm.dBias },
      gradQ: { dW: dWQ, dBias: dBQ },
    };
  }

  /**
   * One stochastic update of both networks from one Q sample (see the module doc): M ascends
   * log P, Q descends F with the baseline-corrected score-function estimator. Learning rates
   * multiply the summed (not time-averaged) gradients.
   */
  learnStep(
    data: SrmSpikeTrain,
    o: SrmDrawOptions & {
      learningRateM: number;
      learningRateQ: number;
      /** Time constant of the running baseline, in updates. @default 10 */
      tauBaseline?: number;
      /**
       * Divide F̂ − F̄ by the running RMS of F̂ − F̄ (same time constant): an adaptive learning
       * rate for Q that keeps the score-function step bounded. Not in the paper. @default false
       */
      normalize?: boolean;
    },
  ): SrmVariationalEstimate & { baseline: number } {
    const opts = checkOptions('options', o);
    const lrM = checkNonNegative('options.learningRateM', opts.learningRateM);
    const lrQ = checkNonNegative('options.learningRateQ', opts.learningRateQ);
    const tauB = checkPositive('options.tauBaseline', opts.tauBaseline ?? 10, 'updates');
    if (tauB < 1) throw new ValidationError('options.tauBaseline', 'a number >= 1 (updates)', tauB);
    const e = this.estimate(data, { seed: opts.seed, trial: opts.trial, key: opts.key });
    this.model.addToParameters(lrM, e.gradM.dW, e.gradM.dBias);
    if (Number.isNaN(this.baseline)) this.baseline = e.freeEnergy;
    else {
      const adv = e.freeEnergy - this.baseline;
      // The scale uses only past samples, so the step stays an unbiased direction.
      const scale = opts.normalize && this.baselineVariance > 0 ? 1 / Math.sqrt(this.baselineVariance) : 1;
      this.recognition.addToParameters(-lrQ * adv * scale, e.gradQ.dW, e.gradQ.dBias);
      this.baselineVariance = Number.isNaN(this.baselineVariance)
        ? adv * adv
        : this.baselineVariance + (adv * adv - this.baselineVariance) / tauB;
      this.baseline += adv / tauB;
    }
    return { ...e, baseline: this.baseline };
  }

  /**
   * Bounds on log P(X_V) from `samples` Q draws (trials 0..samples−1 of `seed`): the ELBO
   * −mean F̂ and the tighter importance-weighted bound log mean exp(−F̂) (both ≤ log P(X_V)
   * in expectation).
   */
  bound(data: SrmSpikeTrain, o: { samples?: number; seed?: Seed } = {}): { elbo: number; importanceWeighted: number } {
    const opts = checkOptions('options', o);
    const m = checkInteger('options.samples', opts.samples ?? 16, 1, 1 << 20);
    const fs: number[] = [];
    for (let k = 0; k < m; k++) fs.push(this.estimate(data, { seed: opts.seed ?? 0, trial: k }).freeEnergy);
    const mean = fs.reduce((a, b) => a + b, 0) / m;
    const mx = Math.max(...fs.map((f) => -f));
    const lse = mx + Math.log(fs.reduce((a, f) => a + Math.exp(-f - mx), 0) / m);
    return { elbo: -mean, importanceWeighted: lse };
  }
}
