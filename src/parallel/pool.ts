/**
 * Worker pool for independent trials: `worker_threads` in Node, module Web Workers in browsers
 * and Deno. Trials are addressed by (seed, trial index) and are pure functions of it, so a range
 * [a, b) run on any machine, with any number of workers, gives exactly the rows a full run gives.
 *
 * ## Which tasks run
 * The pool imports no model. A task is either the name of a task of a table — workers run the
 * tables their entry module lists (`neurodyn/worker`: every family's table) and report the names
 * when ready; an inline pool (`workers: 0`) runs the table it is given (`PoolOptions.tasks`,
 * `MapOptions.tasks`) — or a function exported by a user module (`{ module, task }`), which every
 * worker (or the calling thread) imports once.
 *
 * ## The same row wherever a trial runs
 * A trial's value leaves it as a structured clone, also inline (a result with `toJSON()` as its
 * JSON form), and an error as `{ name, message }`; rows come back in trial order. So the rows are
 * identical for 0, 1 or n workers, in Node, Deno and browsers.
 *
 * ## Sharding a large study over machines
 * Split the trial range into shards, run each shard anywhere with the same seed and parameters,
 * and merge them with {@link mergeTrials}, which checks that they tile the range. `neurodyn sweep
 * --slurm` does this on a Slurm cluster (docs/guides/scale-out.md).
 * @packageDocumentation
 */
import { optionKeys, strictOptions } from '../contract/options.js';
import { ASYNC_RUN_OPTION_KEYS, type AsyncRunOptions, ProgressTracker } from '../contract/progress.js';
import { Result, toJSONValue } from '../contract/results.js';
import { AbortedError, NeurodynError, ValidationError } from '../kernel/errors.js';
import { checkInteger } from '../kernel/validate.js';
import { seedToKey } from '../rng/seed.js';
import { errorRecord, moduleFunction, portable, type ResolvedTask, resolveTaskRef } from './modules.js';
import type {
  LoadedMessage,
  LoadMessage,
  ReadyMessage,
  ResultMessage,
  Settled,
  TaskFn,
  TaskMessage,
  TaskRef,
  TaskTable,
  TrialInput,
} from './types.js';

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
  post(m: TaskMessage | LoadMessage): void;
  onMessage(f: (m: ResultMessage | LoadedMessage) => void): void;
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
    let terminated = false;
    first = new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    port = {
      post: (m) => w.postMessage(m),
      onMessage: (f) => w.on('message', f),
      onError: (f) => {
        w.on('error', f);
        // A worker that exits on its own (process.exit in a user module) would leave its trial hanging.
        w.on('exit', (code) => {
          if (!terminated) f(new Error(`the worker exited (code ${code})`));
        });
      },
      terminate: () => {
        terminated = true;
        void w.terminate();
      },
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

/** One worker as the pool sees it. */
interface Slot {
  port: Port;
  /** A task is posted and its result has not come back. */
  busy: boolean;
  /** Modules this worker imported (or is importing): URL → its exported function names. */
  modules: Map<string, Promise<string[]>>;
  /** Pending imports: URL → settle. */
  loading: Map<string, { resolve(m: LoadedMessage): void; reject(e: unknown): void }>;
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
export interface MapOptions extends AsyncRunOptions {
  /**
   * Cancels the remaining tasks; the promise rejects with {@link AbortedError} whose `partial`
   * holds the settled rows. Workers are terminated at once (a running task cannot be interrupted
   * otherwise), so an aborted pool with workers is closed. Inline (`workers: 0`) the abort is seen
   * between tasks, at once during an `async` task, and within `sliceMs` of a timer firing.
   */
  signal?: AbortSignal;
  /** Called after each task settles, with a {@link Progress} report counting `'trial'`s. */
  onProgress?: AsyncRunOptions['onProgress'];
  /**
   * Inline (`workers: 0`): longest stretch of work between two yields to the event loop (ms),
   * so a timer-fired abort is seen. @default 10
   */
  sliceMs?: number;
  /**
   * Tasks for this call when it runs inline (`workers: 0`), looked up before the pool's own
   * `tasks`; ignored by workers (they run their entry module's tables).
   */
  tasks?: TaskTable;
}

const POOL_KEYS = optionKeys<PoolOptions>()(['workers', 'workerUrl', 'tasks']);
const MAP_KEYS = optionKeys<MapOptions>()([...ASYNC_RUN_OPTION_KEYS, 'tasks']);

function checkTable(name: string, t: unknown): TaskTable | undefined {
  if (t === undefined) return undefined;
  if (t === null || typeof t !== 'object' || Array.isArray(t))
    throw new ValidationError(name, 'a table of task functions { name: function }', t);
  for (const [k, f] of Object.entries(t)) if (typeof f !== 'function') throw new ValidationError(`${name}.${k}`, 'a function', f);
  return t as TaskTable;
}

/** @internal one streamed run of the pool: inputs 0…count−1, rows numbered offset + k */
interface Job {
  where: string;
  task: ResolvedTask;
  count: number;
  offset: number;
  inputAt(k: number): unknown;
  tracker: ProgressTracker;
  /** Most inputs posted ahead of the row the consumer reads next (bounds the reorder buffer). */
  lookahead: number;
  tasks?: TaskTable;
  /** Close the pool when the stream ends early (the pool was created for this run). */
  closeOnExit: boolean;
}

const ABORT = Symbol('abort');

/** Runs one trial function in this thread: its row is exactly the row a worker would send. */
async function settleInline<T>(fn: TaskFn, input: unknown, index: number, signal: AbortSignal | undefined): Promise<Settled<T>> {
  let value: unknown;
  try {
    value = fn(input);
    if (value !== null && typeof (value as PromiseLike<unknown>)?.then === 'function') {
      if (signal) {
        // An async trial is abandoned at once on abort (its late result is dropped).
        let onAbort: () => void = () => {};
        const aborted = new Promise<typeof ABORT>((r) => {
          onAbort = () => r(ABORT);
          signal.addEventListener('abort', onAbort, { once: true });
        });
        try {
          value = await Promise.race([value as Promise<unknown>, aborted]);
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
        if (value === ABORT) throw ABORT;
      } else value = await value;
    }
  } catch (e) {
    if (e === ABORT) throw e;
    return { index, ok: false, error: errorRecord(e) };
  }
  try {
    return { index, ok: true, value: structuredClone(portable(value)) as T };
  } catch (e) {
    return { index, ok: false, error: errorRecord(e) };
  }
}

/** A fixed set of workers running named tasks. Close it with `close()` (or `using`). */
export class WorkerPool {
  /** Number of workers (0 = tasks run inline in the calling thread). */
  readonly size: number;
  #slots: Slot[];
  #tasks: TaskTable;
  #closed = false;
  #broken: unknown = null;
  #calls = 0;
  // One permanent listener per worker routes its results to the call in progress; calls are
  // queued, so listeners never accumulate and concurrent calls cannot interleave.
  #current: { id: number; message(s: Slot, m: ResultMessage): void; error(e: unknown): void } | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(ports: Port[], size: number, tasks: TaskTable) {
    this.size = size;
    this.#tasks = tasks;
    this.#slots = ports.map((port) => ({ port, busy: false, modules: new Map(), loading: new Map() }));
    for (const s of this.#slots) {
      s.port.onMessage((m) => {
        if ('loaded' in m) {
          s.loading.get(m.loaded)?.resolve(m);
          return;
        }
        s.busy = false;
        if (this.#current && m.call === this.#current.id) this.#current.message(s, m);
      });
      s.port.onError((e) => {
        if (this.#closed) return;
        this.#broken = e;
        for (const l of s.loading.values()) l.reject(e);
        this.#current?.error(e);
      });
    }
  }

  /** Starts the workers (they load the kernel once each) and waits until they are ready. */
  static async create(options: PoolOptions = {}): Promise<WorkerPool> {
    const o = strictOptions<PoolOptions>('WorkerPool.create', 'options', options, POOL_KEYS);
    const n = checkInteger('options.workers', o.workers ?? defaultWorkers(), 0, 256);
    const tasks = checkTable('options.tasks', o.tasks) ?? {};
    if (n === 0) return new WorkerPool([], 0, tasks);
    let url: URL;
    try {
      url = o.workerUrl === undefined ? new URL('./worker.js', import.meta.url) : new URL(String(o.workerUrl));
    } catch {
      throw new ValidationError('options.workerUrl', 'an absolute URL of the worker entry (dist/worker.js)', o.workerUrl);
    }
    const started = await Promise.allSettled(Array.from({ length: n }, () => spawn(url)));
    const ports = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      for (const p of ports) p.terminate();
      throw (failed as PromiseRejectedResult).reason;
    }
    return new WorkerPool(ports, n, tasks);
  }

  /** Whether the pool has been closed (by `close()` or by an abort). */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs `task` on every input; results come back in input order, each settled on its own (an
   * error in one input does not lose the others). `task` is a table name or a user module's
   * function (`{ module, task }`).
   */
  async map<T>(task: TaskRef, inputs: unknown[], options: MapOptions = {}): Promise<Settled<T>[]> {
    const o = strictOptions<MapOptions>('WorkerPool.map', 'options', options, MAP_KEYS);
    const t = resolveTaskRef('task', task);
    if (!Array.isArray(inputs)) throw new ValidationError('inputs', 'an array of task inputs', inputs);
    const tasks = checkTable('options.tasks', o.tasks);
    const tracker = new ProgressTracker('WorkerPool.map', inputs.length, 'trial', o);
    const out: Settled<T>[] = [];
    try {
      for await (const row of this.stream<T>({
        where: 'WorkerPool.map',
        task: t,
        count: inputs.length,
        offset: 0,
        inputAt: (k) => inputs[k],
        tracker,
        lookahead: Number.POSITIVE_INFINITY,
        tasks,
        closeOnExit: false,
      }))
        out.push(row);
    } catch (e) {
      if (e instanceof AbortedError) throw new AbortedError(e.message, [...out, ...((e.partial as Settled<T>[]) ?? [])]);
      throw e;
    }
    return out;
  }

  /** Waits for the calls before this one; resolves with the function that lets the next one run. */
  async #acquire(): Promise<() => void> {
    let release: () => void = () => {};
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const prev = this.#queue;
    this.#queue = prev.then(() => mine);
    await prev;
    return release;
  }

  /** Imports a user module in one worker; resolves with its exported function names. */
  #load(s: Slot, href: string): Promise<string[]> {
    let p = s.modules.get(href);
    if (!p) {
      p = new Promise<string[]>((resolve, reject) => {
        s.loading.set(href, {
          resolve: (m) => {
            s.loading.delete(href);
            if (m.error)
              reject(
                new ValidationError(
                  'task.module',
                  'an ES module that can be imported',
                  href,
                  `cannot import trial module ${href} in a worker: ${m.error}`,
                ),
              );
            else resolve(m.tasks);
          },
          reject: (e) => {
            s.loading.delete(href);
            reject(e);
          },
        });
        s.port.post({ load: href });
      });
      s.modules.set(href, p);
      p.catch(() => s.modules.delete(href));
    }
    return p;
  }

  /** Checks that the workers (or the inline table, or the module) have the task. */
  async #prepare(job: Job): Promise<TaskFn | null> {
    const t = job.task;
    if (this.size === 0) {
      if (t.module) return moduleFunction('task', t);
      const table = { ...this.#tasks, ...job.tasks };
      const fn = table[t.name];
      if (typeof fn !== 'function')
        throw new ValidationError(
          'task',
          `a task of the inline table (${Object.keys(table).join(', ') || 'none'}) or a user module { module, task }`,
          t.name,
        );
      return fn;
    }
    if (t.module) {
      const lists = await Promise.all(this.#slots.map((s) => this.#load(s, t.module as string)));
      if (!lists[0].includes(t.name))
        throw new ValidationError('task.task', `a function exported by ${t.module} (${lists[0].join(', ') || 'it exports none'})`, t.name);
      return null;
    }
    const names = this.#slots[0].port.tasks;
    if (!names.includes(t.name))
      throw new ValidationError('task', `a task of the workers (${names.join(', ') || 'none'}) or a user module { module, task }`, t.name);
    return null;
  }

  /**
   * @internal Streams the rows of a job in input order; at most `lookahead` inputs run ahead of
   * the row the consumer reads. Inline jobs yield to the event loop every `sliceMs`.
   */
  async *stream<T>(job: Job): AsyncGenerator<Settled<T>, void, undefined> {
    const release = await this.#acquire();
    try {
      if (this.#closed) throw new NeurodynError(`${job.where}: the pool is closed`);
      if (this.#broken) throw new NeurodynError(`${job.where}: a worker of this pool failed: ${errorRecord(this.#broken).message}`);
      const fn = await this.#prepare(job);
      const { tracker, count } = job;
      if (tracker.aborted) throw new AbortedError(`${job.where} aborted before start`, []);
      if (fn) {
        let done = 0;
        for (let k = 0; k < count; k++) {
          let row: Settled<T>;
          try {
            row = await settleInline<T>(fn, job.inputAt(k), job.offset + k, tracker.signal);
          } catch (e) {
            if (e === ABORT) throw new AbortedError(`${job.where} aborted after ${done} of ${count} trials`, []);
            throw e;
          }
          done++;
          tracker.report(done);
          yield row;
          // Yield to the event loop once a slice is used up, so that a timer-fired abort is seen.
          if (k + 1 < count) await tracker.maybeYield([]).catch(() => undefined);
          if (tracker.aborted) throw new AbortedError(`${job.where} aborted after ${done} of ${count} trials`, []);
        }
        return;
      }
      yield* this.#streamWorkers<T>(job);
    } finally {
      release();
    }
  }

  async *#streamWorkers<T>(job: Job): AsyncGenerator<Settled<T>, void, undefined> {
    const { tracker, count, task } = job;
    const signal = tracker.signal;
    const call = ++this.#calls;
    const buffer = new Map<number, Settled<T>>();
    let next = 0;
    let yielded = 0;
    let done = 0;
    let inflight = 0;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const pending = () => [...buffer.keys()].sort((a, b) => a - b).map((k) => buffer.get(k) as Settled<T>);
    const feed = () => {
      for (const s of this.#slots) {
        if (failure || next >= count || next - yielded >= job.lookahead) return;
        if (s.busy) continue;
        const k = next++;
        s.busy = true;
        inflight++;
        try {
          s.port.post({ call, id: k, task: task.name, module: task.module, input: job.inputAt(k) });
        } catch (e) {
          // The input cannot be cloned: that input's row is an error, the others run.
          s.busy = false;
          inflight--;
          buffer.set(k, { index: job.offset + k, ok: false, error: errorRecord(e) });
          done++;
          tracker.report(done);
        }
      }
    };
    this.#current = {
      id: call,
      message: (_s, m) => {
        inflight--;
        if (failure) return notify();
        buffer.set(
          m.id,
          m.ok
            ? { index: job.offset + m.id, ok: true, value: m.value as T }
            : { index: job.offset + m.id, ok: false, error: m.error ?? { name: 'Error', message: 'unknown' } },
        );
        done++;
        tracker.report(done);
        feed();
        notify();
      },
      error: (e) => {
        failure ??= new NeurodynError(`${job.where}: a worker failed: ${errorRecord(e).message}`);
        this.close();
        notify();
      },
    };
    const onAbort = () => {
      // A worker mid-task cannot be interrupted, only terminated: an aborted pool is closed.
      failure ??= ABORT;
      this.close();
      notify();
    };
    signal?.addEventListener('abort', onAbort);
    try {
      feed();
      while (yielded < count) {
        if (failure === ABORT || signal?.aborted)
          throw new AbortedError(`${job.where} aborted after ${done} of ${count} trials`, pending());
        if (failure) throw failure;
        const row = buffer.get(yielded);
        if (row) {
          buffer.delete(yielded);
          yielded++;
          feed();
          yield row;
          continue;
        }
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (inflight > 0 && !this.#closed) {
        // The consumer stopped early: a pool made for this run is closed; a shared pool lets the
        // trials in flight (at most one per worker) finish, so the next call starts clean.
        if (job.closeOnExit) this.close();
        else {
          failure ??= new NeurodynError('stopped');
          const drained = new Promise<void>((r) => {
            const check = () => (inflight <= 0 || this.#closed ? r() : (wake = check));
            check();
          });
          await drained;
        }
      }
      this.#current = null;
    }
  }

  /** Terminates the workers. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#slots) s.port.terminate();
    this.#slots = [];
  }

  /** Same as {@link WorkerPool.close} (for `using`). */
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Options of {@link runTrials}. */
export interface TrialsOptions<P = unknown> extends MapOptions, PoolOptions {
  /** Study seed (number or string); trial k's key is `trialKey(seed, k)`. @default 0 */
  seed?: number | string;
  /** Trial range [a, b) to run. */
  range: [number, number];
  /** Parameters passed to every trial (structured-clone data). @default {} */
  params?: P;
  /** An existing pool to use instead of creating one (it is left open; `workers`, `workerUrl` are then ignored). */
  pool?: WorkerPool;
}

/** Options of {@link iterateTrials}. */
export interface IterateTrialsOptions<P = unknown> extends TrialsOptions<P> {
  /**
   * Most trials that may run ahead of the row the loop reads next: bounds the rows held in
   * memory while a slow trial holds up the order. @default 4 × workers (at least 4)
   */
  lookahead?: number;
}

const TRIALS_KEYS = optionKeys<TrialsOptions>()([...POOL_KEYS, ...MAP_KEYS, 'seed', 'range', 'params', 'pool']);
const ITERATE_KEYS = optionKeys<IterateTrialsOptions>()([...TRIALS_KEYS, 'lookahead']);

/** JSON form of a {@link TrialsResult}. */
export interface TrialsJSON<T = unknown> {
  /** `'trials'`. */
  kind: string;
  /** Trial range [a, b). */
  range: [number, number];
  /** One outcome per trial, in trial order (typed arrays as plain arrays). */
  rows: Settled<T>[];
}

/**
 * Rows of a trial range: `rows[k]` is the outcome of trial `range[0] + k`, `{ index, ok: true,
 * value }` or `{ index, ok: false, error: { name, message } }`.
 */
export class TrialsResult<T = unknown> extends Result {
  /** `'trials'`. */
  readonly kind = 'trials';
  /** Trial range [a, b) of the rows. */
  readonly range: [number, number];
  /** One outcome per trial, in trial order: `rows[k]` is trial range[0] + k. */
  readonly rows: Settled<T>[];

  constructor(range: [number, number], rows: Settled<T>[]) {
    super();
    this.range = [range[0], range[1]];
    this.rows = rows;
  }

  /** Values of the trials that returned, in trial order. */
  values(): T[] {
    return this.rows.flatMap((r) => (r.ok ? [r.value] : []));
  }

  /** The trials that threw, in trial order. */
  errors(): { index: number; name: string; message: string }[] {
    return this.rows.flatMap((r) => (r.ok ? [] : [{ index: r.index, ...r.error }]));
  }

  /** JSON form: `{ kind, range, rows }` (typed arrays as plain arrays, non-finite numbers as null). */
  override toJSON(): TrialsJSON<T> & Record<string, unknown> {
    return { kind: this.kind, range: [...this.range], rows: toJSONValue(this.rows) as Settled<T>[] };
  }
}

/** Checks the options common to {@link runTrials} and {@link iterateTrials}. */
function trialsPlan<P>(where: string, options: TrialsOptions<P> | IterateTrialsOptions<P>, keys: readonly string[]) {
  const o = strictOptions<IterateTrialsOptions<P>>(where, 'options', options as IterateTrialsOptions<P>, keys);
  const seed = o.seed ?? 0;
  if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string')
    throw new ValidationError('options.seed', 'a finite number or a string', seed);
  seedToKey(seed);
  if (!Array.isArray(o.range) || o.range.length !== 2) throw new ValidationError('options.range', 'a trial range [a, b)', o.range);
  const a = checkInteger('options.range[0]', o.range[0], 0, 0xffffffff);
  const b = checkInteger('options.range[1]', o.range[1], a, 0xffffffff);
  if (o.pool !== undefined && !(o.pool instanceof WorkerPool)) throw new ValidationError('options.pool', 'a WorkerPool', o.pool);
  checkTable('options.tasks', o.tasks);
  const params = (o.params === undefined ? {} : o.params) as P;
  return { o, seed, a, b, params };
}

/** Creates a pool; an abort while the workers start rejects at once (the workers are closed when up). */
async function createAbortable(options: PoolOptions, signal: AbortSignal | undefined, where: string): Promise<WorkerPool> {
  const creating = WorkerPool.create(options);
  if (!signal) return creating;
  if (signal.aborted) {
    creating.then(
      (p) => p.close(),
      () => undefined,
    );
    throw new AbortedError(`${where} aborted before start`, []);
  }
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new AbortedError(`${where} aborted while the workers started`, []));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([creating, aborted]);
  } catch (e) {
    creating.then(
      (p) => p.close(),
      () => undefined,
    );
    throw e;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Most trials one {@link runTrials} or `sweepTrials` call collects (2^22 = 4,194,304): their rows
 * are kept in memory until the call returns, so a larger range is refused before anything runs.
 * Split the range into shards (and merge them with {@link mergeTrials}), or stream the rows with
 * `iterateTrials`, which holds only about `lookahead` rows at a time (any range up to 2^32 − 1).
 */
export const MAX_COLLECTED_TRIALS = 2 ** 22;

/** @internal refuses a collected range longer than {@link MAX_COLLECTED_TRIALS}. */
export function checkCollected(where: string, a: number, b: number): void {
  if (b - a > MAX_COLLECTED_TRIALS)
    throw new ValidationError(
      'options.range',
      `a range of at most ${MAX_COLLECTED_TRIALS} trials per ${where} call (MAX_COLLECTED_TRIALS: the rows are kept in memory); split it into shards and merge them with mergeTrials, or stream the rows with iterateTrials`,
      [a, b],
    );
}

/** @internal the rows of a trial plan as a stream (shared by runTrials, iterateTrials and sweep) */
export async function* streamTrials<T>(
  where: string,
  task: ResolvedTask,
  o: PoolOptions & MapOptions & { pool?: WorkerPool; lookahead?: number },
  plan: { count: number; offset: number; inputAt(k: number): unknown; collect: boolean },
): AsyncGenerator<Settled<T>, void, undefined> {
  const tracker = new ProgressTracker(where, plan.count, 'trial', o);
  const pool = o.pool ?? (await createAbortable({ workers: o.workers, workerUrl: o.workerUrl, tasks: o.tasks }, tracker.signal, where));
  const lookahead = plan.collect
    ? Number.POSITIVE_INFINITY
    : o.lookahead === undefined
      ? Math.max(4, 4 * pool.size)
      : checkInteger('options.lookahead', o.lookahead, 1, 1e9);
  try {
    yield* pool.stream<T>({
      where,
      task,
      count: plan.count,
      offset: plan.offset,
      inputAt: plan.inputAt,
      tracker,
      lookahead,
      tasks: o.pool ? o.tasks : undefined,
      closeOnExit: !o.pool,
    });
  } finally {
    if (!o.pool) pool.close();
  }
}

/**
 * Runs trials [a, b) of `task` with input `{ seed, trial, params }` on a worker pool, or inline
 * with `workers: 0`. `task` is a task name of the given tables or a user module's trial function
 * `{ module, task }`. The rows are identical for any worker count, and a sub-range gives exactly
 * the corresponding rows of the full range. After an abort (`options.signal`) the promise
 * rejects with {@link AbortedError} whose `partial` holds the rows that had settled.
 * Progress reports count `'trial'`s.
 */
export async function runTrials<T, P = unknown>(task: TaskRef, options: TrialsOptions<P>): Promise<TrialsResult<T>> {
  const t = resolveTaskRef('task', task);
  const { o, seed, a, b, params } = trialsPlan('runTrials', options, TRIALS_KEYS);
  checkCollected('runTrials', a, b);
  const rows: Settled<T>[] = [];
  try {
    for await (const row of streamTrials<T>('runTrials', t, o, {
      count: b - a,
      offset: a,
      inputAt: (k): TrialInput<P> => ({ seed, trial: a + k, params }),
      collect: true,
    }))
      rows.push(row);
  } catch (e) {
    if (e instanceof AbortedError) throw new AbortedError(e.message, [...rows, ...((e.partial as Settled<T>[]) ?? [])]);
    throw e;
  }
  return new TrialsResult<T>([a, b], rows);
}

/**
 * The rows of trials [a, b) of `task`, as an async iterator in trial order: the same rows as
 * {@link runTrials}, but only about `lookahead` of them are held at a time, so a study of 10^5
 * trials need not sit in memory. Breaking out of the loop stops the run (a pool made for it is
 * closed; a pool passed in lets the trials in flight finish). Options are checked when called.
 *
 * @example
 * ```ts
 * let sum = 0;
 * for await (const row of iterateTrials({ module: './trials.mjs', task: 'rate' }, { range: [0, 1e5], workers: 4 }))
 *   if (row.ok) sum += row.value as number;
 * ```
 */
export function iterateTrials<T, P = unknown>(
  task: TaskRef,
  options: IterateTrialsOptions<P>,
): AsyncGenerator<Settled<T>, void, undefined> {
  const t = resolveTaskRef('task', task);
  const { o, seed, a, b, params } = trialsPlan('iterateTrials', options, ITERATE_KEYS);
  if (o.lookahead !== undefined) checkInteger('options.lookahead', o.lookahead, 1, 1e9);
  return streamTrials<T>('iterateTrials', t, o, {
    count: b - a,
    offset: a,
    inputAt: (k): TrialInput<P> => ({ seed, trial: a + k, params }),
    collect: false,
  });
}

/** Shards to merge: {@link TrialsResult}s, or their JSON forms read back from files. */
export type TrialsLike<T> = { range: [number, number]; rows: Settled<T>[] };

/**
 * Merges shards of one study into the full range. Throws a {@link ValidationError} unless the
 * shards tile one range without gap or overlap and each shard holds exactly one row per trial of
 * its range, in order.
 */
export function mergeTrials<T>(shards: TrialsLike<T>[]): TrialsResult<T> {
  if (!Array.isArray(shards) || shards.length === 0)
    throw new ValidationError('shards', 'a non-empty array of trial results { range, rows }', shards);
  shards.forEach((s, i) => {
    if (s === null || typeof s !== 'object' || !Array.isArray(s.range) || s.range.length !== 2 || !Array.isArray(s.rows))
      throw new ValidationError(`shards[${i}]`, 'a trial result { range: [a, b], rows }', s);
    const [a, b] = s.range;
    checkInteger(`shards[${i}].range[0]`, a, 0, 0xffffffff);
    checkInteger(`shards[${i}].range[1]`, b, a, 0xffffffff);
    if (s.rows.length !== b - a)
      throw new ValidationError(`shards[${i}].rows.length`, `${b - a} (one row per trial of [${a}, ${b}))`, s.rows.length);
    s.rows.forEach((r, k) => {
      if (r?.index !== a + k) throw new ValidationError(`shards[${i}].rows[${k}].index`, `${a + k}`, r?.index);
    });
  });
  const order = shards.map((_, i) => i).sort((x, y) => shards[x].range[0] - shards[y].range[0]);
  for (let j = 1; j < order.length; j++) {
    const prev = shards[order[j - 1]].range;
    const cur = shards[order[j]].range;
    if (cur[0] !== prev[1]) {
      const what = cur[0] < prev[1] ? `overlaps [${prev[0]}, ${prev[1]})` : `leaves the gap [${prev[1]}, ${cur[0]})`;
      throw new ValidationError(
        `shards[${order[j]}].range`,
        `to start at ${prev[1]} (no gap or overlap)`,
        cur[0],
        `shards[${order[j]}].range [${cur[0]}, ${cur[1]}) ${what} after shards[${order[j - 1]}]; expected it to start at ${prev[1]}`,
      );
    }
  }
  const first = shards[order[0]].range[0];
  const last = shards[order[order.length - 1]].range[1];
  return new TrialsResult<T>(
    [first, last],
    order.flatMap((i) => shards[i].rows),
  );
}
