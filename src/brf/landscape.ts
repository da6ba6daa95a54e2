/**
 * Error landscape f(α, β) = L(θ* + αη + βξ) around a checkpoint (seed Eq. 10) with filter-wise
 * normalised random directions (Li et al. 2018), perturbing only the input and recurrent weights
 * W, as in the BRF reference (research/brf-srm-fp.md §1.9).
 * @packageDocumentation
 */
import { AbortedError, ValidationError } from '../kernel/errors.js';
import { checkFiniteArray, checkSignal } from '../kernel/validate.js';
import { normals, Streams } from '../rng/index.js';
import { deriveKey, type Seed, seedToKey } from '../rng/seed.js';
import type { BrfDataset } from './data.js';
import { brfParamLayout } from './model.js';
import type { BrfTrainer } from './train.js';

/**
 * A random direction over the raw parameter vector that is non-zero only on W: d ~ N(0, 1), then
 * for every hidden neuron i, separately for its input block and its recurrent block,
 * d_i ← d_i/‖d_i‖ · ‖W_i‖ (filter-wise normalisation, Li et al. 2018). Other parameters: 0.
 */
export function brfFilterNormalizedDirection(params: Float64Array, I: number, H: number, C: number, seed: Seed, tag = 0): Float64Array {
  const L = brfParamLayout(I, H, C);
  if (params.length !== L.size) throw new ValidationError('params.length', `${L.size}`, params.length);
  const IH = I + H;
  const z = normals(deriveKey(seedToKey(seed), 0x62726c64, tag), 0, H * IH, { stream: Streams.sequence });
  const d = new Float64Array(L.size);
  for (let i = 0; i < H; i++) {
    for (const [a, b] of [
      [0, I],
      [I, IH],
    ]) {
      let nd = 0;
      let nw = 0;
      for (let k = a; k < b; k++) {
        nd += z[i * IH + k] ** 2;
        nw += params[L.w + i * IH + k] ** 2;
      }
      const f = Math.sqrt(nw) / (Math.sqrt(nd) + 1e-10);
      for (let k = a; k < b; k++) d[L.w + i * IH + k] = z[i * IH + k] * f;
    }
  }
  return d;
}

/** Options of {@link brfLossLandscape}. */
export interface BrfLandscapeOptions {
  /** α values. @default 21 points in [−1, 1] */
  alphas?: ArrayLike<number>;
  /** β values. @default alphas */
  betas?: ArrayLike<number>;
  /** Seed of the two directions. @default 0 */
  seed?: Seed;
  /** Called after each grid point with (done, total). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Landscape grid: `loss[ib·nα + ia]` and `accuracy` likewise. */
export interface BrfLandscape {
  alphas: Float64Array;
  betas: Float64Array;
  loss: Float64Array;
  accuracy: Float64Array;
}

/**
 * Evaluates f(α, β) = L(θ* + αη + βξ) on `data` (forward only, the trainer's loss) around the
 * trainer's current parameters θ*, which are restored afterwards.
 * @example
 * ```ts
 * const l = await brfLossLandscape(trainer, test, { alphas: [-1, -0.5, 0, 0.5, 1] });
 * const svg = plot.heatmap(l.loss, 5, 5, [-1, 1], [-1, 1]);
 * ```
 */
export async function brfLossLandscape(trainer: BrfTrainer, data: BrfDataset, o: BrfLandscapeOptions = {}): Promise<BrfLandscape> {
  const alphas = checkFiniteArray('alphas', o.alphas ?? Array.from({ length: 21 }, (_, k) => -1 + k / 10));
  const betas = checkFiniteArray('betas', o.betas ?? alphas);
  const signal = checkSignal('signal', o.signal);
  const { inputSize: I, hiddenSize: H, outputSize: C } = trainer.network;
  const theta = trainer.params.slice();
  const eta = brfFilterNormalizedDirection(theta, I, H, C, o.seed ?? 0, 1);
  const xi = brfFilterNormalizedDirection(theta, I, H, C, o.seed ?? 0, 2);
  const loss = new Float64Array(alphas.length * betas.length);
  const accuracy = new Float64Array(loss.length);
  const total = loss.length;
  try {
    for (let ib = 0; ib < betas.length; ib++) {
      for (let ia = 0; ia < alphas.length; ia++) {
        if (signal?.aborted) throw new AbortedError('brfLossLandscape: aborted', { alphas, betas, loss, accuracy });
        const p = trainer.params;
        for (let k = 0; k < p.length; k++) p[k] = theta[k] + alphas[ia] * eta[k] + betas[ib] * xi[k];
        const ev = await trainer.evaluate(data);
        loss[ib * alphas.length + ia] = ev.loss;
        accuracy[ib * alphas.length + ia] = ev.accuracy;
        o.onProgress?.(ib * alphas.length + ia + 1, total);
      }
    }
  } finally {
    trainer.params.set(theta);
  }
  return { alphas, betas, loss, accuracy };
}

/**
 * Roughness of a landscape grid: mean |discrete Laplacian| over interior points divided by the
 * loss range (0 for a plane; larger for rugged surfaces). A scalar for comparing models.
 */
export function brfLandscapeRoughness(l: BrfLandscape): number {
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
