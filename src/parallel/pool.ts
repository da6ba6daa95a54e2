/**
 * Worker pool for independent trials: `worker_threads` in Node, module Web Workers in browsers
 * and Deno. Trials are addressed by (seed, trial index) and are pure functions of it, so a range
 * [a, b) run on any machine, with any number of workers, gives exactly the rows a full run gives.
 *
 * ## Sharding a large study over machines
 * Split the trial range into shards ([0, 1000), [1000, 2000), ...), run each shard as a job of your
 * scheduler (Slurm array, Kubernetes Job, GitHub matrix) with the same seed and parameters, write
 * each shard's `TrialsResult.rows` as JSON, and concatenate the shards in trial order:
 * {@link mergeTrials} checks that the shards tile the range and merges them exactly.
 *
 * ## Which tasks run
 * The pool imports no model. A worker runs the tables its entry module lists (`neurodyn/worker`:
 * every family's table) and reports their names when it is ready; an inline pool (`workers: 0`)
 * runs the table it is given (`PoolOptions.tasks`, `MapOptions.tasks`). The package entry's
 * `runTrials` passes the package's tables; a family that runs its own trials passes its own.
 * @packageDocumentation
 */
import { AbortedError, NeurodynError, ValidationError } from '../kernel/errors.js';
import { checkInteger, checkSignal } from '../kernel/validate.js';
import { seedToKey } from '../rng/seed.js';
import type { ReadyMessage, ResultMessage, Settled, TaskMessage, TaskTable, TrialInput } from './types.js';

declare const Deno: unknown;

/** Whether this is Node (Deno 2 also defines `process`). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && typeof Deno === 'undefined';
}

/** Default number of workers: the hardware concurrency, at least 1. */
export function defaultWorkers(): number {
  const n = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 2;
  return Math.max(1, n);
}

interface Port {
  /** Task names the worker reported when it was ready. */
  tasks: string[];
  post(m: TaskMessage): void;
  onMessage(f: (m: ResultMessage) => void): void;
  onError(f: (e: unknown) => void): void;
  terminate(): void;
}

/** Starts a worker and waits for its {@link ReadyMessage} (kernel loaded, task names known). */
async function spawn(url: URL): Promise<Port> {
  let port: Omit<Port, 'tasks'>;
  let first: Promise<ReadyMessage>;
  if (isNode()) {
    const { Worker } = await import('node:worker_threads');
    const w = new Worker(url);
    first = new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    port = {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.on('message', f),
      onError: (f) => w.on('error', f),
      terminate: () => void w.terminate(),
    };
  } else {
    const w = new Worker(url, { type: 'module' });
    first = new Promise((resolve, reject) => {
      w.addEventListener('message', (e) => resolve((e as MessageEvent).data), { once: true });
      w.addEventListener('error', reject, { once: true });
    });
    port = {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.addEventListener('message', (e) => f((e as MessageEvent).data)),
      onError: (f) => w.addEventListener('error', (e) => f(e)),
      terminate: () => w.terminate(),
    };
  }
  let ready: ReadyMessage;
  try {
    ready = await first;
  } catch (e) {
    port.terminate();
    throw new NeurodynError(`worker failed to start from ${url.href}: ${(e as Error).message ?? String(e)}`);
  }
  if (!ready?.ready || ready.error) {
    port.terminate();
    throw new NeurodynError(`worker failed to start from ${url.href}: ${ready?.error ?? 'no ready message'}`);
  }
  return { ...port, tasks: ready.tasks };
}

/** Options of {@link WorkerPool.create}. */
export interface PoolOptions {
  /** Number of workers; 0 runs every task inline in the calling thread. @default hardware concurrency */
  workers?: number;
  /**
   * URL of the bundled worker entry (`neurodyn/worker`, i.e. `dist/worker.js`).
   * @default `new URL('./worker.js', import.meta.url)` (next to the bundle)
   */
  workerUrl?: URL | string;
  /**
   * Tasks an inline pool (`workers: 0`) can run; workers run the tables of their entry module
   * instead. The package's `runTrials` supplies every family's table.
   * @default no tasks
   */
  tasks?: TaskTable;
}

/** Options of {@link WorkerPool.map}. */
export interface MapOptions {
  /**
   * Cancels the remaining tasks; the promise rejects with {@link AbortedError} carrying the
   * settled ones. Running workers are terminated, so an aborted pool is closed.
   */
  signal?: AbortSignal;
  /** Called after each task settles with (completed, total). */
  onProgress?: (completed: number, total: number) => void;
  /**
   * Tasks for this call when it runs inline (`workers: 0`), looked up before the pool's own
   * `tasks`; ignored by workers (they run their entry module's tables).
   */
  tasks?: TaskTable;
}

/** A fixed set of workers running named tasks. Close it with `close()` (or `using`). */
export class WorkerPool {
  /** Number of workers (0 = tasks run inline in the calling thread). */
  readonly size: number;
  #ports: Port[];
  #tasks: TaskTable;
  #closed = false;
  // One permanent listener per worker routes its messages to the call in progress; calls are
  // queued, so listeners never accumulate and concurrent map() calls cannot interleave.
  #current: { message(p: Port, m: ResultMessage): void; error(e: unknown): void } | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(ports: Port[], size: number, tasks: TaskTable) {
    this.#ports = ports;
    this.size = size;
    this.#tasks = tasks;
    for (const p of ports) {
      p.onMessage((m) => this.#current?.message(p, m));
      p.onError((e) => this.#current?.error(e));
    }
  }

  /** Starts the workers (they load the kernel once each) and waits until they are ready. */
  static async create(options: PoolOptions = {}): Promise<WorkerPool> {
    const n = checkInteger('options.workers', options.workers ?? defaultWorkers(), 0, 256);
    const tasks = options.tasks ?? {};
    if (tasks === null || typeof tasks !== 'object') throw new ValidationError('options.tasks', 'a table of task functions', tasks);
    if (n === 0) return new WorkerPool([], 0, tasks);
    const url = options.workerUrl === undefined ? new URL('./worker.js', import.meta.url) : new URL(String(options.workerUrl));
    const started = await Promise.allSettled(Array.from({ length: n }, () => spawn(url)));
    const ports = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      for (const p of ports) p.terminate();
      throw (failed as PromiseRejectedResult).reason;
    }
    return new WorkerPool(ports, n, tasks);
  }

  /**
   * Runs `task` on every input; results come back in input order, each settled on its own (an
   * error in one input does not lose the others).
   */
  map<T>(task: string, inputs: unknown[], options: MapOptions = {}): Promise<Settled<T>[]> {
    const run = () => this.#map<T>(task, inputs, options);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #map<T>(task: string, inputs: unknown[], options: MapOptions): Promise<Settled<T>[]> {
    if (this.#closed) throw new NeurodynError('WorkerPool.map: the pool is closed');
    if (!Array.isArray(inputs)) throw new ValidationError('inputs', 'an array of task inputs', inputs);
    const table = this.size === 0 ? { ...this.#tasks, ...options.tasks } : null;
    const names = table ? Object.keys(table) : this.#ports[0].tasks;
    if (typeof task !== 'string' || !names.includes(task))
      throw new ValidationError('task', `a task of the ${table ? 'inline table' : 'workers'} (${names.join(', ') || 'none'})`, task);
    const signal = checkSignal('options.signal', options.signal);
    const out: Settled<T>[] = new Array(inputs.length);
    let completed = 0;
    const settle = (s: Settled<T>) => {
      out[s.index] = s;
      completed++;
      options.onProgress?.(completed, inputs.length);
    };
    const partial = () => out.filter((x) => x !== undefined);
    if (signal?.aborted) throw new AbortedError('WorkerPool.map: aborted before start', []);

    if (table) {
      for (let i = 0; i < inputs.length; i++) {
        if (signal?.aborted) throw new AbortedError(`WorkerPool.map: aborted after ${completed} of ${inputs.length}`, partial());
        try {
          settle({ index: i, ok: true, value: (await table[task](inputs[i])) as T });
        } catch (e) {
          settle({ index: i, ok: false, error: { name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) } });
        }
      }
      return out;
    }

    return new Promise<Settled<T>[]>((resolve, reject) => {
      let next = 0;
      let done = false;
      const finish = (err?: unknown) => {
        if (done) return;
        done = true;
        this.#current = null;
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(out);
      };
      const onAbort = () => {
        // A worker mid-task cannot be interrupted, only terminated: an aborted pool is closed.
        this.close();
        finish(new AbortedError(`WorkerPool.map: aborted after ${completed} of ${inputs.length}`, partial()));
      };
      signal?.addEventListener('abort', onAbort);
      const feed = (p: Port) => {
        if (done) return;
        if (next >= inputs.length) {
          if (completed === inputs.length) finish();
          return;
        }
        const i = next++;
        p.post({ id: i, task, input: inputs[i] });
      };
      this.#current = {
        message: (p, m) => {
          if (done) return;
          settle(
            m.ok
              ? { index: m.id, ok: true, value: m.value as T }
              : { index: m.id, ok: false, error: m.error ?? { name: 'Error', message: 'unknown' } },
          );
          if (completed === inputs.length) finish();
          else feed(p);
        },
        error: (e) => finish(new NeurodynError(`worker failed: ${(e as Error).message ?? String(e)}`)),
      };
      if (inputs.length === 0) finish();
      for (const p of this.#ports) feed(p);
    });
  }

  /** Terminates the workers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#ports) p.terminate();
    this.#ports = [];
  }

  /** Same as {@link WorkerPool.close} (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Options of {@link runTrials}. */
export interface TrialsOptions<P> extends MapOptions, PoolOptions {
  /** Study seed (number or string). */
  seed: number | string;
  /** Trial range [a, b) to run. */
  range: [number, number];
  /** Parameters passed to every trial. */
  params: P;
  /** An existing pool to use instead of creating one (it is left open). */
  pool?: WorkerPool;
}

/** Rows of a trial range. `rows[k]` is trial `range[0] + k`. */
export interface TrialsResult<T> {
  /** Trial range [a, b) of the rows. */
  range: [number, number];
  /** One outcome per trial, in trial order: `rows[k]` is trial range[0] + k. */
  rows: Settled<T>[];
}

/**
 * Runs trials [a, b) of `task` with input `{ seed, trial, params }`. The rows are identical for
 * any worker count, and a sub-range gives exactly the corresponding rows of the full range.
 * After an abort (`options.signal`) the promise rejects with {@link AbortedError} whose `partial`
 * holds the rows that had settled.
 */
export async function runTrials<T, P = unknown>(task: string, options: TrialsOptions<P>): Promise<TrialsResult<T>> {
  if (options === null || typeof options !== 'object') throw new ValidationError('options', 'an options object', options);
  seedToKey(options.seed); // validates the seed before any trial runs
  if (!Array.isArray(options.range)) throw new ValidationError('options.range', 'a trial range [a, b)', options.range);
  const [a, b] = options.range;
  checkInteger('options.range[0]', a, 0, 0xffffffff);
  checkInteger('options.range[1]', b, a, 0xffffffff);
  const inputs: TrialInput<P>[] = [];
  for (let t = a; t < b; t++) inputs.push({ seed: options.seed, trial: t, params: options.params });
  const pool = options.pool ?? (await WorkerPool.create(options));
  try {
    const rows = await pool.map<T>(task, inputs, options);
    return { range: [a, b], rows: rows.map((r) => ({ ...r, index: r.index + a })) };
  } finally {
    if (!options.pool) pool.close();
  }
}

/** Merges shards of one study into the full range; throws unless they tile it without gaps. */
export function mergeTrials<T>(shards: TrialsResult<T>[]): TrialsResult<T> {
  if (shards.length === 0) throw new ValidationError('shards', 'at least one shard', shards);
  const sorted = [...shards].sort((x, y) => x.range[0] - y.range[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].range[0] !== sorted[i - 1].range[1]) {
      throw new ValidationError(`shards[${i}].range`, `to start at ${sorted[i - 1].range[1]} (no gap or overlap)`, sorted[i].range[0]);
    }
  }
  return { range: [sorted[0].range[0], sorted[sorted.length - 1].range[1]], rows: sorted.flatMap((s) => s.rows) };
}
