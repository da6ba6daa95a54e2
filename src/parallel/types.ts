/**
 * Leaf types of the worker pool: task functions and tables, trial inputs and outcomes, and the
 * messages between the pool and its workers. Model modules import only these (and the pool).
 * @packageDocumentation
 */

/** A task runnable on the worker pool: a pure function of its (structured-clonable) input. */
// biome-ignore lint/suspicious/noExplicitAny: inputs are structured-clone data checked by each task
export type TaskFn = (input: any) => unknown | Promise<unknown>;

/**
 * Named tasks. The pool itself knows no task: the worker entry (`neurodyn/worker`) runs the
 * package's tables, and inline runs (`workers: 0`) use the table they are given.
 */
export type TaskTable = Record<string, TaskFn>;

/**
 * A trial function exported by a user module (see {@link TrialModule}): a pure function of its
 * input, synchronous or `async`, returning structured-clone data.
 */
export type TrialFn<P = unknown, T = unknown> = (input: TrialInput<P>) => T | Promise<T>;

/**
 * A trial function of a user module, for {@link runTrials}, {@link iterateTrials},
 * {@link sweep} and {@link WorkerPool.map}. The module is an ES module that exports
 * {@link TrialFn}s; the pool imports it once per worker (and once in the calling thread for
 * `workers: 0`).
 *
 * @example
 * ```ts
 * const task = { module: new URL('./my-trials.mjs', import.meta.url), task: 'rate' };
 * const r = await runTrials(task, { seed: 'study', range: [0, 100], params: { mu: 1.2 } });
 * ```
 */
export interface TrialModule {
  /**
   * The module: a URL (`file:`, `http(s):`, `data:`, `blob:`) or a path. A relative path is
   * resolved against the current directory in Node and Deno and against the page (or worker)
   * address in browsers.
   */
  module: URL | string;
  /** Name of the exported trial function. @default 'default' */
  task?: string;
}

/** What the pool runs: the name of a task of the package's tables, or a user module's function. */
export type TaskRef = string | TrialModule;

/** Input every trial task receives. */
export interface TrialInput<P = unknown> {
  /** Study seed; the trial's key is `trialKey(seed, trial)`. */
  seed: number | string;
  /** Trial index (absolute, independent of sharding and worker count). */
  trial: number;
  /** Task parameters (structured-clone data): the same for every trial of a study, one point's values in a sweep. */
  params: P;
  /** In a sweep: the index of the parameter point (0-based, in the sweep's point order). */
  point?: number;
  /** In a sweep: the flat index `point · trials + trial` that addresses this (point, trial). */
  index?: number;
}

/** Outcome of one trial: its value, or the error it threw (the others are kept). */
export type Settled<T> =
  | {
      /** Trial (or input) index. */
      index: number;
      /** true: the task returned. */
      ok: true;
      /** The task's return value. */
      value: T;
    }
  | {
      /** Trial (or input) index. */
      index: number;
      /** false: the task threw. */
      ok: false;
      /** The error it threw (name and message only: errors are not structured-cloneable). */
      error: {
        /** Error class name, e.g. `'NumericalError'`. */
        name: string;
        /** Error message. */
        message: string;
      };
    };

/** @internal message to a worker: run one input of a call */
export interface TaskMessage {
  /** Call the input belongs to (results of an abandoned call are recognised and dropped). */
  call: number;
  id: number;
  task: string;
  /** URL of the user module that exports `task`; absent for the package's tables. */
  module?: string;
  input: unknown;
}

/** @internal message to a worker: import a user module (answered by a {@link LoadedMessage}) */
export interface LoadMessage {
  load: string;
}

/** @internal answer to a {@link LoadMessage}: the module's exported functions, or why it failed */
export interface LoadedMessage {
  loaded: string;
  tasks: string[];
  error?: string;
}

/**
 * @internal first message of a worker, once its kernel is loaded: the names of the tasks it can
 * run (so the pool checks a task name before posting it), or why it cannot run any.
 */
export interface ReadyMessage {
  ready: true;
  tasks: string[];
  error?: string;
}

/** @internal message from a worker */
export interface ResultMessage {
  call: number;
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string };
}
