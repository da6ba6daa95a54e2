/** A task runnable on the worker pool: a pure function of its (structured-clonable) input. */
// biome-ignore lint/suspicious/noExplicitAny: inputs are structured-clone data checked by each task
export type TaskFn = (input: any) => unknown | Promise<unknown>;

/**
 * Named tasks. The pool itself knows no task: the worker entry (`neurodyn/worker`) runs the
 * package's tables, and inline runs (`workers: 0`) use the table they are given.
 */
export type TaskTable = Record<string, TaskFn>;

/** Input every trial task receives. */
export interface TrialInput<P = unknown> {
  /** Study seed; the trial's key is `trialKey(seed, trial)`. */
  seed: number | string;
  /** Trial index (absolute, independent of sharding and worker count). */
  trial: number;
  /** Task parameters, the same for every trial of a study (structured-clone data). */
  params: P;
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

/** @internal message to a worker */
export interface TaskMessage {
  id: number;
  task: string;
  input: unknown;
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
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string };
}
