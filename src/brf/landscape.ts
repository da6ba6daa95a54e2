/**
 * Error landscape f(α, β) = L(θ* + αη + βξ) around a checkpoint (seed Eq. 10) with filter-wise
 * normalised random directions (Li et al. 2018), perturbing only the input and recurrent weights
 * W, as in the BRF reference (research/brf-srm-fp.md §1.9).
 * @packageDocumentation
 */
import { type AsyncRunOptions, ProgressTracker } from '../contract/progress.js';
import { Result } from '../contract/results.js';
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkInteger } from '../kernel/validate.js';
import { SEED_OPTION_KEYS, type SeedOptions } from '../rng/seed.js';
import type { BrfDataset } from './data.js';
import { type BrfSizes, brfOptions, brfParamLayout } from './model.js';
import { brfKey, brfNormals, Streams } from './rng.js';
import { BrfTrainer } from './train.js';

/** Options of {@link brfFilterNormalizedDirection}: the network sizes and the seed of the direction. */
export interface BrfDirectionOptions extends BrfSizes, SeedOptions {
  /** Purpose tag: different tags give independent directions of the same seed. @default 0 */
  tag?: number;
}

/**
 * A random direction over the raw parameter vector that is non-zero only on W: d ~ N(0, 1), then
 * for every hidden neuron i, separately for its input block and its recurrent block,
 * d_i ← d_i/‖d_i‖ · ‖W_i‖ (filter-wise normalisation, Li et al. 2018). Other parameters: 0.
 * @example
 * ```ts
 * const eta = brfFilterNormalizedDirection(params, { inputSize: 1, hiddenSize: 32, outputSize: 4, seed: 3, tag: 1 });
 * ```
 */
export function brfFilterNormalizedDirection(params: Float64Array, options: BrfDirectionOptions): Float64Array {
  const o = brfOptions<BrfDirectionOptions>('brfFilterNormalizedDirection', 'options', options, [
    'inputSize',
    'hiddenSize',
    'outputSize',
    ...SEED_OPTION_KEYS,
    'tag',
  ]);
  const L = brfParamLayout({ inputSize: o.inputSize, hiddenSize: o.hiddenSize, outputSize: o.outputSize });
  const I = o.inputSize;
  const H = o.hiddenSize;
  if (!(params instanceof Float64Array) || params.length !== L.size)
    throw new ValidationError('params', `a Float64Array of ${L.size} values`, params?.length ?? params);
  for (let i = 0; i < params.length; i++)
    if (!Number.isFinite(params[i])) throw new ValidationError(`params[${i}]`, 'a finite number', params[i]);
  const tag = checkInteger('tag', o.tag ?? 0, 0, 0xffffffff);
  const IH = I + H;
  const z = brfNormals(brfKey(o, 0x62726c64, tag), 0, H * IH, Streams.sequence);
  const d = new Float64Array(L.size);
  for (let i = 0; i < H; i++) {
    for (const [a, b] of [
      [0, I],
      [I, IH],
    ]) {
      let nd = 0;
      let nw = 0;
      // the filter norm scaled by its largest entry, so huge weights do not overflow the squares
      let s = 0;
      for (let k = a; k < b; k++) s = Math.max(s, Math.abs(params[L.w + i * IH + k]));
      for (let k = a; k < b; k++) {
        nd += z[i * IH + k] ** 2;
        if (s > 0) nw += (params[L.w + i * IH + k] / s) ** 2;
      }
      const f = (s * Math.sqrt(nw)) / (Math.sqrt(nd) + 1e-10);
      if (!Number.isFinite(f))
        throw new ValidationError(`params (filter ${i} of the hidden weights)`, 'weights whose filter norm is finite', s);
      for (let k = a; k < b; k++) d[L.w + i * IH + k] = z[i * IH + k] * f;
    }
  }
  return d;
}

/** Options of {@link brfLossLandscape}. */
export interface BrfLandscapeOptions extends SeedOptions, AsyncRunOptions {
  /** α values (coefficients of η). @default 21 points in [−1, 1] */
  alphas?: ArrayLike<number>;
  /** β values (coefficients of ξ). @default alphas */
  betas?: ArrayLike<number>;
}

/** Landscape grid: `loss[ib·nα + ia]` and `accuracy` likewise. */
export class BrfLandscape extends Result {
  readonly kind = 'brf.landscape';
  /** α values (coefficient of the filter-normalised direction η). */
  readonly alphas: Float64Array;
  /** β values (coefficient of the filter-normalised direction ξ). */
  readonly betas: Float64Array;
  /** Mean loss L(θ* + αη + βξ) (cross-entropy, nats), `loss[ib·nα + ia]`. */
  readonly loss: Float64Array;
  /** Accuracy (fraction correct, in [0, 1]) at the same grid points. */
  readonly accuracy: Float64Array;
  /** @internal */
  constructor(alphas: Float64Array, betas: Float64Array, loss: Float64Array, accuracy: Float64Array) {
    super();
    this.alphas = alphas;
    this.betas = betas;
    this.loss = loss;
    this.accuracy = accuracy;
  }
}

/**
 * Evaluates f(α, β) = L(θ* + αη + βξ) on `data` (forward only, the trainer's loss and
 * precision) around the trainer's current parameters θ*, which are restored afterwards (also on
 * abort or error). Progress counts grid points (`unit: 'point'`); an abort ends it with
 * `AbortedError` whose `partial` is the landscape so far (NaN where not evaluated). At most 10⁴
 * grid points.
 * @example
 * ```ts
 * const l = await brfLossLandscape(trainer, test, { alphas: [-1, -0.5, 0, 0.5, 1], seed: 3 });
 * const svg = plot.heatmap(l.loss, 5, 5, [-1, 1], [-1, 1]);
 * ```
 */
export async function brfLossLandscape(trainer: BrfTrainer, data: BrfDataset, options: BrfLandscapeOptions = {}): Promise<BrfLandscape> {
  if (!(trainer instanceof BrfTrainer)) throw new ValidationError('trainer', 'a BrfTrainer', trainer);
  const o = brfOptions<BrfLandscapeOptions>('brfLossLandscape', 'options', options, [
    'alphas',
    'betas',
    ...SEED_OPTION_KEYS,
    'signal',
    'onProgress',
    'sliceMs',
  ]);
  const alphas = checkFiniteArray('alphas', o.alphas ?? Array.from({ length: 21 }, (_, k) => -1 + k / 10));
  const betas = checkFiniteArray('betas', o.betas ?? alphas);
  if (alphas.length * betas.length > 1e4 || alphas.length * betas.length === 0)
    throw new ValidationError('alphas.length · betas.length', 'between 1 and 10^4 grid points', alphas.length * betas.length);
  const total = alphas.length * betas.length;
  const pr = new ProgressTracker('brfLossLandscape', total, 'point', o);
  const { inputSize, hiddenSize, outputSize } = trainer.network;
  const theta = trainer.params.slice();
  const seed = { seed: o.seed, trial: o.trial };
  const eta = brfFilterNormalizedDirection(theta, { inputSize, hiddenSize, outputSize, ...seed, tag: 1 });
  const xi = brfFilterNormalizedDirection(theta, { inputSize, hiddenSize, outputSize, ...seed, tag: 2 });
  const loss = new Float64Array(total).fill(Number.NaN);
  const accuracy = new Float64Array(total).fill(Number.NaN);
  const partial = () => new BrfLandscape(alphas, betas, loss, accuracy);
  try {
    for (let ib = 0; ib < betas.length; ib++) {
      for (let ia = 0; ia < alphas.length; ia++) {
        await pr.maybeYield(partial());
        const p = trainer.params;
        for (let k = 0; k < p.length; k++) p[k] = theta[k] + alphas[ia] * eta[k] + betas[ib] * xi[k];
        const ev = await trainer.evaluate(data, { signal: o.signal, sliceMs: pr.sliceMs });
        loss[ib * alphas.length + ia] = ev.loss;
        accuracy[ib * alphas.length + ia] = ev.accuracy;
        pr.report(ib * alphas.length + ia + 1);
      }
    }
  } catch (e) {
    if (e instanceof AbortedError)
      throw new AbortedError(`brfLossLandscape aborted after ${loss.filter((v) => !Number.isNaN(v)).length} of ${total} points`, partial());
    throw e;
  } finally {
    if (!trainer.disposed) trainer.params.set(theta);
  }
  return partial();
}

/**
 * Roughness of a landscape grid: mean |discrete Laplacian| over interior points divided by the
 * loss range (0 for a plane; larger for rugged surfaces). A scalar for comparing models.
 */
export function brfLandscapeRoughness(landscape: Pick<BrfLandscape, 'alphas' | 'betas' | 'loss'>): number {
  const l = landscape;
  if (l === null || typeof l !== 'object') throw new ValidationError('landscape', 'a BrfLandscape { alphas, betas, loss }', l);
  checkFiniteArray('landscape.alphas', l.alphas);
  checkFiniteArray('landscape.betas', l.betas);
  checkFiniteArray('landscape.loss', l.loss, l.alphas.length * l.betas.length);
  const na = l.alphas.length;
  const nb = l.betas.length;
  let s = 0;
  let n = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of l.loss) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (let j = 1; j < nb - 1; j++)
    for (let i = 1; i < na - 1; i++) {
      const c = l.loss[j * na + i];
      s += Math.abs(l.loss[j * na + i - 1] + l.loss[j * na + i + 1] + l.loss[(j - 1) * na + i] + l.loss[(j + 1) * na + i] - 4 * c);
      n++;
    }
  return n === 0 || hi === lo ? 0 : s / n / (hi - lo);
}
