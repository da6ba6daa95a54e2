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
 * Look-ahead (option `lookahead` = D ≥ 2 steps, not in the seed): Q gets nVisible extra clamped
 * neurons carrying the visible data advanced by D steps, c_k(t) = X_{v_k}(t + D), so a hidden
 * neuron of Q at step t sees (through the causal trace of c) the visible spikes up to t + D − 1.
 * Q(X_H|X_V) = Π_t q(X_H(t) | X_H(<t), X_V) stays a normalised distribution of X_H for fixed
 * X_V, so F̂ and the bounds stay valid; M is unchanged and generates causally.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { KernelObject } from '../kernel/region.js';
import { checkInteger, checkNonNegative, checkOptions, checkPositive } from '../kernel/validate.js';
import type { Key, Seed } from '../rng/seed.js';
import { checkSrmMask, checkSrmTrain, SrmNetwork, type SrmParams, type SrmSpikeTrain, type SrmWarningName } from './network.js';

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
  /**
   * Initial recognition weights (row-major, nQ·nQ with nQ = n + (lookahead > 0 ? nVisible : 0);
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
  lookahead?: number;
  /** Plastic synapses of M (row-major 0/1, n·n). @default all ones */
  maskM?: ArrayLike<number | boolean>;
  /**
   * Plastic synapses of Q (row-major 0/1, nQ·nQ); rows of visible and look-ahead neurons must be
   * 0 (Q does not generate them). @default 1 on hidden rows, 0 on the other rows
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
  /** The full train of M's n neurons (visible data + sampled hidden spikes). */
  train: SrmSpikeTrain;
  /** ∂ log P/∂w^M (masked) and ∂ log P/∂b^M. */
  gradM: {
    /** ∂ log P/∂w_ij^M · maskM_ij, row-major n·n (nats per unit weight). */
    dW: Float64Array;
    /** ∂ log P/∂b_i^M, length n. */
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

/** Seed/trial/key of one Q sample. */
export interface SrmDrawOptions {
  /** Seed of Q's hidden-spike draws (stream `Streams.spikes`). @default the recognition network's seed */
  seed?: Seed;
  /** Trial index: draws use `trialKey(seed, trial)`. @default none (the seed's own key) */
  trial?: number;
  /** A raw key instead of seed/trial. */
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
 * // Q seeing the data 2 steps ahead: Q has 6 + 3 neurons; give the look-ahead copies
 * // (columns 6..8) excitatory weights onto Q's hidden rows 3..5 so that the hidden code does not collapse
 * const wQ = new Array(81).fill(0);
 * for (let i = 3; i < 6; i++) for (let j = 6; j < 9; j++) wQ[i * 9 + j] = 0.5;
 * const la = new SrmVariational({ n: 6, visible: [1, 1, 1, 0, 0, 0], lookahead: 2, weightsQ: wQ });
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
  readonly lookahead: number;
  /** Size of the recognition network: n, plus nVisible look-ahead neurons when D > 0. */
  readonly nQ: number;
  /** Plastic synapses of M (row-major 0/1, n·n); multiplies ∂ log P/∂w^M. */
  readonly maskM: Float64Array;
  /** Plastic synapses of Q (row-major 0/1, nQ·nQ; only hidden rows may be 1); multiplies ∂ log Q/∂w^Q. */
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
    this.lookahead = checkInteger('lookahead', o.lookahead ?? 0, 0, 1 << 20);
    const nQ = this.lookahead > 0 ? n + this.visibleIndex.length : n;
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
    const visQ = new Float64Array(nQ).fill(1);
    visQ.set(vis);
    const { weightsM, biasM, weightsQ, biasQ, maskM: _m, maskQ: _q, lookahead: _l, ...rest } = o;
    this.model = this.adopt(new SrmNetwork({ ...rest, n, visible: vis, weights: weightsM, bias: biasM }));
    this.recognition = this.adopt(new SrmNetwork({ ...rest, n: nQ, visible: visQ, weights: weightsQ, bias: biasQ }));
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

  /**
   * The clamp train of Q (nQ neurons): the visible data, and with look-ahead D the copies
   * c_k(t) = X_{v_k}(t + D) (0 past the end of the data).
   */
  expandQ(data: SrmSpikeTrain): SrmSpikeTrain {
    const full = this.expand(data);
    if (this.nQ === this.n) return full;
    const { n, nQ, lookahead: D } = this;
    const nv = this.nVisible;
    const spikes = new Uint8Array(full.steps * nQ);
    for (let t = 0; t < full.steps; t++) {
      spikes.set(full.spikes.subarray(t * n, (t + 1) * n), t * nQ);
      if (t + D < full.steps) for (let k = 0; k < nv; k++) spikes[t * nQ + n + k] = data.spikes[(t + D) * nv + k];
    }
    return { n: nQ, steps: full.steps, spikes };
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
    const full = this.expandQ(data);
    const { n, nQ } = this;
    // One pass samples X_H ~ Q and accumulates the score of log Q (same values as gradient()).
    const q = this.recognition.sample(full.steps, { ...checkOptions('draw', draw), clamp: full, gradient: 'backward' });
    const gq = q.gradient!;
    let train = q.train;
    if (nQ !== n) {
      const spikes = new Uint8Array(full.steps * n);
      for (let t = 0; t < full.steps; t++) spikes.set(q.train.spikes.subarray(t * nQ, t * nQ + n), t * n);
      train = { n, steps: full.steps, spikes };
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
    return {
      freeEnergy: logQ - gm.logLik,
      logQ,
      logP: gm.logLik,
      train,
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
       * Divide F̂ − F̄ by max(1 nat, running RMS of F̂ − F̄) (same time constant): an adaptive
       * learning rate for Q that keeps the score-function step bounded. The 1-nat floor stops the
       * step from growing without bound once Q is nearly deterministic and F̂ hardly varies
       * (without it Q's biases diverged after ~10⁴ updates in the pattern task). Not in the
       * paper. @default false
       */
      normalize?: boolean;
    },
  ): SrmVariationalEstimate & {
    /** Running baseline F̄ after this update (nats). */
    baseline: number;
  } {
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
      const scale = opts.normalize && this.baselineVariance > 0 ? 1 / Math.max(1, Math.sqrt(this.baselineVariance)) : 1;
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
  bound(
    data: SrmSpikeTrain,
    o: { samples?: number; seed?: Seed } = {},
  ): {
    /** Evidence lower bound −mean F̂ (nats). */
    elbo: number;
    /** Importance-weighted bound log mean exp(−F̂) (nats), ≥ the ELBO. */
    importanceWeighted: number;
  } {
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
