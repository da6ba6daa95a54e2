/**
 * Training of recurrent BRF / RF / ALIF networks by BPTT or truncated BPTT: mini-batches split
 * into fixed shards (data-parallel on the worker pool, gradients summed in shard order so results
 * do not depend on the number of workers), gradient-norm clipping, Adam, a linear learning-rate
 * schedule, progress, cancellation and JSON checkpoints.
 * @packageDocumentation
 */
import { AbortedError, NeurodynError, NumericalError, ValidationError } from '../kernel/errors.js';
import { KernelObject } from '../kernel/region.js';
import { checkInteger, checkNonNegative, checkPositive, checkSignal } from '../kernel/validate.js';
import { WorkerPool } from '../parallel/pool.js';
import type { Settled } from '../parallel/types.js';
import type { Seed } from '../rng/seed.js';
import type { BrfDataset } from './data.js';
import { brfPermutation } from './data.js';
import {
  type BrfNetworkOptions,
  type BrfResolvedOptions,
  type BrfShardResult,
  BrfShardRunner,
  brfOmegaMax,
  initBrfParams,
  resolveBrfOptions,
} from './model.js';
import type { BrfShardTaskParams } from './tasks.js';

/**
 * Truncated BPTT (TBPTT) with intermediate supervision, as the BRF reference trains ALIF on
 * S-MNIST (`SimpleALIFRNNTbptt`, truncation 50).
 *
 * Each sequence of T steps is cut into chunks of K = `chunk` steps (the last one shorter when K
 * does not divide T): chunk c covers steps cK+1 … min((c+1)K, T). Within a mini-batch, chunk c
 * starts from the state s^{cK} in which chunk c − 1 ended (every neuron variable: BRF/RF u, v, q;
 * ALIF u′, a; the last spikes z; the readout u_out; carried forward, detached: no gradient
 * crosses a cut), runs forward and BPTT over its K steps with its own loss
 *
 * - `loss: 'sequence'`: L_c = Σ (or mean, `lossReduction`) over its steps t with t ≥ `lossStart`
 *   of CE(softmax(u_out^t), y), the sequence label y at every step (a chunk ending before
 *   `lossStart` has no loss: forward only, no optimiser step);
 * - `loss: 'last'`: L_c = CE(softmax(u_out^{t_c}), y) at the chunk's last step t_c (the
 *   reference's `label_last` TBPTT: the label at every cut, i.e. at steps K, 2K, …, T);
 *
 * and the optimiser steps after every chunk with a loss (gradient of the batch mean of L_c,
 * clipping, Adam, ω projection), so the next chunk runs with the updated parameters:
 * ⌈T/K⌉ Adam steps per batch. The forward trajectory is not truncated (chaining chunks with
 * unchanged parameters reproduces the uninterrupted run bit for bit); only the gradient is.
 * Evaluation (test metrics) is the ordinary forward pass over T steps with the full-sequence loss.
 * With K = T it is ordinary full BPTT, bit for bit.
 */
export interface BrfTbpttOptions {
  /** Chunk length K in steps, an integer in [1, T]. */
  chunk: number;
}

/** Optimiser and batching options. */
export interface BrfTrainOptions {
  /** Seed of the initial parameters and of the per-epoch shuffles. @default 0 */
  seed?: Seed;
  /**
   * Adam learning rate. @default 0.1 for every model (the BRF reference value). ALIF used 0.01
   * before: at 0.01 and 0.03 an ALIF network stays at or near chance on the synthetic frequency
   * task for 8–10 epochs, at 0.1 it learns (docs/brf.md, "ALIF set-up").
   */
  lr?: number;
  /** Adam β1, β2, ε. @default [0.9, 0.999, 1e-8] */
  adam?: [number, number, number];
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
   * segment in the backward pass (≈ √T is optimal; bit-identical gradients for one extra neuron
   * forward pass: S-MNIST H = 256, shard of 8: 54 → 6 MB workspace, CPU time +1 %).
   * Per chunk under `tbptt` (at most the chunk length).
   * @default ⌈√T⌉ (⌈√K⌉ with `tbptt`)
   */
  recomputeEvery?: number;
  /** Truncated BPTT with a loss and an Adam step per chunk ({@link BrfTbpttOptions}). @default off (full BPTT) */
  tbptt?: BrfTbpttOptions;
  /** Worker threads for the data-parallel shards; 0 = run in this thread. @default 0 */
  workers?: number;
  /** URL of the bundled worker (`dist/worker.js`). @default next to the bundle */
  workerUrl?: URL | string;
}

/** A progress report (per batch and per epoch). */
export interface BrfProgress {
  /** `'batch'` after each optimiser step, `'epoch'` at the end of an epoch. */
  phase: 'batch' | 'epoch';
  /** Epoch (0-based) the report belongs to. */
  epoch: number;
  /** Batch index within the epoch (batch reports). */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Mean loss (batch, or epoch mean over batches). */
  loss: number;
  /** Accuracy on the batch / epoch's training samples. */
  accuracy: number;
  /** Test metrics (epoch reports when a test set was given). */
  testLoss?: number;
  /** Test accuracy (fraction correct; epoch reports when a test set was given). */
  testAccuracy?: number;
  /** Hidden spikes per sample (epoch mean). */
  spikesPerSample: number;
  /** Learning rate used. */
  lr: number;
  /** Global gradient norm before clipping (batch reports; under TBPTT the largest over the batch's chunks). */
  gradNorm?: number;
  /** Wall-clock seconds of the epoch (epoch reports). */
  seconds?: number;
}

/** One row of {@link BrfTrainer.history}. */
export interface BrfEpochRecord {
  /** Epoch index (0-based). */
  epoch: number;
  /** Training loss (cross-entropy, nats): mean over the epoch's batches of the batch-mean loss. */
  loss: number;
  /** Training accuracy (fraction of the epoch's samples classified correctly). */
  accuracy: number;
  /** Mean test loss (when a test set was given). */
  testLoss?: number;
  /** Test accuracy (fraction correct, when a test set was given). */
  testAccuracy?: number;
  /** Hidden-layer spikes per training sample (whole sequence, all hidden neurons). */
  spikesPerSample: number;
  /** Wall-clock duration of the epoch (s; not reproducible). */
  seconds: number;
}

/** A JSON checkpoint of a trainer (see {@link BrfTrainer.toJSON}). */
export interface BrfCheckpoint {
  /** Format tag. */
  format: 'neurodyn.brf.checkpoint';
  /** Format version. */
  version: 1;
  /** Network options as given to the trainer. */
  network: BrfNetworkOptions;
  /** Training options (without the thread settings). */
  train: Omit<BrfTrainOptions, 'workers' | 'workerUrl'>;
  /** Sequence length (steps). */
  T: number;
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

/** Evaluation result. */
export interface BrfEvaluation {
  /** Mean per-sample loss (cross-entropy, nats). */
  loss: number;
  /** Fraction of samples classified correctly. */
  accuracy: number;
  /** Mean hidden-layer spikes per sample. */
  spikesPerSample: number;
  /** Predicted class of each sample. */
  predictions: Int32Array;
}

/**
 * Trains a one-layer recurrent spiking network (BRF, RF or ALIF hidden neurons, leaky-integrator
 * readout) on sequence classification by BPTT over whole sequences, or by truncated BPTT in
 * chunks of K steps with a loss and an optimiser step per chunk (`tbptt: { chunk: K }`, see
 * {@link BrfTbpttOptions}).
 *
 * Per batch: shards of `shardSize` samples → kernel forward + BPTT (in this thread or on the
 * pool) → gradients summed in shard order and divided by the batch size → global-norm clip →
 * Adam → projection of BRF frequencies onto |ω| ≤ (1 − 1e−7)/δ (divergence-boundary clamp).
 * Under TBPTT this runs once per chunk, each shard carrying its state to the next chunk.
 *
 * @example
 * ```ts
 * const { train, test } = frequencyTask({ seed: 1 });
 * const tr = new BrfTrainer({ inputSize: 1, hiddenSize: 32, outputSize: 4, loss: 'sequence', lossStart: 50 }, train.T, { seed: 1 });
 * await tr.train(train, { epochs: 3, test });
 * const json = JSON.stringify(tr.toJSON()); // later: BrfTrainer.fromJSON(JSON.parse(json))
 * tr.dispose();
 * // truncated BPTT: chunks of 20 steps, the second-half loss of each chunk's steps ≥ 50
 * const tb = new BrfTrainer({ model: 'alif', inputSize: 1, hiddenSize: 32, outputSize: 4, loss: 'sequence', lossStart: 50 }, train.T, { tbptt: { chunk: 20 } });
 * await tb.train(train, { epochs: 3, test });
 * tb.dispose();
 * ```
 */
export class BrfTrainer extends KernelObject {
  /** Network options with every default filled in. */
  readonly network: BrfResolvedOptions;
  /** Sequence length (steps). */
  readonly T: number;
  /** Seed of the initial parameters and of the per-epoch shuffles. */
  readonly seed: Seed;
  /** Base Adam learning rate (before the schedule, see {@link BrfTrainer.lrAt}). */
  readonly lr: number;
  /** Adam [β1, β2, ε]. */
  readonly adam: [number, number, number];
  /** Samples per mini-batch. */
  readonly batchSize: number;
  /** Samples per shard (unit of work and of the fixed reduction order). */
  readonly shardSize: number;
  /** Global gradient-norm clip (0 = off). */
  readonly clipNorm: number;
  /** Epochs E of the linear decay lr·(1 − epoch/E) (0 = constant). */
  readonly scheduleEpochs: number;
  /** BPTT checkpoint interval K in steps (0 = store every step). */
  readonly recomputeEvery: number;
  /** TBPTT chunk length in steps (T = full BPTT). */
  readonly tbpttChunk: number;
  /** Raw parameters (layout {@link brfParamLayout}); live, updated in place by training. */
  params: Float64Array;
  /** Completed epochs. */
  epoch = 0;
  /** Next batch within the current epoch. */
  batch = 0;
  /** Adam steps taken. */
  step = 0;
  /** Per-epoch records. */
  history: BrfEpochRecord[] = [];
  #m: Float64Array;
  #v: Float64Array;
  #runner: BrfShardRunner;
  #chunkRunner: BrfShardRunner | null = null;
  #workers: number;
  #workerUrl?: URL | string;
  #pool: WorkerPool | null = null;
  #networkIn: BrfNetworkOptions;
  // running sums of the current epoch: loss, correct, spikes, samples, batches
  #ep = [0, 0, 0, 0, 0];

  constructor(network: BrfNetworkOptions, T: number, train: BrfTrainOptions = {}) {
    super();
    this.network = resolveBrfOptions(network);
    this.#networkIn = { ...network };
    this.T = checkInteger('T', T, 1, 1 << 20);
    this.seed = train.seed ?? 0;
    this.lr = checkPositive('lr', train.lr ?? 0.1);
    const adam = train.adam ?? [0.9, 0.999, 1e-8];
    this.adam = [checkNonNegative('adam[0]', adam[0]), checkNonNegative('adam[1]', adam[1]), checkPositive('adam[2]', adam[2])];
    this.batchSize = checkInteger('batchSize', train.batchSize ?? 32, 1, 1 << 20);
    this.shardSize = checkInteger('shardSize', train.shardSize ?? 8, 1, 4096);
    this.clipNorm = checkNonNegative('clipNorm', train.clipNorm ?? 1);
    this.scheduleEpochs = checkInteger('scheduleEpochs', train.scheduleEpochs ?? 0, 0);
    if (this.network.loss === 'sequence' && this.network.lossStart > this.T)
      throw new ValidationError(
        'lossStart',
        `at most the sequence length T = ${this.T} (with loss 'sequence' no step would carry a loss: nothing to train)`,
        this.network.lossStart,
      );
    if (train.tbptt !== undefined && (train.tbptt === null || typeof train.tbptt !== 'object'))
      throw new ValidationError('tbptt', 'an object { chunk }', train.tbptt);
    this.tbpttChunk = train.tbptt ? checkInteger('tbptt.chunk', train.tbptt.chunk, 1, this.T) : this.T;
    const K = this.tbpttChunk;
    if (train.tbptt && train.recomputeEvery !== undefined && train.recomputeEvery > K)
      throw new ValidationError(
        'recomputeEvery',
        `at most tbptt.chunk = ${K} (BPTT checkpoints are taken within a chunk; a longer interval is a chunk stored whole, recomputeEvery: 0)`,
        train.recomputeEvery,
      );
    this.recomputeEvery = checkInteger('recomputeEvery', train.recomputeEvery ?? Math.ceil(Math.sqrt(K)), 0, K);
    this.#workers = checkInteger('workers', train.workers ?? 0, 0, 256);
    this.#workerUrl = train.workerUrl;
    this.params = initBrfParams(network, this.seed);
    this.#m = new Float64Array(this.params.length);
    this.#v = new Float64Array(this.params.length);
    this.#runner = this.adopt(new BrfShardRunner(network, this.T, this.shardSize, this.recomputeEvery));
    if (train.tbptt) this.#chunkRunner = this.adopt(new BrfShardRunner(network, K, this.shardSize, this.recomputeEvery));
  }

  /** Learning rate of epoch `e` (linear schedule or constant). */
  lrAt(e: number): number {
    return this.scheduleEpochs > 0 ? this.lr * Math.max(0, 1 - e / this.scheduleEpochs) : this.lr;
  }

  async #pooled(): Promise<WorkerPool | null> {
    if (this.#workers === 0) return null;
    if (!this.#pool) this.#pool = await WorkerPool.create({ workers: this.#workers, workerUrl: this.#workerUrl });
    return this.#pool;
  }

  #check(d: BrfDataset, name: string): void {
    if (!d || !(d.x instanceof Float64Array) || !(d.labels instanceof Int32Array))
      throw new ValidationError(name, 'a BrfDataset { x: Float64Array, labels: Int32Array, ... }', d);
    if (d.T !== this.T) throw new ValidationError(`${name}.T`, `${this.T}`, d.T);
    if (d.inputSize !== this.network.inputSize) throw new ValidationError(`${name}.inputSize`, `${this.network.inputSize}`, d.inputSize);
    if (d.x.length !== d.n * d.T * d.inputSize) throw new ValidationError(`${name}.x.length`, 'n·T·inputSize', d.x.length);
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
    chunk?: { offset: number; steps: number; states: (Float64Array | undefined)[] },
  ): Promise<BrfShardResult[]> {
    const I = d.inputSize;
    const L = d.T * I;
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
    const spec = (k: number) =>
      chunk ? { steps: chunk.steps, offset: chunk.offset, initialState: chunk.states[k], finalState: true } : undefined;
    const pool = await this.#pooled();
    if (!pool) {
      return shards.map((idx, k) => {
        const { x, labels } = slice(idx);
        return runner.run(this.params, x, labels, backward, false, spec(k));
      });
    }
    const inputs = shards.map((idx, k) => {
      const { x, labels } = slice(idx);
      const params: BrfShardTaskParams = {
        options: this.#networkIn,
        T: runner.T,
        maxShard: this.shardSize,
        params: this.params,
        x,
        labels,
        backward,
        recomputeEvery: this.recomputeEvery,
        chunk: spec(k),
      };
      return { seed: 0, trial: k, params };
    });
    const rows: Settled<BrfShardResult>[] = await pool.map<BrfShardResult>('brf.shard', inputs);
    const values = rows.map((r) => {
      if (!r.ok) throw new NeurodynError(`BrfTrainer: shard ${r.index} failed in a worker: ${r.error.name}: ${r.error.message}`);
      return r.value;
    });
    // WorkerPool.map (foundation) leaves its per-call listeners attached, and they keep the
    // returned array alive; emptying it lets the shard gradients be collected.
    rows.length = 0;
    return values;
  }

  /** Forward pass over a dataset (forward only, in shards). */
  async evaluate(d: BrfDataset): Promise<BrfEvaluation> {
    this.assertLive();
    this.#check(d, 'data');
    const shards: number[][] = [];
    for (let a = 0; a < d.n; a += this.shardSize) shards.push(Array.from({ length: Math.min(this.shardSize, d.n - a) }, (_, k) => a + k));
    const res = await this.#shards(d, shards, false);
    let loss = 0;
    let correct = 0;
    let spikes = 0;
    const predictions = new Int32Array(d.n);
    let k = 0;
    for (const r of res) {
      for (let s = 0; s < r.loss.length; s++, k++) {
        loss += r.loss[s];
        spikes += r.spikes[s];
        predictions[k] = r.prediction[s];
      }
      correct += r.correct;
    }
    return { loss: loss / d.n, accuracy: correct / d.n, spikesPerSample: spikes / d.n, predictions };
  }

  /** Mean loss and raw-parameter gradient over the given samples of `d` (shards in order). */
  async gradient(
    d: BrfDataset,
    idx: number[],
  ): Promise<{
    /** Mean loss over the samples (cross-entropy, nats). */
    loss: number;
    /** Number of samples classified correctly (a count, not a fraction). */
    correct: number;
    /** Total hidden spikes over the samples (a sum, not per sample). */
    spikes: number;
    /** Gradient of the mean loss w.r.t. the raw parameters (layout {@link brfParamLayout}). */
    grad: Float64Array;
  }> {
    this.assertLive();
    this.#check(d, 'data');
    if (!Array.isArray(idx) || idx.length === 0) throw new ValidationError('idx', 'a non-empty array of sample indices', idx);
    for (let k = 0; k < idx.length; k++) checkInteger(`idx[${k}]`, idx[k], 0, d.n - 1);
    const shards: number[][] = [];
    for (let a = 0; a < idx.length; a += this.shardSize) shards.push(idx.slice(a, a + this.shardSize));
    const res = await this.#shards(d, shards, true);
    const grad = new Float64Array(this.params.length);
    let loss = 0;
    let correct = 0;
    let spikes = 0;
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
    return { loss: loss * inv, correct, spikes, grad };
  }

  /**
   * Trains until `epochs` epochs are complete in total (a restored checkpoint resumes mid-epoch).
   * The shuffle of epoch e is a seeded permutation of (seed, e). Checks `signal` between batches:
   * on abort the trainer is left at a batch boundary (checkpointable) and AbortedError is thrown.
   */
  async train(
    data: BrfDataset,
    o: { epochs: number; test?: BrfDataset; onProgress?: (p: BrfProgress) => void; signal?: AbortSignal },
  ): Promise<BrfEpochRecord[]> {
    this.assertLive();
    this.#check(data, 'data');
    if (o.test) this.#check(o.test, 'test');
    const epochs = checkInteger('epochs', o.epochs, 0);
    const signal = checkSignal('signal', o.signal);
    const batches = Math.ceil(data.n / this.batchSize);
    while (this.epoch < epochs) {
      const t0 = Date.now();
      const order = brfPermutation(this.seed, data.n, 0x1000 + this.epoch);
      const lr = this.lrAt(this.epoch);
      while (this.batch < batches) {
        if (signal?.aborted) throw new AbortedError(`BrfTrainer.train: aborted at epoch ${this.epoch}, batch ${this.batch}`, this.history);
        const idx = Array.from(order.subarray(this.batch * this.batchSize, Math.min(data.n, (this.batch + 1) * this.batchSize)));
        const { loss, correct, spikes, norm } = this.#chunkRunner
          ? await this.#tbpttBatch(data, idx, lr)
          : await this.gradient(data, idx).then((g) => ({ ...g, norm: this.#optimise(g.grad, lr) }));
        const e = this.#ep;
        e[0] += loss;
        e[1] += correct;
        e[2] += spikes;
        e[3] += idx.length;
        e[4] += 1;
        this.batch++;
        o.onProgress?.({
          phase: 'batch',
          epoch: this.epoch,
          batch: this.batch - 1,
          batches,
          loss,
          accuracy: correct / idx.length,
          spikesPerSample: spikes / idx.length,
          lr,
          gradNorm: norm,
        });
      }
      const e = this.#ep;
      const rec: BrfEpochRecord = {
        epoch: this.epoch,
        loss: e[0] / e[4],
        accuracy: e[1] / e[3],
        spikesPerSample: e[2] / e[3],
        seconds: (Date.now() - t0) / 1000,
      };
      if (o.test) {
        const ev = await this.evaluate(o.test);
        rec.testLoss = ev.loss;
        rec.testAccuracy = ev.accuracy;
      }
      this.history.push(rec);
      this.#ep = [0, 0, 0, 0, 0];
      this.batch = 0;
      this.epoch++;
      o.onProgress?.({ phase: 'epoch', batch: batches - 1, batches, lr, ...rec });
    }
    return this.history;
  }

  /**
   * One optimiser step from the batch-mean gradient (modified in place): global-norm clip, Adam,
   * BRF ω projection. Returns the norm before clipping; a non-finite norm is a NumericalError.
   */
  #optimise(grad: Float64Array, lr: number): number {
    const [b1, b2, eps] = this.adam;
    let norm = 0;
    for (let i = 0; i < grad.length; i++) norm += grad[i] * grad[i];
    norm = Math.sqrt(norm);
    if (!Number.isFinite(norm))
      throw new NumericalError('BrfTrainer.train (gradient norm)', {
        kind: 'non-finite',
        step: this.step,
        index: -1,
        time: this.epoch,
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
      // divergence-boundary clamp in training: |ω| ≤ (1 − 1e−7)/δ
      const L = brfParamLayoutOf(this);
      const omax = brfOmegaMax(this.network.boundaryDt);
      for (let i = L.p1; i < L.p2; i++) p[i] = Math.max(-omax, Math.min(omax, p[i]));
    }
    return norm;
  }

  /**
   * One mini-batch by truncated BPTT ({@link BrfTbpttOptions}): chunk by chunk, shards carry their
   * state across the cuts; one optimiser step per chunk with a loss. Returns the mean over those
   * chunks of the batch-mean chunk loss, the final chunk's correct count (the sequence's
   * prediction), the spikes of the whole sequence and the largest pre-clip gradient norm.
   */
  async #tbpttBatch(d: BrfDataset, idx: number[], lr: number): Promise<{ loss: number; correct: number; spikes: number; norm: number }> {
    const K = this.tbpttChunk;
    const shards: number[][] = [];
    for (let a = 0; a < idx.length; a += this.shardSize) shards.push(idx.slice(a, a + this.shardSize));
    let states: (Float64Array | undefined)[] = shards.map(() => undefined);
    const o = this.network;
    let lossSum = 0;
    let lossChunks = 0;
    let correct = 0;
    let spikes = 0;
    let norm = 0;
    for (let offset = 0; offset < this.T; offset += K) {
      const steps = Math.min(K, this.T - offset);
      const hasLoss = o.loss === 'last' || offset + steps >= o.lossStart;
      const res = await this.#shards(d, shards, hasLoss, { offset, steps, states });
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
      // gradients summed in shard order (independent of the worker count), then the batch mean
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
   * round-trip exactly through JSON).
   */
  toJSON(): BrfCheckpoint {
    return {
      format: 'neurodyn.brf.checkpoint',
      version: 1,
      network: this.#networkIn,
      train: {
        seed: this.seed,
        lr: this.lr,
        adam: this.adam,
        batchSize: this.batchSize,
        shardSize: this.shardSize,
        clipNorm: this.clipNorm,
        scheduleEpochs: this.scheduleEpochs,
        recomputeEvery: this.recomputeEvery,
        ...(this.#chunkRunner ? { tbptt: { chunk: this.tbpttChunk } } : {}),
      },
      T: this.T,
      params: Array.from(this.params),
      adamM: Array.from(this.#m),
      adamV: Array.from(this.#v),
      step: this.step,
      epoch: this.epoch,
      batch: this.batch,
      epochStats: [...this.#ep],
      history: this.history.map((h) => ({ ...h })),
    };
  }

  /** Restores a trainer from {@link BrfTrainer.toJSON} output; `run` sets workers / workerUrl. */
  static fromJSON(cp: BrfCheckpoint, run: Pick<BrfTrainOptions, 'workers' | 'workerUrl'> = {}): BrfTrainer {
    if (cp?.format !== 'neurodyn.brf.checkpoint' || cp.version !== 1)
      throw new ValidationError('checkpoint', 'a neurodyn.brf.checkpoint version 1', cp?.format);
    const t = new BrfTrainer(cp.network, cp.T, { ...cp.train, ...run });
    const n = t.params.length;
    for (const [name, a] of [
      ['params', cp.params],
      ['adamM', cp.adamM],
      ['adamV', cp.adamV],
    ] as const) {
      if (!Array.isArray(a) || a.length !== n || !a.every(Number.isFinite))
        throw new ValidationError(`checkpoint.${name}`, `${n} finite numbers`, a);
    }
    t.params.set(cp.params);
    t.#m.set(cp.adamM);
    t.#v.set(cp.adamV);
    t.step = checkInteger('checkpoint.step', cp.step, 0);
    t.epoch = checkInteger('checkpoint.epoch', cp.epoch, 0);
    t.batch = checkInteger('checkpoint.batch', cp.batch, 0);
    t.#ep = [...cp.epochStats];
    t.history = cp.history.map((h) => ({ ...h }));
    return t;
  }

  /** Closes the worker pool (if any) and frees kernel memory. */
  override dispose(): void {
    this.#pool?.close();
    this.#pool = null;
    super.dispose();
  }
}

function brfParamLayoutOf(t: BrfTrainer) {
  const H = t.network.hiddenSize;
  const I = t.network.inputSize;
  return { p1: H * (I + H), p2: H * (I + H) + H };
}
