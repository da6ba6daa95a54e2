/**
 * Training of recurrent BRF / RF / ALIF networks by BPTT or truncated BPTT: mini-batches split
 * into fixed shards (data-parallel on the worker pool, gradients summed in shard order so results
 * do not depend on the number of workers), gradient-norm clipping, Adam, a linear learning-rate
 * schedule, the one progress/cancel protocol, and JSON checkpoints.
 * @packageDocumentation
 */
import { optionKeys } from '../contract/options.js';
import { type AsyncRunOptions, ProgressTracker } from '../contract/progress.js';
import { makeTable, Result, type TableOf } from '../contract/results.js';
import { AbortedError, DisposedError, NeurodynError, NumericalError, ValidationError } from '../kernel/errors.js';
import { KernelObject } from '../kernel/region.js';
import { checkChoice, checkFinite, checkInteger, checkNonNegative, checkPositive, checkRange, isNumericArray } from '../kernel/validate.js';
import { WorkerPool } from '../parallel/pool.js';
import type { Settled } from '../parallel/types.js';
import type { Seed, SeedOptions } from '../rng/seed.js';
import { seedKeyOf } from '../rng/seed.js';
import { type BrfDataset, brfPermutation, checkBrfDataset } from './data.js';
import {
  type BrfNetworkOptions,
  type BrfPrecision,
  type BrfResolvedOptions,
  type BrfShardResult,
  BrfShardRunner,
  type BrfShardRunOptions,
  brfOmegaMax,
  brfOptions,
  brfParamLayout,
  initBrfParams,
  resolveNetwork,
} from './model.js';
import type { BrfShardTaskParams } from './tasks.js';

/** Adam's constants. */
export interface BrfAdamOptions {
  /** Decay of the first-moment estimate. @default 0.9 */
  beta1?: number;
  /** Decay of the second-moment estimate. @default 0.999 */
  beta2?: number;
  /** ε added to √v̂. @default 1e-8 */
  epsilon?: number;
}

/**
 * Options of {@link BrfTrainer}: the network, the sequence length, the optimiser, batching, BPTT
 * memory, truncated BPTT, precision and threads. Every time is in ms (inside `network`); step
 * counts end in `Steps`.
 */
export interface BrfTrainerOptions extends SeedOptions {
  /** The network ({@link BrfNetworkOptions}). */
  network: BrfNetworkOptions;
  /** Sequence length T (steps of `network.dt`) of the data this trainer trains on. */
  steps: number;
  /**
   * Adam learning rate. @default 0.1 for every model (the BRF reference value). At 0.01 and 0.03
   * an ALIF network stays at or near chance on the synthetic frequency task for 8–10 epochs, at
   * 0.1 it learns (docs/brf.md, "ALIF set-up").
   */
  lr?: number;
  /** Adam's constants. @default { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } */
  adam?: BrfAdamOptions;
  /** Samples per mini-batch (the loss is the batch mean). @default 32 */
  batchSize?: number;
  /**
   * Samples per shard: the unit of work of one kernel call / worker task, and of the fixed
   * reduction order. Changing it changes the summation order (last bits), not the model.
   * @default 8
   */
  shardSize?: number;
  /** Clip the global gradient norm to this value (`clip_grad_norm_`); 0 disables. @default 1 */
  clipNorm?: number;
  /** Linear decay lr·(1 − epoch/E) over E epochs (LambdaLR of the reference); 0 = constant. @default 0 */
  scheduleEpochs?: number;
  /**
   * BPTT memory: 0 stores every step's state; K > 0 keeps every K-th state and recomputes each
   * segment in the backward pass (bit-identical gradients for one extra neuron forward pass:
   * S-MNIST H = 256, shard of 8: 54 → 6 MB workspace in f64, CPU time +1 %). Per chunk under
   * `tbpttSteps` (at most the chunk length).
   * @default ⌈√steps⌉ (⌈√tbpttSteps⌉ with truncated BPTT)
   */
  checkpointSteps?: number;
  /**
   * Truncated BPTT: chunk length K in steps (an integer in [1, steps]), with a loss and an Adam
   * step per chunk (see {@link BrfTrainer}). @default undefined (full BPTT)
   */
  tbpttSteps?: number;
  /** Arithmetic of the forward and backward passes ({@link BrfPrecision}). @default 'f64' */
  precision?: BrfPrecision;
  /** Worker threads for the data-parallel shards; 0 = run in this thread. @default 0 */
  workers?: number;
  /** URL of the bundled worker (`dist/worker.js`). @default next to the bundle */
  workerUrl?: URL | string;
}
const TRAINER_KEYS = optionKeys<BrfTrainerOptions>()([
  'network',
  'steps',
  'seed',
  'trial',
  'lr',
  'adam',
  'batchSize',
  'shardSize',
  'clipNorm',
  'scheduleEpochs',
  'checkpointSteps',
  'tbpttSteps',
  'precision',
  'workers',
  'workerUrl',
]);

/** Options of {@link BrfTrainer.train}. */
export interface BrfTrainOptions extends AsyncRunOptions {
  /** Train until this many epochs are complete in total (a restored checkpoint resumes mid-epoch). */
  epochs: number;
  /** Evaluated after every epoch (test loss and accuracy in the history). */
  test?: BrfDataset;
  /** Called after every epoch with its history row. */
  onEpoch?: (record: BrfEpochRecord) => void;
}
const TRAIN_KEYS = optionKeys<BrfTrainOptions>()(['epochs', 'test', 'onEpoch', 'signal', 'onProgress', 'sliceMs']);

/** One row of {@link BrfTrainer.history}. */
export interface BrfEpochRecord {
  /** Epoch index (0-based). */
  epoch: number;
  /** Training loss (cross-entropy, nats): mean over the epoch's batches of the batch-mean loss. */
  loss: number;
  /** Training accuracy (fraction of the epoch's samples classified correctly). */
  accuracy: number;
  /** Mean test loss (nats; NaN without a test set). */
  testLoss: number;
  /** Test accuracy (fraction correct; NaN without a test set). */
  testAccuracy: number;
  /** Hidden-layer spikes per training sample (whole sequence, all hidden neurons). */
  spikesPerSample: number;
  /** Wall-clock duration of the epoch (ms; not reproducible). */
  wallMs: number;
}

/** Columns of the history table ({@link BrfTrainer.history}). */
export type BrfHistoryColumns = {
  epoch: Int32Array;
  loss: Float64Array;
  accuracy: Float64Array;
  testLoss: Float64Array;
  testAccuracy: Float64Array;
  spikesPerSample: Float64Array;
  wallMs: Float64Array;
};

/** A JSON checkpoint of a trainer (see {@link BrfTrainer.toJSON}). */
export interface BrfCheckpoint {
  /** Format tag. */
  format: 'neurodyn.brf.checkpoint';
  /** Format version (2: times in ms, one options object). */
  version: 2;
  /** The trainer's options (without `workers` and `workerUrl`). */
  options: Omit<BrfTrainerOptions, 'workers' | 'workerUrl'>;
  /** Raw parameters (layout {@link brfParamLayout}). */
  params: number[];
  /** Adam first-moment estimates m, one per parameter. */
  adamM: number[];
  /** Adam second-moment estimates v, one per parameter. */
  adamV: number[];
  /** Adam steps taken. */
  step: number;
  /** Completed epochs. */
  epoch: number;
  /** Next batch within the current epoch. */
  batch: number;
  /** Running sums of the current epoch: [loss, correct, spikes, samples, batches]. */
  epochStats: number[];
  /** Per-epoch records so far. */
  history: BrfEpochRecord[];
}

/** Result of {@link BrfTrainer.evaluate}. */
export class BrfEvaluation extends Result {
  readonly kind = 'brf.evaluation';
  /** Samples evaluated. */
  readonly n: number;
  /** Mean per-sample loss (cross-entropy, nats). */
  readonly loss: number;
  /** Fraction of samples classified correctly. */
  readonly accuracy: number;
  /** Mean hidden-layer spikes per sample. */
  readonly spikesPerSample: number;
  /** Predicted class of each sample. */
  readonly predictions: Int32Array;
  /** @internal */
  constructor(n: number, loss: number, accuracy: number, spikesPerSample: number, predictions: Int32Array) {
    super();
    this.n = n;
    this.loss = loss;
    this.accuracy = accuracy;
    this.spikesPerSample = spikesPerSample;
    this.predictions = predictions;
  }
}

/** Result of {@link BrfTrainer.gradient}. */
export class BrfGradient extends Result {
  readonly kind = 'brf.gradient';
  /** Mean loss over the samples (cross-entropy, nats). */
  readonly loss: number;
  /** Number of samples classified correctly (a count). */
  readonly correct: number;
  /** Total hidden spikes over the samples (a count). */
  readonly spikes: number;
  /** Gradient of the mean loss w.r.t. the raw parameters (layout {@link brfParamLayout}). */
  readonly grad: Float64Array;
  /** @internal */
  constructor(loss: number, correct: number, spikes: number, grad: Float64Array) {
    super();
    this.loss = loss;
    this.correct = correct;
    this.spikes = spikes;
    this.grad = grad;
  }
}

/** A shard's result as it comes back from the kernel or a worker (plain data). */
type ShardOut = Pick<BrfShardResult, 'loss' | 'prediction' | 'spikes' | 'correct' | 'grad' | 'state'>;

interface Resolved {
  network: BrfResolvedOptions;
  steps: number;
  seed: Seed;
  trial: number | undefined;
  lr: number;
  adam: Required<BrfAdamOptions>;
  batchSize: number;
  shardSize: number;
  clipNorm: number;
  scheduleEpochs: number;
  checkpointSteps: number;
  tbpttSteps: number | undefined;
  precision: BrfPrecision;
  workers: number;
  workerUrl: URL | string | undefined;
}

function resolveTrainer(options: BrfTrainerOptions): Resolved {
  const o = brfOptions<BrfTrainerOptions>('BrfTrainer', 'options', options, TRAINER_KEYS);
  if (options === undefined) throw new ValidationError('options', 'trainer options { network, steps, … }', options);
  const network = resolveNetwork(o.network, 'network.');
  const steps = checkInteger('steps', o.steps, 1, 1 << 20);
  seedKeyOf({ seed: o.seed, trial: o.trial });
  const a = brfOptions<BrfAdamOptions>('adam', 'adam', o.adam, ['beta1', 'beta2', 'epsilon']);
  const adam = {
    beta1: checkRange('adam.beta1', a.beta1 ?? 0.9, 0, 1, { hiOpen: true }),
    beta2: checkRange('adam.beta2', a.beta2 ?? 0.999, 0, 1, { hiOpen: true }),
    epsilon: checkPositive('adam.epsilon', a.epsilon ?? 1e-8),
  };
  if (network.loss === 'sequence' && network.lossStartStep > steps)
    throw new ValidationError(
      'network.lossStartStep',
      `at most the sequence length steps = ${steps} (with loss 'sequence' no step would carry a loss: nothing to train)`,
      network.lossStartStep,
    );
  const tbpttSteps = o.tbpttSteps === undefined ? undefined : checkInteger('tbpttSteps', o.tbpttSteps, 1, steps);
  const K = tbpttSteps ?? steps;
  if (tbpttSteps !== undefined && typeof o.checkpointSteps === 'number' && o.checkpointSteps > K)
    throw new ValidationError(
      'checkpointSteps',
      `at most tbpttSteps = ${K} (BPTT checkpoints are taken within a chunk; a longer interval is a chunk stored whole, checkpointSteps: 0)`,
      o.checkpointSteps,
    );
  return {
    network,
    steps,
    seed: o.seed ?? 0,
    trial: o.trial,
    lr: checkPositive('lr', o.lr ?? 0.1),
    adam,
    batchSize: checkInteger('batchSize', o.batchSize ?? 32, 1, 1 << 20),
    shardSize: checkInteger('shardSize', o.shardSize ?? 8, 1, 4096),
    clipNorm: checkNonNegative('clipNorm', o.clipNorm ?? 1),
    scheduleEpochs: checkInteger('scheduleEpochs', o.scheduleEpochs ?? 0, 0, 1 << 30),
    checkpointSteps: checkInteger('checkpointSteps', o.checkpointSteps ?? Math.ceil(Math.sqrt(K)), 0, K),
    tbpttSteps,
    precision: checkChoice('precision', o.precision ?? 'f64', ['f32', 'f64'] as const),
    workers: checkInteger('workers', o.workers ?? 0, 0, 256),
    workerUrl: checkWorkerUrl(o.workerUrl),
  };
}

/**
 * Trains a one-layer recurrent spiking network (BRF, RF or ALIF hidden neurons, leaky-integrator
 * readout) on sequence classification by BPTT over whole sequences, or by truncated BPTT.
 *
 * Per batch: shards of `shardSize` samples → kernel forward + BPTT (in this thread, in slices
 * that yield to the event loop every `sliceMs`, or on the worker pool) → gradients summed in
 * shard order (f64) and divided by the batch size → global-norm clip → Adam → projection of BRF
 * frequencies onto |ω| ≤ (1 − 1e−7)/δ_b (divergence-boundary clamp). Because the shards and the
 * order of the sum do not depend on the worker count, 0, 1, 2, … workers give bit-identical
 * trajectories, in f64 and in f32.
 *
 * **Truncated BPTT** (`tbpttSteps: K`), as the BRF reference trains ALIF on S-MNIST
 * (`SimpleALIFRNNTbptt`, truncation 50): each sequence of T steps is cut into chunks of K steps
 * (the last one shorter when K does not divide T). Within a mini-batch, chunk c starts from the
 * state in which chunk c − 1 ended (carried forward, detached: no gradient crosses a cut), runs
 * forward and BPTT over its steps with its own loss (`'sequence'`: Σ or mean over its steps
 * t ≥ `lossStartStep`, a chunk ending before it has no loss and takes no optimiser step;
 * `'last'`: the label at the chunk's last step), and the optimiser steps after every chunk with
 * a loss: ⌈T/K⌉ Adam steps per batch. The forward trajectory is not truncated; only the gradient
 * is. Evaluation is the ordinary forward pass over T steps. With K = T it is full BPTT, bit for bit.
 *
 * **Lifecycle.** `train`, `evaluate` and `gradient` are async, honour `signal` (also a timer's
 * abort with 0 workers: the kernel runs in slices of about `sliceMs / 2`), report one
 * {@link Progress} type, and leave the trainer at a batch boundary when aborted (checkpointable;
 * a TBPTT batch cut short is rolled back). `dispose()` during a call (e.g. from `onProgress`)
 * ends the call with `DisposedError` before any kernel memory is touched again.
 *
 * @example
 * ```ts
 * const { train, test } = frequencyTask({ seed: 1 });
 * const network = { inputSize: 1, hiddenSize: 32, outputSize: 4, loss: 'sequence', lossStartStep: 50 } as const;
 * const tr = new BrfTrainer({ network, steps: train.steps, seed: 1 });
 * const history = await tr.train(train, { epochs: 3, test, onProgress: (p) => console.log(p.metrics?.loss) });
 * history.testAccuracy; // per epoch
 * const json = JSON.stringify(tr.toJSON()); // later: BrfTrainer.fromJSON(JSON.parse(json))
 * tr.dispose();
 * // f32 on two workers, truncated BPTT in chunks of 20 steps
 * const fast = new BrfTrainer({ network: { ...network, model: 'alif' }, steps: 100, precision: 'f32', workers: 2, tbpttSteps: 20 });
 * await fast.train(train, { epochs: 3, test });
 * fast.dispose();
 * ```
 */
export class BrfTrainer extends KernelObject {
  /** Network options with every default filled in. */
  readonly network: BrfResolvedOptions;
  /** Sequence length (steps). */
  readonly steps: number;
  /** Seed of the initial parameters and of the per-epoch shuffles. */
  readonly seed: Seed;
  /** Trial index of the seed (undefined: the seed's own key). */
  readonly trial: number | undefined;
  /** Base Adam learning rate (before the schedule, see {@link BrfTrainer.lrAt}). */
  readonly lr: number;
  /** Adam's constants. */
  readonly adam: Readonly<Required<BrfAdamOptions>>;
  /** Samples per mini-batch. */
  readonly batchSize: number;
  /** Samples per shard (unit of work and of the fixed reduction order). */
  readonly shardSize: number;
  /** Global gradient-norm clip (0 = off). */
  readonly clipNorm: number;
  /** Epochs E of the linear decay lr·(1 − epoch/E) (0 = constant). */
  readonly scheduleEpochs: number;
  /** BPTT checkpoint interval in steps (0 = store every step). */
  readonly checkpointSteps: number;
  /** TBPTT chunk length in steps (undefined = full BPTT). */
  readonly tbpttSteps: number | undefined;
  /** Arithmetic of the kernel. */
  readonly precision: BrfPrecision;
  /** Raw parameters (layout {@link brfParamLayout}); live, updated in place by training. */
  params: Float64Array;
  /** Completed epochs. */
  epoch = 0;
  /** Next batch within the current epoch. */
  batch = 0;
  /** Adam steps taken. */
  step = 0;
  #records: BrfEpochRecord[] = [];
  #m: Float64Array;
  #v: Float64Array;
  #runner!: BrfShardRunner;
  #chunkRunner: BrfShardRunner | null = null;
  #workers: number;
  #workerUrl?: URL | string;
  #pool: WorkerPool | null = null;
  #networkIn: BrfNetworkOptions;
  #busy: string | null = null;
  #disposal: { promise: Promise<never>; reject: (e: unknown) => void };
  // running sums of the current epoch: loss, correct, spikes, samples, batches
  #ep = [0, 0, 0, 0, 0];

  constructor(options: BrfTrainerOptions) {
    super();
    const r = resolveTrainer(options);
    this.network = r.network;
    this.#networkIn = structuredCloneOptions(options.network);
    this.steps = r.steps;
    this.seed = r.seed;
    this.trial = r.trial;
    this.lr = r.lr;
    this.adam = r.adam;
    this.batchSize = r.batchSize;
    this.shardSize = r.shardSize;
    this.clipNorm = r.clipNorm;
    this.scheduleEpochs = r.scheduleEpochs;
    this.checkpointSteps = r.checkpointSteps;
    this.tbpttSteps = r.tbpttSteps;
    this.precision = r.precision;
    this.#workers = r.workers;
    this.#workerUrl = r.workerUrl;
    this.params = initBrfParams(this.#networkIn, { seed: this.seed, trial: this.trial });
    this.#m = new Float64Array(this.params.length);
    this.#v = new Float64Array(this.params.length);
    let reject: (e: unknown) => void = () => {};
    const promise = new Promise<never>((_, rej) => {
      reject = rej;
    });
    promise.catch(() => {});
    this.#disposal = { promise, reject };
    const runner = (steps: number) =>
      new BrfShardRunner({
        network: this.#networkIn,
        steps,
        shardSize: this.shardSize,
        checkpointSteps: this.checkpointSteps,
        precision: this.precision,
      });
    try {
      this.#runner = this.adopt(runner(this.steps));
      if (this.tbpttSteps !== undefined) this.#chunkRunner = this.adopt(runner(this.tbpttSteps));
    } catch (e) {
      super.dispose();
      throw e;
    }
  }

  /** Per-epoch records as a table (columns with units; one row per completed epoch). */
  get history(): TableOf<BrfHistoryColumns> {
    const h = this.#records;
    const col = (f: (r: BrfEpochRecord) => number) => Float64Array.from(h, f);
    return makeTable<BrfHistoryColumns>(
      'brf.history',
      {
        epoch: { data: Int32Array.from(h, (r) => r.epoch), unit: '', description: 'epoch index (0-based)' },
        loss: {
          data: col((r) => r.loss),
          unit: 'nats',
          description: 'training loss: mean over the batches of the batch-mean cross-entropy',
        },
        accuracy: { data: col((r) => r.accuracy), unit: '1', description: 'fraction of the training samples classified correctly' },
        testLoss: { data: col((r) => r.testLoss), unit: 'nats', description: 'mean test cross-entropy (NaN without a test set)' },
        testAccuracy: {
          data: col((r) => r.testAccuracy),
          unit: '1',
          description: 'fraction of test samples correct (NaN without a test set)',
        },
        spikesPerSample: { data: col((r) => r.spikesPerSample), unit: '', description: 'hidden spikes per training sample' },
        wallMs: { data: col((r) => r.wallMs), unit: 'ms', description: 'wall-clock duration of the epoch (not reproducible)' },
      },
      { model: this.network.model, hiddenSize: this.network.hiddenSize, precision: this.precision, seed: this.seed },
    );
  }

  /** Learning rate of epoch `epoch` (linear schedule or constant). */
  lrAt(epoch: number): number {
    checkInteger('epoch', epoch, 0);
    return this.scheduleEpochs > 0 ? this.lr * Math.max(0, 1 - epoch / this.scheduleEpochs) : this.lr;
  }

  async #pooled(): Promise<WorkerPool | null> {
    if (this.#workers === 0) return null;
    if (!this.#pool) {
      const pool = await this.#race(WorkerPool.create({ workers: this.#workers, workerUrl: this.#workerUrl }));
      if (this.disposed) {
        pool.close();
        throw new DisposedError('BrfTrainer');
      }
      this.#pool = pool;
    }
    return this.#pool;
  }

  /** Settles with `p`, or rejects with DisposedError as soon as the trainer is disposed. */
  #race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.#disposal.promise]);
  }

  #enter(where: string): void {
    this.assertLive();
    if (this.#busy) throw new NeurodynError(`${where}: ${this.#busy} is in progress on this trainer (await it first)`);
    this.#busy = where;
  }

  #check(d: BrfDataset, name: string): void {
    checkBrfDataset(name, d);
    if (d.steps !== this.steps) throw new ValidationError(`${name}.steps`, `${this.steps} (the trainer's steps)`, d.steps);
    if (d.inputSize !== this.network.inputSize)
      throw new ValidationError(`${name}.inputSize`, `${this.network.inputSize} (the network's inputSize)`, d.inputSize);
    const C = this.network.outputSize;
    for (let i = 0; i < d.n; i++)
      if (d.labels[i] < 0 || d.labels[i] >= C) throw new ValidationError(`${name}.labels[${i}]`, `a class in 0..${C - 1}`, d.labels[i]);
  }

  /**
   * Runs shards (sample index lists) of `d`, returning results in shard order. With `chunk`:
   * steps offset+1 … offset+steps only, from the given per-shard states (TBPTT), returning the
   * final states.
   */
  async #shards(
    d: BrfDataset,
    shards: number[][],
    backward: boolean,
    pr: ProgressTracker,
    chunk?: { offset: number; steps: number; states: (Float64Array | undefined)[] },
  ): Promise<ShardOut[]> {
    const I = d.inputSize;
    const L = d.steps * I;
    const a = chunk ? chunk.offset * I : 0;
    const n = chunk ? chunk.steps * I : L;
    const slice = (idx: number[]) => {
      const x = new Float64Array(idx.length * n);
      const labels = new Int32Array(idx.length);
      idx.forEach((i, k) => {
        x.set(d.x.subarray(i * L + a, i * L + a + n), k * n);
        labels[k] = d.labels[i];
      });
      return { x, labels };
    };
    const runner = chunk ? (this.#chunkRunner as BrfShardRunner) : this.#runner;
    const spec = (k: number): BrfShardRunOptions =>
      chunk ? { backward, offset: chunk.offset, initialState: chunk.states[k], finalState: true } : { backward };
    const pool = await this.#pooled();
    this.assertLive();
    if (!pool) {
      const out: ShardOut[] = [];
      for (let k = 0; k < shards.length; k++) {
        const { x, labels } = slice(shards[k]);
        out.push(await runner.runSliced(this.params, x, labels, spec(k), pr));
        this.assertLive();
      }
      return out;
    }
    const inputs = shards.map((idx, k) => {
      const { x, labels } = slice(idx);
      const params: BrfShardTaskParams = {
        network: this.#networkIn,
        steps: runner.steps,
        shardSize: this.shardSize,
        checkpointSteps: this.checkpointSteps,
        precision: this.precision,
        params: this.params,
        x,
        labels,
        run: spec(k),
      };
      return { seed: 0, trial: k, params };
    });
    let rows: Settled<ShardOut>[];
    try {
      rows = await this.#race(pool.map<ShardOut>('brf.shard', inputs, { signal: pr.signal }));
    } catch (e) {
      if (e instanceof AbortedError) {
        // an aborted map terminates the pool's workers: start a new pool next time
        this.#pool = null;
        throw new AbortedError(`${pr.where} aborted`, this.history);
      }
      throw e;
    }
    this.assertLive();
    return rows.map((r) => {
      if (!r.ok) throw new NeurodynError(`${pr.where}: shard ${r.index} failed in a worker: ${r.error.name}: ${r.error.message}`);
      return r.value;
    });
  }

  async #evaluate(d: BrfDataset, pr: ProgressTracker, report: boolean): Promise<BrfEvaluation> {
    const shards: number[][] = [];
    for (let a = 0; a < d.n; a += this.shardSize) shards.push(Array.from({ length: Math.min(this.shardSize, d.n - a) }, (_, k) => a + k));
    let loss = 0;
    let correct = 0;
    let spikes = 0;
    const predictions = new Int32Array(d.n);
    let k = 0;
    // one shard per call into #shards so progress can be reported per shard
    const group = this.#workers > 0 ? shards.length : 1;
    for (let g = 0; g < shards.length; g += group) {
      const res = await this.#shards(d, shards.slice(g, g + group), false, pr);
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++, k++) {
          loss += r.loss[s];
          spikes += r.spikes[s];
          predictions[k] = r.prediction[s];
        }
        correct += r.correct;
      }
      if (report) pr.report(k);
      this.assertLive();
    }
    return new BrfEvaluation(d.n, loss / d.n, correct / d.n, spikes / d.n, predictions);
  }

  /**
   * Forward pass over a dataset (forward only, in shards): mean loss, accuracy, spikes per sample
   * and the predictions. Progress counts samples.
   */
  async evaluate(data: BrfDataset, options: AsyncRunOptions = {}): Promise<BrfEvaluation> {
    const o = brfOptions<AsyncRunOptions>('BrfTrainer.evaluate', 'options', options, ['signal', 'onProgress', 'sliceMs']);
    this.#enter('evaluate');
    try {
      this.#check(data, 'data');
      const pr = new ProgressTracker('BrfTrainer.evaluate', data.n, 'sample', o);
      return await this.#evaluate(data, pr, true);
    } finally {
      this.#busy = null;
    }
  }

  /** Mean loss and raw-parameter gradient over the samples `indices` of `data` (shards in order). */
  async gradient(data: BrfDataset, indices: ArrayLike<number>, options: AsyncRunOptions = {}): Promise<BrfGradient> {
    const o = brfOptions<AsyncRunOptions>('BrfTrainer.gradient', 'options', options, ['signal', 'onProgress', 'sliceMs']);
    this.#enter('gradient');
    try {
      this.#check(data, 'data');
      if (!isNumericArray(indices) || indices.length === 0)
        throw new ValidationError('indices', 'a non-empty array of sample indices', indices);
      const idx = Array.from(indices, (v, k) => checkInteger(`indices[${k}]`, v, 0, data.n - 1));
      const pr = new ProgressTracker('BrfTrainer.gradient', idx.length, 'sample', o);
      const g = await this.#gradient(data, idx, pr, true);
      pr.report(idx.length);
      return g;
    } finally {
      this.#busy = null;
    }
  }

  async #gradient(d: BrfDataset, idx: number[], pr: ProgressTracker, report = false): Promise<BrfGradient> {
    const shards: number[][] = [];
    for (let a = 0; a < idx.length; a += this.shardSize) shards.push(idx.slice(a, a + this.shardSize));
    // inline, one shard per call into #shards so progress is reported (and a dispose seen) per shard
    const group = this.#workers > 0 ? shards.length : 1;
    const res: ShardOut[] = [];
    let done = 0;
    for (let g = 0; g < shards.length; g += group) {
      for (const r of await this.#shards(d, shards.slice(g, g + group), true, pr)) {
        res.push(r);
        done += r.loss.length;
      }
      if (report && done < idx.length) pr.report(done);
      this.assertLive();
    }
    const grad = new Float64Array(this.params.length);
    let loss = 0;
    let correct = 0;
    let spikes = 0;
    // gradients summed in shard order (independent of the worker count), then the batch mean
    for (const r of res) {
      const g = r.grad as Float64Array;
      for (let i = 0; i < grad.length; i++) grad[i] += g[i];
      for (let s = 0; s < r.loss.length; s++) {
        loss += r.loss[s];
        spikes += r.spikes[s];
      }
      correct += r.correct;
    }
    const inv = 1 / idx.length;
    for (let i = 0; i < grad.length; i++) grad[i] *= inv;
    return new BrfGradient(loss * inv, correct, spikes, grad);
  }

  /**
   * Trains until `epochs` epochs are complete in total (a restored checkpoint resumes mid-epoch)
   * and returns the history table. The shuffle of epoch e is a seeded permutation of
   * (seed, trial, e). Progress counts this call's batches (`unit: 'batch'`) with running figures
   * in `metrics`: `epoch`, `batch`, `loss` and `accuracy` (this batch), `runningLoss` and
   * `runningAccuracy` (the epoch so far), `spikesPerSample`, `lr`, `gradNorm` (pre-clip; under
   * TBPTT the largest over the batch's chunks). On abort the trainer is at a batch boundary and
   * `AbortedError.partial` is the history so far.
   */
  async train(data: BrfDataset, options: BrfTrainOptions): Promise<TableOf<BrfHistoryColumns>> {
    const o = brfOptions<BrfTrainOptions>('BrfTrainer.train', 'options', options, TRAIN_KEYS);
    if (options === undefined) throw new ValidationError('options', '{ epochs, … }', options);
    this.#enter('train');
    try {
      this.#check(data, 'data');
      if (o.test !== undefined) this.#check(o.test, 'test');
      const epochs = checkInteger('epochs', o.epochs, 0, 1 << 30);
      const onEpoch = o.onEpoch;
      if (onEpoch !== undefined && typeof onEpoch !== 'function') throw new ValidationError('onEpoch', 'a function', onEpoch);
      const batches = Math.ceil(data.n / this.batchSize);
      const total = this.epoch >= epochs ? 0 : (epochs - this.epoch) * batches - this.batch;
      const pr = new ProgressTracker('BrfTrainer.train', total, 'batch', o);
      let done = 0;
      while (this.epoch < epochs) {
        const t0 = performance.now();
        const order = brfPermutation(data.n, { seed: this.seed, trial: this.trial, tag: 0x1000 + this.epoch });
        const lr = this.lrAt(this.epoch);
        while (this.batch < batches) {
          await pr.maybeYield(this.history);
          this.assertLive();
          const idx = Array.from(order.subarray(this.batch * this.batchSize, Math.min(data.n, (this.batch + 1) * this.batchSize)));
          const { loss, correct, spikes, norm } = await this.#batch(data, idx, lr, pr);
          const e = this.#ep;
          e[0] += loss;
          e[1] += correct;
          e[2] += spikes;
          e[3] += idx.length;
          e[4] += 1;
          this.batch++;
          done++;
          if (pr.wantsProgress)
            pr.report(done, {
              metrics: {
                epoch: this.epoch,
                batch: this.batch - 1,
                loss,
                accuracy: correct / idx.length,
                runningLoss: e[0] / e[4],
                runningAccuracy: e[1] / e[3],
                spikesPerSample: spikes / idx.length,
                lr,
                gradNorm: norm,
              },
            });
          this.assertLive();
        }
        const e = this.#ep;
        const rec: BrfEpochRecord = {
          epoch: this.epoch,
          loss: e[0] / e[4],
          accuracy: e[1] / e[3],
          testLoss: Number.NaN,
          testAccuracy: Number.NaN,
          spikesPerSample: e[2] / e[3],
          wallMs: 0,
        };
        if (o.test) {
          const ev = await this.#evaluate(o.test, pr, false);
          rec.testLoss = ev.loss;
          rec.testAccuracy = ev.accuracy;
        }
        rec.wallMs = performance.now() - t0;
        this.#records.push(rec);
        this.#ep = [0, 0, 0, 0, 0];
        this.batch = 0;
        this.epoch++;
        onEpoch?.({ ...rec });
        this.assertLive();
      }
      return this.history;
    } catch (e) {
      if (e instanceof AbortedError && !this.disposed)
        throw new AbortedError(`BrfTrainer.train aborted at epoch ${this.epoch}, batch ${this.batch}`, this.history);
      throw e;
    } finally {
      this.#busy = null;
    }
  }

  /** One mini-batch: full BPTT (one optimiser step) or TBPTT (one per chunk with a loss, rolled back if cut short). */
  async #batch(d: BrfDataset, idx: number[], lr: number, pr: ProgressTracker) {
    if (!this.#chunkRunner) {
      const g = await this.#gradient(d, idx, pr);
      return { loss: g.loss, correct: g.correct, spikes: g.spikes, norm: this.#optimise(g.grad, lr) };
    }
    const snapshot = { p: this.params.slice(), m: this.#m.slice(), v: this.#v.slice(), step: this.step };
    try {
      return await this.#tbpttBatch(d, idx, lr, pr);
    } catch (e) {
      if (!this.disposed) {
        this.params.set(snapshot.p);
        this.#m.set(snapshot.m);
        this.#v.set(snapshot.v);
        this.step = snapshot.step;
      }
      throw e;
    }
  }

  /**
   * One optimiser step from the batch-mean gradient (modified in place): global-norm clip, Adam,
   * BRF ω projection. Returns the norm before clipping; a non-finite norm is a NumericalError.
   */
  #optimise(grad: Float64Array, lr: number): number {
    const { beta1: b1, beta2: b2, epsilon: eps } = this.adam;
    let norm = 0;
    for (let i = 0; i < grad.length; i++) norm += grad[i] * grad[i];
    norm = Math.sqrt(norm);
    if (!Number.isFinite(norm))
      throw new NumericalError('BrfTrainer.train (gradient norm)', {
        kind: 'non-finite',
        step: this.step,
        index: -1,
        time: Number.NaN,
        value: norm,
      });
    if (this.clipNorm > 0 && norm > this.clipNorm) {
      const c = this.clipNorm / (norm + 1e-6);
      for (let i = 0; i < grad.length; i++) grad[i] *= c;
    }
    this.step++;
    // β^step by repeated multiplication: Math.pow is not guaranteed identical across engines
    let p1 = 1;
    let p2 = 1;
    for (let k = 0; k < this.step; k++) {
      p1 *= b1;
      p2 *= b2;
    }
    const bc1 = 1 - p1;
    const bc2 = 1 - p2;
    const p = this.params;
    const m = this.#m;
    const v = this.#v;
    for (let i = 0; i < p.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * grad[i];
      v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
      p[i] -= (lr * (m[i] / bc1)) / (Math.sqrt(v[i] / bc2) + eps);
    }
    if (this.network.model === 'brf') {
      // divergence-boundary clamp in training: |ω| ≤ (1 − 1e−7)/δ_b
      const L = brfParamLayout({
        inputSize: this.network.inputSize,
        hiddenSize: this.network.hiddenSize,
        outputSize: this.network.outputSize,
      });
      const omax = brfOmegaMax({ boundaryDt: this.network.boundaryDt });
      for (let i = L.p1; i < L.p2; i++) p[i] = Math.max(-omax, Math.min(omax, p[i]));
    }
    return norm;
  }

  /**
   * One mini-batch by truncated BPTT: chunk by chunk, shards carry their state across the cuts;
   * one optimiser step per chunk with a loss. Returns the mean over those chunks of the
   * batch-mean chunk loss, the final chunk's correct count (the sequence's prediction), the
   * spikes of the whole sequence and the largest pre-clip gradient norm.
   */
  async #tbpttBatch(d: BrfDataset, idx: number[], lr: number, pr: ProgressTracker) {
    const K = this.tbpttSteps as number;
    const shards: number[][] = [];
    for (let a = 0; a < idx.length; a += this.shardSize) shards.push(idx.slice(a, a + this.shardSize));
    let states: (Float64Array | undefined)[] = shards.map(() => undefined);
    const o = this.network;
    let lossSum = 0;
    let lossChunks = 0;
    let correct = 0;
    let spikes = 0;
    let norm = 0;
    for (let offset = 0; offset < this.steps; offset += K) {
      const steps = Math.min(K, this.steps - offset);
      const hasLoss = o.loss === 'last' || offset + steps >= o.lossStartStep;
      const res = await this.#shards(d, shards, hasLoss, pr, { offset, steps, states });
      states = res.map((r) => r.state);
      let loss = 0;
      correct = 0;
      for (const r of res) {
        for (let s = 0; s < r.loss.length; s++) {
          loss += r.loss[s];
          spikes += r.spikes[s];
        }
        correct += r.correct;
      }
      if (!hasLoss) continue;
      const grad = new Float64Array(this.params.length);
      for (const r of res) {
        const g = r.grad as Float64Array;
        for (let i = 0; i < grad.length; i++) grad[i] += g[i];
      }
      const inv = 1 / idx.length;
      for (let i = 0; i < grad.length; i++) grad[i] *= inv;
      norm = Math.max(norm, this.#optimise(grad, lr));
      lossSum += loss * inv;
      lossChunks++;
    }
    return { loss: lossSum / lossChunks, correct, spikes, norm };
  }

  /**
   * A JSON-serialisable checkpoint: options, parameters, Adam moments, counters and history.
   * `BrfTrainer.fromJSON(JSON.parse(JSON.stringify(cp)))` continues bit-identically (numbers
   * round-trip exactly through JSON; NaN test figures become null and are restored as NaN).
   */
  toJSON(): BrfCheckpoint {
    return {
      format: 'neurodyn.brf.checkpoint',
      version: 2,
      options: {
        network: structuredCloneOptions(this.#networkIn),
        steps: this.steps,
        seed: this.seed,
        ...(this.trial !== undefined ? { trial: this.trial } : {}),
        lr: this.lr,
        adam: { ...this.adam },
        batchSize: this.batchSize,
        shardSize: this.shardSize,
        clipNorm: this.clipNorm,
        scheduleEpochs: this.scheduleEpochs,
        checkpointSteps: this.checkpointSteps,
        ...(this.tbpttSteps !== undefined ? { tbpttSteps: this.tbpttSteps } : {}),
        precision: this.precision,
      },
      params: Array.from(this.params),
      adamM: Array.from(this.#m),
      adamV: Array.from(this.#v),
      step: this.step,
      epoch: this.epoch,
      batch: this.batch,
      epochStats: [...this.#ep],
      history: this.#records.map((h) => ({ ...h })),
    };
  }

  /**
   * Restores a trainer from {@link BrfTrainer.toJSON} output; `options` sets the thread settings
   * (`workers`, `workerUrl`). Everything is checked before any kernel memory is allocated, and a
   * failure after that frees what was allocated.
   */
  static fromJSON(checkpoint: BrfCheckpoint, options: Pick<BrfTrainerOptions, 'workers' | 'workerUrl'> = {}): BrfTrainer {
    const run = brfOptions<Pick<BrfTrainerOptions, 'workers' | 'workerUrl'>>('BrfTrainer.fromJSON', 'options', options, [
      'workers',
      'workerUrl',
    ]);
    const cp = checkpoint;
    if (cp === null || typeof cp !== 'object' || cp.format !== 'neurodyn.brf.checkpoint')
      throw new ValidationError('checkpoint.format', "'neurodyn.brf.checkpoint'", (cp as BrfCheckpoint | null)?.format);
    if (cp.version !== 2)
      throw new ValidationError('checkpoint.version', '2 (version 1 checkpoints used seconds and steps: retrain or convert)', cp.version);
    if (cp.options === null || typeof cp.options !== 'object')
      throw new ValidationError('checkpoint.options', 'the trainer options', cp.options);
    const opts = { ...cp.options, ...run } as BrfTrainerOptions;
    resolveTrainer(opts);
    const net = resolveNetwork(opts.network, 'network.');
    const n = brfParamLayout({ inputSize: net.inputSize, hiddenSize: net.hiddenSize, outputSize: net.outputSize }).size;
    for (const [name, a] of [
      ['params', cp.params],
      ['adamM', cp.adamM],
      ['adamV', cp.adamV],
    ] as const) {
      if (!Array.isArray(a) || a.length !== n || !a.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw new ValidationError(`checkpoint.${name}`, `${n} finite numbers`, Array.isArray(a) ? `${a.length} values` : a);
    }
    const step = checkInteger('checkpoint.step', cp.step, 0, Number.MAX_SAFE_INTEGER);
    const epoch = checkInteger('checkpoint.epoch', cp.epoch, 0, 1 << 30);
    const batch = checkInteger('checkpoint.batch', cp.batch, 0, 1 << 30);
    if (!Array.isArray(cp.epochStats) || cp.epochStats.length !== 5)
      throw new ValidationError('checkpoint.epochStats', '5 finite numbers [loss, correct, spikes, samples, batches]', cp.epochStats);
    const epochStats = cp.epochStats.map((x, i) => checkFinite(`checkpoint.epochStats[${i}]`, x));
    if (!Array.isArray(cp.history)) throw new ValidationError('checkpoint.history', 'an array of epoch records', cp.history);
    const num = (v: unknown, name: string) => (v === null ? Number.NaN : checkFinite(name, v));
    const history: BrfEpochRecord[] = cp.history.map((h, i) => {
      if (h === null || typeof h !== 'object') throw new ValidationError(`checkpoint.history[${i}]`, 'an epoch record', h);
      return {
        epoch: checkInteger(`checkpoint.history[${i}].epoch`, h.epoch, 0),
        loss: num(h.loss, `checkpoint.history[${i}].loss`),
        accuracy: num(h.accuracy, `checkpoint.history[${i}].accuracy`),
        testLoss: num(h.testLoss ?? null, `checkpoint.history[${i}].testLoss`),
        testAccuracy: num(h.testAccuracy ?? null, `checkpoint.history[${i}].testAccuracy`),
        spikesPerSample: num(h.spikesPerSample, `checkpoint.history[${i}].spikesPerSample`),
        wallMs: num(h.wallMs, `checkpoint.history[${i}].wallMs`),
      };
    });
    const t = new BrfTrainer(opts);
    try {
      t.params.set(cp.params);
      t.#m.set(cp.adamM);
      t.#v.set(cp.adamV);
      t.step = step;
      t.epoch = epoch;
      t.batch = batch;
      t.#ep = epochStats;
      t.#records = history;
      return t;
    } catch (e) {
      t.dispose();
      throw e;
    }
  }

  /**
   * Closes the worker pool (if any) and frees kernel memory. Safe during a call (e.g. from
   * `onProgress`): the call ends with `DisposedError` without touching the freed memory.
   */
  override dispose(): void {
    if (this.disposed) return;
    this.#pool?.close();
    this.#pool = null;
    super.dispose();
    this.#disposal.reject(new DisposedError('BrfTrainer'));
  }
}

/** A worker URL (URL object or absolute URL string) or undefined. */
function checkWorkerUrl(u: unknown): URL | string | undefined {
  if (u === undefined) return undefined;
  const ok = (() => {
    if (!(u instanceof URL) && typeof u !== 'string') return false;
    try {
      new URL(String(u));
      return true;
    } catch {
      return false;
    }
  })();
  if (!ok) throw new ValidationError('workerUrl', 'a URL or an absolute URL string (e.g. new URL("./dist/worker.js", import.meta.url))', u);
  return u as URL | string;
}

/** A deep copy of plain options data (JSON-like values). */
function structuredCloneOptions<T>(o: T): T {
  return o === undefined ? o : (JSON.parse(JSON.stringify(o)) as T);
}
